"""Questions across motions: open items per department, meetings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from store import Item, ItemStatus, Motion
from store.queries import meeting_motions, meetings, open_items_by_department

TODAY = date(2020, 11, 2)


def _motion(number: int, items: list[Item], **fields: object) -> Motion:
    return Motion(id=f"00000000-0000-4000-8000-{number:012d}", title=f"Antrag {number}", items=tuple(items), **fields)


def test_open_items_grouped_by_department_overdue_first() -> None:
    a = _motion(
        1,
        [
            Item(1, "spät", ItemStatus.IN_PROGRESS, department="Amt 10", due=date(2020, 10, 1)),
            Item(2, "bald", ItemStatus.OPEN, department="Amt 10", due=date(2020, 11, 30)),
            Item(3, "fertig", ItemStatus.DONE, department="Amt 10", due=date(2020, 9, 1)),
            Item(4, "ohne Amt", ItemStatus.OPEN),
        ],
    )
    b = _motion(
        2,
        [
            Item(1, "ohne Datum", ItemStatus.OPEN, department="Amt 10"),
            Item(2, "sehr spät", ItemStatus.OPEN, department="amt 40", due=date(2020, 1, 1)),
            Item(3, "berichtet", ItemStatus.REPORTED, department="Amt 40"),
        ],
    )
    groups = open_items_by_department([a, b], TODAY)
    assert [(department, [item.title for _motion, item in pairs]) for department, pairs in groups] == [
        ("Amt 10", ["spät", "bald", "ohne Datum"]),
        ("amt 40", ["sehr spät"]),
        ("", ["ohne Amt"]),
    ]


def test_meetings_and_their_motions() -> None:
    base = dict(committee="Kreisausschuss", meeting=date(2020, 9, 15))
    first = _motion(1, [], submitted=date(2020, 7, 28), **base)
    second = _motion(2, [], submitted=date(2020, 7, 1), **base)
    other = _motion(3, [], committee="Schulausschuss", meeting=date(2020, 10, 1))
    unscheduled = _motion(4, [])
    motions = [first, second, other, unscheduled]
    assert meetings(motions) == [(date(2020, 10, 1), "Schulausschuss"), (date(2020, 9, 15), "Kreisausschuss")]
    assert meeting_motions(motions, date(2020, 9, 15), "Kreisausschuss") == [second, first]
    assert meeting_motions(motions, date(2020, 9, 15), "Schulausschuss") == []
    assert replace(first, meeting=None) not in meeting_motions(motions, date(2020, 9, 15), "Kreisausschuss")
