"""The dashboard and the store's files: its export never writes over them (the same check as the command
line's, store.exchange.workflows.write_export given the store), through a link or a relative path too;
a data file lost while it runs is said, and no edit starts a new store over its backups."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from store import EXAMPLE_ID, ItemStatus, Store
from tui.app import SachstandApp
from tui.components.prompt import PromptModal
from tui.showcase import TODAY, build_showcase

from helpers.dashboard import to_item


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    (tmp_path / "data").mkdir()
    with build_showcase(tmp_path / "data" / "data.json") as built:
        built.set_item(EXAMPLE_ID, 1, status=ItemStatus.DONE)  # a journal beside the file
        yield built


def _folder(folder: Path) -> dict[str, bytes]:
    return {entry.name: entry.read_bytes() for entry in sorted(folder.iterdir()) if entry.is_file()}


@pytest.mark.parametrize(
    "answer", ["data.json", "../data/data.json.journal", "./data.json.lock", "../link.md", "../linked/data.json"]
)
async def test_exporting_over_a_file_of_the_store_is_refused_and_writes_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    (tmp_path / "link.md").symlink_to(store.path)
    (tmp_path / "linked").symlink_to(store.path.parent)
    monkeypatch.chdir(store.path.parent)  # the answers are relative to where the dashboard was started
    before = _folder(store.path.parent)
    app = SachstandApp(store, "en", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        for kind in ("md", "json"):
            app.action_export(kind)
            await pilot.pause()
            await pilot.press("n")  # not for publication
            await pilot.pause()
            assert isinstance(app.screen, PromptModal)
            app.screen.query_one(Input).value = answer
            await pilot.press("enter")
            await pilot.pause()
        shown = [str(notification.message) for notification in app._notifications]
    assert shown == [f"{answer}: this is a file of the store ({store.path}); write the export to another file."] * 2
    assert _folder(store.path.parent) == before
    assert (tmp_path / "link.md").is_symlink() and sorted(os.listdir(tmp_path)) == ["data", "link.md", "linked"]


async def test_exporting_beside_the_store_still_writes(store: Store, tmp_path: Path) -> None:
    app = SachstandApp(store, "en", today=TODAY)
    target = store.path.with_name("data.json.md")
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_export("md")
        await pilot.pause()
        await pilot.press("n")  # not for publication
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    assert target.read_text("utf-8").startswith("#")


async def test_a_data_file_lost_while_the_dashboard_runs_is_said_and_no_edit_starts_over(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
    store.set_item(EXAMPLE_ID, 2, status=ItemStatus.DONE)  # written whole: a backup beside the file
    app = SachstandApp(store, "en", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 4)
        store.path.unlink()
        before = _folder(store.path.parent)
        app.check_for_changes()
        await pilot.press("4")  # refused: the store cannot be read
        await pilot.pause()
        shown = [str(notification.message) for notification in app._notifications]
    assert shown and all(message.startswith(f"{store.path} is missing, but files of") for message in shown)
    assert f"copy {store.path}.bak1 to {store.path}" in shown[0]
    assert _folder(store.path.parent) == before and not store.path.exists()
