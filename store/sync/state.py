"""A sync client's bookkeeping in the local store: what waits to be pushed, open conflicts, cursors.

Every motion document the client has synced carries ``"synced": {"rev": <server rev>, "base": <the
document as last agreed with the server>, "dirty": true once edited here since}`` and, while a
three-way merge found fields both sides changed differently, ``"conflicts": {path: {"mine": ...,
"theirs": ...}}`` (see store/sync/client.py); while the server refused the local change (its token's role
may not make it, store/sync/access.py), ``"refused": {"reason": <the server's>, "doc": <what was pushed>}``:
that change is not pushed again until the motion is edited again here or the user drops it. None of
this reaches the model. ``base`` is left out while it is the motion as it stands, its stamps aside
(see :func:`base_of`): after a push or a pull nearly every document is so, and a copy of each in the
file made it twice as large, and a sync's whole write of it twice as long. An edit keeps the motion as it
was as ``base`` before it changes it (store/edit.py). Per server, the ``sources`` table keeps where the last pull stopped, when the
last sync completed, and who the token is (``GET /me``: ``"me"``), for the dashboard offline.

The :class:`store.Store` methods ``conflicts``, ``resolve``, ``sync_cursor``, ``sync_state`` and
``unsynced`` are answered by its :class:`SyncBook`.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from store import changes as changeset
from store.edit import KEEP, Doc, Transaction, pushed_form
from store.errors import BadInput, NotFound
from store.file.changelog import Mark
from store.file.documents import Line, Stored
from store.file.parts import line_of, part_line
from store.history import SYNC
from store.i18n import add_catalog
from store.sync.access import ROLES, Who

if TYPE_CHECKING:
    from store.store import Store


@dataclass(frozen=True)
class Conflict:
    """A field (or a whole item) that this copy and the sync server changed differently."""

    motion_id: str
    motion: str  # the reference number or title, to show
    path: str  # "title", "items.3.status", "items.6"
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class Refusal:
    """A change here the sync server refused: the token's role may not make it."""

    motion_id: str
    motion: str  # the reference number or title, to show
    reason: str  # the server's words (English)


@dataclass(frozen=True)
class SyncState:
    """What the dashboard shows of sync: edits waiting to go out, open conflicts, the last good sync."""

    pending: int  # motions changed here since they were last agreed with the server
    conflicts: int  # fields both sides changed differently, waiting for a person
    last_synced: datetime | None
    who: Who | None = None  # who the token is, as the server last said (None: not known, e.g. never synced)
    refused: int = 0  # changes here the server refused, waiting for the user to drop them


class SyncBook:
    """The sync bookkeeping of one store, read through its public API. Every book of a store shares what
    it knows of which documents are marked (the store's own, and the sync client's: store/sync/client.py)."""

    def __init__(self, store: Store) -> None:
        # Weakly: a store keeps a book of its own, and the cycle of the two kept every store the dashboard let go of
        # (the handle it replaces after another process's whole write) for the cycle collector, which never looks
        # at what the dashboard froze: each handle's lines and tables stayed, some 15 MB at 50,000 motions.
        self._store_of = weakref.ref(store)

    @property
    def _store(self) -> Store:
        store = self._store_of()
        if store is None:  # a book is used through its store, or while its store is held (store/sync/client.py)
            raise ReferenceError("the store of this sync book is gone")
        return store

    def conflicts(self) -> list[Conflict]:
        """The unresolved sync conflicts: fields both this copy and the server changed differently."""
        found: list[Conflict] = []
        for doc_id, document in self._marked_documents(lambda facts: facts.conflicts > 0):
            for path, values in sorted((document.get("conflicts") or {}).items()):
                found.append(
                    Conflict(
                        doc_id,
                        _shown_name(doc_id, document),
                        path,
                        values.get("mine"),
                        values.get("theirs"),
                    )
                )
        return found

    def refused(self) -> list[Refusal]:
        """The changes here the sync server refused (see the module's doc)."""
        return [
            Refusal(doc_id, _shown_name(doc_id, document), str(document["refused"].get("reason", "")))
            for doc_id, document in self._marked_documents(lambda facts: facts.refused)
        ]

    def drop_refused(self, motion_id: str) -> None:
        """Give up a refused change: the motion goes back to what was last agreed with the server (a motion
        the server never had is deleted here)."""
        with self._store.transaction() as tx:
            document = tx.document(motion_id)
            if not (document or {}).get("refused"):
                raise NotFound("No refused change of motion {motion}.", motion=motion_id[:8])
            assert document is not None
            synced, base = document.get("synced"), base_of(document)
            if base is not None:
                tx.apply(motion_id, SYNC, lambda _before: copy.deepcopy(base))
            else:
                tx.apply(motion_id, SYNC, lambda before: {**(before or {}), "deleted": True})
            kept = {key: value for key, value in synced.items() if key != "dirty"} if synced else KEEP
            tx.set_sync_meta(motion_id, synced=kept, refused=None)

    def resolve(self, motion_id: str, path_prefix: str, choice: str) -> list[Conflict]:
        """Settle the conflicts of a motion's own fields (``"motion"``) or of one item (``"items.N"``).

        ``"mine"`` keeps this copy's values, ``"theirs"`` takes the server's through the edit path;
        either way the conflict entries go, so the next sync pushes the decision.
        """
        if choice not in ("mine", "theirs"):
            raise BadInput("{where}: expected mine or theirs, got {value}.", where="resolve", value=repr(choice))

        def matches(path: str) -> bool:
            if path_prefix == "motion":
                return not path.startswith("items.")
            return path == path_prefix or path.startswith(path_prefix + ".")

        with self._store.transaction(focused=motion_id) as tx:
            pending = dict((tx.document(motion_id) or {}).get("conflicts") or {})
            chosen = {path: values for path, values in pending.items() if matches(path)}
            if not chosen:
                raise NotFound("No conflict in {what} of motion {motion}.", what=path_prefix, motion=motion_id[:8])
            if choice == "theirs":
                tx.apply(motion_id, SYNC, lambda before: _theirs(before, chosen))
            rest = {path: values for path, values in pending.items() if path not in chosen}
            synced = (tx.document(motion_id) or {}).get("synced")
            tx.set_sync_meta(motion_id, synced={**synced, "dirty": True} if synced else KEEP, conflicts=rest)
        return [
            Conflict(motion_id, "", path, values.get("mine"), values.get("theirs"))
            for path, values in sorted(chosen.items())
        ]

    def cursor(self, remote: str) -> str | None:
        """Where the last pull from the sync server ``remote`` stopped."""
        return self._store.import_cursor(sync_source(remote))

    def state(self, remote: str) -> SyncState:
        """Pending edits, open conflicts and the last completed sync with ``remote``.

        Cheap at any size: only documents marked dirty since their last sync are compared
        with their base, when they are written, so the dashboard can ask after every edit.
        """
        pending = conflicts = refused = 0
        for _doc_id, facts, _document in self._marked():
            conflicts += facts.conflicts
            pending += facts.pending
            refused += facts.refused
        record = self._store.source(sync_source(remote))
        last = record.get("synced_at")
        return SyncState(
            pending,
            conflicts,
            datetime.fromisoformat(last) if isinstance(last, str) else None,
            who_of_record(record.get("me")),
            refused,
        )

    def unsynced(self) -> list[tuple[str, int, Doc]]:
        """What the next push sends: (id, base rev, document) of each motion changed since its base
        and free of conflicts; 0 as base rev for a motion the server has never had."""
        return list(self.pushable())

    def pushable(self) -> Iterator[tuple[str, int, Doc]]:
        """:meth:`unsynced`, each document read as it is reached: a push sends its first body while it
        reads the others (reading all 50,000 of a full push first kept the server waiting 0.3 s)."""
        return ((doc_id, rev, sent_document(doc)) for doc_id, rev, doc, _stored in self.sent())

    def sent(self) -> Iterator[tuple[str, int, Doc | bytes, Stored]]:
        """:meth:`pushable`, each with the stored version it was read from: while the store holds that very
        object (or its parse, that document), the motion is as it was sent (a stored document is never changed
        in place, store/edit.py). A motion never synced whose line says so is sent as that line holds it,
        serialised (store/file/parts.py ``part_line``): its version is that line."""
        documents = self._store.documents()
        for doc_id, facts, document in self._marked():
            if not facts.pending:
                continue
            if document is None and facts.line is not None:
                part = part_line(documents, doc_id)
                if part is not None and part.version is facts.line:  # still the line its facts were read from
                    yield doc_id, 0, part.part, part.version
                    continue
            document = document if document is not None else documents[doc_id]
            if _unsynced(document):  # as it is now: it may have been written since its facts were
                synced = document.get("synced")
                yield doc_id, synced["rev"] if synced else 0, pushed_form(document), document

    def _marked_documents(self, wanted: Callable[[Facts], bool]) -> Iterator[tuple[str, Doc]]:
        """The marked documents whose facts are ``wanted``, each read only then."""
        documents = self._store.documents()
        for doc_id, facts, document in self._marked():
            if wanted(facts):
                yield doc_id, document if document is not None else documents[doc_id]

    def _marked(self) -> Iterator[tuple[str, Facts, Doc | None]]:
        """The documents sync has to look at (never synced, edited since, or in conflict), with their facts,
        and each document where it was just read (else None).

        After every edit and every sync the dashboard asks; so the ids are kept with their facts, and after a
        write only the documents it changed are read again: at 10,000 motions a pass over all of them took
        6 ms, several times per sync; at 50,000 never synced, all marked, a parse of each (0.3 s) per count.
        """
        documents = self._store.documents()
        mark, marked = _MARKS.get(self._store, (None, {}))
        now, changed = self._store.written_since(mark)
        if changed is None:
            yield from self._scanned(documents, now)
            return
        for doc_id in changed:
            facts, _document = _looked_at(documents, doc_id)
            if facts is not None:
                marked[doc_id] = facts
            else:
                marked.pop(doc_id, None)
        _MARKS[self._store] = (now, marked)
        for doc_id, facts in list(marked.items()):
            yield doc_id, facts, None

    def _scanned(self, documents: MutableMapping[str, Doc], now: Mark) -> Iterator[tuple[str, Facts, Doc | None]]:
        """Every document looked at, the marked ones yielded as they are found; what was found kept as of
        ``now`` once all were looked at (a document written meanwhile is among those written since)."""
        marked: dict[str, Facts] = {}
        for doc_id in list(documents):
            facts, document = _looked_at(documents, doc_id)
            if facts is not None:
                marked[doc_id] = facts
                yield doc_id, facts, document
        _MARKS[self._store] = (now, marked)


def _looked_at(documents: Mapping[str, Doc], doc_id: str) -> tuple[Facts | None, Doc | None]:
    """The facts of a document sync has to look at (None for another), and the document where it was parsed
    for them: where its line tells (:func:`_line_says`), it is not."""
    line, patch = line_of(documents, doc_id)
    says = _line_says(line, patch)
    if says:
        return None, None  # not marked, known without a parse
    if says is None and (facts := _new_by_line(documents, doc_id, line)) is not None:
        return facts, None
    document = documents.get(doc_id)
    return (_facts(document), document) if document is not None and _is_marked(document) else (None, document)


class Facts(NamedTuple):
    """What a marked document counts for in :meth:`SyncBook.state`, kept with its mark."""

    pending: bool  # the next push sends it
    conflicts: int
    refused: bool
    line: Line | None = None  # the line they were read from without a parse (a motion never synced: _new_by_line)


def _facts(document: Doc) -> Facts:
    return Facts(_unsynced(document), len(document.get("conflicts") or ()), bool(document.get("refused")))


# Per store: the ids SyncBook._marked yields, with their facts, as of a mark of the store's writes.
_MARKS: weakref.WeakKeyDictionary[Store, tuple[Mark | None, dict[str, Facts]]] = weakref.WeakKeyDictionary()


def record_sync(tx: Transaction, remote: str, *, cursor: str | None = None, completed: bool = False) -> None:
    """Where the pull from ``remote`` stopped, and (``completed``) now as its last completed sync."""
    found = dict(tx.source(sync_source(remote)))
    if cursor is not None:
        found["cursor"] = cursor
    if completed:
        found["synced_at"] = tx.clock().isoformat(timespec="seconds")
    tx.set_source(sync_source(remote), found)


def record_who(tx: Transaction, remote: str, me: Doc) -> None:
    """Who the token is at ``remote`` (``GET /me``), kept for the dashboard to know offline."""
    found = dict(tx.source(sync_source(remote)))
    if found.get("me") != me:
        tx.set_source(sync_source(remote), {**found, "me": me})


def who_of_record(me: Any) -> Who | None:
    """A ``GET /me`` answer (as the server gave it, or as kept) as a :class:`Who`; None if it is not one."""
    if not isinstance(me, dict) or not isinstance(me.get("user"), str) or me.get("role") not in ROLES:
        return None
    departments = me.get("departments")
    if not isinstance(departments, list) or not all(isinstance(one, str) for one in departments):
        return None
    return Who(me["user"], me["role"], tuple(departments))


def base_of(document: Doc) -> Doc | None:
    """The document as last agreed with the server (in :func:`pushed_form`), None if it never was: its
    ``base``, or where that is left out, the motion as it stands (its stamps, which no comparison of sync
    counts, may be this copy's: store.changes.BOOKKEEPING)."""
    synced = document.get("synced")
    if not synced:
        return None
    base: Doc = synced["base"] if "base" in synced else pushed_form(document)
    return base


def sync_source(remote: str) -> str:
    """The key of a sync server in the store's ``sources`` table."""
    return f"sync {remote.rstrip('/')}"


def _theirs(before: Doc | None, chosen: dict[str, Any]) -> Doc:
    """``before`` with the server's values of the ``chosen`` conflicts; a field of an item no longer here is skipped."""
    assert before is not None
    changes = [
        [path, None, values.get("theirs")]
        for path, values in sorted(chosen.items())
        if changeset.split(path)[1] is None or changeset.value_at(before, changeset.item_path(path)) is not None
    ]
    return changeset.apply(before, changes)


def _shown_name(doc_id: str, document: Doc) -> str:
    return str(document.get("reference") or document.get("title") or doc_id[:8])


def _is_marked(document: Doc) -> bool:
    """Whether sync has to look at a document: never synced, edited since, in conflict, or refused."""
    synced = document.get("synced")
    if synced is None:
        return not document.get("withdrawn")  # a withdrawn motion's stub: nothing to send, nothing to show
    return bool(synced.get("dirty")) or "conflicts" in document or "refused" in document


def _line_says(line: bytes, patch: Doc) -> bool | None:
    """What the line of a document as this program wrote it, with ``patch``, the fields the journal set since
    (after a push: each motion's ``synced``), says of it without a parse: True if it is of a motion synced and
    neither edited nor in conflict nor refused since (then it is not marked: :func:`_is_marked`); None if neither
    holds anything of a sync (:func:`_new_by_line`); False where only a parse tells. Inside a JSON string every
    quote is escaped, so these quoted keys are keys. A synced store's dashboard looks at every document once as
    it starts, and parsing every line for it took as long as the store's read (about 2 s at 50,000 motions)."""
    if not line or any(patch.get(key) is not None for key in _CONFLICTED):
        return False
    if "synced" in patch:
        synced = patch["synced"]
        if not isinstance(synced, dict) or synced.get("dirty"):
            return False
    elif (at := line.find(b'"synced":')) < 0:
        return None if not patch else False
    elif not line.startswith(b"{", at + len(b'"synced":')) or b'"dirty":true' in line:
        return False
    return not any(quoted in line for key, quoted in _CONFLICTED.items() if key not in patch)


# Beside a synced motion's dirty mark, what marks it; with its key as a line holds it.
_CONFLICTED = {key: b'"%s":' % key.encode() for key in ("conflicts", "refused")}


def _new_by_line(documents: Mapping[str, Doc], doc_id: str, line: bytes) -> Facts | None:
    """The facts of a document whose ``line`` holds nothing of a sync (:func:`_line_says`), where its motion is
    known as a push sends it (store/file/parts.py ``part_line``) and no conflict or refusal is in it: a motion
    never synced, pending unless deleted (:func:`_unsynced`). A withdrawn motion's stub has no history, so no
    such part. A full push of 50,000 motions parsed every line for these facts and for what it sent."""
    part = part_line(documents, doc_id)
    if part is None or part.line != line or type(part.version.deleted) is not bool:
        return None
    behind = part.version.motion_end  # what follows the motion: searched alone, a few times faster at 2 KB a line
    if any(line.find(quoted, behind) >= 0 for quoted in _CONFLICTED.values()):
        return None
    return Facts(not part.version.deleted, 0, False, part.version)


def edited_since(tx: Transaction, doc_id: str, sent: Doc | bytes, version: Stored | None) -> bool:
    """Whether a motion was edited here since it was read (as ``version``) and ``sent`` (SyncBook.sent)."""
    current = tx.document(doc_id)
    if current is None or current is version:
        return False
    sent = sent_document(sent)
    return pushed_form(current) != sent and bool(changeset.diff(sent, tx.canonical(doc_id, current)))


def sent_document(doc: Doc | bytes) -> Doc:
    """A document :meth:`SyncBook.sent` gives, parsed where it gave it serialised."""
    return orjson.loads(doc) if isinstance(doc, bytes) else doc


def _unsynced(document: Doc) -> bool:
    """Whether the next push sends this document (see SyncBook.unsynced)."""
    if document.get("conflicts"):
        return False  # a person decides first
    refused = document.get("refused")
    if refused and refused.get("doc") == pushed_form(document):
        return False  # refused as it is: sent again once edited here again, not on every sync
    synced = document.get("synced")
    if not synced:
        return not document.get("deleted")  # new here; deleted before it ever went out: nothing to send
    if not synced.get("dirty"):
        return False
    return "base" in synced and bool(changeset.diff(synced["base"], pushed_form(document)))  # none: base_of()


add_catalog("de", {"No refused change of motion {motion}.": "Keine abgelehnte Änderung an Antrag {motion}."})
