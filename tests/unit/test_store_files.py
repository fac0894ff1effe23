"""The files of one store (store/file/names.py): the data file and every companion beside the real file,
whatever link it is reached through; a data file lost beside its journal or backups refused, never
started over; a companion that is no file (a folder in its place) refused with its name, data untouched."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from store import Motion, Store, StoreFileError, new_items, new_motion_id
from store.file.names import StoreFiles


def _motion(title: str = "Radwegekonzept") -> Motion:
    return Motion(id=new_motion_id(), title=title, items=new_items(["Bestand", "Förderung"]))


def _whole_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every transaction rewrites the file: as when the journal has grown past its share of it."""
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
    monkeypatch.setattr("store.file.storage.JOURNAL_SHARE", 10**9)


def _everything(folder: Path) -> dict[str, bytes | str]:
    """Every entry of a folder: a file's bytes, a link's target, a folder as such."""
    found: dict[str, bytes | str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            found[entry.name] = f"-> {os.readlink(entry)}"
        elif entry.is_dir():
            found[entry.name] = "folder"
        else:
            found[entry.name] = entry.read_bytes()
    return found


# --- 1. a store reached through links is one store -------------------------------------------


@pytest.mark.parametrize("target", ["absolute", "relative"])
def test_two_links_to_one_file_are_one_store_and_stay_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    shared = tmp_path / "shared" / "data.json"
    shared.parent.mkdir()
    links = []
    for name in ("anna", "bert"):
        (tmp_path / name).mkdir()
        link = tmp_path / name / "data.json"
        link.symlink_to(shared if target == "absolute" else Path("..") / "shared" / "data.json")
        links.append(link)
    pointed = [os.readlink(link) for link in links]
    # The links are made before the store is: the first write creates the real file, not one beside a link.
    with Store(links[0], user="anna") as anna, Store(links[1], user="bert") as bert:
        motion = anna.add_motion(_motion())
        assert bert.get(motion.id).title == "Radwegekonzept"
        bert.set_item(motion.id, 1, note="von Bert")  # appended to the journal
        assert anna.get(motion.id).items[0].note == "von Bert"
        with monkeypatch.context() as patch:
            _whole_writes(patch)
            anna.set_item(motion.id, 2, note="von Anna")  # the file written whole: replaced, the link kept
            bert.set_item(motion.id, 1, note="wieder Bert")
        anna.set_item(motion.id, 2, note="Anna zuletzt")
        assert bert.get(motion.id).items[1].note == "Anna zuletzt"
        assert anna.get(motion.id).items[0].note == "wieder Bert"
        assert anna.path == bert.path == shared
    for link, before in zip(links, pointed, strict=True):
        assert link.is_symlink() and os.readlink(link) == before
        assert os.listdir(link.parent) == ["data.json"]  # no journal, lock, backup or index beside a link
    assert {"data.json", "data.json.journal", "data.json.lock", "data.json.bak1"} <= set(os.listdir(shared.parent))
    with Store(shared, user="carla") as carla:
        assert [item.note for item in carla.get(motion.id).items] == ["wieder Bert", "Anna zuletzt"]


def test_a_link_to_a_linked_folder_and_a_relative_path_name_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real)
    monkeypatch.chdir(tmp_path / "alias")
    files = StoreFiles.of("data.json")
    assert files == StoreFiles.of(real / "data.json") == StoreFiles.of(tmp_path / "alias" / "data.json")
    assert files.journal == real / "data.json.journal" and files.lock == real / "data.json.lock"


# --- 5. a data file lost beside what is left of its store ------------------------------------


@pytest.mark.parametrize("name", ["data.json", "akte [2026].json"])  # brackets: a pattern's characters
def test_a_missing_data_file_beside_its_journal_and_backups_is_refused_naming_the_newest_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = tmp_path / name
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        with monkeypatch.context() as patch:
            _whole_writes(patch)
            store.set_item(motion.id, 1, note="gesichert")
            store.set_item(motion.id, 1, note="noch einmal")
        store.set_item(motion.id, 2, note="im Journal")
    path.unlink()
    left = _everything(tmp_path)
    assert {f"{name}.journal", f"{name}.bak1", f"{name}.bak2"} <= set(left)
    for attempt in (
        lambda store: store.motions(),
        lambda store: store.add_motion(_motion("Neu")),
        lambda store: store.preview(),
    ):
        with Store(path, user="bert") as store, pytest.raises(StoreFileError) as refused:
            attempt(store)
            store.motions()  # the preview has nothing to show: the read after it says why
        said = refused.value.render("en")
        assert said.startswith(f"{path} is missing, but files of its store are still there ({name}.journal, ")
        assert f"copy {tmp_path / (name + '.bak1')} to {path}" in said
        assert "Datei" in refused.value.render("de")
        assert _everything(tmp_path) == left  # nothing written, nothing deleted
    shutil.copy(tmp_path / f"{name}.bak1", path)  # what the message says to do
    with Store(path, user="bert") as store:
        assert store.get(motion.id).items[0].note == "gesichert"


def test_a_missing_data_file_beside_its_journal_alone_is_refused_naming_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        store.set_item(motion.id, 1, note="im Journal")
    path.unlink()
    left = _everything(tmp_path)
    with Store(path, user="bert") as store, pytest.raises(StoreFileError) as refused:
        store.add_motion(_motion("Neu"))
    assert refused.value.render("en").startswith(f"{path} is missing, but its journal {path}.journal is still there")
    assert _everything(tmp_path) == left


def test_a_lock_an_index_and_the_offsets_alone_are_no_store_and_a_new_one_starts(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as store:
        store.add_motion(_motion())
    for leftover in (path, tmp_path / "data.json.journal"):
        leftover.unlink(missing_ok=True)
    assert sorted(os.listdir(tmp_path)) == ["data.json.index", "data.json.lock", "data.json.offsets"]
    with Store(path, user="bert") as store:
        assert store.preview() is None and store.motions() == []
        store.add_motion(_motion("Neu"))
        assert [motion.title for motion in store.motions()] == ["Neu"]


# --- 13. a companion that is no file -----------------------------------------------------------


@pytest.mark.parametrize(
    "companion, message",
    [
        ("data.json.lock", "data.json.lock: cannot take the lock of the data file: Is a directory."),
        ("data.json.journal", "data.json.journal: cannot read the journal of the data file: Is a directory."),
    ],
)
def test_a_folder_where_the_lock_or_the_journal_belongs_is_named_and_nothing_changes(
    tmp_path: Path, companion: str, message: str
) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
    (tmp_path / companion).unlink(missing_ok=True)
    (tmp_path / companion).mkdir()
    before = _everything(tmp_path)
    with Store(path, user="anna") as store, pytest.raises(StoreFileError) as refused:
        store.set_item(motion.id, 1, note="geht nicht")
    assert refused.value.render("en") == f"{tmp_path}/{message}"
    assert _everything(tmp_path) == before


def test_a_lock_or_journal_that_is_a_link_to_itself_is_named(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
    for companion in ("data.json.lock", "data.json.journal"):
        loop = tmp_path / companion
        loop.unlink(missing_ok=True)
        loop.symlink_to(loop)
        with Store(path, user="anna") as store, pytest.raises(StoreFileError) as refused:
            store.set_item(motion.id, 1, note="geht nicht")
        assert refused.value.render("en").startswith(f"{loop}: cannot ")
        loop.unlink()


def test_a_folder_where_the_index_belongs_is_ignored_as_a_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
    (tmp_path / "data.json.index").unlink()
    (tmp_path / "data.json.index").mkdir()
    _whole_writes(monkeypatch)
    with Store(path, user="anna") as store:
        assert store.preview() is None
        store.set_item(motion.id, 1, note="trotzdem")  # a whole write, which writes the index too
        store.save_preview()
    with Store(path, user="bert") as store:
        assert store.get(motion.id).items[0].note == "trotzdem"
    assert (tmp_path / "data.json.index").is_dir()


@pytest.mark.parametrize("backups, backup", [(1, "data.json.bak1"), (2, "data.json.bak2")])
def test_a_backup_that_cannot_be_kept_stops_the_write_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backups: int, backup: str
) -> None:
    path = tmp_path / "data.json"
    _whole_writes(monkeypatch)
    with Store(path, user="anna", backups=backups) as store:
        motion = store.add_motion(_motion())
        store.set_item(motion.id, 1, note="eins")
        (tmp_path / backup).unlink(missing_ok=True)
        (tmp_path / backup).mkdir()
        (tmp_path / backup / "inside").write_text("a folder that is not empty: no file can take its name")
        before = _everything(tmp_path)
        with pytest.raises(StoreFileError) as refused:
            store.set_item(motion.id, 1, note="zwei")
        assert (
            refused.value.render("en")
            == f"{tmp_path / backup}: cannot keep the backup of the data file: Is a directory."
        )
        assert store.get(motion.id).items[0].note == "eins"
    assert _everything(tmp_path) == before


def test_a_folder_named_as_a_temp_file_does_not_stop_a_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "data.json"
    _whole_writes(monkeypatch)
    (tmp_path / ".data.json.1.ab.tmp").mkdir()
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion())
        store.set_item(motion.id, 1, note="geschrieben")
    with Store(path, user="bert") as store:
        assert store.get(motion.id).items[0].note == "geschrieben"


# --- the names themselves -----------------------------------------------------------------------


def test_the_store_names_its_companions_and_nothing_else(tmp_path: Path) -> None:
    files = StoreFiles.of(tmp_path / "data.json")
    own = ["data.json", "data.json.journal", "data.json.lock", "data.json.index", "data.json.bak1", "data.json.bak12"]
    own += [".data.json.4711.0a1b2c3d.tmp", ".data.json.4711.0a1b2c3d.index.tmp", files.temp().name]
    others = ["data.json.md", "data.json.bak", "data.json.bak0", "data.json.journal.csv", "other.json", "data.jso"]
    others += ["data.json.lock.md", ".data.json.md", "data.json.tmp"]
    assert [name for name in own if not files.holds(tmp_path / name)] == []
    assert [name for name in others if files.holds(tmp_path / name)] == []
    assert not files.holds(tmp_path / "elsewhere" / "data.json")
