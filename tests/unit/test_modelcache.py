"""The models kept between starts (store/modelcache.py): taken only for the very line they were built from, and
read as the file reads; a cache that is stale, damaged, of another shape or not the user's alone is not used."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import orjson
import pytest

from store import ItemStatus, Store, modelcache
from store.edit import live, replaced_by
from store.exchange.generate import generate_motions
from store.file.journal import Base
from store.file.names import StoreFiles
from store.file.offsets import read_offsets
from store.folding import Haystacks, haystacks
from store.history import CREATE
from store.modelcache import ModelCache, models_kept
from store.store import CACHE_FROM

from helpers.folding import folded_haystacks
from helpers.parses import parses_counted
from helpers.stored import whole_writes

MOTIONS = CACHE_FROM + 100


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def path(tmp_path: Path, cache: Path) -> Path:
    """A store of more motions than the cache takes, written whole, then a few edits and a deletion (journal)."""
    path = tmp_path / "sachstand.json"
    with Store(path, user="anna") as store:
        with store.transaction() as tx:
            for motion in generate_motions(MOTIONS, today=date(2026, 12, 1)):
                tx.apply(motion.id, CREATE, replaced_by(live(motion)))
        motions = store.motions()
        store.set_item(motions[3].id, 1, status=ItemStatus.DONE, note="Erledigt.")
        store.delete_motion(motions[4].id)
    return path


def _read(path: Path) -> tuple[list[object], object]:
    """The motions of a new handle on the store, and what it would keep of them (None: it read them from the cache)."""
    with Store(path, user="anna") as store:
        return store.motions(), store.keep_models(Haystacks({}, {}))


def _kept(path: Path) -> None:
    """The models kept, and the search's haystacks of them."""
    with Store(path, user="anna") as store:
        motions = store.motions()
        keep = store.keep_models(folded_haystacks(motions))
        assert keep is not None
        keep()


def _cache_file(path: Path) -> Path:
    return ModelCache(StoreFiles.of(path)).path


def test_the_models_kept_are_read_back_equal_with_what_the_store_learnt_of_each_line(path: Path, cache: Path) -> None:
    before, keep = _read(path)
    assert keep is not None  # read from the file: the models can be kept
    _kept(path)
    assert _cache_file(path).is_relative_to(cache) and _cache_file(path).stat().st_mode & 0o777 == 0o600
    after, keep = _read(path)
    assert keep is None  # read from the cache: nothing to keep again
    assert after == before and len(after) == MOTIONS - 1
    with Store(path, user="anna") as store:
        assert store.history() != [] and store.history() == Store(path, user="anna").history()


def test_the_search_haystacks_kept_are_offered_with_the_models_read_from_the_cache_and_taken_once(path: Path) -> None:
    _kept(path)
    with Store(path, user="bert") as store:
        changed = store.motions()[10]
        store.set_item(changed.id, 1, note="Neu")  # its line is patched: its model and haystack are made anew
    with Store(path, user="anna") as store:
        motions = store.motions()
        kept = store.kept_haystacks()
        assert store.kept_haystacks() == ({}, {})  # taken
    models = {motion.id: motion for motion in motions}
    assert kept.made_of.keys() == kept.texts.keys()
    assert len(kept.texts) > MOTIONS - 5 and changed.id not in kept.texts  # the journal's aside
    assert all(motion is models[key] for key, motion in kept.made_of.items())
    assert list(kept.texts.values()) == haystacks(list(kept.made_of.values()))


def test_a_whole_write_after_a_read_from_the_cache_writes_what_a_read_from_the_file_writes_parsing_no_line(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole write copies each line as it is, with what the store learnt of it when it parsed it (its history's
    seqs, reference, deletion: the sidecar's facts); from the cache it learns them without parsing a line."""
    whole_writes(monkeypatch)
    copy = tmp_path / "copy.json"
    copy.write_bytes(path.read_bytes())
    Path(f"{copy}.journal").write_bytes(Path(f"{path}.journal").read_bytes())
    _kept(path)
    parses = parses_counted(monkeypatch)
    written = []
    for store_path in (path, copy):  # the first from the cache, the second parsed
        parses.clear()
        with Store(store_path, user="anna", clock=lambda: datetime(2026, 12, 1, 9, tzinfo=UTC)) as store:
            motion = store.motions()[7]
            store.set_item(motion.id, 1, status=ItemStatus.IN_PROGRESS)
        written.append([file.read_bytes().split(b"\n", 1)[1] for file in (store_path, Path(f"{store_path}.offsets"))])
        if store_path == path:
            assert len(parses) <= 3  # the motion edited and the journal's two, not every line
    assert written[0] == written[1]  # the data file and its sidecar, but for the header's stamp
    assert len(parses) > MOTIONS - 5  # read from the file: every line but the few the journal holds


def test_a_line_changed_since_is_parsed_and_checked_not_taken_from_the_cache(path: Path) -> None:
    _kept(path)
    with Store(path, user="bert") as store:
        motion = store.motions()[10]
        store.set_item(motion.id, 1, note="Neu")  # the journal patches its line
    motions, _keep = _read(path)
    assert next(m for m in motions if m.id == motion.id).items[0].note == "Neu"


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda file: file.write_bytes(file.read_bytes()[:-100]), id="cut short"),
        pytest.param(lambda file: file.write_bytes(file.read_bytes()[:-100] + b"x" * 100), id="damaged"),
        pytest.param(lambda file: file.write_bytes(b""), id="empty"),
        pytest.param(lambda file: file.chmod(0o620), id="writable by the group"),
    ],
)
def test_a_cache_damaged_or_not_the_users_alone_is_not_used(path: Path, spoil: object) -> None:
    before, _keep = _read(path)
    _kept(path)
    spoil(_cache_file(path))  # type: ignore[operator]
    after, keep = _read(path)
    assert after == before and keep is not None  # read from the file, and kept anew


def test_a_cache_of_another_shape_of_the_models_is_not_used(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, _keep = _read(path)
    with monkeypatch.context() as patched:
        patched.setattr("store.modelcache._SHAPE", ("a program with other fields",))
        _kept(path)
    after, keep = _read(path)
    assert after == before and keep is not None


def test_a_file_written_over_in_place_is_read_anew(path: Path) -> None:
    """A person's editor writes the file where it is, the same length: its version (size and time) tells."""
    _kept(path)
    content = path.read_bytes()
    old = b'"title":"' + content.split(b'"title":"', 2)[1].split(b'"', 1)[0] + b'"'
    new = b'"title":"' + bytes(reversed(old[9:-1])) + b'"'
    path.write_bytes(content.replace(old, new, 1))
    motions, keep = _read(path)
    assert keep is not None and new[9:-1].decode() in {motion.title for motion in motions}


def test_after_a_whole_write_only_the_lines_it_changed_are_parsed_and_the_models_are_kept_again(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole write (a pull, an import, a journal grown full) copies the lines it does not change: the next
    read finds their models by their bytes, at their new places, and keeps them for the new version."""
    assert not models_kept(path)
    _kept(path)
    assert models_kept(path)
    whole_writes(monkeypatch)
    with Store(path, user="anna") as store:  # a whole write: a new version of the file, its lines moved
        first, deleted = store.motions()[0], store.motions()[20]
        store.update_motion(first.id, title=f"{first.title}, neu geschrieben")
        store.delete_motion(deleted.id)
    assert not models_kept(path) and models_kept(path, exact=False)
    copy = tmp_path / "copy.json"  # no cache for it: every line parsed
    copy.write_bytes(path.read_bytes())
    parses = parses_counted(monkeypatch)
    motions, keep = _read(path)
    # The motion rewritten, the one the journal had patched when the models were kept, and the two deleted (of a
    # deletion no model is kept): of 600 lines.
    assert len(parses) == 4
    assert motions == _read(copy)[0] and keep is not None  # kept again, for this version
    assert motions[0].title.endswith(", neu geschrieben") and deleted.id not in {motion.id for motion in motions}
    with Store(path, user="anna") as store:
        store.motions()
        assert len(store.kept_haystacks().texts) == len(motions) - 2  # but the rewritten, and the one patched then
        keep = store.keep_models(folded_haystacks(store.motions()))
        assert keep is not None
        keep()
    assert models_kept(path) and _read(path)[1] is None
    assert store.history() == Store(copy, user="anna").history()


def _digests(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The lines whose bytes the cache digests from now on."""
    digests: list[object] = []
    monkeypatch.setattr(
        modelcache, "_digest", lambda line, digest=modelcache._digest: digests.append(line) or digest(line)
    )
    return digests


def _written_whole(path: Path, monkeypatch: pytest.MonkeyPatch, title: str) -> str:
    """The data file written whole by a handle of its own, the title of its first motion changed; that motion's id."""
    with monkeypatch.context() as patched, Store(path, user="anna") as store:
        whole_writes(patched)
        first = store.motions()[0]
        store.update_motion(first.id, title=title)
    return first.id


def test_after_a_whole_write_the_lines_it_copied_are_taken_by_its_sidecar_without_reading_them(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole write says in its sidecar which lines it copied as they were, and from which version of the file:
    the models kept for that version are theirs. Only the lines it changed are read and parsed."""
    _kept(path)
    changed = _written_whole(path, monkeypatch, "Neu geschrieben")
    copy = tmp_path / "copy.json"
    copy.write_bytes(path.read_bytes())
    digests, parses = _digests(monkeypatch), parses_counted(monkeypatch)
    motions, keep = _read(path)
    assert digests == []
    # The motion rewritten, the one the journal had patched when the models were kept, and the deleted one.
    assert len(parses) == 3
    assert motions == _read(copy)[0] and keep is not None
    assert next(motion for motion in motions if motion.id == changed).title == "Neu geschrieben"


def _claim_spoilt(path: Path, **spoilt: object) -> None:
    """The sidecar's word on what the whole write copied (store/file/offsets.py Copied) of another form."""
    offsets = Path(f"{path}.offsets")
    head, rest = offsets.read_bytes().split(b"\n", 1)
    header = orjson.loads(head)
    header["copied"].update(spoilt)
    offsets.write_bytes(orjson.dumps(header) + b"\n" + rest)


def _claim_damaged(path: Path) -> None:
    _claim_spoilt(path, fresh=["x", 0])


@pytest.mark.parametrize(
    "spoilt", [{"fresh": 7}, {"fresh": [-1]}, {"fresh": [True]}, {"written": "now"}, {"written": [1]}, {"from": 7}]
)
def test_a_sidecar_whose_word_on_what_was_copied_is_of_another_form_is_used_without_it(
    path: Path, monkeypatch: pytest.MonkeyPatch, spoilt: dict[str, object]
) -> None:
    _written_whole(path, monkeypatch, "Neu geschrieben")
    _claim_spoilt(path, **spoilt)
    header = orjson.loads(path.read_bytes().split(b"\n", 1)[0][len(b'{"sachstand":') :])
    offsets = read_offsets(StoreFiles.of(path), Base(**header), path.stat().st_size)
    assert offsets is not None and offsets.copied is None


def _written_over_in_place(path: Path) -> None:
    """A person's editor writes the file where it is, the same length: the sidecar still says where each line lies,
    but what the whole write copied it says of the file it wrote, not of this one."""
    content = path.read_bytes()
    old = content.split(b'"title":"', 3)[2].split(b'"', 1)[0]
    path.write_bytes(content.replace(b'"title":"' + old + b'"', b'"title":"' + old.swapcase() + b'"', 1))


def _written_whole_again(path: Path) -> None:
    """Written whole a second time, from the version the first whole write wrote: not the version kept."""
    with Store(path, user="anna") as store:
        store.update_motion(store.motions()[1].id, title="Zweimal geschrieben")


@pytest.mark.parametrize("after", [_claim_damaged, _written_over_in_place, _written_whole_again])
def test_where_the_sidecar_cannot_say_what_the_whole_write_copied_the_lines_are_matched_by_their_bytes(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: object
) -> None:
    _kept(path)
    _written_whole(path, monkeypatch, "Neu geschrieben")
    with monkeypatch.context() as patched:
        whole_writes(patched)
        after(path)  # type: ignore[operator]
    copy = tmp_path / "copy.json"  # no cache for it: every line parsed
    copy.write_bytes(path.read_bytes())
    digests = _digests(monkeypatch)
    motions, _keep = _read(path)
    assert len(digests) > MOTIONS // 2
    assert motions == _read(copy)[0]


def test_a_line_of_the_same_length_with_other_bytes_in_a_new_version_is_parsed(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kept(path)
    whole_writes(monkeypatch)
    with Store(path, user="anna") as store:
        motion = store.motions()[5]
        store.update_motion(motion.id, title=motion.title.swapcase())  # its line as long, at the same place
    motions, keep = _read(path)
    assert next(m for m in motions if m.id == motion.id).title == motion.title.swapcase() and keep is not None


def test_a_cache_kept_for_another_data_file_is_not_used(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kept(path)
    moved = tmp_path / "moved.json"
    path.rename(moved)
    _cache_file(path).rename(_cache_file(moved))  # as if kept for the file now at this path
    parses = parses_counted(monkeypatch)
    _motions, keep = _read(moved)
    assert keep is not None and len(parses) > MOTIONS - 5


def test_a_cache_folder_that_cannot_be_written_keeps_nothing_and_leaves_nothing(path: Path, cache: Path) -> None:
    cache.parent.mkdir(exist_ok=True)
    cache.write_text("not a folder")
    _kept(path)
    assert cache.read_text() == "not a folder"
    motions, keep = _read(path)
    assert len(motions) == MOTIONS - 1 and keep is not None


def test_a_small_store_keeps_nothing(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "small.json"
    with Store(path, user="anna") as store:
        with store.transaction() as tx:
            for motion in generate_motions(CACHE_FROM - 1):
                tx.apply(motion.id, CREATE, replaced_by(live(motion)))
        store.motions()
        assert store.keep_models(Haystacks({}, {})) is None
    assert not cache.exists()


def _temps(folder: Path) -> Iterator[Path]:
    return folder.rglob("*.tmp") if folder.exists() else iter(())


def test_two_dashboards_keeping_at_once_leave_one_cache_and_no_temp_file(path: Path, cache: Path) -> None:
    keeps = []
    for _dashboard in range(2):  # both read the store before either kept its models
        with Store(path, user="anna") as store:
            store.motions()
            keeps.append(store.keep_models(Haystacks({}, {})))
    for keep in keeps:
        assert keep is not None
        keep()
    assert [file.name for file in (cache / "sachstand" / "models").iterdir()] == [_cache_file(path).name]
    assert list(_temps(cache)) == []
    assert _read(path)[1] is None  # and it is used


def test_keeping_removes_the_caches_no_start_can_use_and_leaves_the_rest(
    path: Path, tmp_path: Path, cache: Path
) -> None:
    """A cache is about as large as its data file: one of a store moved or deleted, a damaged one, or the temp file
    of a keep that ended before its rename would stay for good. Files of others' and stores still there stay."""
    other, gone = tmp_path / "other.json", tmp_path / "gone.json"
    for copy in (other, gone):
        copy.write_bytes(path.read_bytes())
        _kept(copy)
    gone.unlink()
    folder = _cache_file(path).parent
    damaged, foreign = folder / "damaged.models", folder / "notes.txt"
    damaged.write_bytes(b"\x05\x00\x00\x00\x00\x00\x00\x00")
    foreign.write_text("not the cache's")
    abandoned, writing = folder / ".left.1.ab.tmp", folder / ".written.2.cd.tmp"
    abandoned.write_bytes(b"half a cache")
    writing.write_bytes(b"a keep under way")
    an_hour_ago = time.time() - 3601
    os.utime(abandoned, (an_hour_ago, an_hour_ago))
    _kept(path)
    assert sorted(entry.name for entry in folder.iterdir()) == sorted(
        [_cache_file(path).name, _cache_file(other).name, foreign.name, writing.name]
    )
    assert _read(other)[1] is None  # still used
