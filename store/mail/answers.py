"""A department's answer: the list a reminder attached (store/mail/remind.py), filled in and sent back.

:func:`read_answers` tells such a list by its columns (ID, No., and Status or Sachstand, headed in German
or English, or by the plain CSV's names) and reads its rows; :func:`save_answers` applies them in one
transaction, with the department as the source in the history. A value the department changed, of an
item that was changed here too since the list was sent (what the reminder record keeps), is a conflict:
shown with both values, not applied. Any row that cannot be read refuses the whole file, naming the row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from store.edit import live, replaced_by
from store.errors import BadInput, NotFound
from store.fields import ITEM_FIELDS, MOTION_FIELDS
from store.history import ANSWER
from store.i18n import LANGUAGES, Msg, Notice, add_catalog, translate
from store.mail.record import agreed, record_of
from store.model import Motion
from store.store import Store
from store.values import ItemStatus, check_text, clean_text, parse_item_status

# The answer's columns by the field they hold: a motion's id, then the item's.
_COLUMNS = {
    "id": MOTION_FIELDS["id"],
    **{name: ITEM_FIELDS[name] for name in ("number", "status", "note", "department")},
}
_FORMULA_GUARD = ("'=", "'+", "'-", "'@")  # the export's neutralised formulas (store/exchange/export.py)


@dataclass(frozen=True)
class AnswerRow:
    """One row of a filled-in list: which item, and its status and Sachstand as the department gives them."""

    row: int  # as a spreadsheet numbers it: the heading is row 1
    motion_id: str
    number: int
    status: ItemStatus | None  # None: the list has no such column
    note: str | None
    department: str


@dataclass(frozen=True)
class AnswerConflict:
    """A value the department changed, of an item changed here since the list was sent: not applied."""

    row: int
    motion: Motion
    number: int
    field: str
    here: Any
    theirs: Any


@dataclass
class AnswerResult:
    updated: list[tuple[Motion, int]] = field(default_factory=list)  # the items changed
    conflicts: list[AnswerConflict] = field(default_factory=list)
    unchanged: int = 0


def _headings(name: str) -> set[str]:
    """Every heading a column of ``name`` may have: the spreadsheet's in each language, the plain CSV's."""
    column = _COLUMNS[name].column
    assert column is not None
    return {column.name.casefold(), *(translate(column.heading, lang).casefold() for lang in LANGUAGES)}


def is_answer_list(content: bytes) -> bool:
    """Whether ``content`` is a list of items with their id and number (an export's or a reminder's CSV)."""
    header = _header(_decoded(content, "").splitlines()[:1])
    return header is not None and {"id", "number"} <= header.keys() and bool({"status", "note"} & header.keys())


def _decoded(content: bytes, where: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if not where:
            return ""
        # German Excel saves "CSV (Trennzeichen-getrennt)" in Windows-1252
        return content.decode("cp1252", "replace")


def _header(lines: Sequence[str]) -> dict[str, int] | None:
    if not lines:
        return None
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    cells = next(csv.reader(lines, delimiter=delimiter), [])
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        for name in _COLUMNS:
            if cell.strip().casefold() in _headings(name) and name not in found:
                found[name] = index
    return found


ANSWER_SUFFIXES = (".csv",)  # a file of this kind is read as an answer list, whatever it holds
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")  # refused with the advice to save as CSV
ANSWER_LIMIT = 20 * 2**20  # bytes: a list of 10,000 items is 2 MB


def answer_file(path: Path) -> list[AnswerRow] | None:
    """The rows of ``path`` if it is an answer list (by its kind, or by its first line's columns), else None."""
    if path.suffix.lower() in SPREADSHEETS:  # openpyxl is not worth a dependency: a spreadsheet saves CSV
        raise BadInput("{path}: a spreadsheet file; save the answer list as CSV and import that.", path=path)
    try:
        with path.open("rb") as file:
            head = file.read(4096)
            if path.suffix.lower() not in ANSWER_SUFFIXES and not is_answer_list(head):
                return None
            content = head + file.read(ANSWER_LIMIT + 1 - len(head))
    except OSError as error:
        raise BadInput("{path}: cannot read the file: {detail}.", path=path, detail=error.strerror) from None
    if len(content) > ANSWER_LIMIT:
        raise BadInput("{path}: larger than {limit} MB.", path=path, limit=ANSWER_LIMIT // 2**20)
    return read_answers(content, str(path))


def read_answers(content: bytes, where: str) -> list[AnswerRow]:
    """The rows of a filled-in list; BadInput naming the row of the first that cannot be read."""
    text = _decoded(content, where)
    lines = text.splitlines()
    header = _header(lines[:1])
    if not header or not ({"id", "number"} <= header.keys() and {"status", "note"} & header.keys()):
        raise BadInput(
            "{path}: not a list of items to answer: it needs the columns ID, No. and Status or Sachstand.", path=where
        )
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if number == 1 or not any(cell.strip() for cell in cells):
            continue
        rows.append(_row(cells, header, number, where))
    return rows


def _row(cells: list[str], header: dict[str, int], number: int, where: str) -> AnswerRow:
    place = _place(where, number)

    def cell(name: str) -> str | None:
        if name not in header:
            return None
        value = cells[header[name]] if header[name] < len(cells) else ""
        return value[1:] if value.startswith(_FORMULA_GUARD) else value

    motion_id = _named(place, "ID", lambda: MOTION_FIELDS["id"].check((cell("id") or "").strip(), ""))
    item_number = (cell("number") or "").strip()
    if not item_number.isdigit() or int(item_number) < 1:
        raise BadInput("{where}: expected an item number (1, 2, 3, ...), got {value}.", where=place, value=item_number)
    status = cell("status")
    note = cell("note")
    return AnswerRow(
        number,
        motion_id,
        int(item_number),
        _named(place, "Status", lambda: parse_item_status(status.strip(), "")) if status is not None else None,
        _named(place, "Sachstand", lambda: check_text(clean_text(note).strip(), "")) if note is not None else None,
        " ".join((cell("department") or "").split()),
    )


def save_answers(store: Store, rows: Sequence[AnswerRow], where: str, *, dry_run: bool = False) -> AnswerResult:
    """Apply the rows in one transaction (none with ``dry_run``: what it would do); an unknown motion or
    item refuses all of them."""
    result = AnswerResult()
    with store.transaction() as tx:
        documents = store.documents()
        changed: dict[str, Motion] = {}
        sources: dict[str, set[str]] = {}
        for row in rows:
            place = _place(where, row.row)
            motion = changed.get(row.motion_id) or _motion(store, row, place)
            item = motion.item(row.number)
            if item is None:
                raise NotFound(
                    "{where}: motion {motion} has no item {number}.",
                    where=place,
                    motion=motion.reference or motion.id[:8],
                    number=row.number,
                )
            record = record_of(documents.get(row.motion_id), row.number) or {}
            new: dict[str, Any] = {}
            conflicts = []
            for name, theirs in (("status", row.status), ("note", row.note)):
                here = getattr(item, name)
                if theirs is None or theirs == here:
                    continue
                sent = record.get(name, here)  # statuses are StrEnums: equal to the names the record keeps
                if theirs == sent:
                    continue  # the department left it as sent; it changed here since
                if here != sent:
                    conflicts.append(AnswerConflict(row.row, motion, row.number, name, here, theirs))
                new[name] = theirs
            if conflicts:
                result.conflicts += conflicts  # the row is not applied: a person decides
            elif new:
                changed[row.motion_id] = motion.with_item(replace(item, **new))
                sources.setdefault(row.motion_id, set()).add(row.department or str(record.get("department") or where))
                result.updated.append((motion, row.number))
            else:
                result.unchanged += 1
        if dry_run:
            return result
        for motion_id, motion in changed.items():
            applied = tx.apply(
                motion_id, ANSWER, replaced_by(live(motion)), source=", ".join(sorted(sources[motion_id]))
            )
            agreed(tx, applied or motion, [number for done, number in result.updated if done.id == motion_id])
    return result


def _named(place: Notice, column: str, check: Callable[[], Any]) -> Any:
    """What ``check`` returns; its BadInput said of the row and column."""
    try:
        return check()
    except BadInput as error:
        where = Notice("{place}: {column}", {"place": place, "column": Msg(column)})
        raise BadInput(error.msgid, **{**error.params, "where": where}) from None


def answer_notices(where: str, result: AnswerResult, *, saved: bool) -> list[Notice]:
    """What an answer list does (``saved``: did), and each conflict with both values: for both front ends."""
    message = (
        "{path}: answers saved: {updated} updated, {conflicts} in conflict (not applied), {unchanged} unchanged."
        if saved
        else "{path}: answers: {updated} to update, {conflicts} in conflict, {unchanged} unchanged."
    )
    counts = {"updated": len(result.updated), "conflicts": len(result.conflicts), "unchanged": result.unchanged}
    return [Notice(message, {"path": where, **counts}), *map(_conflict, result.conflicts)]


def _conflict(conflict: AnswerConflict) -> Notice:
    field = ITEM_FIELDS[conflict.field]
    return Notice(
        "  row {row}: {motion}, item {number}, {field}: here {here} – answer {theirs}",
        {
            "row": conflict.row,
            "motion": conflict.motion.reference or conflict.motion.title,
            "number": conflict.number,
            "field": Msg(field.label),
            "here": _Shown(field.name, conflict.here),
            "theirs": _Shown(field.name, conflict.theirs),
        },
    )


@dataclass(frozen=True)
class _Shown:
    """A value of an item's field as a message's parameter: a status by its label, a text in one line."""

    name: str
    value: Any

    def render(self, lang: str) -> str:
        shown = " ".join(ITEM_FIELDS[self.name].show(self.value, lang).split()) or "–"
        return f"„{shown}“" if self.name == "note" else shown


def _place(where: str, row: int) -> Notice:
    return Notice("{path}, row {row}", {"path": where, "row": row})


def _motion(store: Store, row: AnswerRow, place: Notice) -> Motion:
    try:
        return store.get(row.motion_id)
    except NotFound:
        raise NotFound("{where}: no motion with the id {id}.", where=place, id=row.motion_id) from None


add_catalog(
    "de",
    {
        "{path}: not a list of items to answer: it needs the columns ID, No. and Status or Sachstand.": "{path}: "
        "keine Liste zum Beantworten: nötig sind die Spalten ID, Nr. und Status oder Sachstand.",
        "{path}, row {row}": "{path}, Zeile {row}",
        "{path}: answers saved: {updated} updated, {conflicts} in conflict (not applied), {unchanged} unchanged.": ""
        "{path}: Antworten gespeichert: {updated} aktualisiert, {conflicts} im Konflikt (nicht übernommen), "
        "{unchanged} unverändert.",
        "{path}: answers: {updated} to update, {conflicts} in conflict, {unchanged} unchanged.": "{path}: "
        "Antworten: {updated} zu aktualisieren, {conflicts} im Konflikt, {unchanged} unverändert.",
        "  row {row}: {motion}, item {number}, {field}: here {here} – answer {theirs}": "  Zeile {row}: {motion}, "
        "Punkt {number}, {field}: hier {here} – Antwort {theirs}",
        "{path}: larger than {limit} MB.": "{path}: größer als {limit} MB.",
        "{path}: a spreadsheet file; save the answer list as CSV and import that.": "{path}: eine "
        "Tabellenkalkulationsdatei; die Antwortliste als CSV speichern und diese importieren.",
        "{where}: expected an item number (1, 2, 3, ...), got {value}.": "{where}: Punktnummer (1, 2, 3, ...) "
        "erwartet, erhalten: {value}.",
        "{where}: motion {motion} has no item {number}.": "{where}: Antrag {motion} hat keinen Punkt {number}.",
        "{where}: no motion with the id {id}.": "{where}: kein Antrag mit der ID {id}.",
    },
)
