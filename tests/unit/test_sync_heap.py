"""After a sync's large write its documents are frozen, so the cycle collector does not walk them again and
again; after a small one nothing is (store/sync/heap.py). The same for what the dashboard makes to keep: its
read, its items (store/file/bulk.py)."""

from __future__ import annotations

import gc

import pytest

from store import collector_paused_then_frozen
from store.file import bulk
from store.file.bulk import FROZEN_FROM
from store.sync.heap import MANY, settle


def test_only_a_large_write_freezes_what_is_alive() -> None:
    gc.unfreeze()
    try:
        documents = [{"id": str(number), "items": [{"number": 1}]} for number in range(MANY)]
        settle(MANY - 1)
        assert gc.get_freeze_count() == 0
        settle(len(documents))
        assert gc.get_freeze_count() > len(documents)  # each document and its items' list and dicts
    finally:
        gc.unfreeze()  # the other tests run with the collector as usual


def test_a_block_that_made_many_objects_freezes_what_is_alive_and_one_that_made_few_does_not() -> None:
    gc.collect()  # nothing young left over from before
    gc.unfreeze()
    collecting = gc.isenabled()
    try:
        with collector_paused_then_frozen():
            few = [[number] for number in range(FROZEN_FROM // 2)]
            assert not gc.isenabled()
        assert gc.get_freeze_count() == 0 and gc.isenabled() == collecting
        with collector_paused_then_frozen():
            many = [[number] for number in range(FROZEN_FROM)]
        assert gc.get_freeze_count() > len(many) + len(few)  # the lists made in it, and those alive before
        assert not any(made is many for made in gc.get_objects())  # where no run of the collector looks
    finally:
        gc.unfreeze()  # the other tests run with the collector as usual


def test_a_block_after_a_freeze_collects_first_and_the_first_block_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    """What became garbage since a block froze is freed before the next block may freeze it for good (the dashboard's
    test: tests/e2e/test_dashboard_whole_write.py); the process's first block collects nothing (what a start leaves is
    frozen once, and its collection cost the dashboard's first read 22 to 36 ms)."""
    monkeypatch.setattr(bulk, "_froze", False)  # as in a process no block has frozen yet
    collections: list[int] = []

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    collecting = gc.isenabled()
    gc.disable()  # no run of its own: only those the blocks ask for
    gc.callbacks.append(counted)
    try:
        with collector_paused_then_frozen():
            many = [[number] for number in range(FROZEN_FROM)]
        assert collections == [] and gc.get_freeze_count() > len(many)
        with collector_paused_then_frozen():
            pass
        assert collections == [2]  # a full run, over what was made since the freeze
    finally:
        gc.callbacks.remove(counted)
        gc.unfreeze()  # the other tests run with the collector as usual
        (gc.enable if collecting else gc.disable)()
