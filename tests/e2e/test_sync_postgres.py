"""The sync server on PostgreSQL, from the outside: the command line (bodies, tokens, bad input), tenants
kept apart over HTTP, two `sachstand serve` processes on one database, a feed that never skips a write
under concurrent writers, the database restarted or away, and a file server moved in.

Every test has a PostgreSQL of its own making (tests/helpers/postgres.py), a new database each."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg.types.json import Jsonb

from store import ItemStatus, Motion, Store, new_items, new_motion_id
from store.example import example_motion
from store.sync.access import Who
from store.sync.backend import BulkEntry
from store.sync.client import SyncError, make_client, sync
from store.sync.postgres import PostgresBackend, PostgresTenants, add_body, add_token, open_database
from store.sync.postgres.schema import VERSION, migrate
from store.sync.server import tenant_app

from helpers.bounds import isolated
from helpers.postgres import Cluster, Serving, free_port
from helpers.sync import Running, Server, cli, model, run_sync, served_model, serving


@pytest.fixture(autouse=True)
def clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A clean environment, English; server processes and a restarted database take longer than 10 s."""
    with isolated(monkeypatch, tmp_path, 60):
        yield


def _body(url: str, key: str = "kreistag") -> tuple[PostgresBackend, str]:
    """A new body with a token for anna: its backend and the token."""
    database = open_database(url)
    backend = PostgresBackend(database, add_body(database, key, key.title()))
    return backend, add_token(database, "anna", key)


def _motion(title: str) -> Motion:
    return Motion(id=new_motion_id(), title=title, items=new_items(["Bericht"]))


def _get(server: str, token: str, path: str) -> httpx.Response:
    return httpx.get(f"{server}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def _sync(db: Path, url: str, token: str, user: str = "anna") -> None:
    with make_client(token) as client, Store(db, user=user) as store:
        sync(store, url, token, client=client, backoff=0)


# --- the command line --------------------------------------------------------------------


def test_bodies_and_tokens_on_the_command_line(tmp_path: Path, database: str, postgres_cluster: Cluster) -> None:
    db = tmp_path / "unused.json"
    through_socket = postgres_cluster.socket_url(database.rsplit("/", 1)[1])  # ...@/test1?host=/tmp/...&port=...
    assert cli(db, "body", "list", "--database", through_socket).err.startswith("No bodies")
    added = cli(db, "body", "add", "kreistag", "--name", "Kreistag Musterkreis", "--database", database)
    assert added.code == 0, added.err
    made = cli(db, "token", "add", "anna", "--database", database)  # one body: --body is not needed
    assert made.code == 0 and made.out.startswith("sst_") and "database keeps only its hash" in made.err
    assert cli(db, "body", "add", "rat", "--name", "Stadtrat", "--database", database).code == 0
    assert cli(db, "token", "add", "ben", "--database", database, "--body", "rat").code == 0
    listed = cli(db, "body", "list", "--database", database).out.splitlines()
    assert listed == ["kreistag\tKreistag Musterkreis\t0\t1", "rat\tStadtrat\t0\t1"]
    tokens = cli(db, "token", "list", "--database", database).out
    assert [line.split("\t")[:2] for line in tokens.splitlines()] == [["kreistag", "anna"], ["rat", "ben"]]
    assert cli(db, "token", "revoke", "ben", "--database", database, "--body", "rat").code == 0
    assert cli(db, "token", "list", "--database", database, "--body", "rat").out == ""
    with psycopg.connect(database) as connection:  # only the hash is kept
        (stored,) = connection.execute("SELECT sha256 FROM sachstand.tokens").fetchone() or ("",)
    assert len(stored) == 64 and made.out.strip() not in stored
    assert not db.exists()


def test_bad_input_says_what_and_where(tmp_path: Path, database: str) -> None:
    db = tmp_path / "unused.json"
    bad = cli(db, "body", "list", "--database", "not a url")
    assert bad.code == 2 and "--database: not a PostgreSQL connection URL" in bad.err
    away = cli(db, "body", "add", "rat", "--name", "Stadtrat", "--database", "postgresql://postgres@127.0.0.1:1/none")
    assert away.code == 1 and "cannot reach the database postgresql://postgres@127.0.0.1:1/none" in away.err
    none_yet = cli(db, "token", "add", "anna", "--database", database)
    assert none_yet.code == 2 and "no body yet" in none_yet.err
    for key in ("kreistag", "rat"):
        assert cli(db, "body", "add", key, "--name", key, "--database", database).code == 0
    twice = cli(db, "body", "add", "rat", "--name", "again", "--database", database)
    assert twice.code == 2 and "there is a body rat already" in twice.err
    wrong_key = cli(db, "body", "add", "Stadt Rat", "--name", "x", "--database", database)
    assert wrong_key.code == 2 and wrong_key.err.count("KEY: expected 1 to 40") == 1
    several = cli(db, "token", "add", "anna", "--database", database)
    assert several.code == 2 and "--body:" in several.err and "(kreistag, rat)" in several.err
    unknown = cli(db, "token", "add", "anna", "--database", database, "--body", "gemeinderat")
    assert unknown.code == 2 and "no body gemeinderat" in unknown.err
    not_file = cli(db, "token", "list", "--tokens", str(tmp_path / "t.json"), "--body", "rat")
    assert not_file.code == 2 and "--body: only with --database" in not_file.err
    both = cli(db, "token", "list", "--tokens", str(tmp_path / "t.json"), "--database", database)
    assert both.code == 2
    no_import = cli(db, "serve", "--tokens", str(tmp_path / "t.json"), "--import", str(tmp_path / "s.json"))
    assert no_import.code == 2 and "only with --database" in no_import.err
    tokens_too = cli(db, "serve", "--database", database, "--tokens", str(tmp_path / "t.json"))
    assert tokens_too.code == 2 and "--tokens: the database holds the tokens" in tokens_too.err
    assert cli(db, "token", "list", "--database", database).out == ""  # nothing was written


def test_processes_starting_together_migrate_the_schema_once(database: str) -> None:
    opened = [open_database(database) for _ in range(4)]
    threads = [threading.Thread(target=one.ensure_schema) for one in opened]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    with psycopg.connect(database) as connection:
        versions = connection.execute("SELECT version FROM sachstand.migrations ORDER BY version").fetchall()
    assert versions == [(version,) for version in range(1, VERSION + 1)]
    for one in opened:
        one.close()


def test_a_database_of_a_newer_schema_is_refused(tmp_path: Path, database: str) -> None:
    assert cli(tmp_path / "x.json", "body", "list", "--database", database).code == 0  # makes the schema
    with psycopg.connect(database) as connection:
        connection.execute("INSERT INTO sachstand.migrations (version) VALUES (99)")
    refused = cli(tmp_path / "x.json", "body", "list", "--database", database)
    assert refused.code == 1 and "schema is version 99, made by a newer Sachstand" in refused.err
    served = cli(tmp_path / "x.json", "serve", "--database", database, "--port", str(free_port()))
    assert served.code == 1 and "newer Sachstand" in served.err


def test_a_database_of_version_2_keeps_its_motions_and_history_as_json_text(database: str) -> None:
    """Version 3 stores the motions and history entries as JSON text, not jsonb: a body written by version 2
    is read as it was, and written on, after the migration."""
    written, entry = _motion("Radwege"), {"seq": 1, "at": "2026-01-05T10:00:00+00:00", "by": "anna"}
    entry |= {"action": "create", "changes": [["title", None, "Radwege"]]}
    with psycopg.connect(database) as connection:  # the schema as version 2 made it, with a motion
        migrate(connection, database, to=2)
        (body,) = connection.execute(
            "INSERT INTO sachstand.bodies (key, name, server_id, epoch, seq) VALUES ('rat', 'Rat', 'a', 'b', 1)"
            " RETURNING id"
        ).fetchone() or (0,)
        connection.execute(
            "INSERT INTO sachstand.documents VALUES (%s, %s, 1, 1, false, %s)",
            (body, written.id, Jsonb(written.to_dict())),
        )
        connection.execute(
            "INSERT INTO sachstand.history (body, motion_id, seq, at, by, entry) VALUES (%s, %s, 1, %s, 'anna', %s)",
            (body, written.id, entry["at"], Jsonb(entry)),
        )
    opened = open_database(database)
    try:
        backend = PostgresBackend(opened, body)
        (found,), more = backend.changes((0, ""), 10)
        assert not more and found.doc == {**written.to_dict(), "deleted": False} and found.by == "anna"
        changed = replace(written, title="Radwege am Ring")
        pushed = BulkEntry(changed.id, 1, {**changed.to_dict(), "deleted": False}, changed)
        assert backend.bulk([pushed], Who("ben")) == [{"id": written.id, "ok": True, "rev": 2}]
        assert [(one.by, one.action) for one in backend.history(written.id)] == [("anna", "create"), ("ben", "edit")]
        (found,), _more = backend.changes((0, ""), 10)
        assert (found.rev, found.doc["title"], found.by) == (2, "Radwege am Ring", "ben")
    finally:
        opened.close()


# --- tenants -----------------------------------------------------------------------------


def test_a_token_sees_and_changes_only_its_own_body(tmp_path: Path, database: str) -> None:
    kreistag, anna = _body(database, "kreistag")
    rat, ben = _body(database, "rat")
    running = Running(None, None, app=tenant_app(PostgresTenants(kreistag.database)))
    try:
        url = f"http://127.0.0.1:{running.port}/api/v1"
        a, b = tmp_path / "a.json", tmp_path / "b.json"
        with Store(a, user="anna") as store:
            motion = store.add_motion(example_motion())
        assert run_sync(a, Server(url, anna, running.port)).code == 0
        pulled = run_sync(b, Server(url, ben, running.port))
        assert pulled.code == 0 and "0 received, 0 sent" in pulled.err
        assert _get(url, ben, "/info").json()["generation"] == 0
        assert _get(url, ben, "/changes").json()["results"] == []
        # The same id in the other body is a document of its own there, not a conflict with the first.
        theirs = {**motion.to_dict(), "title": "Beschluss des Stadtrats", "deleted": False}
        pushed = httpx.post(
            f"{url}/bulk",
            json={"docs": [{"id": motion.id, "base_rev": 0, "doc": theirs}]},
            headers={"Authorization": f"Bearer {ben}"},
        )
        assert pushed.json()["results"] == [{"id": motion.id, "ok": True, "rev": 1}]
        assert served_model(kreistag)[motion.id]["title"] == motion.title
        assert served_model(rat)[motion.id]["title"] == "Beschluss des Stadtrats"
        assert [entry.by for entry in rat.history()] == ["anna"]  # the token's user, in its own body
        assert len(kreistag.history()) == 1
        assert _get(url, "sst_unknown", "/info").status_code == 401
    finally:
        running.stop()
        rat.database.close()


# --- several processes -------------------------------------------------------------------


def test_two_server_processes_on_one_database_behave_as_one(tmp_path: Path, database: str) -> None:
    backend, token = _body(database)
    one = Serving(database, tmp_path / "one.log").start()
    two = Serving(database, tmp_path / "two.log").start()
    try:
        a, b = tmp_path / "a.json", tmp_path / "b.json"
        with Store(a, user="anna") as store:
            motion_id = store.add_motion(example_motion()).id
        _sync(a, one.url, token)
        _sync(b, two.url, token, "ben")
        with Store(a, user="anna") as store:  # different fields merge; the same field conflicts
            store.update_motion(motion_id, title="Anna")
            store.set_item(motion_id, 1, note="Anna")
        with Store(b, user="ben") as store:
            store.set_item(motion_id, 2, status=ItemStatus.DONE)
            store.set_item(motion_id, 1, note="Ben")
        _sync(a, two.url, token)
        _sync(b, one.url, token, "ben")
        with Store(b, user="ben") as store:
            assert [conflict.path for conflict in store.conflicts()] == ["items.1.note"]
            store.resolve(motion_id, "items.1", "theirs")
        _sync(b, two.url, token, "ben")
        _sync(a, one.url, token)
        assert model(a) == model(b) == served_model(backend)
        with Store(a, user="anna") as store:
            merged = store.get(motion_id)
            assert (merged.title, merged.items[0].note, merged.items[1].status) == ("Anna", "Anna", ItemStatus.DONE)
    finally:
        one.stop()
        two.stop()
        backend.database.close()


@pytest.mark.slow
def test_the_feed_never_skips_a_write_of_concurrent_writers_in_two_processes(tmp_path: Path, database: str) -> None:
    backend, token = _body(database)
    servers = [Serving(database, tmp_path / f"{n}.log").start() for n in range(2)]
    acknowledged: set[str] = set()
    seen: list[str] = []
    writing = threading.Event()
    writing.set()
    headers = {"Authorization": f"Bearer {token}"}

    def write(number: int) -> None:
        with httpx.Client(headers=headers, timeout=20) as client:
            for round_ in range(25):
                motions = [_motion(f"{number}.{round_}.{n}") for n in range(1 + round_ % 3)]
                docs = [{"id": m.id, "base_rev": 0, "doc": {**m.to_dict(), "deleted": False}} for m in motions]
                answer = client.post(f"{servers[(number + round_) % 2].url}/bulk", json={"docs": docs})
                assert all(result["ok"] for result in answer.json()["results"])
                acknowledged.update(m.id for m in motions)

    def read() -> None:
        cursor, turn = "", 0
        with httpx.Client(headers=headers, timeout=20) as client:
            while True:
                last = not writing.is_set()
                turn += 1
                page = client.get(
                    f"{servers[turn % 2].url}/changes", params={"since": cursor, "limit": 7} if cursor else {"limit": 7}
                ).json()
                seen.extend(result["id"] for result in page["results"])
                cursor = page["cursor"]
                if last and not page["more"]:
                    return

    try:
        reader = threading.Thread(target=read)
        writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
        reader.start()
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join(timeout=50)
        writing.clear()
        reader.join(timeout=20)
        assert len(acknowledged) == sum(1 + r % 3 for r in range(25)) * 4
        # Read page by page while the writes went on, the cursor never passed a write still in flight.
        assert set(seen) == acknowledged and len(seen) == len(acknowledged)
        assert len(backend.history()) == len(acknowledged)
        assert not any("new epoch" in server.messages() for server in servers)  # no restore seen in a race
    finally:
        for server in servers:
            server.stop()
        backend.database.close()


# --- the database away -------------------------------------------------------------------


def _stopping_at_first_push(app: Any, cluster: Cluster) -> Any:
    """The server's app, with PostgreSQL stopped as the first push arrives (the pull before it went through)."""
    stopped = threading.Event()

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/bulk") and not stopped.is_set():
            stopped.set()
            cluster.stop()
        await app(scope, receive, send)

    return wrapped


def test_a_restart_of_postgresql_in_the_middle_of_a_sync(
    tmp_path: Path, database: str, postgres_cluster: Cluster
) -> None:
    backend, token = _body(database)
    running = Running(
        None,
        None,
        app=tenant_app(PostgresTenants(backend.database)),
        wrap=lambda app: _stopping_at_first_push(app, postgres_cluster),
    )
    url = f"http://127.0.0.1:{running.port}/api/v1"
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    try:
        with Store(a, user="anna") as store:
            ids = [store.add_motion(_motion(f"Antrag {n}")).id for n in range(20)]
        with pytest.raises(SyncError, match="HTTP 503"):
            _sync(a, url, token)
        away = _get(url, token, "/info")
        assert away.status_code == 503
        assert away.json()["error"]["message"] == "the server cannot reach its database at the moment; its log says why"
        postgres_cluster.start()  # the same server process, not restarted: it recovers by itself
        _sync(a, url, token)
        _sync(b, url, token, "ben")
        with Store(a, user="anna") as store:
            assert store.sync_state(url).pending == 0
        assert model(a) == model(b) == served_model(backend)
        assert sorted(entry.motion_id for entry in backend.history()) == sorted(ids)  # each once
    finally:
        running.stop()
        if not postgres_cluster.accepting():
            postgres_cluster.start()
        backend.database.close()


def test_the_database_unreachable_at_start(tmp_path: Path, database: str, postgres_cluster: Cluster) -> None:
    backend, token = _body(database)
    backend.database.close()
    postgres_cluster.stop()
    server = Serving(database, tmp_path / "serve.log")
    try:
        server.start()  # it starts all the same, and says so
        assert "answering 503 until it can be reached" in server.messages()
        away = _get(server.url, token, "/info")
        assert away.status_code == 503 and "cannot reach its database" in away.json()["error"]["message"]
        postgres_cluster.start()
        a = tmp_path / "a.json"
        with Store(a, user="anna") as store:
            store.add_motion(example_motion())
        _sync(a, server.url, token)
        assert _get(server.url, token, "/info").json()["generation"] == 1
    finally:
        server.stop()
        if not postgres_cluster.accepting():
            postgres_cluster.start()


# --- moving a file server in -------------------------------------------------------------


def test_a_file_server_moved_in_keeps_its_clients_syncing_without_a_full_pull(tmp_path: Path, database: str) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with serving(tmp_path) as old:
        with Store(a, user="anna") as store:
            first = store.add_motion(example_motion())
            second = store.add_motion(_motion("Spielplatz"))
            store.set_item(first.id, 1, note="Vor dem Umzug")
        assert run_sync(a, old).code == 0
        assert run_sync(b, old).code == 0
        with Store(b, user="ben") as store:
            store.delete_motion(second.id)
        assert run_sync(b, old).code == 0
        assert run_sync(a, old).code == 0
    db = tmp_path / "unused.json"
    assert cli(db, "body", "add", "kreistag", "--name", "Kreistag", "--database", database).code == 0
    moved = Serving(database, tmp_path / "serve.log", "--import", str(tmp_path / "server.json"))
    moved.extra += ("--tokens", str(tmp_path / "tokens.json"))
    moved.port, moved.url = old.port, old.url  # the same address: the clients' cursors are kept per server URL
    moved.start()
    try:
        assert "Imported 2 motions, 3 history entries and 1 tokens" in moved.messages()
        for db_ in (a, b):
            again = run_sync(db_, old)  # the same token, and nothing to pull again
            assert again.code == 0 and "0 received, 0 sent" in again.err, again.err
        with Store(b, user="ben") as store:
            store.set_item(first.id, 1, note="Nach dem Umzug")
        assert run_sync(b, old).code == 0
        assert "1 received" in run_sync(a, old).err
        assert model(a) == model(b)
    finally:
        moved.stop()
    refused = cli(
        db, "serve", "--database", database, "--import", str(tmp_path / "server.json"), "--port", str(free_port())
    )
    assert refused.code == 2 and "the body holds 2 motions already" in refused.err
    missing = cli(db, "serve", "--database", database, "--import", str(tmp_path / "none.json"))
    assert missing.code == 2 and "--import:" in missing.err and "no such file" in missing.err


def test_listen_wakes_on_a_write_of_another_process(tmp_path: Path, database: str) -> None:
    backend, token = _body(database)
    woken = threading.Event()
    backend.listen(woken.set)
    server = Serving(database, tmp_path / "serve.log").start()
    try:
        woken.wait(5)  # the listener's first wake: it says it is listening
        woken.clear()
        docs = [{"id": m.id, "base_rev": 0, "doc": {**m.to_dict(), "deleted": False}} for m in [_motion("Radweg")]]
        httpx.post(f"{server.url}/bulk", json={"docs": docs}, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert woken.wait(5), "no NOTIFY reached the listener"
    finally:
        server.stop()
        backend.database.close()


def test_a_database_restored_under_a_running_server_is_noticed_and_loses_no_client_work(
    tmp_path: Path, database: str, postgres_cluster: Cluster
) -> None:
    backend, token = _body(database)
    running = Running(None, None, app=tenant_app(PostgresTenants(backend.database)))
    url = f"http://127.0.0.1:{running.port}/api/v1"
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    try:
        with Store(a, user="anna") as store:
            first = store.add_motion(example_motion())
        _sync(a, url, token)
        _sync(b, url, token, "ben")
        backup = tmp_path / "backup.dump"
        dump = [postgres_cluster.bin / "pg_dump", "--format=custom", f"--file={backup}", database]
        subprocess.run(dump, check=True, capture_output=True, timeout=60)
        with Store(a, user="anna") as store:
            store.set_item(first.id, 1, status=ItemStatus.DONE)
            second = store.add_motion(_motion("Nach der Sicherung"))
        _sync(a, url, token)  # confirmed by the server, and then lost with the restore
        restore = [postgres_cluster.bin / "pg_restore", "--clean", "--if-exists", f"--dbname={database}", backup]
        subprocess.run(restore, check=True, capture_output=True, timeout=60)
        assert second.id not in served_model(backend)
        with make_client(token) as client, Store(a, user="anna") as store:
            report = sync(store, url, token, client=client, backoff=0)
        assert report.rejoined is not None  # told, and sent again
        # Ben agreed on the state before the backup; the server's is newer than that, written since the
        # restore: which is newer cannot be told, so it is his to decide (store/sync/epoch.py).
        _sync(b, url, token, "ben")
        with Store(b, user="ben") as store:
            assert [conflict.path for conflict in store.conflicts()] == ["items.1"]
            store.resolve(first.id, "items.1", "theirs")
        _sync(b, url, token, "ben")
        assert model(a) == model(b) == served_model(backend)
        assert served_model(backend)[first.id]["items"][0]["status"] == "done"
    finally:
        running.stop()
        backend.database.close()
