"""A large pull keeps its models for the next start (store/file/written.py), against the real server on 127.0.0.1:
from the command line in a process apart, which the command does not wait for, and from the dashboard's sync."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import store.store
from store import Haystacks, Remote, Store, models_kept
from store.edit import live, replaced_by
from store.exchange.generate import generate_motions
from store.history import CREATE
from tui.app import SachstandApp

from helpers.dashboard import until
from helpers.stored import whole_writes
from helpers.sync import Server, model, run_sync

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, of this test's own (a process the test starts is given it too)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def _on_the_server(tmp_path: Path, server: Server, count: int) -> Path:
    """``count`` motions pushed to the server from a copy of their own, which is returned."""
    source = tmp_path / "source.json"
    with Store(source, user="anna") as store, store.transaction() as tx:
        for motion in generate_motions(count, today=date(2026, 12, 1)):
            tx.apply(motion.id, CREATE, replaced_by(live(motion)))
    assert run_sync(source, server).code == 0
    return source


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
    source = _on_the_server(tmp_path, server, store.store.CACHE_FROM + 20)
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
    _on_the_server(tmp_path, server, 3)
    pulled = tmp_path / "pulled.json"
    assert run_sync(pulled, server).code == 0
    assert not models_kept(pulled, exact=False)


async def test_the_dashboards_sync_keeps_a_large_pulls_models_for_the_next_start(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store.store, "CACHE_FROM", 5)
    source = _on_the_server(tmp_path, server, 12)
    whole_writes(monkeypatch)  # as a pull of thousands: more than the journal takes
    pulled = tmp_path / "pulled.json"
    with Store(pulled, user="bert") as local:
        app = SachstandApp(local, "en", remote=Remote(server.url, server.token), live=False, poll_interval=0.2)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: not app.loading)
            await pilot.press("S")
            await until(pilot, lambda: len(app.main.motion_list.keys) == 12 and not app.sync_running, seconds=8.0)
            assert models_kept(pulled)  # by the sync's worker, before it ended
    assert _read_as_kept(pulled) == model(source)
