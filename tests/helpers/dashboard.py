"""Steps and readings the dashboard tests share."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.pilot import Pilot

from tui.app import SachstandApp
from tui.components.sync_status import SyncStatus


async def until(pilot: Pilot[Any], condition: Callable[[], bool], seconds: float = 5.0) -> float:
    """Wait, letting the app run, until ``condition`` holds: what a worker thread does comes back when it does.
    How long it took, in seconds."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "the condition did not come true in time"
        await pilot.pause(0.02)
    return time.monotonic() - started


def sync_header(app: SachstandApp) -> str:
    """The sync state the header shows, as text."""
    return plain(app.screen.query_one(SyncStatus).content).strip()


async def to_item(pilot: Pilot[Any], app: SachstandApp, motion_id: str, number: int) -> None:
    """Select the motion and put the cursor on its item ``number`` (1-based) in the item table."""
    app.main.motion_list.select(motion_id)
    await pilot.press("tab")
    app.main.item_table.move_cursor(row=number - 1)
    await pilot.pause()


def plain(renderable: object) -> str:
    """What a renderable shows, as text 100 columns wide."""
    console = Console(width=100, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()
