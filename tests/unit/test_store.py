"""The store API: finding motions, editing, history and undo."""

from __future__ import annotations

import gc
import re
import weakref
from datetime import date
from pathlib import Path

import pytest

from store import (
    Ambiguous,
    BadInput,
    ItemStatus,
    Motion,
    MotionStatus,
    NotFound,
    Store,
    UndoError,
    new_items,
)

from helpers.stored import stored_files

ID_A = "aaaa1111-0000-4000-8000-000000000001"
ID_B = "aaaa2222-0000-4000-8000-000000000002"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "data.json", user="anna") as opened:
        opened.add_motion(
            Motion(id=ID_A, title="Digitalisierung", reference="DS 7/2020", items=new_items(["a", "b", "c"]))
        )
        opened.add_motion(Motion(id=ID_B, title="Radwege", items=new_items(["x"])))
        yield opened


def test_find_by_id_prefix_and_reference(store: Store) -> None:
    assert store.find(ID_A).id == ID_A
    assert store.find("aaaa2").id == ID_B
    assert store.find("  ds   7/2020 ").id == ID_A
    with pytest.raises(Ambiguous, match="matches 2 motions"):
        store.find("aaaa")
    with pytest.raises(NotFound):
        store.find("ffff")


def test_set_item_changes_only_that_item_and_stamps_who_and_when(store: Store) -> None:
    motion = store.set_item(ID_A, 2, status=ItemStatus.IN_PROGRESS, department="Amt 10", due=date(2026, 12, 1))
    changed = motion.items[1]
    assert (changed.status, changed.department, changed.due, changed.updated_by) == (
        ItemStatus.IN_PROGRESS,
        "Amt 10",
        date(2026, 12, 1),
        "anna",
    )
    assert changed.updated is not None
    assert motion.items[0] == store.get(ID_A).items[0]
    assert motion.items[0].updated is None
    assert store.get(ID_A) == motion


def test_history_records_who_when_and_old_to_new(store: Store) -> None:
    store.set_item(ID_A, 1, status=ItemStatus.DONE, note="fertig")
    entries = store.history(ID_A)
    assert [entry.action for entry in entries] == ["create", "edit"]
    last = entries[-1]
    assert last.by == "anna"
    assert {(c.path, c.old, c.new) for c in last.changes} == {
        ("items.1.status", "open", "done"),
        ("items.1.note", "", "fertig"),
    }
    assert last.items == {1}
    assert [entry.motion_id for entry in store.history()] == [ID_A, ID_B, ID_A]


def test_an_edit_that_changes_nothing_writes_nothing(store: Store) -> None:
    before = stored_files(store.path)
    store.set_item(ID_A, 1, status=ItemStatus.OPEN)
    assert stored_files(store.path) == before


def test_undo_takes_back_the_last_change_then_the_one_before(store: Store) -> None:
    store.set_item(ID_A, 1, status=ItemStatus.DONE)
    store.update_motion(ID_A, status=MotionStatus.ANSWERED)
    undone = store.undo()
    assert [c.path for c in undone[0].changes] == ["status"]
    assert store.get(ID_A).status is MotionStatus.RECEIVED
    assert store.get(ID_A).items[0].status is ItemStatus.DONE
    store.undo()
    assert store.get(ID_A).items[0].status is ItemStatus.OPEN
    store.undo()  # the creation of motion B
    assert [m.id for m in store.motions()] == [ID_A]
    assert [entry.action for entry in store.history(ID_A)] == ["create", "edit", "edit", "undo", "undo"]


def test_undo_only_takes_back_my_own_changes(store: Store, tmp_path: Path) -> None:
    with Store(store.path, user="bert") as bert:
        with pytest.raises(UndoError, match="Nothing to undo"):
            bert.undo()
        bert.set_item(ID_A, 1, note="von Bert")
    store.set_item(ID_A, 2, note="von Anna")
    store.undo()
    assert [item.note for item in store.get(ID_A).items] == ["von Bert", "", ""]


def test_undo_refuses_to_overwrite_a_later_change_by_someone_else(store: Store) -> None:
    store.set_item(ID_A, 1, note="Anna")
    with Store(store.path, user="bert") as bert:
        bert.set_item(ID_A, 1, note="Bert")
    before = stored_files(store.path)
    with pytest.raises(UndoError, match="changed again by bert"):
        store.undo()
    assert stored_files(store.path) == before


def test_delete_keeps_a_tombstone_and_undo_restores(store: Store) -> None:
    store.delete_motion(ID_B)
    assert [m.id for m in store.motions()] == [ID_A]
    with pytest.raises(NotFound):
        store.get(ID_B)
    store.undo()
    assert store.get(ID_B).title == "Radwege"


def test_adding_an_item_numbers_it_and_undo_removes_it(store: Store) -> None:
    motion = store.add_item(ID_B, "Förderanträge stellen")
    assert [(item.number, item.title) for item in motion.items] == [(1, "x"), (2, "Förderanträge stellen")]
    store.undo()
    assert len(store.get(ID_B).items) == 1


def test_adding_an_existing_id_is_refused(store: Store) -> None:
    with pytest.raises(BadInput, match="exists already"):
        store.add_motion(Motion(id=ID_A, title="Doppelt"))


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "must not be empty"),
        ({"title": "Rot\x1b[31m"}, "control character (U+001B)"),
        ({"title": "abc\u202edef"}, "control character (U+202E)"),
        ({"title": "zwei\nZeilen"}, "single line"),
        ({"note": "x" * 20_001}, "longer than 20000"),
    ],
)
def test_invalid_edits_are_refused_and_change_nothing(store: Store, fields: dict, message: str) -> None:
    before = stored_files(store.path)
    with pytest.raises(BadInput, match=re.escape(message)):
        store.set_item(ID_A, 1, **fields)
    assert stored_files(store.path) == before
    assert store.get(ID_A).items[0].title == "a"


def test_markup_in_text_is_kept_literally(store: Store) -> None:
    motion = store.set_item(ID_A, 1, title="[bold red]Wichtig[/] <b>x</b> $(rm -rf)")
    reopened = Store(store.path, user="anna")
    assert reopened.get(ID_A).items[0].title == motion.items[0].title == "[bold red]Wichtig[/] <b>x</b> $(rm -rf)"


def test_unknown_item_number_names_the_range(store: Store) -> None:
    with pytest.raises(NotFound, match="has no item 4; its items are 1 to 3"):
        store.set_item(ID_A, 4, status=ItemStatus.DONE)


def _paper(title: str = "Radweg", **fields: object) -> Motion:
    return Motion(
        id="0ea1c6a2-8f7e-5d0b-9c1e-3b2a4f5e6d70", title=title, items=new_items(["Antrag insgesamt"]), **fields
    )


MANAGED = ("title", "reference", "committee", "source_deleted")


def test_import_adds_then_follows_the_source(tmp_path: Path) -> None:
    with Store(tmp_path / "data.json", user="import") as store:
        first = store.import_motions(
            [_paper(reference="DS 1")], managed=MANAGED, source="https://ris.example/body", cursor="t1"
        )
        assert [m.title for m in first.added] == ["Radweg"]
        again = store.import_motions([_paper(reference="DS 1")], managed=MANAGED)
        assert (again.added, again.updated, again.unchanged) == ([], [], 1)
        moved = store.import_motions([_paper(reference="DS 1", committee="Bauausschuss")], managed=MANAGED)
        assert [m.committee for m in moved.updated] == ["Bauausschuss"]
        assert store.import_cursor("https://ris.example/body") == "t1"
        assert [entry.action for entry in store.history(_paper().id)] == ["import", "import"]


def test_import_never_overwrites_what_a_person_changed(tmp_path: Path) -> None:
    with Store(tmp_path / "data.json", user="anna") as store:
        store.import_motions([_paper(reference="DS 1")], managed=MANAGED)
        store.update_motion(_paper().id, title="Radweg an der L 228")  # staff made the title clearer
        store.set_item(_paper().id, 1, status=ItemStatus.IN_PROGRESS)
        result = store.import_motions([_paper("Radweg (neu)", reference="DS 1-neu")], managed=MANAGED)
        motion = store.get(_paper().id)
        assert (motion.title, motion.reference, motion.items[0].status) == (
            "Radweg an der L 228",
            "DS 1-neu",
            ItemStatus.IN_PROGRESS,
        )
        assert [(m.id, fields) for m, fields in result.kept] == [(_paper().id, ["title"])]
        store.delete_motion(_paper().id)
        result = store.import_motions([_paper(reference="DS 1", source_deleted=True)], managed=MANAGED)
        assert [fields for _m, fields in result.kept] == [["deleted"]]
        assert store.motions() == []


def test_a_whole_import_is_one_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.file.storage import AtomicJSONStorage

    writes: list[int] = []
    original = AtomicJSONStorage.write
    monkeypatch.setattr(
        AtomicJSONStorage,
        "write",
        lambda self, *args, **options: (writes.append(1), original(self, *args, **options))[1],
    )
    with Store(tmp_path / "data.json", user="import") as store:
        papers = [
            Motion(id=f"00000000-0000-4000-8000-{n:012d}", title=f"Antrag {n}", items=new_items(["x"]))
            for n in range(1, 40)
        ]
        assert len(store.import_motions(papers, managed=MANAGED).added) == 39
        assert writes == [1]


# --- undo takes back only the user's own edits (issue 18, defect 2) ---------------------------


def test_undo_never_takes_back_an_import(tmp_path: Path) -> None:
    with Store(tmp_path / "data.json", user="anna") as store:
        store.import_motions([_paper(reference="DS 1")], managed=MANAGED)
        before = stored_files(store.path)
        with pytest.raises(UndoError, match="Nothing to undo"):
            store.undo()
        assert stored_files(store.path) == before
        store.set_item(_paper().id, 1, note="Anna")  # her own edit, then the source changes the title
        store.import_motions([_paper("Radweg (neu)", reference="DS 1")], managed=MANAGED)
        [undone] = store.undo()
        assert undone.action == "edit"
        motion = store.get(_paper().id)
        assert (motion.title, motion.items[0].note) == ("Radweg (neu)", "")


# --- a motion given twice in one import (issue 18, defect 8) -------------------------------


@pytest.mark.parametrize("present", [False, True], ids=["new", "present"])
def test_a_motion_given_twice_in_one_import_goes_in_once_as_its_later_copy(tmp_path: Path, present: bool) -> None:
    other = Motion(id=ID_B, title="Radwege", items=new_items(["x"]))
    with Store(tmp_path / "data.json", user="anna") as store:
        if present:
            store.import_motions([_paper(reference="DS 1")], managed=MANAGED)
        result = store.import_motions(
            [_paper("erste Fassung", reference="DS 1"), other, _paper("zweite Fassung", reference="DS 1")],
            managed=MANAGED,
        )
        assert [motion.title for motion in store.motions()] == ["zweite Fassung", "Radwege"]
        assert len(result.added) + len(result.updated) == 2 and result.unchanged == 0
        assert len(store.history(_paper().id)) == 1 + present  # one entry per import, not one per copy


def test_a_store_let_go_of_is_freed_at_once_without_the_cycle_collector(store: Store) -> None:
    """The dashboard freezes what it reads (no run of the cycle collector looks at it again), and replaces its handle
    after another process's whole write: a handle in a cycle would keep its lines and tables for good."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        handle = store.reopened(with_models=True)
        handle.refresh()
        assert handle.sync_state("https://sachstand.example").pending == 2  # its sync book at work, never synced
        gone = weakref.ref(handle)
        handle.close()
        del handle
        assert gone() is None
    finally:
        if collecting:
            gc.enable()
