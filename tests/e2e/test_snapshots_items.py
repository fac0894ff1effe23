"""What the item form and marks look like: SVG snapshots at 80x24 and 120x36 (see tests/e2e/test_snapshots.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store import Store
from tui.app import SachstandApp
from tui.showcase import TODAY, build_showcase

SIZES = pytest.mark.parametrize("terminal_size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])


@pytest.fixture
def showcase(tmp_path: Path) -> Iterator[Store]:
    with build_showcase(tmp_path / "sachstand.json") as store:
        yield store


def _app(store: Store) -> SachstandApp:
    app = SachstandApp(store, "de", today=TODAY)
    app.sub_title = "sachstand.json"  # not the tmp path, which differs on every run
    return app


def _steady(keys: list[str]):
    async def run(pilot: Pilot) -> None:
        await pilot.press(*keys)
        await pilot.pause()
        for widget in pilot.app.screen.query("Input"):
            widget.cursor_blink = False  # a blinking cursor would be in the picture or not depending on timing

    return run


@SIZES
def test_item_form(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    # The example motion's item 1; "Amt 4" typed: the department in use is suggested.
    keys = ["j", "tab", "E", "A", "m", "t", "space", "4"]
    assert snap_compare(_app(showcase), run_before=_steady(keys), terminal_size=terminal_size)


@SIZES
def test_item_form_for_marked_items(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    keys = ["j", "tab", "v", "v", "v", "E"]
    assert snap_compare(_app(showcase), run_before=_steady(keys), terminal_size=terminal_size)


@SIZES
def test_marks_in_the_main_view(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    assert snap_compare(_app(showcase), press=["j", "tab", "v", "j", "v"], terminal_size=terminal_size)


@SIZES
def test_marks_in_the_open_items_view(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    assert snap_compare(_app(showcase), press=["o", "v", "j", "v"], terminal_size=terminal_size)


@SIZES
def test_marks_in_the_meeting_view(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    assert snap_compare(_app(showcase), press=["m", "down", "enter", "v", "v", "j", "v"], terminal_size=terminal_size)
