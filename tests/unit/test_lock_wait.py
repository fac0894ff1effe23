"""Store.lock_wait: how long the transactions in a block wait for another process's lock; 0 is one try."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from store import ItemStatus, LockTimeout, Motion, Store, new_items, new_motion_id

from helpers.lock import lock_held
from helpers.stored import stored_files


def test_a_wait_of_zero_fails_at_once_and_writes_nothing_and_the_timeout_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    store = Store(path, user="a", lock_timeout=0.4)
    motion = store.add_motion(Motion(id=new_motion_id(), title="Radwege", items=new_items(["Planung"])))
    before = stored_files(path)
    with lock_held(path):
        started = time.monotonic()
        with store.lock_wait(0), pytest.raises(LockTimeout):
            store.set_item(motion.id, 1, status=ItemStatus.DONE)
        assert time.monotonic() - started < 0.2
        started = time.monotonic()
        with pytest.raises(LockTimeout):  # outside the block: the store's own lock_timeout again
            store.set_item(motion.id, 1, status=ItemStatus.DONE)
        assert time.monotonic() - started >= 0.35
        assert stored_files(path) == before
    assert store.get(motion.id).items[0].status is ItemStatus.OPEN
    with store.lock_wait(0):  # the lock free: the one try takes it
        store.set_item(motion.id, 1, status=ItemStatus.DONE)
    assert Store(path, user="b").get(motion.id).items[0].status is ItemStatus.DONE
