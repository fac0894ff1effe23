"""The council's status report (export --format docx|pdf), --public for every format, --record and reports.

The reports are read back as a person's program would: Word files with python-docx, PDFs with pypdf
(and, where LibreOffice is installed, the Word file converted by it headless).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pypdf
import pytest
from docx.shared import RGBColor
from docx.table import Table

from store import ItemStatus, Motion, Store
from store.exchange.report.lights import COLOURS
from store.model import Item
from tui.cli import main

from helpers.stored import stored_files
from helpers.sync import ENV_VARIABLES

USER = "anna"
SCHOOLS, STAFF, ROADS = (f"00000000-0000-4000-8000-00000000000{n}" for n in (1, 2, 3))
TITLE = "Digitalisierung der Schulen – „Tablets“ für Grundschüler"
SECRET = "Personalangelegenheit Schulleitung"
ITEMS = (
    Item(
        1,
        "Breitband an allen Schulen",
        ItemStatus.OPEN,
        "Amt 40 – Schulamt",
        "Frau Müller",
        date(2026, 1, 10),
        note="Ausschreibung läuft; Größe der Lose: „groß“.",
    ),
    Item(2, "Tablets für Grundschulen", ItemStatus.IN_PROGRESS, "Amt 40 – Schulamt", note="Lieferung im März."),
    Item(3, "WLAN in Turnhallen", ItemStatus.REPORTED, "Amt 65 – Gebäude", note="Bericht in der letzten Sitzung."),
    Item(4, "Medienentwicklungsplan", ItemStatus.DONE, "Amt 40 – Schulamt", note="Beschlossen am 01.12.2025."),
    Item(5, "Lernplattform", ItemStatus.DEFERRED, note="Zurückgestellt bis 2027."),
)


def _motions() -> list[Motion]:
    return [
        Motion(id=SCHOOLS, title=TITLE, reference="DS 1/2026", committee="Schulausschuss", items=ITEMS),
        Motion(
            id=STAFF,
            title=SECRET,
            committee="Schulausschuss",
            public=False,
            items=(Item(1, "Stelle besetzen", note="Vertraulich: Bewerbung Öztürk."),),
        ),
        Motion(id=ROADS, title="Radwege", committee="Kreisausschuss", items=(Item(1, "Radweg L 228"),)),
    ]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config.toml"
    config.write_text('body_name = "Kreis Heinsberg"\n[report]\ntraffic_lights = { berichtet = "grün" }\n', "utf-8")
    monkeypatch.setenv("SACHSTAND_CONFIG", str(config))
    monkeypatch.setenv("SACHSTAND_USER", USER)
    monkeypatch.setenv("LANG", "C")
    path = tmp_path / "data" / "sachstand.json"
    path.parent.mkdir()
    with Store(path, user=USER) as store:
        for motion in _motions():
            store.add_motion(motion)
    return path


def cli(db: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(db), *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def docx_text(path: Path) -> str:
    """The paragraphs and the tables' cells in the order of the document."""
    parts = []
    for block in docx.Document(str(path)).iter_inner_content():
        if isinstance(block, Table):
            parts += [cell.text for row in block.rows for cell in row.cells]
        else:
            parts.append(block.text)
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def export(db: Path, kind: str, *args: str) -> str:
    target = db.parent.parent / f"bericht.{kind}"
    code, _out, err = cli(db, "export", "--format", kind, "-o", str(target), *args)
    assert code == 0, err
    if kind == "docx":
        return docx_text(target)
    if kind == "pdf":
        return pdf_text(target)
    return target.read_bytes().decode("utf-8-sig")


def _flat(text: str) -> str:
    """Text as a table cell may wrap it: one blank for every run of them."""
    return " ".join(text.split())


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_report_holds_every_item_its_status_and_sachstand_in_german(db: Path, kind: str) -> None:
    text = _flat(export(db, kind, "--lang", "de", "--committee", "schulausschuss"))
    assert "Sachstandsbericht" in text and "Kreis Heinsberg" in text and "Gremium: Schulausschuss" in text
    assert f"DS 1/2026 – {TITLE}" in text  # umlauts, „…“ and – survive
    for item in ITEMS:
        assert _flat(item.title) in text and _flat(item.note) in text
    for word in ("offen", "in Bearbeitung", "berichtet", "erledigt", "zurückgestellt"):
        assert word in text
    assert "10.01.2026" in text and "Seit dem letzten Bericht erledigt" in text
    assert "nichtöffentlich" in text and SECRET in text  # marked, not hidden, for the committee itself
    assert "Radwege" not in text  # another committee


def test_the_report_in_english(db: Path) -> None:
    text = _flat(export(db, "pdf", "--lang", "en", "--committee", "Schulausschuss"))
    assert "Status report" in text and "Committee: Schulausschuss" in text and "Done since the last report" in text
    assert "in progress" in text and "deferred" in text and "2026-01-10" in text and "non-public" in text


def test_the_traffic_lights_follow_the_config_in_word(db: Path) -> None:
    export(db, "docx", "--committee", "Schulausschuss")
    document = docx.Document(str(db.parent.parent / "bericht.docx"))
    lights = {}
    for table in document.tables:
        for row in table.rows[1:]:
            status = row.cells[3].paragraphs[0]
            lights[status.runs[1].text] = status.runs[0].font.color.rgb
    assert lights == {
        "offen": RGBColor(*COLOURS["red"]),
        "in Bearbeitung": RGBColor(*COLOURS["yellow"]),
        "berichtet": RGBColor(*COLOURS["green"]),  # [report] traffic_lights = { berichtet = "grün" }
        "erledigt": RGBColor(*COLOURS["green"]),
        "zurückgestellt": RGBColor(*COLOURS["grey"]),
    }


def test_the_pdf_embeds_its_font(db: Path) -> None:
    export(db, "pdf")
    reader = pypdf.PdfReader(db.parent.parent / "bericht.pdf")
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    descriptors = [font["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in fonts]
    assert descriptors and all("/FontFile2" in descriptor for descriptor in descriptors)
    assert len(reader.pages) == 2  # a page for each committee


@pytest.mark.parametrize("kind", ["md", "csv", "json", "docx", "pdf"])
def test_for_publication_a_non_public_motion_and_internal_fields_are_left_out(db: Path, kind: str) -> None:
    public = export(db, kind, "--public")
    assert TITLE.split(" – ")[0] in public
    assert SECRET not in public and "Bewerbung" not in public and "Frau Müller" not in public
    assert "nichtöffentlich" not in public
    internal = export(db, kind)
    assert SECRET in internal
    if kind == "json":
        assert {motion["title"]: motion["public"] for motion in json.loads(internal)["motions"]}[SECRET] is False
        assert "assignee" not in json.loads(public)["motions"][0]["items"][0]
    else:
        assert "nichtöffentlich" in internal


def test_a_public_csv_has_no_column_of_an_internal_field(db: Path) -> None:
    header = export(db, "csv", "--public", "--lang", "en").splitlines()[0].split(";")
    assert "Assignee" not in header and "Public session" in header
    assert "Assignee" in export(db, "csv", "--lang", "en").splitlines()[0].split(";")


def test_recorded_reports_put_done_items_in_the_annex_once_then_drop_them(db: Path) -> None:
    first = _flat(export(db, "docx", "--committee", "Schulausschuss", "--record"))
    annex = first.split("Seit dem letzten Bericht erledigt")[1]
    assert "Medienentwicklungsplan" in annex and "Breitband" not in annex
    with Store(db, user=USER) as store:
        store.set_item(SCHOOLS, 2, status=ItemStatus.DONE)
    second = _flat(export(db, "pdf", "--committee", "Schulausschuss", "--record"))
    assert "Medienentwicklungsplan" not in second  # reported done last time: dropped
    assert "Tablets für Grundschulen" in second.split("Seit dem letzten Bericht erledigt")[1]
    third = _flat(export(db, "pdf", "--committee", "Schulausschuss"))  # not recorded: the third shows the same
    assert "Tablets für Grundschulen" not in third and "Breitband" in third
    code, out, _err = cli(db, "reports", "--lang", "en")
    today = date.today().isoformat()
    assert code == 0 and out.splitlines() == [
        f"Report 1 of {today} to Schulausschuss: 6 items, 1 done, recorded by {USER}.",
        f"Report 2 of {today} to Schulausschuss: 5 items, 1 done, recorded by {USER}.",
    ]


def test_a_report_of_every_committee_is_recorded_per_committee(db: Path) -> None:
    export(db, "pdf", "--record", "--public")
    code, out, _err = cli(db, "reports", "--lang", "de")
    assert (
        code == 0 and len(out.splitlines()) == 2 and all("(zur Veröffentlichung)" in line for line in out.splitlines())
    )
    assert "an Kreisausschuss: 1 Punkt, 0 erledigt" in out


def test_no_report_recorded_yet(db: Path) -> None:
    assert cli(db, "reports", "--lang", "en")[0:2] == (0, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--committee", "Bauausschuss"], "--committee: no motion of the committee 'Bauausschuss'; committees: "),
        (["--meeting", "31.02.2026"], "--meeting: expected a date DD.MM.YYYY or YYYY-MM-DD, got '31.02.2026'."),
        (["-o", "/no/such/folder/bericht.pdf"], "/no/such/folder/bericht.pdf: "),
        (["--format", "md"], "--record: only the council's report (docx, pdf) is recorded."),
        (["--format", "docx", "-o", ""], "--format docx: the report is a file: give -o FILE."),
    ],
)
def test_bad_input_is_said_and_nothing_is_written_or_recorded(db: Path, args: list[str], message: str) -> None:
    before = stored_files(db)
    folder = sorted(path.name for path in db.parent.parent.iterdir())
    base = ["export", "--format", "pdf", "-o", str(db.parent.parent / "bericht.pdf"), "--record", "--lang", "en"]
    if args[:2] == ["--format", "docx"]:
        base = ["export", "--record", "--lang", "en"]
    code, out, err = cli(db, *base, *args)
    assert code == 2 and out == "" and message in err, err
    assert stored_files(db) == before and sorted(path.name for path in db.parent.parent.iterdir()) == folder
    assert cli(db, "reports")[1] == ""


def test_a_wrong_traffic_light_in_the_config_is_named(db: Path, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[report]\ntraffic_lights = { offen = "lila" }\n', "utf-8")
    code, _out, err = cli(db, "export", "--format", "pdf", "-o", str(tmp_path / "x.pdf"), "--lang", "en")
    assert code != 0 and "traffic_lights.offen: unknown colour 'lila'; known: rot, gelb, grün, grau" in err
    assert not (tmp_path / "x.pdf").exists()


def test_libreoffice_opens_the_word_report(db: Path, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed: the Word report is checked with python-docx only")
    export(db, "docx")
    subprocess.run(
        [
            office,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(tmp_path / "bericht.docx"),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert TITLE.split(" – ")[0] in _flat(pdf_text(tmp_path / "out" / "bericht.pdf"))
