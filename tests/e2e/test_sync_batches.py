"""Large syncs: a push split into bodies the server accepts, a pull paged through the changes feed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

import store.sync.client
from store import Motion, Store, SyncProgress, new_items, new_motion_id
from store.file import storage
from store.file.names import StoreFiles
from store.sync.client import sync

from helpers.sync import BOTH_BACKENDS, Server, model, run_sync, serving

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


def motions(count: int) -> list[Motion]:
    return [
        Motion(
            id=new_motion_id(), title=f"Antrag {number}", items=new_items([f"Punkt {number}.1", f"Punkt {number}.2"])
        )
        for number in range(count)
    ]


def add_motions(path: Path, count: int) -> None:
    """``count`` new motions in the store at ``path``, before a test syncs it."""
    with Store(path, user="anna") as local:
        for motion in motions(count):
            local.add_motion(motion)


@pytest.fixture
def counted(tmp_path: Path) -> Iterator[tuple[Server, list[str]]]:
    """The real server, recording the path and query of every request."""
    requests: list[str] = []

    def wrap(app: Any) -> Any:
        async def recording(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                requests.append(f"{scope['method']} {scope['path']}?{scope['query_string'].decode()}")
            await app(scope, receive, send)

        return recording

    with serving(tmp_path, wrap=wrap) as server:
        yield server, requests


def test_a_push_larger_than_one_body_goes_in_several_requests(
    tmp_path: Path, counted: tuple[Server, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, requests = counted
    monkeypatch.setattr(store.sync.client, "PUSH_BYTES", 1500)  # about two of these motions per body
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    add_motions(a, 7)
    result = run_sync(a, server)
    assert result.code == 0, result.err
    assert "7 sent" in result.err and "Syncing" not in result.err  # no progress line but on a terminal
    assert sum(request.startswith("POST") for request in requests) > 2
    assert run_sync(b, server).code == 0
    assert model(b) == model(a) and len(model(b)) == 7
    again = run_sync(a, server)
    assert again.code == 0 and "0 sent" in again.err


def test_a_pull_writes_several_pages_in_one_transaction(
    tmp_path: Path, counted: tuple[Server, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, requests = counted
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    add_motions(a, 7)
    assert run_sync(a, server).code == 0
    monkeypatch.setattr(store.sync.client, "PAGE", 2)
    monkeypatch.setattr(store.sync.client, "PULL_WRITE", 4)
    requests.clear()
    result = run_sync(b, server)
    assert result.code == 0, result.err
    assert "7 received" in result.err
    assert sum("/changes" in request for request in requests) == 4  # pages of 2, 2, 2, 1
    with Store(b, user="ben") as local:
        local.refresh()
        # The token's role from /me, kept on the first sync; then two pull transactions (4 + 3 documents),
        # the second also recording the completed sync.
        assert local.generation == 3
    assert model(b) == model(a)


def test_a_sync_tells_how_far_it_has_come_after_each_page_and_each_answer(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store.sync.client, "PUSH_BYTES", 1500)  # about two of these motions per body
    monkeypatch.setattr(store.sync.client, "PAGE", 2)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    add_motions(a, 7)
    told: list[SyncProgress] = []
    with Store(a, user="anna") as local:
        report = sync(local, server.url, server.token, progress=told.append)
    # The server's feed is empty, and says so; then an answer per body, each telling the documents accepted so far.
    assert told[0] == SyncProgress(0, 0, to_read=0) and report.pushed == 7
    sent = [step.sent for step in told[1:]]
    assert len(sent) > 2 and sent == sorted(sent) and sent[-1] == 7 and {step.read for step in told} == {0}
    told.clear()
    with Store(b, user="ben") as other:
        report = sync(other, server.url, server.token, progress=told.append)
    # After the first page the server has said how many follow it: 5 of the 7.
    assert told == [SyncProgress(read, 0, to_read=7) for read in (2, 4, 6, 7)]
    assert report.pulled == 7 and model(b) == model(a)


@BOTH_BACKENDS
def test_the_server_counts_what_follows_a_page_when_asked(tmp_path: Path, server: Server) -> None:
    a = tmp_path / "a.json"
    add_motions(a, 5)
    assert run_sync(a, server).code == 0
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
        cursor, remaining = "0", []
        while True:
            page = client.get("/changes", params={"since": cursor, "limit": 2, "count": 1}).json()
            remaining.append(page["remaining"])
            cursor = page["cursor"]
            if not page["more"]:
                break
        assert remaining == [3, 1, 0]
        assert "remaining" not in client.get("/changes").json()  # not asked: not counted
        refused = client.get("/changes", params={"count": "yes"})
        assert refused.status_code == 400 and refused.json()["error"]["message"].startswith("count: expected 1")


def breaking_after(suffix: str, kept: int, requests: list[str], failing: list[bool]) -> Callable[[Any], Any]:
    """An ASGI wrap for the server: logs the query of each request to a path ending in ``suffix`` and,
    once ``failing`` holds anything, answers each such request after the first ``kept`` with 503."""

    def wrap(app: Any) -> Any:
        async def breaking(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["path"].endswith(suffix):
                requests.append(scope["query_string"].decode())
                if failing and len(requests) > kept:
                    await send({"type": "http.response.start", "status": 503, "headers": []})
                    await send({"type": "http.response.body", "body": b""})
                    return
            await app(scope, receive, send)

        return breaking

    return wrap


def test_a_pull_broken_off_keeps_what_was_written_and_goes_on_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing: list[bool] = []
    pages: list[str] = []
    wrap = breaking_after("/changes", 3, pages, failing)  # the fourth page fails, again and again
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with serving(tmp_path, wrap=wrap) as server:
        add_motions(a, 7)
        assert run_sync(a, server).code == 0
        monkeypatch.setattr(store.sync.client, "PAGE", 2)
        monkeypatch.setattr(store.sync.client, "PULL_WRITE", 4)
        monkeypatch.setattr(store.sync.client, "BACKOFF", 0)
        pages.clear()
        failing.append(True)
        assert run_sync(b, server).code == 1
        assert len(model(b)) == 4  # the first two pages were written with their cursor; the third waits
        failing.clear()
        pages.clear()
        assert run_sync(b, server).code == 0
        assert model(b) == model(a)
        assert len(pages) == 2 and "since=" in pages[0]  # pages three and four, not from the start


def test_one_edit_costs_each_client_one_write(tmp_path: Path, counted: tuple[Server, list[str]]) -> None:
    """Each transaction rewrites the whole data file: the completed sync is recorded with the last
    push answer, or with the last pulled page when nothing waits to go out, and an empty page writes nothing."""
    server, _requests = counted
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with Store(a, user="anna") as local:
        motion_id = local.add_motion(motions(1)[0]).id
    assert run_sync(a, server).code == 0
    assert run_sync(a, server).code == 0  # brings its own push back: the cursor catches up
    assert run_sync(b, server).code == 0

    def generation(path: Path) -> int:
        with Store(path, user="x") as local:
            local.refresh()
            return local.generation

    with Store(a, user="anna") as local:
        local.set_item(motion_id, 1, note="Neu")
    before_a, before_b = generation(a), generation(b)
    assert run_sync(a, server).code == 0
    assert run_sync(b, server).code == 0
    assert (generation(a), generation(b)) == (before_a + 1, before_b + 1)
    assert model(b) == model(a)


def test_the_next_body_goes_out_while_an_answer_is_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    second_arrived = threading.Event()
    bodies: list[str] = []

    def wrap(app: Any) -> Any:
        async def counting(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["path"].endswith("/bulk"):
                bodies.append(scope["path"])
                if len(bodies) == 2:
                    second_arrived.set()
            await app(scope, receive, send)

        return counting

    record = store.sync.client._record_answer
    seen_while_recording: list[bool] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        if not seen_while_recording:  # the first answer: the second body must come without it
            seen_while_recording.append(second_arrived.wait(timeout=5))
        return record(*args, **kwargs)

    monkeypatch.setattr(store.sync.client, "PUSH_BYTES", 1500)  # about two of these motions per body
    monkeypatch.setattr(store.sync.client, "_record_answer", recording)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    add_motions(a, 7)
    with serving(tmp_path, wrap=wrap) as server:
        result = run_sync(a, server)
        assert result.code == 0, result.err
        assert seen_while_recording == [True] and len(bodies) > 2
        assert run_sync(b, server).code == 0
    assert model(b) == model(a) and len(model(b)) == 7


def refusing_bodies(refused: Callable[[bytes], bool], bodies: list[bytes]) -> Callable[[Any], Any]:
    """An ASGI wrap for the server: keeps the body of each ``POST /bulk`` and answers 503 to those ``refused``
    (by their content: two bodies are on their way at once, and either may arrive first)."""

    def wrap(app: Any) -> Any:
        async def refusing(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http" or not scope["path"].endswith("/bulk"):
                return await app(scope, receive, send)
            messages = [await receive()]
            while messages[-1].get("more_body"):
                messages.append(await receive())
            bodies.append(b"".join(message.get("body", b"") for message in messages))
            if refused(bodies[-1]):
                await send({"type": "http.response.start", "status": 503, "headers": []})
                return await send({"type": "http.response.body", "body": b""})
            replayed = iter(messages)
            return await app(scope, lambda: _next_message(replayed, receive), send)

        return refusing

    return wrap


async def _next_message(replayed: Iterator[Any], receive: Callable[[], Any]) -> Any:
    """The request's messages read before, then (a disconnect) what the server sends after them."""
    return next(replayed, None) or await receive()


@pytest.fixture
def seven(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two stores, the first with seven motions to push two a body, a failed request tried again at once."""
    monkeypatch.setattr(store.sync.client, "PUSH_BYTES", 1500)
    monkeypatch.setattr(store.sync.client, "BACKOFF", 0)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    add_motions(a, 7)
    return a, b


def test_a_push_broken_off_keeps_the_answers_before_and_sends_nothing_after_the_body_beside(
    tmp_path: Path, seven: tuple[Path, Path]
) -> None:
    failing = [True]
    bodies: list[bytes] = []
    # Every body but the first (which holds "Antrag 0", two motions a body) fails, again and again.
    wrap = refusing_bodies(lambda body: bool(failing) and b'"Antrag 0"' not in body, bodies)

    a, b = seven
    with serving(tmp_path, wrap=wrap) as server:
        assert run_sync(a, server).code == 1
        # The first body; the second, and the third on its way beside it, each tried again: no fourth.
        assert len(bodies) == 1 + 2 * store.sync.client.ATTEMPTS
        taken = len(model(tmp_path / "server.json"))
        assert 0 < taken < 7
        with Store(a, user="anna") as local:
            assert local.sync_state(server.url).pending == 7 - taken  # the first answer was recorded
        failing.clear()
        result = run_sync(a, server)
        assert result.code == 0 and f"{7 - taken} sent" in result.err
        assert run_sync(b, server).code == 0
    assert model(b) == model(a) and len(model(b)) == 7


def test_a_body_the_server_took_beside_a_failed_one_merges_without_a_question_at_the_next_sync(
    tmp_path: Path, seven: tuple[Path, Path]
) -> None:
    """The second body fails, again and again; the third, on its way beside it, is taken, but its answer is
    not recorded (the sync ended with the failure): the next sync finds those motions on the server as
    copies equal to its own, and agrees on them without a conflict."""
    failing = [True]
    bodies: list[bytes] = []
    wrap = refusing_bodies(lambda body: bool(failing) and b'"Antrag 2"' in body, bodies)  # the second body's

    a, b = seven
    with serving(tmp_path, wrap=wrap) as server:
        assert run_sync(a, server).code == 1
        with Store(a, user="anna") as local:
            recorded = 7 - local.sync_state(server.url).pending  # the first answer's
        on_server = len(model(tmp_path / "server.json"))
        assert 0 < recorded < on_server < 7  # the third body was taken there, its answer not recorded here
        failing.clear()
        result = run_sync(a, server)
        assert result.code == 0, result.err
        with Store(a, user="anna") as local:
            assert local.conflicts() == [] and local.sync_state(server.url).pending == 0
        assert run_sync(b, server).code == 0
    assert model(b) == model(a) == model(tmp_path / "server.json") and len(model(b)) == 7


def test_a_full_sync_leaves_the_file_written_whole_and_its_index(
    tmp_path: Path, counted: tuple[Server, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync is a Store.bulk (tests/unit/test_bulk_writes.py): after it the client's file is written whole,
    and the list's index names that file. A push's last answers may follow in the journal: they are each
    motion's sync bookkeeping alone (store/file/journal.py, patches), no motion written again."""
    server, requests = counted
    monkeypatch.setattr(storage, "JOURNAL_MINIMUM", 0)  # the journal's share counts from the first byte
    monkeypatch.setattr(store.sync.client, "PUSH_BYTES", 1500)
    monkeypatch.setattr(store.sync.client, "PAGE", 2)
    monkeypatch.setattr(store.sync.client, "PULL_WRITE", 2)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    add_motions(a, 12)
    assert run_sync(a, server).code == 0
    assert sum(request.startswith("POST") for request in requests) > 3
    assert run_sync(b, server).code == 0
    assert model(b) == model(a)
    assert not StoreFiles(b).journal.exists()  # written whole at the end, so the next edit appends
    after_header = StoreFiles(a).journal.read_bytes().splitlines()[1:]
    assert after_header and not any(orjson.loads(line)["tables"].get("motions") for line in after_header)
    for path in (a, b):
        with Store(path, user="anna") as local:
            preview = local.preview()
            assert preview is not None and len(preview) == 12  # the index of the file as it is now
