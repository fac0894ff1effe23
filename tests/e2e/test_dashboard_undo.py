"""Undo and redo in the dashboard: u asks before it takes back a motion's creation; ctrl+y brings back."""

from __future__ import annotations

from pathlib import Path

from store import EXAMPLE_ID, ItemStatus, Store
from tui.app import SachstandApp
from tui.components.confirm import ConfirmModal
from tui.showcase import SECOND_ID, TODAY, build_showcase

from helpers.dashboard import to_item


def _stored(path: Path) -> Store:
    return Store(path, user="someone-else")


async def test_undoing_a_motions_creation_asks_and_ctrl_y_brings_it_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "data.json", user="anna")
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("B")  # adds the example motion
        await pilot.pause()
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmModal)
        assert "rückgängig" in app.screen.question and "Strg+Y" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert [m.id for m in _stored(store.path).motions()] == [EXAMPLE_ID]
        await pilot.press("u", "j")
        await pilot.pause()
        assert _stored(store.path).motions() == []
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert [m.id for m in _stored(store.path).motions()] == [EXAMPLE_ID]
        assert app.main.motion_list.selected_id == EXAMPLE_ID
        await pilot.press("ctrl+y")  # nothing left to redo: said, nothing written
        await pilot.pause()
        assert any("Nichts wiederherzustellen" in str(note.message) for note in app._notifications)
    actions = [entry.action for entry in _stored(store.path).history(EXAMPLE_ID)]
    assert actions == ["create", "undo", "redo"]


async def test_ctrl_y_redoes_an_undone_status_without_asking(tmp_path: Path) -> None:
    with build_showcase(tmp_path / "data.json") as store:
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=(120, 36)) as pilot:
            await to_item(pilot, app, SECOND_ID, 1)
            await pilot.press("4", "u")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmModal)
            assert _stored(store.path).get(SECOND_ID).items[0].status is ItemStatus.IN_PROGRESS
            await pilot.press("ctrl+y")
            await pilot.pause()
            assert app.main.item_table.get_cell("1", "status").plain.endswith("erledigt")
        assert _stored(store.path).get(SECOND_ID).items[0].status is ItemStatus.DONE
