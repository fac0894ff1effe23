"""What the dashboard looks like: SVG snapshots at 80x24 and 120x36 (pytest-textual-snapshot).

The baselines live in tests/e2e/__snapshots__/test_snapshots/. After an intended change to the
look, review the differences (pytest writes an HTML report on failure) and accept them with

    python3 dev.py test tests/e2e/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store import EXAMPLE_ID, Store, SyncProgress
from store.sync.client import Remote, sync
from tui.app import SachstandApp
from tui.components.sync_status import SyncView
from tui.showcase import TODAY, build_showcase

from helpers.held import HeldRead
from helpers.sync import serving

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
def test_the_list_from_the_index_while_the_store_is_read(
    snap_compare, showcase: Store, held_read: HeldRead, terminal_size: tuple[int, int]
) -> None:
    app = held_read.until_stopped(_app(Store(showcase.path, user="m.schmitz")))
    app.preview_from = 0  # the showcase is small; a store from 2 MB starts this way
    assert snap_compare(app, terminal_size=terminal_size)


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


@SIZES
def test_overview(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    async def open_overview(pilot: Pilot) -> None:
        await pilot.press("d")
        await pilot.app.workers.wait_for_complete()  # the figures are computed in a worker
        await pilot.pause()

    assert snap_compare(_app(showcase), run_before=open_overview, terminal_size=terminal_size)


@SIZES
def test_the_header_while_a_sync_runs(snap_compare, showcase: Store, terminal_size: tuple[int, int]) -> None:
    """How far the sync has come, as its worker tells it (a real sync's: tests/e2e/test_dashboard_sync.py)."""

    async def syncing(pilot: Pilot) -> None:
        pilot.app.sync_view = SyncView(True, running=True, pending=3, progress=SyncProgress(12_000, 1_500, 50_000))
        await pilot.pause()

    assert snap_compare(_app(showcase), run_before=syncing, terminal_size=terminal_size)


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


@pytest.fixture
def in_conflict(tmp_path: Path) -> Iterator[tuple[Store, Remote]]:
    """The showcase synced through the real server on 127.0.0.1, with item 3 of the example changed on both sides."""
    with serving(tmp_path) as server:
        remote = Remote(server.url, server.token)
        with (
            build_showcase(tmp_path / "sachstand.json") as mine,
            build_showcase(tmp_path / "colleague.json", user="k.becker") as theirs,
        ):
            sync(mine, remote.url, remote.token)
            sync(theirs, remote.url, remote.token)
            theirs.set_item(EXAMPLE_ID, 3, note="Die letzten beiden Schulen erhalten ihre Tablets im Dezember.")
            sync(theirs, remote.url, remote.token)
            mine.set_item(EXAMPLE_ID, 3, note="Alle 38 Schulen sind ausgestattet; der Verwendungsnachweis folgt.")
            sync(mine, remote.url, remote.token)
            yield mine, remote


@SIZES
def test_conflict_screen(snap_compare, in_conflict: tuple[Store, Remote], terminal_size: tuple[int, int]) -> None:
    store, remote = in_conflict
    app = SachstandApp(store, "de", today=TODAY, remote=remote, live=False)  # live would sync while the shot is taken
    app.sub_title = "sachstand.json"
    assert snap_compare(app, press=["C"], terminal_size=terminal_size)
