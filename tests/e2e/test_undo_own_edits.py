"""Undo takes back only the user's own edits, never what came in by sync or import (issue 18, defect 2).

A sync's history entries carry the name of the copy's user, so undo took a colleague's change pulled in
by the last sync for the user's own: it reverted the colleague's "done" here and, by the next sync,
everywhere. Two clients of the real server on 127.0.0.1, and the command line's import.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store import ItemStatus, Store, example_motion

from helpers.stored import stored_files
from helpers.sync import Result, Server, cli, run_sync

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test

MOTION = example_motion().id


def _as(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setenv("SACHSTAND_USER", user)


def _sync(db: Path, server: Server, monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    _as(monkeypatch, user)
    result = run_sync(db, server)
    assert result.code == 0, result.err


def _undo(db: Path, monkeypatch: pytest.MonkeyPatch, user: str) -> Result:
    _as(monkeypatch, user)
    return cli(db, "undo")


def _statuses(db: Path) -> list[ItemStatus]:
    with Store(db, user="x") as store:
        return [item.status for item in store.get(MOTION).items]


@pytest.fixture
def shared(tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Anna's copy, which created the example motion, and Ben's, which has it only from the server."""
    anna, ben = tmp_path / "anna.json", tmp_path / "ben.json"
    _as(monkeypatch, "anna")
    assert cli(anna, "example").code == 0
    _sync(anna, server, monkeypatch, "anna")
    _sync(ben, server, monkeypatch, "ben")
    return anna, ben


def test_undo_leaves_a_colleagues_change_that_came_by_sync(
    shared: tuple[Path, Path], server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, ben = shared
    _as(monkeypatch, "anna")
    assert cli(anna, "set", MOTION, "1", "in_progress").code == 0  # anna's own last edit
    _sync(anna, server, monkeypatch, "anna")
    _sync(ben, server, monkeypatch, "ben")
    _as(monkeypatch, "ben")
    assert cli(ben, "set", MOTION, "4", "done").code == 0
    _sync(ben, server, monkeypatch, "ben")
    _sync(anna, server, monkeypatch, "anna")
    assert _statuses(anna)[3] is ItemStatus.DONE

    undone = _undo(anna, monkeypatch, "anna")
    assert undone.code == 0, undone.err
    assert "item 1 Status: open → in progress" in undone.out
    assert [s.value for s in _statuses(anna)][:4] == ["open", "open", "open", "done"]  # ben's done stays
    _sync(anna, server, monkeypatch, "anna")
    _sync(ben, server, monkeypatch, "ben")
    assert _statuses(ben) == _statuses(anna)  # and stays everywhere


def test_a_copy_that_only_synced_has_nothing_to_undo(
    shared: tuple[Path, Path], server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, ben = shared
    before = stored_files(ben)
    refused = _undo(ben, monkeypatch, "ben")  # before: took back the motion's arrival, deleting it everywhere
    assert refused.code == 1 and "Nothing to undo" in refused.err and "Traceback" not in refused.err
    assert stored_files(ben) == before
    _sync(ben, server, monkeypatch, "ben")
    _sync(anna, server, monkeypatch, "anna")
    with Store(anna, user="x") as store:
        assert [motion.id for motion in store.motions()] == [MOTION]


def test_undo_refuses_when_a_sync_overtook_the_own_edit(
    shared: tuple[Path, Path], server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, ben = shared
    _as(monkeypatch, "anna")
    assert cli(anna, "set", MOTION, "2", "in_progress").code == 0
    _sync(anna, server, monkeypatch, "anna")
    _sync(ben, server, monkeypatch, "ben")
    _as(monkeypatch, "ben")
    assert cli(ben, "set", MOTION, "2", "reported").code == 0
    _sync(ben, server, monkeypatch, "ben")
    _sync(anna, server, monkeypatch, "anna")
    before = stored_files(anna)
    refused = _undo(anna, monkeypatch, "anna")
    assert refused.code == 1 and "Traceback" not in refused.err
    assert "Not undone: items.2.status" in refused.err and "changed again by a sync with the server" in refused.err
    assert stored_files(anna) == before
    german = cli(anna, "--lang", "de", "undo")
    assert german.code == 1 and "von einem Sync mit dem Server" in german.err
    assert _statuses(anna)[1] is ItemStatus.REPORTED


LETTER = """Fraktion der SPD im Rat der Stadt Musterstadt

Antrag: Mehr Bänke im Stadtpark

Die Verwaltung wird beauftragt,
1. zehn Bänke aufzustellen,
2. die Wege zu beleuchten.
"""


def test_an_import_is_not_taken_back_by_undo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, letter = tmp_path / "data.json", tmp_path / "antrag.txt"
    letter.write_text(LETTER, encoding="utf-8")
    _as(monkeypatch, "anna")
    assert cli(db, "example").code == 0
    assert cli(db, "set", MOTION, "3", "done").code == 0  # anna's own last edit, before the import
    imported = cli(db, "import", str(letter), "--yes")
    assert imported.code == 0, imported.err
    with Store(db, user="x") as store:
        count = len(store.motions())
    assert count == 2
    undone = cli(db, "undo")
    assert undone.code == 0, undone.err
    with Store(db, user="x") as store:
        assert len(store.motions()) == 2  # the import stays
        assert store.get(MOTION).items[2].status is ItemStatus.OPEN  # the edit before it was taken back
