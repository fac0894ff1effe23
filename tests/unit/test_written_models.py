"""The models a handle wrote the data file whole with, kept for the next read (store/file/written.py): a first pull
or a large import leaves the next start as quick as one on a file read before, and reading as a parse would."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from store import ItemStatus, Store
from store.edit import live, replaced_by
from store.exchange.generate import generate_motions
from store.file.names import StoreFiles
from store.file.written import lines_written
from store.folding import Haystacks
from store.history import CREATE
from store.modelcache import ModelCache, models_kept
from store.store import CACHE_FROM

from helpers.parses import parses_counted
from helpers.stored import whole_writes

MOTIONS = CACHE_FROM + 100
NONE_FOLDED = Haystacks({}, {})


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def _generated(store: Store, count: int = MOTIONS) -> None:
    """``count`` motions new to the store, in one transaction: as a pull's or an import's."""
    with store.transaction() as tx:
        for motion in generate_motions(count, today=date(2026, 12, 1)):
            tx.apply(motion.id, CREATE, replaced_by(live(motion)))


def _copy(path: Path, tmp_path: Path) -> Path:
    """The data file under another name: no models kept for it, every line parsed."""
    copy = tmp_path / "copy.json"
    copy.write_bytes(path.read_bytes())
    return copy


def test_the_models_written_whole_are_kept_and_the_next_read_parses_no_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sachstand.json"
    with Store(path, user="anna") as store:
        _generated(store)
        assert store.keep_models(NONE_FOLDED) is None  # none was read from a line
        keep = store.keep_models(NONE_FOLDED, written=True)
        assert keep is not None
        keep()
        written = store.motions()
    assert models_kept(path)
    parses = parses_counted(monkeypatch)
    with Store(path, user="bert") as reader:
        motions = reader.motions()
        assert parses == [] and reader.keep_models(NONE_FOLDED) is None  # taken from the cache: nothing to keep
    with Store(_copy(path, tmp_path), user="bert") as parsed:
        assert motions == parsed.motions() == written and len(parses) == MOTIONS
        assert Store(path, user="bert").history() == parsed.history()


def test_a_whole_write_after_a_read_of_the_models_kept_so_writes_what_one_after_a_parse_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the keep says a read would have learnt of each line (its reference, not deleted) is what the next whole
    write's sidecar needs: written from the cache, the data file and its sidecar are those of a parsed read."""
    path = tmp_path / "sachstand.json"
    with Store(path, user="anna") as store:
        _generated(store)
        keep = store.keep_models(NONE_FOLDED, written=True)
        assert keep is not None
        keep()
    copy = _copy(path, tmp_path)
    whole_writes(monkeypatch)
    parses = parses_counted(monkeypatch)
    written = []
    for store_path in (path, copy):
        parses.clear()
        with Store(store_path, user="anna", clock=lambda: datetime(2026, 12, 1, 9, tzinfo=UTC)) as store:
            store.set_item(store.motions()[7].id, 1, status=ItemStatus.IN_PROGRESS)
        written.append([file.read_bytes().split(b"\n", 1)[1] for file in (store_path, Path(f"{store_path}.offsets"))])
        if store_path == path:
            assert len(parses) == 1  # the motion edited alone
    assert written[0] == written[1]


def test_nothing_is_kept_of_a_few_models_written_or_of_models_the_journal_took(tmp_path: Path) -> None:
    path = tmp_path / "sachstand.json"
    with Store(path, user="anna") as store:
        _generated(store, CACHE_FROM - 1)
        assert store.keep_models(NONE_FOLDED, written=True) is None  # fewer than the cache is for
    with Store(path, user="anna") as store:
        _generated(store, MOTIONS)  # more than the file had: written whole
        store.set_item(store.motions()[0].id, 1, status=ItemStatus.DONE)  # then the journal
        assert store.files.journal.exists() and store.keep_models(NONE_FOLDED, written=True) is None
    assert not models_kept(path, exact=False)


def test_nothing_is_kept_once_another_process_wrote_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sachstand.json"
    with Store(path, user="anna") as store:
        _generated(store)
        signature, models = store._data.signature, {motion.id: motion for motion in store.motions()}
        with monkeypatch.context() as patched, Store(path, user="bert") as other:
            whole_writes(patched)
            other.update_motion(other.motions()[0].id, title="Neu geschrieben")
        assert lines_written(StoreFiles.of(path), signature, models) is None  # the lines are another file's now
        assert store.keep_models(NONE_FOLDED, written=True) is None
    assert not ModelCache(StoreFiles.of(path)).path.exists()


def test_a_command_on_one_motion_that_wrote_the_file_whole_reads_no_other_to_keep_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command asks, when it ends, whether it has models to keep (tui/cli/base.py): one on one motion whose
    write found the journal full still reads that motion alone."""
    path = tmp_path / "sachstand.json"
    with Store(path, user="anna") as store:
        _generated(store)
        reference = store.motions()[5].id
    whole_writes(monkeypatch)
    parses = parses_counted(monkeypatch)
    with Store(path, user="anna") as store:
        store.focus(reference)
        store.set_item(reference, 1, status=ItemStatus.DONE)
        parses.clear()  # what the whole write itself read
        assert store.keep_models(NONE_FOLDED, written=True) is None
    assert parses == [] and not models_kept(path, exact=False)
