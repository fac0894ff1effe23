"""The council's status report as content, declared once for every writer (DOCX, PDF).

One :class:`Section` per committee: its title lines (body, committee, date of the report, meeting), a
table per motion (number, item, department, status as a traffic light and word, follow-up date,
Sachstand), and the annex "Seit dem letzten Bericht erledigt": the items done that the committee's
last report did not yet report done. Items it did report done drop off. All texts are in the
report's language already; the writers only lay them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from store.exchange.export import NONE  # with the export's words: "Status report", "No status text yet."
from store.exchange.publication import access_word, publication
from store.fields import ITEM_FIELDS
from store.i18n import add_catalog, translate
from store.model import Item, Motion
from store.reports import RecordedReport, last_statuses
from store.values import ItemStatus, day_text, label


@dataclass(frozen=True)
class Row:
    motion_id: str
    number: int
    status: ItemStatus
    light: str  # a colour of store/exchange/report/lights.py
    cells: tuple[str, ...]  # as COLUMNS: number, item, department, status word, follow-up date, Sachstand


@dataclass(frozen=True)
class MotionTable:
    heading: str  # "2024/017 – Digitalisierung der Schulen"
    mark: str  # "nichtöffentlich" for a non-public motion, else ""
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Section:
    """The report to one committee."""

    committee: str
    lines: tuple[str, ...]  # under the title: body, committee, date, meeting
    tables: tuple[MotionTable, ...]
    annex: tuple[MotionTable, ...]

    def reported(self) -> list[tuple[str, int, ItemStatus]]:
        """What a record of this report remembers: every item it shows, with its status."""
        return [(row.motion_id, row.number, row.status) for table in (*self.tables, *self.annex) for row in table.rows]


@dataclass(frozen=True)
class CouncilReport:
    lang: str
    title: str
    headings: tuple[str, ...]
    annex_title: str
    nothing: str  # said where a section or its annex has no items
    sections: tuple[Section, ...]


_COLUMNS = ("number", "title", "department", "status", "due", "note")


def committees_of(motions: Sequence[Motion]) -> list[str]:
    """The committees of the motions, sorted, motions without one last."""
    names = {motion.committee for motion in motions}
    return sorted(names - {""}, key=str.casefold) + ([""] if "" in names else [])


def council_report(
    motions: Sequence[Motion],
    *,
    lang: str,
    today: date,
    body: str,
    lights: Mapping[ItemStatus, str],
    records: Sequence[RecordedReport],
    meeting: date | None = None,
    public: bool = False,
) -> CouncilReport:
    """The report of ``motions`` (chosen and ordered by the caller), a section per committee."""
    shown = publication(motions, public)
    sections = tuple(
        _section(
            [motion for motion in shown if motion.committee == committee],
            committee,
            lang=lang,
            today=today,
            body=body,
            lights=lights,
            reported=last_statuses(records, committee),
            meeting=meeting,
        )
        for committee in committees_of(shown)
    )
    headings = tuple(translate(ITEM_FIELDS[name].column.heading, lang) for name in _COLUMNS)  # type: ignore[union-attr]
    return CouncilReport(
        lang,
        translate("Status report", lang),
        headings,
        translate("Done since the last report", lang),
        translate("No items.", lang),
        sections,
    )


def _section(
    motions: list[Motion],
    committee: str,
    *,
    lang: str,
    today: date,
    body: str,
    lights: Mapping[ItemStatus, str],
    reported: Mapping[tuple[str, int], ItemStatus],
    meeting: date | None,
) -> Section:
    lines = [body] if body else []
    lines.append(translate("Committee: {name}", lang, name=committee or translate("(without a committee)", lang)))
    lines.append(translate("Report of {date}", lang, date=day_text(today, lang)))
    if meeting:
        lines.append(translate("For the meeting on {date}", lang, date=day_text(meeting, lang)))
    tables, annex = [], []
    for motion in motions:
        current, done = [], []
        for item in motion.items:
            if item.status is not ItemStatus.DONE:
                current.append(_row(motion, item, lang, today, lights))
            elif reported.get((motion.id, item.number)) is not ItemStatus.DONE:
                done.append(_row(motion, item, lang, today, lights))  # done since the last report: once, in the annex
        heading = f"{motion.reference} – {motion.title}" if motion.reference else motion.title
        mark = "" if motion.public else access_word(False, lang)
        if current or not motion.items:
            tables.append(MotionTable(heading, mark, tuple(current)))
        if done:
            annex.append(MotionTable(heading, mark, tuple(done)))
    return Section(committee, tuple(lines), tuple(tables), tuple(annex))


def _row(motion: Motion, item: Item, lang: str, today: date, lights: Mapping[ItemStatus, str]) -> Row:
    due = day_text(item.due, lang) if item.due else NONE
    if item.is_overdue(today):
        due += f" ({translate('overdue', lang)})"
    cells = (
        str(item.number),
        item.title,
        item.department or NONE,
        label(item.status, lang),
        due,
        item.note or translate("No status text yet.", lang),
    )
    return Row(motion.id, item.number, item.status, lights[item.status], cells)


add_catalog(
    "de",
    {
        "Done since the last report": "Seit dem letzten Bericht erledigt",
        "No items.": "Keine Punkte.",
        "Committee: {name}": "Gremium: {name}",
        "(without a committee)": "(ohne Gremium)",
        "Report of {date}": "Bericht vom {date}",
        "For the meeting on {date}": "Für die Sitzung am {date}",
    },
)
