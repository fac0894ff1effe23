"""What the sync server keeps its shared copy in: the changes feed and the bulk write of pushes.

store/sync/server.py speaks HTTP and talks only to :class:`Tenants`, which tell it the user and the
:class:`ServerBackend` of each token: the shared copy of one body (a council). :class:`FileBackend` keeps
the copy in a data file of its own through :class:`store.Store` (the same crash-safe file and lock as a
client's), every write raising the document's ``rev``, and :class:`FileTenants` gives every token of its
tokens file that one body. store/sync/postgres/ implements both on PostgreSQL, with many bodies. Every
backend writes a push through :func:`apply_entries`. The feed and its cursor are described in
docs/sync-protocol.md.

The server's identity (``/info``): an ``id`` made with the data file's first write and an ``epoch`` that
changes when the data file goes back to an older copy (a restored backup), so that a client notices the
server lost writes it had confirmed (store/sync/epoch.py). The backend notices it by keeping the highest
generation it has served in ``DATA.seen`` beside the data file: a restore of the data file (from its own
backups, which ``.seen`` is not one of) brings its generation below that.
"""

from __future__ import annotations

import bisect
import logging
import os
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson

from store.edit import Doc, Transaction, pushed_form, replaced_by
from store.errors import SachstandError
from store.exchange.files import PRIVATE, write_file
from store.file.changelog import Mark
from store.history import CREATE, DELETE, EDIT
from store.model import Motion
from store.store import Store
from store.sync.access import CLERK, Who, may_read, refusal_reason
from store.sync.heap import settle
from store.sync.tokens import load_tokens, who_for

Position = tuple[int, str]  # where a document stands in the changes feed: (seq of its last write, id)
IDENTITY = "sachstand server"  # the sources record of the server's id and epoch in its own data file

log = logging.getLogger("sachstand.server")


class StoredDoc(Mapping[str, Any]):
    """A document of the feed as a backend stores it, the JSON text of its motion (as orjson wrote it) and
    whether it is deleted, parsed when first read: a page a clerk's token reads goes out as it is stored
    (parsing and writing each document again was half of the PostgreSQL server's work in a full pull)."""

    __slots__ = ("_deleted", "_doc", "_text")

    def __init__(self, text: bytes, deleted: bool) -> None:
        self._text, self._deleted = text, deleted
        self._doc: Doc | None = None

    def _parsed(self) -> Doc:
        if self._doc is None:
            self._doc = {**orjson.loads(self._text), "deleted": self._deleted}
        return self._doc

    def __getitem__(self, key: str) -> Any:
        return self._parsed()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._parsed())

    def json(self) -> Doc | orjson.Fragment:
        """What orjson writes as this document: the stored text with "deleted" (which no motion field is)."""
        if self._doc is not None:
            return self._doc
        return orjson.Fragment(self._text[:-1] + (b',"deleted":true}' if self._deleted else b',"deleted":false}'))


@dataclass
class ServerDoc:
    """One document of the changes feed."""

    id: str
    rev: int
    seq: int
    doc: Doc | StoredDoc  # the motion as Motion.to_dict() writes it, plus "deleted"
    by: str = ""  # who wrote this revision (the user of the token that pushed it), if known

    def to_dict(self) -> Doc:
        """As the feed sends it: for orjson.dumps."""
        doc = self.doc.json() if isinstance(self.doc, StoredDoc) else self.doc
        found = {"id": self.id, "rev": self.rev, "seq": self.seq, "doc": doc}
        return {**found, "by": self.by} if self.by else found


@dataclass
class BulkEntry:
    """One document a sync client pushes: validated before the backend is asked to write it."""

    id: str
    base_rev: int
    doc: Doc  # motion.to_dict() plus "deleted"
    motion: Motion


class ServerBackend(Protocol):
    """The shared copy, as the sync server needs it. The server calls one method at a time."""

    def changes(self, since: Position, limit: int) -> tuple[list[ServerDoc], bool]:
        """Up to ``limit`` documents written after ``since``, in feed order; and whether more follow.
        A position past the newest write (a cursor from before a restored backup) starts over."""
        ...

    def end(self) -> Position:
        """The position of the newest write in the feed; (0, "") while there is none."""
        ...

    def following(self, after: Position) -> int:
        """How many documents the feed holds after ``after``: what a pull from there has yet to read."""
        ...

    def bulk(self, entries: list[BulkEntry], who: Who) -> list[Doc]:
        """Write, as ``who`` and all at once, each entry whose ``base_rev`` is the document's rev and whose
        change ``who`` may make; one result per entry (see :func:`apply_entries`)."""
        ...

    def identity(self) -> Doc:
        """``{"id", "epoch", "since", "generation"}`` of the shared copy (see the module's doc); ids "" while empty."""
        ...

    def listen(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` (from any thread, as often as it likes) whenever another process may have written,
        so that requests waiting for changes look again. Called once, at the server's start."""
        ...

    def close(self) -> None: ...


class Tenants(Protocol):
    """Who may use the server, and which body's shared copy each token reaches."""

    # Whether the backends' calls must be made one at a time: the file backend's are not thread-safe.
    serial: bool

    def resolve(self, token: str) -> tuple[Who, ServerBackend] | None:
        """Who a presented token is (user, role, departments) and its body's backend; None for an unknown token."""
        ...

    def listen(self, wake: Callable[[], None]) -> None:
        """:meth:`ServerBackend.listen` for every body."""
        ...

    def close(self) -> None: ...


class FileTenants:
    """One body: the data file of a :class:`FileBackend`, and the users of one tokens file (read on every
    request, so a token made or revoked counts at once)."""

    serial = True

    def __init__(self, backend: FileBackend, tokens: str | os.PathLike[str]) -> None:
        self.backend, self._tokens = backend, Path(tokens)

    def resolve(self, token: str) -> tuple[Who, ServerBackend] | None:
        who = who_for(load_tokens(self._tokens), token)
        return None if who is None else (who, self.backend)

    def listen(self, wake: Callable[[], None]) -> None:
        self.backend.listen(wake)

    def close(self) -> None:
        self.backend.close()


class FileBackend:
    """A :class:`ServerBackend` in one data file."""

    def __init__(self, path: str | os.PathLike[str], *, backups: int, lock_timeout: float) -> None:
        self._store = Store(path, user="sachstand-server", backups=backups, lock_timeout=lock_timeout, revisions=True)
        self._feed: tuple[Mark | None, list[Position], set[str]] = (None, [], set())  # see _feed_order
        self._seen_file = Path(f"{self._store.path}.seen")  # beside the real file, as its other companions
        self._seen = _read_seen(self._seen_file)
        self._settled = False

    def close(self) -> None:
        self._store.close()

    def listen(self, wake: Callable[[], None]) -> None:
        """Nothing to do: one server process owns the data file, and its own writes wake its own requests."""

    def identity(self) -> Doc:
        self._check_lineage()
        record = self._store.source(IDENTITY)
        return {
            "id": record.get("id", ""),
            "epoch": record.get("epoch", ""),
            "since": record.get("since", 0),
            "generation": self._store.generation,
        }

    def changes(self, since: Position, limit: int) -> tuple[list[ServerDoc], bool]:
        self._check_lineage()
        feed = self._feed_order()
        if since[0] > self._store.generation:  # a cursor from before a restored backup: start over
            since = (0, "")
        start = bisect.bisect_right(feed, since)
        documents = self._store.documents()
        page = [_server_doc(doc_id, documents[doc_id], as_stored) for _seq, doc_id in feed[start : start + limit]]
        return page, start + limit < len(feed)

    def end(self) -> Position:
        feed = self._feed_order()
        return feed[-1] if feed else (0, "")

    def following(self, after: Position) -> int:
        feed = self._feed_order()
        return len(feed) - bisect.bisect_right(feed, after)

    def bulk(self, entries: list[BulkEntry], who: Who) -> list[Doc]:
        self._check_lineage()
        _mark, positions, ids = self._feed_current()
        generation = self._store.generation
        with self._store.transaction() as tx:
            if not tx.source(IDENTITY):
                _new_epoch(tx, since=0)
            results = apply_entries(tx, entries, who)
        if self._store.generation == generation + 1:  # no other writer came between: only what this wrote moves
            written = [(generation + 1, doc_id) for doc_id in tx.staged]  # each took the write's seq (store/edit.py)
            self._feed = (self._store.written_since(None)[0], *_moved(positions, ids, written))
        self._saw(self._store.generation)
        settle(len(entries))  # store/sync/heap.py
        return results

    def _check_lineage(self) -> None:
        """A data file whose generation is below the highest one served went back to an older copy: give
        it a new epoch, so every client learns of it at /info and by its cursor."""
        self._store.source(IDENTITY)  # reads the file as it is now
        if not self._settled:  # the documents of the file, read at the first request: see store/sync/heap.py
            settle(len(self._store.documents()))
            self._settled = True
        if self._store.generation >= self._seen:
            return
        log.warning(
            "%s: generation %d, but %d was served: the file went back to an older copy; new epoch",
            self._store.path,
            self._store.generation,
            self._seen,
        )
        with self._store.transaction() as tx:
            if tx.source(IDENTITY):  # an empty file stays without one: /info says the server has nothing
                _new_epoch(tx, since=self._store.generation)
        self._seen = 0
        self._saw(self._store.generation)

    def _saw(self, generation: int) -> None:
        if generation <= self._seen:
            return
        self._seen = generation
        try:
            # Not fsynced: it is written with every push, and a power cut that loses it only costs the
            # notice of a restore made right then (it reads as 0: nothing noticed).
            write_file(self._seen_file, f"{generation}\n".encode(), durable=False, mode=PRIVATE)  # as the data file
        except SachstandError as error:  # the write it follows is done: say so in the log, not to the client
            log.warning("%s", error)

    def _feed_order(self) -> list[Position]:
        return self._feed_current()[1]

    def _feed_current(self) -> tuple[Mark, list[Position], set[str]]:
        """Every document's position, sorted once per version of the file rather than on each page: a
        full pull of 10,000 documents asks for 10 pages or more. After a write only the documents it
        wrote move (sorting all of them after every body of a full push of 50,000 was 0.4 s); after a
        push's own write, without asking the store which (its log of writes starts over every 10,000
        documents, and then all were sorted again). With the ids the feed holds."""
        documents = self._store.documents()
        mark, positions, ids = self._feed
        now, written = self._store.written_since(mark)
        if written is None:
            positions = sorted((document.get("seq", 0), doc_id) for doc_id, document in documents.items())
            ids = {doc_id for _seq, doc_id in positions}
        elif written:
            moved = [(documents[doc_id].get("seq", 0), doc_id) for doc_id in set(written) if doc_id in documents]
            positions, ids = _moved(positions, ids, moved)
        self._feed = (now, positions, ids)
        return self._feed


def _moved(positions: list[Position], ids: set[str], written: list[Position]) -> tuple[list[Position], set[str]]:
    """The feed ``positions`` (of the documents ``ids``) with the ``written`` ones in their new places."""
    new = sorted(written)
    moved = {doc_id for _seq, doc_id in new}
    kept = positions if moved.isdisjoint(ids) else [position for position in positions if position[1] not in moved]
    # A write's documents take its seq, above every other: then they only go to the end. (sorted() of two
    # sorted runs merges them in one pass where they do not.)
    return kept + new if not (kept and new) or kept[-1] < new[0] else sorted(kept + new), ids | moved


def apply_entries(tx: Transaction, entries: list[BulkEntry], who: Who) -> list[Doc]:
    """Write, as ``who``, each entry whose ``base_rev`` is the document's rev and whose change ``who`` may
    make (store/sync/access.py); the results of :meth:`ServerBackend.bulk`, one per entry:
    ``{"id", "ok": True, "rev"}``; ``{"id", "ok": False, "error": "conflict", "rev", "doc", "by"}`` with the
    document as it is (None if there is none); or ``{"id", "ok": False, "error": "forbidden", "reason"}``,
    nothing of it written (and logged). A document ``who`` may not read is refused, never shown in a conflict.
    ``tx`` is a transaction on the shared copy with revisions."""
    results: list[Doc] = []
    for entry in entries:
        document = tx.document(entry.id)
        rev = document.get("rev", 0) if document else 0
        # A clerk's push of the agreed revision (nearly every one) needs no copy of the server's document.
        wanted = rev != entry.base_rev or who.role != CLERK
        current = _server_doc(entry.id, document, tx.canonical) if document is not None and wanted else None
        if rev != entry.base_rev and (current is None or may_read(current.doc, who)):
            found = {"rev": rev, "doc": current.doc if current else None, "by": current.by if current else ""}
            results.append({"id": entry.id, "ok": False, "error": "conflict", **found})
            continue
        reason = refusal_reason(current.doc if current else None, entry.doc, who)
        if reason is not None:
            text = reason.render("en")
            log.warning("refused: token %s (role %s), motion %s: %s", who.user, who.role, entry.id, text)
            results.append({"id": entry.id, "ok": False, "error": "forbidden", "reason": text})
            continue
        deleting = entry.doc["deleted"] and not (document or {}).get("deleted", True)
        action = CREATE if document is None else DELETE if deleting else EDIT
        written = tx.apply(entry.id, action, replaced_by(entry.doc), user=who.user, model=entry.motion)
        results.append({"id": entry.id, "ok": True, "rev": rev + 1 if written is not None else rev})
    return results


def _new_epoch(tx: Transaction, since: int) -> None:
    """A new epoch; ``since``: the write counter it starts after (a document with a higher ``seq`` was
    written in it, e.g. since the restore, by a client that may not have had the writes the server lost)."""
    record = tx.source(IDENTITY)
    tx.set_source(
        IDENTITY, {"id": record.get("id") or secrets.token_hex(8), "epoch": secrets.token_hex(8), "since": since}
    )


def _read_seen(path: Path) -> int:
    """The generation in ``DATA.seen``; 0 if there is none or it is damaged (then nothing is noticed)."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return 0
    return int(text) if text.isdigit() and len(text) <= 18 else 0


def as_stored(_motion_id: str, document: Doc) -> Doc:
    """A server's document as it is sent: its motion as stored, plus "deleted". Every stored document was
    validated when it was written (a file's also when the server read it), and a client validates what it
    receives again; the model's to_dict() for each document of a page was a third of a full pull's time."""
    return pushed_form(document)


def _server_doc(doc_id: str, document: Doc, canonical: Callable[[str, Doc], Doc]) -> ServerDoc:
    history = document.get("history") or [{}]
    by = history[-1].get("by", "")  # the last write's user: the colleague whose change this revision is
    return ServerDoc(doc_id, document.get("rev", 0), document.get("seq", 0), canonical(doc_id, document), by)
