"""The list's index after a bulk (a sync): only its first line is new when no motion changed, else it is
written whole; either way a start's preview shows the motions as the store has them."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest

from store import Motion, Store, new_items, new_motion_id
from store.file import storage
from store.file.names import StoreFiles


@pytest.fixture(autouse=True)
def small_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "JOURNAL_MINIMUM", 0)  # the journal's share counts from the first byte


def document(motion: Motion, _before: object) -> dict[str, Any]:
    return {**motion.to_dict(), "deleted": False}


def stored(path: Path, count: int) -> list[str]:
    """A store of ``count`` motions written whole with its index; their ids."""
    with Store(path, user="anna") as store:
        with store.transaction() as tx:
            for number in range(count):
                motion = Motion(id=new_motion_id(), title=f"Antrag {number}", items=new_items([f"Punkt {number}"]))
                tx.apply(motion.id, "edit", partial(document, motion))
        store.save_preview()
        return [motion.id for motion in store.motions()]


def bookkeeping_of_all(store: Store, ids: list[str]) -> None:
    """What recording a push's answers writes: each document's sync bookkeeping, no motion."""
    with store.transaction() as tx:
        for motion_id in ids:
            tx.set_sync_meta(motion_id, synced={"rev": 1, "base": tx.canonical(motion_id, tx.document(motion_id))})


def rows(path: Path) -> bytes:
    return StoreFiles(path).index.read_bytes().split(b"\n", 1)[1]


def titles_shown(path: Path) -> list[str]:
    with Store(path, user="anna") as again:
        preview = again.preview()
        assert preview is not None  # the index names the file as it is now
        assert sorted(summary.title for summary in preview) == sorted(motion.title for motion in again.motions())
        return sorted(summary.title for summary in preview)


def test_a_bulk_that_changed_no_motion_writes_only_the_index_head(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    ids = stored(path, 12)
    before = rows(path)
    index = StoreFiles(path).index
    # A row of another title (valid, so the index is used) tells whether the rows were made anew.
    index.write_bytes(index.read_bytes().replace(b'"Antrag 3"', b'"Antrag 3 (Zeile)"'))
    with Store(path, user="anna") as local:
        generation = local.generation
        with local.bulk():
            bookkeeping_of_all(local, ids)
        assert not StoreFiles(path).journal.exists() and local.generation > generation  # written whole after it
    assert rows(path) == before.replace(b'"Antrag 3"', b'"Antrag 3 (Zeile)"')  # kept, not summarised again
    with Store(path, user="anna") as again:
        preview = again.preview()
        assert preview is not None and len(preview) == 12  # its new first line names the file written last


def test_a_bulk_that_changed_a_motion_writes_the_index_whole(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    ids = stored(path, 12)
    with Store(path, user="anna") as local, local.bulk():
        bookkeeping_of_all(local, ids)
        local.update_motion(ids[0], title="Antrag geändert")
    assert "Antrag geändert" in titles_shown(path)


def test_an_index_of_another_version_is_written_whole_after_a_bulk(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    ids = stored(path, 12)
    StoreFiles(path).index.unlink()
    with Store(path, user="anna") as local, local.bulk():
        bookkeeping_of_all(local, ids)
    assert len(titles_shown(path)) == 12
