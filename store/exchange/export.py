"""Motions out of Sachstand: a status report in Markdown, a CSV table, JSON.

- :func:`export_markdown` writes a Sachstandsbericht to paste into a committee
  paper: each motion with its requested items, then the open items by department.
- :func:`export_csv` writes one row per item for a spreadsheet (``excel-de``) or
  for another program (``plain``).
- :func:`export_json` writes the motions as the model stores them, for
  :meth:`Motion.from_dict` to read back.

The callers choose and order the motions; the exports keep that order. Each export takes
``public``: for publication, what store/exchange/publication.py decides a publication holds;
otherwise every non-public motion is marked as such.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson

from store.errors import BadInput
from store.exchange.publication import access_word, publication, shown_fields
from store.fields import ITEM_FIELDS, MOTION_FIELDS, Field, Kind
from store.i18n import add_catalog, translate
from store.model import Item, Motion
from store.queries import ItemOf, open_items_by_department
from store.values import day_text, iso_date, iso_timestamp, label, moment_text

NONE = "–"
JSON_VERSION = 1

# The fields' labels and column headings are store.fields'; the words the report shares with the
# dashboard's open-items view are store.i18n's.
GERMAN = {
    "Status report": "Sachstandsbericht",
    "As of {date}": "Stand: {date}",
    "No motions.": "Keine Anträge.",
    "No requested items.": "Keine beantragten Punkte.",
    "No status text yet.": "Noch kein Sachstand.",
    "No open items.": "Keine offenen Punkte.",
    "{where}: unknown CSV dialect {value}; known: {known}.": "{where}: unbekanntes CSV-Format {value}; bekannt: {known}.",
}
add_catalog("de", GERMAN)


def _date(value: date | None, lang: str) -> str:
    """German dd.mm.yyyy, otherwise ISO; "" for no date (the caller decides what to show)."""
    return "" if value is None else day_text(value, lang)


# --- Markdown ---------------------------------------------------------------

# Characters that start emphasis, code, links, HTML, headings, table cells or
# strikethrough anywhere in a line; a backslash makes each of them literal.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>#|~])")
# At the start of a line "-", "+" and "1." / "1)" begin a list, "=" and "-" a
# heading underline.
_MARKDOWN_LIST_NUMBER = re.compile(r"^(\d+)([.)])")
_MARKDOWN_LINE_MARK = re.compile(r"^([-+=])")


def _escape(text: str) -> str:
    """One line of text from the data, shown literally whatever it contains."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    text = _MARKDOWN_LIST_NUMBER.sub(r"\1\\\2", text)
    return _MARKDOWN_LINE_MARK.sub(r"\\\1", text)


def _paragraphs(text: str) -> str:
    """A note as Markdown: blank lines part paragraphs, other line breaks stay (a trailing backslash).

    Lines are stripped because leading blanks would make a code block and
    trailing ones a line break of their own.
    """
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(
        "\\\n".join(_escape(line.strip()) for line in paragraph.split("\n")) for paragraph in paragraphs if paragraph
    )


def _fact(name: str, value: str) -> str:
    return f"- {name}: {value}"


def _due(item: Item, lang: str, today: date) -> str:
    shown = _date(item.due, lang) or NONE
    if item.is_overdue(today):
        return shown + " (**" + translate("overdue", lang) + "**)"
    return shown


def _heading(field: Field, lang: str) -> str:
    return translate(field.column.heading, lang)  # type: ignore[union-attr]


def _shown(field: Field, value: Any, lang: str) -> str:
    """A fact's value in the report: texts from the data escaped, dates and statuses as they read."""
    shown = field.show(value, lang)
    return _escape(shown) if field.kind in (Kind.LINE, Kind.LINES, Kind.TEXT) else shown


_MOTION_FACTS = tuple(field for field in MOTION_FIELDS.values() if field.column and field.column.report)
_ITEM_FACTS = tuple(field for field in ITEM_FIELDS.values() if field.column and field.column.report)


def _item_blocks(item: Item, lang: str, today: date) -> list[str]:
    # Every fact of an item is shown, a dash for none: the reader looks for them in each.
    facts = [
        _fact(
            _heading(field, lang),
            _due(item, lang, today) if field.name == "due" else _shown(field, getattr(item, field.name), lang) or NONE,
        )
        for field in _ITEM_FACTS
    ]
    note = _paragraphs(item.note) or translate("No status text yet.", lang)
    return [f"### {item.number}. {_escape(item.title)}", "\n".join(facts), note]


def _marked(motion: Motion, text: str, lang: str) -> str:
    """A motion's name, marked "(nichtöffentlich)" if it is not public."""
    return text if motion.public else f"{text} ({access_word(False, lang)})"


def _motion_blocks(motion: Motion, lang: str, today: date) -> list[str]:
    # Empty fields are left out: a committee paper has no use for placeholders.
    facts = [(_heading(field, lang), _shown(field, getattr(motion, field.name), lang)) for field in _MOTION_FACTS]
    heading = _marked(motion, _escape(motion.title), lang)
    blocks = [f"## {heading}", "\n".join(_fact(name, value) for name, value in facts if value)]
    for item in motion.items:
        blocks.extend(_item_blocks(item, lang, today))
    return blocks if motion.items else [*blocks, translate("No requested items.", lang)]


def _motion_name(motion: Motion, lang: str) -> str:
    title = _escape(motion.title)
    return _marked(motion, f"{_escape(motion.reference)} – {title}" if motion.reference else title, lang)


def _table_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _open_items_table(pairs: Sequence[ItemOf], lang: str, today: date) -> str:
    head = [translate("Motion", lang), *(_heading(ITEM_FIELDS[name], lang) for name in ("title", "status", "due"))]
    rows = [
        [
            _motion_name(motion, lang),
            f"{item.number}. {_escape(item.title)}",
            label(item.status, lang),
            _due(item, lang, today),
        ]
        for motion, item in pairs
    ]
    return "\n".join(_table_row(cells) for cells in [head, ["---"] * len(head), *rows])


def _open_items_blocks(motions: Sequence[Motion], lang: str, today: date) -> list[str]:
    blocks = ["## " + translate("Open items by department", lang)]
    groups = open_items_by_department(motions, today)
    if not groups:
        return [*blocks, translate("No open items.", lang)]
    for department, pairs in groups:
        blocks.append("### " + (_escape(department) or translate("(no department)", lang)))
        blocks.append(_open_items_table(pairs, lang, today))
    return blocks


def export_markdown(motions: Sequence[Motion], lang: str, today: date, *, public: bool = False) -> str:
    """A status report in ``lang`` as of ``today`` (which also decides what is overdue)."""
    motions = publication(motions, public)  # the report's facts hold no internal field
    blocks = ["# " + translate("Status report", lang), translate("As of {date}", lang, date=_date(today, lang))]
    if not motions:
        blocks.append(translate("No motions.", lang))
    else:
        for motion in motions:
            blocks.extend(_motion_blocks(motion, lang, today))
        blocks.extend(_open_items_blocks(motions, lang, today))
    return "\n\n".join(blocks) + "\n"


# --- CSV --------------------------------------------------------------------

# The columns: the motion's fields that have one, then its item's.
_CSV_MOTION = tuple(field for field in MOTION_FIELDS.values() if field.column)
_CSV_ITEM = tuple(field for field in ITEM_FIELDS.values() if field.column)
CSV_COLUMNS = tuple(field.column.name for field in (*_CSV_MOTION, *_CSV_ITEM))  # type: ignore[union-attr]

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class _CsvStyle:
    """How one dialect writes the table: for a person in a German spreadsheet, or for a program."""

    delimiter: str
    encoding: str
    lineterminator: str
    spreadsheet: bool

    def day(self, value: date | None) -> str:
        return _date(value, "de") if self.spreadsheet else iso_date(value) or ""

    def moment(self, value: datetime | None) -> str:
        if value is None:
            return ""
        # People read local time, as the dashboard shows it; programs get UTC.
        return moment_text(value, "de") if self.spreadsheet else iso_timestamp(value) or ""

    def value(self, field: Field, value: Any, lang: str) -> str:
        """One cell's text, before neutralising formulas."""
        kind = field.kind
        if kind is Kind.DATE:
            return self.day(value)
        if kind is Kind.MOMENT:
            return self.moment(value)
        if kind is Kind.STATUS:
            return label(value, lang) if self.spreadsheet else value.value
        if kind is Kind.BOOL and field.name == "public":
            return access_word(value, lang) if self.spreadsheet else str(value).lower()
        return ", ".join(value) if kind is Kind.LINES else str(value)

    def cell(self, value: str) -> str:
        return "'" + value if self.spreadsheet and value.startswith(_FORMULA_START) else value

    def header(self, lang: str, public: bool) -> list[str]:
        fields = shown_fields((*_CSV_MOTION, *_CSV_ITEM), public)
        return [field.column.name if not self.spreadsheet else _heading(field, lang) for field in fields]  # type: ignore[union-attr]


_CSV_STYLES = {
    # German Excel and LibreOffice expect ";" (the comma is the decimal sign) and
    # need the BOM to read the file as UTF-8 instead of Windows-1252.
    "excel-de": _CsvStyle(delimiter=";", encoding="utf-8-sig", lineterminator="\r\n", spreadsheet=True),
    "plain": _CsvStyle(delimiter=",", encoding="utf-8", lineterminator="\n", spreadsheet=False),
}
CSV_DIALECTS = tuple(_CSV_STYLES)


def _csv_rows(motion: Motion, lang: str, style: _CsvStyle, public: bool) -> Iterator[list[str]]:
    values = [style.value(field, getattr(motion, field.name), lang) for field in shown_fields(_CSV_MOTION, public)]
    # A motion without items still gets a row, so that no motion goes missing from the table.
    item_fields = shown_fields(_CSV_ITEM, public)
    for item in motion.items or (None,):
        cells = [style.value(field, getattr(item, field.name), lang) if item else "" for field in item_fields]
        yield [style.cell(value) for value in values + cells]


def export_csv(motions: Sequence[Motion], lang: str, *, dialect: str = "excel-de", public: bool = False) -> bytes:
    """One row per item, the motion's fields repeated; ``public``: without internal columns.

    ``excel-de``: header and statuses in ``lang``, ";", dd.mm.yyyy, UTF-8 with BOM,
    CRLF, formulas neutralised. ``plain``: header and statuses by their machine
    names, ",", ISO dates, UTF-8, LF; ``lang`` does not matter.
    """
    if dialect not in _CSV_STYLES:
        raise BadInput(
            "{where}: unknown CSV dialect {value}; known: {known}.",
            where="dialect",
            value=repr(dialect),
            known=", ".join(CSV_DIALECTS),
        )
    style = _CSV_STYLES[dialect]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator=style.lineterminator)
    writer.writerow(style.header(lang, public))
    for motion in publication(motions, public):
        writer.writerows(_csv_rows(motion, lang, style, public))
    return buffer.getvalue().encode(style.encoding)


# --- JSON -------------------------------------------------------------------


_JSON_INTERNAL = frozenset(field.name for field in MOTION_FIELDS.values() if field.internal)
_JSON_INTERNAL_ITEM = frozenset(field.name for field in ITEM_FIELDS.values() if field.internal)


def _published_dict(motion: Motion) -> dict[str, Any]:
    """The motion's document without its internal fields (they read back as their defaults)."""
    document = {key: value for key, value in motion.to_dict().items() if key not in _JSON_INTERNAL}
    document["items"] = [
        {key: value for key, value in item.items() if key not in _JSON_INTERNAL_ITEM} for item in document["items"]
    ]
    return document


def export_json(motions: Sequence[Motion], *, public: bool = False) -> bytes:
    """``{"sachstand": "motions", "version": 1, "motions": [...]}``, each motion as :meth:`Motion.to_dict`
    (its ``public`` field marks a non-public one); ``public``: the public motions, without internal fields.

    Keys keep the model's order, so the same motions always give the same bytes.
    """
    chosen = publication(motions, public)
    dicts = [_published_dict(motion) if public else motion.to_dict() for motion in chosen]
    document = {"sachstand": "motions", "version": JSON_VERSION, "motions": dicts}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
