"""The `sachstand` command line, end to end.

Every command is run through ``tui.cli.main`` in-process (fast), with the
environment pinned: no user config, a fixed user, a C locale, ``--db`` in
``tmp_path``. A few tests start the real console script and ``python -m tui``.

What is checked besides the output: the exit code (0 ok, 2 bad input or usage,
1 other failures) and, on every error, that the data file is byte-for-byte
what it was (or, without a data file, that none was created).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from store import EXAMPLE_ID, ItemStatus, Motion, Store, example_motion, new_items
from tui.cli import main

from helpers.stored import stored_files
from helpers.sync import ENV_VARIABLES

USER = "anna"
ITEM_STATUSES = "open, in_progress, reported, done, deferred"
# the same in German: the labels a German user types, then the machine names
ITEM_STATUSES_DE = (
    "offen, in Bearbeitung, berichtet, erledigt, zurückgestellt (auch open, in_progress, reported, done, deferred)"
)
MOTION_STATUSES = "received, scheduled, decided, rejected, answered, withdrawn"

# Two motions whose ids share the prefix "abcd" (for the ambiguity cases).
ID_A = "abcd1111-0000-4000-8000-000000000001"
ID_B = "abcd2222-0000-4000-8000-000000000002"
REF_A = "DS 10/0123"


# --- helpers -------------------------------------------------------------------------------


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def last_line(self) -> str:
        lines = self.out.strip().splitlines()
        return lines[-1] if lines else ""

    def json(self) -> Any:
        return json.loads(self.out)


def call(*argv: str, stdout: io.StringIO | None = None) -> Result:
    out, err = stdout or io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return Result(code, out.getvalue(), err.getvalue())


def cli(db: Path, *args: str) -> Result:
    return call("--db", str(db), *args)


def ok(db: Path, *args: str) -> Result:
    result = cli(db, *args)
    assert result.code == 0, (args, result.err)
    return result


def stored(db: Path, motion_id: str) -> Motion:
    with Store(db, user=USER) as store:
        return store.get(motion_id)


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data file path in an otherwise empty folder; no config, user anna, C locale."""
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "no-such-config.toml"))
    monkeypatch.setenv("SACHSTAND_USER", USER)
    monkeypatch.setenv("LANG", "C")
    folder = tmp_path / "data"
    folder.mkdir()
    return folder / "sachstand.json"


@pytest.fixture
def two(db: Path) -> Path:
    """A store with two motions whose ids share a prefix: A (2 items, a reference) and B (1 item)."""
    with Store(db, user=USER) as store:
        store.add_motion(Motion(id=ID_A, title="Radwege", reference=REF_A, items=new_items(["Bestand", "Plan"])))
        store.add_motion(Motion(id=ID_B, title="Schulen", items=new_items(["Tablets"])))
    return db


@pytest.fixture
def example(db: Path) -> Path:
    ok(db, "example")
    return db


# --- example and demo ------------------------------------------------------------------------


def test_example_prints_its_id_last_and_a_second_run_adds_nothing(db: Path) -> None:
    first = ok(db, "example")
    assert first.out.strip().splitlines() == [EXAMPLE_ID]
    assert "Beispielantrag angelegt" in first.err
    written = stored_files(db)

    again = ok(db, "example")
    assert again.last_line == EXAMPLE_ID
    assert "schon vorhanden" in again.err
    assert stored_files(db) == written  # not even rewritten

    motions = ok(db, "list", "--json").json()
    assert [m["id"] for m in motions] == [EXAMPLE_ID]
    assert stored(db, EXAMPLE_ID).title == example_motion().title


def test_example_comes_back_after_its_creation_was_undone(example: Path) -> None:
    ok(example, "undo")
    assert ok(example, "list", "--json").json() == []
    assert ok(example, "example").last_line == EXAMPLE_ID
    assert [m["id"] for m in ok(example, "list", "--json").json()] == [EXAMPLE_ID]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_demo_without_a_terminal_refuses_and_leaves_nothing(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = cli(db, "demo")
    assert result.code == 2
    assert "braucht ein Terminal" in result.err
    assert not db.exists() and list(db.parent.iterdir()) == []
    assert list(scratch.iterdir()) == []  # the temporary store is gone too


def test_demo_opens_the_dashboard_on_a_temporary_store_holding_the_example_and_more(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.app

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen: dict[str, Any] = {}
    real_run = tui.app.SachstandApp.run

    async def look_and_quit(pilot: Any) -> None:
        app = pilot.app
        seen.update(
            path=app.store.path, motions=app.store.motions(), lang=app.lang, rows=app.main.motion_list.row_count
        )
        await pilot.press("q")

    # pytest has no terminal: the real dashboard runs headless, driven by a pilot that looks and quits.
    monkeypatch.setattr(
        tui.app.SachstandApp, "run", lambda self: real_run(self, headless=True, auto_pilot=look_and_quit)
    )
    monkeypatch.setattr(sys, "stdin", _Terminal())
    result = call("--db", str(db), "demo", stdout=_Terminal())
    assert result.code == 0, result.err
    assert seen["rows"] == len(seen["motions"]) > 5 and seen["lang"] == "de"
    assert EXAMPLE_ID in [m.id for m in seen["motions"]]  # and the made-up motions around it
    assert seen["path"] != db and seen["path"].is_relative_to(scratch)
    assert not db.exists() and list(db.parent.iterdir()) == []
    assert list(scratch.iterdir()) == []


# --- list ------------------------------------------------------------------------------------


def test_list_on_no_data_file_says_so_and_creates_nothing(db: Path) -> None:
    human = ok(db, "list")
    assert human.out == "" and "Keine Anträge" in human.err
    assert ok(db, "list", "--json").json() == []
    assert list(db.parent.iterdir()) == []


def test_list_human_and_json(example: Path) -> None:
    other = ok(
        example,
        "add",
        "--title",
        "Sichere Radwege",
        "--reference",
        REF_A,
        "--submitted",
        "2021-03-01",
        "--by",
        "SPD-Fraktion",
        "--item",
        "a",
        "--item",
        "b",
    ).last_line
    ok(example, "set", other, "1", "done")

    german = ok(example, "list").out.splitlines()
    assert german[0].split() == ["ID", "Drucksache", "Datum", "Fraktionen", "Fortschritt", "Titel"]
    assert len(german) == 3
    assert german[1].startswith(other[:8]) and "01.03.2021" in german[1] and "1/2 erledigt" in german[1]
    assert german[1].endswith("Sichere Radwege")
    assert german[2].startswith(EXAMPLE_ID[:8]) and "28.07.2020" in german[2] and "0/5 erledigt" in german[2]

    english = ok(example, "--lang", "en", "list").out.splitlines()
    assert english[0].split() == ["ID", "Reference", "Submitted", "Groups", "Progress", "Title"]
    assert "2021-03-01" in english[1] and "1/2 done" in english[1]

    listed = ok(example, "list", "--json").json()
    assert [m["id"] for m in listed] == [other, EXAMPLE_ID]  # newest submitted first
    assert listed[0]["items"][0]["status"] == "done"


@pytest.mark.parametrize(
    "status, expected",
    [
        ("received", ["example"]),  # a motion status
        ("scheduled", ["other"]),
        ("terminiert", ["other"]),  # its German label
        ("decided", []),
        ("open", ["example"]),  # an item status: motions with such an item
        ("done", ["other"]),
        ("erledigt", ["other"]),  # a German item label
        ("ERLEDIGT", ["other"]),
        ("in Bearbeitung", []),
    ],
)
def test_list_filters_by_motion_or_item_status(example: Path, status: str, expected: list[str]) -> None:
    other = ok(example, "add", "--title", "Radwege", "--meeting", "2020-11-20", "--item", "x").last_line
    ok(example, "set", other, "1", "erledigt")
    ids = {"example": EXAMPLE_ID, "other": other}
    listed = ok(example, "list", "--status", status, "--json").json()
    assert sorted(m["id"] for m in listed) == sorted(ids[name] for name in expected)


# --- show ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref, motion_id",
    [
        (ID_A, ID_A),
        (ID_A.upper(), ID_A),
        (f"  {ID_B}  ", ID_B),
        ("abcd1", ID_A),  # unique id prefix
        ("ABCD2222", ID_B),
        (REF_A, ID_A),  # reference number
        ("ds 10/0123", ID_A),  # case-insensitive
        ("  Ds   10/0123\t", ID_A),  # whitespace-insensitive
    ],
)
def test_show_finds_a_motion_by_id_prefix_or_reference(two: Path, ref: str, motion_id: str) -> None:
    assert ok(two, "show", ref, "--json").json()["id"] == motion_id


def test_show_json_shape(example: Path) -> None:
    ok(
        example,
        "set",
        EXAMPLE_ID,
        "2",
        "in_progress",
        "--department",
        "Amt 10",
        "--due",
        "2020-09-01",
        "--note",
        "läuft",
    )
    shown = ok(example, "show", EXAMPLE_ID[:8], "--json").json()
    assert {"id", "reference", "title", "submitted", "submitted_by", "committee", "status", "items"} <= shown.keys()
    assert shown["id"] == EXAMPLE_ID
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown["submitted"]) and shown["submitted"] == "2020-07-28"
    assert shown["submitted_by"] == ["Fraktion der CDU", "Fraktion der FDP"]
    assert (shown["committee"], shown["status"], shown["reference"]) == ("Kreisausschuss", "received", "")
    assert len(shown["items"]) == 5
    for number, item in enumerate(shown["items"], start=1):
        assert {"number", "title", "status", "department", "due", "note"} <= item.keys()
        assert item["number"] == number
        assert item["status"] in {status.value for status in ItemStatus}
    assert {k: shown["items"][1][k] for k in ("status", "department", "due", "note")} == {
        "status": "in_progress",
        "department": "Amt 10",
        "due": "2020-09-01",
        "note": "läuft",
    }


def test_show_human_in_both_languages(example: Path) -> None:
    ok(example, "set", EXAMPLE_ID, "3", "erledigt", "--due", "2020-12-01")
    german = ok(example, "show", EXAMPLE_ID[:8]).out
    assert "Titel:" in german and "Aktueller Stand der Digitalisierungsprojekte" in german
    assert "Gremium:" in german and "Kreisausschuss" in german and "28.07.2020" in german
    assert "Verfahrensstand:" in german and "eingegangen" in german
    assert "Beantragte Punkte:" in german and "  3. Ausstattung der Schulen" in german
    assert "● erledigt" in german and "Wiedervorlage: 01.12.2020" in german and "1/5 erledigt" in german
    english = ok(example, "--lang", "en", "show", EXAMPLE_ID[:8]).out
    assert "Committee:" in english and "2020-07-28" in english and "Procedure:" in english and "received" in english
    assert "● done" in english and "Due: 2020-12-01" in english and "Requested items:" in english
    assert german != english


# --- add -------------------------------------------------------------------------------------


def test_add_with_every_option_round_trips(db: Path) -> None:
    added = ok(
        db,
        "add",
        "--title",
        "  Sichere Radwege  ",
        "--reference",
        "DS 10/0123",
        "--submitted",
        "2020-10-05",
        "--by",
        "SPD-Fraktion",
        "Fraktion Bündnis 90/Die Grünen",
        "--addressed-to",
        "Landrat",
        "--copy-to",
        "Fraktion FW",
        "Fraktion Die Linke",
        "--committee",
        "Ausschuss für Mobilität",
        "--meeting",
        "2020-11-20",
        "--legal-basis",
        "§ 5 GeschO",
        "--non-public",
        "--text",
        "Begründung:\r\nZeile zwei\n",
        "--source",
        "https://ris.example/ds-10-0123",
        "--item",
        "Bestandsaufnahme",
        "--item",
        "Förderanträge stellen",
    )
    motion_id = added.last_line
    assert str(uuid.UUID(motion_id)) == motion_id
    assert "Sichere Radwege" in added.err and "2" in added.err
    shown = ok(db, "show", motion_id, "--json").json()
    expected = {
        "id": motion_id,
        "reference": "DS 10/0123",
        "title": "Sichere Radwege",
        "submitted": "2020-10-05",
        "submitted_by": ["SPD-Fraktion", "Fraktion Bündnis 90/Die Grünen"],
        "addressed_to": "Landrat",
        "copy_to": ["Fraktion FW", "Fraktion Die Linke"],
        "committee": "Ausschuss für Mobilität",
        "meeting": "2020-11-20",
        "legal_basis": "§ 5 GeschO",
        "public": False,
        "status": "scheduled",
        "text": "Begründung:\nZeile zwei",
        "source": "https://ris.example/ds-10-0123",
    }
    assert {key: shown[key] for key in expected} == expected
    assert [
        {k: item[k] for k in ("number", "title", "status", "department", "due", "note")} for item in shown["items"]
    ] == [
        {"number": 1, "title": "Bestandsaufnahme", "status": "open", "department": "", "due": None, "note": ""},
        {"number": 2, "title": "Förderanträge stellen", "status": "open", "department": "", "due": None, "note": ""},
    ]
    assert stored(db, motion_id).to_dict() == shown


def test_add_with_only_the_required_options(db: Path) -> None:
    motion_id = ok(db, "add", "--title", "Kurz", "--item", "eins").last_line
    shown = ok(db, "show", motion_id, "--json").json()
    assert (shown["status"], shown["public"], shown["submitted"], shown["submitted_by"]) == ("received", True, None, [])
    assert [item["title"] for item in shown["items"]] == ["eins"]


def test_markup_in_a_title_is_accepted_and_stored_literally(db: Path) -> None:
    motion_id = ok(db, "add", "--title", "[bold]x[/bold]", "--item", "[red]rot[/red] <b>").last_line
    shown = ok(db, "show", motion_id, "--json").json()
    assert (shown["title"], shown["items"][0]["title"]) == ("[bold]x[/bold]", "[red]rot[/red] <b>")
    human = ok(db, "show", motion_id).out
    assert "[bold]x[/bold]" in human and "[red]rot[/red] <b>" in human
    assert "[bold]x[/bold]" in ok(db, "list").out


# --- set -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, status",
    [
        ("open", "open"),
        ("in_progress", "in_progress"),
        ("reported", "reported"),
        ("done", "done"),
        ("deferred", "deferred"),
        ("offen", "open"),
        ("in Bearbeitung", "in_progress"),
        ("berichtet", "reported"),
        ("erledigt", "done"),
        ("zurückgestellt", "deferred"),
        ("in progress", "in_progress"),
        ("in-progress", "in_progress"),
        ("Done", "done"),
        (" ERLEDIGT ", "done"),
    ],
)
def test_set_status_by_machine_name_or_label(example: Path, word: str, status: str) -> None:
    if status == "open":
        ok(example, "set", EXAMPLE_ID, "2", "done")
    result = ok(example, "set", EXAMPLE_ID[:8], "2", word)
    assert result.out.splitlines()[0] == "  2. Digitale Dienstleistungen und Verfahrensabwicklung"
    assert ok(example, "show", EXAMPLE_ID, "--json").json()["items"][1]["status"] == status
    assert stored(example, EXAMPLE_ID).items[1].status is ItemStatus(status)
    assert stored(example, EXAMPLE_ID).items[1].updated_by == USER


def test_set_note_department_due_then_clear_due(example: Path) -> None:
    result = ok(
        example,
        "set",
        EXAMPLE_ID,
        "4",
        "reported",
        "--note",
        "Bericht im\nKreisausschuss  ",
        "--department",
        " Amt 10 ",
        "--assignee",
        "Herr Müller",
        "--due",
        "2020-10-15",
    )
    assert "◑ berichtet" in result.out and "Amt: Amt 10" in result.out and "15.10.2020" in result.out
    assert "│ Bericht im" in result.out and "│ Kreisausschuss" in result.out
    item = ok(example, "show", EXAMPLE_ID, "--json").json()["items"][3]
    assert {k: item[k] for k in ("status", "note", "department", "assignee", "due")} == {
        "status": "reported",
        "note": "Bericht im\nKreisausschuss",
        "department": "Amt 10",
        "assignee": "Herr Müller",
        "due": "2020-10-15",
    }

    ok(example, "set", EXAMPLE_ID, "4", "reported", "--due", "")
    item = ok(example, "show", EXAMPLE_ID, "--json").json()["items"][3]
    assert item["due"] is None
    assert (item["note"], item["department"], item["assignee"]) == (
        "Bericht im\nKreisausschuss",
        "Amt 10",
        "Herr Müller",
    )

    ok(example, "set", EXAMPLE_ID, "4", "done", "--note", "")  # an empty note clears it, the rest stays
    item = stored(example, EXAMPLE_ID).items[3]
    assert (item.status, item.note, item.department) == (ItemStatus.DONE, "", "Amt 10")
    others = [i.status for i in stored(example, EXAMPLE_ID).items if i.number != 4]
    assert others == [ItemStatus.OPEN] * 4


def test_set_with_nothing_new_says_so_and_does_not_write(example: Path) -> None:
    ok(example, "set", EXAMPLE_ID, "1", "done", "--department", "Amt 10")
    before = files_in(example.parent)
    again = ok(example, "set", EXAMPLE_ID, "1", "erledigt", "--department", "Amt 10")
    assert "Nichts geändert" in again.err
    assert files_in(example.parent) == before


# --- history ---------------------------------------------------------------------------------


def test_history_all_per_motion_json_and_limit(two: Path) -> None:
    ok(two, "set", ID_A, "1", "done", "--note", "fertig")
    ok(two, "set", ID_B, "1", "reported")
    ok(two, "set", ID_A, "2", "deferred", "--due", "2021-01-31")

    everything = ok(two, "history", "--json").json()
    assert [(e["motion"], e["action"]) for e in everything] == [
        (ID_A, "create"),
        (ID_B, "create"),
        (ID_A, "edit"),
        (ID_B, "edit"),
        (ID_A, "edit"),
    ]
    assert [e["seq"] for e in everything] == sorted(e["seq"] for e in everything)
    assert all(e["by"] == USER and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["at"]) for e in everything)
    assert everything[2]["changes"] == [["items.1.note", "", "fertig"], ["items.1.status", "open", "done"]]
    assert everything[3]["changes"] == [["items.1.status", "open", "reported"]]

    of_a = ok(two, "history", "abcd1", "--json").json()
    assert [e["motion"] for e in of_a] == [ID_A] * 3
    assert ok(two, "history", REF_A, "--json").json() == of_a
    assert ok(two, "history", "--json", "--limit", "2").json() == everything[-2:]
    assert ok(two, "history", "--json", "--limit", "0").json() == everything
    assert ok(two, "history", ID_A, "--json", "--limit", "1").json() == everything[-1:]

    human = ok(two, "history").out.splitlines()
    assert len(human) == 5
    assert f"  {USER}  {REF_A}  " in human[0] and human[0].endswith("angelegt")
    assert human[2].endswith("Punkt 1 Sachstand: – → fertig; Punkt 1 Status: offen → erledigt")
    assert "Punkt 2 Status: offen → zurückgestellt" in human[4] and "Punkt 2 Wiedervorlage: – → 31.01.2021" in human[4]
    english = ok(two, "--lang", "en", "history", ID_B).out.splitlines()
    assert len(english) == 2 and english[1].endswith("item 1 Status: open → reported")
    assert len(ok(two, "history", "--limit", "1").out.splitlines()) == 1


def test_history_without_changes(db: Path) -> None:
    result = ok(db, "history")
    assert result.out == "" and "Noch keine Änderungen" in result.err
    assert ok(db, "history", "--json").json() == []
    assert not db.exists()


# --- undo ------------------------------------------------------------------------------------


def test_undo_takes_back_my_changes_one_by_one(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(example, "set", EXAMPLE_ID, "1", "done", "--note", "fertig")
    ok(example, "set", EXAMPLE_ID, "2", "reported")
    monkeypatch.setenv("SACHSTAND_USER", "bernd")
    ok(example, "set", EXAMPLE_ID, "3", "in_progress")  # someone else's change, not anna's to undo
    monkeypatch.setenv("SACHSTAND_USER", USER)

    first = ok(example, "undo")
    assert first.out.startswith("Rückgängig gemacht:") and "Punkt 2 Status: offen → berichtet" in first.out
    statuses = [item.status.value for item in stored(example, EXAMPLE_ID).items]
    assert statuses == ["done", "open", "in_progress", "open", "open"]

    second = ok(example, "--lang", "en", "undo")
    assert second.out.startswith("Undone:") and "item 1 Status: open → done" in second.out
    item = stored(example, EXAMPLE_ID).items[0]
    assert (item.status, item.note) == (ItemStatus.OPEN, "")
    assert stored(example, EXAMPLE_ID).items[2].status is ItemStatus.IN_PROGRESS

    ok(example, "undo")  # adding the example
    assert ok(example, "list", "--json").json() == []

    before = files_in(example.parent)
    nothing = cli(example, "undo")
    assert nothing.code == 1
    assert "Nichts rückgängig zu machen" in nothing.err and nothing.out == ""
    assert files_in(example.parent) == before

    actions = [e["action"] for e in ok(example, "history", "--json").json()]
    assert actions == ["create", "edit", "edit", "edit", "undo", "undo", "undo"]


def test_undo_refuses_when_someone_changed_the_field_since(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(example, "set", EXAMPLE_ID, "1", "done")
    monkeypatch.setenv("SACHSTAND_USER", "bernd")
    ok(example, "set", EXAMPLE_ID, "1", "reported")
    monkeypatch.setenv("SACHSTAND_USER", USER)
    before = example.read_bytes()
    result = cli(example, "--lang", "en", "undo")
    assert result.code == 1
    assert "Not undone: items.1.status" in result.err and "bernd" in result.err
    assert example.read_bytes() == before


def test_nothing_to_undo_on_no_data_file(db: Path) -> None:
    result = cli(db, "undo")
    assert result.code == 1 and "Nichts rückgängig zu machen" in result.err
    assert not db.exists()


# --- bad input: exit 2, a message saying what is wrong and what is allowed, nothing written -----

BAD_INPUT = {
    "unknown command": (["frobnicate"], ["invalid choice: 'frobnicate'", "list", "show"]),
    "show without a motion": (["show"], ["MOTION"]),
    "add without --title": (["add", "--item", "x"], ["--title"]),
    "add without --item": (["add", "--title", "T"], ["--item"]),
    "set without status": (["set", ID_A, "1"], ["STATUS"]),
    "unknown option": (["list", "--colour"], ["--colour"]),
    "wrong status word": (["set", ID_A, "1", "fertig"], ["unknown status 'fertig'", f"allowed: {ITEM_STATUSES}"]),
    "a motion status for an item": (["set", ID_A, "1", "decided"], ["unknown status 'decided'", ITEM_STATUSES]),
    "wrong list status": (
        ["list", "--status", "fertig"],
        ["--status", "unknown status 'fertig'", MOTION_STATUSES, ITEM_STATUSES],
    ),
    "item number 0": (["set", ID_A, "0", "done"], ["ITEM: expected an item number from 1, got '0'"]),
    "item number 9": (["set", ID_A, "9", "done"], ["has no item 9; its items are 1 to 2"]),
    "item number x": (["set", ID_A, "x", "done"], ["ITEM: expected an item number from 1, got 'x'"]),
    "item number -1": (["set", ID_A, "-1", "done"], ["expected an item number from 1"]),
    "impossible --submitted": (
        ["add", "--title", "T", "--item", "x", "--submitted", "2020-13-45"],
        ["--submitted: expected a date DD.MM.YYYY or YYYY-MM-DD, got '2020-13-45'"],
    ),
    "impossible German --submitted": (
        ["add", "--title", "T", "--item", "x", "--submitted", "31.02.2020"],
        ["--submitted: expected a date DD.MM.YYYY or YYYY-MM-DD, got '31.02.2020'"],
    ),
    "two-digit year --meeting": (
        ["add", "--title", "T", "--item", "x", "--meeting", "28.07.20"],
        ["--meeting: expected a date"],
    ),
    "impossible --due": (
        ["set", ID_A, "1", "done", "--due", "2020-13-45"],
        ["--due: expected a date DD.MM.YYYY or YYYY-MM-DD"],
    ),
    "impossible German --due": (
        ["set", ID_A, "1", "done", "--due", "32.07.2020"],
        ["--due: expected a date DD.MM.YYYY or YYYY-MM-DD, got '32.07.2020'"],
    ),
    "unknown motion (show)": (["show", "ffff"], ["No motion matches 'ffff'"]),
    "unknown motion (set)": (["set", "DS 99/9999", "1", "done"], ["No motion matches 'DS 99/9999'"]),
    "unknown motion (history)": (["history", "ffff"], ["No motion matches 'ffff'"]),
    "empty motion reference": (["show", ""], ["No motion matches ''"]),
    "ambiguous prefix (show)": (
        ["show", "abcd"],
        ["'abcd' matches 2 motions", ID_A[:13], ID_B[:13], "Give more of the id"],
    ),
    "ambiguous prefix (set)": (["set", "ABCD", "1", "done"], ["'ABCD' matches 2 motions"]),
    "empty title": (["add", "--title", "", "--item", "x"], ["--title: must not be empty"]),
    "blank title": (["add", "--title", "   ", "--item", "x"], ["--title: must not be empty"]),
    "empty item": (["add", "--title", "T", "--item", " "], ["--item 1: must not be empty"]),
    "escape code in a title": (
        ["add", "--title", "Rot\x1b[31m", "--item", "x"],
        ["--title: contains a control character (U+001B)"],
    ),
    "bidi override in a title": (
        ["add", "--title", "abc\u202edef", "--item", "x"],
        ["--title: contains a control character (U+202E)"],
    ),
    "newline in a title": (["add", "--title", "a\nb", "--item", "x"], ["--title: must be a single line"]),
    "bidi override in an item": (
        ["add", "--title", "T", "--item", "ok", "--item", "\u202ex"],
        ["--item 2: contains a control character (U+202E)"],
    ),
    "escape code in a reference": (
        ["add", "--title", "T", "--item", "x", "--reference", "\x1b[2J"],
        ["--reference: contains a control character"],
    ),
    "escape code in a group": (
        ["add", "--title", "T", "--item", "x", "--by", "CDU\x1b[0m"],
        ["--by: contains a control character"],
    ),
    "escape code in --text": (
        ["add", "--title", "T", "--item", "x", "--text", "a\x1b[31m"],
        ["--text: contains a control character"],
    ),
    "escape code in a note": (
        ["set", ID_A, "1", "done", "--note", "\x1b]0;owned\x07"],
        ["--note: contains a control character"],
    ),
    "bidi override in a department": (
        ["set", ID_A, "1", "done", "--department", "Amt\u202e"],
        ["--department: contains a control character (U+202E)"],
    ),
    "over-long title": (["add", "--title", "x" * 501, "--item", "x"], ["--title: longer than"]),
    "negative --limit": (["history", "--limit", "-1"], ["--limit"]),
    "non-numeric --limit": (["history", "--limit", "x"], ["--limit", "invalid int value: 'x'"]),
    "unknown --lang": (["list", "--lang", "fr"], ["invalid choice: 'fr'", "de", "en"]),
}


@pytest.mark.parametrize("args, messages", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_exits_2_and_changes_nothing(two: Path, args: list[str], messages: list[str]) -> None:
    before = files_in(two.parent)
    result = cli(two, "--lang", "en", *args)
    assert result.code == 2, result
    for message in messages:
        assert message in result.err
    assert re.search(r"^sachstand: error: ", result.err, re.MULTILINE)
    assert result.out == ""
    assert files_in(two.parent) == before


@pytest.mark.parametrize(
    "args",
    [
        ["add", "--title", "", "--item", "x"],
        ["add", "--title", "T", "--item", "x", "--submitted", "2020-13-45"],
        ["set", "abcd", "1", "fertig"],
        ["set", "abcd", "1", "done"],
    ],
    ids=["empty title", "bad date", "wrong status", "unknown motion"],
)
def test_bad_input_on_no_data_file_creates_none(db: Path, args: list[str]) -> None:
    result = cli(db, *args)
    assert result.code == 2, result
    assert list(db.parent.iterdir()) == []


def test_the_same_errors_in_german_and_in_english(two: Path) -> None:
    cases = [
        (["set", ID_A, "1", "fertig"], "unbekannter Status 'fertig'; erlaubt:", "unknown status 'fertig'; allowed:"),
        (["set", ID_A, "0", "done"], "Punktnummer ab 1 erwartet", "expected an item number from 1"),
        (["set", ID_A, "9", "done"], "hat keinen Punkt 9", "has no item 9"),
        (["show", "ffff"], "Kein Antrag passt zu 'ffff'", "No motion matches 'ffff'"),
        (["show", "abcd"], "passt zu 2 Anträgen", "matches 2 motions"),
        (
            ["add", "--title", "T", "--item", "x", "--submitted", "31.02.2020"],
            "Datum im Format TT.MM.JJJJ oder JJJJ-MM-TT erwartet",
            "expected a date DD.MM.YYYY or YYYY-MM-DD",
        ),
        (["add", "--title", " ", "--item", "x"], "darf nicht leer sein", "must not be empty"),
        (["add", "--title", "\u202e", "--item", "x"], "enthält ein Steuerzeichen", "contains a control character"),
    ]
    for args, german_words, english_words in cases:
        german = cli(two, "--lang", "de", *args)
        english = cli(two, "--lang", "en", *args)
        assert german.code == english.code == 2
        assert german.err.startswith("sachstand: Fehler: ") and german_words in german.err, german.err
        assert english.err.startswith("sachstand: error: ") and english_words in english.err, english.err
        assert german.err != english.err


def test_nothing_to_undo_in_german_and_in_english(db: Path) -> None:
    german, english = cli(db, "--lang", "de", "undo"), cli(db, "--lang", "en", "undo")
    assert (german.code, english.code) == (1, 1)
    assert german.err == "sachstand: Fehler: Nichts rückgängig zu machen.\n"
    assert english.err == "sachstand: error: Nothing to undo.\n"


def test_the_exact_wrong_status_message(two: Path) -> None:
    assert cli(two, "set", ID_A, "1", "fertig").err == (
        f"sachstand: Fehler: STATUS: unbekannter Status 'fertig'; erlaubt: {ITEM_STATUSES_DE}.\n"
    )
    assert cli(two, "--lang", "en", "set", ID_A, "1", "fertig").err == (
        f"sachstand: error: STATUS: unknown status 'fertig'; allowed: {ITEM_STATUSES}.\n"
    )


# --- a data file that cannot be used: exit 1, the file named, the file untouched -------------

BROKEN_FILES = {
    "invalid JSON": (b'{"sachstand":{"schema":1,"generation":3},"motions":{"x":', "not valid JSON"),
    "JSON without the header": (
        b'{"_default": {}, "motions": {}}',
        "not a Sachstand data file (no 'sachstand' header)",
    ),
    "a JSON list": (b"[1, 2, 3]", "not a Sachstand data file"),
    "a newer schema": (b'{"sachstand":{"schema":99,"generation":1}}', "newer Sachstand (data format 99"),
    "a broken header": (b'{"sachstand":{"schema":"eins","generation":1}}', "broken header"),
    "an empty file": (b"", "the file is empty"),
    "an invalid motion": (
        json.dumps(
            {"sachstand": {"schema": 1, "generation": 1}, "motions": {ID_A: {"id": ID_A, "title": "a\x1b[31m"}}}
        ).encode(),
        "contains a control character",
    ),
}
COMMANDS_ON_A_FILE = {
    "list": ["list"],
    "list --json": ["list", "--json"],
    "show": ["show", "abcd"],
    "example": ["example"],
    "add": ["add", "--title", "T", "--item", "x"],
    "set": ["set", ID_A, "1", "done"],
    "history": ["history"],
    "undo": ["undo"],
}


@pytest.mark.parametrize("content, message", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
@pytest.mark.parametrize("command", COMMANDS_ON_A_FILE.values(), ids=COMMANDS_ON_A_FILE.keys())
def test_a_data_file_that_cannot_be_used_exits_1_names_it_and_is_left_alone(
    db: Path, content: bytes, message: str, command: list[str]
) -> None:
    db.write_bytes(content)
    result = cli(db, "--lang", "en", *command)
    assert result.code == 1, result
    assert result.err.startswith("sachstand: error: ")
    assert str(db) in result.err and message in result.err
    assert result.out == ""
    assert db.read_bytes() == content
    assert not any(name.startswith(f"{db.name}.bak") or name.endswith(".tmp") for name in os.listdir(db.parent))


@pytest.mark.parametrize("content, message", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_the_dashboard_on_a_data_file_that_cannot_be_used_exits_1_and_names_it(
    db: Path, content: bytes, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.app

    db.write_bytes(content)
    real_run = tui.app.SachstandApp.run
    # pytest has no terminal: the real dashboard runs headless; it ends by itself on a file it cannot read.
    monkeypatch.setattr(tui.app.SachstandApp, "run", lambda self: real_run(self, headless=True))
    monkeypatch.setattr(sys, "stdin", _Terminal())
    result = call("--db", str(db), "--lang", "en", stdout=_Terminal())
    assert result.code == 1, result
    assert result.err.startswith("sachstand: error: ") and str(db) in result.err and message in result.err
    assert db.read_bytes() == content
    assert os.listdir(db.parent) == [db.name]  # nothing written beside it either


def test_a_broken_data_file_in_german(db: Path) -> None:
    db.write_bytes(b'{"sachstand":{"schema":99,"generation":1}}')
    result = cli(db, "list")
    assert result.code == 1
    assert result.err.startswith(f"sachstand: Fehler: {db}: von einer neueren Sachstand-Version geschrieben")


def test_a_data_file_in_a_missing_folder_or_a_folder_as_data_file(db: Path) -> None:
    missing = db.parent / "nowhere" / "data.json"
    result = cli(missing, "--lang", "en", "example")
    assert result.code == 1 and "the folder does not exist" in result.err and str(missing.parent) in result.err
    assert not missing.parent.exists()
    result = cli(db.parent, "--lang", "en", "list")
    assert result.code == 1 and "cannot read the data file" in result.err and str(db.parent) in result.err


# --- configuration and environment ------------------------------------------------------------

CONFIG_ERRORS = {
    "invalid TOML": ("lang = ", ["not valid TOML"]),
    "unknown key": (
        'farbe = "blau"',
        ["unknown setting 'farbe'", "known: db, lang, user, backups, lock_timeout, keys, oparl_types"],
    ),
    "wrong type for backups": ('backups = "drei"', ["backups: expected a whole number from 0 to 20, got 'drei'"]),
    "backups out of range": ("backups = 21", ["backups: expected a whole number from 0 to 20"]),
    "wrong type for user": ("user = 7", ["user: expected a name, got 7"]),
    "wrong type for db": ("db = 3", ["db: expected a file path, got 3"]),
    "wrong type for lock_timeout": ('lock_timeout = "lang"', ["lock_timeout: expected seconds, more than 0"]),
    "zero lock_timeout": ("lock_timeout = 0", ["lock_timeout: expected seconds, more than 0"]),
    "unknown language": ('lang = "fr"', ["lang: unknown language 'fr'; allowed: de, en"]),
}


@pytest.mark.parametrize("with_data", [True, False], ids=["data file", "no data file"])
@pytest.mark.parametrize("content, messages", CONFIG_ERRORS.values(), ids=CONFIG_ERRORS.keys())
def test_a_bad_config_file_exits_2_names_it_and_writes_nothing(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, messages: list[str], with_data: bool
) -> None:
    if with_data:
        ok(db, "example")
    before = files_in(db.parent)
    config = tmp_path / "config.toml"
    config.write_text(content)
    monkeypatch.setenv("SACHSTAND_CONFIG", str(config))
    for command in (["example"], ["set", EXAMPLE_ID, "1", "done"], ["undo"]):
        result = cli(db, "--lang", "en", *command)
        assert result.code == 2, result
        assert result.err.startswith("sachstand: error: ") and str(config) in result.err
        for message in messages:
            assert message in result.err
        assert files_in(db.parent) == before


ENV_ERRORS = {
    "unknown SACHSTAND_LANG": (
        "SACHSTAND_LANG",
        "klingonisch",
        "SACHSTAND_LANG: unknown language 'klingonisch'; allowed: de, en",
    ),
    "SACHSTAND_LANG fr": ("SACHSTAND_LANG", "fr_FR", "SACHSTAND_LANG: unknown language 'fr_FR'"),
    "SACHSTAND_BACKUPS not a number": (
        "SACHSTAND_BACKUPS",
        "drei",
        "SACHSTAND_BACKUPS: expected a whole number from 0 to 20",
    ),
    "SACHSTAND_LOCK_TIMEOUT zero": (
        "SACHSTAND_LOCK_TIMEOUT",
        "0",
        "SACHSTAND_LOCK_TIMEOUT: expected seconds, more than 0",
    ),
    "blank SACHSTAND_USER": ("SACHSTAND_USER", "   ", "SACHSTAND_USER: must not be empty"),
}


@pytest.mark.parametrize("with_data", [True, False], ids=["data file", "no data file"])
@pytest.mark.parametrize("variable, value, message", ENV_ERRORS.values(), ids=ENV_ERRORS.keys())
def test_a_bad_environment_variable_exits_2_and_writes_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str, with_data: bool
) -> None:
    if with_data:
        ok(db, "example")
    before = files_in(db.parent)
    monkeypatch.setenv(variable, value)
    result = cli(db, "--lang", "en", "example")
    assert result.code == 2, result
    assert message in result.err
    assert files_in(db.parent) == before


def test_a_bad_sachstand_lang_is_reported_in_the_locale_language(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SACHSTAND_LANG", "fr")
    result = cli(db, "example")
    assert result.code == 2
    assert result.err.startswith("sachstand: Fehler: SACHSTAND_LANG: unbekannte Sprache 'fr'; erlaubt: de, en")
    assert not db.exists()


def test_a_nan_lock_timeout_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SACHSTAND_LOCK_TIMEOUT", "nan")
    result = cli(db, "--lang", "en", "example")
    assert result.code == 2 and "SACHSTAND_LOCK_TIMEOUT: expected seconds, more than 0" in result.err


def test_a_user_name_with_an_escape_code_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SACHSTAND_USER", "eve\x1b[31m")
    result = cli(db, "--lang", "en", "example")
    assert result.code == 2 and "SACHSTAND_USER" in result.err
    assert not db.exists()


def test_an_iso_week_date_is_not_a_yyyy_mm_dd_date(db: Path) -> None:
    result = cli(db, "--lang", "en", "add", "--title", "T", "--item", "x", "--submitted", "2020-W31-2")
    assert result.code == 2 and "--submitted: expected a date DD.MM.YYYY or YYYY-MM-DD" in result.err
    assert not db.exists()


def test_language_default_locale_environment_and_option(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def header() -> str:
        return ok(example, "list").out.splitlines()[0].split()[1]

    assert header() == "Drucksache"  # a C locale says nothing: German
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert header() == "Reference"  # the locale
    monkeypatch.setenv("SACHSTAND_LANG", "de")
    assert header() == "Drucksache"  # the environment beats the locale
    monkeypatch.setenv("SACHSTAND_LANG", "en")
    assert ok(example, "--lang", "de", "list").out.splitlines()[0].split()[1] == "Drucksache"  # the option beats both
    assert ok(example, "list", "--lang=de").out.splitlines()[0].split()[1] == "Drucksache"
    monkeypatch.delenv("SACHSTAND_LANG")
    monkeypatch.setenv("LANG", "C")
    config = tmp_path / "config.toml"
    config.write_text('lang = "en"\n')
    monkeypatch.setenv("SACHSTAND_CONFIG", str(config))
    assert header() == "Reference"  # the config file


def test_config_file_environment_and_option_pick_the_data_file_and_user(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_config, from_env = tmp_path / "data" / "config.json", tmp_path / "data" / "env.json"
    config = tmp_path / "config.toml"
    config.write_text(f'db = "{from_config}"\nuser = "Clara Config"\nbackups = 0\n')
    monkeypatch.setenv("SACHSTAND_CONFIG", str(config))
    monkeypatch.delenv("SACHSTAND_USER")

    assert call("example").code == 0
    assert from_config.exists()
    assert ok(from_config, "history", "--json").json()[0]["by"] == "Clara Config"
    assert not list(from_config.parent.glob("*.bak*"))  # backups = 0

    monkeypatch.setenv("SACHSTAND_DB", str(from_env))
    monkeypatch.setenv("SACHSTAND_USER", "Emil Env")
    assert call("add", "--title", "T", "--item", "x").code == 0
    assert [e["by"] for e in call("history", "--json").json()] == ["Emil Env"]
    assert [m["title"] for m in json.loads(call("list", "--json").out)] == ["T"]

    assert call("--db", str(db), "example").code == 0  # the option beats both
    assert db.exists() and len(json.loads(call("list", "--json").out)) == 1


def test_help_and_version(db: Path) -> None:
    version = cli(db, "--version")
    assert version.code == 0 and re.fullmatch(r"sachstand \S+\n", version.out)
    results = [call(*argv) for argv in (["--help"], ["set", "--help"], ["--lang", "en", "add", "--help"])]
    assert all(result.code == 0 for result in results)
    printed = "".join(result.out for result in results)
    assert "Anträge auflisten" in printed and "federführendes Amt" in printed and "the motion's title" in printed
    assert not db.exists()


def test_help_goes_to_the_given_stdout(db: Path) -> None:
    result = call("--help")
    assert result.code == 0 and "sachstand" in result.out


# argparse's own words, each as it says them in English.
ARGPARSE_ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help message and exit",
    "error:",
    "the following arguments are required",
    "invalid choice",
    "choose from",
    "unrecognized arguments",
    "expected one argument",
    "one of the arguments",
    "not allowed with argument",
    "argument ",
    "invalid int value",
    # the placeholders that German names otherwise
    "MOTION",
    "ITEM",
    "COMMAND",
    "ACTION",
    "PATH",
    "YYYY-MM-DD",
)
USAGE_MISTAKES = {
    "help": (["--help"], 0, "Aufruf: sachstand"),
    "a command's help": (["set", "--help"], 0, "diese Hilfe zeigen und beenden"),
    "a sub-command's help": (["token", "add", "--help"], 0, "Optionen:"),
    "missing arguments": (["set"], 2, "diese Argumente fehlen: ANTRAG, PUNKT, STATUS"),
    "unknown command": (["lst"], 2, "ungültige Auswahl: 'lst' (möglich: 'example', 'list'"),
    "missing sub-command": (["token"], 2, "diese Argumente fehlen: AKTION"),
    "unknown option": (["list", "--colour"], 2, "unbekannte Argumente: --colour"),
    "option without its value": (["add", "--title"], 2, "Argument --title: erwartet einen Wert"),
    "not a number": (["history", "--limit", "x"], 2, "Argument --limit: ungültiger Wert: 'x'"),
    "one of several required": (["resolve", "x", "1"], 2, "eines der Argumente --mine --theirs --drop ist nötig"),
    "both of two exclusive": (["resolve", "x", "1", "--mine", "--theirs"], 2, "nicht erlaubt zusammen mit Argument"),
}


@pytest.mark.parametrize("args, code, german", USAGE_MISTAKES.values(), ids=USAGE_MISTAKES.keys())
def test_help_and_usage_errors_are_wholly_german_or_wholly_english(
    db: Path, args: list[str], code: int, german: str
) -> None:
    de = cli(db, "--lang", "de", *args)
    assert de.code == code, de
    printed = de.out + de.err
    assert german in printed
    assert [word for word in ARGPARSE_ENGLISH if word in printed] == []
    en = cli(db, "--lang", "en", *args)
    assert en.code == code and any(word in en.out + en.err for word in ARGPARSE_ENGLISH)
    assert german not in en.out + en.err
    assert not db.exists()


def test_argparse_speaks_english_again_after_a_german_run(db: Path) -> None:
    import argparse

    assert cli(db, "--lang", "de", "set").code == 2
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


# --- the real entry points ----------------------------------------------------------------------


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ENV_VARIABLES}
    return {
        **env,
        "SACHSTAND_CONFIG": str(tmp_path / "no-such-config.toml"),
        "SACHSTAND_USER": USER,
        "LANG": "C",
        **extra,
    }


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8", timeout=60
    )


def test_the_console_script_adds_and_prints_the_id_last(db: Path, tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("sachstand")
    assert script.exists()
    env = _env(tmp_path, SACHSTAND_DB=str(db))
    added = _run([str(script), "add", "--title", "Sichere Radwege", "--item", "Bestandsaufnahme"], env)
    assert added.returncode == 0, added.stderr
    motion_id = added.stdout.strip().splitlines()[-1]
    assert str(uuid.UUID(motion_id)) == motion_id
    assert "Antrag Sichere Radwege mit 1 Punkt angelegt." in added.stderr  # German under a C locale
    assert stored(db, motion_id).title == "Sichere Radwege"


def test_python_m_tui_example_show_and_a_bad_status(db: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    base = [sys.executable, "-m", "tui", "--db", str(db)]
    for _ in range(2):
        example = _run([*base, "example"], env)
        assert example.returncode == 0, example.stderr
        assert example.stdout.strip().splitlines()[-1] == EXAMPLE_ID
    shown = _run([*base, "show", EXAMPLE_ID[:8], "--json"], env)
    assert shown.returncode == 0 and json.loads(shown.stdout)["title"] == "Aktueller Stand der Digitalisierungsprojekte"
    before = stored_files(db)
    wrong = _run([*base, "set", EXAMPLE_ID[:8], "1", "fertig"], env)
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr == f"sachstand: Fehler: STATUS: unbekannter Status 'fertig'; erlaubt: {ITEM_STATUSES_DE}.\n"
    assert stored_files(db) == before


def test_a_real_process_on_a_corrupt_file_exits_1_without_a_traceback(db: Path, tmp_path: Path) -> None:
    db.write_bytes(b"{not json")
    result = _run([sys.executable, "-m", "tui", "--lang", "en", "list"], _env(tmp_path, SACHSTAND_DB=str(db)))
    assert result.returncode == 1
    assert result.stderr.startswith(f"sachstand: error: {db}: not valid JSON") and "Traceback" not in result.stderr
    assert db.read_bytes() == b"{not json"


def test_an_unknown_key_binding_in_the_config_is_named(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"item.cycle" = "c"\n"no.such.binding" = "z"\n')
    monkeypatch.setenv("SACHSTAND_CONFIG", str(config))
    result = cli(db, "--lang", "en")
    assert result.code == 2 and "unknown key binding 'no.such.binding'" in result.err and str(config) in result.err
    assert not db.exists()


def test_generate_fills_an_empty_store_the_same_way_for_the_same_seed(db: Path, tmp_path: Path) -> None:
    result = cli(db, "generate", "--motions", "40", "--seed", "7")
    assert result.code == 0 and "40 Anträge" in result.err
    other = tmp_path / "other.json"
    assert cli(other, "generate", "--motions", "40", "--seed", "7").code == 0
    with Store(db, user=USER) as first, Store(other, user=USER) as second:
        motions = first.motions()
        assert len(motions) == 40 and all(1 <= len(m.items) <= 8 for m in motions)
        assert [m.to_dict() | {"updated": None} for m in motions] == [
            m.to_dict() | {"updated": None} for m in second.motions()
        ]
        assert len({m.committee for m in motions}) > 3 and any(item.note for m in motions for item in m.items)
        # Stamped as a real store is: each motion recorded at a moment of its own, items past "open" mostly set by
        # a clerk at a later one (the benchmark's sync checks read every stamp: docs/performance.md, wave 28).
        assert len({m.created for m in motions}) == len(motions)
        stamped = [(m, item) for m in motions for item in m.items if item.updated is not None]
        assert len(stamped) > len(motions) and len({item.updated for _m, item in stamped}) == len(stamped)
        assert all(
            item.status is not ItemStatus.OPEN and item.updated_by and m.created < item.updated for m, item in stamped
        )
    before = stored_files(db)
    refused = cli(db, "generate", "--motions", "5")
    assert refused.code == 2 and "enthält schon 40 Anträge" in refused.err
    assert cli(db, "generate", "--motions", "0").code == 2
    assert stored_files(db) == before


# --- the store's files: links, a lost data file, companions that are no file, exports over them ----


def _folder(folder: Path) -> dict[str, bytes | str]:
    """Every entry of a folder: a file's bytes, a link's target, a folder as such."""
    return {
        entry.name: f"-> {os.readlink(entry)}"
        if entry.is_symlink()
        else "folder"
        if entry.is_dir()
        else entry.read_bytes()
        for entry in sorted(folder.iterdir())
    }


@pytest.fixture
def whole_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every transaction rewrites the file (so backups are made): as when the journal has passed its share."""
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
    monkeypatch.setattr("store.file.storage.JOURNAL_SHARE", 10**9)


def test_two_users_linking_one_shared_file_work_on_one_store(db: Path, tmp_path: Path) -> None:
    links = []
    for name in ("anna", "bert"):
        (tmp_path / name).mkdir()
        links.append(tmp_path / name / "sachstand.json")
        links[-1].symlink_to(db)
    motion_id = ok(links[0], "add", "--title", "Radweg", "--item", "Bestand").last_line
    ok(links[1], "set", motion_id, "1", "done", "--note", "von Bert")
    assert "1/1" in ok(links[0], "list").out
    ok(links[0], "example")
    assert [line.split()[0] for line in ok(links[1], "list").out.splitlines()[1:]] == [motion_id[:8], EXAMPLE_ID[:8]]
    for link in links:
        assert link.is_symlink() and os.readlink(link) == str(db) and os.listdir(link.parent) == ["sachstand.json"]
    assert stored(db, motion_id).items[0].note == "von Bert"


def test_a_lost_data_file_beside_its_backups_is_refused_naming_the_newest(db: Path, whole_writes: None) -> None:
    ok(db, "example")
    ok(db, "set", EXAMPLE_ID, "1", "done")
    db.unlink()
    before = _folder(db.parent)
    for args in (("list",), ("add", "--title", "Neu", "--item", "eins"), ("--lang", "en", "list")):
        result = cli(db, *args)
        assert result.code == 1 and "Traceback" not in result.err
        assert f"{db}.bak1" in result.err and _folder(db.parent) == before
    assert result.err == (
        f"sachstand: error: {db} is missing, but files of its store are still there (sachstand.json.bak1). "
        f"To restore the newest backup, copy {db}.bak1 to {db}; to start a new store, move those files away first.\n"
    )
    os.link(f"{db}.bak1", db)
    assert "0/5" in ok(db, "list").out  # the version before the last edit


@pytest.mark.parametrize("companion", ["journal", "lock"])
def test_a_folder_where_the_journal_or_lock_belongs_is_named_and_the_data_left_alone(db: Path, companion: str) -> None:
    ok(db, "example")
    ok(db, "set", EXAMPLE_ID, "1", "done")
    place = db.with_name(f"{db.name}.{companion}")
    place.unlink()
    place.mkdir()
    before = _folder(db.parent)
    result = cli(db, "--lang", "en", "set", EXAMPLE_ID, "2", "done")
    assert result.code == 1 and result.err.startswith(f"sachstand: error: {place}: cannot ")
    assert "Is a directory" in result.err and _folder(db.parent) == before


def test_a_folder_where_the_index_belongs_is_ignored(db: Path, whole_writes: None) -> None:
    db.with_name(f"{db.name}.index").mkdir()
    ok(db, "example")
    ok(db, "set", EXAMPLE_ID, "1", "done")
    assert "1/5" in ok(db, "list").out


def test_a_journal_that_is_a_folder_is_no_traceback_in_a_real_process(db: Path, tmp_path: Path) -> None:
    ok(db, "example")
    db.with_name(f"{db.name}.journal").mkdir()
    result = _run([sys.executable, "-m", "tui", "--lang", "en", "list"], _env(tmp_path, SACHSTAND_DB=str(db)))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        result.stderr == f"sachstand: error: {db}.journal: cannot read the journal of the data file: Is a directory.\n"
    )


EXPORT_TARGETS = {
    "the data file": lambda db: str(db),
    "its journal": lambda db: f"{db}.journal",
    "its lock": lambda db: f"{db}.lock",
    "its index": lambda db: f"{db}.index",
    "a backup": lambda db: f"{db}.bak1",
    "an older backup": lambda db: f"{db}.bak7",
    "a temp file": lambda db: str(db.parent / ".sachstand.json.4711.0a1b2c3d.tmp"),
    "a relative path": lambda db: os.path.relpath(f"{db}.journal"),
    "a path with ..": lambda db: str(db.parent / ".." / "data" / "sachstand.json"),
    "a path in the home folder": lambda db: "~/data/sachstand.json.journal",
    "a link to the data file": lambda db: str(_linked(db.parent.parent / "bericht.md", db)),
    "a linked folder": lambda db: str(_linked(db.parent.parent / "alias", db.parent) / "sachstand.json.journal"),
}


def _linked(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    return link


@pytest.mark.parametrize("target", list(EXPORT_TARGETS))
def test_export_refuses_to_write_over_the_store_or_its_companions(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_writes: None, target: str
) -> None:
    ok(db, "example")
    ok(db, "set", EXAMPLE_ID, "1", "done")
    with monkeypatch.context() as appended:
        appended.setattr("store.file.storage.JOURNAL_MINIMUM", 256 * 1024)
        ok(db, "set", EXAMPLE_ID, "2", "done")  # a journal too
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    output = EXPORT_TARGETS[target](db)
    before, around = _folder(db.parent), _folder(tmp_path)
    for kind in ("md", "json"):
        result = cli(db, "--lang", "en", "export", "--format", kind, "-o", output)
        assert result.code == 2, result.err
        assert result.err == (
            f"sachstand: error: {output}: this is a file of the store ({db}); write the export to another file.\n"
        )
    assert _folder(db.parent) == before and _folder(tmp_path) == around
    assert "2/5" in ok(db, "list").out
    beside = ok(db, "export", "-o", f"{db}.md")  # a name beside the store that is none of its files
    assert "1 Antrag nach" in beside.err and Path(f"{db}.md").read_text("utf-8").startswith("#")


def test_export_refuses_a_device_or_folder_and_writes_through_a_link(two: Path, tmp_path: Path) -> None:
    before = stored_files(two)
    # What is not a regular file stays as it is (a device such as /dev/full was replaced by a regular
    # file): a named pipe of the test's own stands for it, so a regression harms nothing of the machine.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    refused = cli(two, "export", "-o", str(pipe))
    assert refused.code == 2 and "keine gewöhnliche Datei" in refused.err and str(pipe) in refused.err
    assert pipe.is_fifo()
    folder = tmp_path / "berichte"
    folder.mkdir()
    assert cli(two, "export", "-o", str(folder)).code == 2 and folder.is_dir()
    # Through a link the file it names is written, and the link stays a link.
    target, link = tmp_path / "bericht.md", tmp_path / "aktuell.md"
    target.write_text("alt")
    link.symlink_to(target)
    assert cli(two, "export", "-o", str(link)).code == 0
    assert link.is_symlink() and target.read_text("utf-8").startswith("# Sachstandsbericht")
    assert stored_files(two) == before
