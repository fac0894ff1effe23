"""Small things found on first contact, in the dashboard (issue 12): the example letter imported into a
store that has the example motion finds that motion; an export's notice names the full path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_dashboard import _answer_prompt

from store import EXAMPLE_ID, Store, example_letter
from tui.app import SachstandApp
from tui.components.motion_form import MotionForm
from tui.showcase import TODAY, build_showcase

from helpers.stored import stored_files


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with build_showcase(tmp_path / "data.json") as built:
        yield built


async def test_importing_the_example_letter_finds_the_example_motion(store: Store, tmp_path: Path) -> None:
    letter = tmp_path / "antrag-2020-07-28-digitalisierung.txt"
    letter.write_text(example_letter(), encoding="utf-8")
    count = len(store.motions())
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_import_file()
        await pilot.pause()
        await _answer_prompt(pilot, app, str(letter))
        form = app.screen
        assert isinstance(form, MotionForm) and form.draft is not None and form.draft.id == EXAMPLE_ID
        await pilot.press("ctrl+s")
        await pilot.pause()
    with Store(store.path, user="someone-else") as reread:
        motions = reread.motions()
        assert len(motions) == count and sum(motion.id == EXAMPLE_ID for motion in motions) == 1
        assert reread.get(EXAMPLE_ID).text.startswith("Die ")


async def test_an_export_from_the_dashboard_names_its_full_path(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = stored_files(store.path)
    app = SachstandApp(store, "en", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_export("md")
        await pilot.pause()
        await pilot.press("n")  # not for publication
        await pilot.pause()
        await _answer_prompt(pilot, app, "bericht.md")
        said = [str(note.message) for note in app._notifications]
    written = tmp_path / "bericht.md"
    assert written.exists() and any(f"to {written}." in note for note in said), said
    assert os.path.isabs(str(written)) and stored_files(store.path) == before
