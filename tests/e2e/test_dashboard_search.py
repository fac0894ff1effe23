"""A search (or a filter) that leaves no motion says so, above the empty list, in the user's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from store import Store
from tui.app import SachstandApp
from tui.showcase import TODAY, build_showcase

from helpers.dashboard import plain


@pytest.mark.parametrize(
    "lang, said", [("de", "Keine Treffer für „Schwimmbad“"), ("en", "No matches for “Schwimmbad”")]
)
async def test_a_search_without_hits_says_so(tmp_path: Path, lang: str, said: str) -> None:
    with build_showcase(tmp_path / "data.json") as store:
        app = SachstandApp(store, lang, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            hint = app.main.query_one("#no-hits", Static)
            assert not hint.display
            await pilot.press("slash", *"Schwimmbad")
            await pilot.pause()
            assert app.main.motion_list.row_count == 0
            assert hint.display and said in plain(hint.content)
            await pilot.press(*["backspace"] * len("Schwimmbad"))
            await pilot.pause()
            assert not hint.display and app.main.motion_list.row_count == 2
            await pilot.press(*"Radwege", "enter")
            await pilot.pause()
            assert app.main.motion_list.row_count == 1 and app.main.motion_list.has_focus
    assert len(Store(store.path, user="x").motions()) == 2  # searching changes nothing
