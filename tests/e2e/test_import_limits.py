"""Hostile and oversized input to the importers, end to end through the command line and the workflows:
a clear message naming what and where, the other papers imported or nothing saved, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from store.exchange.letter import LETTER_LIMIT
from tui.cli import main

from helpers.stored import stored_files


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("SACHSTAND_USER", "anna")
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("SACHSTAND_DB", "SACHSTAND_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return tmp_path / "data.json"


def run(db: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(db), "--lang", "en", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# --- letters ---------------------------------------------------------------------------------------


def test_a_letter_beyond_the_limit_is_refused_naming_the_limit_and_nothing_is_saved(db: Path, tmp_path: Path) -> None:
    run(db, "example")
    before = stored_files(db)
    huge = tmp_path / "riesig.txt"
    huge.write_text("Es wird beantragt:\n" + "1. Radweg\n" * (LETTER_LIMIT // 10), "utf-8")
    code, _out, err = run(db, "import", str(huge), "--yes")
    assert code == 2 and "Traceback" not in err
    assert f"riesig.txt: longer than {LETTER_LIMIT} characters" in err
    assert stored_files(db) == before
