"""The first step of setting up sync, on a store that has never held a motion (issue 18, defect 7).

A store without a data file, or with one that holds only a sync server's bookkeeping (no motions table),
crashed every sync entry point with ``'NoneType' object has no attribute 'get'``: the bookkeeping read
the tables of a file that was not there. Each entry point is tried here on each kind of fresh store,
against a real server on 127.0.0.1 that is fresh itself, or holds a colleague's motion.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from textual.widgets import Static

from store import Remote, Store, example_motion
from tui.app import SachstandApp
from tui.components.sync_status import SyncStatus
from tui.screens.conflicts import ConflictScreen, ConflictTable

from helpers.dashboard import plain, until
from helpers.stored import stored_files
from helpers.sync import Server, cli, run_sync

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test

FRESH = ["no file", "only sync bookkeeping"]


def _fresh(tmp_path: Path, server: Server, kind: str) -> Path:
    """A store that has never held a motion, as ``kind`` says."""
    db = tmp_path / "fresh.json"
    if kind == "only sync bookkeeping":  # a first sync with a server that had nothing yet
        assert run_sync(db, server).code == 0
        assert db.exists() and b'"motions"' not in db.read_bytes()
    return db


def _colleague_shares_a_motion(tmp_path: Path, server: Server) -> None:
    colleague = tmp_path / "colleague.json"
    with Store(colleague, user="ben") as store:
        store.add_motion(example_motion())
    assert run_sync(colleague, server).code == 0


@pytest.mark.parametrize("kind", FRESH)
def test_the_store_api_answers_on_a_fresh_store(tmp_path: Path, server: Server, kind: str) -> None:
    db = _fresh(tmp_path, server, kind)
    before = stored_files(db)
    with Store(db, user="anna") as store:
        assert store.conflicts() == [] and store.unsynced() == []
        state = store.sync_state(server.url)
        assert (state.pending, state.conflicts) == (0, 0)
        assert store.sync_cursor(server.url) is None
    assert stored_files(db) == before


@pytest.mark.parametrize("kind", FRESH)
@pytest.mark.parametrize("shared", [False, True], ids=["empty server", "a colleague's motion"])
def test_the_command_line_syncs_a_fresh_store(tmp_path: Path, server: Server, kind: str, shared: bool) -> None:
    db = _fresh(tmp_path, server, kind)
    if shared:
        _colleague_shares_a_motion(tmp_path, server)
    before = stored_files(db)
    listed = cli(db, "conflicts")
    assert (listed.code, listed.out + listed.err) == (0, "No conflicts.\n")
    settled = cli(db, "resolve", "nothing", "1", "--mine")
    assert settled.code == 2 and "Traceback" not in settled.err and "No motion matches" in settled.err
    assert stored_files(db) == before
    synced = run_sync(db, server)
    assert synced.code == 0, synced.err
    assert f"{int(shared)} received, 0 sent" in synced.err
    assert cli(db, "conflicts").code == 0
    with Store(db, user="anna") as store:
        assert [motion.id for motion in store.motions()] == ([example_motion().id] if shared else [])


_until = partial(until, seconds=8.0)  # a sync through a real server


@pytest.mark.parametrize("kind", FRESH)
async def test_the_dashboard_and_its_conflict_screen_on_a_fresh_store(
    tmp_path: Path, server: Server, kind: str
) -> None:
    db = _fresh(tmp_path, server, kind)
    _colleague_shares_a_motion(tmp_path, server)
    with Store(db, user="anna") as store:
        # Not live: the first sync is S's, so what it brought is told.
        app = SachstandApp(store, "en", remote=Remote(server.url, server.token), poll_interval=0.2, live=False)
        async with app.run_test(size=(100, 30)) as pilot:
            header = plain(app.screen.query_one(SyncStatus).content)
            assert header.startswith(("Never synced", "Synced")) and "pending" not in header
            await pilot.press("C")
            assert isinstance(app.screen, ConflictScreen)
            assert app.screen.query_one(ConflictTable).border_title == "Sync conflicts: 0"
            detail = plain(app.screen.query_one("#conflict-detail", Static).content)
            assert detail.strip() == "No conflicts. Everything the server sent was merged."
            await pilot.press("escape")
            await pilot.press("S")
            notes = lambda: "\n".join(str(note.message) for note in app._notifications)  # noqa: E731
            await _until(pilot, lambda: "Synced: 1 received, 0 sent." in notes())
            assert store.get(example_motion().id).title == example_motion().title
