"""Live changes across server processes: two real `sachstand serve --database URL` processes on one
PostgreSQL (tests/helpers/postgres.py). A write through one process wakes a live request waiting on the
other (LISTEN/NOTIFY), and the dashboard connected to the one shows a change made on the command line
through the other without a key. Every wait is bounded; timing is asserted loosely, the goal is 1 s."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from store import ItemStatus, Remote, Store, example_motion
from store.sync.postgres import add_body, add_token, open_database
from tui.app import SachstandApp

from helpers import ROOT
from helpers.bounds import isolated
from helpers.dashboard import sync_header, until
from helpers.postgres import Serving
from helpers.sync import Server, run_sync

MOTION = example_motion().id


@pytest.fixture(autouse=True)
def clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A clean environment; two server processes take a few seconds to start."""
    with isolated(monkeypatch, tmp_path, 60):
        yield


@pytest.fixture
def two(tmp_path: Path, database: str) -> Iterator[tuple[Server, Server]]:
    """Two server processes, A and B, on one database with one body and a token for anna."""
    opened = open_database(database)
    add_body(opened, "kreistag", "Kreistag")
    token = add_token(opened, "anna", None)
    opened.close()
    processes = [Serving(database, tmp_path / f"{name}.log") for name in "ab"]
    try:
        for process in processes:
            process.start()
        yield Server(processes[0].url, token, processes[0].port), Server(processes[1].url, token, processes[1].port)
    finally:
        for process in processes:
            process.stop()


def _push(server: Server, title: str) -> None:
    doc = {**example_motion().to_dict(), "id": str(uuid.uuid4()), "title": title, "deleted": False}
    answer = httpx.post(
        f"{server.url}/bulk",
        content=orjson.dumps({"docs": [{"id": doc["id"], "base_rev": 0, "doc": doc}]}),
        headers={"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert answer.status_code == 200 and answer.json()["results"][0]["ok"], answer.text


def _changes(server: Server, **params: str) -> Any:
    answer = httpx.get(
        f"{server.url}/changes", params=params, headers={"Authorization": f"Bearer {server.token}"}, timeout=20
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_live_request_on_one_process_answers_a_push_through_the_other(two: tuple[Server, Server]) -> None:
    a, b = two
    _push(b, "Erster")
    cursor = _changes(a)["cursor"]
    answered: list[tuple[Any, float]] = []

    def wait_on_a() -> None:
        page = _changes(a, since=cursor, wait="10")
        answered.append((page, time.monotonic()))

    waiting = threading.Thread(target=wait_on_a)
    waiting.start()
    time.sleep(0.5)  # the request waits on A by now (if not, it answers at once: still right)
    assert not answered, "answered before anything new was written"
    pushed = time.monotonic()
    _push(b, "Zweiter")
    waiting.join(timeout=12)
    assert answered, "the live request on A did not answer"
    page, at = answered[0]
    took = at - pushed
    print(f"live request on A answered {took:.3f} s after the push through B")
    assert [result["doc"]["title"] for result in page["results"]] == ["Zweiter"]
    assert took < 5  # about a hundredth of a second here; far below the 10 s wait


def _command(db: Path, *args: str) -> None:
    """`sachstand ARGS` on the command line, as a process of its own."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--lang", "en", "--db", str(db), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr


async def test_the_dashboard_on_one_process_shows_a_command_line_sync_through_the_other(
    tmp_path: Path, two: tuple[Server, Server]
) -> None:
    a, b = two
    mine, colleague = tmp_path / "mine.json", tmp_path / "colleague.json"
    with Store(mine, user="anna") as store:
        store.add_motion(example_motion())
    assert run_sync(mine, a).code == 0 and run_sync(colleague, b).code == 0
    with Store(mine, user="anna") as store:
        app = SachstandApp(store, "de", today=date(2020, 11, 2), remote=Remote(a.url, a.token), poll_interval=0.2)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: sync_header(app) == "live", 10)
            await pilot.pause(0.3)  # the live request is waiting on A by now
            _command(colleague, "set", MOTION, "2", "done")
            _command(colleague, "sync", "--remote", b.url, "--token", b.token)
            took = await until(pilot, lambda: store.get(MOTION).items[1].status is ItemStatus.DONE, 10)
            print(f"the dashboard on A showed the change synced through B after {took:.3f} s")
            assert took < 3  # the goal is one second
            assert sync_header(app) == "live"
