"""The one public API for reading and changing motions.

The dashboard, the command line and (later) sync all go through :class:`Store`;
every edit takes the same path: validate -> lock -> re-read only if another
process wrote -> apply -> append history -> one atomic write -> unlock.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document, Table

from store import changes as changeset
from store.errors import Ambiguous, BadInput, NotFound, StoreFileError, UndoError
from store.file.bulk import collector_paused
from store.file.index import MotionSummary, read_index, write_index
from store.file.storage import AtomicJSONStorage
from store.file.transaction import TransactionMiddleware
from store.history import CREATE, DELETE, EDIT, IMPORT, SYNC, UNDO, FieldChange, HistoryEntry
from store.model import Item, ItemStatus, Motion, check_line, iso_timestamp, new_items, now, parse_timestamp

MOTIONS = "motions"
SOURCES = "sources"  # per import source (e.g. an OParl body): where the last import stopped

Doc = dict[str, Any]

# A sentinel for "leave this field as it is", where None means "clear it".
KEEP: Any = type("Keep", (), {"__repr__": lambda self: "KEEP"})()


@dataclass
class ServerDoc:
    """One document of the sync server's changes feed (see docs/sync-protocol.md)."""

    id: str
    rev: int
    seq: int
    doc: Doc  # the motion as Motion.to_dict() writes it, plus "deleted"

    def to_dict(self) -> Doc:
        return {"id": self.id, "rev": self.rev, "seq": self.seq, "doc": self.doc}


@dataclass(frozen=True)
class Conflict:
    """A field (or a whole item) that this copy and the sync server changed differently."""

    motion_id: str
    motion: str  # the reference number or title, to show
    path: str  # "title", "items.3.status", "items.6"
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class SyncState:
    """What the dashboard shows of sync: edits waiting to go out, open conflicts, the last good sync."""

    pending: int  # motions changed here since they were last agreed with the server
    conflicts: int  # fields both sides changed differently, waiting for a person
    last_synced: datetime | None


@dataclass
class BulkEntry:
    """One document a sync client pushes: validated before the server's transaction starts."""

    id: str
    base_rev: int
    doc: Doc  # motion.to_dict() plus "deleted"
    motion: Motion


@dataclass
class ImportResult:
    added: list[Motion] = field(default_factory=list)
    updated: list[Motion] = field(default_factory=list)
    kept: list[tuple[Motion, list[str]]] = field(default_factory=list)  # fields a person had changed
    unchanged: int = 0


class _MotionTable(Table):
    """Documents keyed by the motion's UUID: stable across processes and machines."""

    document_id_class = str
    default_query_cache_capacity = 0  # another process may change the file at any time


class _Database(TinyDB):
    table_class = _MotionTable


class Store:
    """A motion store in one data file, safe to share between processes."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        user: str,
        backups: int = 3,
        lock_timeout: float = 10.0,
        clock: Callable[[], datetime] = now,
        revisions: bool = False,
    ) -> None:
        self.path = Path(path)
        self.user = user
        self.revisions = revisions  # the sync server's file: every write raises the document's rev
        self.clock = clock  # when edits happen; fixed in screenshots and snapshot tests
        self._backups, self._lock_timeout = backups, lock_timeout
        self._db = _Database(
            self.path, storage=TransactionMiddleware(AtomicJSONStorage, lock_timeout=lock_timeout), backups=backups
        )
        self._storage: Any = self._db.storage  # the middleware; forwards to AtomicJSONStorage
        self._table = self._db.table(MOTIONS)
        self._sources = self._db.table(SOURCES)
        self._models: dict[str, Motion] = {}
        self._built_from: dict[str, Doc] = {}  # the document each model was read from, to keep it while that stays
        self._seen: Any = object()  # the file signature _models was built from
        self._staged: dict[str, Motion | None] = {}
        self._feed: tuple[Any, list[tuple[int, str]]] = (None, [])  # the sync server's changes feed, see _feed_order
        self._marks: tuple[Any, dict[str, None]] = (None, {})  # the ids _marked yields, as of a storage mark

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def reopened(self) -> Store:
        """Another handle on the same file with the same settings, for another thread (a Store is
        not shared between threads; the file lock keeps the two apart as it does two processes)."""
        return Store(
            self.path,
            user=self.user,
            backups=self._backups,
            lock_timeout=self._lock_timeout,
            clock=self.clock,
            revisions=self.revisions,
        )

    # --- reading ------------------------------------------------------------------

    def refresh(self) -> bool:
        """Pick up another process's write; True if the motions changed."""
        before = self._seen
        self._snapshot()
        return self._seen != before

    @property
    def generation(self) -> int:
        return self._storage.generation

    def preview(self, min_size: int = 0) -> list[MotionSummary] | None:
        """The motion list before the store is read: from the index beside the data file, brought
        forward by the journal (see store/file/index.py). None once the store has been read, when
        there is no usable index, or when the data file is smaller than ``min_size`` bytes (and
        reading it costs less than waiting for it): then read the store."""
        if self._storage.signature is not None:
            return None
        try:
            if self.path.stat().st_size < min_size:
                return None
        except OSError:
            return None
        peeked = self._storage.peek()
        found = read_index(self.path, peeked[0]) if peeked else None
        if peeked is None or found is None:
            return None
        base, records = peeked
        indexed, summaries = found
        if indexed > (records[-1]["generation"] if records else base.generation):
            return None  # an index ahead of the files it names: not of these files
        try:
            for record in records:
                if record["generation"] <= indexed:
                    continue
                for doc_id, document in record["tables"].get(MOTIONS, {}).items():
                    if document is None or document.get("deleted"):
                        summaries.pop(doc_id, None)
                    else:
                        summaries[doc_id] = MotionSummary.of(self._validated(document, doc_id))
        except StoreFileError:
            return None  # reading the store will say what is wrong with it
        return list(summaries.values())

    def save_preview(self, min_size: int = 0) -> None:
        """Write the index of the motion list for the store as it is now, if the data file has
        ``min_size`` bytes (the dashboard does when it started without a usable index); writers do
        so whenever they write the data file whole."""
        self._snapshot()
        signature = self._storage.signature
        if self._storage.base is not None and signature is not None and signature.size >= min_size:
            write_index(self.path, self._storage.base, self.generation, self._models.values())

    def motions(self) -> list[Motion]:
        """All motions that are not deleted, in the order they were added."""
        return list(self._snapshot().values())

    def get(self, motion_id: str) -> Motion:
        try:
            return self._snapshot()[motion_id]
        except KeyError:
            raise NotFound("No motion matches {ref}.", ref=repr(motion_id)) from None

    def find(self, ref: str) -> Motion:
        """A motion by its id, its reference number (Drucksachen-Nr.) or a unique id prefix."""
        models = self._snapshot()
        wanted = ref.strip()
        if wanted in models:
            return models[wanted]
        folded = " ".join(wanted.split()).casefold()
        by_reference = [
            m for m in models.values() if m.reference and " ".join(m.reference.split()).casefold() == folded
        ]
        if len(by_reference) == 1:
            return by_reference[0]
        by_prefix = [m for m in models.values() if wanted and m.id.startswith(wanted.lower())]
        matches = by_reference or by_prefix
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NotFound("No motion matches {ref}.", ref=repr(ref))
        raise Ambiguous(
            "{ref} matches {count} motions: {candidates}. Give more of the id.",
            ref=repr(ref),
            count=len(matches),
            candidates=", ".join(m.id[:13] for m in matches[:5]),
        )

    def item(self, motion: Motion, number: int) -> Item:
        found = motion.item(number)
        if found is None:
            raise NotFound(
                "Motion {motion} has no item {number}; its items are 1 to {last}.",
                motion=motion.reference or motion.id[:8],
                number=number,
                last=len(motion.items),
            )
        return found

    def history(self, motion_id: str | None = None) -> list[HistoryEntry]:
        """Recorded changes, oldest first; of one motion or of all."""
        self._snapshot()
        documents = [self._document(motion_id)] if motion_id else self._table.all()
        entries = [entry for document in documents if document for entry in self._entries(document)]
        return sorted(entries, key=lambda entry: entry.seq)

    # --- editing ------------------------------------------------------------------

    def add_motion(self, motion: Motion) -> Motion:
        def build(before: Doc | None) -> Doc:
            if before is not None and not before["deleted"]:
                raise BadInput("{where}: a motion with id {id} exists already.", where="id", id=motion.id)
            return _live(motion)

        with self._transaction():
            return self._apply(motion.id, CREATE, build)

    def update_motion(self, motion_id: str, **fields: Any) -> Motion:
        """Change the motion's own fields, e.g. ``title=...``, ``status=MotionStatus.DECIDED``."""
        unknown = set(fields) - _EDITABLE_MOTION_FIELDS
        if unknown:
            raise TypeError(f"not editable: {sorted(unknown)}")
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
        given = {
            name: value
            for name, value in (
                ("status", status),
                ("note", note),
                ("department", department),
                ("assignee", assignee),
                ("due", due),
                ("title", title),
            )
            if value is not KEEP
        }

        def change(motion: Motion) -> Motion:
            return motion.with_item(replace(self.item(motion, number), **given))

        return self._edit(motion_id, change)

    def delete_motion(self, motion_id: str) -> Motion:
        """Delete a motion; it stays in the file as a tombstone, so undo can bring it back."""
        with self._transaction():
            current = self.get(motion_id)
            return self._apply(motion_id, DELETE, lambda before: {**before, "deleted": True}) or current

    def undo(self) -> list[HistoryEntry]:
        """Take back this user's last change that is not yet undone; returns what was undone."""
        with self._transaction():
            targets = self._last_undoable()
            if not targets:
                raise UndoError("Nothing to undo.")
            for document, entry in targets:
                self._apply(entry.motion_id, UNDO, self._reverter(document, entry), undoes=entry.seq)
        return [entry for _document, entry in targets]

    def import_motions(
        self,
        motions: Iterable[Motion],
        *,
        managed: Collection[str],
        source: str | None = None,
        cursor: str | None = None,
    ) -> ImportResult:
        """Add or update motions from an outside source (a letter, OParl), all in one write.

        A motion's id comes from the source, so importing again finds it. The fields in
        ``managed`` follow the source, except where a person changed them since the last
        import: those are kept (and reported). Items come from the source only when the
        motion is new; a motion deleted here stays deleted. ``cursor`` is remembered for
        ``source`` (see :meth:`import_cursor`).
        """
        result = ImportResult()
        with self._transaction():
            for incoming in motions:
                theirs = incoming.to_dict()
                base = {name: theirs[name] for name in managed}
                document = self._document(incoming.id)
                if document is None:
                    result.added.append(
                        self._apply(incoming.id, IMPORT, lambda _before, new=incoming: _live(new), imported=base)
                    )
                elif document.get("deleted"):
                    result.kept.append((self._validated(document), ["deleted"]))
                else:
                    current = self._models[incoming.id]
                    merged, kept = changeset.merge_fields(
                        document.get("imported", {}), current.to_dict(), theirs, managed
                    )
                    changed = self._apply(
                        incoming.id, IMPORT, lambda _before, new=merged: {**new, "deleted": False}, imported=base
                    )
                    if changed:
                        result.updated.append(changed)
                    if kept:
                        result.kept.append((changed or current, kept))
                    if not changed and not kept:
                        result.unchanged += 1
            if source is not None and cursor is not None:
                self._put(SOURCES, source, {"cursor": cursor})
        return result

    def import_cursor(self, source: str) -> str | None:
        """Where the last import from ``source`` stopped (e.g. the time of an OParl fetch)."""
        self._snapshot()
        found = self._sources.get(doc_id=source)
        return found.get("cursor") if found else None

    # --- the sync client ------------------------------------------------------------

    def conflicts(self) -> list[Conflict]:
        """The unresolved sync conflicts: fields both this copy and the server changed differently."""
        found: list[Conflict] = []
        for doc_id, document in self._marked():
            for path, values in sorted((document.get("conflicts") or {}).items()):
                found.append(
                    Conflict(
                        doc_id,
                        document.get("reference") or document.get("title") or doc_id[:8],
                        path,
                        values.get("mine"),
                        values.get("theirs"),
                    )
                )
        return found

    def resolve(self, motion_id: str, path_prefix: str, choice: str) -> list[Conflict]:
        """Settle the conflicts of a motion's own fields (``"motion"``) or of one item (``"items.N"``).

        ``"mine"`` keeps this copy's values, ``"theirs"`` takes the server's through the edit path;
        either way the conflict entries go, so the next sync pushes the decision.
        """
        if choice not in ("mine", "theirs"):
            raise ValueError(choice)

        def matches(path: str) -> bool:
            if path_prefix == "motion":
                return not path.startswith("items.")
            return path == path_prefix or path.startswith(path_prefix + ".")

        with self._transaction():
            document = self._document(motion_id)
            pending = dict((document or {}).get("conflicts") or {})
            chosen = {path: values for path, values in pending.items() if matches(path)}
            if not chosen:
                raise NotFound("No conflict in {what} of motion {motion}.", what=path_prefix, motion=motion_id[:8])
            if choice == "theirs":

                def take(before: Doc | None) -> Doc:
                    assert before is not None
                    changes = [
                        [path, None, values.get("theirs")]
                        for path, values in sorted(chosen.items())
                        if changeset.split(path)[1] is None
                        or changeset.value_at(before, changeset.item_path(path)) is not None
                    ]
                    return changeset.apply(before, changes)

                self._apply(motion_id, SYNC, take)
            rest = {path: values for path, values in pending.items() if path not in chosen}
            synced = self._document(motion_id).get("synced")  # type: ignore[union-attr]
            self._set_sync_meta(motion_id, synced={**synced, "dirty": True} if synced else KEEP, conflicts=rest)
        return [
            Conflict(motion_id, "", path, values.get("mine"), values.get("theirs"))
            for path, values in sorted(chosen.items())
        ]

    def sync_cursor(self, remote: str) -> str | None:
        """Where the last pull from the sync server ``remote`` stopped."""
        return self.import_cursor(_sync_source(remote))

    def sync_state(self, remote: str) -> SyncState:
        """Pending edits, open conflicts and the last completed sync with ``remote``.

        Cheap at any size: only documents marked dirty since their last sync are compared
        with their base, so the dashboard can ask after every edit.
        """
        pending = conflicts = 0
        for _doc_id, document in self._marked():
            conflicts += len(document.get("conflicts") or ())
            pending += _unsynced(document)
        found = self._sources.get(doc_id=_sync_source(remote)) or {}
        last = found.get("synced_at")
        return SyncState(pending, conflicts, datetime.fromisoformat(last) if isinstance(last, str) else None)

    def unsynced(self) -> list[tuple[str, int, Doc]]:
        """What the next push sends: (id, base rev, document) of each motion changed since its base
        and free of conflicts; 0 as base rev for a motion the server has never had."""
        found = []
        for doc_id, document in self._marked():
            if _unsynced(document):
                synced = document.get("synced")
                found.append((doc_id, synced["rev"] if synced else 0, pushed_form(document)))
        return found

    def _marked(self) -> Iterator[tuple[str, Doc]]:
        """The documents sync has to look at: never synced, edited since, or in conflict.

        After every edit and every sync the dashboard asks; so the ids are kept, and after a write
        only the documents it changed are looked at again: at 10,000 motions a pass over all of them
        took 6 ms, several times per sync.
        """
        self._snapshot()
        documents = self._storage.read().get(MOTIONS, {})
        mark, marked = self._marks
        changed = None if mark is None else self._storage.changed_since(mark)
        if changed is None:
            marked = {doc_id: None for doc_id, document in documents.items() if _is_marked(document)}
        else:
            for table, doc_id in changed:
                if table != MOTIONS:
                    continue
                if doc_id in documents and _is_marked(documents[doc_id]):
                    marked[doc_id] = None
                else:
                    marked.pop(doc_id, None)
        self._marks = (self._storage.mark, marked)
        for doc_id in list(marked):
            yield doc_id, documents[doc_id]

    def _record_sync(self, remote: str, *, cursor: str | None = None, completed: bool = False) -> None:
        """Inside a transaction: where the pull stopped, and (``completed``) now as the last completed sync."""
        found = dict(self._sources.get(doc_id=_sync_source(remote)) or {})
        if cursor is not None:
            found["cursor"] = cursor
        if completed:
            found["synced_at"] = self.clock().isoformat(timespec="seconds")
        self._put(SOURCES, _sync_source(remote), found)

    def _set_sync_meta(self, motion_id: str, *, synced: Any = KEEP, conflicts: Any = KEEP) -> None:
        """Inside a transaction: set a document's sync bookkeeping, which is no part of the motion."""
        document = self._document(motion_id)
        assert document is not None
        content = dict(document)
        for key, value in (("synced", synced), ("conflicts", conflicts)):
            if value is KEEP:
                continue
            if value:
                content[key] = value
            else:
                content.pop(key, None)
        if content != dict(document):
            self._put(MOTIONS, motion_id, content)

    # --- the sync server ------------------------------------------------------------

    def server_changes(self, since: tuple[int, str], limit: int) -> tuple[list[ServerDoc], bool]:
        """Documents written after the position ``since`` = (seq, id), in (seq, id) order; and whether more follow."""
        feed = self._feed_order()
        if since[0] > self.generation:  # a cursor from before a restored backup: start over
            since = (0, "")
        start = bisect.bisect_right(feed, since)
        documents = (self._storage.read() or {}).get(MOTIONS, {})
        page = [self._server_doc(Document(documents[doc_id], doc_id)) for _seq, doc_id in feed[start : start + limit]]
        return page, start + limit < len(feed)

    def server_end(self) -> tuple[int, str]:
        """The position of the newest write in the changes feed."""
        feed = self._feed_order()
        return feed[-1] if feed else (0, "")

    def _feed_order(self) -> list[tuple[int, str]]:
        """Every document's position (seq, id), sorted once per version of the file rather than on each
        page: a full pull of 10,000 documents asks for 10 pages or more."""
        self._snapshot()
        if self._feed[0] != self._storage.signature:
            documents = (self._storage.read() or {}).get(MOTIONS, {})
            self._feed = (
                self._storage.signature,
                sorted(_position(doc_id, document) for doc_id, document in documents.items()),
            )
        return self._feed[1]

    def server_bulk(self, entries: list[BulkEntry], user: str) -> list[Doc]:
        """Write the pushed documents whose ``base_rev`` is current, all in one transaction, as ``user``."""
        results: list[Doc] = []
        with self._transaction():
            for entry in entries:
                document = self._document(entry.id)
                rev = document.get("rev", 0) if document else 0
                if rev != entry.base_rev:
                    current = self._server_doc(document).doc if document else None
                    results.append({"id": entry.id, "ok": False, "error": "conflict", "rev": rev, "doc": current})
                    continue
                deleting = entry.doc["deleted"] and not (document or {}).get("deleted", True)
                action = CREATE if document is None else DELETE if deleting else EDIT
                written = self._apply(
                    entry.id, action, lambda _before, new=entry.doc: new, user=user, model=entry.motion
                )
                results.append({"id": entry.id, "ok": True, "rev": rev + 1 if written is not None else rev})
        return results

    def _server_doc(self, document: Document) -> ServerDoc:
        return ServerDoc(document.doc_id, document.get("rev", 0), document.get("seq", 0), self._canonical(document))

    # --- the one edit path --------------------------------------------------------

    def _edit(self, motion_id: str, mutate: Callable[[Motion], Motion]) -> Motion:
        with self._transaction():
            current = self.get(motion_id)
            return self._apply(motion_id, EDIT, lambda _before: _live(mutate(current))) or current

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._staged = {}
        try:
            with self._storage.transaction():
                self._snapshot()
                started = self._storage.generation
                yield
            for motion_id, motion in self._staged.items():
                if motion is None:
                    self._models.pop(motion_id, None)
                else:
                    self._models[motion_id] = motion
            # The models were current when the transaction began (under the lock) and now hold what
            # it staged; its other writes (sync bookkeeping, cursors) touch no model. So they match
            # the file just written, and need not be rebuilt from it: at 10,000 motions that took a
            # second after every sync transaction.
            self._seen = self._storage.signature
            if self._storage.generation != started and self._storage.wrote_whole and not self.revisions:
                # The index of the list must name the file's new version. Not on the sync server,
                # whose file no dashboard opens: its bulk writes would pay for it.
                self.save_preview()
        finally:
            self._staged = {}

    def _apply(
        self,
        motion_id: str,
        action: str,
        build: Callable[[Doc | None], Doc],
        undoes: int | None = None,
        imported: Doc | None = None,
        user: str | None = None,
        model: Motion | None = None,
    ) -> Motion | None:
        """Inside a transaction: compute the new document, validate, record, stage the write.

        ``model``: the validated motion whose to_dict() ``build`` returns (plus "deleted"). Then only
        the stamps this edit sets are checked, not the whole motion again: a pushed document was
        validated field by field before the transaction began.
        """
        document = self._document(motion_id)
        before = self._canonical(document) if document else None
        after = build(before)
        if before is None:
            changes = [["deleted", True, False]]
        else:
            changes = changeset.diff(before, after)
        if not changes:
            return None
        moment = self.clock()
        user = user or self.user
        stamp, touched = iso_timestamp(moment), _touched(changes)
        stamped = _stamped(after, stamp, touched, user)
        if before is not None:
            changes = changeset.diff(before, stamped)  # whole items added now carry their stamps
        if model is None:
            motion = Motion.from_dict(_model_part(stamped), where="motion")
            own = motion.to_dict()
        else:  # after is the model's to_dict() and the stamps are checked: stamped is the new model's document
            motion = _stamped_model(model, stamp, touched, user)
            own = _model_part(stamped)
        entry = HistoryEntry(
            seq=self._storage.generation + 1,
            at=moment,
            by=user,
            motion_id=motion_id,
            action=action,
            changes=tuple(FieldChange(*change) for change in changes),
            undoes=undoes,
        )
        history = [*(document or {}).get("history", []), entry.to_dict()]
        content = {**own, "deleted": after["deleted"], "history": history}
        base = imported if imported is not None else (document or {}).get("imported")
        if base is not None:
            content["imported"] = base  # the source's last values, so the next import can tell edits apart
        for key in _SYNC_META:
            if key in (document or {}):
                content[key] = document[key]
        if "synced" in content and action != SYNC:  # an edit here: the next push looks at this motion
            content["synced"] = {**content["synced"], "dirty": True}
        if self.revisions or "rev" in (document or {}):  # once on the sync server, always counted
            content["rev"] = (document or {}).get("rev", 0) + 1
            content["seq"] = entry.seq
        self._put(MOTIONS, motion_id, content)
        self._staged[motion_id] = None if after["deleted"] else motion
        return motion

    def _put(self, table: str, doc_id: str, content: Doc) -> None:
        """Inside a transaction: set one document. The write happens once, when the transaction ends.

        Not through TinyDB's Table, which converts every document id of the table on each call
        (with 10,000 motions that alone cost more than the rest of an edit) and would make the
        storage write the whole file rather than append the documents to its journal.
        """
        self._storage.put(table, doc_id, content)

    def _reverter(self, document: Doc, entry: HistoryEntry) -> Callable[[Doc | None], Doc]:
        def revert(before: Doc | None) -> Doc:
            assert before is not None
            for change in entry.changes:
                if changeset.value_at(before, change.path) != change.new:
                    later = self._later_change(document, entry, change.path)
                    raise UndoError(
                        "Not undone: {field} of motion {motion} was changed again by {by} at {at}.",
                        field=change.path,
                        motion=before.get("reference") or entry.motion_id[:8],
                        by=later.by if later else "?",
                        at=later.at.isoformat(timespec="minutes") if later else "?",
                    )
            reverse = changeset.inverse([change.path, change.old, change.new] for change in entry.changes)
            return changeset.apply(before, reverse)

        return revert

    def _later_change(self, document: Doc, entry: HistoryEntry, path: str) -> HistoryEntry | None:
        later = [
            other
            for other in self._entries(document)
            if other.seq > entry.seq and any(change.path == path for change in other.changes)
        ]
        return later[-1] if later else None

    def _last_undoable(self) -> list[tuple[Doc, HistoryEntry]]:
        candidates: list[tuple[Doc, HistoryEntry]] = []
        for document in self._table.all():
            entries = self._entries(document)
            undone = {entry.undoes for entry in entries if entry.undoes is not None}
            candidates += [
                (document, entry)
                for entry in entries
                if entry.by == self.user and entry.action != UNDO and entry.seq not in undone
            ]
        if not candidates:
            return []
        last = max(entry.seq for _document, entry in candidates)
        # One transaction (one seq) may have touched several motions: undo it whole, newest first.
        return [pair for pair in reversed(candidates) if pair[1].seq == last]

    # --- reading the file -----------------------------------------------------------

    def _snapshot(self) -> dict[str, Motion]:
        """The live motions, rebuilt only when the file changed since we last looked."""
        tables = self._storage.read()
        signature = self._storage.signature
        if signature != self._seen:
            with collector_paused():  # 55,000 models at 10,000 motions, none in a cycle: see store/file/bulk.py
                self._build_models((tables or {}).get(MOTIONS, {}))
            self._seen = signature
        return self._models

    def _build_models(self, documents: dict[str, Doc]) -> None:
        """Validate the live documents into models, except those a model was built from already.

        The storage keeps a document that another process's write left unchanged as the same object,
        so after such a write only the motions it changed are validated again.
        """
        models: dict[str, Motion] = {}
        built_from: dict[str, Doc] = {}
        for motion_id, document in documents.items():
            if document.get("deleted"):
                continue
            motion = self._models.get(motion_id)
            if motion is None or self._built_from.get(motion_id) is not document:
                motion = self._validated(document, motion_id)
            models[motion_id] = motion
            built_from[motion_id] = document
        self._models, self._built_from = models, built_from

    def _validated(self, document: Doc, motion_id: str | None = None) -> Motion:
        """The document's motion, which must carry the id it is filed under (``motion_id``, or a Document's own)."""
        if isinstance(document, Document):
            motion_id = document.doc_id
        where = f"{self.path}: motion {motion_id or '?'}"
        try:
            motion = Motion.from_dict(document, where=where, ignore=_NOT_MODEL)
        except BadInput as error:
            raise StoreFileError(error.msgid, **error.params) from None
        if motion_id is not None and motion.id != motion_id:
            raise StoreFileError(
                "{path}: {detail}", path=self.path, detail=f"motion key {motion_id} holds id {motion.id}"
            )
        return motion

    def _document(self, motion_id: str) -> Document | None:
        return self._table.get(doc_id=motion_id)

    def _canonical(self, document: Document) -> Doc:
        """The document as the model writes it, so a diff shows only real changes."""
        model = self._models.get(document.doc_id) or self._validated(document)
        return {**model.to_dict(), "deleted": bool(document.get("deleted"))}

    def _entries(self, document: Doc) -> list[HistoryEntry]:
        motion_id = document.doc_id if isinstance(document, Document) else document["id"]
        try:
            return [HistoryEntry.from_dict(raw, motion_id) for raw in document.get("history", [])]
        except (KeyError, TypeError, ValueError, BadInput) as error:
            raise StoreFileError(
                "{path}: {detail}", path=self.path, detail=f"motion {motion_id}: broken history entry ({error})"
            ) from None


_EDITABLE_MOTION_FIELDS = frozenset(Motion.__dataclass_fields__) - {"id", "items", "created", "updated"}


def _model_part(document: Doc) -> Doc:
    return {key: value for key, value in document.items() if key not in _NOT_MODEL}


_NOT_MODEL = frozenset({"history", "deleted", "imported", "rev", "seq", "synced", "conflicts"})
_SYNC_META = ("synced", "conflicts")  # a sync client's bookkeeping, kept across edits


def _sync_source(remote: str) -> str:
    return f"sync {remote.rstrip('/')}"


def _is_marked(document: Doc) -> bool:
    """Whether sync has to look at a document: never synced, edited since, or in conflict."""
    synced = document.get("synced")
    return synced is None or bool(synced.get("dirty")) or "conflicts" in document


def _unsynced(document: Doc) -> bool:
    """Whether the next push sends this document (see Store.unsynced)."""
    if document.get("conflicts"):
        return False  # a person decides first
    synced = document.get("synced")
    if not synced:
        return not document.get("deleted")  # new here; deleted before it ever went out: nothing to send
    if not synced.get("dirty"):
        return False
    return bool(changeset.diff(synced["base"], pushed_form(document)))


def pushed_form(document: Doc) -> Doc:
    """A motion document as a push sends it: its motion and whether it is deleted, no bookkeeping."""
    return {**_model_part(document), "deleted": bool(document.get("deleted"))}


def _position(doc_id: str, document: Doc) -> tuple[int, str]:
    """Where a document stands in the sync server's changes feed."""
    return document.get("seq", 0), doc_id


def _live(motion: Motion) -> Doc:
    return {**motion.to_dict(), "deleted": False}


def _touched(changes: list[list[Any]]) -> set[int]:
    """The numbers of the items an edit changes: they get its stamps."""
    return {number for number, _ in map(changeset.split, (change[0] for change in changes)) if number}


def _stamped(after: Doc, stamp: str, touched: set[int], user: str) -> Doc:
    """``after`` with the bookkeeping fields set for this edit."""
    result = {**after, "updated": stamp}
    if not result.get("created"):  # an imported motion keeps the day it was first recorded
        result["created"] = stamp
    result["items"] = [
        {**item, "updated": stamp, "updated_by": user} if item["number"] in touched else item
        for item in result.get("items", [])
    ]
    return result


def _stamped_model(motion: Motion, stamp: str, touched: set[int], user: str) -> Motion:
    """What Motion.from_dict makes of _stamped's document, for a ``motion`` validated before it was
    stamped: only the stamps are checked (the user's name comes from the server's tokens file)."""
    at = parse_timestamp(stamp, "motion.updated")
    items = tuple(
        replace(item, updated=at, updated_by=check_line(user, f"motion.items[{item.number - 1}].updated_by"))
        if item.number in touched
        else item
        for item in motion.items
    )
    return replace(motion, created=motion.created or at, updated=at, items=items)


def open_store(config: Any) -> Store:
    """The store a :class:`store.config.Config` names; makes the default data folder on first use."""
    if config.db_is_default:
        config.db.parent.mkdir(parents=True, exist_ok=True)
    return Store(config.db, user=config.user, backups=config.backups, lock_timeout=config.lock_timeout)
