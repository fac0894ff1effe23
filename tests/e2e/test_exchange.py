"""Getting motions in and reports out, end to end through the command line and the dashboard."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from store import BadInput, ItemStatus, Store, example_letter

from helpers.cli import command_line_db, run_sachstand
from helpers.oparl_server import OParlServer
from helpers.stored import stored_files

LETTER = "antrag-2020-07-28-digitalisierung.txt"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return command_line_db(tmp_path, monkeypatch)


def run(db: Path, *args: str) -> tuple[int, str, str]:
    return run_sachstand(db, *args)


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / LETTER
    path.write_text(example_letter(), encoding="utf-8")
    return path


def test_importing_the_example_letter_shows_what_it_found_and_saves_it(db: Path, letter: Path) -> None:
    code, out, err = run(db, "import", str(letter), "--yes")
    assert code == 0, err
    assert "Einrichtung eines interkommunalen Bürgerportals" in out and "28.07.2020" in out
    assert "Importiert: 1 neu" in err
    motion_id = out.strip().splitlines()[-1]
    with Store(db, user="anna") as store:
        motion = store.get(motion_id)
    assert motion.submitted_by == ("Fraktion der CDU", "Fraktion der FDP")
    assert motion.committee == "Kreisausschuss" and motion.legal_basis == "§ 5 GeschO"
    assert [item.title for item in motion.items][4] == "Weiterer flächendeckender Ausbau des Glasfasernetzes"
    again = run(db, "import", str(letter), "--yes")
    assert again[0] == 0 and "0 neu, 0 aktualisiert, 1 unverändert" in again[2]


def test_import_without_a_terminal_needs_yes_and_saves_nothing(db: Path, letter: Path) -> None:
    code, _out, err = run(db, "import", str(letter))
    assert code == 2 and "--yes" in err
    assert not db.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("leer.txt", b"", "leer.txt"),
        (
            "ohne-punkte.txt",
            b"Fraktion der CDU\n\nSehr geehrter Herr Landrat,\n\nMit freundlichen Gr\xc3\xbc\xc3\x9fen\n",
            "ohne-punkte.txt",
        ),
        ("binär.txt", b"\xff\xfe\x00\x01", "keine Textdatei in UTF-8"),
        ("kaputt.json", b'{"sachstand": "motions", "motions": [', "kein gültiges JSON"),
        ("fremd.json", b'{"motions": []}', "kein Sachstand-Export"),
    ],
)
def test_a_file_that_gives_no_motion_saves_nothing(
    db: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, _out, err = run(db, "import", str(path), "--yes")
    assert code == 2 and message in err
    assert not db.exists()


def test_a_missing_file_is_named(db: Path, tmp_path: Path) -> None:
    code, _out, err = run(db, "import", str(tmp_path / "nicht-da.txt"), "--yes")
    assert code == 2 and "nicht-da.txt: Datei nicht lesbar" in err


def test_json_export_imports_back_unchanged(db: Path, tmp_path: Path, letter: Path) -> None:
    run(db, "example")
    run(db, "import", str(letter), "--yes")
    run(db, "set", "8bb8", "3", "erledigt", "--note", "Alle Schulen\nausgestattet.", "--department", "Amt 40")
    exported = tmp_path / "export.json"
    code, _out, err = run(db, "export", "--format", "json", "-o", str(exported))
    assert code == 0 and "1 Antrag" in err  # the example letter is the example motion: imported, it updated it
    other = tmp_path / "other.json"
    assert run(other, "import", str(exported), "--yes")[0] == 0

    def content(store: Store) -> list[dict]:
        # "updated" says when this store last changed the motion: for the copy, at its import.
        return sorted(({**m.to_dict(), "updated": None} for m in store.motions()), key=lambda d: d["id"])

    with Store(db, user="x") as original, Store(other, user="x") as copy:
        assert content(original) == content(copy)
    again = run(db, "import", str(exported), "--yes")
    assert "0 neu, 0 aktualisiert, 1 unverändert" in again[2]


def test_markdown_and_csv_exports(db: Path, tmp_path: Path) -> None:
    run(db, "example")
    run(db, "set", "8bb8", "1", "in_progress", "--department", "Amt 10", "--due", "2020-09-30")
    code, out, _err = run(db, "export", "--format", "md")
    assert code == 0 and "Aktueller Stand der Digitalisierungsprojekte" in out and "Amt 10" in out
    assert run(db, "export", "--format", "md", "--department", "Amt 99")[1].count("Digitalisierungsprojekte") == 0
    sheet = tmp_path / "sachstand.csv"
    assert run(db, "export", "--format", "csv", "-o", str(sheet))[0] == 0
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 5 and "30.09.2020" in rows[1]
    plain = run(db, "export", "--format", "csv", "--plain")[1]
    assert "2020-09-30" in plain.splitlines()[1]
    assert json.loads(run(db, "export", "--format", "json", "--meeting", "2020-09-15")[1])["motions"] == []


def test_export_to_a_folder_that_does_not_exist_is_a_clear_error(db: Path, tmp_path: Path) -> None:
    run(db, "example")
    code, _out, err = run(db, "export", "-o", str(tmp_path / "nope" / "bericht.md"))
    assert code == 2 and "bericht.md" in err


# --- OParl, against the test server on 127.0.0.1 -------------------------------------------


def _later() -> str:
    return (datetime.now(UTC) + timedelta(hours=1)).isoformat()


def test_oparl_import_is_incremental_keeps_staff_edits_and_marks_deletions(db: Path, oparl: OParlServer) -> None:
    body = oparl.url("/body/0")
    code, _out, err = run(db, "oparl", body)
    assert code == 0, err
    with Store(db, user="anna") as store:
        motions = {m.reference: m for m in store.motions()}
    # The generated papers 1, 5, 9 are "Antrag" and 3, 7, 11 " ANTRAG "; the spec's own paper is another type.
    assert sorted(motions) == sorted(f"{n}/2024" for n in (1, 3, 5, 7, 9, 11))
    first = motions["1/2024"]
    assert first.submitted_by[0] == "Fraktion Beispielpartei" and first.items[0].department == "Dezernat II – Finanzen"
    assert len(first.items) == 1 and first.source.endswith("/vorlage/1001.html")
    assert "Importiert: 6 neu" in err

    with Store(db, user="anna") as store:  # staff clarify a title and work on the item
        store.update_motion(first.id, title="Radweg Hauptstraße (Antrag Beispielpartei)")
        store.set_item(first.id, 1, status=ItemStatus.IN_PROGRESS)
    papers = {paper["reference"]: paper for paper in oparl.papers}
    papers["1/2024"].update(name="Radweg an der Hauptstraße, geändert", reference="1/2024-1", modified=_later())
    papers["5/2024"].update(deleted=True, modified=_later())
    oparl.requests.clear()

    code, _out, err = run(db, "oparl", body)
    assert code == 0, err
    assert any("modified_since=" in target for target in oparl.requests)  # only what changed is fetched
    assert "0 neu" in err and "Eigene Änderungen" in err
    with Store(db, user="anna") as store:
        motions = {m.id: m for m in store.motions()}
        assert len(motions) == 6
        changed = motions[first.id]
        assert (changed.title, changed.reference, changed.items[0].status) == (
            "Radweg Hauptstraße (Antrag Beispielpartei)",
            "1/2024-1",
            ItemStatus.IN_PROGRESS,
        )
        assert [m.reference for m in motions.values() if m.source_deleted] == ["5/2024"]


def test_oparl_failure_is_a_clear_error_and_changes_nothing(db: Path, oparl: OParlServer) -> None:
    run(db, "example")
    before = stored_files(db)
    oparl.quirks.html.add("/body/0/papers/")
    code, _out, err = run(db, "oparl", oparl.url("/body/0"))
    assert code == 1 and "/body/0/papers/" in err
    assert stored_files(db) == before


# --- the workflows themselves, as both front ends call them ---------------------------------------


def test_workflow_import_of_a_letter_reads_saves_and_reports(tmp_path: Path, letter: Path) -> None:
    from store.exchange.workflows import import_notices, read_import, save_import

    found = read_import(str(letter))
    assert found.path == letter and len(found.motions) == 1 and "title" in found.managed
    with Store(tmp_path / "data.json", user="anna") as store:
        first = save_import(store, found.motions, found.managed)
        again = save_import(store, read_import(letter).motions, found.managed)
        assert [m.id for m in store.motions()] == [found.motions[0].id]
    assert len(first.added) == 1 and again.added == [] and again.unchanged == 1
    notices = import_notices(first)
    assert [n.render("en") for n in notices] == ["Imported: 1 new, 0 updated, 0 unchanged."]
    assert [n.render("de") for n in notices] == ["Importiert: 1 neu, 0 aktualisiert, 0 unverändert."]


def test_workflow_import_keeps_a_persons_change_and_says_so_in_both_languages(tmp_path: Path, letter: Path) -> None:
    from store.exchange.workflows import import_notices, read_import, save_import, write_export

    exported = tmp_path / "export.json"
    with Store(tmp_path / "data.json", user="anna") as store:
        save_import(store, read_import(letter).motions, read_import(letter).managed)
        motion = store.motions()[0]
        write_export(store, exported, [motion], "json", "en", date(2026, 1, 1))
        store.update_motion(motion.id, title="Bürgerportal (von Anna geklärt)")
        data = json.loads(exported.read_text("utf-8"))
        data["motions"][0]["title"] = "Bürgerportal, neuer Titel"
        exported.write_text(json.dumps(data), "utf-8")
        found = read_import(exported)
        result = save_import(store, found.motions, found.managed)
        assert store.get(motion.id).title == "Bürgerportal (von Anna geklärt)"
    kept = import_notices(result)[1:]
    # The field names are message ids too: shown in the user's language.
    assert [n.render("en") for n in kept] == ["Kept your changes to Bürgerportal (von Anna geklärt): Title"]
    assert [n.render("de") for n in kept] == ["Eigene Änderungen an Bürgerportal (von Anna geklärt) behalten: Titel"]


def test_workflow_import_of_a_file_that_is_not_there_names_it(tmp_path: Path) -> None:
    from store import BadInput
    from store.exchange.workflows import read_import

    with pytest.raises(BadInput) as raised:
        read_import(tmp_path / "nicht-da.txt")
    assert "nicht-da.txt" in raised.value.render("en")


def test_workflow_export_of_each_kind_and_to_a_file(tmp_path: Path, letter: Path) -> None:
    from store.exchange.workflows import EXPORT_KINDS, export_content, read_import, write_export

    motions = read_import(letter).motions
    today = date(2026, 1, 1)
    contents = {kind: export_content(motions, kind, "de", today) for kind in EXPORT_KINDS}
    assert motions[0].title in contents["md"].decode("utf-8")
    assert b";" in contents["csv"].splitlines()[0] and b"," in export_content(motions, "csv", "de", today, plain=True)
    assert json.loads(contents["json"])["sachstand"] == "motions"
    with pytest.raises(BadInput) as refused:
        export_content(motions, "odt", "de", today)
    assert refused.value.render("de") == "format: unbekanntes Exportformat 'odt'; bekannt: md, csv, json, docx, pdf."
    target = tmp_path / "bericht.md"
    with Store(tmp_path / "data.json", user="anna") as store:
        notice = write_export(store, target, motions, "md", "de", today)
    assert target.read_bytes() == contents["md"]
    assert notice.render("de") == f"1 Antrag nach {target} geschrieben."
    assert notice.render("en") == f"Wrote 1 motion to {target}."


def test_workflow_oparl_run_fetches_with_progress_saves_and_moves_the_cursor(
    tmp_path: Path, oparl: OParlServer
) -> None:
    from store.exchange.workflows import Notice, OParlImport

    body = oparl.url("/body/0")
    seen: list[tuple[int, int | None]] = []
    warned: list[Notice] = []
    with Store(tmp_path / "data.json", user="anna") as store:
        run = OParlImport.begin(store, f"  {body} ")
        assert (run.source, run.since) == (body, None)
        papers = run.fetch(["Antrag"], warned.append, lambda done, total: seen.append((done, total)))
        assert len(papers) == 6 and seen[-1] == (13, 13)  # progress counts every paper read, of every type
        assert store.motions() == []  # fetching touches the network only
        result = run.save(store, date(2024, 1, 1))
        assert len(result.added) == 6 and store.import_cursor(body) == run.started.isoformat()

        oparl.requests.clear()
        again = OParlImport.begin(store, body)
        again.fetch(["Antrag"], warned.append)
        assert again.save(store, date(2024, 1, 1)).added == []
        assert any("modified_since=" in target for target in oparl.requests)
        oparl.requests.clear()
        OParlImport.begin(store, body, full=True).fetch(["Antrag"], warned.append)
        assert not any("modified_since=" in target for target in oparl.requests)
    assert warned == []


def test_oparl_warnings_reach_the_caller_as_notices_in_either_language(
    db: Path, tmp_path: Path, oparl: OParlServer
) -> None:
    from store.exchange.workflows import Notice, OParlImport

    oparl.quirks.next_loop = "same"  # links.next leads back to page 2: the reader stops there and says so
    body = oparl.url("/body/0")
    warned: list[Notice] = []
    with Store(tmp_path / "other.json", user="anna") as store:
        OParlImport.begin(store, body).fetch(["Antrag"], warned.append)
    assert len(warned) == 1
    english = warned[0].render("en")
    assert english.startswith("Warning: ") and "leads back to a page read before" in english
    assert warned[0].render("de").startswith("Warnung: ")
    code, _out, err = run(db, "oparl", body)
    assert code == 0 and warned[0].render("de") in err


async def test_oparl_warnings_reach_the_dashboard_in_its_language(tmp_path: Path, oparl: OParlServer) -> None:
    from textual.widgets import Input

    from store.exchange.workflows import Notice, OParlImport
    from tui.app import SachstandApp
    from tui.components.oparl_progress import OParlProgress
    from tui.components.prompt import PromptModal

    oparl.quirks.next_loop = "same"
    body = oparl.url("/body/0")
    warned: list[Notice] = []
    with Store(tmp_path / "expected.json", user="anna") as store:
        OParlImport.begin(store, body).fetch(["Antrag"], warned.append)
    assert len(warned) == 1
    with Store(tmp_path / "data.json", user="anna") as store:
        app = SachstandApp(store, "de")
        async with app.run_test(size=(120, 36)) as pilot:
            app.action_oparl_import()
            await pilot.pause()
            assert isinstance(app.screen, PromptModal)
            app.screen.query_one(Input).value = body
            await pilot.press("enter")
            for _ in range(100):
                await pilot.pause(0.05)
                if not isinstance(app.screen, (PromptModal, OParlProgress)):
                    break
            shown = [str(notification.message) for notification in app._notifications]
        assert len(store.motions()) == 6  # the run went on past what it skipped
    assert warned[0].render("de") in shown
