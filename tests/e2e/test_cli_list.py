"""`sachstand list`: the table of every motion from the list's index (store/file/index.py), brought forward by the
journal, as the dashboard's first rows are; the same table a read of the store gives, which it falls back to where
the index does not serve. JSON and a status filter read the store."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from store import ItemStatus, Store, example_motion
from store.exchange.generate import generate_motions
from store.file.names import StoreFiles
from tui.cli import main

TODAY = date(2026, 12, 4)


def _listed(db: Path, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert main(["--db", str(db), "list", *args], stdout=out, stderr=err) == 0, err.getvalue()
    return out.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Forty motions written whole (with the index), then changed in the journal in every way the list shows."""
    db = tmp_path / "data.json"
    with Store(db, user="anna") as store:
        store.import_motions(list(generate_motions(40, today=TODAY)), managed=())
        motions = store.motions()
        store.update_motion(motions[0].id, title="Sachstand [b]Radwege[/b] neu")
        store.update_motion(motions[1].id, submitted=date(2030, 1, 1))  # now first in the list
        store.set_item(motions[2].id, 1, status=ItemStatus.DONE)
        store.delete_motion(motions[3].id)
        store.add_motion(example_motion())
    assert StoreFiles(db).index.exists()
    return db


def test_the_table_from_the_index_is_the_one_a_read_of_the_store_gives(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as unread:
        unread.setattr(Store, "motions", lambda self: pytest.fail("the store was read"))  # instrumentation only
        from_index = {lang: _listed(db, "--lang", lang) for lang in ("de", "en")}
    StoreFiles(db).index.unlink()  # no index: the store is read
    assert {lang: _listed(db, "--lang", lang) for lang in ("de", "en")} == from_index
    rows = from_index["de"].splitlines()
    assert len(rows) == 1 + 40 and "01.01.2030" in rows[1] and "Beispiel" not in rows[1]


def test_an_index_of_another_version_of_the_file_is_not_used(db: Path) -> None:
    listed = _listed(db)
    index = StoreFiles(db).index
    stale = index.read_bytes()
    with Store(db, user="anna") as store:
        store.update_motion(store.motions()[5].id, title="Nach dem Index geändert")
        store.save_preview()
    index.write_bytes(stale)  # the index as it was before that change, which it does not name
    now = _listed(db)
    assert "Nach dem Index geändert" in now and now != listed


def test_json_and_a_status_filter_read_the_store(db: Path) -> None:
    assert len(_listed(db, "--status", "erledigt").splitlines()) >= 2
    assert '"items"' in _listed(db, "--json")


def test_a_status_that_is_none_is_said_also_where_no_motion_would_be_filtered(tmp_path: Path) -> None:
    db = tmp_path / "empty.json"
    out, err = io.StringIO(), io.StringIO()
    assert main(["--db", str(db), "--lang", "en", "list", "--status", "halbfertig"], stdout=out, stderr=err) == 2
    assert "halbfertig" in err.getvalue() and out.getvalue() == "" and not db.exists()
