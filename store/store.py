"""The one public API for reading and changing motions.

The dashboard, the command line and sync all go through :class:`Store`; every edit takes the same path: validate ->
lock -> re-read only if another process wrote -> apply -> append history -> one atomic write -> unlock (the apply
step is :class:`store.edit.Transaction`; sync's bookkeeping is in store/sync/state.py, the server's in sync/backend.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator, MutableMapping
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from store import unread
from store.config import SETTINGS
from store.edit import BEFORE_HISTORY, KEEP, MOTIONS, NOT_MODEL, REPORTS, SOURCES, Doc, Transaction, live
from store.errors import BadInput, LockTimeout, NotFound, StoreFileError
from store.fields import MOTION_FIELDS, check_editable
from store.file.bulk import collector_paused
from store.file.changelog import Mark
from store.file.documents import Stored, copied, learnt_from, same, stored
from store.file.index import IndexBasis, Preview, write_index
from store.file.names import StoreFiles
from store.file.parts import before_history
from store.file.protocol import DataFile
from store.file.storage import AtomicJSONStorage
from store.file.transaction import TransactionMiddleware
from store.file.written import lines_written
from store.history import CREATE, DELETE, EDIT, HistoryEntry, entries_of
from store.imports import ImportResult, merge_imported
from store.items import ItemRef, ItemValues, edit_items, item_of
from store.model import Item, Motion, new_items
from store.queries import find_motion
from store.sync.state import Conflict, Refusal, SyncBook, SyncState
from store.undo import last_write, undo_last
from store.values import ItemStatus, now

if TYPE_CHECKING:
    from store.folding import Haystacks  # the search's: not loaded at every command's start

CACHE_FROM = 500  # lines to build at least before the models' cache is read or kept: fewer parse as quickly


class Store:
    """A motion store in one data file, safe to share between processes."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        user: str,
        backups: int = SETTINGS["backups"].default,
        lock_timeout: float = SETTINGS["lock_timeout"].default,
        clock: Callable[[], datetime] = now,
        revisions: bool = False,
    ) -> None:
        storage = AtomicJSONStorage(path, backups=backups)
        storage.journal_share = 1 if revisions else None  # the server's file: its pushes go to the journal
        storage.parsed = revisions
        self.files: StoreFiles = storage.files  # the data file's companions, its path resolved (store/file/names.py)
        self.path = storage.path
        self.user = user
        self.revisions = revisions  # the sync server's file: every write raises the document's rev
        self.clock = clock  # when edits happen; fixed in screenshots and snapshot tests
        self._backups, self._lock_timeout = backups, lock_timeout
        self._data: DataFile = TransactionMiddleware(storage, lock_timeout=lock_timeout)
        self._models: dict[str, Motion] = {}
        self._built_from: dict[str, Stored] = {}  # the line or document each model was read from, kept while that stays
        self._seen: Any = object()  # the file signature _models was built from
        self._cached = False  # whether the cache held the models of this version of the data file (store/modelcache.py)
        self._kept: Any = None  # that cache, once asked
        self._entries = partial(entries_of, self.path)  # a document's history entries (motion id, document)
        self._sync = SyncBook(self)
        self._index_due: bool | None = None  # in bulk(): whether a whole write left the list's index behind

    def close(self) -> None:
        self._data.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def reopened(self, *, with_models: bool = False) -> Store:
        """Another handle on the same file with the same settings, for another thread (a Store is not shared between
        threads; the file lock keeps the two apart as it does two processes). ``with_models``: holding this one's
        models, so that its read of another version parses only the lines that differ (see :meth:`rewritten`)."""
        handle = Store(self.path, clock=self.clock, revisions=self.revisions, **self.settings())
        if with_models:
            handle._models, handle._built_from = dict(self._models), dict(self._built_from)
        return handle

    def settings(self) -> dict[str, Any]:
        """Who edits, and how the file is kept (backups, lock timeout): how another handle on it is opened, in another
        thread (:meth:`reopened`) or another process (store/sync/apart.py)."""
        return {"user": self.user, "backups": self._backups, "lock_timeout": self._lock_timeout}

    # --- reading ------------------------------------------------------------------

    def refresh(self) -> bool:
        """Pick up another process's write; True if the motions changed."""
        before = self._seen
        self._snapshot()
        return self._seen != before

    def rewritten(self) -> bool:
        """Whether the data file was written whole (or over, or first) since this handle read it: its next read then
        reads every line (0.3 to 0.5 s at 50,000 motions), which a :meth:`reopened` handle can do in a thread."""
        seen, now = self._data.signature, self.on_disk()
        return seen is not None if now is None else seen is None or now != seen[:3]

    def on_disk(self) -> tuple[int, int, int] | None:
        """The data file's version now (StoreFiles.version): for a caller that remembers one it could not read."""
        return self.files.version()

    @property
    def generation(self) -> int:
        return self._data.generation

    def preview(self, min_size: int = 0, head: int | None = None) -> Preview | None:
        """The motion list before the store is read: from the index beside the data file, brought
        forward by the journal (see store/file/index.py); with ``head``, only the list's first motions,
        at most that many. None once the store has been read, when there is no usable index, or when
        the data file is smaller than ``min_size`` bytes (and reading it costs less): then read the store."""
        if self._data.signature is not None:
            return None
        return unread.preview(self._data, self.path, min_size, head, self._validated)

    def glance(self, motion_id: str) -> Motion | None:
        """The motion as the file has it now, read alone as a one-motion command reads it, nothing of it kept in this
        handle; None where that would take reading the whole file, or the motion is not there (store/unread.py)."""
        return unread.glance(self._data, motion_id, self._validated)

    def save_preview(self, min_size: int = 0, kept: IndexBasis | None = None) -> None:
        """Write the index of the motion list for the store as it is now, if the data file has
        ``min_size`` bytes (the dashboard does when it started without a usable index); writers do
        so whenever they write the data file whole. ``kept``: see write_index."""
        self._snapshot()
        signature = self._data.signature
        if self._data.base is not None and signature is not None and signature.size >= min_size:
            write_index(self.path, self._data.base, self.generation, self._models, kept)

    def keep_models(self, haystacks: Haystacks, *, written: bool = False) -> Callable[[], None] | None:
        """Once the store is read: what keeps its models and the search's ``haystacks`` for the next read of this
        version of the data file (store/modelcache.py), to call in any thread; None if not wanted. ``written``: once
        this handle wrote it whole with many models not read from it (a first pull), those (store/file/written.py)."""
        if written:  # no read first: a command on one motion reads no more, and another's write since is seen below
            staged = self._data.wrote_whole and len(self._models) - len(self._built_from) >= CACHE_FROM
            built_from = lines_written(self.files, self._data.signature, self._models) if staged else None
        else:
            self._snapshot()
            wanted = not (self._cached or self._partial() or len(self._built_from) < CACHE_FROM)
            built_from = dict(self._built_from) if wanted else None
        return None if not built_from else partial(self._model_cache().keep, dict(self._models), built_from, haystacks)

    def kept_haystacks(self) -> Haystacks:
        """The search's haystacks kept with the models read from the cache; taken once."""
        return self._model_cache().taken()

    def motions(self) -> list[Motion]:
        """All motions that are not deleted, in the order they were added."""
        return list(self._snapshot().values())

    def focus(self, ref: str) -> None:
        """What follows touches only the motion ``ref`` names: read only it and the journal, if the offsets
        sidecar is current (store/file/offsets.py); whatever asks for more reads the whole store."""
        self._data.focus = ref

    def get(self, motion_id: str) -> Motion:
        models = self._snapshot(everything=False)
        if motion_id not in models and self._partial():
            models = self._snapshot()
        try:
            return models[motion_id]
        except KeyError:
            raise NotFound("No motion matches {ref}.", ref=repr(motion_id)) from None

    def find(self, ref: str) -> Motion:
        """A motion by its id, its reference number (Drucksachen-Nr.) or a unique id prefix."""
        return find_motion(self._snapshot(everything=ref != self._data.focus), ref)  # the focus is chosen as here

    def item(self, motion: Motion, number: int) -> Item:
        return item_of(motion, number)

    def history(self, motion_id: str | None = None) -> list[HistoryEntry]:
        """Recorded changes, oldest first; of one motion or of all."""
        documents = self.documents(everything=motion_id is None)
        if motion_id not in documents and self._partial():
            documents = self.documents()
        chosen = [motion_id] if motion_id else list(documents)
        entries = [
            entry for doc_id in chosen if doc_id in documents for entry in self._entries(doc_id, documents[doc_id])
        ]
        return sorted(entries, key=lambda entry: entry.seq)

    # --- the stored documents, for sync (store/sync/state.py, store/sync/backend.py) ---------

    def documents(self, *, everything: bool = True) -> MutableMapping[str, Doc]:
        """Every stored motion document by id, tombstones and bookkeeping included, as the file has it
        now (inside a transaction: with its writes so far), each parsed when read; write with a transaction."""
        self._snapshot(everything=everything)
        return (self._data.read() or {}).get(MOTIONS, {})

    def written_since(self, mark: Mark | None) -> tuple[Mark, list[str] | None]:
        """The mark to pass next time, and the ids of the motion documents written since ``mark``
        (None if that is not known, or no mark was given: then any may have been)."""
        changed = None if mark is None else self._data.changed_since(mark)
        ids = None if changed is None else [doc_id for table, doc_id in changed if table == MOTIONS]
        return self._data.mark, ids

    def canonical(self, motion_id: str, document: Doc) -> Doc:
        """A document of :meth:`documents` as the model writes it, plus "deleted": so a diff shows only
        real changes, and the sync server sends no more than the motion."""
        model = self._models.get(motion_id) or self._validated(document, motion_id)
        return {**model.to_dict(), "deleted": bool(document.get("deleted"))}

    def source(self, name: str) -> Doc:
        """What is remembered for an import source or a sync server ({} if nothing)."""
        self._snapshot()
        return ((self._data.read() or {}).get(SOURCES) or {}).get(name) or {}

    def report_records(self) -> dict[str, Doc]:
        """The recorded status reports by key, as the file has them (store/reports.py reads them)."""
        self._snapshot()
        return dict((self._data.read() or {}).get(REPORTS) or {})

    # --- sync's bookkeeping: store/sync/state.py ---------------------------------------

    def conflicts(self) -> list[Conflict]:
        """The unresolved sync conflicts: fields both this copy and the server changed differently."""
        return self._sync.conflicts()

    def resolve(self, motion_id: str, path_prefix: str, choice: str) -> list[Conflict]:
        """Settle the conflicts of a motion's own fields (``"motion"``) or of one item (``"items.N"``),
        keeping ``"mine"`` or taking ``"theirs"``; the settled conflicts."""
        return self._sync.resolve(motion_id, path_prefix, choice)

    def refused(self) -> list[Refusal]:
        """The changes here the sync server refused (the token's role may not make them)."""
        return self._sync.refused()

    def drop_refused(self, motion_id: str) -> None:
        """Give up a refused change: the motion as last agreed with the server."""
        self._sync.drop_refused(motion_id)

    def sync_cursor(self, remote: str) -> str | None:
        """Where the last pull from the sync server ``remote`` stopped."""
        return self._sync.cursor(remote)

    def sync_state(self, remote: str) -> SyncState:
        """Pending edits, open conflicts and the last completed sync with ``remote``; cheap at any size."""
        return self._sync.state(remote)

    def unsynced(self) -> list[tuple[str, int, Doc]]:
        """What the next push sends: (id, base rev, document) of each motion changed since its base."""
        return self._sync.unsynced()

    # --- editing ------------------------------------------------------------------

    def add_motion(self, motion: Motion) -> Motion:
        def build(before: Doc | None) -> Doc:
            if before is not None and not before["deleted"]:
                raise BadInput("{where}: a motion with id {id} exists already.", where="id", id=motion.id)
            return live(motion)

        with self.transaction() as tx:
            applied = tx.apply(motion.id, CREATE, build)
        assert applied is not None  # a new document always differs from none
        return applied

    def update_motion(self, motion_id: str, **fields: Any) -> Motion:
        """Change the motion's own fields, e.g. ``title=...``, ``status=MotionStatus.DECIDED``."""
        check_editable(fields, MOTION_FIELDS, "update_motion")
        return self._edit(motion_id, lambda motion: replace(motion, **fields))

    def add_item(self, motion_id: str, title: str) -> Motion:
        def add(motion: Motion) -> Motion:
            (item,) = new_items([title], where="item title")
            return replace(motion, items=(*motion.items, replace(item, number=len(motion.items) + 1)))

        return self._edit(motion_id, add)

    def set_item(
        self,
        motion_id: str,
        number: int,
        *,
        status: ItemStatus = KEEP,
        note: str = KEEP,
        department: str = KEEP,
        assignee: str = KEEP,
        due: date | None = KEEP,
        title: str = KEEP,
    ) -> Motion:
        """Change fields of one item; the hot path of the whole product."""
        given = dict(status=status, note=note, department=department, assignee=assignee, due=due, title=title)
        changed = {name: value for name, value in given.items() if value is not KEEP}
        return self.set_items([(motion_id, number)], changed)[0]

    def set_items(self, items: Iterable[ItemRef], values: ItemValues) -> list[Motion]:
        """Change fields of several items, of one motion or several, in one write: one history entry per
        motion, all with one ``seq``, so one undo takes back the whole change (store/items.py). ``values``:
        the fields to set, the same for every item, or a function of the item as the file holds it."""
        items = list(items)
        alone = {motion_id for motion_id, _number in items}
        with self.transaction(focused=alone.pop() if len(alone) == 1 else None) as tx:
            return edit_items(tx, self.get, items, values)

    def delete_motion(self, motion_id: str) -> Motion:
        """Delete a motion; it stays in the file as a tombstone, so undo can bring it back."""
        with self.transaction() as tx:
            current = self.get(motion_id)
            return tx.apply(motion_id, DELETE, lambda before: {**(before or {}), "deleted": True}) or current

    def undo(self) -> list[HistoryEntry]:
        """Take back this user's last change (one write, whatever it touched) that is not yet undone;
        returns what was undone. Reads only its motion if the journal holds it (store/undo.py)."""
        return undo_last(self, self._data, self._entries)

    def next_undo(self) -> list[HistoryEntry]:
        """What :meth:`undo` would take back now (nothing written), so the dashboard can ask first."""
        return [entry for _document, entry in last_write(self.documents(), self._data, self.user, self._entries)]

    def redo(self) -> list[HistoryEntry]:
        """Bring back what this user's last undo took back, unless they made a new edit since; returns
        the changes brought back (the entries the undo had taken back). Reads as :meth:`undo` does."""
        return undo_last(self, self._data, self._entries, redo=True)

    def import_motions(
        self,
        motions: Iterable[Motion],
        *,
        managed: Collection[str],
        source: str | None = None,
        cursor: str | None = None,
    ) -> ImportResult:
        """Add or update motions from an outside source (a letter, OParl), all in one write. A motion's id comes from
        the source, so importing again finds it. The fields in ``managed`` follow the source, except where a person
        changed them since the last import: those are kept (and reported). Items come from the source only when the
        motion is new; a motion deleted here stays deleted. ``cursor`` is remembered for ``source`` (see
        :meth:`import_cursor`). A motion given twice goes in once (see merge_imported)."""
        with self.transaction() as tx:
            result = merge_imported(tx, motions, managed, lambda motion_id: self._models[motion_id], self._validated)
            if source is not None and cursor is not None:
                tx.set_source(source, {"cursor": cursor})
        return result

    def import_cursor(self, source: str) -> str | None:
        """Where the last import from ``source`` stopped (e.g. the time of an OParl fetch)."""
        cursor = self.source(source).get("cursor")
        return cursor if isinstance(cursor, str) else None

    # --- the one edit path --------------------------------------------------------

    @contextmanager
    def transaction(self, *, focused: str | None = None) -> Iterator[Transaction]:
        """The data file's lock held and its tables current: every write of the :class:`Transaction`
        is written once when the block ends, and none if it raises. ``focused``: the id of the only
        motion it touches; if that is the one in :meth:`focus`, the tables may hold only that one."""
        if self._data.focus != focused:
            self._data.focus = None
        with self._data.transaction():
            self._snapshot(everything=False)
            focused_only = self._partial()
            started = self._data.generation
            tx = Transaction(self._data, self.canonical, user=self.user, clock=self.clock, revisions=self.revisions)
            yield tx
        for motion_id, motion in tx.staged.items():
            self._built_from.pop(motion_id, None)  # the model is the staged one now, not the one built from that
            if motion is None:
                self._models.pop(motion_id, None)
            else:
                self._models[motion_id] = motion
        # The models were current when the transaction began (under the lock) and now hold what it staged; its
        # other writes (sync bookkeeping, cursors) touch no model. So they match the file just written, and need
        # not be rebuilt from it (a second at 10,000 motions after every sync transaction). After a focused read
        # written whole, the file holds every motion and the models only some.
        self._seen = object() if focused_only and self._data.wrote_whole else self._data.signature
        if self._data.generation != started and self._data.wrote_whole and not self.revisions:
            # The index of the list must name the file's new version (not on the sync server, whose file no
            # dashboard opens). Of the models just written, not read again: that would take in writes since.
            if self._index_due is not None:
                self._index_due = True
            elif focused_only or self._data.base is None:  # the models hold only the motion in focus
                self.save_preview()
            else:
                write_index(self.path, self._data.base, self.generation, self._models)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """For a sync's large transactions: the journal takes them all, the file is written whole after them
        if the journal outgrew its usual share, and the list's index once (not after each whole write)."""
        self._index_due = False
        models = dict(self._snapshot())  # after a bulk that changed none, the index needs only a new first line
        kept = IndexBasis(self._data.base, self.generation, models)
        try:
            with self._data.bulk():
                yield
            with suppress(LockTimeout), self.transaction():  # another process writing: the next write compacts
                self._data.compact()
        finally:
            due, self._index_due = self._index_due, None
        if due:  # not after a failure: then the next start reads the store first, and writes the index
            self.save_preview(kept=kept)

    @contextmanager
    def lock_wait(self, seconds: float) -> Iterator[None]:
        """Transactions begun in this block wait at most ``seconds`` for another process's lock, 0:
        they try it once and raise :class:`LockTimeout` at once, having read and written nothing. The
        dashboard edits so on its own thread, and waits the full ``lock_timeout`` in a worker only
        when the lock was busy."""
        kept, self._data.lock_timeout = self._data.lock_timeout, seconds
        try:
            yield
        finally:
            self._data.lock_timeout = kept

    def _edit(self, motion_id: str, mutate: Callable[[Motion], Motion]) -> Motion:
        with self.transaction() as tx:
            current = self.get(motion_id)
            return tx.apply(motion_id, EDIT, lambda _before: live(mutate(current))) or current

    # --- reading the file -----------------------------------------------------------

    def _snapshot(self, *, everything: bool = True) -> dict[str, Motion]:
        """The live motions, rebuilt only when the file changed since we last looked; with
        ``everything`` False perhaps only those of a :meth:`focus`."""
        if everything:
            self._data.focus = None
        tables = self._data.read()
        signature = self._data.signature
        if signature != self._seen:
            with collector_paused():  # 55,000 models at 10,000 motions, none in a cycle: see store/file/bulk.py
                self._build_models((tables or {}).get(MOTIONS, {}))
            self._seen = signature
        return self._models

    def _build_models(self, documents: MutableMapping[str, Doc]) -> None:
        """Validate the live documents into models, except those a model was built from already (the same
        object, the line a whole write copied from it as it was, or the same line in another version of the file),
        or kept for that line in the cache."""
        models: dict[str, Motion] = {}
        built_from: dict[str, Stored] = {}
        lines = stored(documents)
        keys = list(lines)
        worth = len(keys) - len(self._models) >= CACHE_FROM
        cached = self._model_cache().reused(lines) if worth else {}
        self._cached = bool(cached) and self._model_cache().exact if worth else self._cached
        for motion_id in keys:
            motion, built = self._models.get(motion_id), self._built_from.get(motion_id)
            line = lines[motion_id]
            if (
                motion is None
                or built is None
                or not (built is line or copied(built, line, motion_id) or same(built, line))
            ):
                motion = cached.get(motion_id) or self._line_model(documents, motion_id)
                if motion is None:  # deleted
                    continue
            else:
                learnt_from(line, built)  # for the next whole write, which then copies the line as it is
            models[motion_id] = motion
            built_from[motion_id] = line
        if len(lines) != len(keys):  # a line held more than one document: store/file/documents.py
            return self._build_models(documents)
        self._models, self._built_from = models, built_from

    def _line_model(self, documents: MutableMapping[str, Doc], motion_id: str) -> Motion | None:
        document = before_history(documents, motion_id, BEFORE_HISTORY)
        return None if document.get("deleted") else self._validated(document, motion_id)

    def _model_cache(self) -> Any:
        if self._kept is None:
            from store.modelcache import ModelCache  # with hashlib and marshal, 8 ms of every command's start

            self._kept = ModelCache(self.files)
        return self._kept

    def _partial(self) -> bool:  # whether the tables read hold only the motion in focus
        return bool(self._data.signature and self._data.signature.partial)

    def _validated(self, document: Doc, motion_id: str) -> Motion:
        """The document's motion, which must carry the id it is filed under."""
        try:
            motion = Motion.from_dict(document, where=f"{self.path}: motion {motion_id}", ignore=NOT_MODEL)
        except BadInput as error:
            raise StoreFileError(error.msgid, **error.params) from None
        if motion.id != motion_id:
            detail = f"motion key {motion_id} holds id {motion.id}"
            raise StoreFileError("{path}: {detail}", path=self.path, detail=detail)
        return motion
