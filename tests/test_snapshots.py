"""What the dashboard looks like: SVG snapshots at 80x24 and 120x36 (pytest-textual-snapshot).

The baselines live in tests/__snapshots__/test_snapshots/. After an intended change to the
look, review the differences (pytest writes an HTML report on failure) and accept them with

    python3 dev.py test tests/test_snapshots.py --snapshot-update
"""

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


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "sachstand.json", user="m.schmitz") as store:
        yield store


def _app(store: Store, lang: str = "de") -> SachstandApp:
    app = SachstandApp(store, lang, today=TODAY)
    app.sub_title = "sachstand.json"  # not the tmp path, which differs on every run
    return app


@SIZES
def test_main_view(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    assert snap_compare(_app(showcase), terminal_size=terminal_size)


@SIZES
def test_items_focused_shows_the_item_detail(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    assert snap_compare(_app(showcase), press=["tab"], terminal_size=terminal_size)


@SIZES
def test_help_screen(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    assert snap_compare(_app(showcase), press=["question_mark"], terminal_size=terminal_size)


@SIZES
def test_sachstand_editor(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    async def open_editor(pilot: Pilot) -> None:
        await pilot.press("j", "tab", "j", "e")  # the example motion's item 2, which has a Sachstand
        _steady_cursors(pilot)

    assert snap_compare(_app(showcase), run_before=open_editor, terminal_size=terminal_size)


@SIZES
def test_motion_form(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    async def open_form(pilot: Pilot) -> None:
        await pilot.press("j", "E")
        _steady_cursors(pilot)

    assert snap_compare(_app(showcase), run_before=open_form, terminal_size=terminal_size)


@SIZES
def test_open_items(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    assert snap_compare(_app(showcase), press=["o"], terminal_size=terminal_size)


@SIZES
def test_meeting_view(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    assert snap_compare(_app(showcase), press=["m", "down", "enter"], terminal_size=terminal_size)


def _steady_cursors(pilot: Pilot) -> None:
    """A blinking cursor would be in the picture or not depending on timing."""
    for widget in pilot.app.screen.query("TextArea, Input"):
        widget.cursor_blink = False


@SIZES
def test_empty_store_welcome(snap_compare, empty: Store, terminal_size: tuple[int, int]) -> None:
    assert snap_compare(_app(empty), terminal_size=terminal_size)


@SIZES
def test_main_view_in_english(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    assert snap_compare(_app(showcase, "en"), terminal_size=terminal_size)
