"""The sync server restored from a backup: clients notice the writes it lost, send them again, and say so.

Before, after the server went back to an older copy a client's next sync sent and received nothing, and
a later edit reverted its already confirmed change, all with exit 0. The server's /info now names an id
and an epoch (store/sync/backend.py), and the client compares them before each sync (store/sync/epoch.py).
Real server on 127.0.0.1, real files; restarted on the same port so the clients' remote stays the same.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from store import ItemStatus, new_motion_id
from store.example import example_motion
from store.store import Store
from store.sync.client import SyncReport, sync
from store.sync.tokens import add_token

from helpers.sync import Running, cli

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test

COMPANIONS = ("", ".journal")  # the data file and its journal: what a backup of the server holds


class Server:
    def __init__(self, folder: Path) -> None:
        self.data, self.tokens = folder / "server.json", folder / "tokens.json"
        self.token = add_token(self.tokens, "anna")
        self.running = Running(self.data, self.tokens)
        self.port = self.running.port
        self.url = f"http://127.0.0.1:{self.port}/api/v1"

    def backup(self, to: Path) -> None:
        """A copy of the server's files, taken while it is stopped."""
        self.running.stop()
        to.mkdir()
        for suffix in COMPANIONS:
            if Path(f"{self.data}{suffix}").exists():
                shutil.copy2(f"{self.data}{suffix}", to / f"server.json{suffix}")
        self.running = Running(self.data, self.tokens, port=self.port)

    def restore(self, backup: Path, *, while_running: bool = False) -> None:
        """Put the copy back: with the server stopped, only the data file and its journal (``.seen``
        stays); ``while_running``: the whole folder under the running server, ``.seen`` included."""
        if not while_running:
            self.running.stop()
        for suffix in (*COMPANIONS, ".seen") if while_running else COMPANIONS:
            Path(f"{self.data}{suffix}").unlink(missing_ok=True)
            if (backup / f"server.json{suffix}").exists():
                shutil.copy2(backup / f"server.json{suffix}", f"{self.data}{suffix}")
        if not while_running:
            self.running = Running(self.data, self.tokens, port=self.port)

    def status(self, motion_id: str, number: int) -> str:
        with Store(self.data, user="x") as store:
            return store.get(motion_id).items[number - 1].status.value


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    try:
        yield running
    finally:
        running.running.stop()


def synced(db: Path, server: Server) -> SyncReport:
    with Store(db, user="anna") as store:
        return sync(store, server.url, server.token)


def status(db: Path, motion_id: str, number: int) -> str:
    with Store(db, user="x") as store:
        return store.get(motion_id).items[number - 1].status.value


def set_done(db: Path, motion_id: str, number: int) -> None:
    with Store(db, user="anna") as store:
        store.set_item(motion_id, number, status=ItemStatus.DONE)


@pytest.mark.parametrize("while_running", [False, True], ids=["data-file-restored", "folder-restored-under-it"])
def test_a_confirmed_edit_the_server_lost_is_sent_again_and_said(
    tmp_path: Path, server: Server, while_running: bool
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    motion = example_motion()
    with Store(a, user="anna") as store:
        store.add_motion(motion)
    assert synced(a, server).rejoined is None
    server.backup(tmp_path / "backup")
    set_done(a, motion.id, 1)
    assert synced(a, server).pushed == 1 and server.status(motion.id, 1) == "done"  # confirmed

    server.restore(tmp_path / "backup", while_running=while_running)
    assert server.status(motion.id, 1) == "open"  # the server lost it
    report = synced(a, server)
    assert report.rejoined is not None and report.rejoined.params["count"] == 1
    assert "went back to an older copy" in report.rejoined.render("en")
    assert "älteren Kopie" in report.rejoined.render("de")
    assert report.pushed == 1 and not report.conflicts
    assert server.status(motion.id, 1) == "done" and status(a, motion.id, 1) == "done"
    assert synced(a, server).rejoined is None  # said once

    # A later edit here keeps the confirmed change (before, it reverted it), and another client gets both.
    with Store(a, user="anna") as store:
        store.set_item(motion.id, 2, status=ItemStatus.DONE)
    synced(a, server)
    synced(b, server)
    assert [status(b, motion.id, n) for n in (1, 2)] == ["done", "done"]


def test_a_motion_the_server_lost_entirely_is_sent_again_as_new(tmp_path: Path, server: Server) -> None:
    a = tmp_path / "a.json"
    first, second = example_motion(), replace(example_motion(), id=new_motion_id(), title="Radweg")
    with Store(a, user="anna") as store:
        store.add_motion(first)
    synced(a, server)
    server.backup(tmp_path / "backup")
    with Store(a, user="anna") as store:
        store.add_motion(second)
    synced(a, server)
    server.restore(tmp_path / "backup")
    report = synced(a, server)
    assert report.rejoined is not None and report.pushed == 1
    with Store(server.data, user="x") as store:
        assert {m.id for m in store.motions()} == {first.id, second.id}


def test_a_server_with_a_new_data_file_gets_everything_again(tmp_path: Path, server: Server) -> None:
    a = tmp_path / "a.json"
    motion = example_motion()
    with Store(a, user="anna") as store:
        store.add_motion(motion)
    synced(a, server)
    server.backup(tmp_path / "empty")  # an empty folder: the copy from before anything was written
    shutil.rmtree(tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    server.restore(tmp_path / "empty")
    report = synced(a, server)
    assert report.rejoined is not None and report.pushed == 1
    assert server.status(motion.id, 1) == "open"


def test_an_edit_made_on_the_restored_server_meets_the_lost_one_as_a_conflict(tmp_path: Path, server: Server) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    motion = example_motion()
    with Store(a, user="anna") as store:
        store.add_motion(motion)
    synced(a, server)
    synced(b, server)
    server.backup(tmp_path / "backup")
    set_done(a, motion.id, 1)
    synced(a, server)  # rev 2, confirmed
    server.restore(tmp_path / "backup")
    with Store(b, user="berta") as store:  # b never saw a's edit: its own edit makes rev 2 on the restored copy
        store.set_item(motion.id, 1, status=ItemStatus.DEFERRED)
    synced(b, server)
    report = synced(a, server)
    assert report.rejoined is not None
    assert [c.path for c in report.conflicts] == ["items.1"]  # nothing given up: a person decides
    assert status(a, motion.id, 1) == "done"


def test_the_info_of_an_unchanged_server_keeps_its_id_and_epoch_across_restarts(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}
    motion = example_motion().to_dict()
    body = {"docs": [{"id": motion["id"], "base_rev": 0, "doc": {**motion, "deleted": False}}]}
    assert httpx.post(f"{server.url}/bulk", json=body, headers=headers, timeout=5).status_code == 200
    before = httpx.get(f"{server.url}/info", headers=headers, timeout=5).json()
    server.running.stop()
    server.running = Running(server.data, server.tokens, port=server.port)
    after = httpx.get(f"{server.url}/info", headers=headers, timeout=5).json()
    assert before == after and before["generation"] == 1


def test_the_command_line_says_the_server_lost_writes_before_it_reports_the_sync(
    tmp_path: Path, server: Server
) -> None:
    a = tmp_path / "a.json"
    motion = example_motion()
    with Store(a, user="anna") as store:
        store.add_motion(motion)
    synced(a, server)
    server.backup(tmp_path / "backup")
    set_done(a, motion.id, 1)
    synced(a, server)
    server.restore(tmp_path / "backup")
    done = cli(a, "--lang", "de", "sync", "--remote", server.url, "--token", server.token)
    assert done.code == 0, done.err
    said, reported = done.err.splitlines()[:2]
    assert "ist zu einer älteren Kopie seiner Daten zurückgekehrt" in said and "1 Antrag wird erneut gesendet" in said
    assert reported.startswith("Abgeglichen mit") and "1 gesendet" in reported
    assert server.status(motion.id, 1) == "done"
