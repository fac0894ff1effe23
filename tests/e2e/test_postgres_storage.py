"""How the PostgreSQL server keeps a body's rows (schema version 4), from the outside: a history entry is never
without its document, whatever is done by hand in the database (store/sync/postgres/schema.py); a document is
kept in its row uncompressed; the feed names the user of each revision, also for documents written before
version 4. Every test has a database of its own (tests/helpers/postgres.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from store import new_motion_id
from store.example import example_motion
from store.sync.access import READER, Who
from store.sync.backend import BulkEntry
from store.sync.postgres import PostgresBackend, add_body, open_database
from store.sync.postgres.schema import migrate

from helpers.bounds import isolated


@pytest.fixture(autouse=True)
def clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with isolated(monkeypatch, tmp_path, 60):
        yield


def _pushed(backend: PostgresBackend, user: str, *titles: str) -> list[str]:
    """New motions pushed as ``user``: their ids."""
    motions = [replace(example_motion(), id=new_motion_id(), title=title) for title in titles]
    entries = [BulkEntry(motion.id, 0, {**motion.to_dict(), "deleted": False}, motion) for motion in motions]
    assert all(result["ok"] for result in backend.bulk(entries, Who(user)))
    return [motion.id for motion in motions]


@pytest.fixture
def written(database: str) -> Iterator[tuple[str, int, list[str]]]:
    """A database with a body and two motions pushed into it: its URL, the body and the motions' ids."""
    opened = open_database(database)
    try:
        body = add_body(opened, "rat", "Rat")
        yield database, body, _pushed(PostgresBackend(opened, body), "anna", "Radwege", "Schulweg")
    finally:
        opened.close()


def _refused(url: str, statement: str) -> str:
    """The error the database answers ``statement`` with (nothing of it written)."""
    with psycopg.connect(url) as connection:
        with pytest.raises(psycopg.errors.ForeignKeyViolation) as refused:
            connection.execute(statement)
        connection.rollback()
    return str(refused.value)


def test_no_history_entry_is_ever_without_its_document(written: tuple[str, int, list[str]]) -> None:
    url, body, (first, second) = written
    columns = "INSERT INTO sachstand.history (body, motion_id, seq, at, by, entry)"
    entry = f"{columns} VALUES ({body}, '%s', 9, now(), 'x', '{{}}')"
    orphan = "an entry without its document"
    assert orphan in _refused(url, entry % "no-such-motion")
    assert orphan in _refused(
        url, f"{columns} SELECT body, motion_id || '-x', seq, at, by, entry FROM sachstand.history"
    )
    assert orphan in _refused(url, f"UPDATE sachstand.history SET motion_id = 'gone' WHERE motion_id = '{first}'")
    assert "has history entries" in _refused(url, f"DELETE FROM sachstand.documents WHERE id = '{first}'")
    assert "has history entries" in _refused(url, f"UPDATE sachstand.documents SET id = 'moved' WHERE id = '{second}'")
    assert "truncated without its history" in _refused(url, "TRUNCATE sachstand.documents")
    with psycopg.connect(url) as connection:  # nothing of it was written: the body is as the pushes left it
        rows = connection.execute("SELECT motion_id FROM sachstand.history ORDER BY motion_id").fetchall()
        assert rows == sorted([(first,), (second,)])
        assert connection.execute("SELECT count(*) FROM sachstand.documents").fetchone() == (2,)
    with psycopg.connect(url) as connection:  # with its history, a document may go; an entry with its document
        connection.execute(entry % first)
        connection.execute(f"DELETE FROM sachstand.history WHERE motion_id = '{first}'")
        connection.execute(f"DELETE FROM sachstand.documents WHERE id = '{first}'")
        connection.execute("TRUNCATE sachstand.documents, sachstand.history")


def test_a_document_is_kept_in_its_row_uncompressed(database: str) -> None:
    """PostgreSQL compresses a value over 2 kB by default, on every write and read of it; a motion of about
    3 kB stays as it is (pg_column_compression: NULL)."""
    opened = open_database(database)
    try:
        backend = PostgresBackend(opened, add_body(opened, "rat", "Rat"))
        (motion_id,) = _pushed(backend, "anna", "Radwege " + "am Ring " * 380)
    finally:
        opened.close()
    with psycopg.connect(database) as connection:
        found = connection.execute(
            "SELECT length(doc), pg_column_compression(doc) FROM sachstand.documents WHERE id = %s", (motion_id,)
        ).fetchone()
    assert found is not None and found[0] > 3000 and found[1] is None


def test_a_body_of_version_3_names_the_user_of_each_revision_after_the_migration(database: str) -> None:
    """Version 4 keeps the user of a document's last write in its row: a body of version 3 gets it from the
    history, once, when the schema is migrated; a document without history gets none."""
    with psycopg.connect(database) as connection:  # the schema as version 3 made it
        migrate(connection, database, to=3)
        connection.execute(
            "INSERT INTO sachstand.bodies (key, name, server_id, epoch, seq) VALUES ('rat', 'Rat', 'a', 'b', 3)"
        )
        for doc_id, seq in (("m1", 2), ("m2", 3)):
            connection.execute(
                "INSERT INTO sachstand.documents VALUES (1, %s, 1, %s, false, %s)",
                (doc_id, seq, f'{{"id": "{doc_id}", "title": "T", "items": []}}'),
            )
        for doc_id, seq, by in (("m1", 1, "anna"), ("m1", 2, "ben")):
            connection.execute(
                "INSERT INTO sachstand.history (body, motion_id, seq, at, by, entry) VALUES (1, %s, %s, now(), %s, '{}')",
                (doc_id, seq, by),
            )
    opened = open_database(database)
    try:
        page, more = PostgresBackend(opened, 1).changes((0, ""), 10)
    finally:
        opened.close()
    assert not more and [(one.id, one.by) for one in page] == [("m1", "ben"), ("m2", "")]


def test_new_documents_pushed_again_are_conflicts_and_the_rest_is_written(database: str) -> None:
    """A push takes a document sent as new (base_rev 0) to be new without looking it up; sent again (its
    answer lost), each one there is a conflict with the stored revision, as a push that looks each one up
    answers, and the new ones of the same push are written, once."""
    opened = open_database(database)
    try:
        backend = PostgresBackend(opened, add_body(opened, "rat", "Rat"))
        motions = [replace(example_motion(), id=new_motion_id(), title=title) for title in ("A", "B", "C")]
        entries = [BulkEntry(motion.id, 0, {**motion.to_dict(), "deleted": False}, motion) for motion in motions]
        assert [result["rev"] for result in backend.bulk(entries[:2], Who("anna"))] == [1, 1]
        answered = backend.bulk(entries, Who("ben"))
        assert [(one["ok"], one.get("error"), one["rev"]) for one in answered] == [
            (False, "conflict", 1),
            (False, "conflict", 1),
            (True, None, 1),
        ]
        assert (answered[0]["doc"]["title"], answered[0]["by"]) == ("A", "anna")  # the stored revision, its writer
        assert sorted((entry.motion_id, entry.by) for entry in backend.history()) == sorted(
            [(motions[0].id, "anna"), (motions[1].id, "anna"), (motions[2].id, "ben")]
        )
        assert backend.identity()["generation"] == 2  # the clash spent no write number
        # A reader's push is refused, but of a motion that is there, at another revision, a conflict comes first.
        (seen,) = backend.bulk(entries[:1], Who("rita", role=READER))
        assert (seen["error"], seen["rev"]) == ("conflict", 1)
        assert backend.bulk(entries, Who("ben"))[2]["error"] == "conflict"  # all there: nothing written
        assert backend.identity()["generation"] == 2
    finally:
        opened.close()


def test_a_document_deleted_by_hand_while_a_push_records_its_entry_is_refused(
    written: tuple[str, int, list[str]],
) -> None:
    """The triggers check with what is committed: a DELETE of a document (its history deleted first) made while
    a push writes it and records an entry waits for the push's row lock, and then sees the new entry."""
    url, body, (first, _second) = written
    with psycopg.connect(url) as pushing, psycopg.connect(url) as by_hand:
        pushing.execute(f"UPDATE sachstand.documents SET rev = rev + 1 WHERE id = '{first}'")  # as a push does
        pushing.execute(
            "INSERT INTO sachstand.history (body, motion_id, seq, at, by, entry) VALUES (%s, %s, 2, now(), 'ben', '{}')",
            (body, first),
        )
        by_hand.execute(f"DELETE FROM sachstand.history WHERE motion_id = '{first}'")  # sees only anna's entry
        outcome: list[BaseException | None] = []

        def delete() -> None:
            try:
                by_hand.execute(f"DELETE FROM sachstand.documents WHERE id = '{first}'")
                outcome.append(None)
            except psycopg.Error as error:
                outcome.append(error)

        deleting = threading.Thread(target=delete)
        deleting.start()
        deleting.join(timeout=1)
        assert deleting.is_alive()  # waits for the push's lock on the row
        pushing.commit()
        deleting.join(timeout=20)
        assert isinstance(outcome[0], psycopg.errors.ForeignKeyViolation), outcome
        by_hand.rollback()
    with psycopg.connect(url) as connection:
        assert connection.execute(
            "SELECT count(*) FROM sachstand.history WHERE motion_id = %s", (first,)
        ).fetchone() == (2,)
