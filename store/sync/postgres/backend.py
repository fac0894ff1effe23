"""One body's shared copy in PostgreSQL: a :class:`store.sync.backend.ServerBackend`.

A push is one transaction. It first takes the body's next write number (``UPDATE bodies SET seq = seq + 1``,
which holds the body's row lock to commit: the body's pushes write one after another, and commit in the
order of their numbers, so the changes feed, ordered by number, never passes a write still in flight). Then
it reads the pushed documents, writes them through the one edit path (:class:`store.edit.Transaction`, which
validates, stamps and records the history entry, as the file server does) and NOTIFYs the other processes.
A push that writes nothing is rolled back, number and all.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Callable, Sequence
from typing import Any

import orjson
import psycopg

from store.edit import MOTIONS, Doc, Transaction
from store.history import HistoryEntry
from store.sync.access import Who
from store.sync.backend import BulkEntry, Position, ServerDoc, StoredDoc, apply_entries, as_stored
from store.sync.postgres.database import CHANNEL, Database
from store.sync.postgres.rows import (
    DOCUMENTS,
    HISTORY,
    copy_rows,
    copying,
    document_row,
    history_row,
    replace_documents,
    stored,
)
from store.values import now

Connection = psycopg.Connection[Any]

log = logging.getLogger("sachstand.server")

IDENTITY = "SELECT server_id, epoch, since, seq FROM sachstand.bodies WHERE id = %s"  # what /info tells of a body


class PostgresBackend:
    """The documents, feed and history of one body (``bodies.id``) of a :class:`Database`."""

    def __init__(self, database: Database, body: int) -> None:
        self.database, self.body = database, body

    def identity(self) -> Doc:
        server_id, epoch, since, seq = self.database.run(
            lambda connection: _one(connection, IDENTITY, (self.body,)), read=True
        )
        seen = self.database.served(self.body, seq, epoch)
        if seen is not None:
            server_id, epoch, since, seq = self.database.run(
                lambda connection: self._new_epoch(connection, epoch, seen)
            )
            self.database.served(self.body, seq, epoch)
        # As the file server: no identity while there is nothing, so a client sees an empty server.
        return {"id": server_id if seq else "", "epoch": epoch if seq else "", "since": since, "generation": seq}

    def changes(self, since: Position, limit: int) -> tuple[list[ServerDoc], bool]:
        def read(connection: Connection) -> tuple[list[ServerDoc], bool]:
            (generation,) = _one(connection, "SELECT seq FROM sachstand.bodies WHERE id = %s", (self.body,))
            start = since if since[0] <= generation else (0, "")  # a cursor from before a restore: start over
            with connection.transaction():
                # The page in the feed index's order, never all of the body's later rows sorted: a body just
                # written has no statistics yet (until autovacuum's next ANALYZE), and with them unknown the
                # planner sorted every row after the cursor for each page (25 to 55 ms a page at 20,000; 3 ms so).
                connection.execute("SET LOCAL enable_sort = off")
                # ``by``: the user of the revision's write, the colleague a client's history names for it. The
                # document as its UTF-8 bytes, in the binary format: sent on as they are (StoredDoc), not
                # decoded by psycopg and encoded again here (a full pull of 50,000: 0.3 -> 0.12 s of CPU).
                rows = connection.execute(
                    "SELECT id, rev, seq, deleted, convert_to(doc, 'UTF8'), by FROM sachstand.documents"
                    " WHERE body = %s AND (seq, id) > (%s, %s) ORDER BY seq, id LIMIT %s",
                    (self.body, start[0], start[1], limit + 1),
                    binary=True,
                ).fetchall()
            page = [
                ServerDoc(doc_id, rev, seq, StoredDoc(text, deleted), by)
                for doc_id, rev, seq, deleted, text, by in rows
            ]
            return page[:limit], len(page) > limit

        return self.database.run(read, read=True)

    def end(self) -> Position:
        def read(connection: Connection) -> Position:
            row = connection.execute(
                "SELECT seq, id FROM sachstand.documents WHERE body = %s ORDER BY seq DESC, id DESC LIMIT 1",
                (self.body,),
            ).fetchone()
            return (row[0], row[1]) if row else (0, "")

        return self.database.run(read, read=True)

    def following(self, after: Position) -> int:
        def read(connection: Connection) -> int:
            (count,) = _one(
                connection,
                "SELECT count(*) FROM sachstand.documents WHERE body = %s AND (seq, id) > (%s, %s)",
                (self.body, after[0], after[1]),
            )
            return int(count)

        return self.database.run(read, read=True)

    def bulk(self, entries: list[BulkEntry], who: Who) -> list[Doc]:
        # A clerk's document pushed as new (base_rev 0) is taken to be new, not looked up: looking up 4,000 ids
        # was 30 to 40 ms of each body of a full push, before anything was written. Where one is there after
        # all (a push sent again after its answer was lost), its row clashes with the stored one, the
        # transaction is rolled back, and the push is made again with every document looked up. A clerk's new
        # document is always written (nothing refuses it), so every one that is there clashes; another role's
        # may be refused instead, which would answer it differently: its documents are all looked up.
        everything = [entry.id for entry in entries]
        if not who.changes_all:
            return self._written(entries, who, everything)
        try:
            return self._written(entries, who, [entry.id for entry in entries if entry.base_rev])
        except psycopg.errors.UniqueViolation:
            return self._written(entries, who, everything)

    def _written(self, entries: list[BulkEntry], who: Who, lookup: list[str]) -> list[Doc]:
        try:
            return self.database.run(lambda connection: self._write(connection, entries, who, lookup))
        except _Unchanged as unchanged:  # rolled back: its write number is not spent
            return unchanged.results

    def history(self, motion_id: str | None = None) -> list[HistoryEntry]:
        """The body's recorded writes (of one motion), oldest first."""

        def read(connection: Connection) -> list[HistoryEntry]:
            rows = connection.execute(
                "SELECT motion_id, entry FROM sachstand.history WHERE body = %s AND (%s::text IS NULL OR motion_id = %s)"
                " ORDER BY seq, motion_id",
                (self.body, motion_id, motion_id),
            ).fetchall()
            return [HistoryEntry.from_dict(orjson.loads(entry), doc_id) for doc_id, entry in rows]

        return self.database.run(read, read=True)

    def listen(self, wake: Callable[[], None]) -> None:
        self.database.listen(wake)

    def close(self) -> None:
        """Nothing of its own: the connections are the database's, shared by every body."""

    def _new_epoch(self, connection: Connection, epoch: str, seen: int) -> tuple[Any, ...]:
        """The body's write counter was read below ``seen``, which this process served in ``epoch``: if it
        still is (not a slower read overtaken by a faster one), the database was restored from a backup
        and lacks writes it had confirmed. A new epoch makes every client compare its copy with the
        server's and send again what it lacks (store/sync/epoch.py), as the file server's does. The body's
        row is locked meanwhile, and another process that noticed first has changed the epoch: then its
        epoch stands."""
        changed = connection.execute(
            "UPDATE sachstand.bodies SET epoch = %s, since = seq WHERE id = %s AND epoch = %s AND seq < %s",
            (secrets.token_hex(8), self.body, epoch, seen),
        ).rowcount
        if changed:
            log.warning(
                "body %s: its write counter went back below %d (a restored database?): new epoch", self.body, seen
            )
        return _one(connection, IDENTITY, (self.body,))

    def _write(self, connection: Connection, entries: list[BulkEntry], who: Who, lookup: list[str]) -> list[Doc]:
        """The push in ``connection``'s transaction, the stored documents of ``lookup`` read first."""
        (seq,) = _one(connection, "UPDATE sachstand.bodies SET seq = seq + 1 WHERE id = %s RETURNING seq", (self.body,))
        rows = []
        if lookup:
            rows = connection.execute(
                # The ids in the binary format: psycopg wrote the text form of 4,000 in 4 ms of CPU, this in 1 ms.
                "SELECT id, rev, seq, deleted, doc, by FROM sachstand.documents WHERE body = %s AND id = ANY(%b::text[])",
                (self.body, lookup),
            ).fetchall()
        found = {row[0]: stored(*row[1:]) for row in rows}
        with contextlib.ExitStack() as stack:
            # No other push of the body writes meanwhile (its row lock): a document not found is new (or clashes,
            # see bulk), and is copied in as soon as it is made, so the database stores it while the transaction
            # makes the next.
            new = any(entry.id not in found for entry in entries)
            tables = _Push(
                self.body, seq - 1, found, stack.enter_context(copying(connection, DOCUMENTS)) if new else None
            )
            results = apply_entries(
                Transaction(tables, as_stored, user=who.user, clock=now, revisions=True), entries, who
            )
        if not tables.history:
            raise _Unchanged(results)
        replace_documents(connection, self.body, list(tables.replaced.values()))
        copy_rows(connection, HISTORY, tables.history)
        connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(self.body)))
        return results


class _Unchanged(Exception):
    """A push that wrote nothing (every entry a conflict, or equal to what is stored): its results."""

    def __init__(self, results: list[Doc]) -> None:
        self.results = results


class _Push:
    """The tables a :class:`store.edit.Transaction` sees during one push: the pushed documents as stored
    (of their history only who wrote them, rows.stored: the transaction appends the new entry, which is all
    that is written). A document written that is not in them yet goes to ``copy`` at once; one that is
    (stored before, or written before in this push) is kept in ``replaced``, to overwrite its row at the end."""

    def __init__(
        self, body: int, generation: int, documents: dict[str, Doc], copy: Callable[[Sequence[Any]], None] | None
    ) -> None:
        self.body, self.generation = body, generation
        self._tables = {MOTIONS: documents}
        self._copy = copy
        self.replaced: dict[str, tuple[Any, ...]] = {}
        self.history: list[tuple[Any, ...]] = []  # the rows of the new history entries

    def read(self) -> dict[str, Any]:
        return self._tables

    def put(self, table: str, key: str, document: Doc) -> None:
        assert table == MOTIONS, table  # a push writes motions only; the body's identity is its row
        row = document_row(self.body, key, document)
        if key in self._tables[MOTIONS]:
            self.replaced[key] = row
        else:
            assert self._copy is not None  # there is a COPY whenever an entry is new
            self._copy(row)
        self._tables[MOTIONS][key] = document
        self.history.append(history_row(self.body, key, document["history"][-1]))

    def patch(self, table: str, key: str, fields: Doc) -> None:
        raise AssertionError("a push writes no sync client's bookkeeping")

    def rewrite(self) -> None:
        """Nothing to do: a row written leaves nothing of what it replaced (and a push withdraws nothing)."""


def _one(connection: Connection, query: Any, params: tuple[Any, ...]) -> tuple[Any, ...]:
    row = connection.execute(query, params).fetchone()
    if row is None:  # the body was there when its token was read: only a manual DELETE removes one
        raise LookupError(f"no row for {params}")
    return tuple(row)
