"""A large pull keeps its models for the next start (store/file/written.py), against the real server on 127.0.0.1:
from the command line in a process apart, which the command does not wait for, and from the dashboard's sync."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import store.store
from store import Haystacks, Remote, Store, models_kept
from tui.app import SachstandApp

from helpers.dashboard import until
from helpers.parses import parses_counted
from helpers.stored import whole_writes
from helpers.sync import Server, model, on_the_server, run_sync

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, of this test's own (a process the test starts is given it too)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def _read_as_kept(path: Path) -> dict[str, object]:
    """The store's motions read from the models kept, which must be there (a read that kept nothing new)."""
    with Store(path, user="bert") as reader:
        read = model(path)
        assert reader.motions() and reader.keep_models(Haystacks({}, {})) is None
    return read


def _kept_in_time(path: Path, seconds: float = 8.0) -> bool:
    """Whether the models of ``path`` are kept within ``seconds`` (by a process apart)."""
    started = time.monotonic()
    while not models_kept(path) and time.monotonic() - started < seconds:
        time.sleep(0.05)
    return models_kept(path)


def test_a_command_line_pull_keeps_its_models_in_a_process_apart(tmp_path: Path, server: Server) -> None:
    """As a person runs it: its own process, its output to pipes that the caller reads to their end. The keep is the
    child's that the command forks (store/modelcache.py kept_apart): the pipes end with the command."""
    source = on_the_server(tmp_path, server, store.store.CACHE_FROM + 20)
    pulled = tmp_path / "pulled.json"
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--lang", "en", "--db", str(pulled), "sync"],
        env={**os.environ, "SACHSTAND_REMOTE": server.url, "SACHSTAND_TOKEN": server.token},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0 and f"{store.store.CACHE_FROM + 20} received" in done.stderr, done.stderr
    assert _kept_in_time(pulled)
    assert _read_as_kept(pulled) == model(source)


def test_a_pull_of_few_motions_keeps_nothing(tmp_path: Path, server: Server) -> None:
    on_the_server(tmp_path, server, 3)
    pulled = tmp_path / "pulled.json"
    assert run_sync(pulled, server).code == 0
    assert not models_kept(pulled, exact=False)


async def test_the_dashboards_first_sync_runs_apart_and_keeps_its_models_for_the_next_start(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its first sync with a server takes in all the server holds, in a process of its own (tui/syncing.py): the
    dashboard then reads the file from the models that process kept."""
    source = on_the_server(tmp_path, server, store.store.CACHE_FROM + 20)
    pulled = tmp_path / "pulled.json"
    with Store(pulled, user="bert") as local:
        app = SachstandApp(local, "en", remote=Remote(server.url, server.token), live=False, poll_interval=0.2)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: not app.loading)
            parses = parses_counted(monkeypatch)
            await pilot.press("S")
            wanted = store.store.CACHE_FROM + 20
            await until(pilot, lambda: len(app.main.motion_list.keys) == wanted and not app.sync_running, seconds=8.0)
            # The models of the dashboard's read of what it wrote are those the sync, apart, kept: the few lines parsed
            # are of what the screen shows whole (the motion in view, its history), not the 520 motions read.
            assert len(parses) < 10
            assert f"Synced: {wanted} received, 0 sent." in [str(note.message) for note in app._notifications]
    assert _read_as_kept(pulled) == model(source)


async def test_the_dashboards_later_sync_keeps_a_large_pulls_models_for_the_next_start(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync after the first runs in a thread of the dashboard's (tui/syncing.py), and keeps a large pull's models
    as the first did."""
    pulled = tmp_path / "pulled.json"
    with Store(pulled, user="bert") as local:
        app = SachstandApp(local, "en", remote=Remote(server.url, server.token), live=False, poll_interval=0.2)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: not app.loading)
            await pilot.press("S")  # the first: nothing on the server yet
            await until(pilot, lambda: not app.sync_running and app.sync_view.last is not None)
            monkeypatch.setattr(store.store, "CACHE_FROM", 5)
            source = on_the_server(tmp_path, server, 12)
            whole_writes(monkeypatch)  # as a pull of thousands: more than the journal takes
            await pilot.press("S")
            await until(pilot, lambda: len(app.main.motion_list.keys) == 12 and not app.sync_running, seconds=8.0)
            assert models_kept(pulled)  # by the sync's worker, before it ended
    assert _read_as_kept(pulled) == model(source)
