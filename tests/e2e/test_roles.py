"""Roles on tokens against the real server on 127.0.0.1, both backends: who reads and changes what
(store/sync/access.py), the feed's withdrawals, refused pushes, and the client's side of them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from store import Store, Who, new_motion_id
from store.example import example_motion
from store.sync.tokens import add_token

from helpers.stored import stored_files
from helpers.sync import BOTH_BACKENDS, Server, cli, model, run_sync

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test

AMT10, AMT20 = "Amt 10", "Amt 20"


def role_token(request: pytest.FixtureRequest, tmp_path: Path, name: str, role: str, *departments: str) -> str:
    """A token of ``role`` on the server the test runs against (its tokens file, or its database)."""
    if request.node.callspec.params.get("server", "file") == "file":
        return add_token(tmp_path / "tokens.json", name, role=role, departments=departments)
    from store.sync.postgres import add_token as add_database_token
    from store.sync.postgres import open_database

    database = open_database(request.getfixturevalue("database"))
    try:
        return add_database_token(database, name, None, role=role, departments=departments)
    finally:
        database.close()


def motion_doc(title: str, public: bool, *departments: str) -> dict[str, Any]:
    """A motion document as a push sends it, one item per department."""
    doc = example_motion().to_dict()
    items = [{**doc["items"][0], "number": n, "department": d} for n, d in enumerate(departments, start=1)]
    return {**doc, "id": new_motion_id(), "title": title, "public": public, "items": items, "deleted": False}


class Api:
    """The protocol spoken directly, as a modified client would."""

    def __init__(self, server: Server) -> None:
        self.url = server.url

    def feed(self, token: str, limit: int = 1000) -> tuple[list[dict[str, Any]], str]:
        """Every entry of the feed, ``limit`` a page, and the last cursor."""
        entries: list[dict[str, Any]] = []
        cursor = "0"
        while True:
            page = self.get(token, "/changes", since=cursor, limit=limit)
            entries += page["results"]
            cursor = page["cursor"]
            if not page["more"]:
                return entries, cursor

    def docs(self, token: str) -> dict[str, dict[str, Any]]:
        return {entry["id"]: entry for entry in self.feed(token)[0]}

    def get(self, token: str, path: str, **params: Any) -> Any:
        answer = httpx.get(f"{self.url}{path}", params=params, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def push(self, token: str, doc: dict[str, Any], base_rev: int) -> dict[str, Any]:
        body = orjson.dumps({"docs": [{"id": doc["id"], "base_rev": base_rev, "doc": doc}]})
        answer = httpx.post(
            f"{self.url}/bulk",
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        assert answer.status_code == 200, answer.text
        (result,) = answer.json()["results"]
        return dict(result)


def _item(doc: dict[str, Any], number: int, **changes: Any) -> dict[str, Any]:
    items = [{**item, **changes} if item["number"] == number else item for item in doc["items"]]
    return {**doc, "items": items}


# Each change as (name, how it turns the public motion's document into the pushed one; None: a new motion).
CHANGES = (
    ("status of its own department's item", lambda doc: _item(doc, 1, status="done")),
    ("status of another department's item", lambda doc: _item(doc, 2, status="done")),
    ("an item's department", lambda doc: _item(doc, 1, department="Amt 30")),
    ("a motion field", lambda doc: {**doc, "title": "Anderer Titel"}),
    ("add a motion", None),
    ("delete the motion", lambda doc: {**doc, "deleted": True}),
)
ALLOWED = {  # per role: which of CHANGES it may make
    "reader": set(),
    "department": {"status of its own department's item"},
    "clerk": {name for name, _change in CHANGES},
}


@pytest.fixture
def office(request: pytest.FixtureRequest, tmp_path: Path, server: Server) -> Iterator[dict[str, Any]]:
    """The clerk's three motions on the server (public; non-public with an item of Amt 10; non-public of
    Amt 20 alone) and a token of each role."""
    api = Api(server)
    motions = {
        "public": motion_doc("Radweg", True, AMT10, AMT20),
        "hidden": motion_doc("Grundstück", False, AMT10, AMT20),
        "other": motion_doc("Personalsache", False, AMT20),
    }
    for doc in motions.values():
        assert api.push(server.token, doc, 0)["ok"] is True
    tokens = {
        "clerk": server.token,
        "department": role_token(request, tmp_path, "amt10", "department", AMT10),
        "reader": role_token(request, tmp_path, "fraktion", "reader"),
    }
    yield {"api": api, "ids": {key: doc["id"] for key, doc in motions.items()}, "tokens": tokens}


@BOTH_BACKENDS
def test_each_role_reads_and_changes_what_it_may(office: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    api, ids, tokens = office["api"], office["ids"], office["tokens"]
    caplog.set_level(logging.WARNING, logger="sachstand.server")
    readable = {"clerk": {"public", "hidden", "other"}, "department": {"public", "hidden"}, "reader": {"public"}}
    for role, token in tokens.items():
        assert api.get(token, "/me")["role"] == role
        seen = api.docs(token)
        for key, motion_id in ids.items():
            assert ("doc" in seen[motion_id]) == (key in readable[role]), (role, key)
            assert seen[motion_id].get("withdrawn", False) == (key not in readable[role]), (role, key)
    for role in ("reader", "department", "clerk"):
        for name, change in CHANGES:
            before = api.docs(tokens["clerk"])
            current = before[ids["public"]]
            doc = motion_doc("Neu", True, AMT10) if change is None else change(current["doc"])
            result = api.push(tokens[role], doc, 0 if change is None else current["rev"])
            if name in ALLOWED[role]:
                assert result["ok"] is True, (role, name, result)
                continue
            assert result == {"id": doc["id"], "ok": False, "error": "forbidden", "reason": result["reason"]}
            assert result["reason"], (role, name)
            assert api.docs(tokens["clerk"]) == before, f"{role}: {name}: the server's data changed"
            logged = [record.getMessage() for record in caplog.records if "refused" in record.getMessage()]
            assert any(f"motion {doc['id']}" in line and role in line for line in logged), (role, name)


@BOTH_BACKENDS
def test_a_department_sets_status_of_its_items_in_non_public_motions(office: dict[str, Any]) -> None:
    api, ids, tokens = office["api"], office["ids"], office["tokens"]
    hidden = api.docs(tokens["department"])[ids["hidden"]]
    assert api.push(tokens["department"], _item(hidden["doc"], 1, note="Läuft"), hidden["rev"])["ok"] is True
    other = api.docs(tokens["clerk"])[ids["other"]]  # it may not read this one: refused, and not shown
    result = api.push(tokens["department"], _item(other["doc"], 1, status="done"), other["rev"] - 1)
    assert result["error"] == "forbidden" and "doc" not in result


@BOTH_BACKENDS
def test_a_non_public_motion_never_reaches_a_reader(office: dict[str, Any], tmp_path: Path, server: Server) -> None:
    api, ids, tokens = office["api"], office["ids"], office["tokens"]
    entries, cursor = api.feed(tokens["reader"], limit=1)  # every page: one entry each
    clerk_entries, clerk_cursor = api.feed(tokens["clerk"], limit=1)
    assert [entry["id"] for entry in entries] == [entry["id"] for entry in clerk_entries] and cursor == clerk_cursor
    text = orjson.dumps(entries).decode()
    assert "Grundstück" not in text and "Personalsache" not in text
    reader = tmp_path / "reader.json"
    assert run_sync(reader, server, tokens["reader"]).code == 0
    assert set(model(reader)) == {ids["public"]}
    public = api.docs(tokens["clerk"])[ids["public"]]  # the clerk makes it non-public
    assert api.push(tokens["clerk"], {**public["doc"], "public": False}, public["rev"])["ok"] is True
    assert run_sync(reader, server, tokens["reader"]).code == 0
    assert model(reader) == {}
    # The data file, its journal and its backups: a withdrawal removes the backups that held the motion.
    stored = b"".join(
        [*stored_files(reader).values(), *(part.read_bytes() for part in tmp_path.glob("reader.json.bak*"))]
    )
    for title in ("Radweg", "Grundstück", "Personalsache"):
        assert title.encode() not in stored, title
    public = api.docs(tokens["clerk"])[ids["public"]]  # public again: it comes back whole
    assert api.push(tokens["clerk"], {**public["doc"], "public": True}, public["rev"])["ok"] is True
    assert run_sync(reader, server, tokens["reader"]).code == 0
    assert set(model(reader)) == {ids["public"]} and model(reader)[ids["public"]]["title"] == "Radweg"


@BOTH_BACKENDS
def test_a_refused_change_is_kept_said_and_not_sent_again(
    office: dict[str, Any], tmp_path: Path, server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    ids, tokens = office["ids"], office["tokens"]
    caplog.set_level(logging.WARNING, logger="sachstand.server")
    mine = tmp_path / "amt10.json"
    assert run_sync(mine, server, tokens["department"]).code == 0
    with Store(mine, user="amt10") as store:
        assert store.sync_state(server.url).who == Who("amt10", "department", (AMT10,))  # kept for offline use
        store.set_item(ids["public"], 1, note="In Arbeit")
        store.update_motion(ids["hidden"], title="Umbenannt")
    result = run_sync(mine, server, tokens["department"])
    assert result.code == 3, result.err
    assert "Umbenannt" in result.err and "a department does not change the motion's fields (title)" in result.err
    server_docs = office["api"].docs(tokens["clerk"])
    assert server_docs[ids["hidden"]]["doc"]["title"] == "Grundstück"
    assert server_docs[ids["public"]]["doc"]["items"][0]["note"] == "In Arbeit"
    refusals = len([record for record in caplog.records if "refused" in record.getMessage()])
    again = run_sync(mine, server, tokens["department"])
    assert again.code == 3 and "0 sent" in again.err
    assert len([record for record in caplog.records if "refused" in record.getMessage()]) == refusals
    with Store(mine, user="amt10") as store:
        assert store.get(ids["hidden"]).title == "Umbenannt"  # kept here until dropped
        assert [refusal.motion_id for refusal in store.refused()] == [ids["hidden"]]
    listed = cli(mine, "conflicts")
    assert "refused by the server" in listed.out and "(title)" in listed.out
    wrong = cli(mine, "resolve", ids["hidden"][:8], "1", "--drop")
    assert wrong.code == 2 and "--drop: a refused change is the whole motion's" in wrong.err
    dropped = cli(mine, "resolve", ids["hidden"][:8], "motion", "--drop")
    assert dropped.code == 0, dropped.err
    with Store(mine, user="amt10") as store:
        assert store.get(ids["hidden"]).title == "Grundstück" and store.refused() == []
    assert cli(mine, "resolve", ids["hidden"][:8], "motion", "--drop").code != 0  # nothing left to drop
    assert run_sync(mine, server, tokens["department"]).code == 0


def test_token_roles_on_the_command_line(tmp_path: Path) -> None:
    db, tokens = tmp_path / "unused.json", tmp_path / "tokens.json"
    assert cli(db, "token", "add", "anna", "--tokens", str(tokens)).code == 0
    made = cli(db, "token", "add", "amt10", "--tokens", str(tokens), "--role", "department", "--department", AMT10)
    assert made.code == 0, made.err
    assert cli(db, "token", "add", "fraktion", "--tokens", str(tokens), "--role", "reader").code == 0
    before = tokens.read_bytes()
    for args, said in (
        (("--role", "department"), "--department: the role department needs at least one --department."),
        (("--role", "reader", "--department", AMT10), "--department: only the role department has departments"),
        (("--department", AMT10), "--department: only the role department has departments (this token's role: clerk)"),
        (("--role", "boss"), "--role: expected one of clerk, department, reader, got 'boss'."),
    ):
        refused = cli(db, "token", "add", "x", "--tokens", str(tokens), *args)
        assert refused.code == 2 and said in refused.err, refused.err
    assert tokens.read_bytes() == before
    listed = [line.split("\t") for line in cli(db, "token", "list", "--tokens", str(tokens)).out.splitlines()]
    assert [(row[0], row[2], row[3]) for row in listed] == [
        ("anna", "clerk", ""),
        ("amt10", "department", AMT10),
        ("fraktion", "reader", ""),
    ]
    german = cli(db, "--lang", "de", "token", "add", "x", "--tokens", str(tokens), "--role", "department")
    assert german.code == 2 and "braucht mindestens ein --department" in german.err


def test_a_tokens_file_from_before_roles_gives_clerks(tmp_path: Path) -> None:
    from store.sync.tokens import list_tokens, token_hash

    tokens = tmp_path / "tokens.json"
    entry = {"sha256": token_hash("sst_old"), "created": "2026-01-01T00:00:00+00:00"}
    tokens.write_bytes(orjson.dumps({"tokens": {"anna": entry}}))
    assert [who for _name, _created, who in list_tokens(tokens)] == [Who("anna")]


def test_tokens_of_a_database_from_before_roles_become_clerks(database: str) -> None:
    import psycopg

    from store.sync.postgres import PostgresTenants, open_database
    from store.sync.postgres.schema import migrate
    from store.sync.tokens import token_hash

    with psycopg.connect(database) as connection:  # the schema as version 1 made it, with a token
        migrate(connection, database, to=1)
        connection.execute("INSERT INTO sachstand.bodies (key, name, server_id, epoch) VALUES ('rat', 'Rat', 'a', 'b')")
        connection.execute(
            "INSERT INTO sachstand.tokens (body, name, sha256, created) SELECT id, 'anna', %s, '' FROM sachstand.bodies",
            (token_hash("sst_old"),),
        )
    tenants = PostgresTenants(open_database(database))
    try:
        found = tenants.resolve("sst_old")
        assert found is not None and found[0] == Who("anna")
    finally:
        tenants.close()
