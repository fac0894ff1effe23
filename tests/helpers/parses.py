"""The lines of the data file parsed while a test watches: store/file/documents.py parses whole lines,
store/file/parts.py the part of a line before its history; both counted."""

from __future__ import annotations

import pytest

from store.file import documents, parts


def parses_counted(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Each line (or part of one) parsed from now on."""
    seen: list[bytes] = []
    parse = documents.parsed

    def counted(line: bytes) -> documents.Doc | None:
        seen.append(line)
        return parse(line)

    for module in (documents, parts):
        monkeypatch.setattr(module, "parsed", counted)
    return seen
