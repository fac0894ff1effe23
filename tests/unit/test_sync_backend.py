"""The sync server's backends driven directly: the JSON-file backend and PostgreSQL's are ServerBackends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from store import SETTINGS, ItemStatus, Motion, new_items
from store.errors import BadInput
from store.sync.access import Who
from store.sync.backend import BulkEntry, FileBackend, ServerBackend


@pytest.fixture(params=["file", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerBackend]:
    if request.param == "file":
        opened = FileBackend(tmp_path / "server.json", backups=1, lock_timeout=SETTINGS["lock_timeout"].default)
        try:
            yield opened
        finally:
            opened.close()
        return
    from store.sync.postgres import PostgresBackend, add_body, open_database

    database = open_database(request.getfixturevalue("database"))
    try:
        yield PostgresBackend(database, add_body(database, "kreistag", "Kreistag"))
    finally:
        database.close()


def entry(motion: Motion, base_rev: int, deleted: bool = False) -> BulkEntry:
    return BulkEntry(motion.id, base_rev, {**motion.to_dict(), "deleted": deleted}, motion)


def motion(title: str, number: int = 0) -> Motion:
    """Ids in the order of ``number``: within one write, the feed orders by id."""
    return Motion(id=f"{number:08x}{str(uuid.uuid4())[8:]}", title=title, items=new_items(["Bericht"]))


def test_an_empty_backend_has_an_empty_feed(backend: ServerBackend) -> None:
    assert backend.end() == (0, "")
    assert backend.changes((0, ""), 10) == ([], False)


def test_bulk_writes_current_entries_and_answers_a_stale_one_with_the_document(backend: ServerBackend) -> None:
    first, second = motion("Radwege"), motion("Spielplatz")
    assert backend.bulk([entry(first, 0), entry(second, 0)], Who("anna")) == [
        {"id": first.id, "ok": True, "rev": 1},
        {"id": second.id, "ok": True, "rev": 1},
    ]
    changed = replace(first, title="Radwege am Ring")
    stale, current = backend.bulk([entry(changed, 0), entry(changed, 1)], Who("ben"))
    assert stale["ok"] is False and stale["error"] == "conflict" and stale["rev"] == 1
    assert stale["doc"]["title"] == "Radwege" and "history" not in stale["doc"]
    assert current == {"id": first.id, "ok": True, "rev": 2}
    assert backend.bulk([entry(changed, 2)], Who("ben")) == [{"id": first.id, "ok": True, "rev": 2}]  # nothing new
    assert backend.bulk([entry(changed, 2, deleted=True)], Who("ben"))[0]["rev"] == 3


def test_the_feed_pages_in_write_order_and_starts_over_for_a_cursor_from_elsewhere(backend: ServerBackend) -> None:
    motions = [motion(f"Antrag {number}", number) for number in range(5)]
    backend.bulk([entry(m, 0) for m in motions[:3]], Who("anna"))
    backend.bulk(
        [entry(replace(motions[0], title="Antrag 0, neu"), 1), *(entry(m, 0) for m in motions[3:])], Who("anna")
    )
    page, more = backend.changes((0, ""), 2)
    assert more and [doc.doc["title"] for doc in page] == ["Antrag 1", "Antrag 2"]
    rest, more = backend.changes((page[-1].seq, page[-1].id), 10)
    assert not more and [doc.doc["title"] for doc in rest] == ["Antrag 0, neu", "Antrag 3", "Antrag 4"]
    assert {doc.id: doc.rev for doc in rest}[motions[0].id] == 2
    assert backend.end() == (rest[-1].seq, rest[-1].id)
    assert backend.changes(backend.end(), 10) == ([], False)
    assert len(backend.changes((backend.end()[0] + 100, ""), 10)[0]) == 5  # a cursor past the newest write
    # As sent: a stored text (PostgreSQL's) goes out as it is, and reads as the document
    assert orjson.loads(orjson.dumps(rest[0].to_dict()))["doc"] == dict(rest[0].doc) == rest[0].doc


def test_a_new_motion_written_twice_in_one_push_is_stored_once_as_written_last(backend: ServerBackend) -> None:
    first = motion("Radwege")
    renamed = replace(first, title="Radwege am Ring")
    assert backend.bulk([entry(first, 0), entry(renamed, 1)], Who("anna")) == [
        {"id": first.id, "ok": True, "rev": 1},
        {"id": first.id, "ok": True, "rev": 2},
    ]
    (found,), more = backend.changes((0, ""), 10)
    assert not more and (found.rev, found.doc["title"]) == (2, "Radwege am Ring")


def test_a_push_refused_while_it_is_written_leaves_nothing_behind(backend: ServerBackend) -> None:
    """An item's stamp the model refuses (the user's name) fails the push after a new motion of it was made."""
    kept, new = motion("Radwege", 1), motion("Spielplatz", 0)
    backend.bulk([entry(kept, 0)], Who("anna"))
    done = replace(kept, items=(replace(kept.items[0], status=ItemStatus.DONE),))
    with pytest.raises(BadInput, match="updated_by"):
        backend.bulk([entry(new, 0), entry(done, 1)], Who("anna\nben"))
    (found,), more = backend.changes((0, ""), 10)
    assert not more and (found.id, found.rev, found.doc["items"][0]["status"]) == (kept.id, 1, "open")
    assert backend.bulk([entry(new, 0)], Who("anna"))[0]["ok"] is True
    assert [doc.id for doc in backend.changes((0, ""), 10)[0]] == [kept.id, new.id]
