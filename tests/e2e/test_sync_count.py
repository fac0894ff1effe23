"""A synced store's dashboard counts what waits for the next sync as it starts (tui/app.py): every motion is
looked at once. A line that says its motion is synced and untouched since is known not to wait without a parse
(store/sync/state.py ``_synced_untouched``); the lines of motions edited since, in conflict or never synced are
parsed, and the count is what a parse of every line gives. Against a real sync server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Motion, Store, new_items, new_motion_id
from store.file import documents
from store.values import ItemStatus

from helpers.parses import parses_counted
from helpers.sync import Server, run_sync

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


def _whole_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write rewrites the data file, as once the journal has outgrown its share: each motion is its line."""
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
    monkeypatch.setattr("store.file.storage.JOURNAL_SHARE", 10**9)


# After the motions were written into the file: every write written whole too, or to the journal as usual (a push's
# answers then patch each motion's line with its ``synced``).
@pytest.mark.parametrize("writes", ["written whole", "journal"])
def test_the_count_of_what_waits_parses_only_the_lines_of_motions_touched_since_the_sync(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch, writes: str
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with monkeypatch.context() as whole, Store(a, user="anna") as store:
        _whole_writes(whole)
        ids = [
            store.add_motion(Motion(id=new_motion_id(), title=f"Antrag {n}", items=new_items(["Bericht"]))).id
            for n in range(6)
        ]
    if writes == "written whole":
        _whole_writes(monkeypatch)
    assert run_sync(a, server).code == 0 and run_sync(b, server).code == 0
    with Store(b, user="ben") as store:
        store.set_item(ids[1], 1, note="Ben")
    assert run_sync(b, server).code == 0
    with Store(a, user="anna") as store:
        store.set_item(ids[0], 1, status=ItemStatus.DONE)  # waits for the next push
        store.set_item(ids[1], 1, note="Anna")  # and this one meets Ben's note: a conflict
    assert run_sync(a, server).code == 3
    with Store(a, user="anna") as store:
        store.set_item(ids[2], 1, status=ItemStatus.REPORTED)  # edited since: waits
        new = store.add_motion(Motion(id=new_motion_id(), title="Neu", items=new_items(["Bericht"]))).id
    untouched = {ids[0], *ids[3:]}  # synced since their last change here
    with Store(a, user="anna") as store:
        store.motions()  # the dashboard's read
        lines = documents.stored(store.documents())
        assert all(isinstance(lines[doc_id], documents.Line) for doc_id in ids[3:])
        assert all(bool(lines[doc_id].patch) == (writes == "journal") for doc_id in ids[3:])  # type: ignore[union-attr]
        parsed = parses_counted(monkeypatch)
        state = store.sync_state(server.url)
        assert (state.pending, state.conflicts) == (2, 1)  # ids[2] and the new one; ids[1]'s note
        assert {doc_id for doc_id, _rev, _doc in store.unsynced()} == {ids[2], new}
    read = {doc_id for doc_id in [*ids, new] for line in parsed if f'"id":"{doc_id}"'.encode() in line}
    assert read.isdisjoint(untouched)
    if writes == "written whole":  # else those written since are the journal's documents, held parsed
        # Each waiting or in conflict, but the new motion: its line says it was never synced (state.py _new_by_line).
        assert read == {ids[1], ids[2]}
