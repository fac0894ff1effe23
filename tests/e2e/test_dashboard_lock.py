"""The dashboard while another process holds the data file's lock (a colleague's import, a command, a
sync): keys keep working, edits wait in order off the app's thread and land once the lock is free, the
header says they wait; a wait that ends in LockTimeout is told and leaves the file as it was. The lock
is held by a real second process."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from store import EXAMPLE_ID, ItemStatus, Store, load_config, open_store
from tui.app import SachstandApp
from tui.showcase import TODAY, build_showcase

from helpers.dashboard import to_item, until
from helpers.lock import lock_held
from helpers.stored import stored_files

pytestmark = pytest.mark.usefixtures("bounded")

WAITING = "wartet auf die Datei"
STATUS_KEYS = dict(zip(ItemStatus, "12345"))


async def timed_press(pilot: Pilot[Any], key: str) -> float:
    started = time.monotonic()
    await pilot.press(key)
    return time.monotonic() - started


def on_disk(path: Path, number: int) -> ItemStatus:
    """The item's status as a fresh handle reads it from the file."""
    with Store(path, user="someone-else") as fresh:
        return fresh.get(EXAMPLE_ID).items[number - 1].status


async def test_keys_pressed_while_another_process_holds_the_lock_wait_in_order_and_land(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    app = SachstandApp(build_showcase(path), "de", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 4)
        before = stored_files(path)
        with lock_held(path) as release:
            # Item 4: done, then deferred (the later key wins); item 5: space, the next status after the
            # one the file holds when it is made, i.e. after the edits queued before it.
            presses = [await timed_press(pilot, STATUS_KEYS[ItemStatus.DONE])]
            presses.append(await timed_press(pilot, STATUS_KEYS[ItemStatus.DEFERRED]))
            presses.append(await timed_press(pilot, "down"))
            assert app.main.item_table.cursor_row == 4  # the cursor moved while the edits wait
            presses.append(await timed_press(pilot, "space"))
            assert max(presses) < 1.0, presses  # the lock is held for 8 s: no key waited for it
            await until(pilot, lambda: WAITING in app.sub_title)
            assert "3" in app.sub_title
            assert stored_files(path) == before  # nothing written past the lock
            assert app.store.get(EXAMPLE_ID).items[3].status is not ItemStatus.DEFERRED
            item_5 = app.store.get(EXAMPLE_ID).items[4].status
            release()
            await until(pilot, lambda: app.sub_title == str(path))
        assert on_disk(path, 4) is ItemStatus.DEFERRED
        order = list(ItemStatus)
        assert on_disk(path, 5) is order[(order.index(item_5) + 1) % len(order)]
        assert app.store.get(EXAMPLE_ID).items[3].status is ItemStatus.DEFERRED  # the view's handle too
        # With the lock free again, an edit is made at once, on the app's thread.
        await pilot.press(STATUS_KEYS[ItemStatus.OPEN])
        assert on_disk(path, 5) is ItemStatus.OPEN


async def test_a_wait_that_ends_in_lock_timeout_is_told_and_leaves_the_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    build_showcase(path).close()
    config_file = tmp_path / "config.toml"
    # Long enough that the keys below are all pressed before the first wait gives up, on a busy machine too.
    config_file.write_text("lock_timeout = 1.5\n", encoding="utf-8")
    store = open_store(load_config({"SACHSTAND_CONFIG": str(config_file)}, db=str(path), lang="de"))
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 4)
        before = stored_files(path)
        with lock_held(path):
            # A quit meanwhile waits for the edits; they fail, so the app stays to say so.
            await pilot.press(STATUS_KEYS[ItemStatus.DONE], "down", STATUS_KEYS[ItemStatus.DONE], "q")
            await until(pilot, lambda: any("Nicht gespeichert" in str(n.title) for n in app._notifications))
            [told] = [n for n in app._notifications if "Nicht gespeichert" in str(n.title)]
            assert told.title == "Nicht gespeichert: 2 Änderungen"
            assert "ein anderer Prozess hält die Sperre seit mehr als 1.5 Sekunden" in told.message
            assert told.severity == "error"
            assert app.sub_title == str(path)  # nothing waits any more
            await pilot.pause(0.1)
            assert app.is_running
            assert stored_files(path) == before
        await pilot.pause(0.1)
        assert stored_files(path) == before  # and nothing is made later either
        # The next key, with the lock free, is made at once.
        await pilot.press(STATUS_KEYS[ItemStatus.DONE])
        assert on_disk(path, 5) is ItemStatus.DONE


async def test_following_other_processes_does_not_wait_for_the_lock(tmp_path: Path) -> None:
    """The one-second poll reads the file and journal without the lock: a held lock does not stall it."""
    path = tmp_path / "data.json"
    app = SachstandApp(build_showcase(path), "de", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        with Store(path, user="colleague") as colleague:
            colleague.set_item(EXAMPLE_ID, 4, status=ItemStatus.DONE)
        with lock_held(path):
            started = time.monotonic()
            app.check_for_changes()
            app.show_sync_state()
            assert time.monotonic() - started < 0.5
            assert app.store.get(EXAMPLE_ID).items[3].status is ItemStatus.DONE


async def test_quitting_while_edits_wait_closes_once_they_are_saved(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    app = SachstandApp(build_showcase(path), "de", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 4)
        with lock_held(path) as release:
            await pilot.press(STATUS_KEYS[ItemStatus.DONE], "q")
            await pilot.pause(0.3)
            assert app.is_running
            assert any("sobald die wartenden Änderungen gespeichert" in str(n.message) for n in app._notifications)
            release()
            deadline = time.monotonic() + 3
            while app.is_running and time.monotonic() < deadline:
                await pilot.pause(0.02)
            assert not app.is_running
    assert on_disk(path, 4) is ItemStatus.DONE
