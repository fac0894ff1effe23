"""Exports: the Markdown status report, CSV for spreadsheets and programs, JSON that reads back."""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import orjson
import pytest

import store.exchange.export
from store import BadInput, Item, ItemStatus, Motion, MotionStatus
from store.exchange.export import CSV_COLUMNS, export_csv, export_json, export_markdown
from store.i18n import has_translation

from helpers import ROOT

TODAY = date(2024, 3, 15)
BOM = b"\xef\xbb\xbf"


def _id(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


def _small() -> Motion:
    """Two items: one overdue with a note of two paragraphs, one done; plus one open item without a department."""
    return Motion(
        id=_id(1),
        title="Digitalisierung der Schulen",
        reference="2024/017",
        submitted=date(2024, 2, 28),
        submitted_by=("Fraktion der CDU", "Fraktion der FDP"),
        committee="Schulausschuss",
        meeting=date(2024, 3, 21),
        status=MotionStatus.SCHEDULED,
        items=(
            Item(
                1,
                "Breitband an allen Schulen",
                ItemStatus.IN_PROGRESS,
                department="Amt 40 – Schulamt",
                due=date(2024, 3, 1),
                note="Ausschreibung läuft.\nVergabe im April.\n\nRückfragen an Amt 62.",
            ),
            Item(
                2,
                "Tablets für Grundschulen",
                ItemStatus.DONE,
                department="Amt 40 – Schulamt",
                due=date(2024, 2, 1),
                note="Übergeben.",
            ),
            Item(3, "Bericht im Ausschuss", ItemStatus.OPEN, due=date(2024, 4, 10)),
        ),
    )


def _full() -> Motion:
    """Every field filled; notes with line breaks, umlauts and quotes."""
    moment = datetime(2024, 3, 14, 9, 30, tzinfo=UTC)
    return Motion(
        id=_id(2),
        title='Antrag „Grünflächen“ und "Bäume"',
        reference="2024/018",
        submitted=date(2024, 3, 1),
        submitted_by=("Fraktion Bündnis 90/Die Grünen",),
        addressed_to="Landrat des Kreises",
        copy_to=("SPD-Fraktion", "Fraktion FW"),
        committee="Umweltausschuss",
        legal_basis="§ 5 GeschO",
        meeting=date(2024, 4, 2),
        public=False,
        status=MotionStatus.DECIDED,
        text="Die Verwaltung wird gebeten …\n\nBegründung: \"dringend\", 'sofort'; Größe ≥ 10 m².",
        source="antrag-2024-03-01.txt",
        created=datetime(2024, 3, 1, 8, 0, tzinfo=UTC),
        updated=moment,
        items=(
            Item(
                1,
                "Bäume pflanzen",
                ItemStatus.REPORTED,
                department="Amt 67 – Grünflächen",
                assignee="Frau Müller",
                due=date(2024, 3, 10),
                note='Erster Bericht:\n"20 Bäume" gepflanzt;\tweitere folgen.\n\nÄrger mit „Öko“-Firma.',
                updated=moment,
                updated_by="müller",
            ),
            Item(
                2,
                "Pflegeplan",
                ItemStatus.DEFERRED,
                department="Amt 67 – Grünflächen",
                assignee="Herr Öztürk",
                due=date(2024, 6, 30),
                note="Zurückgestellt bis 2025.",
                updated=moment,
                updated_by="öztürk",
            ),
        ),
    )


def _without_items() -> Motion:
    return Motion(id=_id(3), title="Anfrage zur Straßenbeleuchtung", status=MotionStatus.RECEIVED)


# --- Markdown ---------------------------------------------------------------

GERMAN_REPORT = """\
# Sachstandsbericht

Stand: 15.03.2024

## Digitalisierung der Schulen

- Drucksache: 2024/017
- Datum: 28.02.2024
- Fraktionen: Fraktion der CDU, Fraktion der FDP
- Gremium: Schulausschuss
- Sitzung: 21.03.2024
- Verfahrensstand: terminiert

### 1. Breitband an allen Schulen

- Status: in Bearbeitung
- Amt: Amt 40 – Schulamt
- Wiedervorlage: 01.03.2024 (**überfällig**)

Ausschreibung läuft.\\
Vergabe im April.

Rückfragen an Amt 62.

### 2. Tablets für Grundschulen

- Status: erledigt
- Amt: Amt 40 – Schulamt
- Wiedervorlage: 01.02.2024

Übergeben.

### 3. Bericht im Ausschuss

- Status: offen
- Amt: –
- Wiedervorlage: 10.04.2024

Noch kein Sachstand.

## Offene Punkte nach Amt

### Amt 40 – Schulamt

| Antrag | Punkt | Status | Wiedervorlage |
| --- | --- | --- | --- |
| 2024/017 – Digitalisierung der Schulen | 1. Breitband an allen Schulen | in Bearbeitung | 01.03.2024 (**überfällig**) |

### (ohne Amt)

| Antrag | Punkt | Status | Wiedervorlage |
| --- | --- | --- | --- |
| 2024/017 – Digitalisierung der Schulen | 3. Bericht im Ausschuss | offen | 10.04.2024 |
"""

ENGLISH_REPORT = """\
# Status report

As of 2024-03-15

## Digitalisierung der Schulen

- Reference: 2024/017
- Submitted: 2024-02-28
- Groups: Fraktion der CDU, Fraktion der FDP
- Committee: Schulausschuss
- Meeting: 2024-03-21
- Procedure: scheduled

### 1. Breitband an allen Schulen

- Status: in progress
- Department: Amt 40 – Schulamt
- Follow-up date: 2024-03-01 (**overdue**)

Ausschreibung läuft.\\
Vergabe im April.

Rückfragen an Amt 62.

### 2. Tablets für Grundschulen

- Status: done
- Department: Amt 40 – Schulamt
- Follow-up date: 2024-02-01

Übergeben.

### 3. Bericht im Ausschuss

- Status: open
- Department: –
- Follow-up date: 2024-04-10

No status text yet.

## Open items by department

### Amt 40 – Schulamt

| Motion | Item | Status | Follow-up date |
| --- | --- | --- | --- |
| 2024/017 – Digitalisierung der Schulen | 1. Breitband an allen Schulen | in progress | 2024-03-01 (**overdue**) |

### (no department)

| Motion | Item | Status | Follow-up date |
| --- | --- | --- | --- |
| 2024/017 – Digitalisierung der Schulen | 3. Bericht im Ausschuss | open | 2024-04-10 |
"""


def test_markdown_report_in_german() -> None:
    assert export_markdown([_small()], "de", TODAY) == GERMAN_REPORT


def test_markdown_report_in_english() -> None:
    assert export_markdown([_small()], "en", TODAY) == ENGLISH_REPORT


def test_markdown_without_motions_says_so() -> None:
    assert export_markdown([], "de", TODAY) == "# Sachstandsbericht\n\nStand: 15.03.2024\n\nKeine Anträge.\n"
    assert export_markdown([], "en", TODAY) == "# Status report\n\nAs of 2024-03-15\n\nNo motions.\n"


def test_markdown_motion_without_items_and_nothing_open() -> None:
    assert export_markdown([_without_items()], "de", TODAY) == (
        "# Sachstandsbericht\n\nStand: 15.03.2024\n\n"
        "## Anfrage zur Straßenbeleuchtung\n\n- Verfahrensstand: eingegangen\n\n"
        "Keine beantragten Punkte.\n\n"
        "## Offene Punkte nach Amt\n\nKeine offenen Punkte.\n"
    )


def test_markdown_open_items_follow_the_query_order() -> None:
    report = export_markdown([_small(), _full(), _without_items()], "de", TODAY)
    open_section = report.split("## Offene Punkte nach Amt")[1]
    # Reported and deferred items wait for no one; done ones neither.
    assert "Bäume pflanzen" not in open_section and "Pflegeplan" not in open_section
    assert "Bäume pflanzen" in report and "Pflegeplan" in report
    assert open_section.index("### Amt 40") < open_section.index("### (ohne Amt)")


TRICKY_TITLE = "*fett* _kursiv_ #1 [Link](http://x) a|b `code` <b>x</b> ~~weg~~ \\"
TRICKY_NOTE = "# keine Überschrift\n- kein Punkt\n+ auch nicht\n1. keine Liste\n2) auch keine\n> kein Zitat\n---\n===\n    kein Code"


def _tricky() -> Motion:
    return Motion(
        id=_id(4),
        title=TRICKY_TITLE,
        reference="2024|19",
        committee="_Ausschuss_",
        items=(
            Item(1, "- Liste?", department="# Amt", due=date(2024, 1, 1), note=TRICKY_NOTE),
            Item(2, "> Zitat?"),
            Item(3, "1. Nummer?"),
        ),
    )


def test_markdown_escapes_text_from_the_data() -> None:
    report = export_markdown([_tricky()], "de", TODAY)
    assert (
        "## \\*fett\\* \\_kursiv\\_ \\#1 \\[Link\\](http://x) a\\|b \\`code\\` \\<b\\>x\\</b\\> \\~\\~weg\\~\\~ \\\\\n"
        in report
    )
    assert "- Drucksache: 2024\\|19\n" in report and "- Gremium: \\_Ausschuss\\_\n" in report
    assert "### 1. \\- Liste?\n" in report and "### 2. \\> Zitat?\n" in report and "### 3. 1\\. Nummer?\n" in report
    assert "- Amt: \\# Amt\n" in report and "### \\# Amt\n" in report
    assert (
        "\\# keine Überschrift\\\n\\- kein Punkt\\\n\\+ auch nicht\\\n1\\. keine Liste\\\n2\\) auch keine\\\n"
        "\\> kein Zitat\\\n\\---\\\n\\===\\\nkein Code\n"
    ) in report
    assert "| 2024\\|19 – \\*fett\\*" in report


def test_markdown_renders_the_data_literally() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    rendered = (
        markdown_it.MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .render(export_markdown([_tricky()], "de", TODAY))
    )
    # Only the report's own structure: headings, fact lists, the tables, bold "überfällig".
    assert f"<h2>{html.escape(TRICKY_TITLE, quote=False)}</h2>" in rendered
    assert "<em>" not in rendered and "<code>" not in rendered and "<a " not in rendered
    assert "<blockquote>" not in rendered and "<hr" not in rendered and "<ol>" not in rendered and "<s>" not in rendered
    assert "<h1>Sachstandsbericht</h1>" in rendered and "<h1>" not in rendered.replace("<h1>Sachstandsbericht</h1>", "")
    assert rendered.count("<ul>") == 4  # the motion's facts and each of the three items' facts
    assert rendered.count("<table>") == 2  # "# Amt" and "(ohne Amt)"
    assert "<strong>überfällig</strong>" in rendered and rendered.count("<strong>") == 2
    assert "<td>2024|19 – *fett*" in rendered
    note = (
        "<p># keine Überschrift<br />\n- kein Punkt<br />\n+ auch nicht<br />\n1. keine Liste<br />\n2) auch keine<br />\n"
        "&gt; kein Zitat<br />\n---<br />\n===<br />\nkein Code</p>"
    )
    assert note in rendered


# --- CSV --------------------------------------------------------------------


def _read(data: bytes, delimiter: str, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline=""), delimiter=delimiter))


GERMAN_HEADER = [
    "ID",
    "Drucksache",
    "Titel",
    "Datum",
    "Fraktionen",
    "Gremium",
    "Sitzung",
    "Öffentlichkeit",
    "Verfahrensstand",
    "Nr.",
    "Punkt",
    "Status",
    "Amt",
    "Bearbeitung",
    "Wiedervorlage",
    "Sachstand",
    "Geändert",
]


def test_csv_for_german_spreadsheets() -> None:
    data = export_csv([_full(), _without_items()], "de")
    assert data.startswith(BOM + b"ID;Drucksache;")
    assert data.endswith(b"\r\n") and b"\r\n" in data.split(b"\n", 1)[0] + b"\n"
    assert _read(data, ";", "utf-8-sig") == [
        GERMAN_HEADER,
        [
            _id(2),
            "2024/018",
            'Antrag „Grünflächen“ und "Bäume"',
            "01.03.2024",
            "Fraktion Bündnis 90/Die Grünen",
            "Umweltausschuss",
            "02.04.2024",
            "nichtöffentlich",
            "beschlossen",
            "1",
            "Bäume pflanzen",
            "berichtet",
            "Amt 67 – Grünflächen",
            "Frau Müller",
            "10.03.2024",
            'Erster Bericht:\n"20 Bäume" gepflanzt;\tweitere folgen.\n\nÄrger mit „Öko“-Firma.',
            "14.03.2024 09:30",
        ],
        [
            _id(2),
            "2024/018",
            'Antrag „Grünflächen“ und "Bäume"',
            "01.03.2024",
            "Fraktion Bündnis 90/Die Grünen",
            "Umweltausschuss",
            "02.04.2024",
            "nichtöffentlich",
            "beschlossen",
            "2",
            "Pflegeplan",
            "zurückgestellt",
            "Amt 67 – Grünflächen",
            "Herr Öztürk",
            "30.06.2024",
            "Zurückgestellt bis 2025.",
            "14.03.2024 09:30",
        ],
        [_id(3), "", "Anfrage zur Straßenbeleuchtung", "", "", "", "", "öffentlich", "eingegangen", *[""] * 8],
    ]


def test_csv_excel_de_ends_every_record_with_crlf() -> None:
    data = export_csv([_small()], "en")
    records = data.split(b"\r\n")
    assert records[-1] == b"" and len(records) == 1 + 3 + 1
    # The two-paragraph note keeps its own line breaks inside the quotes.
    assert b'"Ausschreibung l\xc3\xa4uft.\nVergabe im April.\n\nR\xc3\xbcckfragen an Amt 62."' in records[1]


def test_csv_header_follows_the_language() -> None:
    rows = _read(export_csv([_small()], "en"), ";", "utf-8-sig")
    assert rows[0] == [
        "ID",
        "Reference",
        "Title",
        "Submitted",
        "Groups",
        "Committee",
        "Meeting",
        "Public session",
        "Procedure",
        "No.",
        "Item",
        "Status",
        "Department",
        "Assignee",
        "Follow-up date",
        "Sachstand",
        "Updated",
    ]
    assert [row[11] for row in rows[1:]] == ["in progress", "done", "open"]
    assert rows[1][14] == "01.03.2024"  # dates as German spreadsheets read them, whatever the language


def test_csv_plain_for_programs() -> None:
    data = export_csv([_full(), _without_items()], "de", dialect="plain")
    assert not data.startswith(BOM) and b"\r" not in data
    assert data.startswith(b"id,reference,title,submitted,groups,")
    rows = _read(data, ",", "utf-8")
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[1] == [
        _id(2),
        "2024/018",
        'Antrag „Grünflächen“ und "Bäume"',
        "2024-03-01",
        "Fraktion Bündnis 90/Die Grünen",
        "Umweltausschuss",
        "2024-04-02",
        "false",
        "decided",
        "1",
        "Bäume pflanzen",
        "reported",
        "Amt 67 – Grünflächen",
        "Frau Müller",
        "2024-03-10",
        'Erster Bericht:\n"20 Bäume" gepflanzt;\tweitere folgen.\n\nÄrger mit „Öko“-Firma.',
        "2024-03-14T09:30:00Z",
    ]
    assert rows[3] == [_id(3), "", "Anfrage zur Straßenbeleuchtung", "", "", "", "", "true", "received", *[""] * 8]


def _formulas() -> Motion:
    return Motion(
        id=_id(5),
        title='=HYPERLINK("http://x";"klick")',
        reference="+49 2452",
        submitted_by=("@gruppe", "CDU"),
        committee="-Ausschuss",
        items=(
            Item(1, "Summe", department="=1+1", assignee="@admin", note="-1 Punkt\n=A1"),
            Item(2, "Tab", note="\tEingerückt"),
        ),
    )


def test_csv_neutralises_formulas_for_spreadsheets() -> None:
    rows = _read(export_csv([_formulas()], "de"), ";", "utf-8-sig")
    first, second = rows[1], rows[2]
    assert first[2] == '\'=HYPERLINK("http://x";"klick")'
    assert first[1] == "'+49 2452" and first[4] == "'@gruppe, CDU" and first[5] == "'-Ausschuss"
    assert first[12] == "'=1+1" and first[13] == "'@admin" and first[15] == "'-1 Punkt\n=A1"
    assert second[15] == "'\tEingerückt"
    assert [cell for row in rows[1:] for cell in row if cell.startswith(("=", "+", "-", "@", "\t"))] == []


def test_csv_plain_keeps_values_as_they_are() -> None:
    rows = _read(export_csv([_formulas()], "de", dialect="plain"), ",", "utf-8")
    assert rows[1][2] == '=HYPERLINK("http://x";"klick")' and rows[1][12] == "=1+1" and rows[1][15] == "-1 Punkt\n=A1"


def test_csv_without_motions_is_just_the_header() -> None:
    assert export_csv([], "de") == BOM + ";".join(GERMAN_HEADER).encode() + b"\r\n"
    assert export_csv([], "de", dialect="plain") == ",".join(CSV_COLUMNS).encode() + b"\n"


def test_csv_unknown_dialect() -> None:
    with pytest.raises(BadInput, match="excel-de, plain"):
        export_csv([_small()], "de", dialect="excel")


# --- JSON -------------------------------------------------------------------


def test_json_reads_back_into_the_same_motions() -> None:
    motions = [_full(), _small(), _without_items(), _tricky(), _formulas()]
    document = orjson.loads(export_json(motions))
    assert list(document) == ["sachstand", "version", "motions"]
    assert document["sachstand"] == "motions" and document["version"] == 1
    assert [Motion.from_dict(data) for data in document["motions"]] == motions


def test_json_is_deterministic_indented_utf8() -> None:
    data = export_json([_full()])
    assert data == export_json([_full()])
    assert data.startswith(b'{\n  "sachstand": "motions",\n  "version": 1,\n  "motions": [\n    {\n      "id": "')
    assert data.endswith(b"}\n")
    assert "Frau Müller".encode() in data and b'\\"20 B\xc3\xa4ume\\" gepflanzt;\\tweitere' in data
    assert export_json([]) == b'{\n  "sachstand": "motions",\n  "version": 1,\n  "motions": []\n}\n'


# --- texts and layering --------------------------------------------------------


def test_every_text_of_the_exports_has_a_german_translation() -> None:
    source = Path(store.exchange.export.__file__).read_text("utf-8")
    used = set(re.findall(r'translate\("((?:[^"\\]|\\.)*)"', source))
    assert used and [msgid for msgid in sorted(used) if not has_translation(msgid, "de")] == []


def test_the_exports_do_not_import_the_dashboard() -> None:
    code = "import sys, store.exchange.export; print(sorted(m for m in sys.modules if m.split('.')[0] in ('tui', 'textual')))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert result.stdout.strip() == "[]"
