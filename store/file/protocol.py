"""What the store asks of its data file: the storage behind :class:`store.Store` and its transactions.

:class:`store.file.transaction.TransactionMiddleware` around :class:`store.file.storage.AtomicJSONStorage`
is the one implementation; naming the methods here keeps the store from leaning on anything else of it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from store.file.changelog import Mark
from store.file.journal import Base
from store.file.storage import Signature


class DataFile(Protocol):
    # Seconds a transaction waits for another process's lock before LockTimeout; 0: one try.
    lock_timeout: float

    @property
    def generation(self) -> int:
        """How many transactions the file has seen, as of the last read or write."""
        ...

    @property
    def signature(self) -> Signature | None:
        """What identifies the state last read or written; None before the first read."""
        ...

    @property
    def base(self) -> Base | None:
        """The version of the data file as of the last read or write (its journal names it)."""
        ...

    @property
    def wrote_whole(self) -> bool:
        """Whether the last write rewrote the data file (rather than appending to its journal)."""
        ...

    @property
    def focus(self) -> str | None:
        """The reference of the one motion the next reads need, if only one (store/file/offsets.py)."""
        ...

    @focus.setter
    def focus(self, ref: str | None) -> None: ...

    @property
    def mark(self) -> Mark:
        """Where the log of written documents stands now; see :meth:`changed_since`."""
        ...

    def read(self) -> dict[str, Any] | None:
        """The tables, table name -> key -> document; inside a transaction with its writes so far.
        The storage's own objects: a reader never changes them."""
        ...

    def peek(self) -> tuple[Base, list[Any]] | None:
        """The data file's version and its journal's records, without parsing the file."""
        ...

    def glance(self, ref: str) -> dict[str, Any] | None:
        """The tables with only the motion ``ref`` names, as a read focused on it finds them now (none of it kept);
        None where that would take reading the whole file."""
        ...

    def changed_since(self, mark: Mark) -> list[tuple[str, str]] | None:
        """(table, key) of each document written since ``mark``; None if not known."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """The file's lock held, the tables current, and every :meth:`put` written once at the end."""
        ...

    def put(self, table: str, key: str, document: dict[str, Any]) -> None:
        """Inside a transaction: set one document, written when the transaction ends."""
        ...

    def patch(self, table: str, key: str, fields: dict[str, Any]) -> None:
        """Inside a transaction: set (None: remove) some fields of one document beside its motion, written as just those."""
        ...

    def rewrite(self) -> None:
        """Inside a transaction: write it whole, so that nothing it replaced stays in the journal."""
        ...

    def bulk(self) -> AbstractContextManager[None]:
        """Transactions in this block go to the journal, however large."""
        ...

    def compact(self) -> None:
        """Inside a transaction: write the file whole if the journal outgrew its usual share."""
        ...

    def close(self) -> None: ...
