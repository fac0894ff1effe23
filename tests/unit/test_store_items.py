"""Several items changed at once (Store.set_items): one write, one history group, one undo; the departments in use."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from store import BadInput, ItemStatus, Motion, NotFound, Store, departments, new_items

from helpers.stored import stored_files

ID_A = "aaaa1111-0000-4000-8000-000000000001"
ID_B = "aaaa2222-0000-4000-8000-000000000002"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "data.json", user="anna") as opened:
        opened.add_motion(Motion(id=ID_A, title="Digitalisierung", items=new_items(["a", "b", "c"])))
        opened.add_motion(Motion(id=ID_B, title="Radwege", items=new_items(["x", "y"])))
        yield opened


def _statuses(path: Path) -> dict[str, list[ItemStatus]]:
    """What the file holds, read by a handle of its own."""
    with Store(path, user="someone") as reopened:
        return {motion.id: [item.status for item in motion.items] for motion in reopened.motions()}


def test_items_of_two_motions_change_in_one_write_and_one_undo_takes_all_back(store: Store) -> None:
    before = store.generation
    changed = store.set_items([(ID_A, 1), (ID_B, 2), (ID_A, 3)], {"status": ItemStatus.DONE, "department": "Amt 40"})
    assert [motion.id for motion in changed] == [ID_A, ID_B]
    assert store.generation == before + 1  # one write
    done, still = ItemStatus.DONE, ItemStatus.OPEN
    assert _statuses(store.path) == {ID_A: [done, still, done], ID_B: [still, done]}
    entries = [entry for entry in store.history() if entry.seq == store.generation]
    assert len(entries) == 2 and {entry.motion_id for entry in entries} == {ID_A, ID_B}
    assert entries[0].items | entries[1].items == {1, 2, 3}

    undone = store.undo()
    assert len(undone) == 2
    assert _statuses(store.path) == {ID_A: [still] * 3, ID_B: [still] * 2}
    assert [item.department for item in store.get(ID_A).items] == ["", "", ""]


def test_values_from_each_item(store: Store) -> None:
    store.set_item(ID_A, 2, status=ItemStatus.IN_PROGRESS)
    order = list(ItemStatus)
    store.set_items([(ID_A, 1), (ID_A, 2)], lambda item: {"status": order[order.index(item.status) + 1]})
    assert _statuses(store.path)[ID_A] == [ItemStatus.IN_PROGRESS, ItemStatus.REPORTED, ItemStatus.OPEN]


@pytest.mark.parametrize(
    ("items", "values", "error", "message"),
    [
        ([(ID_A, 1), (ID_A, 4)], {"status": ItemStatus.DONE}, NotFound, "no item 4; its items are 1 to 3"),
        ([(ID_A, 1), ("ffff", 1)], {"status": ItemStatus.DONE}, NotFound, "No motion matches"),
        ([(ID_A, 1)], {"number": 7}, BadInput, "fields that cannot be changed: number"),
        ([(ID_A, 1), (ID_B, 1)], {"title": ""}, BadInput, "title"),
        # A status or a date as the text it is written as, not the value the models hold: named at the call.
        ([(ID_A, 1)], {"status": "done"}, BadInput, "set_items: status: unknown status 'done'; allowed: open, "),
        ([(ID_A, 1)], {"due": "2026-12-24"}, BadInput, "set_items: due: expected a date YYYY-MM-DD, got '2026-12-24'"),
        ([(ID_A, 1)], {"due": datetime(2026, 12, 24, 9)}, BadInput, "set_items: due: expected a date"),
    ],
)
def test_a_bad_item_or_value_changes_nothing(
    store: Store, items: list[tuple[str, int]], values: dict, error: type[Exception], message: str
) -> None:
    kept = stored_files(store.path)
    with pytest.raises(error, match=message):
        store.set_items(items, values)
    assert stored_files(store.path) == kept


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "decided"}, "update_motion: status: unknown status 'decided'; allowed: received, "),
        ({"meeting": "2026-12-24"}, "update_motion: meeting: expected a date YYYY-MM-DD, got '2026-12-24'"),
        ({"updated": datetime(2026, 12, 24, 9)}, "update_motion: fields that cannot be changed: updated"),
    ],
)
def test_a_motions_field_of_the_wrong_kind_changes_nothing(store: Store, fields: dict, message: str) -> None:
    kept = stored_files(store.path)
    with pytest.raises(BadInput, match=re.escape(message)):
        store.update_motion(ID_A, **fields)
    assert stored_files(store.path) == kept


def test_departments_in_use_most_used_first(store: Store) -> None:
    assert departments(store.motions()) == []
    store.set_items([(ID_A, 1), (ID_A, 2)], {"department": "Amt 40 – Schulen"})
    store.set_items([(ID_A, 3), (ID_B, 1)], {"department": "Amt 10"})
    store.set_item(ID_B, 2, department="amt 32")
    assert departments(store.motions()) == ["Amt 10", "Amt 40 – Schulen", "amt 32"]
