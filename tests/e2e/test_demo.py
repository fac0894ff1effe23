"""`sachstand demo`'s store: several made-up motions around the example, so that every view shows
something; and the meeting view, when empty, names the way to a meeting in the dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from textual.widgets import OptionList, Static

from store import EXAMPLE_ID, ItemStatus, Store, example_motion
from tui.app import SachstandApp
from tui.components.item_rows import ItemRows
from tui.screens.meeting import MeetingScreen
from tui.screens.open_items import OpenItemsScreen
from tui.showcase import build_demo

from helpers.dashboard import plain

TODAY = date(2026, 3, 2)


def _demo(tmp_path: Path) -> Store:
    build_demo(tmp_path / "demo.json", "anna", TODAY)
    return Store(tmp_path / "demo.json", user="anna")


def test_the_demo_holds_motions_with_departments_dates_meetings_and_statuses(tmp_path: Path) -> None:
    motions = _demo(tmp_path).motions()
    assert len(motions) >= 6 and EXAMPLE_ID in [m.id for m in motions]
    items = [item for motion in motions for item in motion.items]
    assert all(motion.reference for motion in motions if motion.id != EXAMPLE_ID)
    assert len({item.department for item in items if item.department}) >= 5
    assert any(item.is_overdue(TODAY) for item in items)
    assert any(item.due and TODAY <= item.due <= TODAY + timedelta(days=14) for item in items)
    assert len({item.status for item in items}) == len(ItemStatus)
    assert any(motion.meeting and motion.meeting >= TODAY for motion in motions)
    assert len({motion.status for motion in motions}) >= 4


async def test_every_view_of_the_demo_shows_something(tmp_path: Path) -> None:
    store = _demo(tmp_path)
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.main.motion_list.row_count == len(store.motions())
        assert app.main.item_table.row_count > 0
        await pilot.press("o")
        assert isinstance(app.screen, OpenItemsScreen)
        open_items = app.screen.query_one(ItemRows)
        assert open_items.row_count > 5 and "davon überfällig: 0" not in str(open_items.border_title)
        await pilot.press("escape", "m")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.query_one(OptionList).option_count >= 3
        agenda = app.screen.query_one(ItemRows)
        assert agenda.row_count >= 4  # the next meeting: three motions of the Ausschuss für Mobilität
        assert "Ausschuss für Mobilität" in str(agenda.border_title)


async def test_the_empty_meeting_view_names_the_dashboard_way_and_the_command(tmp_path: Path) -> None:
    store = Store(tmp_path / "data.json", user="anna")
    store.add_motion(example_motion())
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        hint = " ".join(plain(app.screen.query_one("#no-meetings", Static).content).split())
        assert "E auf dem Antrag" in hint and "sachstand add --committee" in hint
    assert store.get(EXAMPLE_ID).meeting is None
