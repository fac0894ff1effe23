"""A TinyDB middleware that makes each read-modify-write one locked transaction.

Inside ``transaction()`` the data file's lock is held, the file is re-read only
if another process changed it, and all writes are collected into one: however
many documents an edit sets, the storage writes once. Documents set with
``put`` are named to the storage, which can then append just those to its
journal; a write of whole tables (TinyDB's own table operations) is written
whole. A failing transaction writes nothing and drops the cached data,
so the next read sees the file as it is. Writes outside a transaction are a
programming error: they would race with other processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from filelock import FileLock, Timeout
from tinydb.middlewares import Middleware

from store.errors import LockTimeout, StoreFileError


class TransactionMiddleware(Middleware):
    def __init__(self, storage_cls: Any, *, lock_timeout: float = 10.0) -> None:
        super().__init__(storage_cls)
        self.lock_timeout = lock_timeout
        self._pending: dict[str, Any] | None = None
        self._dirty = False
        self._changed: dict[str, set[str]] | None = {}  # None: whole tables were written
        self._lock: FileLock | None = None

    def read(self) -> dict[str, Any] | None:
        if self._pending is not None:
            return self._pending
        return self.storage.read()

    def write(self, data: dict[str, Any]) -> None:
        if self._pending is None:
            raise RuntimeError("writes to the data file must happen inside transaction()")
        self._pending = data
        self._dirty = True
        self._changed = None

    def put(self, table: str, key: str, document: dict[str, Any]) -> None:
        """Set one document of the transaction's tables, to be written when it ends."""
        if self._pending is None:
            raise RuntimeError("writes to the data file must happen inside transaction()")
        self._pending.setdefault(table, {})[key] = document
        self._dirty = True
        if self._changed is not None:
            self._changed.setdefault(table, set()).add(key)

    def changed_since(self, mark: tuple[int, int]) -> list[tuple[str, str]] | None:
        """The storage's change log since ``mark``, and inside a transaction the documents it set so far."""
        changed = self.storage.changed_since(mark)
        if changed is None or self._pending is None:
            return changed
        if self._changed is None:
            return None
        return changed + [(table, key) for table, keys in self._changed.items() for key in keys]

    @property
    def in_transaction(self) -> bool:
        return self._pending is not None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._pending is not None:
            raise RuntimeError("transactions do not nest")
        folder = self.storage.path.parent
        if not folder.is_dir():  # checked first: taking the lock would create it
            raise StoreFileError("{path}: the folder does not exist.", path=folder)
        if self._lock is None:
            self._lock = FileLock(self.storage.lock_path, poll_interval=0.01, preserve_lock_file=True)
        try:
            self._lock.acquire(timeout=self.lock_timeout)
        except Timeout:
            raise LockTimeout(
                "{path}: another process has held the lock for more than {seconds} seconds (lock file {lock}).",
                path=self.storage.path,
                seconds=self.lock_timeout,
                lock=self.storage.lock_path,
            ) from None
        try:
            tables = self.storage.read()
            self._pending = {} if tables is None else tables
            self._dirty, self._changed = False, {}
            try:
                yield
                if self._dirty:
                    self.storage.write(self._pending, self._changed)
            except BaseException:
                # TinyDB changed the cached tables in place: they no longer match the file.
                self.storage.invalidate()
                raise
        finally:
            self._pending = None
            self._lock.release()
