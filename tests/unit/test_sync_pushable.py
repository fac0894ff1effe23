"""What a push sends, read a document at a time while the push is under way (SyncBook.pushable): writes
made meanwhile are not lost, and every book of a store shares what it knows of the marked documents."""

from __future__ import annotations

from pathlib import Path

from store import Motion, new_items
from store.model import new_motion_id
from store.store import Store
from store.sync.state import SyncBook


def _added(store: Store, count: int) -> list[str]:
    """The ids of ``count`` new motions, each of one item, added in order."""
    return [
        store.add_motion(Motion(id=new_motion_id(), title=f"Antrag {n}", items=new_items(["Bericht"]))).id
        for n in range(count)
    ]


def test_a_push_reads_its_documents_as_it_goes_and_misses_no_write_made_meanwhile(tmp_path: Path) -> None:
    with Store(tmp_path / "a.json", user="anna") as store:
        ids = _added(store, 6)
        pending = SyncBook(store).pushable()
        first = next(pending)
        store.update_motion(ids[-1], title="Neu")  # a motion the push has not reached yet
        later = store.add_motion(Motion(id=new_motion_id(), title="Später", items=new_items(["Bericht"])))
        sent = [first, *pending]
        assert [doc_id for doc_id, _rev, _doc in sent][: len(ids)] == ids
        assert all(rev == 0 for _doc_id, rev, _doc in sent)
        # The store's own book knows the marks the scan found, brought forward by the writes since it began.
        waiting = {doc_id: doc for doc_id, _rev, doc in store.unsynced()}
        assert list(waiting) == [*ids, later.id]
        assert waiting[ids[-1]]["title"] == "Neu"


def test_a_push_given_up_half_way_leaves_the_marks_to_the_next_reader(tmp_path: Path) -> None:
    with Store(tmp_path / "a.json", user="anna") as store:
        ids = _added(store, 3)
        pending = SyncBook(store).pushable()
        next(pending)
        pending.close()
        assert [doc_id for doc_id, _rev, _doc in store.unsynced()] == ids
        assert store.sync_state("https://example.org").pending == 3
