"""The command line's rough edges found on first contact (issue 12): dates as a German clerk types
them in every command, reference numbers without their blanks, exports, re-importing the example."""

from __future__ import annotations

import os
import re
import socket
from datetime import date
from pathlib import Path

import pytest
from test_cli import USER, cli, db, ok, stored

from store import EXAMPLE_ID, Motion, Store, example_letter, new_items, new_motion_id
from store.example import LETTER

__all__ = ["db"]  # the fixture, shared with test_cli

REF = "DS 12/2026"


@pytest.fixture
def referenced(db: Path) -> str:
    """A store with one motion of reference DS 12/2026 and two items; its id."""
    with Store(db, user=USER) as store:
        motion = store.add_motion(
            Motion(id=new_motion_id(), title="Radwege", reference=REF, items=new_items(["Bestand", "Plan"]))
        )
    return motion.id


# --- dates as dd.mm.yyyy or yyyy-mm-dd, in every command -------------------------------------------


def test_add_takes_german_and_iso_dates(db: Path) -> None:
    added = ok(db, "add", "--title", "T", "--item", "x", "--submitted", "28.07.2020", "--meeting", "2020-09-01")
    motion = stored(db, added.last_line)
    assert motion.submitted == date(2020, 7, 28) and motion.meeting == date(2020, 9, 1)


def test_set_takes_a_german_due_date_and_an_empty_one_clears_it(db: Path, referenced: str) -> None:
    ok(db, "set", referenced, "1", "open", "--due", "1.8.2026")
    assert stored(db, referenced).items[0].due == date(2026, 8, 1)
    ok(db, "set", referenced, "1", "open", "--due", "")
    assert stored(db, referenced).items[0].due is None


def test_export_meeting_takes_a_german_date(db: Path) -> None:
    ok(db, "add", "--title", "Am Termin", "--item", "x", "--meeting", "2020-09-01")
    ok(db, "add", "--title", "Anderer Termin", "--item", "y", "--meeting", "2020-09-02")
    for day in ("01.09.2020", "2020-09-01"):
        report = ok(db, "--lang", "en", "export", "--meeting", day).out
        assert "Am Termin" in report and "Anderer Termin" not in report


def test_a_bad_german_date_names_both_forms_in_both_languages(db: Path, referenced: str) -> None:
    before = db.read_bytes()
    english = cli(db, "--lang", "en", "set", referenced, "1", "open", "--due", "30.02.2026")
    german = cli(db, "--lang", "de", "set", referenced, "1", "open", "--due", "30.02.2026")
    assert english.code == german.code == 2
    assert "--due: expected a date DD.MM.YYYY or YYYY-MM-DD, got '30.02.2026'." in english.err
    assert "--due: Datum im Format TT.MM.JJJJ oder JJJJ-MM-TT erwartet, erhalten: '30.02.2026'." in german.err
    assert db.read_bytes() == before


def test_help_names_the_date_placeholder_in_the_users_language(db: Path) -> None:
    assert "--due DATUM" in ok(db, "--lang", "de", "set", "--help").out
    assert "--due DATE" in ok(db, "--lang", "en", "set", "--help").out


# --- a reference number without its blanks, in any case --------------------------------------------


@pytest.mark.parametrize("typed", ["DS 12/2026", "DS12/2026", "ds12/2026", " ds 12 / 2026 "])
def test_a_reference_is_found_without_its_blanks_and_in_any_case(db: Path, referenced: str, typed: str) -> None:
    assert ok(db, "show", typed, "--json").json()["id"] == referenced
    ok(db, "set", typed, "2", "done")
    assert stored(db, referenced).items[1].status == "done"


def test_a_reference_that_differs_in_more_than_blanks_is_not_found(db: Path, referenced: str) -> None:
    result = cli(db, "--lang", "en", "show", "DS12/2027")
    assert result.code == 2 and "No motion matches 'DS12/2027'" in result.err


# --- exports: permissions as the user's files have them, the full path, one department's items ----------


def _two_departments(db: Path) -> str:
    motion_id = ok(db, "add", "--title", "Radwege", "--item", "Bestand", "--item", "Plan", "--item", "Kosten").last_line
    ok(db, "set", motion_id, "1", "open", "--department", "Amt 66")
    ok(db, "set", motion_id, "2", "open", "--department", "Amt 20")
    ok(db, "set", motion_id, "3", "open", "--department", " amt 66 ")
    ok(db, "add", "--title", "Schulen", "--item", "Tablets")
    return motion_id


def test_export_department_lists_only_that_departments_items(db: Path) -> None:
    _two_departments(db)
    report = ok(db, "--lang", "en", "export", "--department", "AMT 66").out
    assert "1. Bestand" in report and "3. Kosten" in report and "Plan" not in report and "Schulen" not in report
    rows = ok(db, "--lang", "en", "export", "--format", "csv", "--plain", "--department", "Amt 20").out.splitlines()
    assert len(rows) == 2 and "Plan" in rows[1]
    whole = ok(db, "export", "--format", "json", "--department", "Amt 20").json()["motions"]
    assert [len(motion["items"]) for motion in whole] == [3]  # JSON keeps the motion whole, for an import


def test_an_export_file_gets_the_users_umask_and_the_message_its_full_path(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(db, "example")
    monkeypatch.chdir(tmp_path)
    before = os.umask(0o022)
    try:
        result = ok(db, "--lang", "en", "export", "-o", "bericht.md")
    finally:
        os.umask(before)
    written = tmp_path / "bericht.md"
    assert written.stat().st_mode & 0o777 == 0o644
    assert f"Wrote 1 motion to {written}." in result.err


# --- the example letter is the example motion ------------------------------------------------------


def test_importing_the_example_letter_after_the_example_finds_the_same_motion(db: Path, tmp_path: Path) -> None:
    ok(db, "example")
    letter = tmp_path / LETTER
    letter.write_text(example_letter(), "utf-8")
    result = ok(db, "--lang", "en", "import", str(letter), "--yes")
    assert "0 new" in result.err
    with Store(db, user=USER) as store:
        motions = store.motions()
    assert [motion.id for motion in motions] == [EXAMPLE_ID]
    assert motions[0].text.startswith("Die aktuelle Corona-Pandemie")  # not "die": the text stands alone


def test_token_list_shows_when_as_every_command_shows_times(db: Path, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    ok(db, "token", "add", "anna", "--tokens", str(tokens))
    german = ok(db, "--lang", "de", "token", "list", "--tokens", str(tokens)).out
    english = ok(db, "--lang", "en", "token", "list", "--tokens", str(tokens)).out
    assert re.fullmatch(r"anna\t\d\d\.\d\d\.\d{4} \d\d:\d\d\tclerk\t\n", german), german
    assert re.fullmatch(r"anna\t\d{4}-\d\d-\d\d \d\d:\d\d\tclerk\t\n", english), english


# --- serve on a busy port, token add in a missing folder ---------------------------------------------


def test_serve_on_a_busy_port_says_so_in_german_before_anything_else(db: Path, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli(db, "--lang", "de", "serve", "--tokens", str(tmp_path / "t.json"), "--port", str(port))
    assert result.code == 1
    assert result.err.endswith(f"Port {port} auf 127.0.0.1 ist schon belegt.\n"), result.err
    assert "bereitgestellt" not in result.err + result.out and not db.exists()


def test_token_add_in_a_missing_folder_says_the_folder_does_not_exist(db: Path, tmp_path: Path) -> None:
    tokens = tmp_path / "nicht-da" / "tokens.json"
    result = cli(db, "--lang", "de", "token", "add", "anna", "--tokens", str(tokens))
    assert result.code == 1 and f"{tokens.parent}: der Ordner existiert nicht." in result.err, result.err
    assert not tokens.parent.exists()


def test_a_missing_item_of_a_one_item_motion_is_said_in_the_singular(db: Path) -> None:
    motion_id = ok(db, "add", "--title", "T", "--item", "x").last_line
    english = cli(db, "--lang", "en", "set", motion_id, "2", "done")
    german = cli(db, "--lang", "de", "set", motion_id, "2", "done")
    assert english.code == german.code == 2
    assert "has no item 2; its only item is 1." in english.err
    assert "hat keinen Punkt 2; sein einziger Punkt ist 1." in german.err


def test_a_refused_undo_says_when_as_every_command_shows_times(
    db: Path, referenced: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(db, "set", referenced, "1", "done")
    monkeypatch.setenv("SACHSTAND_USER", "bert")
    ok(db, "set", referenced, "1", "open")
    monkeypatch.setenv("SACHSTAND_USER", USER)
    german = cli(db, "--lang", "de", "undo")
    english = cli(db, "--lang", "en", "undo")
    assert german.code == english.code == 1
    assert re.search(r"von bert am \d\d\.\d\d\.\d{4} \d\d:\d\d erneut geändert", german.err), german.err
    assert re.search(r"changed again by bert at \d{4}-\d\d-\d\d \d\d:\d\d\.", english.err), english.err
