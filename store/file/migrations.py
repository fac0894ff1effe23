"""Data format versions and the steps between them.

``SCHEMA_VERSION`` is written into every file's header. Opening a file of an
older version runs the registered steps in order, in memory; the migrated form
reaches the disk with the next write (the previous file is kept as a backup).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Tables = dict[str, Any]

SCHEMA_VERSION = 3


def _documents_unchanged(tables: Tables) -> Tables:
    """Version 2 keeps recent transactions in a journal beside the file (store/file/journal.py); the
    documents are as in version 1. The new number keeps Sachstand versions that would not read the
    journal from opening a file that has one: they refuse it as written by a newer version."""
    return tables


def _journal_patches(tables: Tables) -> Tables:
    """Version 3's journal may set some fields of a document without the rest (store/file/journal.py,
    ``patches``); the documents are as in version 2. An older Sachstand would skip those lines' patches and
    read the motions a sync agreed on as never synced: the new number makes it refuse the file instead."""
    return tables


# version n -> function turning the tables of version n into those of n + 1
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {1: _documents_unchanged, 2: _journal_patches}


def migrate(tables: Tables, version: int) -> Tables:
    """Bring ``tables`` from ``version`` up to :data:`SCHEMA_VERSION`."""
    while version < SCHEMA_VERSION:
        tables = MIGRATIONS[version](tables)
        version += 1
    return tables
