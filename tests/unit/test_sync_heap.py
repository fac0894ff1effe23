"""After a sync's large write its documents are frozen, so the cycle collector does not walk them again and
again; after a small one nothing is (store/sync/heap.py). The same for what the dashboard makes to keep: its
read, its items (store/file/bulk.py)."""

from __future__ import annotations

import gc

from store import collector_paused_then_frozen
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
