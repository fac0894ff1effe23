"""The motion list's order after an edit, brought forward from the order before (tui/format.py
``newest_first_again``): always the order a sort of the motions gives, the same objects in the same places,
whatever the edit changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from operator import is_
from pathlib import Path

import pytest

from store import ItemStatus, Motion, Store, new_items, new_motion_id
from store.exchange.generate import generate_motions
from tui.format import EDITED_SHARE, TIES, newest_first, newest_first_again

TODAY = date(2026, 12, 3)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "data.json", user="anna")
    store.import_motions(list(generate_motions(400, today=TODAY)), managed=())
    return store


def _twins(store: Store) -> list[str]:
    """Two motions with the same sort key (the same day, no time of adding): a tie the sort keeps in store order."""
    day = date(2025, 6, 1)
    return [
        store.add_motion(Motion(id=new_motion_id(), title=title, submitted=day, items=new_items(["Bericht"]))).id
        for title in ("Zwilling eins", "Zwilling zwei")
    ]


def _notes(store: Store, motions: list[Motion]) -> None:
    store.set_items([(motion.id, 1) for motion in motions], {"note": "Stand"})


EDITS: dict[str, Callable[[Store, list[Motion]], object]] = {
    "a status": lambda store, motions: store.set_item(motions[5].id, 1, status=ItemStatus.DONE),
    "a few statuses": lambda store, motions: store.set_items([(m.id, 1) for m in motions[:5]], {"note": "x"}),
    "a share": lambda store, motions: _notes(store, motions[: len(motions) // EDITED_SHARE]),
    "more than a share": lambda store, motions: _notes(store, motions[: len(motions) // EDITED_SHARE + 1]),
    "the date": lambda store, motions: store.update_motion(motions[7].id, submitted=date(2001, 1, 1)),
    "a title": lambda store, motions: store.update_motion(motions[9].id, title="Neu"),
    "a new motion": lambda store, motions: _twins(store),
    "a deletion": lambda store, motions: store.delete_motion(motions[3].id),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_the_order_after_an_edit_is_the_order_a_sort_gives(store: Store, edit: str) -> None:
    _twins(store)
    before = store.motions()
    ordered = newest_first(before)
    EDITS[edit](store, before)
    now = store.motions()
    again = newest_first_again(before, ordered, now)
    assert len(again) == len(now) and all(map(is_, again, newest_first(now)))


def test_a_tie_edited_keeps_its_place_among_its_twins(store: Store) -> None:
    first, second = _twins(store)
    before = store.motions()
    ordered = newest_first(before)
    store.set_item(second, 1, status=ItemStatus.DONE)
    now = store.motions()
    again = newest_first_again(before, ordered, now)
    assert all(map(is_, again, newest_first(now)))
    assert [m.id for m in again if m.id in (first, second)] == [first, second]


def test_nothing_changed_gives_the_order_itself(store: Store) -> None:
    before = store.motions()
    ordered = newest_first(before)
    assert newest_first_again(before, ordered, list(before)) is ordered


def test_many_ties_are_sorted_anew_rather_than_looked_through(tmp_path: Path) -> None:
    """An import's motions, undated and added at one moment, share one sort key: past TIES of them, the order is
    sorted anew (a look through them all for each of many edited would take longer than the sort)."""
    moment = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    store = Store(tmp_path / "data.json", user="anna", clock=lambda: moment)
    ids = [
        store.add_motion(Motion(id=new_motion_id(), title=f"Antrag {n}", items=new_items(["Bericht"]))).id
        for n in range(TIES + 20)
    ]
    for edited in (ids[0], ids[-1]):  # the first of the ties, and one past TIES of them
        before = store.motions()
        ordered = newest_first(before)
        store.set_item(edited, 1, status=ItemStatus.DONE)
        now = store.motions()
        assert all(map(is_, newest_first_again(before, ordered, now), newest_first(now)))
