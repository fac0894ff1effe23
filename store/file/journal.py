"""The journal beside the data file: each transaction since the file was last written whole, one line each.

Rewriting the whole data file costs what the store weighs (0.1 s at 10,000 motions); appending the
documents a transaction changed costs what the transaction weighs. So the data file is a complete
TinyDB file of the state at its generation, and ``<name>.journal`` holds what came after it:

    {"sachstand-journal":{"schema":3,"generation":41,"stamp":"9f0c3a1b2d4e"}}  the data file it follows
    {"generation":42,"tables":{"motions":{"<id>":{...}}}}                  one line per transaction
    {"generation":43,"tables":{},"patches":{"motions":[{"fields":{"synced":{"rev":7}},"keys":["<id>",...]}]}}

- A transaction writes each document it changed whole (``tables``, None: removed), or, where it set only
  some of a document's top-level fields beside the motion (a sync client's bookkeeping, store/edit.py),
  just those fields (``patches``: a value replaces the field, null removes it; :func:`with_fields`), once
  for all the documents that got the same ones (``keys``). Recording the server's answer to a push of
  50,000 motions (each now agreed at revision 1) so wrote 2 MB, not the store once more (100 MB, and then
  the file whole), and every reader of the journal parses lists of ids, not 50,000 small objects (which
  cost each command on one motion 70 ms more). A key is in ``tables`` or in ``patches``, never both (both
  since version 3 of the format).
- A line counts once it is complete: it ends in a newline and parses. A crash during an append
  leaves a torn last line; readers ignore it and the next writer cuts it off, so the store is
  exactly as it was before that transaction.
- A journal whose first line names another version of the data file (a crash between rewriting
  the file and removing the journal, or a backup copied over the file) is no part of the store:
  it is ignored, and the next append replaces it.
- Readers remember how far they have read (a :class:`Position`) and read only what was appended
  since: another process's edit costs the size of that edit, not of the store.

This module reads and appends lines; :mod:`store.file.storage` decides when to append and when to write
the data file whole (which removes the journal).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from store.errors import StoreFileError
from store.file.durable import copy_mode, fsync_folder, sync_data, write_all
from store.i18n import add_catalog

HEADER = "sachstand-journal"


class Base(NamedTuple):
    """The version of the data file a journal follows."""

    schema: int
    generation: int
    stamp: str


class Position(NamedTuple):
    """How far a reader got: the journal file's inode, the bytes of complete lines read, their count.

    ``inode`` None: there is no journal of the current data file (none at all, a torn first line,
    or one that follows another version of the file), and the next append starts a new one.
    """

    inode: int | None
    end: int
    lines: int


START = Position(None, 0, 0)

Record = dict[str, Any]
Doc = dict[str, Any]
Patches = dict[str, dict[str, Doc]]  # table name -> key -> the fields set (None: removed)


class Stale(Exception):
    """The journal is not the continuation of what the reader holds: read everything again."""


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self, base: Base, since: Position = START, generation: int | None = None) -> tuple[list[Record], Position]:
        """The records appended after ``since``, and the new position.

        From ``START`` the first line must name ``base``, else the journal is ignored. ``generation``
        is the one the reader holds; each record must be the next one, else :class:`Stale`.
        """
        try:
            descriptor = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            if since.inode is not None:
                raise Stale from None  # removed by a writer that rewrote the data file
            return [], START
        except OSError as error:
            raise self._unreadable(error) from error
        try:
            status = os.fstat(descriptor)
            if since.inode is not None and (status.st_ino != since.inode or status.st_size < since.end):
                raise Stale
            if status.st_size == since.end:
                return [], since
            content = os.pread(descriptor, status.st_size - since.end, since.end)
        except OSError as error:  # a folder where the journal belongs opens, and only reading it fails
            raise self._unreadable(error) from error
        finally:
            os.close(descriptor)
        complete = content[: content.rfind(b"\n") + 1]  # a line without its newline is being written, or torn
        lines = complete.splitlines()
        position, records = since, []
        if since.inode is None:
            if not lines or self._header(lines[0]) != base:
                return [], START
            position = Position(status.st_ino, len(lines[0]) + 1, 1)
            lines = lines[1:]
        expected = (generation if generation is not None else base.generation) + 1
        last = position.lines + len(lines)
        for number, line in enumerate(lines, start=position.lines + 1):
            record = self._record(line, number, last=number == last)
            if record is None:  # a torn last line that happened to end in a newline: not there
                break
            if record["generation"] != expected:
                if since.inode is not None:
                    raise Stale
                raise StoreFileError(
                    "{path}: line {line}: expected generation {expected}, found {found}.",
                    path=self.path,
                    line=number,
                    expected=expected,
                    found=record["generation"],
                )
            records.append(record)
            expected += 1
            position = Position(status.st_ino, position.end + len(line) + 1, number)
        return records, position

    @staticmethod
    def line(generation: int, tables: dict[str, dict[str, Any]], patches: Patches | None = None) -> bytes:
        """One transaction's line: its documents by table (None: removed), and the fields of those it patched."""
        record: Record = {"generation": generation, "tables": tables}
        grouped = {name: _grouped(documents) for name, documents in (patches or {}).items() if documents}
        if grouped:
            record["patches"] = grouped
        return orjson.dumps(record) + b"\n"

    def append(self, base: Base, line: bytes, at: Position) -> Position:
        """Durably append one :meth:`line`; the new position.

        ``at`` is where this writer read up to, under the lock: anything after it is a torn line of a
        writer that crashed, and is cut off first.
        """
        fresh = at.inode is None
        if fresh:  # none yet, or one that follows another version of the data file
            line = orjson.dumps({HEADER: base._asdict()}) + b"\n" + line
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if fresh else 0), 0o666)
        try:
            if fresh:
                copy_mode(descriptor, self.path.with_suffix(""))
            status = os.fstat(descriptor)
            if not fresh and (status.st_ino != at.inode or status.st_size < at.end):
                raise OSError(0, f"{self.path.name} changed outside the lock")
            if status.st_size > at.end:
                os.ftruncate(descriptor, at.end)
            try:
                write_all(descriptor, line, at.end)
                sync_data(descriptor)
            except OSError:
                os.ftruncate(descriptor, at.end)  # best effort: readers would take it for torn anyway
                raise
        finally:
            os.close(descriptor)
        if fresh:
            fsync_folder(self.path.parent)  # the new journal's name must outlive a crash too
        # One line(), after the header if fresh: orjson writes no line break within either, so they need not be
        # counted (counting those of a push's line of 7 MB took 4 ms of each body).
        return Position(status.st_ino, at.end + len(line), at.lines + (2 if fresh else 1))

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)

    def _unreadable(self, error: OSError) -> StoreFileError:
        return StoreFileError(
            "{path}: cannot read the journal of the data file: {detail}.",
            path=self.path,
            detail=error.strerror or str(error),
        )

    def _header(self, line: bytes) -> Base:
        try:
            header = orjson.loads(line)[HEADER]
            return Base(header["schema"], header["generation"], header["stamp"])
        except (orjson.JSONDecodeError, KeyError, TypeError, IndexError):
            raise StoreFileError("{path}: line 1: not a Sachstand journal.", path=self.path) from None

    def _record(self, line: bytes, number: int, *, last: bool) -> Record | None:
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            if last:
                return None
            raise StoreFileError(
                "{path}: line {line}: not valid JSON ({detail}).", path=self.path, line=number, detail=error.msg
            ) from None
        generation = record.get("generation") if isinstance(record, dict) else None
        tables = record.get("tables") if isinstance(record, dict) else None
        patches = record.get("patches", {}) if isinstance(record, dict) else None
        if (
            not isinstance(generation, int)
            or isinstance(generation, bool)
            or not _tables_of(tables)
            or not _patches_of(patches)
        ):
            raise StoreFileError(
                "{path}: line {line}: not a transaction (generation and tables of documents).",
                path=self.path,
                line=number,
            )
        return record


def _tables_of(value: Any) -> bool:
    """Whether ``value`` is table name -> key -> a document or None."""
    return isinstance(value, dict) and all(
        isinstance(table, dict) and all(document is None or type(document) is dict for document in table.values())
        for table in value.values()
    )


def _patches_of(value: Any) -> bool:
    """Whether ``value`` is table name -> a list of fields (an object of at least one) and the keys they are of."""
    return isinstance(value, dict) and all(
        isinstance(groups, list)
        and all(
            type(group) is dict
            and group.keys() == _GROUP
            and type(group["fields"]) is dict
            and bool(group["fields"])
            and type(group["keys"]) is list
            and all(type(key) is str for key in group["keys"])
            for group in groups
        )
        for groups in value.values()
    )


_GROUP = frozenset({"fields", "keys"})


def _grouped(documents: dict[str, Doc]) -> list[Doc]:
    """The patches of a table's documents, each set of fields once with the keys it is of, in their order."""
    groups: dict[bytes, Doc] = {}
    for key, fields in documents.items():
        written = orjson.dumps(fields)
        if written not in groups:
            groups[written] = {"fields": fields, "keys": []}
        groups[written]["keys"].append(key)
    return list(groups.values())


def patched(record: Record) -> Iterator[tuple[str, str, Doc]]:
    """(table, key, fields) of each document a record patched."""
    for name, groups in record.get("patches", {}).items():
        for group in groups:
            fields = group["fields"]
            for key in group["keys"]:
                yield name, key, fields


def with_fields(document: Doc, fields: Doc) -> Doc:
    """``document`` patched: each of ``fields`` set, each None removed. A field new to it comes last, as a
    dict merge puts it (store/file/documents.py writes a patched line so without parsing it)."""
    result = dict(document)
    for key, value in fields.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def touched(record: Record) -> dict[str, list[str]]:
    """The keys of the documents a record wrote or patched, by table."""
    keys: dict[str, list[str]] = {name: list(documents) for name, documents in record["tables"].items()}
    for name, key, _fields in patched(record):
        keys.setdefault(name, []).append(key)
    return keys


add_catalog(
    "de",
    {
        "{path}: cannot read the journal of the data file: {detail}.": "{path}: Journal der Datendatei nicht lesbar: {detail}.",
    },
)
