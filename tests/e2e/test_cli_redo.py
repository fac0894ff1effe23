"""`sachstand redo`: brings back what `sachstand undo` took, says so, and says when there is nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import EXAMPLE_ID, ItemStatus, Store

from helpers.stored import stored_files
from helpers.sync import cli

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SACHSTAND_USER", "anna")
    path = tmp_path / "sachstand.json"
    assert cli(path, "example").code == 0
    return path


def _motions(db: Path) -> list[str]:
    with Store(db, user="x") as store:
        return [motion.id for motion in store.motions()]


def test_redo_brings_back_an_undone_status_and_an_undone_motion(db: Path) -> None:
    assert cli(db, "set", EXAMPLE_ID, "1", "done").code == 0
    assert cli(db, "undo").code == 0
    assert cli(db, "undo").code == 0  # adding the example
    assert _motions(db) == []

    first = cli(db, "redo")
    assert first.code == 0 and first.out.startswith("Redone:") and "created" in first.out
    assert _motions(db) == [EXAMPLE_ID]
    second = cli(db, "--lang", "de", "redo")
    assert second.code == 0 and second.out.startswith("Wiederhergestellt:") and "offen → erledigt" in second.out
    with Store(db, user="x") as store:
        assert store.get(EXAMPLE_ID).items[0].status is ItemStatus.DONE
        actions = [entry.action for entry in store.history(EXAMPLE_ID)]
    assert actions == ["create", "edit", "undo", "undo", "redo", "redo"]


def test_redo_with_nothing_to_redo_says_so_and_writes_nothing(db: Path) -> None:
    before = stored_files(db)
    result = cli(db, "redo")
    assert (result.code, result.out) == (1, "")
    assert "Nothing to redo." in result.err
    assert "Nichts wiederherzustellen." in cli(db, "--lang", "de", "redo").err
    assert stored_files(db) == before


def test_a_new_change_after_undo_clears_the_redo(db: Path) -> None:
    assert cli(db, "set", EXAMPLE_ID, "1", "done").code == 0
    assert cli(db, "undo").code == 0
    assert cli(db, "set", EXAMPLE_ID, "2", "reported").code == 0
    result = cli(db, "redo")
    assert result.code == 1 and "Nothing to redo." in result.err
    with Store(db, user="x") as store:
        statuses = [item.status for item in store.get(EXAMPLE_ID).items[:2]]
    assert statuses == [ItemStatus.OPEN, ItemStatus.REPORTED]
