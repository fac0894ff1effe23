"""A push writes the client's file whole while the server works on the last body, not after its answer
(store/sync/client.py, _ending), where that answer then fits in the journal; else at the end, as before."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import store.sync.client
from store import Motion, Store, new_items, new_motion_id
from store.file import storage
from store.file.names import StoreFiles

from helpers.sync import model, run_sync, serving

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


def added(path: Path, count: int) -> None:
    with Store(path, user="anna") as local, local.transaction() as tx:
        for number in range(count):
            motion = Motion(id=new_motion_id(), title=f"Antrag {number}", items=new_items([f"Punkt {number}"]))
            tx.apply(motion.id, "add", lambda _before, motion=motion: {**motion.to_dict(), "deleted": False})


def recorded(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[tuple[int, bool]]:
    """Before each answer of a push is recorded: the data file's inode, and whether its journal is there."""
    seen: list[tuple[int, bool]] = []
    record = store.sync.client._record_answer

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append((os.stat(path).st_ino, StoreFiles(path).journal.exists()))
        return record(*args, **kwargs)

    monkeypatch.setattr(store.sync.client, "_record_answer", recording)
    return seen


@pytest.fixture(autouse=True)
def small_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "JOURNAL_MINIMUM", 0)  # the journal's share counts from the first byte


def test_the_file_is_written_whole_while_the_server_takes_the_last_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    added(a, 300)
    monkeypatch.setattr(store.sync.client, "PUSH_BYTES", 8000)  # about 20 bodies, each far under a tenth of the file
    before = os.stat(a).st_ino
    seen = recorded(monkeypatch, a)
    with serving(tmp_path) as server:
        assert run_sync(a, server).code == 0
        assert len(seen) > 3
        *earlier, last = seen
        assert all(inode == before and journal for inode, journal in earlier[1:])  # the bodies went to the journal
        assert last[0] != before and not last[1]  # written whole before the last answer was recorded
        assert StoreFiles(a).journal.exists()  # which went to the journal: one line, no second whole write
        with Store(a, user="anna") as local:
            assert local.sync_state(server.url).pending == 0 and local.conflicts() == []
            assert len(local.motions()) == 300
        assert run_sync(b, server).code == 0
        assert run_sync(a, server).code == 0  # nothing left to send: the last answer was recorded
    assert model(b) == model(a) and len(model(a)) == 300


def test_a_last_body_too_large_for_the_journal_is_recorded_before_the_file_is_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    added(a, 30)
    monkeypatch.setattr(store.sync.client, "PUSH_BYTES", 12000)  # two bodies, the last over a tenth of the file
    before = os.stat(a).st_ino
    seen = recorded(monkeypatch, a)
    with serving(tmp_path) as server:
        assert run_sync(a, server).code == 0
        assert len(seen) == 2 and seen[-1][0] == before
        assert not StoreFiles(a).journal.exists()  # written whole once, at the end
        assert run_sync(b, server).code == 0
    assert model(b) == model(a) and len(model(a)) == 30
