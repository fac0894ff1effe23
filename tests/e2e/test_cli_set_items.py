"""`sachstand set MOTION 1,3-5 STATUS`: several items in one write, one history entry, one undo; bad lists refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from store import EXAMPLE_ID, ItemStatus, Store
from tui.cli import main

from helpers.stored import stored_files
from helpers.sync import ENV_VARIABLES


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(db), *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example motion (five items) in a fresh store; no config, user anna, C locale."""
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "no-such-config.toml"))
    monkeypatch.setenv("SACHSTAND_USER", "anna")
    monkeypatch.setenv("LANG", "C")
    db = tmp_path / "sachstand.json"
    assert _run(db, "example")[0] == 0
    return db


def _statuses(db: Path) -> list[ItemStatus]:
    with Store(db, user="anna") as store:
        return [item.status for item in store.get(EXAMPLE_ID).items]


def test_a_list_with_a_range_sets_each_item_in_one_history_entry(example: Path) -> None:
    code, out, err = _run(example, "set", EXAMPLE_ID, "1,3-5", "done", "--department", "Amt 40")
    assert code == 0, err
    assert [line.split(".")[0].strip() for line in out.splitlines() if not line.startswith("     ")] == list("1345")
    done, still = ItemStatus.DONE, ItemStatus.OPEN
    assert _statuses(example) == [done, still, done, done, done]
    with Store(example, user="anna") as store:
        assert [item.department for item in store.get(EXAMPLE_ID).items] == ["Amt 40", "", "Amt 40", "Amt 40", "Amt 40"]
        last = store.history(EXAMPLE_ID)[-1]
        assert last.items == {1, 3, 4, 5} and store.history(EXAMPLE_ID)[-2].action == "create"

    code, out, _err = _run(example, "undo")
    assert code == 0 and len(out.splitlines()) == 1  # one entry taken back
    assert _statuses(example) == [still] * 5


def test_overlapping_parts_and_blanks_count_each_item_once(example: Path) -> None:
    code, out, err = _run(example, "set", EXAMPLE_ID[:8], " 2 - 3 , 3,2 ", "reported")
    assert code == 0, err
    assert _statuses(example)[:4] == [ItemStatus.OPEN, ItemStatus.REPORTED, ItemStatus.REPORTED, ItemStatus.OPEN]
    assert out.count("berichtet") == 2


@pytest.mark.parametrize(
    ("items", "english", "german"),
    [
        ("3-1", "ITEM: a range of items goes upwards (1-3), got '3-1'.", "ein Bereich von Punkten geht aufwärts (1-3)"),
        ("0", "ITEM: expected an item number from 1, got '0'", "Punktnummer ab 1 erwartet"),
        ("1,0-2", "ITEM: expected an item number from 1, got '0'", "Punktnummer ab 1 erwartet"),
        ("9", "has no item 9; its items are 1 to 5", "hat keinen Punkt 9"),
        ("1,4-9", "has no item 9; its items are 1 to 5", "hat keinen Punkt 9"),
        ("2-999999999999", "has no item 999999999999", "hat keinen Punkt 999999999999"),
        ("a", "ITEM: expected an item number from 1, got 'a'", "Punktnummer ab 1 erwartet, erhalten: 'a'"),
        ("1,,2", "ITEM: expected an item number from 1, got ''", "Punktnummer ab 1 erwartet"),
        ("1-", "ITEM: expected an item number from 1, got '1-'", "Punktnummer ab 1 erwartet"),
    ],
)
def test_bad_item_lists_are_refused_and_nothing_is_saved(example: Path, items: str, english: str, german: str) -> None:
    kept = stored_files(example)
    code, out, err = _run(example, "--lang", "en", "set", EXAMPLE_ID, items, "done")
    assert code == 2 and english in err and out == "", err
    code, _out, err = _run(example, "--lang", "de", "set", EXAMPLE_ID, items, "done")
    assert code == 2 and german in err, err
    assert stored_files(example) == kept
