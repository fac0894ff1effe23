"""Store.bulk: a sync's large transactions go to the journal, and the file is written whole once after them."""

from __future__ import annotations

from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from store import Motion, Store, new_items, new_motion_id
from store.file import storage
from store.file.names import StoreFiles

from helpers.lock import lock_held


@pytest.fixture(autouse=True)
def small_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "JOURNAL_MINIMUM", 0)  # the journal's share counts from the first byte


def document(motion: Motion, _before: object) -> dict[str, Any]:
    return {**motion.to_dict(), "deleted": False}


def add(store: Store, count: int) -> None:
    """``count`` motions in one transaction, as a pulled page group is written."""
    with store.transaction() as tx:
        for number in range(count):
            motion = Motion(id=new_motion_id(), title=f"Antrag {number}", items=new_items([f"Punkt {number}"]))
            tx.apply(motion.id, "sync", partial(document, motion))


def test_a_bulk_appends_transactions_a_usual_journal_could_not_take(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as local:
        add(local, 8)
        add(local, 2)  # a quarter of the file: over the usual eighth
        assert local._data.wrote_whole
        with local.bulk():
            add(local, 2)
            add(local, 20)  # twice the file
            assert not local._data.wrote_whole  # in a bulk the journal takes every transaction
            assert StoreFiles(path).journal.exists()
        # After it the file is written whole, once: the journal had outgrown its usual share.
        assert not StoreFiles(path).journal.exists()
        generation = local.generation
    with Store(path, user="anna") as again:
        preview = again.preview()
        assert preview is not None and len(preview) == 32  # the list's index names the file written last
        assert len(again.motions()) == 32 and again.generation == generation


def test_a_bulk_leaves_a_small_journal_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as local:
        add(local, 40)
        with local.bulk():
            add(local, 1)
        assert StoreFiles(path).journal.exists()  # within the usual eighth: appended, and nothing rewritten
    with Store(path, user="anna") as again:
        assert len(again.motions()) == 41


def test_a_failed_bulk_writes_nothing_more(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as local:
        add(local, 8)
        with pytest.raises(RuntimeError), local.bulk():
            add(local, 4)
            raise RuntimeError("the connection broke")
        assert StoreFiles(path).journal.exists()  # the next usual write finds it full and writes the file whole
        add(local, 1)
        assert local._data.wrote_whole
    with Store(path, user="anna") as again:
        assert len(again.motions()) == 13


def test_the_sync_servers_file_takes_large_transactions_in_its_journal(tmp_path: Path) -> None:
    path = tmp_path / "server.json"
    with Store(path, user="sachstand-server", revisions=True) as server:
        add(server, 8)
        add(server, 4)  # half the file: a client's journal would not take it
        assert not server._data.wrote_whole
    with Store(path, user="anna", revisions=True) as again:
        assert len(again.motions()) == 12


def test_a_bulk_whose_compaction_finds_the_lock_held_ends_well_and_leaves_it_to_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna", lock_timeout=0.3) as local:
        add(local, 8)
        with ExitStack() as held:
            with local.bulk():
                add(local, 8)
                held.enter_context(lock_held(path))  # the compaction after the block cannot take the lock
            assert StoreFiles(path).journal.exists()
        add(local, 1)  # the next write finds the journal over its share
        assert local._data.wrote_whole
    with Store(path, user="anna") as again:
        assert len(again.motions()) == 17
