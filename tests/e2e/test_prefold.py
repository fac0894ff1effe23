"""The search's haystacks folded by a child process while the dashboard reads the store (store/file/prefold.py):
a real child on real files; taken only for a motion built from the very line the child read."""

from __future__ import annotations

import os
import time
from functools import partial
from pathlib import Path

import orjson
import pytest

from store import Prefold, Store, haystacks, models_kept, prefolded
from store.exchange.generate import generate_motions
from store.store import CACHE_FROM
from tui.app import SachstandApp
from tui.search import Searcher

from helpers.dashboard import until
from helpers.folding import folded_haystacks
from helpers.held import HeldRead
from helpers.stored import whole_writes

MOTIONS = 120


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as store:
        store.import_motions(generate_motions(MOTIONS, seed=7), managed=())
    return path


def _folded(path: Path) -> Prefold:
    child = Prefold(path)
    for _ in range(600):
        if child.folded() is not False:
            return child
        time.sleep(0.05)
    raise AssertionError("the child did not finish")


def _taken(store: Store, child: Prefold) -> dict[str, bytes]:
    folded = child.folded()
    assert folded
    return {key: text for key, _motion, text in prefolded(store, folded)}


def test_the_child_folds_every_motion_of_the_file_as_the_dashboard_would(path: Path) -> None:
    child = _folded(path)
    with Store(path, user="anna") as store:
        motions = store.motions()
        taken = _taken(store, child)
        assert taken == dict(zip([motion.id for motion in motions], haystacks(motions)))
        assert len(taken) == MOTIONS
        assert all(motion is store.get(key) for key, motion, _text in prefolded(store, child.folded()))  # type: ignore[arg-type]


def test_a_motion_changed_since_the_file_was_written_is_folded_by_the_search(path: Path) -> None:
    child = _folded(path)
    with Store(path, user="bert") as other:  # another process's edit, through the journal
        changed = other.motions()[5]
        other.update_motion(changed.id, title="Fahrradstraße am Kanal")
    with Store(path, user="anna") as store:
        motions = store.motions()
        taken = _taken(store, child)
        assert changed.id not in taken and len(taken) == MOTIONS - 1
        searcher = Searcher()
        searcher.adopt(lambda: prefolded(store, child.folded()))  # type: ignore[arg-type]
        assert [motion.id for motion in searcher.filter(motions, "FAHRRADSTRASSE")] == [changed.id]
        assert searcher.filter(motions, "kreis") == Searcher().filter(motions, "kreis")


def test_a_file_replaced_since_the_child_read_it_gives_nothing(path: Path) -> None:
    child = _folded(path)
    copy = path.with_name("copy.json")
    copy.write_bytes(path.read_bytes())
    os.utime(copy, ns=(time.time_ns(), time.time_ns() + 10**9))  # a backup copied over it: another version
    os.replace(copy, path)
    with Store(path, user="anna") as store:
        store.motions()
        assert _taken(store, child) == {}


def test_a_file_not_written_a_motion_a_line_is_left_to_the_dashboard(path: Path) -> None:
    path.write_bytes(orjson.dumps(orjson.loads(path.read_bytes())))  # valid JSON, laid out otherwise
    assert _folded(path).folded() is None


def test_a_child_stopped_early_is_gone(path: Path) -> None:
    child = Prefold(path)
    child.stop()
    assert child._process.returncode is not None
    for _ in range(100):
        if child.folded() is not False:
            break
        time.sleep(0.01)
    assert child.folded() is None


_until = partial(until, seconds=6.0)  # the folding child starts a Python of its own


def _app(path: Path, held_read: HeldRead) -> SachstandApp:
    app = held_read.until_stopped(SachstandApp(Store(path, user="anna"), "de", poll_interval=3600, live=False))
    app.preview_from = 0  # type: ignore[attr-defined]  # this small store is read in the background, as a large one is
    app.prefolding.least = 0  # type: ignore[attr-defined]  # and its search's texts folded by a child,
    app.prefolding.idle_core = lambda: True  # type: ignore[attr-defined]  # however busy the machine is
    return app  # type: ignore[return-value]


async def test_the_dashboard_searches_with_the_childs_haystacks_and_leaves_no_child(
    path: Path, held_read: HeldRead
) -> None:
    app = _app(path, held_read)
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: app.prefolding._child is not None)
        child = app.prefolding._child
        assert child is not None and app.loading
        await _until(pilot, lambda: child.folded() is not False)
        held_read.release()  # the store is read after the child is done: the first keystroke takes its haystacks
        await _until(pilot, lambda: not app.loading)
        main = app.main
        main.query_text = "amt"
        main.show_data()
        folded = child.folded()
        assert folded  # the search's haystacks are the very ones the child sent
        sent = {key: text for keys, _starts, texts in folded[1] for key, text in zip(keys, texts)}
        assert len(sent) == MOTIONS and all(main.searcher._texts[key] is text for key, text in sent.items())
        assert main.motion_list.row_count == len(Searcher().filter(app.store.motions(), "amt")) > 0
    assert child._process.returncode is not None


async def test_a_dashboard_that_quits_while_the_child_folds_ends_it(path: Path, held_read: HeldRead) -> None:
    app = _app(path, held_read)
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: app.prefolding._child is not None)
        child = app.prefolding._child
    assert child is not None and child._process.returncode is not None


async def test_a_store_under_the_prefolding_size_starts_no_child(path: Path, held_read: HeldRead) -> None:
    app = _app(path, held_read)
    app.prefolding.least = MOTIONS + 1  # the index counts MOTIONS: the search folds them itself
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: app.preview_total == MOTIONS and any(w.group == "load" for w in app.workers))
        assert app.loading and app.prefolding._child is None  # the read began without one
        held_read.release()
        await _until(pilot, lambda: not app.loading)
        assert app.prefolding._child is None
        app.main.query_text = "amt"
        app.main.show_data()
        assert app.main.motion_list.row_count == len(Searcher().filter(app.store.motions(), "amt")) > 0


async def test_no_child_where_no_core_is_idle(path: Path, held_read: HeldRead) -> None:
    app = _app(path, held_read)
    app.prefolding.idle_core = lambda: False  # every core busy: the read would lose by a child
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: any(w.group == "load" for w in app.workers))
        assert app.loading and app.prefolding._child is None


@pytest.mark.parametrize("written_whole", [False, True], ids=["as it is", "written whole since"])
async def test_no_child_where_the_models_are_kept_for_the_file(
    tmp_path: Path, held_read: HeldRead, monkeypatch: pytest.MonkeyPatch, written_whole: bool
) -> None:
    """The read takes the haystacks kept with the models (store/modelcache.py): a child would fold them again. After
    a whole write (a pull, an import, a journal grown full), of every line it copied; the search folds the rest."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "kept.json"
    with Store(path, user="anna") as store:
        store.import_motions(generate_motions(CACHE_FROM, seed=7), managed=())
    with Store(path, user="anna") as store:  # as the next dashboard reads it
        motions = store.motions()
        keep = store.keep_models(folded_haystacks(motions))
        assert keep is not None
        keep()
    assert models_kept(path)
    if written_whole:
        with monkeypatch.context() as patched, Store(path, user="anna") as store:
            whole_writes(patched)
            store.update_motion(motions[5].id, title="Zauberwort im Titel")
        assert not models_kept(path) and models_kept(path, exact=False)
    app = _app(path, held_read)
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: any(w.group == "load" for w in app.workers))
        assert app.loading and app.prefolding._child is None
        held_read.release()
        await _until(pilot, lambda: not app.loading)
        for query in ("amt", "zauberwort"):
            app.main.query_text = query
            app.main.show_data()
            assert app.main.motion_list.row_count == len(Searcher().filter(app.store.motions(), query))
        assert app.main.motion_list.row_count == written_whole
        assert app.main.searcher.folded().texts.keys() == {motion.id for motion in motions}
