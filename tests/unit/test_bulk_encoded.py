"""The whole write after a bulk takes each document the bulk wrote as the bytes of its journal line
(store/file/encoded.py): the file is the one a serialisation of every document anew makes, byte for byte,
whatever the bulk wrote over what, and nothing stays kept once it is written or the bulk is past."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import orjson
import pytest

from store import Motion, Store, new_items, new_motion_id
from store.file import storage
from store.file.names import StoreFiles
from store.file.offsets import serialised


@pytest.fixture(autouse=True)
def small_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "JOURNAL_MINIMUM", 0)  # the journal's share counts from the first byte


def document(motion: Motion, _before: object) -> dict[str, Any]:
    return {**motion.to_dict(), "deleted": False}


def add(store: Store, titles: list[str]) -> list[str]:
    """A motion per title, in one transaction; their ids."""
    motions = [Motion(id=new_motion_id(), title=title, items=new_items(["Bericht"])) for title in titles]
    with store.transaction() as tx:
        for motion in motions:
            tx.apply(motion.id, "sync", partial(document, motion))
    return [motion.id for motion in motions]


def kept(store: Store) -> int:
    """How many documents the storage holds the bytes of."""
    return len(store._data.storage.encoded._kept)  # type: ignore[attr-defined]


def test_the_whole_write_after_a_bulk_is_the_file_a_new_serialisation_makes(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as local:
        first = add(local, ["Ampel", "Radweg", "Schule"])
        with local.bulk():
            second = add(local, ["Brücke", "Spielplatz"])
            with local.transaction() as tx:  # a document the bulk wrote, written over in the bulk
                tx.apply(second[0], "sync", lambda before: {**(before or {}), "title": "Brücke, neu"})
                tx.set_sync_meta(first[0], synced={"rev": 3})  # bookkeeping only, of a document read from the file
                tx.set_sync_meta(second[1], synced={"rev": 1})
            add(local, [f"Antrag {number}" for number in range(20)])  # the journal outgrows its share
            assert kept(local) > 0
        assert local._data.wrote_whole and not StoreFiles(path).journal.exists()
        assert kept(local) == 0  # the whole write took them
    content = path.read_bytes()
    tables = orjson.loads(content)
    header = tables.pop("sachstand")
    assert serialised(header, tables)[0] == content
    motions = tables["motions"]
    assert motions[second[0]]["title"] == "Brücke, neu" and motions[first[0]]["synced"] == {"rev": 3}
    assert motions[second[1]]["synced"] == {"rev": 1} and len(motions) == 25
    with Store(path, user="anna") as again:
        assert again.get(second[0]).title == "Brücke, neu" and len(again.motions()) == 25


def test_what_a_small_bulk_kept_goes_with_the_next_write_outside_one(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as local:
        add(local, [f"Antrag {number}" for number in range(40)])
        with local.bulk():
            add(local, ["Ampel"])
        assert StoreFiles(path).journal.exists() and kept(local) == 1  # no whole write was due
        [later] = add(local, ["Radweg"])
        assert kept(local) == 0
        assert local.get(later).title == "Radweg"
    with Store(path, user="anna") as again:
        assert len(again.motions()) == 42


def test_a_failed_transaction_in_a_bulk_lets_go_of_what_was_kept(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as local:
        add(local, ["Ampel", "Radweg"])
        with pytest.raises(RuntimeError), local.bulk():
            add(local, ["Brücke"])
            with local.transaction():
                raise RuntimeError("the connection broke")
        assert kept(local) == 0
        add(local, [f"Antrag {number}" for number in range(20)])
    content = path.read_bytes()
    tables = orjson.loads(content)
    assert serialised(tables.pop("sachstand"), tables)[0] == content and len(tables["motions"]) == 23
