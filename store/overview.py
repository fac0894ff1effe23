"""The figures of the dashboard's overview: items per department by status, what is overdue or due soon,
each committee's next meeting, the last changes. Pure functions over the motions and their stored history,
returning plain data; the dashboard computes them in a worker thread from an :class:`OverviewSource`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from store.file.bulk import collector_paused
from store.file.documents import snapshot
from store.file.parts import history_seqs
from store.history import HistoryEntry
from store.model import Motion
from store.values import PENDING, ItemStatus

if TYPE_CHECKING:
    from store.store import Store

Doc = dict[str, Any]

SOON_DAYS = 14  # days: "due soon" looks this far ahead, today included
LAST_CHANGES = 20  # how many changes the overview lists
_STATUSES = tuple(ItemStatus)
_COLUMN = {status: index for index, status in enumerate(_STATUSES)}


@dataclass(frozen=True, slots=True)
class DepartmentFigures:
    department: str  # "" for items without one
    counts: tuple[int, ...]  # items per status, in the order of ItemStatus
    overdue: int  # pending, past the follow-up date
    due_soon: int  # pending, follow-up date from today to SOON_DAYS days ahead

    @property
    def total(self) -> int:
        return sum(self.counts)

    def by_status(self) -> list[tuple[ItemStatus, int]]:
        return list(zip(_STATUSES, self.counts, strict=True))


@dataclass(frozen=True, slots=True)
class CommitteeFigures:
    committee: str  # "" for meetings of motions without a committee
    meeting: date | None  # the next meeting, today or later; None: none is scheduled
    previous: date | None  # the latest meeting before today
    motions: int  # on the next meeting's agenda
    open_items: int  # pending items of those motions

    @property
    def shown_meeting(self) -> date | None:
        """The meeting the committee's list opens on: the next one, else the last one held."""
        return self.meeting or self.previous


@dataclass(frozen=True, slots=True)
class RecentChange:
    """One write as the history has it: its first entry, the name of that entry's motion, and how
    many more motions the same write changed (an import, an edit of several marked items)."""

    entry: HistoryEntry
    motion: str  # the motion's reference, else its title
    others: int


@dataclass(frozen=True, slots=True)
class Overview:
    departments: tuple[DepartmentFigures, ...]
    committees: tuple[CommitteeFigures, ...]
    changes: tuple[RecentChange, ...]


@dataclass(frozen=True, slots=True, repr=False)  # a repr of every motion would take seconds at 10,000
class OverviewSource:
    """What the overview is computed from, taken on the thread that owns the store: the motions (immutable
    models) and the stored documents (replaced, never changed, by a write), safe to read in another thread."""

    motions: tuple[Motion, ...]
    documents: Mapping[str, Doc]

    @classmethod
    def of(cls, store: Store) -> OverviewSource:
        return cls(tuple(store.motions()), snapshot(store.documents()))  # read in the worker


def compute_overview(source: OverviewSource, today: date) -> Overview:
    with collector_paused():  # the last changes list every document's writes: see store/file/bulk.py
        changes = tuple(last_changes(source.documents))
    return Overview(
        tuple(department_figures(source.motions, today)), tuple(committee_figures(source.motions, today)), changes
    )


def department_figures(motions: Iterable[Motion], today: date, soon: int = SOON_DAYS) -> list[DepartmentFigures]:
    """Every department some item names, alphabetically; items without a department last, under ""."""
    horizon = today + timedelta(days=soon)
    width = len(_STATUSES)
    rows: dict[str, list[int]] = {}  # per department: a count per status, then overdue, then due soon
    for motion in motions:
        for item in motion.items:
            row = rows.get(item.department)
            if row is None:
                row = rows[item.department] = [0] * (width + 2)
            row[_COLUMN[item.status]] += 1
            if item.due is not None and item.status in PENDING:
                if item.due < today:
                    row[width] += 1
                elif item.due <= horizon:
                    row[width + 1] += 1
    return [
        DepartmentFigures(department, tuple(rows[department][:width]), rows[department][width], rows[department][-1])
        for department in sorted(rows, key=lambda name: (name == "", name.casefold()))
    ]


def committee_figures(motions: Iterable[Motion], today: date) -> list[CommitteeFigures]:
    """Every committee a motion names or meets in: those with a meeting ahead first, the soonest first;
    then the others by name."""
    agendas: dict[str, dict[date, list[int]]] = {}  # committee -> meeting -> [motions, open items]
    for motion in motions:
        if not motion.committee and not motion.meeting:
            continue
        meetings = agendas.setdefault(motion.committee, {})
        if motion.meeting:
            agenda = meetings.setdefault(motion.meeting, [0, 0])
            agenda[0] += 1
            agenda[1] += sum(item.status in PENDING for item in motion.items)
    found = []
    for committee, meetings in agendas.items():
        ahead = min((day for day in meetings if day >= today), default=None)
        before = max((day for day in meetings if day < today), default=None)
        motions_on, open_items = meetings[ahead] if ahead else (0, 0)
        found.append(CommitteeFigures(committee, ahead, before, motions_on, open_items))
    return sorted(found, key=lambda c: (c.meeting is None, c.meeting or date.min, c.committee.casefold()))


def last_changes(documents: Mapping[str, Doc], limit: int = LAST_CHANGES) -> list[RecentChange]:
    """The newest ``limit`` writes recorded in the documents' histories (``Store.documents()``: deleted
    motions too, whose deletion is a change), newest first. Entries of one write share its ``seq``; the
    seqs are known without a parse of each line (store/file/documents.py), the entries shown are read."""
    writes: dict[int, list[str]] = {}  # seq -> the motion of each entry with it, in the documents' order
    for motion_id in documents:
        for seq in history_seqs(documents, motion_id):
            writes.setdefault(seq, []).append(motion_id)
    found = []
    for seq in sorted(writes, reverse=True)[:limit]:
        motion_ids = writes[seq]
        document = documents[motion_ids[0]]
        raw = next(raw for raw in document.get("history", ()) if raw["seq"] == seq)
        name = document.get("reference") or document.get("title", "")
        found.append(RecentChange(HistoryEntry.from_dict(raw, motion_ids[0]), name, len(motion_ids) - 1))
    return found
