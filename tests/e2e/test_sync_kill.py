"""The sync server killed with SIGKILL in the middle of a push, then restarted: both sides converge,
nothing lost, nothing twice. The server runs as a real process on 127.0.0.1 (tests/helpers/killable_server.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from store import ItemStatus, Motion, Store, new_items, new_motion_id
from store.sync.client import SyncError, make_client, sync
from store.sync.tokens import add_token

from helpers import HELPERS, ROOT
from helpers.bounds import await_port
from helpers.sync import model, served_model

MOTIONS = 40


class KillableServer:
    """The server on its data file, or (given a ``database`` URL) on PostgreSQL."""

    def __init__(self, tmp_path: Path, point: str, database: str | None = None) -> None:
        self.data, self.tokens, self.marker = tmp_path / "server.json", tmp_path / "tokens.json", tmp_path / "held"
        self.database = database
        if database is None:
            self.token = add_token(self.tokens, "anna")
        else:
            from store.sync.postgres import PostgresBackend, add_body, open_database
            from store.sync.postgres import add_token as add_database_token

            opened = open_database(database)
            self.backend = PostgresBackend(opened, add_body(opened, "kreistag", "Kreistag"))
            self.token = add_database_token(opened, "anna", None)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        self.point = point
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(HELPERS / "killable_server.py"),
                self.database or str(self.data),
                str(self.tokens),
                str(self.port),
                str(self.marker),
                self.point,
            ],
            env=environment,
        )
        await_port(self.port, self.process, 15, pause=0.05)

    def kill_when_held(self) -> None:
        deadline = time.monotonic() + 15
        while not self.marker.exists():
            assert time.monotonic() < deadline, "the push never reached the server"
            time.sleep(0.01)
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=5)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)

    def model(self) -> dict[str, Any]:
        return model(self.data) if self.database is None else served_model(self.backend)

    def history(self) -> list[tuple[str, str]]:
        if self.database is None:
            with Store(self.data, user="check") as store:
                entries = store.history()
        else:
            entries = self.backend.history()
        return [(entry.motion_id, entry.action) for entry in entries]


@pytest.fixture(params=["file-before", "file-after", "postgres-before", "postgres-after"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KillableServer]:
    kind, point = request.param.split("-")
    running = KillableServer(tmp_path, point, request.getfixturevalue("database") if kind == "postgres" else None)
    try:
        yield running
    finally:
        running.stop()
        if kind == "postgres":
            running.backend.database.close()


def _sync(db: Path, server: KillableServer, read_timeout: float = 10.0) -> None:
    with make_client(server.token, read_timeout=read_timeout) as client, Store(db, user="anna") as store:
        sync(store, server.url, server.token, client=client, backoff=0)


def test_a_server_killed_mid_push_converges_after_a_restart(tmp_path: Path, server: KillableServer) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with Store(a, user="anna") as store:
        ids = [
            store.add_motion(
                Motion(id=new_motion_id(), title=f"Antrag {n}", items=new_items(["Erster Punkt", "Zweiter Punkt"]))
            ).id
            for n in range(MOTIONS)
        ]
    server.marker.write_text("the first push goes through")  # everyone starts from the same state
    server.start()
    _sync(a, server)
    _sync(b, server)
    server.stop()
    server.marker.unlink()
    with Store(a, user="anna") as store:  # edits of existing motions, and new ones
        for motion_id in ids[::2]:
            store.set_item(motion_id, 1, status=ItemStatus.DONE, note="Erledigt laut Bericht")
        added = [
            store.add_motion(Motion(id=new_motion_id(), title=f"Neu {n}", items=new_items(["Punkt"]))).id
            for n in range(5)
        ]

    server.start()
    with pytest.raises(SyncError):  # the answer never comes: the connection breaks off under the client
        killer = threading.Thread(target=server.kill_when_held)
        killer.start()
        try:
            _sync(a, server)
        finally:
            killer.join(timeout=20)
    on_server = len(server.model())  # the push was killed before or after the server wrote it
    assert on_server == (MOTIONS if server.point == "before" else MOTIONS + len(added))
    with Store(a, user="anna") as store:
        assert store.sync_state(server.url).pending == len(ids[::2]) + len(added)  # nothing taken for sent
        assert {m.id for m in store.motions()} == {*ids, *added}

    server.start()  # the marker stays: the restarted server answers every push
    _sync(a, server)
    _sync(b, server)
    _sync(a, server)
    with Store(a, user="anna") as store:
        state = store.sync_state(server.url)
        assert (state.pending, state.conflicts) == (0, 0)
    assert model(a) == model(b) == server.model()
    assert len(model(a)) == MOTIONS + len(added)
    with Store(b, user="ben") as store:
        assert all(store.get(motion_id).items[0].status is ItemStatus.DONE for motion_id in ids[::2])
    history = server.history()
    edits = [entry for entry in history if entry[1] == "edit"]
    creates = [entry for entry in history if entry[1] == "create"]
    assert sorted(edits) == sorted((motion_id, "edit") for motion_id in ids[::2])  # each edit applied once
    assert sorted(creates) == sorted((motion_id, "create") for motion_id in [*ids, *added])
