"""What 'the stored data is left byte for byte unchanged' compares: the data file and its journal."""

from __future__ import annotations

from pathlib import Path

import pytest


def stored_files(path: Path) -> dict[str, bytes]:
    """The data file and its journal (if there is one), by name, byte for byte."""
    return {part.name: part.read_bytes() for part in (path, path.with_name(path.name + ".journal")) if part.exists()}


def whole_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write from now on rewrites the data file whole: as when the journal has grown past its share of it."""
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
    monkeypatch.setattr("store.file.storage.JOURNAL_SHARE", 10**9)
