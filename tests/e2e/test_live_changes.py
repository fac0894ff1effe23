"""Live changes: GET /changes?wait=S against the real file server on 127.0.0.1 (docs/sync-protocol.md).
Every wait is bounded; no timing is asserted tighter than the protocol promises."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from store.example import example_motion
from store.sync.tokens import add_token
from store.sync.waits import Waits

from helpers.sync import Running, Server, serving

pytestmark = pytest.mark.usefixtures("bounded")
TIMEOUT = httpx.Timeout(10.0, connect=2.0)  # above every wait asked for below


def _client(server: Server) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}, timeout=TIMEOUT)


def _push(client: httpx.Client, title: str = "Radweg") -> None:
    doc = {**example_motion().to_dict(), "id": str(uuid.uuid4()), "title": title, "deleted": False}
    body = orjson.dumps({"docs": [{"id": doc["id"], "base_rev": 0, "doc": doc}]})
    answer = client.post("/bulk", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 200 and answer.json()["results"][0]["ok"], answer.text


def _end(client: httpx.Client) -> str:
    cursor: str = client.get("/changes").json()["cursor"]
    return cursor


def _timed(client: httpx.Client, **params: str) -> tuple[Any, float]:
    started = time.monotonic()
    answer = client.get("/changes", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json(), time.monotonic() - started


def test_answers_at_once_when_something_is_newer(tmp_path: Path) -> None:
    with serving(tmp_path) as server, _client(server) as client:
        _push(client)
        page, took = _timed(client, wait="30")
        assert len(page["results"]) == 1 and took < 5


def test_an_empty_page_after_the_wait(tmp_path: Path) -> None:
    with serving(tmp_path) as server, _client(server) as client:
        _push(client)
        cursor = _end(client)
        page, took = _timed(client, since=cursor, wait="0.5")
        assert page == {"results": [], "cursor": cursor, "more": False}
        assert 0.5 <= took < 5


def test_wakes_when_another_client_pushes(tmp_path: Path) -> None:
    with serving(tmp_path) as server, _client(server) as waiting, _client(server) as colleague:
        _push(colleague, "Erster")
        cursor = _end(waiting)
        answered: list[tuple[Any, float]] = []
        thread = threading.Thread(target=lambda: answered.append(_timed(waiting, since=cursor, wait="20", limit="1")))
        thread.start()
        time.sleep(0.3)  # the request is waiting by now (if not, it answers at once: still right)
        pushed = time.monotonic()
        _push(colleague, "Zweiter")
        thread.join(timeout=8)
        assert answered, "the waiting request did not answer"
        page, _took = answered[0]
        assert [result["doc"]["title"] for result in page["results"]] == ["Zweiter"]
        assert time.monotonic() - pushed < 2  # woken by the push, far before its 20 s


@pytest.mark.parametrize("wait", ["0", "0.0", "61", "60.5", "-1", "abc", "", "1e3", "30s", "0.0001", "٣"])
def test_a_wait_that_is_not_seconds_up_to_60_is_refused(tmp_path: Path, wait: str) -> None:
    with serving(tmp_path) as server, _client(server) as client:
        answer = client.get("/changes", params={"wait": wait})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "bad_request" and error["message"].startswith("wait: expected the seconds")
    assert "at most 60" in error["message"]


def test_the_longest_wait_is_allowed(tmp_path: Path) -> None:
    with serving(tmp_path) as server, _client(server) as client:
        _push(client)
        page, _took = _timed(client, wait="60")  # answers at once: there is news
    assert len(page["results"]) == 1


def test_a_waiting_request_ends_when_the_server_stops(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    token = add_token(tokens, "anna")
    running = Running(tmp_path / "server.json", tokens)
    server = Server(f"http://127.0.0.1:{running.port}/api/v1", token, running.port)
    answered: list[Any] = []
    with _client(server) as client:
        thread = threading.Thread(target=lambda: answered.append(client.get("/changes", params={"wait": "30"})))
        thread.start()
        time.sleep(0.3)
        stopping = time.monotonic()
        running.stop()
        thread.join(timeout=5)
    assert time.monotonic() - stopping < 3 and not running.thread.is_alive()
    assert answered and answered[0].status_code == 200 and answered[0].json()["results"] == []


def _one_wait_at_most(app: Any) -> Any:
    app.state.waits.limit = 1
    return app


def test_one_request_more_than_may_wait_is_told_to_come_back_later(tmp_path: Path) -> None:
    with serving(tmp_path, wrap=_one_wait_at_most) as server, _client(server) as first, _client(server) as second:
        thread = threading.Thread(target=lambda: first.get("/changes", params={"wait": "2"}))
        thread.start()
        time.sleep(0.3)
        answer = second.get("/changes", params={"wait": "2"})
        thread.join(timeout=8)
    assert answer.status_code == 503
    assert answer.json()["error"]["message"] == "too many requests wait for changes (at most 1)"


def test_waits_are_bounded_and_woken_from_any_thread() -> None:
    async def scenario() -> None:
        waits = Waits(OverflowError, limit=1)
        first = asyncio.create_task(waits.wait(waits.mark(), 5))
        await asyncio.sleep(0.05)
        with pytest.raises(OverflowError):
            await waits.wait(waits.mark(), 5)
        started = time.monotonic()
        threading.Thread(target=waits.waker(asyncio.get_running_loop())).start()
        await asyncio.wait_for(first, 5)
        assert time.monotonic() - started < 2 and waits.waiting == 0
        stale = waits.mark()
        waits.wake()
        await asyncio.wait_for(waits.wait(stale, 5), 0.5)  # a write after the mark: no wait at all

    asyncio.run(scenario())
