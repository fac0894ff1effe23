"""The store's public transaction API (store/edit.py), which sync and the server's backend write through."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import BadInput, ItemStatus, Motion, Store, new_items
from store.edit import KEEP, live, replaced_by
from store.file.storage import AtomicJSONStorage
from store.history import EDIT, SYNC

from helpers.stored import stored_files

ID = "aaaa1111-0000-4000-8000-000000000001"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "data.json", user="anna") as opened:
        opened.add_motion(Motion(id=ID, title="Radwege", items=new_items(["a", "b"])))
        yield opened


def test_apply_writes_the_document_with_its_history_once_the_block_ends(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[int] = []
    original = AtomicJSONStorage.write
    monkeypatch.setattr(
        AtomicJSONStorage,
        "write",
        lambda self, *args, **options: (writes.append(1), original(self, *args, **options))[1],
    )
    with store.transaction() as tx:
        before = tx.document(ID)
        assert before is not None and len(before["history"]) == 1
        motion = tx.apply(ID, EDIT, lambda doc: {**(doc or {}), "title": "Radwege am Ring"})
        assert motion is not None and motion.title == "Radwege am Ring"
        assert tx.canonical(ID, tx.document(ID) or {})["title"] == "Radwege am Ring"  # what this transaction staged
        assert tx.apply(ID, EDIT, lambda doc: dict(doc or {})) is None  # no change: nothing recorded
        assert writes == []
    assert writes == [1]
    assert store.get(ID).title == "Radwege am Ring"
    (_created, edited) = store.history(ID)
    assert (edited.action, edited.by, [change.path for change in edited.changes]) == (EDIT, "anna", ["title"])
    assert store.documents()[ID]["history"][-1]["action"] == EDIT


def test_a_failing_transaction_writes_nothing(store: Store) -> None:
    files = stored_files(store.path)
    with pytest.raises(BadInput), store.transaction() as tx:
        tx.apply(ID, EDIT, lambda doc: {**(doc or {}), "title": "Neu"})
        tx.apply(ID, EDIT, lambda doc: {**(doc or {}), "title": ""})  # refused by the model
    assert stored_files(store.path) == files
    assert store.get(ID).title == "Radwege"


def test_sync_meta_stays_across_edits_and_an_edit_marks_it_dirty(store: Store) -> None:
    with store.transaction() as tx:
        base = store.canonical(ID, tx.document(ID) or {})
        tx.set_sync_meta(ID, synced={"rev": 3, "base": base}, conflicts={"title": {"mine": "a", "theirs": "b"}})
    document = store.documents()[ID]
    assert document["synced"] == {"rev": 3, "base": base} and "title" in document["conflicts"]
    assert "synced" not in store.get(ID).to_dict()  # bookkeeping, no part of the motion

    store.set_item(ID, 1, status=ItemStatus.DONE)
    document = store.documents()[ID]
    assert document["synced"] == {"rev": 3, "base": base, "dirty": True} and "title" in document["conflicts"]

    with store.transaction() as tx:
        tx.set_sync_meta(ID, synced=KEEP, conflicts=None)  # KEEP leaves one, an empty value removes the other
        tx.apply(ID, SYNC, replaced_by(live(store.get(ID))))  # unchanged: no write, no dirty mark
    document = store.documents()[ID]
    assert "conflicts" not in document and document["synced"]["rev"] == 3


def test_sources_and_what_was_written_since_a_mark(store: Store) -> None:
    mark, written = store.written_since(None)
    assert written is None  # no mark: anything may have changed
    with store.transaction() as tx:
        tx.set_source("oparl body", {"cursor": "2026-12-01T10:00:00"})
    assert store.import_cursor("oparl body") == "2026-12-01T10:00:00" and store.source("elsewhere") == {}
    mark, written = store.written_since(mark)
    assert written == []  # a source is no motion
    store.set_item(ID, 2, note="zugesagt")
    assert store.written_since(mark)[1] == [ID]


def test_the_change_log_forgets_its_oldest_entries_not_a_recent_mark(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past twice its limit the log forgets what is oldest, keeping its limit's worth: a mark taken within
    those still says what was written since it; an older one says that anything may have been written
    (store/file/changelog.py, ChangeLog.record)."""
    monkeypatch.setattr("store.file.changelog._LOG_LIMIT", 4)
    old, _written = store.written_since(None)
    for number in range(9):  # the ninth entry passes twice the limit: the log keeps the newest four
        with store.transaction() as tx:
            tx.set_sync_meta(ID, synced={"rev": number + 1})  # a patch is logged as a write of the document
    assert store.written_since(old)[1] is None
    recent, _written = store.written_since(None)
    store.set_item(ID, 1, note="eins")
    for number in range(3):
        with store.transaction() as tx:
            tx.set_sync_meta(ID, synced={"rev": 20 + number})
    assert store.written_since(recent)[1] == [ID, ID, ID, ID]  # the log holds eight: all four since the mark


def test_documents_keep_tombstones_and_canonical_shows_only_the_motion(store: Store) -> None:
    store.delete_motion(ID)
    document = store.documents()[ID]
    assert document["deleted"] is True and store.motions() == []
    canonical = store.canonical(ID, document)
    assert canonical["deleted"] is True and "history" not in canonical and canonical["title"] == "Radwege"
