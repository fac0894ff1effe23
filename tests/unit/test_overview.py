"""The overview's figures (store/overview.py): by department, overdue, due soon, next meetings, last changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from store import ItemStatus, Motion, Store, new_items
from store.model import Item
from store.overview import (
    CommitteeFigures,
    DepartmentFigures,
    OverviewSource,
    committee_figures,
    compute_overview,
    department_figures,
    last_changes,
)

TODAY = date(2020, 11, 2)
OPEN, WORKING, REPORTED, DONE, DEFERRED = tuple(ItemStatus)


def _motion(number: int, items: list[Item], **fields: object) -> Motion:
    return Motion(id=f"00000000-0000-4000-8000-{number:012d}", title=f"Antrag {number}", items=tuple(items), **fields)


def _ticks() -> Iterator[datetime]:
    moment = datetime(2020, 10, 1, 9, 0, tzinfo=UTC)
    while True:
        yield moment
        moment += timedelta(minutes=10)


def test_items_per_department_by_status() -> None:
    a = _motion(
        1,
        [
            Item(1, "a", OPEN, department="Amt 10"),
            Item(2, "b", WORKING, department="Amt 10"),
            Item(3, "c", DONE, department="Amt 10"),
            Item(4, "d", DONE, department="amt 40"),
            Item(5, "e", DEFERRED),
        ],
    )
    b = _motion(2, [Item(1, "f", REPORTED, department="Amt 10"), Item(2, "g", OPEN, department="Amt 10")])
    figures = department_figures([a, b], TODAY)
    # Alphabetical without regard to case; the items without a department last.
    assert [row.department for row in figures] == ["Amt 10", "amt 40", ""]
    amt10 = figures[0]
    assert amt10.counts == (2, 1, 1, 1, 0) and amt10.total == 5
    assert amt10.by_status() == [(OPEN, 2), (WORKING, 1), (REPORTED, 1), (DONE, 1), (DEFERRED, 0)]
    assert figures[1] == DepartmentFigures("amt 40", (0, 0, 0, 1, 0), overdue=0, due_soon=0)
    assert figures[2] == DepartmentFigures("", (0, 0, 0, 0, 1), overdue=0, due_soon=0)


def test_overdue_and_due_within_14_days_count_pending_items_only() -> None:
    day = TODAY
    items = [
        Item(1, "yesterday", OPEN, department="A", due=day - timedelta(days=1)),  # overdue
        Item(2, "long ago, in progress", WORKING, department="A", due=date(2019, 1, 1)),  # overdue
        Item(3, "today", OPEN, department="A", due=day),  # due soon, not yet overdue
        Item(4, "in 14 days", WORKING, department="A", due=day + timedelta(days=14)),  # due soon
        Item(5, "in 15 days", OPEN, department="A", due=day + timedelta(days=15)),  # neither
        Item(6, "done, long ago", DONE, department="A", due=date(2019, 1, 1)),  # neither: not pending
        Item(7, "reported, tomorrow", REPORTED, department="A", due=day + timedelta(days=1)),  # neither
        Item(8, "deferred, past", DEFERRED, department="A", due=date(2020, 1, 1)),  # neither
        Item(9, "no date", OPEN, department="A"),  # neither
    ]
    (row,) = department_figures([_motion(1, items)], TODAY)
    assert (row.overdue, row.due_soon, row.total) == (2, 2, 9)
    (later,) = department_figures([_motion(1, items)], TODAY + timedelta(days=1))  # the figures follow today
    assert (later.overdue, later.due_soon) == (3, 2)  # "today" is overdue now, "in 15 days" due soon
    (shorter,) = department_figures([_motion(1, items)], TODAY, soon=0)
    assert shorter.due_soon == 1


def test_each_committee_with_its_next_meeting_and_open_items() -> None:
    pending = [Item(1, "x", OPEN), Item(2, "y", WORKING), Item(3, "z", DONE)]
    motions = [
        _motion(1, pending, committee="Kreisausschuss", meeting=date(2020, 11, 19)),
        _motion(2, pending[:1], committee="Kreisausschuss", meeting=date(2020, 11, 19)),
        _motion(3, pending, committee="Kreisausschuss", meeting=date(2020, 12, 10)),  # the one after
        _motion(4, pending, committee="Kreisausschuss", meeting=date(2020, 9, 15)),  # held
        _motion(5, pending, committee="Bauausschuss", meeting=TODAY),  # today's counts as next
        _motion(6, pending, committee="Sozialausschuss", meeting=date(2020, 10, 1)),  # only one held
        _motion(7, pending, committee="Finanzausschuss"),  # no meeting at all
        _motion(8, pending),  # no committee, no meeting: not a committee's
        _motion(9, pending, meeting=date(2020, 11, 5)),  # a meeting without a committee
    ]
    assert committee_figures(motions, TODAY) == [
        CommitteeFigures("Bauausschuss", TODAY, None, motions=1, open_items=2),
        CommitteeFigures("", date(2020, 11, 5), None, motions=1, open_items=2),
        CommitteeFigures("Kreisausschuss", date(2020, 11, 19), date(2020, 9, 15), motions=2, open_items=3),
        CommitteeFigures("Finanzausschuss", None, None, motions=0, open_items=0),
        CommitteeFigures("Sozialausschuss", None, date(2020, 10, 1), motions=0, open_items=0),
    ]
    figures = {row.committee: row for row in committee_figures(motions, TODAY)}
    assert figures["Kreisausschuss"].shown_meeting == date(2020, 11, 19)
    assert figures["Sozialausschuss"].shown_meeting == date(2020, 10, 1)  # the list opens on the last one
    assert figures["Finanzausschuss"].shown_meeting is None


def test_last_changes_newest_first_with_who_what_when(tmp_path: Path) -> None:
    clock = _ticks()
    with Store(tmp_path / "data.json", user="m.schmitz", clock=lambda: next(clock)) as store:
        first = store.add_motion(_motion(1, list(new_items(["eins", "zwei"])), reference="DS 1/2020"))
        second = store.add_motion(_motion(2, list(new_items(["drei"]))))
        store.set_item(first.id, 2, status=DONE)
        store.delete_motion(second.id)
        changes = last_changes(store.documents())
        assert [(change.motion, change.entry.action, change.others) for change in changes] == [
            ("Antrag 2", "delete", 0),  # deleted, yet named: the document keeps its title
            ("DS 1/2020", "edit", 0),
            ("Antrag 2", "create", 0),
            ("DS 1/2020", "create", 0),
        ]
        newest_edit = changes[1].entry
        assert newest_edit.by == "m.schmitz" and newest_edit.at == datetime(2020, 10, 1, 9, 20, tzinfo=UTC)
        assert [(c.path, c.old, c.new) for c in newest_edit.changes] == [("items.2.status", "open", "done")]
        assert [change.entry.seq for change in last_changes(store.documents(), limit=2)] == [
            change.entry.seq for change in changes[:2]
        ]


def test_one_write_of_many_motions_is_one_change(tmp_path: Path) -> None:
    with Store(tmp_path / "data.json", user="importer") as store:
        store.import_motions([_motion(n, []) for n in range(1, 4)], managed=("title",))
        store.add_motion(_motion(9, []))
        changes = last_changes(store.documents())
        assert [(change.entry.action, change.others) for change in changes] == [("create", 0), ("import", 2)]


def test_the_source_is_a_snapshot_later_edits_leave_alone(tmp_path: Path) -> None:
    with Store(tmp_path / "data.json", user="m.schmitz") as store:
        motion = store.add_motion(
            _motion(1, [Item(1, "a", OPEN, department="Amt 10", due=TODAY)], committee="Kreisausschuss")
        )
        source = OverviewSource.of(store)
        store.set_item(motion.id, 1, status=DONE)
        store.add_motion(_motion(2, [Item(1, "b", OPEN, department="Amt 20")]))
        before = compute_overview(source, TODAY)
        assert [row.department for row in before.departments] == ["Amt 10"]
        assert before.departments[0].counts == (1, 0, 0, 0, 0) and before.departments[0].due_soon == 1
        assert len(before.changes) == 1
        assert len(repr(source)) < 100  # Textual describes a worker by the repr of its work, on the app's thread
        after = compute_overview(OverviewSource.of(store), TODAY)
        assert [row.department for row in after.departments] == ["Amt 10", "Amt 20"]
        assert after.departments[0].counts == (0, 0, 0, 1, 0) and len(after.changes) == 3


def test_an_empty_store_has_no_figures(tmp_path: Path) -> None:
    with Store(tmp_path / "data.json", user="m.schmitz") as store:
        figures = compute_overview(OverviewSource.of(store), TODAY)
    assert figures.departments == figures.committees == figures.changes == ()
