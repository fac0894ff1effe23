"""What the sync server keeps its shared copy in: the changes feed and the bulk write of pushes.

store/sync/server.py speaks HTTP and talks only to a :class:`ServerBackend`. :class:`FileBackend` keeps
the copy in a data file of its own through :class:`store.Store` (the same crash-safe file and lock as a
client's), every write raising the document's ``rev``; another backend (a database) would implement the
same few methods. The feed and its cursor are described in docs/sync-protocol.md.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from store.edit import Doc, replaced_by
from store.file.storage import Mark
from store.history import CREATE, DELETE, EDIT
from store.model import Motion
from store.store import Store

Position = tuple[int, str]  # where a document stands in the changes feed: (seq of its last write, id)


@dataclass
class ServerDoc:
    """One document of the changes feed."""

    id: str
    rev: int
    seq: int
    doc: Doc  # the motion as Motion.to_dict() writes it, plus "deleted"

    def to_dict(self) -> Doc:
        return {"id": self.id, "rev": self.rev, "seq": self.seq, "doc": self.doc}


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

    def bulk(self, entries: list[BulkEntry], user: str) -> list[Doc]:
        """Write, as ``user`` and all at once, each entry whose ``base_rev`` is the document's rev; one
        result per entry: ``{"id", "ok": True, "rev"}``, or ``{"id", "ok": False, "error": "conflict",
        "rev", "doc"}`` with the document as it is (None if there is none)."""
        ...

    def close(self) -> None: ...


class FileBackend:
    """A :class:`ServerBackend` in one data file."""

    def __init__(self, path: str | os.PathLike[str], *, backups: int, lock_timeout: float) -> None:
        self._store = Store(path, user="sachstand-server", backups=backups, lock_timeout=lock_timeout, revisions=True)
        self._feed: tuple[Mark | None, list[Position]] = (None, [])  # see _feed_order

    def close(self) -> None:
        self._store.close()

    def changes(self, since: Position, limit: int) -> tuple[list[ServerDoc], bool]:
        feed = self._feed_order()
        if since[0] > self._store.generation:  # a cursor from before a restored backup: start over
            since = (0, "")
        start = bisect.bisect_right(feed, since)
        documents = self._store.documents()
        page = [
            _server_doc(doc_id, documents[doc_id], self._store.canonical)
            for _seq, doc_id in feed[start : start + limit]
        ]
        return page, start + limit < len(feed)

    def end(self) -> Position:
        feed = self._feed_order()
        return feed[-1] if feed else (0, "")

    def bulk(self, entries: list[BulkEntry], user: str) -> list[Doc]:
        results: list[Doc] = []
        with self._store.transaction() as tx:
            for entry in entries:
                document = tx.document(entry.id)
                rev = document.get("rev", 0) if document else 0
                if rev != entry.base_rev:
                    current = _server_doc(entry.id, document, tx.canonical).doc if document else None
                    results.append({"id": entry.id, "ok": False, "error": "conflict", "rev": rev, "doc": current})
                    continue
                deleting = entry.doc["deleted"] and not (document or {}).get("deleted", True)
                action = CREATE if document is None else DELETE if deleting else EDIT
                written = tx.apply(entry.id, action, replaced_by(entry.doc), user=user, model=entry.motion)
                results.append({"id": entry.id, "ok": True, "rev": rev + 1 if written is not None else rev})
        return results

    def _feed_order(self) -> list[Position]:
        """Every document's position, sorted once per version of the file rather than on each page: a
        full pull of 10,000 documents asks for 10 pages or more."""
        documents = self._store.documents()
        mark, positions = self._feed
        now, written = self._store.written_since(mark)
        if written is None or written:
            positions = sorted((document.get("seq", 0), doc_id) for doc_id, document in documents.items())
        self._feed = (now, positions)
        return positions


def _server_doc(doc_id: str, document: Doc, canonical: Callable[[str, Doc], Doc]) -> ServerDoc:
    return ServerDoc(doc_id, document.get("rev", 0), document.get("seq", 0), canonical(doc_id, document))
