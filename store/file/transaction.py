"""The layer around the storage that makes each read-modify-write one locked transaction.

Inside ``transaction()`` the data file's lock is held, the file is re-read only
if another process changed it, and all writes are collected into one: however
many documents an edit sets, the storage writes once. Documents set with
``put`` are named to the storage, which can then append just those to its
journal; of a document only some fields of which were set with ``patch``, just
those fields. A failing transaction writes nothing and drops the cached data, so
the next read sees the file as it is. Writes outside a transaction are
a programming error: they would race with other processes. It is the store's
:class:`store.file.protocol.DataFile`.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from store.errors import LockTimeout, StoreFileError
from store.file.changelog import Mark
from store.file.documents import parsed_once, patch
from store.file.journal import Base, Patches
from store.file.storage import AtomicJSONStorage, Signature
from store.i18n import Msg, add_catalog

try:
    import fcntl
except ImportError:  # not a POSIX system: filelock's lock serves
    fcntl = None  # type: ignore[assignment]

POLL = 0.01  # seconds between tries while another process holds the lock
_BUSY = frozenset({errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK})  # some file systems say EACCES


class _Busy(Exception):
    """The lock stayed taken for the whole timeout."""


class Lock:
    """The lock every writer of a file takes: ``flock`` on the lock file, released by the system when a
    holder dies, and the file kept between holders (removing it would let two writers lock two different
    files). It is the lock filelock takes, so either kind of holder keeps the other out, and a second
    handle in the same process waits as another process does; taken here without importing filelock,
    which cost every command 13 ms to import (logging, secrets, threading and their kin). Where
    there is no ``flock`` (another system, a file system without it), filelock's lock serves."""

    def __init__(self, path: Path) -> None:
        self.lock_file = str(path)
        self._descriptor: int | None = None
        self._portable: Any = None  # filelock's FileLock, once flock turned out missing

    def take(self, timeout: float) -> None:
        """Within ``timeout`` seconds (less than 0: however long), or _Busy; OSError if the file cannot be used."""
        if self._portable is None and fcntl is not None:
            descriptor = os.open(self.lock_file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            try:
                if self._flock(descriptor, timeout):
                    self._descriptor = descriptor
                    return
            except BaseException:
                os.close(descriptor)
                raise
            os.close(descriptor)
        self._take_portable(timeout)

    def _flock(self, descriptor: int, timeout: float) -> bool:
        """Whether flock took the lock; False if this file system has no flock."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except OSError as error:
                if error.errno == errno.ENOSYS:
                    return False
                if error.errno not in _BUSY:
                    raise
            if timeout >= 0 and deadline <= time.monotonic():
                raise _Busy
            time.sleep(POLL)

    def _take_portable(self, timeout: float) -> None:
        from filelock import FileLock, Timeout

        if self._portable is None:
            self._portable = FileLock(self.lock_file, poll_interval=POLL, preserve_lock_file=True)
        try:
            self._portable.acquire(timeout=timeout)
        except Timeout:
            raise _Busy from None

    def release(self) -> None:
        descriptor, self._descriptor = self._descriptor, None
        if descriptor is not None:
            os.close(descriptor)  # closing the only descriptor of the open file releases its flock
        elif self._portable is not None:
            self._portable.release()


def lock_file(path: Path) -> Lock:
    """The lock of the file whose lock file is ``path`` (see :class:`Lock`)."""
    return Lock(path)


def acquire(lock: Lock, guarded: Path, timeout: float, cannot: str) -> None:
    """Take ``lock`` for the file ``guarded`` within ``timeout`` seconds, or say why not: ``cannot`` is the
    message when the lock file itself cannot be used (a folder in its place, a read-only folder)."""
    folder = Path(lock.lock_file).parent
    if not folder.is_dir():  # checked first: taking the lock would create it
        raise StoreFileError("{path}: the folder does not exist.", path=folder)
    try:
        lock.take(timeout)
    except _Busy:
        raise LockTimeout(
            "{path}: another process has held the lock for more than {seconds} seconds (lock file {lock}).",
            path=guarded,
            seconds=timeout,
            lock=lock.lock_file,
        ) from None
    except OSError as error:
        raise StoreFileError(cannot, path=lock.lock_file, detail=error.strerror or str(error)) from None


class TransactionMiddleware:
    def __init__(self, storage: AtomicJSONStorage, *, lock_timeout: float) -> None:
        self.storage = storage
        self.lock_timeout = lock_timeout
        self._pending: dict[str, Any] | None = None
        self._changed: dict[str, set[str]] = {}
        self._patches: Patches = {}  # of the documents changed, those only patched: the fields set
        self._new = 0  # how many of the documents put the tables did not hold (the journal's room counts them)
        self._rewrite = False
        self._lock: Lock | None = None

    def read(self) -> dict[str, Any] | None:
        if self._pending is not None:
            return self._pending
        return self.storage.read()

    def put(self, table: str, key: str, document: dict[str, Any]) -> None:
        """Set one document of the transaction's tables, to be written when it ends."""
        if self._pending is None:
            raise RuntimeError("writes to the data file must happen inside transaction()")
        documents = self._pending.setdefault(table, {})
        if key not in documents:
            self._new += 1
        documents[key] = document
        self._changed.setdefault(table, set()).add(key)
        self._patches.get(table, {}).pop(key, None)  # written whole now

    def patch(self, table: str, key: str, fields: dict[str, Any]) -> None:
        """Set (None: remove) some fields of one document the tables hold, beside its motion (a sync client's
        bookkeeping): written as just those fields, unless the transaction writes the document whole."""
        if self._pending is None:
            raise RuntimeError("writes to the data file must happen inside transaction()")
        patch(self._pending[table], key, fields)
        keys = self._changed.setdefault(table, set())
        patches = self._patches.setdefault(table, {})
        if key in patches or key not in keys:
            patches[key] = {**patches.get(key, {}), **fields}
        keys.add(key)

    def rewrite(self) -> None:
        """Write this transaction whole, the journal and the backups gone: what it replaced stays in no file."""
        self._rewrite = True

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """The transactions of this block go to the journal, however large (see compact)."""
        self.storage.in_bulk = True
        try:
            with parsed_once():
                yield
        finally:
            self.storage.in_bulk = False

    def compact(self) -> None:
        """In a transaction, after a bulk: the file written whole if the journal outgrew its usual share."""
        if self._pending is None:
            raise RuntimeError("compact() belongs inside transaction()")
        self.storage.compact()

    # What the store reads of the storage itself, named rather than forwarded blindly.

    @property
    def generation(self) -> int:
        return self.storage.generation

    @property
    def signature(self) -> Signature | None:
        return self.storage.signature

    @property
    def base(self) -> Base | None:
        return self.storage.base

    @property
    def focus(self) -> str | None:
        return self.storage.focus

    @focus.setter
    def focus(self, ref: str | None) -> None:
        self.storage.focus = ref

    @property
    def wrote_whole(self) -> bool:
        return self.storage.wrote_whole

    @property
    def mark(self) -> Mark:
        return self.storage.mark

    def peek(self) -> tuple[Base, list[Any]] | None:
        return self.storage.peek()

    def glance(self, ref: str) -> dict[str, Any] | None:
        return self.storage.glance(ref)

    def close(self) -> None:
        self.storage.close()

    def changed_since(self, mark: Mark) -> list[tuple[str, str]] | None:
        """The storage's change log since ``mark``, and inside a transaction the documents it set so far."""
        changed = self.storage.changed_since(mark)
        if changed is None or self._pending is None:
            return changed
        return changed + [(table, key) for table, keys in self._changed.items() for key in keys]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._pending is not None:
            raise RuntimeError("transactions do not nest")
        if self._lock is None:
            self._lock = lock_file(self.storage.files.lock)
        acquire(
            self._lock,
            self.storage.path,
            self.lock_timeout,
            Msg("{path}: cannot take the lock of the data file: {detail}."),
        )
        try:
            tables = self.storage.read()
            self._pending = {} if tables is None else tables
            self._changed, self._patches, self._rewrite, self._new = {}, {}, False, 0
            try:
                yield
                if self._changed:
                    self.storage.write(
                        self._pending, self._changed, patches=self._patches, forget=self._rewrite, new=self._new
                    )
            except BaseException:
                # put changed the cached tables in place: they no longer match the file.
                self.storage.invalidate()
                raise
        finally:
            self._pending = None
            self._lock.release()


add_catalog(
    "de",
    {
        "{path}: cannot take the lock of the data file: {detail}.": "{path}: Sperre der Datendatei nicht möglich: {detail}.",
    },
)
