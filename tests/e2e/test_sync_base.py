"""The agreed copy of a synced motion (``synced.base``) is kept only where it differs from the motion: after a
sync nearly every document is agreed on as it stands, and the file holds each motion once (store/sync/state.py).
An edit keeps the motion as it was as the agreed copy before it changes it; a file that holds the copy
(as earlier versions wrote every one) syncs as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.edit import pushed_form
from store.example import example_motion
from store.store import Store
from store.values import ItemStatus

from helpers.sync import Server, model, run_sync

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


def synced_of(db: Path, motion_id: str) -> dict[str, object]:
    with Store(db, user="check") as store:
        synced: dict[str, object] = store.documents()[motion_id]["synced"]
        return synced


def _both_synced(tmp_path: Path, server: Server) -> tuple[Path, Path, str]:
    """Anna's file with the example motion, pushed, and Ben's, which pulled it: both agree on it."""
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with Store(a, user="anna") as store:
        motion_id = store.add_motion(example_motion()).id
    assert run_sync(a, server).code == 0
    assert run_sync(b, server).code == 0
    return a, b, motion_id


def test_after_a_push_and_a_pull_each_file_holds_the_motion_once(tmp_path: Path, server: Server) -> None:
    a, b, motion_id = _both_synced(tmp_path, server)
    for db in (a, b):
        assert set(synced_of(db, motion_id)) == {"rev"}
        assert b'"base"' not in db.read_bytes()
        with Store(db, user="check") as store:
            assert store.unsynced() == [] and store.sync_state(server.url).pending == 0


def test_an_edit_keeps_the_agreed_copy_and_the_next_sync_sends_it(tmp_path: Path, server: Server) -> None:
    a, b, motion_id = _both_synced(tmp_path, server)
    with Store(b, user="ben") as store:
        agreed = pushed_form(store.documents()[motion_id])
        store.set_item(motion_id, 2, status=ItemStatus.DONE)
        synced = store.documents()[motion_id]["synced"]
        assert synced["base"] == agreed and synced["dirty"] is True
        assert [doc_id for doc_id, _rev, _doc in store.unsynced()] == [motion_id]
    assert run_sync(b, server).code == 0
    assert set(synced_of(b, motion_id)) == {"rev"}  # agreed on the motion as it stands again
    assert run_sync(a, server).code == 0
    assert model(a) == model(b)
    with Store(a, user="anna") as store:
        assert store.get(motion_id).items[1].status is ItemStatus.DONE


def test_both_sides_changing_a_field_is_a_conflict_against_the_motion_as_agreed(tmp_path: Path, server: Server) -> None:
    a, b, motion_id = _both_synced(tmp_path, server)
    with Store(a, user="anna") as store:
        store.set_item(motion_id, 1, note="Anna")
    with Store(b, user="ben") as store:
        store.set_item(motion_id, 1, note="Ben")
        store.set_item(motion_id, 3, note="Nur Ben")
    assert run_sync(a, server).code == 0
    assert run_sync(b, server).code == 3  # conflicts remain
    with Store(b, user="ben") as store:
        assert [(c.path, c.mine, c.theirs) for c in store.conflicts()] == [("items.1.note", "Ben", "Anna")]
        store.resolve(motion_id, "items.1", "theirs")
    assert run_sync(b, server).code == 0
    assert run_sync(a, server).code == 0
    assert model(a) == model(b)
    with Store(a, user="anna") as store:
        motion = store.get(motion_id)
        assert (motion.items[0].note, motion.items[2].note) == ("Anna", "Nur Ben")


def test_a_file_that_holds_the_agreed_copy_syncs_as_before(tmp_path: Path, server: Server) -> None:
    a, b, motion_id = _both_synced(tmp_path, server)
    with Store(b, user="ben") as store:  # as earlier versions wrote it: every synced motion with its copy
        with store.transaction() as tx:
            document = tx.document(motion_id)
            assert document is not None
            tx.set_sync_meta(motion_id, synced={**document["synced"], "base": pushed_form(document)})
        assert store.unsynced() == []
        store.update_motion(motion_id, title="Neuer Titel")
        assert store.sync_state(server.url).pending == 1
    with Store(a, user="anna") as store:
        store.set_item(motion_id, 1, note="Anna")
    assert run_sync(a, server).code == 0
    assert run_sync(b, server).code == 0  # merged: each side changed another field
    assert run_sync(a, server).code == 0
    assert model(a) == model(b)
    with Store(a, user="anna") as store:
        motion = store.get(motion_id)
        assert (motion.title, motion.items[0].note) == ("Neuer Titel", "Anna")
