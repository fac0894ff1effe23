"""A TinyDB storage for one JSON file that survives crashes and notices other writers.

- Writes are atomic: a temp file in the same folder, fsync, ``os.replace``,
  fsync of the folder. A crash at any instant leaves the old or the new file.
- Before each replace the previous file is kept as a backup by a hard link
  (no copy), rotating through ``backups`` generations.
- The file starts with a small header ``{"sachstand":{"schema":S,"generation":G},``.
  ``read`` only parses the file again when its stat or its generation differ
  from the last read, so an unchanged file costs one ``fstat`` and a 256-byte
  read instead of a full parse.
- Serialising is done with orjson, once per write.

The storage does no locking itself; :mod:`store.transaction` serialises the
read-modify-write cycles of several processes around it.
"""

from __future__ import annotations

import errno
import gc
import os
import re
import stat
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from tinydb.storages import Storage

from store.errors import StoreFileError
from store.migrations import SCHEMA_VERSION, migrate

HEADER = "sachstand"
_HEADER_PEEK = 256
_HEADER_PATTERN = re.compile(rb'^\{"sachstand":\{"schema":(\d+),"generation":(\d+)\}')


class Signature(NamedTuple):
    """What identifies one written version of the file."""

    inode: int
    size: int
    mtime_ns: int
    generation: int | None


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | os.PathLike[str], *, backups: int = 3) -> None:
        self.path = Path(path)
        self.backups = backups
        self._tables: dict[str, Any] | None = None
        self._signature: Signature | None = None
        self._generation = 0
        self._swept = False

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @property
    def generation(self) -> int:
        """How many writes the file has seen, as of our last read or write."""
        return self._generation

    @property
    def signature(self) -> Signature | None:
        return self._signature

    def backup_path(self, number: int) -> Path:
        return self.path.with_name(f"{self.path.name}.bak{number}")

    def invalidate(self) -> None:
        """Forget the cached tables: the next read parses the file again."""
        self._tables = None
        self._signature = None

    def read(self) -> dict[str, Any] | None:
        try:
            handle = open(self.path, "rb")
        except FileNotFoundError:
            self._tables, self._signature, self._generation = None, None, 0
            return None
        except OSError as error:
            raise StoreFileError(
                "{path}: cannot read the data file: {detail}.", path=self.path, detail=error.strerror
            ) from error
        with handle:
            status = os.fstat(handle.fileno())
            head = handle.read(_HEADER_PEEK)
            found = _HEADER_PATTERN.match(head)
            signature = Signature(
                status.st_ino, status.st_size, status.st_mtime_ns, int(found.group(2)) if found else None
            )
            if signature == self._signature and self._tables is not None:
                return self._tables
            handle.seek(0)
            content = handle.read()  # not head + the rest: that would hold the file's bytes twice
        tables, self._generation = self._parse(content)
        self._tables = _keep_unchanged(self._tables, tables)
        self._signature = signature
        return self._tables

    def _parse(self, content: bytes) -> tuple[dict[str, Any] | None, int]:
        if not content.strip():
            # Our writes never leave an empty file, so one is damage (or a `touch`):
            # refuse rather than start over on top of it.
            raise StoreFileError(
                "{path}: the file is empty. Restore a backup ({backup}) or delete the file to start a new store.",
                path=self.path, backup=self.backup_path(1).name,
            )
        try:
            data = _loads(content)
        except orjson.JSONDecodeError as error:
            raise StoreFileError(
                "{path}: not valid JSON ({detail}, line {line}, column {column}).",
                path=self.path, detail=error.msg, line=error.lineno, column=error.colno,
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get(HEADER), dict):
            raise StoreFileError("{path}: not a Sachstand data file (no 'sachstand' header).", path=self.path)
        header = data.pop(HEADER)
        schema, generation = header.get("schema"), header.get("generation")
        if not _is_count(schema) or not _is_count(generation):
            raise StoreFileError(
                "{path}: broken header: {detail}.", path=self.path,
                detail=f"schema={schema!r}, generation={generation!r}",
            )
        if schema > SCHEMA_VERSION:
            raise StoreFileError(
                "{path}: written by a newer Sachstand (data format {found}; this version reads up to {supported}). Update Sachstand; the file was not changed.",
                path=self.path, found=schema, supported=SCHEMA_VERSION,
            )
        for name, table in data.items():
            if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
                raise StoreFileError(
                    "{path}: broken header: {detail}.", path=self.path,
                    detail=f"table {name!r} is not an object of documents",
                )
        return migrate(data, schema), generation

    def write(self, data: dict[str, Any]) -> None:
        generation = self._generation + 1
        payload = orjson.dumps({HEADER: {"schema": SCHEMA_VERSION, "generation": generation}, **data})
        folder = self.path.parent
        if not self._swept:
            self._sweep_temp_files()
        temp = folder / f".{self.path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            try:
                self._keep_mode(descriptor)
                view = memoryview(payload)
                while view:
                    view = view[os.write(descriptor, view):]
                os.fsync(descriptor)
                written = os.fstat(descriptor)
            finally:
                os.close(descriptor)
            self._rotate_backups()
            os.replace(temp, self.path)
            _fsync_folder(folder)
        except OSError as error:
            temp.unlink(missing_ok=True)
            self.invalidate()
            raise StoreFileError(
                "{path}: cannot write the data file: {detail}.", path=self.path,
                detail=error.strerror or str(error),
            ) from error
        self._tables = data
        self._generation = generation
        self._signature = Signature(written.st_ino, written.st_size, written.st_mtime_ns, generation)

    def _keep_mode(self, descriptor: int) -> None:
        """Give the new version the old one's permissions (a group sharing the file keeps write access)."""
        try:
            os.fchmod(descriptor, stat.S_IMODE(os.stat(self.path).st_mode))
        except FileNotFoundError:
            pass

    def _rotate_backups(self) -> None:
        if self.backups < 1 or not self.path.exists():
            return
        for number in range(self.backups, 1, -1):
            older = self.backup_path(number - 1)
            if older.exists():
                os.replace(older, self.backup_path(number))
        newest = self.backup_path(1)
        newest.unlink(missing_ok=True)
        try:
            os.link(self.path, newest)
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                raise
            newest.write_bytes(self.path.read_bytes())  # file systems without hard links

    def _sweep_temp_files(self) -> None:
        """Remove temp files left by writers that crashed (we hold the lock, so none is live)."""
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            leftover.unlink(missing_ok=True)
        self._swept = True

    def close(self) -> None:
        self.invalidate()


def _loads(content: bytes) -> Any:
    """orjson.loads with Python's cycle collector paused.

    The parse makes hundreds of thousands of containers, none in a cycle, and runs no Python code
    that could make garbage; left on, the collector would scan the growing heap again and again
    (at 10,000 motions, and more so beside an older copy, that doubled the parse). It runs once
    afterwards instead.
    """
    if not gc.isenabled():
        return orjson.loads(content)
    gc.disable()
    try:
        return orjson.loads(content)
    finally:
        gc.enable()


def _keep_unchanged(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any] | None:
    """``new``, where each document equal to the one read before is that same object again.

    What a reader built from a document (the store's models) stays valid for as long as the
    document is the same object, and an unchanged document is held in memory once, not twice.
    """
    if old is None or new is None:
        return new
    for name, table in new.items():
        before = old.get(name) or {}
        for key, document in table.items():
            previous = before.get(key)
            if previous is not None and _same(previous, document):
                table[key] = previous
    return new


def _same(one: Any, other: Any) -> bool:
    """Equal as JSON: Python's == alone takes 1, 1.0 and true for the same value."""
    return bool(one == other and orjson.dumps(one) == orjson.dumps(other))


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
