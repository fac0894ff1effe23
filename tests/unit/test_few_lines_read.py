"""What a store that has read the data file (the dashboard's) does without reading every motion's line again:
undo and redo look only at the documents written since that read when the user's last write is among them
(store/undo.py ``last_write``; when it is not, every document decides, as before); the overview's last changes
read only the lines of the changes it shows (store/file/parts.py ``history_seqs``); a whole write keeps each
line it did not change as the bytes it is (``writable``)."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from store import ItemStatus, Motion, Store, new_items, new_motion_id
from store.file.journal import Base
from store.file.offsets import chosen, read_offsets
from store.file.parts import history_seqs
from store.overview import last_changes


@pytest.fixture(autouse=True)
def line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line read from the file when it is read, not from a block read before (store/file/documents.py):
    so a line garbled in place below is garbled for whoever reads it."""
    monkeypatch.setattr("store.file.documents._BLOCK", 0)


def _whole_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
    monkeypatch.setattr("store.file.storage.JOURNAL_SHARE", 10**9)


def _stored(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Three motions in the data file itself (written whole, no journal beside it)."""
    with monkeypatch.context() as whole:
        _whole_writes(whole)
        with Store(path, user="anna") as store:
            return [
                store.add_motion(
                    Motion(id=new_motion_id(), title=title, reference=f"DS {number}/2026", items=new_items(["Bericht"]))
                ).id
                for number, title in enumerate(("Radwegekonzept", "Schulbau", "Kita"), start=1)
            ]


def _garbled_in_place(path: Path, motion_id: str) -> None:
    """That motion's line made unreadable where it lies, the file's size and time kept: a read of the
    line would now fail (and send the store to the whole file's parse, which refuses it)."""
    status = os.stat(path)
    content = path.read_bytes()
    at = content.index(f'"{motion_id}":{{'.encode()) + len(motion_id) + 3  # the document's opening brace
    path.write_bytes(content[:at] + b"]]]]" + content[at + 4 :])
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def _undoes(store: Store, motion_id: str) -> None:
    """The store's next undo is the last write, to that motion, and undoing it opens its first item again."""
    assert [entry.motion_id for entry in store.next_undo()] == [motion_id]
    assert [entry.motion_id for entry in store.undo()] == [motion_id]
    assert store.get(motion_id).items[0].status is ItemStatus.OPEN


def test_the_dashboards_undo_and_redo_read_only_the_motion_of_the_last_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.json"
    edited, other, _third = _stored(path, monkeypatch)
    with Store(path, user="anna") as store:
        store.motions()  # the dashboard's read
        store.set_item(edited, 1, status=ItemStatus.DONE)  # through the journal
        _garbled_in_place(path, other)
        _undoes(store, edited)
        assert [entry.motion_id for entry in store.redo()] == [edited]
        assert store.get(edited).items[0].status is ItemStatus.DONE


def test_a_last_write_the_data_file_holds_is_found_in_every_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.json"
    first, second, _third = _stored(path, monkeypatch)
    with Store(path, user="anna") as store:
        store.set_item(first, 1, status=ItemStatus.DONE)
    with Store(path, user="bernd") as other:
        other.set_item(second, 1, status=ItemStatus.REPORTED)  # newer, in the journal, but not anna's
    with Store(path, user="anna") as store:
        store.motions()
        assert [entry.motion_id for entry in store.undo()] == [first]  # found in the journal's documents
    with monkeypatch.context() as whole:
        _whole_writes(whole)
        with Store(path, user="anna") as store:
            store.set_item(first, 1, status=ItemStatus.DEFERRED)  # written whole: no document is newer than the file
    with Store(path, user="anna") as store:
        store.motions()
        _undoes(store, first)


def test_the_overviews_last_changes_read_only_the_lines_of_the_changes_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.json"
    first, second, third = _stored(path, monkeypatch)
    with Store(path, user="anna") as store:
        every = [(change.entry.motion_id, change.others) for change in last_changes(store.documents())]
        assert every == [(third, 0), (second, 0), (first, 0)]  # one write each, the newest first
    with Store(path, user="anna") as store:
        store.motions()  # the dashboard's read
        _garbled_in_place(path, first)
        assert [change.entry.motion_id for change in last_changes(store.documents(), limit=2)] == [third, second]


def test_a_whole_write_keeps_each_line_it_did_not_change_and_the_sidecar_knows_its_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.json"
    first, second, third = _stored(path, monkeypatch)
    _whole_writes(monkeypatch)
    with Store(path, user="anna") as store:
        store.delete_motion(second)
    before = path.read_bytes().splitlines()
    with Store(path, user="anna") as store:
        store.motions()  # the dashboard's read: each line parsed once, for its model
        store.set_item(third, 1, status=ItemStatus.DONE)  # written whole
    after = path.read_bytes().splitlines()
    kept = [line for line in before if first.encode() in line or second.encode() in line]
    assert len(kept) == 2 and all(line in after for line in kept)
    assert not any(third.encode() in line for line in before if line in after)  # the line it changed is new
    header = orjson.loads(after[0][len(b'{"sachstand":') :])
    offsets = read_offsets(Store(path, user="x").files, Base(**header), path.stat().st_size)
    assert offsets is not None
    assert chosen(offsets, [], "DS 1/2026") == first and chosen(offsets, [], "ds1/2026") == first
    assert chosen(offsets, [], "DS 2/2026") is None  # deleted
    assert chosen(offsets, [], "DS 3/2026") == third
    with Store(path, user="anna") as store:
        assert [motion.id for motion in store.motions()] == [first, third]


def test_the_seqs_of_every_history_are_found_in_the_lines_as_their_parse_gives_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store reads each motion up to its history (store/file/parts.py ``before_history``); the overview's
    last changes find each history's seqs in its line's bytes: the same as a parse gives, for every kind of entry,
    with texts that spell what is searched for, and without a parse."""
    path = tmp_path / "data.json"
    first, second, third = _stored(path, monkeypatch)
    _whole_writes(monkeypatch)  # no journal: the file alone holds every history
    with Store(path, user="anna") as store:
        store.set_item(first, 1, status=ItemStatus.DONE, note='Siehe {"seq":1,"at":"2026-01-01"} und ,"history":[')
        store.update_motion(second, title='Titel mit ,"history":[{"seq":7,"at":"x"}]')
        store.undo()
        store.redo()
        store.delete_motion(third)
        store.set_item(first, 1, status=ItemStatus.REPORTED)
        expected_models = store.motions()
    whole = orjson.loads(path.read_bytes())["motions"]
    expected = {key: tuple(entry["seq"] for entry in document["history"]) for key, document in whole.items()}
    with Store(path, user="bert") as store:
        assert store.motions() == expected_models  # each built from its line up to the history
        documents = store.documents()
        monkeypatch.setattr("store.file.documents.parsed", lambda _line: pytest.fail("a line was parsed"))
        assert {key: history_seqs(documents, key) for key in documents} == expected
