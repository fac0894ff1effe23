"""Changes that came in by sync are shown as such, with the colleague who made them on the server (the user
of the token that pushed them), in `sachstand history` and in the dashboard's history; against the real
server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.example import EXAMPLE_ID, example_motion
from store.store import Store
from store.sync.tokens import add_token
from tui.app import SachstandApp
from tui.components.details import ItemDetail

from helpers.dashboard import plain, to_item
from helpers.sync import Server, cli

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


@pytest.fixture
def synced_by_ben(tmp_path: Path, server: Server) -> Path:
    """Anna's copy, after Ben (his own token) wrote a status text for item 2 and both synced."""
    ben_token = add_token(tmp_path / "tokens.json", "ben")  # the server's tokens file (helpers.sync.serving)
    anna, ben = tmp_path / "anna.json", tmp_path / "ben.json"
    with Store(anna, user="anna") as store:
        store.add_motion(example_motion())
    assert cli(anna, "sync", "--remote", server.url, "--token", server.token).code == 0
    assert cli(ben, "sync", "--remote", server.url, "--token", ben_token).code == 0
    with Store(ben, user="ben-local") as store:
        store.set_item(EXAMPLE_ID, 2, note="Im Ausschuss vorgestellt")
    assert cli(ben, "sync", "--remote", server.url, "--token", ben_token).code == 0
    assert cli(anna, "sync", "--remote", server.url, "--token", server.token).code == 0
    return anna


def test_the_history_entry_of_a_pulled_change_names_the_colleague(synced_by_ben: Path) -> None:
    with Store(synced_by_ben, user="anna") as store:
        last = store.history(EXAMPLE_ID)[-1]
        assert (last.action, last.by) == ("sync", "ben")
        assert store.get(EXAMPLE_ID).items[1].updated_by == "ben"


def test_history_text_says_by_sync_and_who_in_both_languages(synced_by_ben: Path) -> None:
    english = cli(synced_by_ben, "--lang", "en", "history", EXAMPLE_ID[:8]).out.splitlines()
    german = cli(synced_by_ben, "--lang", "de", "history", EXAMPLE_ID[:8]).out.splitlines()
    assert "  ben  " in english[-1] and "by sync: item 2 Sachstand" in english[-1], english
    assert "  ben  " in german[-1] and "per Sync: Punkt 2 Sachstand" in german[-1], german
    assert "by sync" not in english[0]  # anna's own creation, made here


async def test_the_dashboards_history_names_the_colleague(synced_by_ben: Path) -> None:
    with Store(synced_by_ben, user="anna") as store:
        app = SachstandApp(store, "de")
        async with app.run_test(size=(140, 40)) as pilot:
            await to_item(pilot, app, EXAMPLE_ID, 2)
            shown = plain(app.main.query_one(ItemDetail).content)
    assert "ben" in shown and "per Sync" in shown, shown
