"""The data file: atomic writes, backups, change detection, refusing bad files untouched."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from store import ItemStatus, Motion, Store, StoreFileError, new_items, new_motion_id
from store.file import migrations
from store.file.storage import AtomicJSONStorage


def _motion(title: str = "Radwegekonzept") -> Motion:
    return Motion(id=new_motion_id(), title=title, items=new_items(["Bestand", "Förderung"]))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data.json"


def _journal(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


@pytest.fixture
def whole_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every transaction rewrites the file: as when the journal has grown past its share of it."""
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
    monkeypatch.setattr("store.file.storage.JOURNAL_SHARE", 10**9)


def test_a_new_file_is_written_whole_and_later_edits_are_appended_to_its_journal(path: Path) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        store.set_item(motion.id, 1, note="läuft")
        assert store.generation == 2
    content = path.read_bytes()
    header = re.match(
        rb'\{"sachstand":\{"schema":%d,"generation":1,"stamp":"([0-9a-f]{12})"\}\n,"motions":\{\n'
        % migrations.SCHEMA_VERSION,
        content,
    )
    assert header, content[:80]
    assert orjson.loads(content)["motions"][motion.id]["items"][0]["note"] == ""
    first, second = _journal(path).read_bytes().splitlines()
    assert orjson.loads(first) == {
        "sachstand-journal": {"schema": migrations.SCHEMA_VERSION, "generation": 1, "stamp": header.group(1).decode()}
    }
    record = orjson.loads(second)
    assert record["generation"] == 2
    assert list(record["tables"]) == ["motions"]
    assert record["tables"]["motions"][motion.id]["items"][0]["note"] == "läuft"
    with Store(path, user="bert") as again:
        assert again.get(motion.id).items[0].note == "läuft"
        assert again.generation == 2


def test_the_journal_is_folded_into_the_file_once_it_passes_its_share(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 4096)
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        sizes = []
        for number in range(12):
            store.set_item(motion.id, 1, note=f"Stand {number} " + "x" * 300)
            sizes.append(_journal(path).stat().st_size if _journal(path).exists() else 0)
        assert max(sizes) <= 4096
        assert 0 in sizes  # folded at least once: the file was written whole and the journal removed
        generation = store.generation
    with Store(path, user="bert") as again:
        assert again.get(motion.id).items[0].note.startswith("Stand 11 ")
        assert again.generation == generation == 13
        assert [entry.seq for entry in again.history(motion.id)] == list(range(1, 14))


def test_the_file_is_laid_out_a_document_per_line_and_read_so(
    path: Path, whole_writes: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(path, user="anna") as store:
        first, second = store.add_motion(_motion("Radwegekonzept")), store.add_motion(_motion("Schulbau"))
    lines = path.read_bytes().splitlines()
    assert lines[0].startswith(b'{"sachstand":{"schema":%d,' % migrations.SCHEMA_VERSION)
    assert lines[1] == b',"motions":{'
    assert [orjson.loads(b"{" + line.lstrip(b",") + b"}").keys() for line in lines[2:4]] == [{first.id}, {second.id}]
    assert lines[4:] == [b"}", b"}"]
    whole = orjson.loads(path.read_bytes())  # and valid JSON as a whole, for any other reader
    parses = []
    original = AtomicJSONStorage._parse
    monkeypatch.setattr(
        AtomicJSONStorage, "_parse", lambda self, content: (parses.append(1), original(self, content))[1]
    )
    read = AtomicJSONStorage(path).read()
    assert parses == [] and read is not None  # a line at a time, never the whole file at once
    tables = {name: dict(table) for name, table in read.items()}  # now: the lines are those of the file rewritten below
    assert tables == {name: table for name, table in whole.items() if name != "sachstand"}
    path.write_bytes(orjson.dumps(whole, option=orjson.OPT_INDENT_2))  # laid out by a person: read whole
    assert AtomicJSONStorage(path).read() == tables and parses == [1]


def test_a_large_file_on_one_line_as_tinydb_writes_it_is_read_whole(path: Path, whole_writes: None) -> None:
    """TinyDB's own storage (and json.dump) writes the file on one line. Larger than a read's buffer, it was
    once refused as cut short: its whole read went on from where the line reader had left the descriptor."""
    with Store(path, user="anna") as store:
        added = [store.add_motion(_motion(f"Radwegekonzept {number} " + "Sachstand " * 40)) for number in range(60)]
    path.write_text(json.dumps(orjson.loads(path.read_bytes())), "utf-8")
    assert path.stat().st_size > 64 * 1024 and path.read_bytes().count(b"\n") == 0
    with Store(path, user="bert") as store:
        assert sorted(motion.id for motion in store.motions()) == sorted(motion.id for motion in added)
        store.set_item(added[7].id, 1, status=ItemStatus.DONE)
    with Store(path, user="anna") as store:
        assert store.get(added[7].id).items[0].status is ItemStatus.DONE


LAYOUT_DAMAGE = {
    "a missing comma": (lambda lines: [*lines[:3], lines[3].lstrip(b","), *lines[4:]], "not valid JSON"),
    "a document cut short": (lambda lines: [*lines[:2], lines[2][:40], *lines[3:]], "not valid JSON"),
    "the closing line missing": (lambda lines: lines[:-1], "not valid JSON"),
}


@pytest.mark.parametrize("damage, message", LAYOUT_DAMAGE.values(), ids=LAYOUT_DAMAGE.keys())
def test_damage_to_the_layout_is_refused_as_the_whole_parse_finds_it(
    path: Path, whole_writes: None, damage: Any, message: str
) -> None:
    with Store(path, user="anna") as store:
        store.add_motion(_motion("Radwegekonzept"))
        store.add_motion(_motion("Schulbau"))
    path.write_bytes(b"\n".join(damage(path.read_bytes().splitlines())) + b"\n")
    before = _stored(path)
    with Store(path, user="bert") as store, pytest.raises(StoreFileError, match=message):
        store.motions()
    assert _stored(path) == before


def test_reading_an_unchanged_file_does_not_parse_it_again(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(path, user="anna") as store:
        store.add_motion(_motion())
    storage = AtomicJSONStorage(path)
    first = storage.read()
    parses = []
    monkeypatch.setattr(storage, "_parse_file", lambda handle: parses.append(1))  # instrumentation, not a fake
    assert storage.read() is first
    assert parses == []


def test_a_change_by_another_writer_is_noticed(path: Path) -> None:
    with Store(path, user="anna") as anna, Store(path, user="bert") as bert:
        motion = anna.add_motion(_motion())
        assert bert.get(motion.id).items[0].note == ""
        anna.set_item(motion.id, 1, note="neu")
        assert bert.refresh() is True
        assert bert.get(motion.id).items[0].note == "neu"
        assert bert.refresh() is False


def test_one_edit_serialises_and_writes_once(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        writes: list[int] = []
        original = AtomicJSONStorage.write

        def counting_write(self: AtomicJSONStorage, data: dict, changed: dict | None = None, **options: Any) -> None:
            writes.append(changed)
            original(self, data, changed, **options)

        monkeypatch.setattr(AtomicJSONStorage, "write", counting_write)
        store.set_item(motion.id, 2, note="x", department="Amt 61")
        assert writes == [{"motions": {motion.id}}]  # the motion and its history entry in one write


def test_another_writers_edit_is_read_from_the_journal_alone(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(path, user="anna") as anna, Store(path, user="bert") as bert:
        motion = anna.add_motion(_motion())
        assert bert.get(motion.id).items[0].note == ""
        parses = []
        original = AtomicJSONStorage._parse_file
        monkeypatch.setattr(
            AtomicJSONStorage, "_parse_file", lambda self, handle: (parses.append(1), original(self, handle))[1]
        )
        for note in ("eins", "zwei"):
            anna.set_item(motion.id, 1, note=note)
            assert bert.refresh() is True
            assert bert.get(motion.id).items[0].note == note
        assert parses == []  # neither anna's transactions nor bert's reads parsed the file again
        assert bert.generation == anna.generation == 3


def test_appending_leaves_the_backups_alone(path: Path) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        file = path.read_bytes()
        for note in ("eins", "zwei"):
            store.set_item(motion.id, 1, note=note)
    assert path.read_bytes() == file
    assert not path.with_name("data.json.bak1").exists()  # the file was written once, when it was new


def test_a_torn_last_line_is_the_transaction_that_did_not_happen(path: Path) -> None:
    """A crash in the middle of an append leaves part of a line: not there for readers, cut off by the next writer."""
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        store.set_item(motion.id, 1, note="eins")
    complete = _journal(path).read_bytes()
    with open(_journal(path), "ab") as journal:
        journal.write(b'{"generation":3,"tables":{"motions":{"' + motion.id.encode() + b'":{"id":')
    with Store(path, user="bert") as store:
        assert store.get(motion.id).items[0].note == "eins"
        assert store.generation == 2
        store.set_item(motion.id, 1, note="zwei")
    lines = _journal(path).read_bytes().splitlines()
    assert _journal(path).read_bytes().startswith(complete)
    assert len(lines) == 3 and orjson.loads(lines[2])["generation"] == 3
    with Store(path, user="carl") as store:
        assert store.get(motion.id).items[0].note == "zwei"


def test_a_broken_journal_is_refused_with_its_name_and_line_and_never_touched(path: Path) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        for note in ("eins", "zwei"):
            store.set_item(motion.id, 1, note=note)
    lines = _journal(path).read_bytes().splitlines(keepends=True)
    _journal(path).write_bytes(lines[0] + b"{kaputt\n" + lines[2])
    before = _stored(path)
    with Store(path, user="bert") as store:
        with pytest.raises(StoreFileError, match=r"data\.json\.journal: line 2: not valid JSON"):
            store.motions()
        with pytest.raises(StoreFileError, match=r"data\.json\.journal: line 2"):
            store.set_item(motion.id, 1, note="drei")
    assert _stored(path) == before


def test_a_journal_with_a_gap_is_refused(path: Path) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        for note in ("eins", "zwei"):
            store.set_item(motion.id, 1, note=note)
    header, _first, second = _journal(path).read_bytes().splitlines(keepends=True)
    _journal(path).write_bytes(header + second)
    with (
        Store(path, user="bert") as store,
        pytest.raises(StoreFileError, match="line 2: expected generation 2, found 3"),
    ):
        store.motions()


def test_a_backup_copied_over_the_file_is_read_without_the_journal_of_the_later_version(
    path: Path, whole_writes: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        store.set_item(motion.id, 1, note="eins")  # written whole: .bak1 holds the file with the motion alone
    monkeypatch.undo()  # appending again
    with Store(path, user="anna") as store:
        store.set_item(motion.id, 1, note="zwei")
    assert _journal(path).exists()
    path.write_bytes(path.with_name("data.json.bak1").read_bytes())  # restoring, as the README says
    with Store(path, user="bert") as store:
        assert store.get(motion.id).items[0].note == ""
        store.set_item(motion.id, 2, note="neu")
    with Store(path, user="carl") as store:
        assert [item.note for item in store.get(motion.id).items] == ["", "neu"]
        assert store.generation == 2


def test_backups_rotate_and_hold_previous_versions(path: Path, whole_writes: None) -> None:
    with Store(path, user="anna", backups=2) as store:
        motion = store.add_motion(_motion())
        versions = [path.read_bytes()]
        for note in ("eins", "zwei", "drei"):
            store.set_item(motion.id, 1, note=note)
            versions.append(path.read_bytes())
    assert path.with_name("data.json.bak1").read_bytes() == versions[-2]
    assert path.with_name("data.json.bak2").read_bytes() == versions[-3]
    assert not path.with_name("data.json.bak3").exists()


def test_stale_temp_files_of_crashed_writers_are_removed(path: Path) -> None:
    stale = [path.with_name(".data.json.99999.deadbeef.tmp"), path.with_name(".data.json.99999.cafe0123.index.tmp")]
    for leftover in stale:
        leftover.write_bytes(b"half a file")
    with Store(path, user="anna") as store:
        store.add_motion(_motion())
    assert not any(leftover.exists() for leftover in stale)
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []


def _stored(path: Path) -> dict[str, bytes]:
    """Every file of the store but the lock, by name: what 'unchanged, byte for byte' compares."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.suffix != ".lock"}


@pytest.mark.parametrize(
    "how, call, said",
    [
        ("appended to the journal", "fdatasync", "data.json.journal: cannot write the journal of the data file"),
        # os.replace fails first where the backups rotate, before the file is touched, and says so
        ("written whole", "replace", "data.json.bak2: cannot keep the backup of the data file"),
    ],
)
def test_a_failed_write_leaves_the_file_and_the_store_consistent(
    path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, how: str, call: str, said: str
) -> None:
    if how == "written whole":
        request.getfixturevalue("whole_writes")
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        store.set_item(motion.id, 2, note="vorher")
        before = _stored(path)

        def disk_full(*args: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        # A full disk cannot be had here on demand; the OS call is replaced for this one edit.
        with monkeypatch.context() as patch:
            patch.setattr(os, call, disk_full)
            with pytest.raises(StoreFileError) as failed:
                store.set_item(motion.id, 1, note="geht nicht")
        assert failed.value.render("en") == f"{path.parent}/{said}: No space left on device."
        assert _stored(path) == before
        assert store.get(motion.id).items[0].note == ""
        store.set_item(motion.id, 1, note="jetzt")
        assert store.get(motion.id).items[0].note == "jetzt"
    with Store(path, user="bert") as again:
        assert [item.note for item in again.get(motion.id).items] == ["jetzt", "vorher"]


def test_a_file_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with Store(tmp_path / "nope" / "data.json", user="anna") as store:
        assert store.motions() == []
        with pytest.raises(StoreFileError, match="folder does not exist"):
            store.add_motion(_motion())
    assert not (tmp_path / "nope").exists()


BAD_FILES = {
    "an empty file": (b"", "the file is empty. Restore a backup (data.json.bak1)"),
    "only blanks": (b"  \n", "the file is empty"),
    "truncated JSON": (b'{"sachstand":{"schema":1,"generation":3},"motions":{"a', "not valid JSON"),
    "not UTF-8": (b'{"sachstand":{"schema":1,"generation":1},"motions":{"\xff":{}}}', "not valid JSON"),
    "another program's JSON": (b'{"_default": {"1": {"x": 1}}}', "not a Sachstand data file"),
    "a JSON list": (b"[1, 2, 3]", "not a Sachstand data file"),
    "a newer version": (b'{"sachstand":{"schema":99,"generation":1},"motions":{}}', "newer Sachstand"),
    "a broken header": (b'{"sachstand":{"schema":"eins","generation":1}}', "broken header"),
    "a table that is not an object": (
        b'{"sachstand":{"schema":1,"generation":1},"motions":[]}',
        "not an object of documents",
    ),
    "an invalid motion": (
        b'{"sachstand":{"schema":1,"generation":1},"motions":{"6f1c0b8e-3f7e-4b7a-9a55-6d1f1c2a9e01":'
        b'{"id":"6f1c0b8e-3f7e-4b7a-9a55-6d1f1c2a9e01","title":"T","submitted":"2020-13-45","items":[]}}}',
        "submitted: expected a date",
    ),
    "a title with an escape code": (
        b'{"sachstand":{"schema":1,"generation":1},"motions":{"6f1c0b8e-3f7e-4b7a-9a55-6d1f1c2a9e01":'
        b'{"id":"6f1c0b8e-3f7e-4b7a-9a55-6d1f1c2a9e01","title":"\\u001b[2J","items":[]}}}',
        "control character",
    ),
}


@pytest.mark.parametrize("content, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_with_its_name_and_never_touched(path: Path, content: bytes, message: str) -> None:
    path.write_bytes(content)
    stat = path.stat()
    with Store(path, user="anna") as store:
        with pytest.raises(StoreFileError) as refused:
            store.motions()
        assert message in str(refused.value)
        assert str(path) in str(refused.value)
        with pytest.raises(StoreFileError):
            store.add_motion(_motion())
    assert path.read_bytes() == content
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in path.parent.iterdir()) == ["data.json", "data.json.lock"]


def test_an_older_file_is_migrated_on_open_and_written_on_the_next_edit(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
    version_one = path.read_bytes()

    def rename_committee_field(tables: dict) -> dict:
        for document in tables["motions"].values():
            document["committee"] = document["committee"] or "Kreisausschuss"
        return tables

    newer = migrations.SCHEMA_VERSION + 1
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", newer)
    monkeypatch.setattr("store.file.storage.SCHEMA_VERSION", newer)
    monkeypatch.setitem(migrations.MIGRATIONS, newer - 1, rename_committee_field)
    with Store(path, user="anna") as store:
        assert store.get(motion.id).committee == "Kreisausschuss"
        assert path.read_bytes() == version_one  # opening alone changes nothing
        store.set_item(motion.id, 1, note="migriert")
    assert path.read_bytes().startswith(b'{"sachstand":{"schema":%d,' % newer)  # written whole, not appended
    assert path.with_name("data.json.bak1").read_bytes() == version_one
    assert not _journal(path).exists()


def test_a_file_in_the_older_format_is_parsed_once_not_on_every_read(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 3)
    monkeypatch.setattr("store.file.storage.SCHEMA_VERSION", 3)
    monkeypatch.setitem(migrations.MIGRATIONS, 2, lambda tables: tables)
    storage = AtomicJSONStorage(path)
    first = storage.read()
    parses = []
    monkeypatch.setattr(storage, "_parse_file", lambda handle: parses.append(1))  # instrumentation, not a fake
    assert storage.read() is first and storage.read() is first
    assert parses == []
    assert motion.id in first["motions"]


def test_a_new_version_keeps_the_files_permissions(path: Path) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        path.chmod(0o660)  # shared with the office's group
        store.set_item(motion.id, 1, note="x")
    assert path.stat().st_mode & 0o777 == 0o660


def _complete_motion() -> Motion:
    """A motion with every field set, as the store writes it: what the quick path of validation reads."""
    return Motion(
        id=new_motion_id(),
        title="Radwegekonzept",
        reference="DS 3/2026",
        items=new_items(["Bestand", "Förderung"]),
        submitted_by=("Fraktion der CDU", "SPD-Fraktion"),
        copy_to=("Fraktion FW",),
        committee="Kreisausschuss",
        text="Zeile 1\nZeile 2",
        source="https://example.org/antrag",
    )


HAND_EDITS = {
    "an escape code in an item's department": (
        ["items", 0, "department"],
        "\x1b[2J",
        "items[0].department: contains a control character",
    ),
    "a line break in a group": (["submitted_by", 1], "CDU\nFDP", "submitted_by[1]: must be a single line"),
    "a right-to-left override in a note": (
        ["items", 1, "note"],
        "ok \u202e",
        "items[1].note: contains a control character (U+202E)",
    ),
    "an empty item title": (["items", 1, "title"], "  ", "items[1].title: must not be empty"),
    "a week date": (["items", 1, "due"], "2026-W01-1", "items[1].due: expected a date YYYY-MM-DD"),
    "an unknown status": (["items", 0, "status"], "fertig", "items[0].status: unknown status 'fertig'"),
    "a number for a text": (["committee"], 5, "committee: expected text, got 5"),
    "true for an item number": (["items", 0, "number"], True, "items[0].number: expected an item number"),
    "a time without a zone": (["updated"], "2026-01-01T10:00:00", "updated: expected a date and time"),
    "an over-long reference": (["reference"], "x" * 201, "reference: longer than 200 characters"),
}


@pytest.mark.parametrize("place, value, message", HAND_EDITS.values(), ids=HAND_EDITS.keys())
def test_a_hand_edited_motion_is_refused_naming_file_motion_and_field(
    path: Path, place: list, value: object, message: str
) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_complete_motion())
        store.add_motion(_complete_motion())
        data = orjson.loads(path.read_bytes())
        target = data["motions"][motion.id]
        for key in place[:-1]:
            target = target[key]
        target[place[-1]] = value
        path.write_bytes(orjson.dumps(data))
        for opened in (store, Store(path, user="bert")):  # noticed by a store that was open, and on opening
            with pytest.raises(StoreFileError) as refused:
                opened.motions()
            assert f"{path}: motion {motion.id}.{message}" in str(refused.value)


def test_a_label_where_the_file_has_a_status_name_is_still_read(path: Path) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_complete_motion())
    data = orjson.loads(path.read_bytes())
    data["motions"][motion.id]["items"][0]["status"] = "erledigt"
    path.write_bytes(orjson.dumps(data))
    with Store(path, user="anna") as store:
        assert store.get(motion.id).items[0].status == "done"
