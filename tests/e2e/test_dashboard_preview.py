"""A large store: the dashboard shows the list from the index at once and reads the store in a thread."""

from __future__ import annotations

import gc
from functools import partial
from pathlib import Path

import pytest

from store import Haystacks, Motion, Remote, Store, StoreFileError
from store.file.index import index_path
from store.file.names import StoreFiles
from store.modelcache import ModelCache, models_kept
from tui import search
from tui.app import SachstandApp
from tui.components.help import HelpScreen
from tui.components.sync_status import SyncStatus
from tui.format import newest_first
from tui.screens.open_items import OpenItemsScreen
from tui.showcase import TODAY, build_showcase

from helpers.dashboard import until
from helpers.held import HeldRead
from helpers.stored import whole_writes


@pytest.fixture
def path(tmp_path: Path) -> Path:
    with build_showcase(tmp_path / "data.json"):
        pass
    return tmp_path / "data.json"


def _app(path: Path, remote: Remote | None = None) -> SachstandApp:
    app = SachstandApp(Store(path, user="anna"), "de", today=TODAY, remote=remote, live=False)
    app.preview_from = 0  # the showcase is small; from this size on the app previews
    return app


_until = partial(until, seconds=7.5)  # a read held back, then the whole store


def _sync_header(app: SachstandApp) -> str:
    return str(app.screen.query_one(SyncStatus).content).strip()


def _title(app: SachstandApp) -> str:
    return str(app.main.query_one("#motions-pane").border_title)


async def test_the_list_shows_from_the_index_and_every_key_works_once_the_store_is_read(
    path: Path, held_read: HeldRead
) -> None:
    with Store(path, user="anna") as reader:
        expected = {motion.id: motion for motion in reader.motions()}
    # A sync server that is never asked: no live sync, no sync interval, and S waits for the store like every edit.
    app = _app(path, Remote("http://127.0.0.1:9/api/v1", "sst_never-sent"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.loading
        assert _sync_header(app) == "Sync …"  # nothing is known of the sync state before the store is read
        previewed = list(app.main.motion_list.keys)
        assert sorted(previewed) == sorted(expected)
        assert "wird geladen …" in _title(app)
        # The highlighted motion is read alone and shown at once, its details and its items.
        assert app.main.item_table._motion == expected[previewed[0]]
        assert app.main.item_table.row_count == len(expected[previewed[0]].items) > 0
        before = path.read_bytes()
        for key in ("o", "n", "slash", "u"):  # each waits for the store: nothing opens, nothing changes
            await pilot.press(key)
        await pilot.click("#items")  # tab waits for the store too, but a click may focus the items shown
        assert app.focused is app.main.item_table  # their keys wait for the store
        for key in ("4", "space", "e", "enter", "v"):
            await pilot.press(key)
        assert app.screen is app.main and not app.main.search_input.display
        assert path.read_bytes() == before and not app.main.item_table.marks
        app.main.motion_list.focus()
        await pilot.press("down")
        assert app.main.motion_list.cursor_row == 1  # moving in the list works at once, and shows the next motion
        await _until(pilot, lambda: app.main.item_table._motion == expected[previewed[1]])

        held_read.release()
        await _until(pilot, lambda: not app.loading)
        assert list(app.main.motion_list.keys) == previewed  # the same list, in the same order
        assert "wird geladen" not in _title(app)
        await pilot.pause()
        await _until(pilot, lambda: _sync_header(app) == "Noch nie synchronisiert · 2 ausstehend")
        assert app.main.item_table.row_count > 0
        await pilot.press("o")
        assert isinstance(app.screen, OpenItemsScreen)


async def test_a_store_that_cannot_be_read_behind_a_good_index_ends_the_dashboard_with_the_reason(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as whole:  # every motion into the file, none left in the journal
        whole.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
        with Store(path, user="anna") as store:
            store.update_motion(store.motions()[0].id, committee="Ausschuss für Tests")
    assert not path.with_name("data.json.journal").exists()
    content = path.read_bytes()
    damaged = content.replace(b'"title":"', b'"title":"\\u001b[2J')  # the header, and so the index, still match
    path.write_bytes(damaged)
    app = _app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: app.failure is not None)
    assert isinstance(app.failure, StoreFileError)
    assert "control character" in app.failure.render("en")
    assert app.return_code == 1
    assert path.read_bytes() == damaged


async def test_a_store_without_an_index_is_read_first_and_gets_one_for_the_next_start(path: Path) -> None:
    index_path(path).unlink()
    app = _app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        assert not app.loading
        assert app.main.item_table.row_count > 0
        await _until(pilot, index_path(path).exists)
    with Store(path, user="anna") as fresh:
        assert fresh.preview() is not None


async def test_at_a_large_store_the_first_rows_show_and_keys_work_while_the_rest_is_read(
    tmp_path: Path, held_read: HeldRead
) -> None:
    """Past FIRST_ROWS motions the first frame has only the list's first rows, read from the head of the
    index; moving in them, help and quitting work while the store is read; then the whole list."""
    from store.exchange.generate import generate_motions

    path = tmp_path / "large.json"
    with Store(path, user="anna") as store:
        store.import_motions(list(generate_motions(1500, today=TODAY)), managed=())
        listed = [motion.id for motion in newest_first(store.motions())]
    app = SachstandApp(Store(path, user="anna"), "de", today=TODAY, live=False)
    assert path.stat().st_size > app.preview_from  # the preview is used as it is for a council's store
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.loading
        assert list(app.main.motion_list.keys) == listed[: app.FIRST_ROWS]
        assert _title(app) == "Anträge: 1.500 von 1.500 · wird geladen …"  # the count from the index
        await pilot.press("end")
        assert app.main.motion_list.selected_id == listed[app.FIRST_ROWS - 1]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        held_read.release()
        await _until(pilot, lambda: not app.loading)
        assert list(app.main.motion_list.keys) == listed
        assert app.main.motion_list.selected_id == listed[app.FIRST_ROWS - 1]  # the cursor stays on its motion
        assert _title(app) == "Anträge: 1.500 von 1.500"


async def test_the_dashboard_keeps_the_models_it_read_and_the_next_start_takes_them_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the store is read and the search prepared, the models and the search's haystacks are kept in the user's
    cache folder (in a thread); the next start on the same version of the data file reads them from there, shows
    the same and searches without folding a motion's texts. The items it then makes are frozen as the models are."""
    from store.exchange.generate import generate_motions

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "large.json"
    with Store(path, user="anna") as store:
        store.import_motions(list(generate_motions(1500, today=TODAY)), managed=())
    kept = ModelCache(StoreFiles.of(path)).path
    shown, folds = [], []
    fold = search.haystacks
    monkeypatch.setattr(search, "haystacks", lambda motions: folds.append(len(motions)) or fold(motions))
    for start in ("first", "next"):
        folds.clear()
        app = SachstandApp(Store(path, user="anna"), "de", today=TODAY, live=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await _until(pilot, lambda app=app: not app.loading)  # type: ignore[misc]
            if start == "first":
                await _until(pilot, kept.exists)
            else:
                assert app.store.keep_models(Haystacks({}, {})) is None  # read from the cache: nothing to keep again
                # Its items made once the keys work, a share of the motions a turn: a filter finds them made.
                await _until(pilot, lambda app=app: all(type(m) is Motion for m in app.store.motions()))  # type: ignore[misc]

                # ... and frozen with the models, as the dashboard keeps them (store/file/bulk.py)
                def prepared(app: SachstandApp = app) -> bool:
                    return not any(worker.description == "the search prepared" for worker in app.workers)

                await _until(pilot, prepared)
                items = {id(item) for motion in app.store.motions() for item in motion.items}
                assert not items.intersection(map(id, gc.get_objects()))  # none in a generation the collector walks
            app.main.query_text = "kita"
            app.main.show_data()
            shown.append((list(app.main.motion_list.keys), app.store.motions()))
            assert sum(folds) == (1500 if start == "first" else 0)  # the next start's search folds nothing itself
    assert kept.is_relative_to(tmp_path / "cache")
    assert shown[0] == shown[1] and len(shown[0][0]) > 0


async def test_the_first_start_after_a_whole_write_takes_the_unchanged_models_and_keeps_them_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull, an import or a journal grown full writes the data file whole: the next start takes the models kept
    for every line it copied (store/modelcache.py), folds only the changed motion's texts for its search, finds the
    change, and keeps the models again for the file as it is now."""
    from store.exchange.generate import generate_motions

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "large.json"
    with Store(path, user="anna") as store:
        store.import_motions(list(generate_motions(1500, today=TODAY)), managed=())
    app = SachstandApp(Store(path, user="anna"), "de", today=TODAY, live=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: models_kept(path))
    with monkeypatch.context() as journal_full, Store(path, user="bert") as store:
        whole_writes(journal_full)
        changed = store.update_motion(store.motions()[700].id, title="Sachstand der Zauberwaldschule")
    assert not models_kept(path)  # a new version of the file
    folds: list[int] = []
    fold = search.haystacks
    monkeypatch.setattr(search, "haystacks", lambda motions: folds.append(len(motions)) or fold(motions))
    app = SachstandApp(Store(path, user="anna"), "de", today=TODAY, live=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: not app.loading)
        await _until(pilot, lambda: models_kept(path))  # kept again, for this version
        assert sum(folds) == 1  # the changed motion's texts; every other haystack was kept
        app.main.query_text = "zauberwald"
        app.main.show_data()
        assert list(app.main.motion_list.keys) == [changed.id]
