"""The sync client given the server's root URL finds the API itself (docs/sync-protocol.md, "Discovery"),
against the real server on 127.0.0.1; /api/v1 URLs keep working."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from store.example import example_motion
from store.store import Store

from helpers.stored import stored_files
from helpers.sync import Server, cli, model, serving

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


def _root(server: Server) -> str:
    return server.url.removesuffix("/api/v1")


def test_the_root_serves_the_discovery_document_without_a_token(server: Server) -> None:
    answer = httpx.get(_root(server) + "/")
    assert answer.status_code == 200
    assert answer.json() == {"sachstand": {"api": "api/v1", "versions": [1]}}


@pytest.mark.parametrize("suffix", ["", "/"])
def test_a_client_given_the_root_syncs_with_one_given_the_api(tmp_path: Path, server: Server, suffix: str) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with Store(a, user="anna") as store:
        store.add_motion(example_motion())
    first = cli(a, "sync", "--remote", _root(server) + suffix, "--token", server.token)
    assert first.code == 0 and "1 sent" in first.err, first.err
    second = cli(b, "sync", "--remote", server.url, "--token", server.token)
    assert second.code == 0 and "1 received" in second.err, second.err
    assert model(a) == model(b)


def test_an_address_where_no_sachstand_server_answers_says_what_to_give(tmp_path: Path, server: Server) -> None:
    db = tmp_path / "a.json"
    with Store(db, user="anna") as store:
        store.add_motion(example_motion())
    before = stored_files(db)
    for lang, words in (("en", "no Sachstand sync server answers there"), ("de", "dort antwortet kein Sachstand")):
        result = cli(db, "--lang", lang, "sync", "--remote", _root(server) + "/elsewhere", "--token", server.token)
        assert result.code == 1 and words in result.err and "/api/v1" in result.err, result.err
    assert stored_files(db) == before


def _pointing_elsewhere(app: Any) -> Any:
    """The server, but its discovery document names an API on another host: the token must not go there."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/":
            body = orjson.dumps({"sachstand": {"api": "http://elsewhere.invalid/api/v1", "versions": [1]}})
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
            )
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    return wrapped


def test_a_discovery_document_naming_another_host_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "a.json"
    with serving(tmp_path, wrap=_pointing_elsewhere) as server:
        result = cli(db, "sync", "--remote", _root(server), "--token", server.token)
    assert result.code == 1 and "no Sachstand sync server answers there" in result.err
    assert not db.exists()
