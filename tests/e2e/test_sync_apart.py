"""A sync in a process of its own (store/sync/apart.py), against the real server on 127.0.0.1: what the dashboard's
first sync with a server runs. The same report, the same errors, told how far it has come, and stopped with the
dashboard."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import store.store
from store import Haystacks, Store, SyncError, models_kept
from store.sync.apart import SyncApart
from store.sync.client import sync
from store.sync.progress import SyncProgress

from helpers.sync import Server, model, on_the_server

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test

MANY = store.store.CACHE_FROM + 20  # enough for the models to be kept


def test_a_sync_apart_pulls_and_reports_as_one_here_and_keeps_its_models(tmp_path: Path, server: Server) -> None:
    source = on_the_server(tmp_path, server, MANY)
    told: list[SyncProgress] = []
    with Store(tmp_path / "apart.json", user="bert", backups=1, lock_timeout=3.0) as mine:
        report = SyncApart(mine, server.url, server.token).run(told.append)
        assert len(mine.motions()) == MANY  # what the other process wrote, read here
        edited = mine.motions()[0]
        mine.set_item(edited.id, 1, note="Bert hier")
        assert mine.history(edited.id)[-1].by == "bert"  # the child wrote as this store's user
        assert mine.files.backup(1).exists() and not mine.files.backup(2).exists()  # and kept its backups
    with Store(tmp_path / "here.json", user="bert") as here:
        assert report == sync(here, server.url, server.token)
    assert report.pulled == MANY and told and told[-1].read == told[-1].of == MANY
    assert models_kept(tmp_path / "apart.json")  # before it said it was done
    with Store(tmp_path / "apart.json", user="carl") as reader:
        assert reader.motions() and reader.keep_models(Haystacks({}, {})) is None  # read from what was kept
    assert model(tmp_path / "here.json") == model(source)


def test_a_sync_apart_raises_what_the_sync_here_raises(tmp_path: Path, server: Server) -> None:
    for url, token in ((server.url, "sst_not-a-token"), ("http://127.0.0.1:9/api/v1", server.token)):
        with Store(tmp_path / "here.json", user="bert") as here, pytest.raises(SyncError) as raised_here:
            sync(here, url, token)
        with Store(tmp_path / "apart.json", user="bert") as mine, pytest.raises(SyncError) as raised_apart:
            SyncApart(mine, url, token).run()
        assert (raised_apart.value.msgid, raised_apart.value.params) == (
            raised_here.value.msgid,
            raised_here.value.params,
        )
    assert not (tmp_path / "apart.json").exists()  # nothing written


def test_a_sync_apart_that_breaks_says_how_its_process_ended(tmp_path: Path) -> None:
    """A failure that is no error of the sync's own (here: a server given as no text) ends the process with what
    its interpreter said last."""
    with Store(tmp_path / "apart.json", user="bert") as mine, pytest.raises(SyncError) as raised:
        SyncApart(mine, None, "sst_token").run()  # type: ignore[arg-type]
    assert raised.value.msgid == "The sync's process ended without finishing: {detail}"
    assert "AttributeError" in raised.value.params["detail"]


def test_a_sync_apart_stopped_while_it_pulls_leaves_the_store_whole(tmp_path: Path, server: Server) -> None:
    on_the_server(tmp_path, server, MANY)
    path = tmp_path / "apart.json"
    with Store(path, user="bert") as mine:
        apart = SyncApart(mine, server.url, server.token)

        def stopped_at_first_word(now: SyncProgress) -> None:
            apart.stop()

        started = time.monotonic()
        with pytest.raises(SyncError) as raised:
            apart.run(stopped_at_first_word)
        assert raised.value.msgid == "The sync was stopped before it ended." and time.monotonic() - started < 5
        assert len(mine.motions()) in (0, MANY)  # each write whole or not at all
        sync(mine, server.url, server.token)  # the next sync goes on from there
        assert len(mine.motions()) == MANY
