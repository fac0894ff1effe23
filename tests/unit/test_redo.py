"""Redo: what the last undo took back comes back, one write at a time, until a new edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import ItemStatus, Motion, Store, UndoError, new_items

from helpers.stored import stored_files

ID_A = "aaaa1111-0000-4000-8000-000000000001"
ID_B = "aaaa2222-0000-4000-8000-000000000002"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "data.json", user="anna") as opened:
        opened.add_motion(Motion(id=ID_A, title="Digitalisierung", items=new_items(["a", "b"])))
        yield opened


def _statuses(store: Store) -> list[ItemStatus]:
    return [item.status for item in Store(store.path, user="x").get(ID_A).items]


def test_redo_brings_back_undone_edits_in_the_order_they_were_undone(store: Store) -> None:
    store.set_item(ID_A, 1, status=ItemStatus.DONE)
    store.set_item(ID_A, 2, status=ItemStatus.REPORTED)
    store.undo()
    store.undo()
    assert _statuses(store) == [ItemStatus.OPEN, ItemStatus.OPEN]
    [redone] = store.redo()
    assert (redone.action, [c.path for c in redone.changes]) == ("edit", ["items.1.status"])
    assert _statuses(store) == [ItemStatus.DONE, ItemStatus.OPEN]
    store.redo()
    assert _statuses(store) == [ItemStatus.DONE, ItemStatus.REPORTED]
    before = stored_files(store.path)
    with pytest.raises(UndoError, match="Nothing to redo"):
        store.redo()
    assert stored_files(store.path) == before
    actions = [entry.action for entry in store.history(ID_A)]
    assert actions == ["create", "edit", "edit", "undo", "undo", "redo", "redo"]


def test_undo_after_redo_takes_the_redo_back_and_redo_again_restores_it(store: Store) -> None:
    store.set_item(ID_A, 1, status=ItemStatus.DONE)
    store.undo()
    store.redo()
    store.undo()
    assert _statuses(store)[0] is ItemStatus.OPEN
    store.redo()
    assert _statuses(store)[0] is ItemStatus.DONE


def test_a_new_edit_after_an_undo_clears_the_redo(store: Store) -> None:
    store.set_item(ID_A, 1, status=ItemStatus.DONE)
    store.undo()
    store.set_item(ID_A, 2, note="neu")
    with pytest.raises(UndoError, match="Nothing to redo"):
        store.redo()
    store.undo()  # the note
    store.redo()  # the note again, not the older status
    motion = Store(store.path, user="x").get(ID_A)
    assert (motion.items[0].status, motion.items[1].note) == (ItemStatus.OPEN, "neu")


def test_redo_brings_back_a_motion_whose_creation_was_undone(store: Store) -> None:
    store.add_motion(Motion(id=ID_B, title="Radwege", items=new_items(["x"])))
    assert store.next_undo()[0].adds_motion
    store.undo()
    assert [m.id for m in Store(store.path, user="x").motions()] == [ID_A]
    [redone] = store.redo()
    assert redone.action == "create"
    assert Store(store.path, user="x").get(ID_B).title == "Radwege"
    assert store.next_undo()[0].adds_motion  # undoing the redo deletes it again: the dashboard asks


def test_redo_undoes_a_write_of_several_motions_whole(store: Store) -> None:
    store.add_motion(Motion(id=ID_B, title="Radwege", items=new_items(["x"])))
    with store.transaction() as tx:  # one write touching both motions, as a change of marked items is
        for motion_id in (ID_A, ID_B):
            motion = store.get(motion_id)
            tx.apply(motion_id, "edit", lambda _before, m=motion: {**m.to_dict(), "title": "Neu", "deleted": False})
    assert len(store.undo()) == 2
    assert {m.title for m in Store(store.path, user="x").motions()} == {"Digitalisierung", "Radwege"}
    assert len(store.redo()) == 2
    assert {m.title for m in Store(store.path, user="x").motions()} == {"Neu"}


def test_redo_refuses_when_someone_changed_the_field_since(store: Store) -> None:
    store.set_item(ID_A, 1, note="Anna")
    store.undo()
    with Store(store.path, user="bert") as bert:
        bert.set_item(ID_A, 1, note="Bert")
    before = stored_files(store.path)
    with pytest.raises(UndoError, match=r"Not redone: items\.1\.note .* bert"):
        store.redo()
    assert stored_files(store.path) == before


def test_redo_is_per_user(store: Store) -> None:
    store.set_item(ID_A, 1, status=ItemStatus.DONE)
    store.undo()
    with Store(store.path, user="bert") as bert, pytest.raises(UndoError, match="Nothing to redo"):
        bert.redo()
