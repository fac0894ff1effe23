"""A document's bookkeeping set alone goes to the journal as just its fields (store/file/journal.py, ``patches``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from store import Motion, Store, StoreFileError, new_items, new_motion_id
from store.edit import KEEP
from store.file import migrations
from store.file.names import StoreFiles


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data.json"


def _added(path: Path, count: int = 2) -> list[str]:
    with Store(path, user="anna") as store:
        return [
            store.add_motion(Motion(id=new_motion_id(), title=f"Antrag {n}", items=new_items(["Stand"]))).id
            for n in range(count)
        ]


def _marked(path: Path, motion_id: str, **meta: Any) -> None:
    with Store(path, user="anna") as store, store.transaction() as tx:
        tx.set_sync_meta(motion_id, **meta)


def _last_record(path: Path) -> dict[str, Any]:
    record: dict[str, Any] = orjson.loads(StoreFiles(path).journal.read_bytes().splitlines()[-1])
    return record


def _stored(path: Path) -> dict[str, Any]:
    """Every document as a fresh store reads it."""
    with Store(path, user="bert") as store:
        return {key: dict(document) for key, document in store.documents().items()}


def test_the_same_fields_of_many_documents_are_written_once_with_their_keys(path: Path) -> None:
    ids = _added(path, 4)
    with Store(path, user="anna") as store, store.transaction() as tx:
        for number, motion_id in enumerate(ids):
            tx.set_sync_meta(motion_id, synced={"rev": 1 if number != 2 else 2})
    assert _last_record(path)["patches"] == {
        "motions": [
            {"fields": {"synced": {"rev": 1}}, "keys": [ids[0], ids[1], ids[3]]},
            {"fields": {"synced": {"rev": 2}}, "keys": [ids[2]]},
        ]
    }
    assert [_stored(path)[motion_id]["synced"]["rev"] for motion_id in ids] == [1, 1, 2, 1]


def test_bookkeeping_set_alone_is_written_as_its_fields_and_read_back(path: Path) -> None:
    first, second = _added(path)
    before = _stored(path)
    _marked(path, first, synced={"rev": 3})
    record = _last_record(path)
    assert record["tables"] == {} and record["patches"] == {
        "motions": [{"fields": {"synced": {"rev": 3}}, "keys": [first]}]
    }
    after = _stored(path)
    assert after[first] == {**before[first], "synced": {"rev": 3}}
    assert after[second] == before[second]
    _marked(path, first, synced=None, refused={"reason": "nein", "doc": {}})
    refused = {"synced": None, "refused": {"reason": "nein", "doc": {}}}
    assert _last_record(path)["patches"] == {"motions": [{"fields": refused, "keys": [first]}]}
    assert _stored(path)[first] == {**before[first], "refused": {"reason": "nein", "doc": {}}}


def test_setting_what_is_already_there_writes_nothing(path: Path) -> None:
    [motion] = _added(path, 1)
    _marked(path, motion, synced={"rev": 3})
    journal = StoreFiles(path).journal.read_bytes()
    _marked(path, motion, synced={"rev": 3}, conflicts=None, refused=KEEP)
    assert StoreFiles(path).journal.read_bytes() == journal


def test_a_document_written_whole_in_the_same_transaction_is_not_patched_besides(path: Path) -> None:
    [motion] = _added(path, 1)
    with Store(path, user="anna") as store, store.transaction() as tx:
        tx.set_sync_meta(motion, synced={"rev": 1})
        tx.apply(motion, "edit", lambda before: {**(before or {}), "title": "Neu"})
        tx.set_sync_meta(motion, conflicts={"title": {"mine": "Neu", "theirs": "Alt"}})
    record = _last_record(path)
    assert "patches" not in record
    written = record["tables"]["motions"][motion]
    assert written["title"] == "Neu" and written["conflicts"] == {"title": {"mine": "Neu", "theirs": "Alt"}}
    assert written["synced"]["rev"] == 1 and written["synced"]["dirty"] is True  # the edit made here after it
    assert _stored(path)[motion] == written


@pytest.mark.parametrize("already", [False, True], ids=["a new field", "a field the line has"])
def test_a_whole_write_keeps_what_was_patched(path: Path, monkeypatch: pytest.MonkeyPatch, already: bool) -> None:
    """The whole write puts a patch into the line without parsing it where the field is new to it, and parses
    the document where the line has it already: the file is the same either way."""
    first, second = _added(path)
    if already:
        _marked(path, first, synced={"rev": 1, "dirty": True})
    _marked(path, first, synced={"rev": 2})
    expected = _stored(path)
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
    monkeypatch.setattr("store.file.storage.JOURNAL_SHARE", 10**9)  # the next write is whole
    with Store(path, user="anna") as store:
        store.motions()  # every line read and parsed, as a dashboard holds them
        _marked(path, second, synced={"rev": 7})
        with store.transaction() as tx:
            tx.set_sync_meta(first, refused={"reason": "nein", "doc": {}})
    assert not StoreFiles(path).journal.exists()
    expected[first]["refused"] = {"reason": "nein", "doc": {}}
    expected[second]["synced"] = {"rev": 7}
    assert orjson.loads(path.read_bytes())["motions"] == expected
    assert _stored(path) == expected


def test_a_store_already_open_reads_another_writers_patch_and_counts_it(path: Path) -> None:
    first, second = _added(path)
    with Store(path, user="anna") as open_store:
        assert open_store.sync_state("http://server").pending == 2  # never synced
        _marked(path, first, synced={"rev": 1})
        assert open_store.documents()[first]["synced"] == {"rev": 1}
        assert open_store.sync_state("http://server").pending == 1
        assert [motion_id for motion_id, _rev, _doc in open_store.unsynced()] == [second]


def test_a_one_motion_command_reads_its_motions_patch_and_leaves_the_others(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as whole:  # both motions in the data file itself, no journal beside it
        whole.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
        whole.setattr("store.file.storage.JOURNAL_SHARE", 10**9)
        first, second = _added(path)
    _marked(path, first, synced={"rev": 4})
    _marked(path, second, synced={"rev": 5})
    content = path.read_bytes()
    monkeypatch.setattr("store.file.documents._BLOCK", 0)  # each line read alone: the garbled one is not read
    at = content.index(f'"{second}":{{'.encode()) + len(second) + 3
    status = os.stat(path)
    path.write_bytes(content[:at] + b"]]]]" + content[at + 4 :])  # garbled in place, size and time kept
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    with Store(path, user="carl") as store:
        store.focus(first)
        store.set_item(first, 1, note="geändert")  # reads only its own line (the other one's would fail)
    path.write_bytes(content)  # mended: the file as it was, and the journal with the edit
    stored = _stored(path)
    assert stored[first]["synced"]["rev"] == 4 and stored[first]["synced"]["dirty"] is True
    assert stored[first]["synced"]["base"]["items"][0]["note"] == ""  # as agreed before the edit
    assert stored[first]["items"][0]["note"] == "geändert"
    assert stored[second]["synced"] == {"rev": 5}


@pytest.mark.parametrize(
    "patches",
    [
        b'{"motions":[{"fields":5,"keys":["%s"]}]}',
        b'{"motions":[{"fields":{},"keys":["%s"]}]}',
        b'{"motions":[{"fields":{"synced":null},"keys":[5]}]}',
        b'{"motions":[{"fields":{"synced":null},"keys":["%s"],"also":1}]}',
        b'{"motions":{"%s":{"synced":null}}}',
        b"[]",
    ],
    ids=["not fields", "no field", "not a key", "more than fields and keys", "not a list", "not tables"],
)
def test_a_broken_patch_is_refused_with_the_journals_name_and_line(path: Path, patches: bytes) -> None:
    [motion] = _added(path, 1)
    _marked(path, motion, synced={"rev": 1})
    _marked(path, motion, synced={"rev": 2})
    journal = StoreFiles(path).journal
    header, _first, second = journal.read_bytes().splitlines(keepends=True)
    broken = b'{"generation":2,"tables":{},"patches":' + patches.replace(b"%s", motion.encode()) + b"}\n"
    journal.write_bytes(header + broken + second)
    before = (path.read_bytes(), journal.read_bytes())
    with Store(path, user="bert") as store:
        with pytest.raises(StoreFileError, match=r"data\.json\.journal: line 2: not a transaction"):
            store.motions()
        with pytest.raises(StoreFileError, match=r"line 2"):
            store.set_item(motion, 1, note="x")
    assert (path.read_bytes(), journal.read_bytes()) == before


def test_a_file_of_the_format_before_patches_is_read_and_written_whole_in_this_one(path: Path) -> None:
    [motion] = _added(path, 1)
    assert not StoreFiles(path).journal.exists()  # the file was written whole, as the older format has it
    current = b'{"sachstand":{"schema":%d,' % migrations.SCHEMA_VERSION
    path.write_bytes(path.read_bytes().replace(current, b'{"sachstand":{"schema":2,', 1))
    _marked(path, motion, synced={"rev": 1})
    assert path.read_bytes().startswith(current) and not StoreFiles(path).journal.exists()
    assert _stored(path)[motion]["synced"] == {"rev": 1}
