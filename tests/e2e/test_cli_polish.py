"""The command line's rough edges found on first contact (issue 12): dates as a German clerk types
them in every command, reference numbers without their blanks, exports, re-importing the example."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_cli import USER, cli, db, ok, stored

from store import Motion, Store, new_items, new_motion_id

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
