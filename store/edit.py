"""The one edit path: what may be done with the data file inside :meth:`store.Store.transaction`.

Every change of a motion, whoever makes it (the dashboard, an import, undo, a sync client taking the
server's documents, the sync server writing a push), is one :meth:`Transaction.apply`: compute the new
document, validate it, stamp it, append a history entry, stage the write. The data file writes all a
transaction staged once, when it ends. Undo and redo (store/undo.py) are one more apply each.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from store import changes as changeset
from store.fields import MOTION_FIELDS
from store.file.documents import Stored, stored
from store.history import SYNC, recorded
from store.model import Motion, replace_item, replace_motion
from store.values import check_line, iso_timestamp, parse_timestamp

MOTIONS = "motions"
SOURCES = "sources"  # per import source (e.g. an OParl body) or sync server: where the last import stopped
REPORTS = "reports"  # the status reports given to committees, as recorded (store/reports.py); not synced

Doc = dict[str, Any]

# A sentinel for "leave this field as it is", where None means "clear it".
KEEP: Any = type("Keep", (), {"__repr__": lambda self: "KEEP"})()

# What a motion document holds beside the motion itself.
NOT_MODEL = frozenset(
    {"history", "deleted", "imported", "rev", "seq", "synced", "conflicts", "refused", "withdrawn", "reminders"}
)
# What a motion document holds before its history, as this program writes it: the motion's fields, then whether
# it is deleted (pushed_form). The store reads only this much of a line to build its model (store/file/documents.py).
BEFORE_HISTORY = frozenset(MOTION_FIELDS) | {"deleted"}
SYNC_META = ("synced", "conflicts", "refused")  # a sync client's bookkeeping (store/sync/state.py), kept across edits
# Bookkeeping of this copy kept across edits: the sync client's, and the reminders sent (store/mail/record.py)
KEPT = (*SYNC_META, "reminders")


class Tables(Protocol):
    """What a transaction needs of the storage: store.file.protocol.DataFile has it, and so does the sync
    server's PostgreSQL backend (store/sync/postgres/backend.py) for the documents of one push."""

    @property
    def generation(self) -> int:
        """How many transactions the storage has seen before this one."""
        ...

    def read(self) -> dict[str, Any] | None:
        """The tables, table name -> key -> document, with this transaction's writes so far."""
        ...

    def put(self, table: str, key: str, document: dict[str, Any]) -> None: ...

    def patch(self, table: str, key: str, fields: dict[str, Any]) -> None:
        """Set (None: remove) some fields of a document beside its motion: only those are written."""
        ...

    def rewrite(self) -> None:
        """Write this transaction whole: nothing it replaced may stay behind (in a journal, say)."""
        ...


class Transaction:
    """One transaction on the data file, handed out by :meth:`store.Store.transaction` with the file's lock
    held and its tables current. Documents read here are the storage's own: never change one, write with
    :meth:`apply`, :meth:`set_sync_meta` or :meth:`set_source`."""

    def __init__(
        self,
        data: Tables,
        canonical: Callable[[str, Doc], Doc],
        *,
        user: str,
        clock: Callable[[], datetime],
        revisions: bool,
    ) -> None:
        self._data = data
        self._canonical = canonical
        self.user, self.clock, self.revisions = user, clock, revisions
        self.staged: dict[str, Motion | None] = {}  # the motions written, None for those deleted
        self._moment: tuple[datetime, str, datetime] | None = None  # see _stamps

    def document(self, motion_id: str) -> Doc | None:
        """The stored document of a motion, with its history and bookkeeping; None if there is none."""
        tables = self._data.read()
        return tables.get(MOTIONS, {}).get(motion_id) if tables else None

    def version(self, motion_id: str) -> Stored | None:
        """The stored version of a motion's document: the same object while the document is unchanged (a line
        of the data file, or the document written since: store/file/documents.py); None if there is none."""
        tables = self._data.read()
        return stored(tables.get(MOTIONS, {})).get(motion_id) if tables else None

    def canonical(self, motion_id: str, document: Doc) -> Doc:
        """A stored document as the model writes it, plus "deleted": so a diff shows only real changes."""
        motion = self.staged.get(motion_id)
        if motion is not None:
            return {**motion.to_dict(), "deleted": bool(document.get("deleted"))}
        return self._canonical(motion_id, document)

    def source(self, name: str) -> Doc:
        """What is remembered for an import source or a sync server ({} if nothing)."""
        tables = self._data.read()
        return (tables.get(SOURCES, {}).get(name) if tables else None) or {}

    def set_source(self, name: str, record: Doc) -> None:
        self._data.put(SOURCES, name, record)

    def set_report(self, key: str, record: Doc) -> None:
        """Remember a status report given to a committee (store/reports.py)."""
        self._data.put(REPORTS, key, record)

    def apply(
        self,
        motion_id: str,
        action: str,
        build: Callable[[Doc | None], Doc],
        *,
        undoes: int | None = None,
        imported: Doc | None = None,
        user: str | None = None,
        model: Motion | None = None,
        source: str | None = None,
        synced: Doc | None = None,
    ) -> Motion | None:
        """Compute the new document with ``build`` (from the canonical one, None for a new motion),
        validate, record, stage the write. The new motion, or None if ``build`` changed nothing.
        ``synced``: the sync bookkeeping of a motion a pull takes as the server has it, set with it (as
        :meth:`set_sync_meta` would after it, without making the document a second time).

        ``model``: the validated motion whose to_dict() ``build`` returns (plus "deleted"). Then only
        the stamps this edit sets are checked, not the whole motion again: a pushed document was
        validated field by field before the transaction began.
        """
        document = self.document(motion_id)
        before = self.canonical(motion_id, document) if document else None
        after = build(before)
        changes = [["deleted", True, False]] if before is None else changeset.diff(before, after)
        if not changes:
            return None
        moment, stamp, at = self._stamps()
        user = user or self.user
        touched = _touched(changes) if before is not None else set()  # a new motion's items are stamped as given
        stamped = _stamped(after, stamp, touched, user)
        if before is not None:
            changes = changeset.diff(before, stamped)  # whole items added now carry their stamps
        if model is None:
            motion = Motion.from_dict(model_part(stamped), where="motion")
            own = motion.to_dict()
        else:  # after is the model's to_dict() and the stamps are checked: stamped is the new model's document
            motion = _stamped_model(model, at, touched, user)
            own = stamped  # with "deleted", which _content sets again: no copy without it
        entry = recorded(self._data.generation + 1, moment, user, action, changes, undoes=undoes, source=source)
        content = self._content(document or {}, own, after, entry, imported)
        if synced is not None:
            content["synced"] = synced
        self._data.put(MOTIONS, motion_id, content)
        self.staged[motion_id] = None if after["deleted"] else motion
        return motion

    def _stamps(self) -> tuple[datetime, str, datetime]:
        """The moment of this transaction's edits, as the clock gave it, as a stamp, and as the model reads that
        stamp: one for all of them, as they share one ``seq`` (the file writes them at once). Read once, not
        per edit: a push of 4,000 motions read the clock, wrote its stamp and parsed it again 4,000 times."""
        if self._moment is None:
            moment = self.clock()
            stamp = iso_timestamp(moment)
            assert stamp is not None  # a moment always has one
            at = parse_timestamp(stamp, "motion.updated")
            assert at is not None  # a stamp names a moment
            self._moment = moment, stamp, at
        return self._moment

    def _content(self, document: Doc, own: Doc, after: Doc, entry: Doc, imported: Doc | None) -> Doc:
        """The document to store: the motion, whether it is deleted, its history with the new ``entry``
        (history.recorded), and the bookkeeping the old ``document`` carried."""
        content = own  # made by this apply for it alone: filled in, not copied (a dict of twenty keys per motion)
        content["deleted"], content["history"] = after["deleted"], [*document.get("history", []), entry]
        base = imported if imported is not None else document.get("imported")
        if base is not None:
            content["imported"] = base  # the source's last values, so the next import can tell edits apart
        for key in KEPT:
            if key in document:
                content[key] = document[key]
        synced = content.get("synced")
        if synced is not None and "base" not in synced:  # agreed on the motion as it was (store/sync/state.py)
            content["synced"] = synced = {**synced, "base": pushed_form(document)}
        if synced is not None and entry["action"] != SYNC:  # an edit here: the next push looks at this motion
            content["synced"] = {**synced, "dirty": True}
        if self.revisions or "rev" in document:  # once on the sync server, always counted
            content["rev"] = document.get("rev", 0) + 1
            content["seq"] = entry["seq"]
        return content

    def note(
        self,
        motion_id: str,
        key: str,
        value: Any,
        action: str | None = None,
        changes: list[list[Any]] | None = None,
        source: str | None = None,
    ) -> None:
        """Set a document's bookkeeping ``key`` (no part of the motion, kept across edits: KEPT); with
        ``action``, recorded in the motion's history as an entry with ``changes`` from ``source``."""
        document = self.document(motion_id)
        assert document is not None and key in KEPT
        history = document.get("history", [])
        if action is not None:
            listed = [[path, old, new] for path, old, new in changes or ()]  # each a list of three, as apply's
            entry = recorded(self._data.generation + 1, self._stamps()[0], self.user, action, listed, source=source)
            history = [*history, entry]
        self._data.put(MOTIONS, motion_id, {**document, key: value, "history": history})

    def set_sync_meta(
        self,
        motion_id: str,
        *,
        synced: Any = KEEP,
        conflicts: Any = KEEP,
        refused: Any = KEEP,
        known: Doc | None = None,
    ) -> None:
        """Set a document's sync bookkeeping (see store/sync/state.py), which is no part of the motion:
        an empty value removes it, KEEP leaves it. Written as just the fields that change (a patch): recording
        the answer to a full push of 50,000 motions wrote each motion whole again, 100 MB, and then the file.
        ``known``: the bookkeeping as the caller knows it stands (a push's motion sent as its line holds it,
        which it still is), so that the document is not read."""
        document = known if known is not None else self.document(motion_id)
        assert document is not None
        given = (("synced", synced), ("conflicts", conflicts), ("refused", refused))
        changed = {
            key: value or None for key, value in given if value is not KEEP and document.get(key) != (value or None)
        }
        if changed:
            self._data.patch(MOTIONS, motion_id, changed)

    def withdraw(self, motion_id: str) -> None:
        """Forget a motion this copy may no longer read (the sync server withdrew it, store/sync/access.py):
        a bare tombstone in its place, without its fields, history or bookkeeping, so nothing of it stays in
        the file and nothing is pushed; a later pull that brings it again takes it whole."""
        self._data.put(MOTIONS, motion_id, {"id": motion_id, "title": "-", "deleted": True, "withdrawn": True})
        self._data.rewrite()
        self.staged[motion_id] = None


def model_part(document: Doc) -> Doc:
    """A stored document without what is no part of the motion: copied whole, those few keys dropped (a
    comprehension testing each key took a third longer; a push's client and a pull's server call it per motion)."""
    part = dict(document)
    for key in NOT_MODEL:
        part.pop(key, None)
    return part


def pushed_form(document: Doc) -> Doc:
    """A motion document as a push sends it: its motion and whether it is deleted, no bookkeeping."""
    part = model_part(document)
    part["deleted"] = bool(document.get("deleted"))  # after the motion's fields, as it always was
    return part


def exchanged(document: Doc, where: str) -> tuple[Doc, Motion]:
    """A document a sync exchanges (a push's on the server, a pull's here), validated as a file's is, and as
    this program writes it, with whether it is deleted: nothing else beside the motion is kept. Where the
    document is already written so (``Motion.read``), a copy of it, not the motion's to_dict() made anew."""
    motion, as_written = Motion.read(document, where=where, ignore=_BESIDE_THE_MOTION)
    own = dict(document) if as_written else motion.to_dict()
    own["deleted"] = bool(document.get("deleted", False))
    return own, motion


_BESIDE_THE_MOTION = frozenset({"deleted"})  # what an exchanged document holds beside the motion's fields


def live(motion: Motion) -> Doc:
    """What ``build`` returns for a motion that is not deleted."""
    return {**motion.to_dict(), "deleted": False}


def replaced_by(document: Doc) -> Callable[[Doc | None], Doc]:
    """A ``build`` for :meth:`Transaction.apply` whose new document does not depend on the one before."""
    return lambda _before: document


def _touched(changes: list[list[Any]]) -> set[int]:
    """The numbers of the items an edit changes: they get its stamps."""
    return {number for number, _ in map(changeset.split, (change[0] for change in changes)) if number}


def _stamped(after: Doc, stamp: str, touched: set[int], user: str) -> Doc:
    """``after`` with the bookkeeping fields set for this edit."""
    result = {**after, "updated": stamp}
    if not result.get("created"):  # an imported motion keeps the day it was first recorded
        result["created"] = stamp
    items = result.get("items", [])
    result["items"] = (
        [{**item, "updated": stamp, "updated_by": user} if item["number"] in touched else item for item in items]
        if touched
        else items
    )
    return result


def _stamped_model(motion: Motion, at: datetime, touched: set[int], user: str) -> Motion:
    """What Motion.from_dict makes of _stamped's document, for a ``motion`` validated before it was
    stamped with the moment ``at`` (read from the stamp: Transaction._stamps): only the user's name is
    checked (it comes from the server's tokens file)."""
    items = motion.items
    if touched:
        items = tuple(
            replace_item(item, updated=at, updated_by=check_line(user, f"motion.items[{item.number - 1}].updated_by"))
            if item.number in touched
            else item
            for item in items
        )
    return replace_motion(motion, created=motion.created or at, updated=at, items=items)
