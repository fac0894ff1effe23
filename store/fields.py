"""Every field of a motion and of an item, declared once: its kind, limit, label, option and column.

The model checks outside data by these declarations (:meth:`store.model.Motion.from_dict`, also its
quick path), the exports take their columns and headings from them, and the front ends their
labels, command-line options, the parsing of what a person typed (:meth:`Field.parse`) and the
showing of a value (:meth:`Field.show`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from store.errors import BadInput
from store.i18n import add_catalog, translate
from store.values import (
    LINE_LIMIT,
    TEXT_LIMIT,
    TITLE_LIMIT,
    ItemStatus,
    MotionStatus,
    Statuses,
    check_bool,
    check_line,
    check_lines,
    check_number,
    check_text,
    check_uuid,
    clean_text,
    day_text,
    label,
    moment_text,
    parse_date,
    parse_status,
    parse_timestamp,
    show,
    typed_date,
)


class Kind(StrEnum):
    """What a field holds; each kind has one check for outside data and one way to read typed text."""

    ID = "id"  # a UUID
    NUMBER = "number"  # an item's place, 1, 2, 3, ...
    LINE = "line"  # one line of plain text
    TEXT = "text"  # plain text of several lines
    LINES = "lines"  # a list of non-empty lines
    DATE = "date"
    MOMENT = "moment"  # a date and time in UTC
    BOOL = "bool"
    STATUS = "status"  # a member of the field's ``statuses`` enum
    ITEMS = "items"  # a motion's requested items


# Importers that manage fields: a re-import from that source may update them, staff own the rest.
# A Sachstand export (JSON) brings every editable field.
LETTER, OPARL, JSON = "letter", "oparl", "json"


@dataclass(frozen=True, slots=True)
class Option:
    """The command line's option for a field (``sachstand add``, ``sachstand set``)."""

    flag: str  # for a BOOL field the flag sets the opposite of the default: --non-public
    help: str  # message id
    metavar: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """The field in the CSV export and the Markdown report."""

    name: str  # the plain CSV's column
    heading: str  # message id: the spreadsheet's heading and the report's name for it
    report: bool = False  # among the facts the Markdown report lists


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: Kind
    label: str  # message id; German in the catalogue below
    required: bool = False  # outside data must have it, and a text must not be blank
    limit: int = LINE_LIMIT  # characters, for the text kinds (each line of LINES)
    default: Any = None  # what outside data that leaves the field out means
    statuses: type[StrEnum] | None = None  # for STATUS
    option: Option | None = None
    column: Column | None = None
    managed_by: frozenset[str] = frozenset()  # the outside sources a re-import may update it from (LETTER, OPARL)
    editable: bool = True  # people (and a Sachstand export) set it; else the store does
    stamped: bool = False  # set by the store on every edit: no change of its own in the history
    null_is_default: bool = False  # null reads as the default (early files wrote null for no reference)
    # The clerk's internal working data: left out of a report for publication (export --public,
    # store/exchange/publication.py): who handles an item, who changed it last, where the letter lies.
    internal: bool = False

    def check(self, value: Any, where: str) -> Any:
        """The value from outside data (the file, a peer, an import), or BadInput naming ``where``."""
        return _CHECKS[self.kind](self, value, where)

    def parse(self, value: str | Sequence[str] | bool | None, where: str) -> Any:
        """The value from what a person typed: blanks around it dropped, a list from entries or
        comma-separated text, a status by its name or label, a date as 28.07.2020 or 2020-07-28."""
        return _parse(self, value, where)

    def show(self, value: Any, lang: str) -> str:
        """The value as a person reads it in ``lang``; "" when it is empty (the caller shows a dash)."""
        return _show(self, value, lang)


def _checked_line(field: Field, value: Any, where: str) -> str:
    if field.null_is_default and value is None:
        return field.default
    return check_line(value, where, required=field.required, limit=field.limit)


_CHECKS = {
    Kind.ID: lambda field, value, where: check_uuid(value, where),
    Kind.NUMBER: lambda field, value, where: check_number(value, where),
    Kind.LINE: _checked_line,
    Kind.TEXT: lambda field, value, where: check_text(value, where, limit=field.limit),
    Kind.LINES: lambda field, value, where: check_lines(value, where, limit=field.limit),
    Kind.DATE: lambda field, value, where: parse_date(value, where),
    Kind.MOMENT: lambda field, value, where: parse_timestamp(value, where),
    Kind.BOOL: lambda field, value, where: check_bool(value, where),
    Kind.STATUS: lambda field, value, where: parse_status(field.statuses, value, where),
}


_LETTER_OPARL = frozenset({LETTER, OPARL})


# In the order the data file and the JSON export write them.
def _table(*fields: Field) -> Mapping[str, Field]:
    """The fields by name; a name declared twice is a mistake in this file, found when it loads."""
    table = {field.name: field for field in fields}
    if len(table) != len(fields):
        raise TypeError("a field is declared twice")
    return table


MOTION_FIELDS = _table(
    Field("id", Kind.ID, "ID", required=True, column=Column("id", "ID"), editable=False),
    Field(
        "reference",
        Kind.LINE,
        "Reference",
        default="",
        null_is_default=True,
        option=Option("--reference", "reference number (Drucksachen-Nr.)"),
        column=Column("reference", "Reference", report=True),
        managed_by=_LETTER_OPARL,
    ),
    Field(
        "title",
        Kind.LINE,
        "Title",
        required=True,
        limit=TITLE_LIMIT,
        option=Option("--title", "the motion's title"),
        column=Column("title", "Title"),
        managed_by=_LETTER_OPARL,
    ),
    Field(
        "submitted",
        Kind.DATE,
        "Submitted",
        option=Option("--submitted", "date the motion was submitted", "DATE"),
        column=Column("submitted", "Submitted", report=True),
        managed_by=_LETTER_OPARL,
    ),
    Field(
        "submitted_by",
        Kind.LINES,
        "Submitted by",
        default=[],
        option=Option("--by", "submitting group(s)", "GROUP"),
        column=Column("groups", "Groups", report=True),
        managed_by=_LETTER_OPARL,
    ),
    Field(
        "addressed_to",
        Kind.LINE,
        "Addressed to",
        default="",
        option=Option("--addressed-to", "addressee, e.g. the Landrat"),
        managed_by=frozenset({LETTER}),
    ),
    Field(
        "copy_to",
        Kind.LINES,
        "Copy to",
        default=[],
        option=Option("--copy-to", "groups receiving a copy (z. K.)", "GROUP"),
        managed_by=frozenset({LETTER}),
    ),
    Field(
        "committee",
        Kind.LINE,
        "Committee",
        default="",
        option=Option("--committee", "committee that deals with it"),
        column=Column("committee", "Committee", report=True),
        managed_by=_LETTER_OPARL,
    ),
    Field(
        "legal_basis",
        Kind.LINE,
        "Legal basis",
        default="",
        option=Option("--legal-basis", "legal basis, e.g. § 5 GeschO"),
        managed_by=frozenset({LETTER}),
    ),
    Field(
        "meeting",
        Kind.DATE,
        "Meeting",
        option=Option("--meeting", "date of the target meeting", "DATE"),
        column=Column("meeting", "Meeting", report=True),
        managed_by=_LETTER_OPARL,
    ),
    Field(
        "public",
        Kind.BOOL,
        "Public",
        default=True,
        option=Option("--non-public", "the motion is dealt with in non-public session"),
        column=Column("public", "Public session"),
    ),
    Field(
        "status",
        Kind.STATUS,
        "Procedure",
        default=MotionStatus.RECEIVED.value,
        statuses=MotionStatus,
        column=Column("procedure_status", "Procedure", report=True),
    ),
    Field(
        "text",
        Kind.TEXT,
        "Free text",
        default="",
        limit=TEXT_LIMIT,
        option=Option("--text", "free text"),
        managed_by=frozenset({LETTER}),
    ),
    Field(
        "source",
        Kind.LINE,
        "Source",
        default="",
        limit=TEXT_LIMIT,  # a letter's path or a paper's URL can be long
        option=Option("--source", "link to the source (letter, OParl paper)"),
        managed_by=frozenset({OPARL}),
        internal=True,
    ),
    Field("source_deleted", Kind.BOOL, "At the source", default=False, managed_by=frozenset({OPARL})),
    Field("created", Kind.MOMENT, "Created", editable=False, stamped=True),
    Field("updated", Kind.MOMENT, "Updated", editable=False, stamped=True),
    Field("items", Kind.ITEMS, "Requested items", default=[], editable=False),  # edited one by one
)

ITEM_FIELDS = _table(
    Field("number", Kind.NUMBER, "No.", required=True, column=Column("item_number", "No."), editable=False),
    Field("title", Kind.LINE, "Title", required=True, limit=TITLE_LIMIT, column=Column("item_title", "Item")),
    Field(
        "status",
        Kind.STATUS,
        "Status",
        default=ItemStatus.OPEN.value,
        statuses=ItemStatus,
        column=Column("item_status", "Status", report=True),
    ),
    Field(
        "department",
        Kind.LINE,
        "Department",
        default="",
        option=Option("--department", "lead department (federführendes Amt)", "D"),
        column=Column("department", "Department", report=True),
    ),
    Field(
        "assignee",
        Kind.LINE,
        "Assignee",
        default="",
        option=Option("--assignee", "person handling it", "NAME"),
        column=Column("assignee", "Assignee"),
        internal=True,
    ),
    Field(
        "due",
        Kind.DATE,
        "Due",
        option=Option("--due", "follow-up date (Wiedervorlage); empty to clear", "DATE"),
        column=Column("follow_up", "Follow-up date", report=True),
    ),
    Field(
        "note",
        Kind.TEXT,
        "Sachstand",
        default="",
        limit=TEXT_LIMIT,
        option=Option("--note", "the status text (Sachstand)", "TEXT"),
        column=Column("sachstand", "Sachstand"),
    ),
    Field("updated", Kind.MOMENT, "Updated", column=Column("updated", "Updated"), editable=False, stamped=True),
    Field("updated_by", Kind.LINE, "Updated by", default="", editable=False, stamped=True, internal=True),
)

# The motion's own fields a person fills in, in the order a letter gives them (the motion form).
MOTION_FORM = (
    "title",
    "reference",
    "submitted",
    "submitted_by",
    "addressed_to",
    "copy_to",
    "committee",
    "meeting",
    "legal_basis",
    "status",
    "public",
    "source",
    "text",
)

# The item's fields the item form offers, department first: what the open-items view needs most.
ITEM_FORM = ("department", "assignee", "due", "title")


def managed_fields(source: str) -> tuple[str, ...]:
    """The motion fields a re-import from ``source`` (LETTER, OPARL, JSON) may update."""
    return tuple(
        name
        for name, field in MOTION_FIELDS.items()
        if source in field.managed_by or (source == JSON and field.editable)
    )


def check_editable(values: Mapping[str, Any], fields: Mapping[str, Field], where: str) -> None:
    """BadInput naming the fields ``values`` sets that an edit may not change (the store keeps them itself), or the
    first whose value is not of its kind as the models hold it: a status one of its statuses, a date a day or None.
    A text is checked where the edit is written, as every document is."""
    unknown = [name for name in values if name not in fields or not fields[name].editable]
    if unknown:
        raise BadInput(
            "{where}: fields that cannot be changed: {value}; changeable: {known}.",
            where=where,
            value=", ".join(sorted(unknown)),
            known=", ".join(sorted(name for name, field in fields.items() if field.editable)),
        )
    for name, value in values.items():
        field = fields[name]
        if field.statuses is not None and not isinstance(value, field.statuses):
            raise BadInput(
                "{where}: unknown status {value}; allowed: {allowed}.",
                where=f"{where}: {name}",
                value=show(value),
                allowed=Statuses(field.statuses),
            )
        if field.kind is Kind.DATE and value is not None and type(value) is not date:
            raise BadInput(
                "{where}: expected a date YYYY-MM-DD, got {value}.", where=f"{where}: {name}", value=show(value)
            )


# Fields the store stamps on every edit, of a motion or an item (see store.changes).
STAMPED = frozenset(name for fields in (MOTION_FIELDS, ITEM_FIELDS) for name, field in fields.items() if field.stamped)


def field_label(name: str, lang: str, *, item: bool = False) -> str:
    """A motion field's label in ``lang`` (an item field's with ``item``)."""
    return translate((ITEM_FIELDS if item else MOTION_FIELDS)[name].label, lang)


def check_field_line(name: str, value: Any, where: str) -> str:
    """A single-line field of a motion or item, by the same rule wherever it comes from."""
    field = MOTION_FIELDS[name]
    return check_line(value, where, required=field.required, limit=field.limit)


def _parse(field: Field, value: str | Sequence[str] | bool | None, where: str) -> Any:
    """What a person typed for ``field``, checked and converted; BadInput names ``where``.

    Texts lose the blanks around them (multi-line text also its Windows line ends); a list comes
    as entries (each must not be blank) or as one comma-separated text (blank parts dropped); a
    date (28.07.2020 or 2020-07-28) or None, an empty text clears it.
    """
    kind = field.kind
    if kind is Kind.LINES:
        entries = [part for part in value.split(",") if part.strip()] if isinstance(value, str) else value or ()
        if isinstance(entries, bool):
            raise BadInput("{where}: expected a list of texts, got {value}.", where=where, value=show(entries))
        return tuple(check_line(entry.strip(), where, required=True, limit=field.limit) for entry in entries)
    if kind is Kind.BOOL:
        return check_bool(value, where)
    if value is not None and not isinstance(value, str):
        raise BadInput("{where}: expected text, got {value}.", where=where, value=show(value))
    if kind is Kind.DATE:
        return typed_date(value, where)
    if kind is Kind.STATUS:
        return parse_status(field.statuses, value, where)  # type: ignore[arg-type]
    if kind is Kind.TEXT:
        return check_text(clean_text(value or ""), where, limit=field.limit)
    return field.check((value or "").strip(), where)


def _show(field: Field, value: Any, lang: str) -> str:
    """``value`` of ``field`` as a person reads it in ``lang``: dates as 28.07.2020 in German,
    statuses by their label, lists joined by commas; "" for no value."""
    if value is None or value == "" or value == ():
        return ""
    if isinstance(value, datetime):
        return moment_text(value, lang)
    if isinstance(value, date):
        return day_text(value, lang)
    if field.kind is Kind.STATUS:
        return label(value, lang)
    if field.kind is Kind.BOOL:
        return translate("yes" if value else "no", lang)
    if field.kind is Kind.LINES:
        return ", ".join(value)
    return str(value)


GERMAN = {
    # labels
    "ID": "ID",
    "Reference": "Drucksache",
    "Title": "Titel",
    "Submitted": "Datum",
    "Submitted by": "Antragsteller",
    "Addressed to": "An",
    "Copy to": "z. K.",
    "Committee": "Gremium",
    "Legal basis": "Rechtsgrundlage",
    "Meeting": "Sitzung",
    "Public": "Öffentlich",
    "Procedure": "Verfahrensstand",
    "Free text": "Freitext",
    "Source": "Quelle",
    "At the source": "In der Quelle",
    "Created": "Angelegt",
    "Updated": "Geändert",
    "Requested items": "Beantragte Punkte",
    "No.": "Nr.",
    "Status": "Status",
    "Department": "Amt",
    "Assignee": "Bearbeitung",
    "Due": "Wiedervorlage",
    "Sachstand": "Sachstand",
    "Updated by": "Geändert von",
    # column headings
    "Groups": "Fraktionen",
    "Item": "Punkt",
    "Follow-up date": "Wiedervorlage",
    "Public session": "Öffentlichkeit",
    # values
    "yes": "ja",
    "no": "nein",
    # command-line options
    "the motion's title": "Titel des Antrags",
    "reference number (Drucksachen-Nr.)": "Drucksachen-Nr.",
    "date the motion was submitted": "Datum des Antrags",
    "submitting group(s)": "antragstellende Fraktion(en)",
    "addressee, e.g. the Landrat": "Adressat, z. B. der Landrat",
    "groups receiving a copy (z. K.)": "Fraktionen zur Kenntnis (z. K.)",
    "committee that deals with it": "zuständiges Gremium",
    "date of the target meeting": "Datum der vorgesehenen Sitzung",
    "legal basis, e.g. § 5 GeschO": "Rechtsgrundlage, z. B. § 5 GeschO",
    "the motion is dealt with in non-public session": "der Antrag wird nichtöffentlich beraten",
    "free text": "Freitext",
    "link to the source (letter, OParl paper)": "Verweis auf die Quelle (Schreiben, OParl-Drucksache)",
    "the status text (Sachstand)": "der Sachstand",
    "lead department (federführendes Amt)": "federführendes Amt",
    "person handling it": "zuständige Person",
    "follow-up date (Wiedervorlage); empty to clear": "Wiedervorlage; leer zum Löschen",
}
add_catalog("de", GERMAN)
