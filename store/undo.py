"""Undo and redo: an edit taken back, or brought back, is one more edit through the one edit path
(:meth:`store.edit.Transaction.apply`). Each takes back or brings back one whole write (one seq), whatever
motions and items it touched; a new edit of the user's own after an undo ends what can be redone.

Undo and redo read only the motion they change when the journal holds the user's last write (its last undo,
for a redo; :func:`undo_last`): every entry in the data file itself is older than the file's generation,
every entry the journal wrote is newer, so a write found in the journal is the last one, and a newer edit
that would end a redo would be in the journal too, whatever the motions not read hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

from store import changes as changeset
from store.edit import MOTIONS, Doc, Transaction
from store.errors import SachstandError, UndoError
from store.file.documents import written
from store.file.protocol import DataFile
from store.history import CREATE, DELETE, EDIT, IMPORT, REDO, SYNC, UNDO, HistoryEntry
from store.i18n import Msg, add_catalog
from store.values import Moment

Entries = Callable[[str, Doc], list[HistoryEntry]]  # the history of a stored document, read and checked
Last = Callable[[Mapping[str, Doc], str, Entries], list[tuple[Doc, HistoryEntry]]]  # last_undoable, last_redoable

# What a person does here by hand, and so may take back. Never what came in: a sync's entries carry this
# copy's user too, and taking one back would revert a colleague's change here and, by the next sync,
# everywhere; an import's would make the source's values look like a person's edit. An undo entry
# only marks what it took back: undo again takes back the edit before. A redo is an edit again.
UNDOABLE = frozenset({CREATE, EDIT, DELETE, REDO})
FRESH = frozenset({CREATE, EDIT, DELETE})  # a new edit: what was undone before it can no longer be redone
CAME_IN = {SYNC: Msg("a sync with the server"), IMPORT: Msg("an import")}  # who changed it, for the message
NOT_UNDONE = Msg("Not undone: {field} of motion {motion} was changed again by {by} at {at}.")
NOT_REDONE = Msg("Not redone: {field} of motion {motion} was changed again by {by} at {at}.")
NOTHING_TO_REDO = Msg("Nothing to redo.")


def last_undoable(documents: Mapping[str, Doc], user: str, entries: Entries) -> list[tuple[Doc, HistoryEntry]]:
    """The history entries of ``user``'s last own edit not yet undone, with their documents, newest first."""
    candidates: list[tuple[Doc, HistoryEntry]] = []
    for motion_id, document in documents.items():
        history = entries(motion_id, document)
        undone = {entry.undoes for entry in history if entry.action == UNDO}
        candidates += [
            (document, entry)
            for entry in history
            if entry.by == user and entry.action in UNDOABLE and entry.seq not in undone
        ]
    return _last_write(candidates)


def last_redoable(documents: Mapping[str, Doc], user: str, entries: Entries) -> list[tuple[Doc, HistoryEntry]]:
    """The entries of ``user``'s last undo not yet redone, with their documents, newest first; none once
    the user made a new edit after it (as in an editor: undo, type, and the redo is gone)."""
    undos: list[tuple[Doc, HistoryEntry]] = []
    redone: set[int | None] = set()
    fresh = 0  # the seq of the user's newest own edit
    for motion_id, document in documents.items():
        for entry in entries(motion_id, document):
            if entry.by != user:
                continue
            if entry.action == UNDO:
                undos.append((document, entry))
            elif entry.action == REDO:
                redone.add(entry.undoes)
            elif entry.action in FRESH:
                fresh = max(fresh, entry.seq)
    return _last_write(
        [(document, entry) for document, entry in undos if entry.seq not in redone and entry.seq > fresh]
    )


def last_write(
    documents: Mapping[str, Doc], data: DataFile, user: str, entries: Entries, last: Last = last_undoable
) -> list[tuple[Doc, HistoryEntry]]:
    """``last`` of ``documents`` (``user``'s last own write, or last undo), looked for first among the
    documents written since the data file was read (by the journal, this process, a sync): every entry of
    a document as the data file holds it is no newer than the file's generation, so a write newer than
    that found among these is the last of all. A look at every document parses each line (store/file/
    documents.py): 0.3 s at 50,000 motions for every undo in the dashboard, which edits through the journal."""
    recent = written(documents)
    if data.base is not None and len(recent) < len(documents):
        targets = last(recent, user, entries)
        if targets and targets[0][1].seq > data.base.generation:
            return targets
    return last(documents, user, entries)


def _last_write(candidates: list[tuple[Doc, HistoryEntry]]) -> list[tuple[Doc, HistoryEntry]]:
    """The candidates of the newest write. One transaction (one seq) may have touched several motions
    or items: undone and redone whole, newest first."""
    if not candidates:
        return []
    last = max(entry.seq for _document, entry in candidates)
    return [pair for pair in reversed(candidates) if pair[1].seq == last]


class Undoing(Protocol):
    """What :func:`undo_last` uses of the store."""

    user: str

    def transaction(self, *, focused: str | None = None) -> AbstractContextManager[Transaction]: ...

    def documents(self, *, everything: bool = True) -> Mapping[str, Doc]: ...


def undo_last(store: Undoing, data: DataFile, entries: Entries, *, redo: bool = False) -> list[HistoryEntry]:
    """Undo (:meth:`store.Store.undo`), or with ``redo`` redo: read only the motion of the user's last write
    (for a redo, their last undo) if the journal holds it (through the offsets sidecar,
    store/file/offsets.py), else the whole store. Under the lock, the write found must still be newer than
    the file read (another process may have written the file whole since the journal was looked at): if
    not, the whole read decides, as it always did."""
    last, act = (last_redoable, bring_back) if redo else (last_undoable, take_back)
    # A store that has read the file (the dashboard's) has every motion at hand: no journal to look at.
    found = _in_journal(data.peek(), store.user, entries, last) if data.signature is None else None
    for focus in dict.fromkeys((found, None)):
        data.focus = focus
        with store.transaction(focused=focus) as tx:
            targets = last_write(store.documents(everything=focus is None), data, tx.user, entries, last)
            if focus is None or _newest(targets, data, focus):
                return act(tx, targets, entries)
    raise AssertionError("the whole read decides")  # the loop's last turn always returns or raises


def _in_journal(peeked: tuple[Any, list[Any]] | None, user: str, entries: Entries, last: Last) -> str | None:
    """The one motion of ``user``'s ``last`` write, if the journal of ``peeked`` holds that write."""
    if peeked is None:
        return None
    base, records = peeked
    written: dict[str, Doc] = {}
    for record in records:
        written.update(record["tables"].get(MOTIONS, {}))
    try:
        targets = last({key: doc for key, doc in written.items() if doc}, user, entries)
    except SachstandError:  # a broken history: the whole read says what is wrong
        return None
    motions = {entry.motion_id for _document, entry in targets}
    return motions.pop() if len(motions) == 1 and targets[0][1].seq > base.generation else None


def _newest(targets: list[tuple[Doc, HistoryEntry]], data: DataFile, focus: str) -> bool:
    """Whether ``targets``, found in a read focused on ``focus``, are the user's last write of all: on that
    motion alone, and written after the file read (a read that was not focused had every motion)."""
    if data.signature is None or not data.signature.partial:
        return True
    return (
        bool(targets)
        and data.base is not None
        and {entry.motion_id for _document, entry in targets} == {focus}
        and targets[0][1].seq > data.base.generation
    )


def reverter(
    document: Doc, entry: HistoryEntry, entries: Entries, refused: str = NOT_UNDONE
) -> Callable[[Doc | None], Doc]:
    """A ``build`` for :meth:`Transaction.apply` that takes back ``entry`` (an edit; for a redo, an undo),
    unless a field it changed was changed again since: by someone else here, or by what a sync or an
    import brought in. Then :class:`UndoError` with the message ``refused``."""

    def revert(before: Doc | None) -> Doc:
        assert before is not None
        for change in entry.changes:
            if changeset.value_at(before, change.path) != change.new:
                later = _later_change(entries(entry.motion_id, document), entry, change.path)
                raise UndoError(
                    refused,
                    field=change.path,
                    motion=before.get("reference") or entry.motion_id[:8],
                    by=(CAME_IN.get(later.action) or later.by) if later else "?",
                    at=Moment(later.at) if later else "?",
                )
        reverse = changeset.inverse([change.path, change.old, change.new] for change in entry.changes)
        return changeset.apply(before, reverse)

    return revert


def take_back(tx: Transaction, targets: list[tuple[Doc, HistoryEntry]], entries: Entries) -> list[HistoryEntry]:
    """Undo in ``tx``: take back ``targets``, the user's last own write not yet undone; the entries taken back."""
    if not targets:
        raise UndoError("Nothing to undo.")
    for document, entry in targets:
        tx.apply(entry.motion_id, UNDO, reverter(document, entry, entries), undoes=entry.seq)
    return [entry for _document, entry in targets]


def bring_back(tx: Transaction, targets: list[tuple[Doc, HistoryEntry]], entries: Entries) -> list[HistoryEntry]:
    """Redo in ``tx``: take back ``targets``, the user's last undo not yet redone; the entries that undo had
    taken back."""
    if not targets:
        raise UndoError(NOTHING_TO_REDO)
    for document, entry in targets:
        tx.apply(entry.motion_id, REDO, reverter(document, entry, entries, NOT_REDONE), undoes=entry.seq)
    return [
        next(undone for undone in entries(entry.motion_id, document) if undone.seq == entry.undoes)
        for document, entry in targets
    ]


def _later_change(history: list[HistoryEntry], entry: HistoryEntry, path: str) -> HistoryEntry | None:
    """The newest entry after ``entry`` that changed ``path``, the whole item it is in, or a field of it."""
    later = [
        other
        for other in history
        if other.seq > entry.seq and any(_overlap(change.path, path) for change in other.changes)
    ]
    return later[-1] if later else None


def _overlap(one: str, other: str) -> bool:
    return one == other or one.startswith(other + ".") or other.startswith(one + ".")


add_catalog(
    "de",
    {
        "a sync with the server": "einem Sync mit dem Server",
        "an import": "einem Import",
        "Not redone: {field} of motion {motion} was changed again by {by} at {at}.": "Nicht wiederhergestellt: "
        "{field} von Antrag {motion} wurde danach von {by} am {at} erneut geändert.",
        "Nothing to redo.": "Nichts wiederherzustellen.",
    },
)
