"""A TinyDB storage for one JSON file and its journal that survives crashes and notices other writers.

- A transaction that changes a few documents appends them to the journal beside the file
  (:mod:`store.file.journal`): its cost is the size of the edit, not of the store.
- Once the journal passes an eighth of the file (and for a transaction that changes a large part of
  the store, or a file of an older format) the file is written whole instead, atomically: a temp
  file in the same folder, fsync, ``os.replace``, fsync of the folder; then the journal is removed.
  A crash at any instant leaves the store as it was before the transaction or after it.
- Before each replace the previous file is kept as a backup by a hard link (no copy), rotating
  through ``backups`` generations.
- The file starts with a small header ``{"sachstand":{"schema":S,"generation":G,"stamp":…},``.
  ``read`` parses the file again only when its stat or its generation differ from the last read,
  and otherwise reads only what the journal gained: an unchanged store costs two ``fstat`` and a
  256-byte read, another process's edit the size of that edit.
- Serialising is done with orjson, once per write.

The storage does no locking itself; :mod:`store.file.transaction` serialises the
read-modify-write cycles of several processes around it.
"""

from __future__ import annotations

import contextlib
import os
import re
from typing import Any, BinaryIO, NamedTuple

import orjson
from tinydb.storages import Storage

from store.config import SETTINGS
from store.errors import StoreFileError
from store.file.bulk import collector_paused, loads
from store.file.changelog import Changed, ChangeLog, Mark
from store.file.documents import Documents, apply, read_by_line, same, stored, writable
from store.file.journal import START, Base, Journal, Patches, Stale, touched
from store.file.migrations import SCHEMA_VERSION, migrate
from store.file.names import StoreFiles
from store.file.offsets import HEADER, MOTIONS, Focused, Serialised, focused_read, write_offsets
from store.file.replace import replace_data_file
from store.i18n import add_catalog

_HEADER_PEEK = 256
_HEADER_PATTERN = re.compile(rb'^\{"sachstand":\{"schema":(\d+),"generation":(\d+)(?:,"stamp":"([0-9a-f]*)")?')
JOURNAL_SHARE = 8  # the file is written whole once the journal would pass this fraction of it
JOURNAL_MINIMUM = 256 * 1024  # ... or this many bytes, for a small store
_CONSISTENT_READS = 10  # attempts to read file and journal without a rewrite in between


class Signature(NamedTuple):
    """What identifies one state of the store: the data file's identity, and the generation."""

    inode: int
    size: int
    mtime_ns: int
    generation: int | None
    partial: bool = False  # the tables hold only the motion in focus (see store/file/offsets.py)


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | os.PathLike[str], *, backups: int = SETTINGS["backups"].default) -> None:
        self.files = StoreFiles.of(path)  # resolved once, here: see store/file/names.py
        self.path = self.files.data
        self.backups = backups
        self.journal = Journal(self.files.journal)
        self._tables: dict[str, Any] | None = None
        self._file: Signature | None = None  # the data file as last read or written, with its own generation
        self._base: Base | None = None  # its header, which its journal must name
        self._position = START  # how far the journal has been read or written
        self._generation = 0
        self._whole = False  # the next write rewrites the file: it was read in an older format
        self._swept = False
        self.wrote_whole = False  # whether the last write rewrote the file (rather than append to the journal)
        # The reference of the one motion the next reads need, if only one: then the tables may hold only
        # it (and every other table), read by the offsets sidecar (store/file/offsets.py).
        self.focus: str | None = None
        self._partial = False  # the tables are such a focused read
        # The journal's share of the file; None: JOURNAL_SHARE. 1 for the sync server's file, so that a push's
        # bodies are appended: see _takes. In a bulk (store.Store.bulk, a sync) it takes everything, and is
        # compacted after it.
        self.journal_share: int | None = None
        self._new_bytes = 0  # of the journal as this process appended it: documents new to the store (see _takes)
        self.in_bulk = False
        # Whether the motions are held parsed rather than as their lines (store/file/documents.py): the sync
        # server's file, whose documents every pull reads (and sorts) again.
        self.parsed = False
        self.log = ChangeLog()  # which documents the writes changed since the tables were read whole

    @property
    def generation(self) -> int:
        """How many transactions the store has seen, as of our last read or write."""
        return self._generation

    @property
    def signature(self) -> Signature | None:
        return None if self._file is None else self._file._replace(generation=self._generation, partial=self._partial)

    @property
    def mark(self) -> Mark:
        """Where the change log stands now; see :meth:`changed_since`."""
        return self.log.mark

    def changed_since(self, mark: Mark) -> list[tuple[str, str]] | None:
        """(table, key) of each document written since ``mark``; None if not known (store/file/changelog.py)."""
        return self.log.since(mark)

    def invalidate(self) -> None:
        """Forget the cached tables: the next read parses the file again."""
        self._tables = None
        self._file = None
        self.log.record(None)

    def read(self) -> dict[str, Any] | None:
        for _attempt in range(_CONSISTENT_READS):
            try:
                handle = open(self.path, "rb")  # noqa: SIM115 (held open past this block, closed below)
            except FileNotFoundError:
                self.files.refuse_leftovers()
                self._tables, self._file, self._base, self._position, self._generation = None, None, None, START, 0
                return None
            except OSError as error:
                raise StoreFileError(
                    "{path}: cannot read the data file: {detail}.", path=self.path, detail=error.strerror
                ) from error
            with handle:
                status = os.fstat(handle.fileno())
                head = handle.read(_HEADER_PEEK)
                found = _HEADER_PATTERN.match(head)
                file = Signature(
                    status.st_ino, status.st_size, status.st_mtime_ns, int(found.group(2)) if found else None
                )
                wanted = self._partial and self.focus is None  # a focused read, and now all is wanted
                if file == self._file and self._tables is not None and not wanted and self._caught_up():
                    return self._tables
                focused = self._focused(handle.fileno(), found, status.st_size, self.focus)
                if focused is None:
                    handle.seek(0)
                    tables, base = self._parse_file(handle)
                    records, position = self.journal.read(base)
                else:
                    tables, base, records, position, self.focus = focused  # that motion from now on, by any reference
            if not self._replaced(file):  # else rewritten while we read: the journal we found may be the next one's
                break
        for record in records:
            apply(tables, record)
        self._whole = base.schema < SCHEMA_VERSION
        self._partial = focused is not None
        self.log.record(None)
        self._tables = _keep_unchanged(self._tables, migrate(tables, base.schema))
        self._file, self._base, self._position, self._new_bytes = file, base, position, 0
        self._generation = records[-1]["generation"] if records else base.generation
        return self._tables

    def _focused(self, descriptor: int, found: re.Match[bytes] | None, size: int, ref: str | None) -> Focused | None:
        """A read of the motion ``ref`` names alone (store/file/offsets.py); None if the whole file must be read."""
        if ref is None or found is None or int(found.group(1)) != SCHEMA_VERSION:
            return None
        base = Base(SCHEMA_VERSION, int(found.group(2)), (found.group(3) or b"").decode())
        return focused_read(self.files, self.journal, descriptor, base, size, ref)

    def glance(self, ref: str) -> dict[str, Any] | None:
        """The tables as a read focused on ``ref`` finds them now, none of it kept; None if it takes the whole file."""
        try:
            with open(self.path, "rb") as handle:
                size, head = os.fstat(handle.fileno()).st_size, handle.read(_HEADER_PEEK)
                focused = self._focused(handle.fileno(), _HEADER_PATTERN.match(head), size, ref)
        except (OSError, StoreFileError):  # the whole read says what is wrong
            return None
        if focused is None:
            return None
        tables, _base, records, *_rest = focused
        for record in records:
            apply(tables, record)
        return tables

    @property
    def base(self) -> Base | None:
        """The version of the data file as of our last read or write."""
        return self._base

    def peek(self) -> tuple[Base, list[Any]] | None:
        """The data file's version from its header, and the journal's records, without parsing the
        file; None if there is no file, or it or its journal cannot be read so."""
        try:
            with open(self.path, "rb") as handle:
                found = _HEADER_PATTERN.match(handle.read(_HEADER_PEEK))
        except OSError:
            return None
        if found is None:
            return None
        base = Base(int(found.group(1)), int(found.group(2)), (found.group(3) or b"").decode())
        try:
            records, _position = self.journal.read(base)
        except StoreFileError:
            return None
        return base, records

    def _caught_up(self) -> bool:
        """Bring the cached tables forward by what the journal gained; False if all must be read again."""
        if self._base is None or self._file is None or self._tables is None:
            return False
        if self._whole:
            return True  # a file in an older format has no journal: none is ever written beside one
        try:
            records, position = self.journal.read(self._base, self._position, self._generation)
        except Stale:
            return False
        except StoreFileError:
            if self._replaced(self._file):
                return False  # what looked broken was the start of the next file's journal
            raise
        if self._replaced(self._file):
            return False
        for record in records:
            apply(self._tables, record)
            self.log.record(touched(record))
        if records:
            self._generation = records[-1]["generation"]
        self._position = position
        return True

    def _replaced(self, file: Signature) -> bool:
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return True
        return (status.st_ino, status.st_size, status.st_mtime_ns) != file[:3]

    def _parse_file(self, handle: BinaryIO) -> tuple[dict[str, Any], Base]:
        """The file in our layout a line at a time, so neither its bytes nor orjson's working copy of
        them are held whole (at 10,000 motions that was 60 MB of the dashboard's peak), the motions
        kept as their lines (store/file/documents.py); in any other layout (a hand-edited file, a
        damaged one, an older version's) whole, which also says what is wrong where."""
        status = os.fstat(handle.fileno())
        file = Signature(status.st_ino, status.st_size, status.st_mtime_ns, None)
        # A megabyte a read, not a page: each lets the app's thread take the interpreter (documents.py, _File.read)
        with collector_paused(), open(handle.fileno(), "rb", buffering=1 << 20, closefd=False) as lines:
            lines.seek(0)  # the descriptor's own offset: the handle may have moved only in its buffer
            data = read_by_line(lines, lambda: self._motions_whole(file), self.files)
            if data is None:
                # Read whole through the object that moved the descriptor: the handle's own seek(0) may stay
                # in its buffer and then read on from wherever the line reader left the descriptor.
                lines.seek(0)
                return self._parse(lines.read())
            if self.parsed and isinstance(data.get(MOTIONS), Documents):
                data[MOTIONS] = dict(data[MOTIONS])
        return self._checked(data)

    def _motions_whole(self, file: Signature) -> dict[str, Any]:
        """The motions of the data file ``file`` parsed whole, for a line that did not parse alone."""
        with open(self.path, "rb") as handle:
            if self._replaced(file):  # the file that line was of is gone: say so rather than mix two
                raise StoreFileError(
                    "{path}: cannot read the data file: {detail}.", path=self.path, detail="replaced while read"
                )
            return dict(self._parse(handle.read())[0].get(MOTIONS, {}))

    def _parse(self, content: bytes) -> tuple[dict[str, Any], Base]:
        if not content.strip():
            # Our writes never leave an empty file, so one is damage (or a `touch`): refuse rather than start over.
            raise StoreFileError(
                "{path}: the file is empty. Restore a backup ({backup}) or delete the file to start a new store.",
                path=self.path,
                backup=self.files.backup(1).name,
            )
        try:
            data = loads(content)
        except orjson.JSONDecodeError as error:
            raise StoreFileError(
                "{path}: not valid JSON ({detail}, line {line}, column {column}).",
                path=self.path,
                detail=error.msg,
                line=error.lineno,
                column=error.colno,
            ) from None
        return self._checked(data)

    def _checked(self, data: Any) -> tuple[dict[str, Any], Base]:
        """The tables and the version of a parsed file, once its header and tables are as they must be."""
        if not isinstance(data, dict) or not isinstance(data.get(HEADER), dict):
            raise StoreFileError("{path}: not a Sachstand data file (no 'sachstand' header).", path=self.path)
        header = data.pop(HEADER)
        schema, generation, stamp = header.get("schema"), header.get("generation"), header.get("stamp", "")
        if not _is_count(schema) or not _is_count(generation) or not isinstance(stamp, str):
            raise StoreFileError(
                "{path}: broken header: {detail}.",
                path=self.path,
                detail=f"schema={schema!r}, generation={generation!r}",
            )
        if schema > SCHEMA_VERSION:
            raise StoreFileError(
                "{path}: written by a newer Sachstand (data format {found}; this version reads up to {supported}). Update Sachstand; the file was not changed.",
                path=self.path,
                found=schema,
                supported=SCHEMA_VERSION,
            )
        if schema < SCHEMA_VERSION and isinstance(data.get(MOTIONS), Documents):
            data[MOTIONS] = dict(data[MOTIONS])  # parsed for the migrations, which change documents
        for name, table in data.items():
            if isinstance(table, Documents):
                continue  # each line is checked when it is parsed
            if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
                raise StoreFileError(
                    "{path}: broken header: {detail}.",
                    path=self.path,
                    detail=f"table {name!r} is not an object of documents",
                )
        return data, Base(schema, generation, stamp)

    def write(
        self,
        data: dict[str, Any],
        changed: Changed | None = None,
        *,
        patches: Patches | None = None,
        forget: bool = False,
        new: int = 0,
    ) -> None:
        """Write the transaction that turned the tables into ``data``: appended to the journal if
        ``changed`` names the documents it wrote and they are a small part of the store, else whole.
        ``patches``: those of them of which it set only these fields (the journal takes just the fields).
        ``new``: how many of them the tables did not hold before.
        ``forget``: whole, and the backups removed instead of rotated, so that what it replaced (a motion
        this copy may no longer read) stays in no file; the next write makes a new first backup."""
        generation = self._generation + 1
        if not self._swept:
            self._sweep_temp_files()
        if changed is not None and self._file is not None and self._base is not None and not (self._whole or forget):
            patches = patches or {}
            whole: dict[str, dict[str, Any]] = {}
            for name, keys in changed.items():
                table, patched = stored(data.get(name, {})), patches.get(name, {})  # each written whole is a dict
                if documents := {key: table.get(key) for key in keys if key not in patched}:
                    whole[name] = documents
            line = self.journal.line(generation, whole, patches)
            written = sum(map(len, changed.values()))
            added = len(line) * new // written if written else 0  # bytes of new documents, by their count
            if self.in_bulk or self._takes(len(line), added):
                self._append(data, generation, line)
                self._new_bytes += added
                self.log.record(changed)
                self.wrote_whole = False
                return
        self._write_whole(self._completed(data, changed) if self._partial else data, generation, forget=forget)
        self.log.record(changed)
        self.wrote_whole = True

    def _completed(self, data: dict[str, Any], changed: Changed | None) -> dict[str, Any]:
        """For a whole write after a focused read: every table read whole (the lock is held, so as the
        focused read found it), with the documents the transaction wrote."""
        if changed is None:
            raise RuntimeError("a focused read cannot be written whole without the documents it changed")
        focus, self.focus = self.focus, None
        try:
            tables = self.read() or {}
        finally:
            self.focus = focus
        for name, keys in changed.items():
            for key in keys:
                document = data.get(name, {}).get(key)
                if document is None:
                    tables.setdefault(name, {}).pop(key, None)
                else:
                    tables.setdefault(name, {})[key] = document
        return tables

    def _journal_room(self, share: int) -> int:
        assert self._file is not None
        return max(JOURNAL_MINIMUM, self._file.size // share)

    def _takes(self, line: int, added: int) -> bool:
        """Whether the journal takes a line of ``line`` bytes, ``added`` of them documents new to the store.

        A journal costs its readers what replaced documents it holds beyond the file: every one-motion command
        and every dashboard's start reads it whole. With a ``journal_share`` of its own (the sync server's file,
        read by the one process that holds it, once at its start), a document new to the store costs that
        process the same in the journal as in the file: only the bytes that replace others count against the
        share, of the file and the new documents together. A push of 50,000 new motions into an empty server
        was written whole three times (at its 1st, 3rd and 7th of 13 bodies, 0.5 to 0.8 s of its CPU); now
        once, at its first. What this process did not append itself (a journal it read) counts as replaced."""
        if self.journal_share is None:
            return self._position.end + line <= self._journal_room(JOURNAL_SHARE)
        assert self._file is not None
        kept = self._new_bytes + added
        return self._position.end + line - kept <= max(JOURNAL_MINIMUM, (self._file.size + kept) // self.journal_share)

    def compact(self) -> None:
        """In a transaction: write the file whole if the journal has outgrown JOURNAL_SHARE (after a
        bulk), so that the next reader and the next edit do not pay for it."""
        over = self._file is not None and self._position.end > self._journal_room(JOURNAL_SHARE)
        if over and self._tables is not None and not self._partial:  # a focused read is no whole
            self._write_whole(self._tables, self._generation + 1)
            self.log.record({})
            self.wrote_whole = True

    def _append(self, data: dict[str, Any], generation: int, line: bytes) -> None:
        assert self._base is not None
        try:
            self._position = self.journal.append(self._base, line, self._position)
        except OSError as error:
            self.invalidate()
            raise StoreFileError(
                "{path}: cannot write the journal of the data file: {detail}.",
                path=self.journal.path,
                detail=error.strerror or str(error),
            ) from error
        self._tables = data
        self._generation = generation

    def _write_whole(self, data: dict[str, Any], generation: int, *, forget: bool = False) -> None:
        base = Base(SCHEMA_VERSION, generation, os.urandom(6).hex())
        temp = self.files.temp()
        try:
            file = Serialised(base._asdict(), {name: writable(table) for name, table in data.items()})
            written = replace_data_file(self.files, temp, file, self.backups, forget=forget)
            self.journal.remove()  # now a journal left beside the file names its previous version: it counts for nothing
        except BaseException as error:
            temp.unlink(missing_ok=True)
            self.invalidate()
            if not isinstance(error, OSError):
                raise
            raise StoreFileError(
                "{path}: cannot write the data file: {detail}.",
                path=self.path,
                detail=error.strerror or str(error),
            ) from error
        write_offsets(self.files, base, (written.st_size, written.st_mtime_ns), file.ranges)
        self._tables = data
        self._generation = generation
        self._file = Signature(written.st_ino, written.st_size, written.st_mtime_ns, generation)
        self._base, self._position, self._whole, self._partial, self._new_bytes = base, START, False, False, 0

    def _sweep_temp_files(self) -> None:
        """Remove temp files left by writers that crashed (we hold the lock, so none is live; an index
        being written outside it may be lost, which costs the next start of a dashboard its speed)."""
        for leftover in self.path.parent.glob(self.files.temp_pattern):
            with contextlib.suppress(OSError):  # a folder so named is none of ours: left alone
                leftover.unlink(missing_ok=True)
        self._swept = True

    def close(self) -> None:
        self.invalidate()


def _keep_unchanged(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any] | None:
    """``new``, where each document equal to the one read before is that same object again.

    What a reader built from a document (the store's models) stays valid for as long as the
    document is the same object, and an unchanged document is held in memory once, not twice.
    """
    if old is None or new is None:
        return new
    for name, table in new.items():
        before = old.get(name) or {}
        if isinstance(table, Documents):
            continue  # where each line is: kept or not, the store compares what it holds (store/file/documents.py)
        for key, document in table.items():
            previous = before.get(key)
            if previous is not None and same(previous, document):
                table[key] = previous
    return new


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


add_catalog(
    "de",
    {
        "{path}: cannot write the journal of the data file: {detail}.": "{path}: Journal der Datendatei nicht schreibbar: {detail}.",
    },
)
