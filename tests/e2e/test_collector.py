"""The cycle collector's pauses (store/file/bulk.py) are counted process-wide: it runs again only when the last pause
in any thread ends, never while one lasts, and the dashboard, which starts with it off, turns it on through them
once its first frame is on screen."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store, collector_resumed
from store.file.bulk import collector_paused
from tui import app as app_module
from tui.app import SachstandApp
from tui.showcase import TODAY, build_showcase

from helpers.dashboard import until


@pytest.fixture(autouse=True)
def collector_as_found() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if collecting else gc.disable)()


class PauseInThread:
    """A pause held in a thread of its own until released, as a sync's worker holds one."""

    def __init__(self) -> None:
        self.begun = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        with collector_paused():
            self.begun.set()
            assert self.release.wait(10)

    def begin(self) -> PauseInThread:
        self.thread.start()
        assert self.begun.wait(10)
        return self

    def end(self) -> None:
        self.release.set()
        self.thread.join(10)
        assert not self.thread.is_alive()

    def __enter__(self) -> PauseInThread:
        return self.begin()

    def __exit__(self, *exc: object) -> None:
        self.end()


@pytest.mark.parametrize("thread_ends_first", [True, False])
def test_overlapping_pauses_in_two_threads_keep_the_collector_off_until_the_last_ends(thread_ends_first: bool) -> None:
    other = PauseInThread().begin()
    try:
        with collector_paused():
            assert not gc.isenabled()
            if thread_ends_first:
                other.end()
                assert not gc.isenabled()  # this thread's pause still lasts
        if not thread_ends_first:
            assert not gc.isenabled()  # the thread's pause still lasts
            other.end()
        assert gc.isenabled()
    finally:
        other.release.set()


def test_nested_pauses_end_with_the_collector_running_as_before() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()  # it was off before: a pause does not turn it on


def test_a_start_turns_the_collector_on_only_once_no_pause_lasts() -> None:
    gc.disable()  # as the dashboard's start does (tui/cli/dashboard.py)
    with PauseInThread():  # a sync's pull begun meanwhile
        collector_resumed()  # the first frame is on screen (tui/app.py)
        assert not gc.isenabled()
    assert gc.isenabled()


def test_resumed_with_no_pause_runs_the_collector_at_once() -> None:
    gc.disable()
    collector_resumed()
    assert gc.isenabled()


def test_a_pause_that_fails_still_ends() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a broken page")
    assert gc.isenabled()
    with collector_paused():  # the count is back at none: this pause turns it off and on as usual
        assert not gc.isenabled()
    assert gc.isenabled()


async def test_the_dashboards_first_frame_turns_the_collector_on_only_once_a_syncs_pause_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with build_showcase(tmp_path / "data.json") as store:
        shown = len(store.motions())
    asked = threading.Event()

    def resumed_after_first_frame() -> None:  # instrumentation only: the real call, then noted
        collector_resumed()
        asked.set()

    monkeypatch.setattr(app_module, "collector_resumed", resumed_after_first_frame)
    gc.disable()  # as the dashboard's start does (tui/cli/dashboard.py)
    app = SachstandApp(Store(store.path, user="anna"), "de", today=TODAY, live=False)
    sync = PauseInThread().begin()  # a sync's pull begun before the first frame, still running after it
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, asked.is_set)
            await until(pilot, lambda: all(worker.is_finished for worker in app.workers))  # the app's own reads
            assert app.main.motion_list.row_count == shown
            assert not gc.isenabled()  # the first frame asked for it, but the sync's pause lasts
            sync.end()
            assert gc.isenabled()
    finally:
        sync.release.set()
