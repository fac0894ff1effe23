"""After a sync's large write its documents are frozen, so the cycle collector does not walk them again and
again; after a small one nothing is (store/sync/heap.py)."""

from __future__ import annotations

import gc

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
