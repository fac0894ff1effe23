"""No key sequence leaves the dashboard without its keys: the focus never rests on a hidden widget,
and after any sequence (and the escapes that close what it opened) help opens and q quits."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from store import EXAMPLE_ID, Store, example_motion
from tui.app import SachstandApp
from tui.components.confirm import ConfirmModal
from tui.components.help import HelpScreen
from tui.components.item_rows import ItemRows
from tui.screens.main import MainScreen
from tui.showcase import TODAY, build_showcase


def _focus_is_shown(app: SachstandApp) -> bool:
    """Whether the focused widget, if any, is on screen: every one of its ancestors displayed."""
    focused = app.focused
    return focused is None or all(node.display for node in focused.ancestors_with_self if isinstance(node, Widget))


async def _press_checked(pilot: Pilot[Any], app: SachstandApp, keys: list[str]) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
        assert _focus_is_shown(app), f"after {key!r} in {keys}: the focus is on hidden {app.focused!r}"


async def _back_to_the_main_view(pilot: Pilot[Any], app: SachstandApp) -> None:
    """Close whatever the keys opened, as a user would: escape, and yes to a question (discarding a changed form)."""
    for _ in range(12):
        if isinstance(app.screen, MainScreen) and not app.main.search_input.has_focus:
            return
        await pilot.press("y" if isinstance(app.screen, ConfirmModal) else "escape")
        await pilot.pause()
    raise AssertionError(f"escape does not lead back to the main view: {app.screen_stack}")


async def _help_opens_and_q_quits(pilot: Pilot[Any], app: SachstandApp) -> None:
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("q")
    await pilot.pause()
    assert app.return_code == 0 and not app.is_running


def _fresh_demo(path: Path) -> Store:
    store = Store(path, user="anna")
    store.add_motion(example_motion())
    return store


async def test_deleting_twice_in_a_fresh_demo_leaves_every_key_working(tmp_path: Path) -> None:
    store = _fresh_demo(tmp_path / "demo.json")
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _press_checked(pilot, app, ["x", "j", "B", "x", "j"])
        assert isinstance(app.screen, MainScreen)
        shown = {key.key for key in app.screen.query("FooterKey")}  # type: ignore[attr-defined]
        assert {"question_mark", "u", "o"} <= shown
        await pilot.press("u")  # brings the example back: u was dead before the fix
        await pilot.pause()
        assert [motion.id for motion in Store(store.path, user="x").motions()] == [EXAMPLE_ID]
        await _help_opens_and_q_quits(pilot, app)


# Keys that move, open and close views and dialogs, answer them and change data; no free text.
ALPHABET = [
    "x",
    "j",
    "k",
    "B",
    "u",
    "ctrl+y",
    "y",
    "n",
    "escape",
    "tab",
    "o",
    "m",
    "a",
    "E",
    "f",
    "slash",
    "enter",
    "space",
    "1",
    "3",
    "question_mark",
    "down",
    "up",
    "G",
    "g",
]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_a_random_key_sequence_leaves_help_and_quit_working(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    keys = [rng.choice(ALPHABET) for _ in range(40)]
    with (_fresh_demo if seed % 2 else build_showcase)(tmp_path / "data.json") as store:
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await _press_checked(pilot, app, keys)
            await _back_to_the_main_view(pilot, app)
            await _help_opens_and_q_quits(pilot, app)


async def test_the_meeting_view_leaves_no_focus_on_its_lists_once_they_hide(tmp_path: Path) -> None:
    store = _fresh_demo(tmp_path / "demo.json")
    store.update_motion(EXAMPLE_ID, meeting=TODAY)
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "enter")  # the meeting, then its agenda
        await pilot.pause()
        assert isinstance(app.focused, ItemRows)
        app.edit(lambda s: s.update_motion(EXAMPLE_ID, meeting=None))  # as from another window
        await pilot.pause()
        await _press_checked(pilot, app, ["3"])  # no status set on an item no one sees
        assert Store(store.path, user="x").get(EXAMPLE_ID).items[0].status.value == "open"
        await pilot.press("escape")
        await _help_opens_and_q_quits(pilot, app)
