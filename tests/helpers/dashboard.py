"""Steps and readings the dashboard tests share."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.pilot import Pilot

from tui.app import SachstandApp


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
