"""Entries of a motion's change history, as stored in its document and as read back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store import changes as changeset
from store.errors import BadInput, StoreFileError
from store.values import iso_timestamp, parse_timestamp

CREATE, EDIT, DELETE, UNDO, REDO, IMPORT, SYNC = "create", "edit", "delete", "undo", "redo", "import", "sync"
REMIND, ANSWER = "remind", "answer"  # a reminder sent to a department; its answer imported (source: the department)


@dataclass(frozen=True, slots=True)
class FieldChange:
    path: str
    old: Any
    new: Any

    @property
    def item(self) -> int | None:
        return changeset.split(self.path)[0]

    @property
    def field(self) -> str | None:
        """The field's name, or None where a whole item was added or removed."""
        return changeset.split(self.path)[1]


def recorded(
    seq: int,
    at: datetime,
    by: str,
    action: str,
    changes: list[list[Any]],
    *,
    undoes: int | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """A history entry as its motion's document stores it (:meth:`HistoryEntry.to_dict`), ``changes`` as
    ``[path, old, new]`` lists, taken as they are. The edit path writes one per edit without making the
    :class:`HistoryEntry` first: its frozen fields and each change's were a fifth of writing a pushed motion."""
    data: dict[str, Any] = {"seq": seq, "at": iso_timestamp(at), "by": by, "action": action, "changes": changes}
    if undoes is not None:
        data["undoes"] = undoes
    if source is not None:
        data["source"] = source
    return data


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded change of one motion: who, when, what, old -> new."""

    seq: int  # the file's generation that wrote it: orders entries across motions
    at: datetime
    by: str
    motion_id: str
    action: str
    changes: tuple[FieldChange, ...]
    undoes: int | None = None  # an undo: the seq of the edit it took back; a redo: that of the undo
    source: str | None = (
        None  # where it came from, beside who recorded it: a reminder's recipient, an answer's department
    )

    @property
    def adds_motion(self) -> bool:
        """Whether the motion came into being (or back) by this change: taking it back deletes the motion."""
        return any(change.path == "deleted" and change.new is False for change in self.changes)

    @property
    def items(self) -> frozenset[int]:
        return frozenset(change.item for change in self.changes if change.item is not None)

    def to_dict(self) -> dict[str, Any]:
        changes = [[change.path, change.old, change.new] for change in self.changes]
        return recorded(self.seq, self.at, self.by, self.action, changes, undoes=self.undoes, source=self.source)

    @classmethod
    def from_dict(cls, data: dict[str, Any], motion_id: str) -> HistoryEntry:
        at = parse_timestamp(data["at"], "history.at")
        if at is None:  # every entry is stamped when written: an empty one is damage, said as such
            raise BadInput("{where}: expected a date and time, got {value}.", where="history.at", value='""')
        return cls(
            seq=data["seq"],
            at=at,
            by=data["by"],
            motion_id=motion_id,
            action=data["action"],
            changes=tuple(FieldChange(*change) for change in data["changes"]),
            undoes=data.get("undoes"),
            source=data.get("source"),
        )


def entries_of(path: Any, motion_id: str, document: dict[str, Any]) -> list[HistoryEntry]:
    """The history of motion ``motion_id``'s document in the data file ``path``, which says where an entry is broken."""
    try:
        return [HistoryEntry.from_dict(raw, motion_id) for raw in document.get("history", [])]
    except (KeyError, TypeError, ValueError, BadInput) as error:
        raise StoreFileError(
            "{path}: {detail}", path=path, detail=f"motion {motion_id}: broken history entry ({error})"
        ) from None
