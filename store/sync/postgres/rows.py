"""A body's documents and history entries as rows of PostgreSQL, and how many of them are written at once.

A document's motion and a history entry are kept as JSON text, as orjson writes it (schema version 3): the
server validates every document through the model before it writes it, and reads it back only to send it
on or to compare it, so the database has no use for jsonb. With jsonb PostgreSQL parsed every document
on the way in and printed it again on the way out: at 20,000 motions, reading every page took it 1.6 to
2.1 s against 0.4 s as text, and the writes a third more (docs/performance.md, "Wave 7: syncpg").

Many rows go in by COPY, one stream per table: ``executemany`` ran one statement per row in a pipeline, and
its per-row work (in psycopg and in the database) was most of a full push's write.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import psycopg
from psycopg.types.string import BytesBinaryDumper

from store.edit import Doc, model_part
from store.file.bulk import dumps_kept
from store.values import parse_timestamp

Connection = psycopg.Connection[Any]


@dataclass(frozen=True)
class Table:
    """A table as a COPY writes it: its name and columns, and their types, in COPY's binary format (which
    PostgreSQL reads with a quarter less work than the text format, and needs no escaping). A JSON text is
    given as orjson's bytes and declared ``bytea``: that only makes psycopg send the bytes as they are, as a
    text column's binary value is its UTF-8, which PostgreSQL checks as it reads it."""

    columns: str
    types: tuple[str, ...]


DOCUMENTS = Table(
    "sachstand.documents (body, id, rev, seq, deleted, doc, by)",
    ("int4", "text", "int4", "int8", "bool", "bytea", "text"),
)
HISTORY = Table(
    "sachstand.history (body, motion_id, seq, at, by, entry)", ("int4", "text", "int8", "timestamptz", "text", "bytea")
)


def document_row(body: int, doc_id: str, document: Doc) -> tuple[Any, ...]:
    """A stored document (with ``rev``, ``seq``, ``deleted`` and its history, whose last entry names the user
    of the revision, the feed's ``by``) as a row of :data:`DOCUMENTS`."""
    text = dumps_kept(model_part(document))
    history = document.get("history") or [{}]
    numbers = (document.get("rev", 0), document.get("seq", 0), bool(document.get("deleted")))
    return (body, doc_id, *numbers, text, history[-1].get("by", ""))


def history_row(body: int, motion_id: str, entry: Doc) -> tuple[Any, ...]:
    """A stored history entry (``HistoryEntry.to_dict()``) as a row of :data:`HISTORY`."""
    at = parse_timestamp(entry["at"], "history.at")
    return (body, motion_id, entry["seq"], at, entry["by"], dumps_kept(entry))


def stored(rev: int, seq: int, deleted: bool, text: str, by: str) -> Doc:
    """A row of ``sachstand.documents`` as the stored document it was made of, its history only the last
    entry's user: all a push reads of it (a conflict names the colleague whose revision it is)."""
    return {**orjson.loads(text), "deleted": deleted, "rev": rev, "seq": seq, "history": [{"by": by}]}


@contextlib.contextmanager
def copying(connection: Connection, table: Table) -> Iterator[Callable[[Sequence[Any]], None]]:
    """A COPY into ``table``: each row given to the function it yields is sent on in blocks as it comes,
    so the database stores them while the caller makes more."""
    with connection.cursor() as cursor:
        # bytea's binary dumper is psycopg's DB-API one, written in Python to take its Binary wrapper too; its
        # own, in C, which this cursor gets back, halved the work of a row (at 50,000 rows of each table: 40 ms).
        cursor.adapters.register_dumper(bytes, BytesBinaryDumper)
        with cursor.copy(f"COPY {table.columns} FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(list(table.types))
            yield copy.write_row


def copy_rows(connection: Connection, table: Table, rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` into ``table`` in one COPY."""
    with copying(connection, table) as write:
        for row in rows:
            write(row)


def replace_documents(connection: Connection, body: int, rows: Sequence[Sequence[Any]]) -> None:
    """Overwrite the documents of ``rows`` (:func:`document_row`s of ``body``, each one there) in one
    statement, whatever their number: their columns as arrays, sent in binary."""
    if not rows:
        return
    _bodies, ids, revs, seqs, deleted, texts, by = (list(column) for column in zip(*rows, strict=True))
    texts = [text.decode() for text in texts]  # a list of bytes would go as bytea[]
    connection.execute(
        "UPDATE sachstand.documents d SET rev = u.rev, seq = u.seq, deleted = u.deleted, doc = u.doc, by = u.by"
        " FROM unnest(%b::text[], %b::int[], %b::bigint[], %b::bool[], %b::text[], %b::text[])"
        " AS u(id, rev, seq, deleted, doc, by) WHERE d.body = %b AND d.id = u.id",
        (ids, revs, seqs, deleted, texts, by, body),
    )
