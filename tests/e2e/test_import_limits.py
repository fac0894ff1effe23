"""Hostile and oversized input to the importers, end to end through the command line and the workflows:
a clear message naming what and where, the other papers imported or nothing saved, never a traceback."""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path

import pytest

from store import Motion, Store
from store.exchange.letter import LETTER_LIMIT
from store.exchange.oparl import reader
from store.values import LINE_LIMIT, TITLE_LIMIT
from tui.cli import main

from helpers.cli import command_line_db, run_sachstand
from helpers.oparl_server import OParlServer
from helpers.stored import stored_files


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return command_line_db(tmp_path, monkeypatch)


PAPER_LIST = "/body/0/papers/"  # body 0's paper list on the test server


def list_requests(server: OParlServer) -> list[str]:
    return [target for target in server.requests if target.startswith(PAPER_LIST)]


def run(db: Path, *args: str) -> tuple[int, str, str]:
    return run_sachstand(db, *args, lang="en")


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


# --- OParl: one paper's over-long values ------------------------------------------------------------

# Paper 1 (an Antrag) with a long name and reference, its originating group, the department in charge
# and the committee of its consultation with long names.
LONG = ("/paper/1001", "/organization/1000", "/organization/2000", "/organization/34")


def _assert_long_paper_shortened_and_the_others_in(motions: list[Motion]) -> None:
    assert len(motions) == 6  # the Anträge 1, 3, 5, 7, 9, 11: the long one did not stop the others
    (long,) = [motion for motion in motions if motion.source.endswith("/vorlage/1001.html")]
    shortened = {
        "title": (long.title, TITLE_LIMIT),
        "reference": (long.reference, LINE_LIMIT),
        "group": (long.submitted_by[0], LINE_LIMIT),
        "committee": (long.committee, LINE_LIMIT),
        "item": (long.items[0].title, TITLE_LIMIT),
        "department": (long.items[0].department, LINE_LIMIT),
    }
    for name, (value, limit) in shortened.items():
        assert limit - 5 < len(value) <= limit and value.endswith("…"), name
    assert long.title.startswith("Antrag Nr. 1: Radweg an der Hauptstraße Antrag Nr. 1")
    others = [motion for motion in motions if motion is not long]
    assert all(len(motion.title) < 100 and not motion.title.endswith("…") for motion in others)


def test_an_over_long_oparl_value_is_shortened_and_the_other_papers_go_in(db: Path, oparl: OParlServer) -> None:
    oparl.quirks.long_values.update(LONG)
    code, _out, err = run(db, "oparl", oparl.url("/body/0"))
    assert code == 0, err
    assert "Imported: 6 new" in err
    with Store(db, user="anna") as store:
        _assert_long_paper_shortened_and_the_others_in(store.motions())


def test_the_oparl_workflow_shortens_an_over_long_value_too(tmp_path: Path, oparl: OParlServer) -> None:
    from store.exchange.workflows import OParlImport

    oparl.quirks.long_values.update(LONG)
    with Store(tmp_path / "data.json", user="anna") as store:
        run = OParlImport.begin(store, oparl.url("/body/0"))
        run.fetch(["Antrag"], warn=lambda notice: None)
        result = run.save(store, date(2024, 1, 1))
        assert len(result.added) == 6
        _assert_long_paper_shortened_and_the_others_in(store.motions())


# --- OParl: a hostile server cannot make the client loop or fill the memory -----------------------


def _refused(db: Path, oparl: OParlServer, *expected: str) -> None:
    """``sachstand oparl`` stops with exit 1 and a message naming the limit and the URL; nothing is saved."""
    run(db, "example")
    before = stored_files(db)
    started = time.monotonic()
    code, _out, err = run(db, "oparl", oparl.url("/body/0"))
    assert code == 1, err
    assert "Traceback" not in err and all(text in err for text in expected), err
    assert stored_files(db) == before
    assert time.monotonic() - started < 60


def test_an_answer_nested_100000_deep_is_refused_naming_the_limit(db: Path, oparl: OParlServer) -> None:
    oparl.quirks.raw[PAPER_LIST] = "[" * 100_000 + "]" * 100_000
    _refused(db, oparl, f"{oparl.url(PAPER_LIST)}: the answer is nested deeper than {reader.MAX_DEPTH} levels")


def test_an_answer_nested_just_beyond_the_limit_is_refused_too(db: Path, oparl: OParlServer) -> None:
    # Deep enough for the limit, not for Python's parser: the depth is checked after parsing as well.
    depth = reader.MAX_DEPTH + 1
    oparl.quirks.raw[PAPER_LIST] = '{"data": ' + "[" * depth + "]" * depth + "}"
    _refused(db, oparl, f"nested deeper than {reader.MAX_DEPTH} levels")


@pytest.mark.parametrize("number", ["9" * 5_000, "1." + "5" * 5_000, "-" + "7" * 200], ids=["int", "float", "negative"])
def test_a_number_of_thousands_of_digits_is_refused_naming_the_limit(db: Path, oparl: OParlServer, number: str) -> None:
    oparl.quirks.raw[PAPER_LIST] = '{"data": [], "pagination": {"totalElements": ' + number + "}}"
    _refused(db, oparl, f"{oparl.url(PAPER_LIST)}: a number in the answer has more than {reader.MAX_DIGITS} digits")


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "streamed"])
def test_an_endless_answer_is_read_only_up_to_the_limit(db: Path, oparl: OParlServer, declared: bool) -> None:
    oparl.quirks.endless[PAPER_LIST] = declared
    _refused(db, oparl, f"{oparl.url(PAPER_LIST)}: the answer is larger than {reader.MAX_ANSWER_BYTES} bytes")


def test_a_list_whose_next_page_always_has_new_papers_stops_at_the_page_limit(
    db: Path, oparl: OParlServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The declared limit is out of reach of a bounded test; the same check stops at a smaller one.
    monkeypatch.setattr(reader, "MAX_PAGES", 40)
    oparl.quirks.endless_list = True
    _refused(db, oparl, "?page=41: more than 40 list pages in one run; stopped there")
    assert len(list_requests(oparl)) == 41


def test_a_run_stops_at_the_object_limit(db: Path, oparl: OParlServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_OBJECTS", 8)  # the list holds 13 papers, each referring to more objects
    _refused(db, oparl, "more than 8 objects in one run; stopped there")


def test_the_limits_are_said_in_german_too(db: Path, oparl: OParlServer) -> None:
    run(db, "example")
    oparl.quirks.raw[PAPER_LIST] = "[" * 100_000
    out, err = io.StringIO(), io.StringIO()
    assert main(["--db", str(db), "--lang", "de", "oparl", oparl.url("/body/0")], stdout=out, stderr=err) == 1
    assert f"die Antwort ist tiefer als {reader.MAX_DEPTH} Ebenen verschachtelt" in err.getvalue()
