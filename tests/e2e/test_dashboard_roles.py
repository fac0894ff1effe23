"""The dashboard with a department's token, against the real server on 127.0.0.1: only its items are
editable (keys shown disabled, a notification says why), the item form's other fields are read-only, and a
push the server refused (made by an older client, which offered the edit) shows in the conflict screen,
where it is dropped."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from store import ItemStatus, Remote, Store, example_motion
from store.sync.tokens import add_token
from tui.app import SachstandApp
from tui.components.commands import SachstandCommands
from tui.components.item_form import ItemForm
from tui.screens.conflicts import ConflictScreen, ConflictTable

from helpers.dashboard import plain, to_item
from helpers.sync import Server, run_sync

pytestmark = pytest.mark.usefixtures("bounded")

MOTION = example_motion().id
TODAY = date(2020, 11, 2)


@pytest.fixture
def department(tmp_path: Path, server: Server) -> tuple[Path, str]:
    """The clerk's example motion on the server, item 1 of Amt 10 and the others of Amt 20; a copy synced
    with the token of Amt 10."""
    clerk = tmp_path / "clerk.json"
    with Store(clerk, user="anna") as store:
        motion = example_motion()
        store.add_motion(motion)
        store.set_item(MOTION, 1, department="Amt 10")
        for item in motion.items[1:]:
            store.set_item(MOTION, item.number, department="Amt 20")
    assert run_sync(clerk, server).code == 0
    token = add_token(tmp_path / "tokens.json", "amt10", role="department", departments=("Amt 10",))
    mine = tmp_path / "amt10.json"
    assert run_sync(mine, server, token).code == 0
    return mine, token


def _notes(app: SachstandApp) -> str:
    return "\n".join(str(notification.message) for notification in app._notifications)


async def test_only_the_departments_items_are_editable(department: tuple[Path, str], server: Server) -> None:
    mine, token = department
    with Store(mine, user="amt10") as store:
        app = SachstandApp(store, "de", today=TODAY, remote=Remote(server.url, token), live=False, poll_interval=0.2)
        async with app.run_test(size=(120, 36)) as pilot:
            table = app.main.item_table
            await to_item(pilot, app, MOTION, 1)
            assert table.check_action("set_status", ("done",)) is True
            await pilot.press("4")
            await pilot.pause(0.2)
            assert store.get(MOTION).items[0].status is ItemStatus.DONE
            table.move_cursor(row=1)  # item 2, of Amt 20
            await pilot.pause()
            assert table.check_action("set_status", ("done",)) is None  # shown disabled
            await pilot.press("4")
            await pilot.pause(0.2)
            assert store.get(MOTION).items[1].status is not ItemStatus.DONE
            assert "Das darf Ihre Rolle nicht: Punkt 2 gehört zu Amt 20, nicht zu Amt 10" in _notes(app)
            for action in ("new_motion", "edit_motion", "add_item", "delete_motion"):
                assert app.main.check_action(action, ()) is None, action
            await pilot.press("n")
            await pilot.pause(0.2)
            assert app.screen is app.main and "ein Amt legt keine Anträge an" in _notes(app)
            palette = {name: said for name, said, _run in SachstandCommands(app.screen)._commands()}
            assert palette["Antrag löschen"].startswith("Das darf Ihre Rolle nicht: ein Amt löscht keine Anträge")
            assert palette["Punkt 2: Status erledigt"].startswith("Das darf Ihre Rolle nicht: Punkt 2 gehört zu Amt 20")
            table.focus()
            table.move_cursor(row=0)
            await pilot.pause()
            await pilot.press("enter")  # the item form: only the department's fields can be changed
            await pilot.pause(0.2)
            assert isinstance(app.screen, ItemForm)
            disabled = {widget.id for widget in app.screen.query(Input) if widget.disabled}
            assert disabled == {"field-department", "field-title"}
            await pilot.press("escape")


async def test_a_refused_push_shows_in_the_conflict_screen_and_is_dropped(
    department: tuple[Path, str], server: Server
) -> None:
    mine, token = department
    with Store(mine, user="amt10") as store:  # an older client offers what the role may not do
        store.update_motion(MOTION, title="Umbenannt")
    refused = run_sync(mine, server, token)
    assert refused.code == 3 and "a department does not change the motion's fields (title)" in refused.err
    with Store(mine, user="amt10") as store:
        app = SachstandApp(store, "de", today=TODAY, remote=Remote(server.url, token), live=False, poll_interval=0.2)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("S")
            deadline = time.monotonic() + 8
            while "C drücken, um sie zu verwerfen" not in _notes(app):
                assert time.monotonic() < deadline, _notes(app)
                await pilot.pause(0.05)
            assert "Der Server hat 1 Änderung abgelehnt" in _notes(app)
            await pilot.press("C")
            assert isinstance(app.screen, ConflictScreen)
            assert app.screen.query_one(ConflictTable).row_count == 1
            detail: Any = app.screen.query_one("#conflict-detail")
            shown = plain(detail.content)
            assert "Vom Server abgelehnt" in shown and "title" in shown
            await pilot.press("x")
            await pilot.pause(0.2)
            assert store.refused() == [] and store.get(MOTION).title == example_motion().title
            assert app.screen.query_one(ConflictTable).row_count == 0
    assert run_sync(mine, server, token).code == 0
