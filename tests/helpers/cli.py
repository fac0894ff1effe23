"""A command-line test's own environment, and a run of `sachstand` in this process."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tui.cli import main


def command_line_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data file's path in ``tmp_path``, with nothing from outside: no config file, no setting, locale or
    proxy from the environment; the user anna, C.UTF-8."""
    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("SACHSTAND_USER", "anna")
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("SACHSTAND_DB", "SACHSTAND_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return tmp_path / "data.json"


def run_sachstand(db: Path, *args: str, lang: str | None = None) -> tuple[int, str, str]:
    """Exit code, output and errors of `sachstand --db DB [--lang LANG] ARGS`."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(db), *(["--lang", lang] if lang else []), *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
