"""The `sachstand` command line: round trips of every command, every bad input, exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import EXAMPLE_ID, Motion, Store, new_items
from tui.cli import main

ID_A = "abcd1111-0000-4000-8000-000000000001"
ID_B = "abcd2222-0000-4000-8000-000000000002"


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def last_line(self) -> str:
        return self.out.strip().splitlines()[-1]

    def json(self) -> object:
        return json.loads(self.out)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("SACHSTAND_USER", "anna")
    for name in ("SACHSTAND_DB", "SACHSTAND_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return tmp_path / "data.json"


def run(db: Path, *args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(db), *args], stdout=out, stderr=err)
    return Result(code, out.getvalue(), err.getvalue())


def test_example_adds_once_and_prints_its_id_last(db: Path) -> None:
    first = run(db, "example")
    assert (first.code, first.last_line) == (0, EXAMPLE_ID)
    again = run(db, "example")
    assert (again.code, again.last_line) == (0, EXAMPLE_ID)
    assert "schon vorhanden" in again.err
    motions = run(db, "list", "--json").json()
    assert [m["id"] for m in motions] == [EXAMPLE_ID]
    example = motions[0]
    assert example["submitted"] == "2020-07-28"
    assert example["submitted_by"] == ["Fraktion der CDU", "Fraktion der FDP"]
    assert example["committee"] == "Kreisausschuss" and example["legal_basis"] == "§ 5 GeschO"
    assert [item["title"] for item in example["items"]][0] == "Einrichtung eines interkommunalen Bürgerportals"
    assert {item["status"] for item in example["items"]} == {"open"}


def test_add_with_every_option_then_show_returns_it(db: Path) -> None:
    added = run(
        db, "add", "--title", "Sichere Radwege", "--reference", "DS 10/0123", "--submitted", "2020-10-05",
        "--by", "SPD-Fraktion", "Fraktion Bündnis 90/Die Grünen", "--committee", "Ausschuss für Mobilität",
        "--meeting", "2020-11-20", "--addressed-to", "Landrat", "--copy-to", "Fraktion FW", "--legal-basis", "§ 5 GeschO",
        "--non-public", "--text", "Begründung", "--source", "https://ris.example/ds-10-0123",
        "--item", "Bestandsaufnahme", "--item", "Förderanträge",
    )
    assert added.code == 0, added.err
    motion_id = added.last_line
    shown = run(db, "show", motion_id, "--json").json()
    assert {key: shown[key] for key in ("id", "reference", "title", "submitted", "submitted_by", "committee", "status")} == {
        "id": motion_id, "reference": "DS 10/0123", "title": "Sichere Radwege", "submitted": "2020-10-05",
        "submitted_by": ["SPD-Fraktion", "Fraktion Bündnis 90/Die Grünen"], "committee": "Ausschuss für Mobilität",
        "status": "scheduled",
    }
    assert (shown["meeting"], shown["public"], shown["copy_to"], shown["text"]) == ("2020-11-20", False, ["Fraktion FW"], "Begründung")
    assert [{k: item[k] for k in ("number", "title", "status", "department", "due", "note")} for item in shown["items"]] == [
        {"number": 1, "title": "Bestandsaufnahme", "status": "open", "department": "", "due": None, "note": ""},
        {"number": 2, "title": "Förderanträge", "status": "open", "department": "", "due": None, "note": ""},
    ]


def test_show_by_prefix_and_reference_and_human_output(db: Path) -> None:
    run(db, "example")
    run(db, "add", "--title", "Radwege", "--reference", "DS 10/0123", "--item", "x")
    assert run(db, "show", EXAMPLE_ID[:4], "--json").json()["id"] == EXAMPLE_ID
    assert run(db, "show", "  ds 10/0123 ", "--json").json()["title"] == "Radwege"
    human = run(db, "show", EXAMPLE_ID[:8])
    assert "Gremium:" in human.out and "28.07.2020" in human.out and "○ offen" in human.out
    english = run(db, "show", EXAMPLE_ID[:8], "--lang", "en")
    assert "Committee:" in english.out and "2020-07-28" in english.out and "○ open" in english.out


def test_set_with_every_option_and_labels_in_both_languages(db: Path) -> None:
    run(db, "example")
    result = run(db, "set", EXAMPLE_ID[:8], "3", "erledigt", "--note", "Alle Schulen ausgestattet.",
                 "--department", "Amt 40", "--assignee", "Frau Jansen", "--due", "2020-12-01")
    assert result.code == 0, result.err
    assert "● erledigt" in result.out
    item = run(db, "show", EXAMPLE_ID, "--json").json()["items"][2]
    assert (item["status"], item["note"], item["department"], item["assignee"], item["due"], item["updated_by"]) == (
        "done", "Alle Schulen ausgestattet.", "Amt 40", "Frau Jansen", "2020-12-01", "anna",
    )
    for word, status in (("in progress", "in_progress"), ("In Bearbeitung", "in_progress"), ("reported", "reported"), ("deferred", "deferred")):
        assert run(db, "set", EXAMPLE_ID[:8], "1", word).code == 0
        assert run(db, "show", EXAMPLE_ID, "--json").json()["items"][0]["status"] == status
    assert run(db, "set", EXAMPLE_ID[:8], "3", "done", "--due", "").code == 0
    assert run(db, "show", EXAMPLE_ID, "--json").json()["items"][2]["due"] is None
    unchanged = run(db, "set", EXAMPLE_ID[:8], "3", "done")
    assert unchanged.code == 0 and "Nichts geändert" in unchanged.err


def test_list_filters_by_either_kind_of_status(db: Path) -> None:
    run(db, "example")
    other = run(db, "add", "--title", "Radwege", "--item", "x", "--meeting", "2020-11-20").last_line
    run(db, "set", other, "1", "done")
    ids = lambda *args: [m["id"] for m in run(db, "list", "--json", *args).json()]  # noqa: E731
    assert ids("--status", "scheduled") == [other]
    assert ids("--status", "received") == [EXAMPLE_ID]
    assert ids("--status", "erledigt") == [other]
    assert ids("--status", "open") == [EXAMPLE_ID]
    table = run(db, "list")
    assert "Aktueller Stand der Digitalisierungsprojekte" in table.out and "0/5 erledigt" in table.out
    assert run(db, "list", "--lang", "en").out.splitlines()[0].split()[:3] == ["ID", "Reference", "Submitted"]


def test_history_and_undo(db: Path) -> None:
    run(db, "example")
    run(db, "set", EXAMPLE_ID[:8], "2", "reported", "--note", "berichtet")
    run(db, "set", EXAMPLE_ID[:8], "2", "done")
    history = run(db, "history", EXAMPLE_ID[:8])
    assert history.code == 0
    assert history.out.splitlines()[-1].endswith("Punkt 2 Status: berichtet → erledigt")
    assert len(run(db, "history", "--limit", "1").out.splitlines()) == 1
    entries = run(db, "history", "--json").json()
    assert [entry["action"] for entry in entries] == ["create", "edit", "edit"]
    assert entries[-1]["by"] == "anna" and entries[-1]["changes"] == [["items.2.status", "reported", "done"]]

    undone = run(db, "undo")
    assert undone.code == 0 and "berichtet → erledigt" in undone.out
    assert run(db, "show", EXAMPLE_ID, "--json").json()["items"][1]["status"] == "reported"
    run(db, "undo")
    item = run(db, "show", EXAMPLE_ID, "--json").json()["items"][1]
    assert (item["status"], item["note"]) == ("open", "")
    run(db, "undo")  # the example itself
    assert run(db, "list", "--json").json() == []
    nothing = run(db, "undo")
    assert nothing.code == 1 and "Nichts rückgängig zu machen" in nothing.err


def test_commands_need_no_data_file_to_read(db: Path) -> None:
    listing = run(db, "list")
    assert listing.code == 0 and "Keine Anträge" in listing.err
    assert run(db, "history").code == 0
    assert not db.exists()


def test_demo_needs_a_terminal_and_leaves_nothing_behind(db: Path) -> None:
    result = run(db, "demo")
    assert result.code == 2 and "braucht ein Terminal" in result.err
    assert not db.exists()


# --- bad input: a clear message, exit 2 (1 for a broken file), the data file unchanged ---------

BAD_USAGE = {
    "unknown command": (["frobnicate"], 2, "invalid choice"),
    "add without items": (["add", "--title", "T"], 2, "--item"),
    "wrong status": (["set", "abcd1", "1", "fertig"], 2, "allowed: open, in_progress, reported, done, deferred"),
    "item number 0": (["set", "abcd1", "0", "done"], 2, "ITEM: expected an item number from 1, got '0'"),
    "item number x": (["set", "abcd1", "x", "done"], 2, "ITEM: expected an item number from 1, got 'x'"),
    "item that is not there": (["set", "abcd1", "9", "done"], 2, "has no item 9; its items are 1 to 2"),
    "German date": (["set", "abcd1", "1", "done", "--due", "28.07.2020"], 2, "--due: expected a date YYYY-MM-DD"),
    "impossible date": (["add", "--title", "T", "--item", "x", "--submitted", "2020-13-45"], 2, "--submitted: expected a date"),
    "unknown motion": (["show", "ffff"], 2, "No motion matches 'ffff'"),
    "ambiguous prefix": (["show", "abcd"], 2, "'abcd' matches 2 motions"),
    "empty title": (["add", "--title", "  ", "--item", "x"], 2, "--title: must not be empty"),
    "escape code in a title": (["add", "--title", "Rot\x1b[31m", "--item", "x"], 2, "control character (U+001B)"),
    "bidi override in an item": (["add", "--title", "T", "--item", "abc\u202edef"], 2, "control character (U+202E)"),
    "escape code in a note": (["set", "abcd1", "1", "done", "--note", "\x1b]0;x\x07"], 2, "--note: contains a control character"),
    "unknown list status": (["list", "--status", "fertig"], 2, "received, scheduled, decided"),
    "negative limit": (["history", "--limit", "-1"], 2, "--limit"),
    "bad language": (["list", "--lang", "fr"], 2, "invalid choice"),
}


@pytest.mark.parametrize("args, code, message", BAD_USAGE.values(), ids=BAD_USAGE.keys())
def test_bad_input_is_refused_and_changes_nothing(db: Path, args: list[str], code: int, message: str) -> None:
    with Store(db, user="anna") as store:
        store.add_motion(Motion(id=ID_A, title="A", items=new_items(["a", "b"])))
        store.add_motion(Motion(id=ID_B, title="B", items=new_items(["c"])))
    before = db.read_bytes()
    result = run(db, "--lang", "en", *args)
    assert result.code == code, result.err
    assert message in result.err
    assert result.err.startswith(("sachstand: error:", "usage:"))
    assert db.read_bytes() == before


def test_the_same_error_in_both_languages(db: Path) -> None:
    run(db, "example")
    german = run(db, "set", EXAMPLE_ID[:8], "1", "fertig")
    english = run(db, "set", EXAMPLE_ID[:8], "1", "fertig", "--lang", "en")
    assert german.err == "sachstand: Fehler: STATUS: unbekannter Status 'fertig'; erlaubt: open, in_progress, reported, done, deferred.\n"
    assert english.err == "sachstand: error: STATUS: unknown status 'fertig'; allowed: open, in_progress, reported, done, deferred.\n"


def test_markup_in_a_title_is_stored_literally(db: Path) -> None:
    motion_id = run(db, "add", "--title", "[bold]Alarm[/bold] <b>", "--item", "[red]x").last_line
    shown = run(db, "show", motion_id, "--json").json()
    assert (shown["title"], shown["items"][0]["title"]) == ("[bold]Alarm[/bold] <b>", "[red]x")


BROKEN_FILES = {
    "invalid JSON": (b'{"sachstand":{"schema":1,"generation":1},"motions":{', "not valid JSON"),
    "someone else's JSON": (b'{"_default": {}}', "not a Sachstand data file"),
    "a newer version": (b'{"sachstand":{"schema":99,"generation":1},"motions":{}}', "newer Sachstand"),
    "an empty file": (b"", "the file is empty"),
}


@pytest.mark.parametrize("content, message", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
@pytest.mark.parametrize("command", [["list"], ["example"], ["set", "abcd", "1", "done"], ["undo"]])
def test_a_broken_data_file_is_named_and_left_untouched(db: Path, content: bytes, message: str, command: list[str]) -> None:
    db.write_bytes(content)
    result = run(db, "--lang", "en", *command)
    assert result.code == 1
    assert message in result.err and str(db) in result.err
    assert db.read_bytes() == content


CONFIG_ERRORS = {
    "invalid TOML": ("lang = ", "not valid TOML"),
    "unknown key": ('farbe = "blau"', "unknown setting 'farbe'"),
    "wrong type": ("backups = \"drei\"", "backups: expected a whole number"),
}


@pytest.mark.parametrize("content, message", CONFIG_ERRORS.values(), ids=CONFIG_ERRORS.keys())
def test_a_bad_config_file_exits_2_and_writes_nothing(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    monkeypatch.setenv("SACHSTAND_CONFIG", str(config))
    result = run(db, "--lang", "en", "example")
    assert result.code == 2 and message in result.err and str(config) in result.err
    assert not db.exists()


def test_a_bad_environment_language_exits_2(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SACHSTAND_LANG", "klingonisch")
    result = run(db, "example")
    assert result.code == 2 and "SACHSTAND_LANG" in result.err
    assert not db.exists()


def test_an_unknown_key_binding_in_the_config_is_named(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"item.cycle" = "c"\n"no.such.binding" = "z"\n')
    monkeypatch.setenv("SACHSTAND_CONFIG", str(config))
    result = run(db, "--lang", "en")
    assert result.code == 2 and "unknown key binding 'no.such.binding'" in result.err


# --- the real entry points, as a user runs them ---------------------------------------------


def _subprocess_env(db: Path) -> dict[str, str]:
    return {**os.environ, "SACHSTAND_DB": str(db), "SACHSTAND_CONFIG": str(db.parent / "none.toml"), "SACHSTAND_LANG": "en"}


def test_the_console_script_and_python_m_tui(db: Path) -> None:
    script = Path(sys.executable).with_name("sachstand")
    added = subprocess.run([str(script), "example"], env=_subprocess_env(db), capture_output=True, text=True, timeout=60)
    assert (added.returncode, added.stdout.strip().splitlines()[-1]) == (0, EXAMPLE_ID)
    shown = subprocess.run([sys.executable, "-m", "tui", "show", "8bb8", "--json"], env=_subprocess_env(db),
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == EXAMPLE_ID
    wrong = subprocess.run([sys.executable, "-m", "tui", "set", "8bb8", "1", "fertig"], env=_subprocess_env(db),
                           capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 2 and "unknown status 'fertig'" in wrong.stderr


def test_help_and_version(db: Path) -> None:
    assert run(db, "--help").code == 0
    version = run(db, "--version")
    assert version.code == 0 and version.out.startswith("sachstand ")
