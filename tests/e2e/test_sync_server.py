"""The sync server (docs/sync-protocol.md) over a real socket, and its token commands."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import uvicorn

from store import SETTINGS
from store.example import example_motion
from store.file.storage import AtomicJSONStorage
from store.store import Store
from store.sync.server import create_app
from store.sync.tokens import add_token, list_tokens, load_tokens, user_for
from tui.cli import main

from helpers.stored import stored_files

TIMEOUT = httpx.Timeout(5.0, connect=2.0)


@dataclass
class Server:
    url: str
    data: Path
    tokens: Path
    token: str  # the token of user "anna"

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token}"} if token != "" else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=TIMEOUT)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    tokens = tmp_path / "tokens.json"
    token = add_token(tokens, "anna")
    data = tmp_path / "server.json"
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uv = uvicorn.Server(
        uvicorn.Config(
            create_app(data, tokens, lock_timeout=SETTINGS["lock_timeout"].default), log_level="warning", lifespan="on"
        )
    )
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    try:
        yield Server(f"http://127.0.0.1:{port}/api/v1", data, tokens, token)
    finally:
        uv.should_exit = True
        thread.join(timeout=5)
        sock.close()


def motion_doc(title: str = "Radweg", deleted: bool = False, **fields: Any) -> dict[str, Any]:
    return {**example_motion().to_dict(), "id": str(uuid.uuid4()), "title": title, "deleted": deleted, **fields}


def push(client: httpx.Client, *entries: tuple[dict[str, Any], int]) -> httpx.Response:
    body = {"docs": [{"id": doc["id"], "base_rev": base, "doc": doc} for doc, base in entries]}
    return client.post("/bulk", content=orjson.dumps(body), headers={"Content-Type": "application/json"})


def assert_error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error["message"]


# --- the protocol -------------------------------------------------------------------


def test_info_names_the_tokens_user(server: Server) -> None:
    with server.client() as client:
        empty = client.get("/info").json()
        assert empty == {
            "server": "sachstand",
            "protocol": 1,
            "user": "anna",
            "id": "",
            "epoch": "",
            "since": 0,
            "generation": 0,
        }
        push(client, (motion_doc(), 0))
        info = client.get("/info").json()
    assert len(info["id"]) == 16 and len(info["epoch"]) == 16 and info["generation"] == 1


def test_a_missing_or_wrong_token_is_refused_and_nothing_written(server: Server) -> None:
    with server.client("") as anonymous, server.client("wrong-token") as wrong:
        assert_error(anonymous.get("/info"), 401, "unauthorized")
        assert_error(wrong.get("/changes"), 401, "unauthorized")
        assert_error(push(wrong, (motion_doc(), 0)), 401, "unauthorized")
    assert not server.data.exists()


def test_pushed_documents_come_back_in_the_changes(server: Server) -> None:
    first, second = motion_doc("Eins"), motion_doc("Zwei")
    with server.client() as client:
        answer = push(client, (first, 0), (second, 0)).json()
        assert [(r["id"], r["ok"], r["rev"]) for r in answer["results"]] == [
            (first["id"], True, 1),
            (second["id"], True, 1),
        ]
        feed = client.get("/changes").json()
    assert feed["more"] is False and feed["cursor"]
    by_id = {result["id"]: result for result in feed["results"]}
    assert by_id.keys() == {first["id"], second["id"]}
    assert {result["rev"] for result in by_id.values()} == {1}
    assert len({result["seq"] for result in by_id.values()}) == 1  # one transaction
    assert by_id[first["id"]]["doc"]["title"] == "Eins" and by_id[first["id"]]["doc"]["deleted"] is False


def test_a_write_on_the_right_base_raises_the_rev_and_records_the_user(server: Server) -> None:
    doc = motion_doc()
    with server.client() as client:
        push(client, (doc, 0))
        answer = push(client, ({**doc, "title": "Radweg an der B56"}, 1)).json()
    assert answer["results"] == [{"id": doc["id"], "ok": True, "rev": 2}]
    with Store(server.data, user="someone") as store:
        last = store.history(doc["id"])[-1]
    assert last.by == "anna" and last.action == "edit"
    assert [(c.path, c.old, c.new) for c in last.changes] == [("title", "Radweg", "Radweg an der B56")]


def test_a_pushed_edit_is_written_as_the_model_writes_it_with_the_changed_item_stamped(server: Server) -> None:
    doc = motion_doc()
    items = [dict(item) for item in doc["items"]]
    items[1] = {**items[1], "status": "done", "note": "Erledigt"}
    with server.client() as client:
        push(client, (doc, 0))
        push(client, ({**doc, "items": items}, 1))
        fed = client.get("/changes").json()["results"][0]["doc"]
    stored = AtomicJSONStorage(server.data).read()["motions"][doc["id"]]  # the document as written, journal and all
    assert stored["items"][1]["updated_by"] == "anna" and stored["items"][1]["updated"] == stored["updated"]
    assert stored["items"][0] == doc["items"][0] and stored["created"] is not None
    with Store(server.data, user="someone") as store:  # the models the server kept are what it wrote
        written = store.get(doc["id"]).to_dict()
        assert fed == {**written, "deleted": False}
    assert orjson.dumps({key: value for key, value in stored.items() if key in written}) == orjson.dumps(written)


def test_a_stale_base_is_a_conflict_with_the_servers_document(server: Server) -> None:
    doc = motion_doc()
    with server.client() as client:
        push(client, (doc, 0))
        push(client, ({**doc, "title": "Zweiter Stand"}, 1))
        result = push(client, ({**doc, "title": "Mein Stand"}, 1)).json()["results"][0]
    assert result["ok"] is False and result["error"] == "conflict" and result["rev"] == 2
    assert result["doc"]["title"] == "Zweiter Stand"


def test_an_equal_document_keeps_its_rev(server: Server) -> None:
    doc = motion_doc()
    with server.client() as client:
        push(client, (doc, 0))
        before = stored_files(server.data)
        assert push(client, (doc, 1)).json()["results"] == [{"id": doc["id"], "ok": True, "rev": 1}]
    assert stored_files(server.data) == before


def test_a_tombstone_shows_in_the_changes(server: Server) -> None:
    doc = motion_doc()
    with server.client() as client:
        push(client, (doc, 0))
        cursor = client.get("/changes").json()["cursor"]
        assert push(client, ({**doc, "deleted": True}, 1)).json()["results"][0]["rev"] == 2
        feed = client.get("/changes", params={"since": cursor}).json()
    assert [(r["id"], r["rev"], r["doc"]["deleted"]) for r in feed["results"]] == [(doc["id"], 2, True)]


def test_pages_follow_each_other_with_more(server: Server) -> None:
    docs = [motion_doc(f"Antrag {n}") for n in range(5)]
    with server.client() as client:
        push(client, *((doc, 0) for doc in docs[:3]))  # three documents with one seq: a page cuts through it
        push(client, *((doc, 0) for doc in docs[3:]))
        seen, cursor, pages = [], "0", 0
        while True:
            page = client.get("/changes", params={"since": cursor, "limit": 2}).json()
            seen += [result["id"] for result in page["results"]]
            cursor, pages = page["cursor"], pages + 1
            if not page["more"]:
                break
    assert pages == 3 and sorted(seen) == sorted(doc["id"] for doc in docs) and len(seen) == 5


def test_changes_since_a_cursor_are_only_later_writes(server: Server) -> None:
    old, new = motion_doc("Alt"), motion_doc("Neu")
    with server.client() as client:
        push(client, (old, 0))
        cursor = client.get("/changes").json()["cursor"]
        assert client.get("/changes", params={"since": cursor}).json()["results"] == []
        push(client, (new, 0))
        feed = client.get("/changes", params={"since": cursor}).json()
    assert [result["id"] for result in feed["results"]] == [new["id"]]


def test_a_cursor_names_the_servers_lineage_and_one_from_before_a_restore_starts_over(server: Server) -> None:
    first, second = motion_doc("Eins"), motion_doc("Zwei")
    with server.client() as client:
        push(client, (first, 0))
        backup = server.data.read_bytes()  # the whole file: one write, no journal yet
        info = client.get("/info").json()
        push(client, (second, 0))
        cursor = client.get("/changes").json()["cursor"]
        assert cursor.startswith(f"{info['id']}.{info['epoch']}@2:")
        assert client.get("/changes", params={"since": cursor}).json()["results"] == []
        # An older server's cursor has no lineage and is taken as it is.
        assert client.get("/changes", params={"since": cursor.partition("@")[2]}).json()["results"] == []

        for companion in server.data.parent.glob("server.json.journal"):
            companion.unlink()
        server.data.write_bytes(backup)  # restored under the running server
        after = client.get("/info").json()
        assert (after["id"], after["generation"]) == (info["id"], 2) and after["epoch"] != info["epoch"]
        feed = client.get("/changes", params={"since": cursor}).json()
    assert [result["id"] for result in feed["results"]] == [first["id"]]  # the feed starts over
    assert feed["cursor"].startswith(f"{after['id']}.{after['epoch']}@")


@pytest.mark.parametrize(
    "body, named",
    [
        (b'{"docs": [', "not valid JSON"),
        (b'{"documents": []}', "docs"),
        (b'{"docs": [{"id": "x", "base_rev": -1, "doc": {}}]}', "docs[0].base_rev"),
        (b'{"docs": [{"id": "x", "base_rev": 0, "doc": {}, "rev": 1, "by": "x"}]}', "docs[0]: unknown field by"),
        (None, "docs[1].doc.title"),  # a valid document, then a title with an escape code
    ],
)
def test_a_bad_request_is_400_and_writes_nothing(server: Server, body: bytes | None, named: str) -> None:
    with server.client() as client:
        push(client, (motion_doc(), 0))
        before = stored_files(server.data)
        if body is None:
            entries = [motion_doc("Gut"), motion_doc("Böse \x1b[31m")]
            body = orjson.dumps({"docs": [{"id": doc["id"], "base_rev": 0, "doc": doc} for doc in entries]})
        message = assert_error(client.post("/bulk", content=body), 400, "bad_request")
    assert named in message
    assert stored_files(server.data) == before


def _refused_edit(server: Server, number: int, change: dict[str, str]) -> str:
    """Push a motion, then an edit of its item ``number`` that the server must refuse; the message."""
    doc = motion_doc()
    items = [dict(item) for item in doc["items"]]
    items[number].update(change)
    with server.client() as client:
        push(client, (doc, 0))
        before = stored_files(server.data)
        message = assert_error(push(client, ({**doc, "items": items}, 1)), 400, "bad_request")
    assert stored_files(server.data) == before
    return message


def test_a_pushed_edit_with_a_direction_override_is_refused_and_writes_nothing(server: Server) -> None:
    message = _refused_edit(server, 1, {"note": "Erledigt \u202egnuthcaeb"})
    assert "docs[0].doc.items[1].note" in message and "U+202E" in message


def test_a_user_name_the_model_refuses_is_refused_where_an_edit_would_stamp_it(server: Server) -> None:
    tokens = orjson.loads(server.tokens.read_bytes())
    tokens["tokens"]["anna\x07"] = tokens["tokens"].pop("anna")  # a hand-edited tokens file
    server.tokens.write_bytes(orjson.dumps(tokens))
    message = _refused_edit(server, 2, {"status": "done"})
    assert "items[2].updated_by" in message and "U+0007" in message


def test_a_body_over_8_mib_is_413(server: Server) -> None:
    big = b'{"docs": [], "pad": "' + b"x" * (8 * 1024 * 1024) + b'"}'
    with server.client() as client:
        assert_error(client.post("/bulk", content=big), 413, "too_large")

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while reading
            for _ in range(9):
                yield b" " * (1024 * 1024)

        assert_error(client.post("/bulk", content=chunks()), 413, "too_large")
    assert not server.data.exists()


def test_unknown_paths_answer_in_the_error_format(server: Server) -> None:
    with server.client() as client:
        assert_error(client.get("/nothing"), 404, "not_found")
        assert_error(client.get("/changes", params={"since": "later"}), 400, "bad_request")


def test_serve_command_starts_a_server(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    token = add_token(tokens, "berta")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui",
            "serve",
            "--db",
            str(tmp_path / "s.json"),
            "--tokens",
            str(tokens),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 8
        while True:
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}/api/v1/info", headers={"Authorization": f"Bearer {token}"}, timeout=1
                )
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.05)
        assert response.json()["user"] == "berta"
    finally:
        process.terminate()
        process.wait(timeout=5)
        assert process.stderr is not None
        process.stderr.close()


# --- tokens -------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["--lang", "en", *argv], stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_token_add_list_revoke(tmp_path: Path) -> None:
    tokens = str(tmp_path / "tokens.json")
    code, out, _ = run("token", "add", "anna", "--tokens", tokens)
    assert code == 0
    token = out.strip().splitlines()[-1]
    assert user_for(tokens, token) == "anna" and user_for(tokens, token + "x") is None
    assert token not in Path(tokens).read_text()  # only the hash is kept
    code, out, _ = run("token", "list", "--tokens", tokens)
    assert code == 0 and out.startswith("anna\t")
    assert run("token", "revoke", "anna", "--tokens", tokens)[0] == 0
    assert list_tokens(tokens) == [] and load_tokens(tokens) == {}


def test_token_bad_input(tmp_path: Path) -> None:
    tokens = str(tmp_path / "tokens.json")
    assert run("token", "add", "anna", "--tokens", tokens)[0] == 0
    code, _, err = run("token", "add", "anna", "--tokens", tokens)
    assert code == 2 and "already" in err
    code, _, err = run("token", "revoke", "otto", "--tokens", tokens)
    assert code == 2 and "otto" in err
    assert run("token", "add", "evil\x1b[2J", "--tokens", tokens)[0] == 2
    Path(tokens).write_text("{broken")
    code, _, err = run("token", "list", "--tokens", tokens)
    assert code == 1 and tokens in err


def test_tokens_never_look_like_an_option(tmp_path: Path) -> None:
    tokens = [add_token(tmp_path / "tokens.json", f"user{number}") for number in range(64)]
    assert all(token.startswith("sst_") and len(token) > 40 for token in tokens)
    assert len(set(tokens)) == 64


# --- odd queries and a server whose own files fail it: never a 500 that tells ---------------------------

ENDPOINTS = [("GET", "/info"), ("GET", "/changes"), ("POST", "/bulk")]
ODD_VALUES = ["9" * 5000, "1" + "0" * 18, "-1", "-" + "9" * 5000, "abc", "", "1.5", "1e3", " 1", "١٢", "%ff", "0x10"]


@pytest.mark.parametrize("parameter", ["since", "limit", "count"])
def test_every_endpoint_with_any_odd_query_value_answers_without_a_500(server: Server, parameter: str) -> None:
    with server.client() as client:
        push(client, (motion_doc(), 0))
        for (method, path), value in [(endpoint, value) for endpoint in ENDPOINTS for value in ODD_VALUES]:
            # The value goes into the URL as it is, so "%ff" reaches the server as a broken percent escape.
            response = client.request(method, f"{server.url}{path}?{parameter}={value}", content=b'{"docs": []}')
            assert response.status_code < 500, (method, path, value, response.text[:200])
            if response.status_code == 400:
                message = assert_error(response, 400, "bad_request")
                assert message.startswith(f"{parameter}: ") and len(message) < 200, message


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"limit": "9" * 5000}, "limit: expected a whole number from 1"),
        ({"limit": "-1"}, "limit: expected a whole number from 1"),
        ({"limit": "0"}, "limit: expected a whole number from 1"),
        ({"limit": ""}, "limit: expected a whole number from 1"),
        ({"since": "9" * 5000}, "since: not a cursor from this server"),
        ({"since": "-1:x"}, "since: not a cursor from this server"),
        ({"since": "later"}, "since: not a cursor from this server"),
    ],
)
def test_a_bad_limit_or_since_is_a_400_that_says_which_and_what_is_allowed(
    server: Server, query: dict[str, str], says: str
) -> None:
    with server.client() as client:
        assert assert_error(client.get("/changes", params=query), 400, "bad_request").startswith(says)


def test_a_large_limit_is_taken_as_the_largest_and_an_empty_since_as_the_start(server: Server) -> None:
    with server.client() as client:
        push(client, (motion_doc(), 0))
        assert len(client.get("/changes", params={"limit": "1" + "0" * 17}).json()["results"]) == 1
        assert len(client.get("/changes", params={"since": ""}).json()["results"]) == 1


def assert_tells_nothing(response: httpx.Response, status: int, code: str, server: Server) -> None:
    message = assert_error(response, status, code)
    for secret in (str(server.data.parent), server.tokens.name, server.data.name, "Traceback", "line "):
        assert secret not in response.text, (secret, message)


@pytest.mark.parametrize(
    "broken",
    [
        b"{broken",
        b'{"tokens": []}',
        b'{"tokens": {"anna": {"sha256": "\xc3\xa4", "created": ""}}}',  # compare_digest raised TypeError
        b"\xff\xfe",
        None,  # a folder where the file was
    ],
)
def test_a_broken_tokens_file_is_a_503_that_tells_nothing_and_the_log_says_why(
    server: Server, broken: bytes | None, caplog: pytest.LogCaptureFixture
) -> None:
    server.tokens.unlink()
    if broken is None:
        server.tokens.mkdir()
    else:
        server.tokens.write_bytes(broken)
    caplog.set_level("ERROR", logger="sachstand.server")
    with server.client() as client, server.client("") as anonymous, server.client("sst_guess") as guessing:
        for response in (client.get("/info"), guessing.get("/changes"), push(guessing, (motion_doc(), 0))):
            assert_tells_nothing(response, 503, "unavailable", server)
        assert_error(anonymous.get("/info"), 401, "unauthorized")  # no token: nothing to check it against
    assert str(server.tokens) in caplog.text
    assert not server.data.exists()


def test_a_broken_data_file_is_a_503_and_an_unforeseen_failure_a_500_both_telling_nothing(server: Server) -> None:
    with server.client() as client:
        push(client, (motion_doc(), 0))
        written = server.data.read_bytes()
        server.data.write_bytes(b"garbage")
        assert_tells_nothing(client.get("/changes"), 503, "unavailable", server)
        assert_tells_nothing(push(client, (motion_doc(), 0)), 503, "unavailable", server)
        assert server.data.read_bytes() == b"garbage"
        # A damage the file's reader does not catch: a document's seq as text makes the feed's order fail.
        server.data.write_bytes(written.replace(b'"seq":1', b'"seq":"x"'))
        assert_tells_nothing(client.get("/changes"), 500, "internal", server)
