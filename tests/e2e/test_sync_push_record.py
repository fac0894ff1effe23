"""A push records each answer as the motions' sync bookkeeping alone: a few dozen bytes per motion in the
journal, not each motion again, and the data file is not written whole after it (store/file/journal.py,
``patches``). What it recorded is read back as before: by a store opened meanwhile, by the next sync, and by a
command on one motion."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

import store.sync.client
from store import Motion, Store, new_items, new_motion_id
from store.file.names import StoreFiles

from helpers.sync import cli, model, run_sync, serving

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


def added(path: Path, count: int) -> list[str]:
    with Store(path, user="anna") as local, local.transaction() as tx:
        motions = [
            Motion(id=new_motion_id(), title=f"Antrag {n}", reference=f"DS {n}/2026", items=new_items([f"Punkt {n}"]))
            for n in range(count)
        ]
        for motion in motions:
            tx.apply(motion.id, "add", lambda _before, motion=motion: {**motion.to_dict(), "deleted": False})
    return [motion.id for motion in motions]


def test_a_push_records_its_answers_as_bookkeeping_and_leaves_the_file_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    ids = added(a, 300)
    monkeypatch.setattr(store.sync.client, "PUSH_BYTES", 8000)  # about 20 bodies: as many answers
    file, journal = a.read_bytes(), StoreFiles(a).journal
    inode = os.stat(a).st_ino
    assert not journal.exists()  # the motions were added in one transaction: written whole
    with serving(tmp_path) as server, Store(a, user="anna") as dashboard:
        assert dashboard.sync_state(server.url).pending == 300
        assert run_sync(a, server).code == 0
        assert (os.stat(a).st_ino, a.read_bytes()) == (inode, file)  # not written whole, not changed
        records = [orjson.loads(line) for line in journal.read_bytes().splitlines()[1:]]  # after its header
        patched = {
            key: group["fields"]
            for record in records
            for group in record.get("patches", {}).get("motions", [])
            for key in group["keys"]
        }
        assert sorted(patched) == sorted(ids) and all(fields == {"synced": {"rev": 1}} for fields in patched.values())
        assert all(
            len(record.get("patches", {}).get("motions", [])) <= 1 for record in records
        )  # one set of fields each
        assert not any(record["tables"].get("motions") for record in records)  # no motion written again
        assert len(journal.read_bytes()) < len(file) / 10
        assert dashboard.sync_state(server.url).pending == 0  # the store open meanwhile reads the journal
        with Store(a, user="anna") as again:
            assert again.sync_state(server.url).pending == 0 and again.conflicts() == []
            assert {again.documents()[key]["synced"]["rev"] for key in ids} == {1}
        assert cli(a, "set", "DS 7/2026", "1", "done").code == 0  # a command on one motion
        assert dashboard.sync_state(server.url).pending == 1
        assert "0 received, 1 sent." in run_sync(a, server).err
        assert run_sync(b, server).code == 0
    assert model(b) == model(a) and len(model(a)) == 300
    assert model(b)[ids[7]]["items"][0]["status"] == "done"
