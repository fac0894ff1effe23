"""A hostile sync server on 127.0.0.1: speaks docs/sync-protocol.md well enough to be believed, and
misbehaves in the one way its switch names. Use it as a context manager; it stops by itself, and wakes
any answer it is holding back or trickling.

Switches (``HostileSync(mode)``), the answers of a broken server:
- ``garbage``: HTML instead of JSON. ``truncated_json``: JSON that breaks off. ``truncated_body``: a body
  shorter than its Content-Length, then the connection closes. ``wrong_shape``: JSON of the wrong shape.
  ``invalid_motion``: a document that is no motion. ``error_5xx``: 503 to everything. ``huge``: 4 MB of
  spaces without a length. ``hang``: no answer for 2 s.
and of a hostile one:
- ``escape_error``: every request refused (HTTP 400) with an error message full of terminal escape codes
  and 20,000 characters long.
- ``conflict_doc``: the pull is empty; every push is answered "conflict" with the pushed document
  changed by ``conflict`` (by default: an escape code in its title and a field no motion has).
- ``more_forever``: every page of the changes feed brings one new motion and says ``"more": true``.
- ``trickle_body``: the changes feed's answer, one byte per ``interval`` seconds, after prompt headers.
- ``trickle_headers``: the status line and headers themselves, one byte per ``interval`` seconds.
- ``many_items``: the changes feed brings a motion with one item over the limit, each with a 20 KB note.
- ``odd_remaining``: the changes feed brings one motion and says ``remaining`` of a kind no count is.
- ``rejoin_bad_doc``: ``/info`` (the first request) says the server holds nothing, so a client that synced
  before rejoins and reads the whole feed, which brings a document whose items are no list.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from store import example_motion
from store.values import ITEMS_LIMIT, TEXT_LIMIT

ESCAPES = "\x1b[2J\x1b]0;owned\x07\x1b[31m"  # clear the screen, set the window title, red
REQUEST_LIMIT = 2000  # beyond it every answer is 410 Gone: a client caught in a loop fails instead of hanging
HUGE = 4 * 1024 * 1024


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    length: int | None = -1  # the Content-Length sent: -1 the body's own, None none (the body ends with the connection)


def _json(status: int, value: Any) -> Answer:
    return Answer(status, json.dumps(value).encode())


BROKEN = {
    "garbage": Answer(200, b"<html>garbage</html>"),
    "truncated_json": Answer(200, b'{"results": [{"id": "x", "rev": 1, "doc": {'),
    "truncated_body": Answer(200, b'{"results": [], "cursor": "1:x"', length=400),
    "wrong_shape": Answer(200, b'{"results": "nope", "cursor": 1}'),
    "invalid_motion": _json(
        200, {"results": [{"id": "x", "rev": 1, "doc": {"id": "x", "title": 5}}], "cursor": "1:x", "more": False}
    ),
    "error_5xx": _json(503, {"error": {"code": "internal", "message": "down"}}),
    "huge": Answer(200, b" " * HUGE, length=None),
}
MODES = (
    *BROKEN,
    "hang",
    "escape_error",
    "conflict_doc",
    "more_forever",
    "trickle_body",
    "trickle_headers",
    "many_items",
    "rejoin_bad_doc",
    "odd_remaining",
)


def motion_doc(**changes: Any) -> dict[str, Any]:
    """A valid motion document as the server sends it (a new id unless given), with ``changes``."""
    doc = {**example_motion().to_dict(), "id": str(uuid.uuid4()), "deleted": False}
    return {**doc, **changes}


class HostileSync:
    def __init__(
        self, mode: str, *, interval: float = 0.2, conflict: dict[str, Any] | None = None, remaining: Any = None
    ) -> None:
        assert mode in MODES, mode
        self.mode, self.interval, self.remaining = mode, interval, remaining
        self.conflict = conflict if conflict is not None else {"title": ESCAPES + "rot", "history": ["x" * 1000] * 100}
        self.requests: list[str] = []  # "GET /api/v1/changes?...", in order
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.hostile = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/api/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    def __enter__(self) -> HostileSync:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def count(self, request: str) -> int:
        with self._lock:
            self.requests.append(request)
            return len(self.requests)

    def answer(self, method: str, path: str, count: int, body: dict[str, Any]) -> Answer:
        """The answer to the ``count``-th request, a ``method`` on ``path`` with the JSON ``body``, as the
        mode has it."""
        if count > REQUEST_LIMIT:
            return _json(410, {"error": {"code": "gone", "message": "request limit of the test server reached"}})
        if self.mode in BROKEN:
            return BROKEN[self.mode]
        if self.mode == "escape_error":
            return _json(400, {"error": {"code": "bad_request", "message": ESCAPES + "A" * 20_000}})
        if path.endswith("/me"):  # as a server from before roles: the modes below are about the feed and pushes
            return _json(404, {"error": {"code": "not_found", "message": "no such path"}})
        if method == "POST":
            return _json(200, {"results": [self._conflict(entry) for entry in body.get("docs", [])]})
        if self.mode == "more_forever":
            return _json(200, {"results": [_result(count, motion_doc())], "cursor": f"{count}:x", "more": True})
        if self.mode == "many_items":
            item = {**example_motion().items[0].to_dict(), "note": "n" * TEXT_LIMIT}
            items = [{**item, "number": number} for number in range(1, ITEMS_LIMIT + 2)]
            return _json(200, {"results": [_result(1, motion_doc(items=items))], "cursor": "1:x", "more": False})
        if self.mode == "rejoin_bad_doc":
            if count == 1:
                return _json(200, {"protocol": 1, "id": "", "epoch": "", "since": 0})
            return _json(
                200, {"results": [_result(1, {**motion_doc(), "items": "zz"})], "cursor": "1:x", "more": False}
            )
        if self.mode == "odd_remaining":
            page = {"results": [_result(1, motion_doc())], "cursor": "1:x", "more": False}
            return _json(200, {**page, "remaining": self.remaining})
        if self.mode.startswith("trickle"):
            return _json(200, {"results": [_result(1, motion_doc())], "cursor": "1:x", "more": False})
        return _json(200, {"results": [], "cursor": "0:", "more": False})

    def _conflict(self, entry: dict[str, Any]) -> dict[str, Any]:
        """For conflict_doc: a pushed document in conflict with a hostile copy of it."""
        return {"id": entry["id"], "ok": False, "error": "conflict", "rev": 7, "doc": {**entry["doc"], **self.conflict}}


def _result(rev: int, doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["id"], "rev": rev, "seq": rev, "doc": doc}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer("GET", {})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer("POST", json.loads(self.rfile.read(length) or b"{}"))

    def _answer(self, method: str, body: dict[str, Any]) -> None:
        hostile: HostileSync = self.server.hostile  # type: ignore[attr-defined]
        count = hostile.count(f"{method} {self.path}")
        self.close_connection = True  # one request per connection: a body may end with it
        if hostile.mode == "hang":
            hostile.stopping.wait(2)
            return
        answer = hostile.answer(method, self.path, count, body)
        length = len(answer.body) if answer.length == -1 else answer.length
        head = f"HTTP/1.1 {answer.status} X\r\nContent-Type: application/json\r\nConnection: close\r\n"
        head += "" if length is None else f"Content-Length: {length}\r\n"
        try:
            if hostile.mode == "trickle_headers":
                self._trickle(hostile, (head + "\r\n").encode() + answer.body)
            elif hostile.mode == "trickle_body" and method == "GET":
                self.wfile.write((head + "\r\n").encode())
                self._trickle(hostile, answer.body)
            else:
                self.wfile.write((head + "\r\n").encode() + answer.body)
        except OSError:
            pass  # the client gave up on us: what it should do

    def _trickle(self, hostile: HostileSync, data: bytes) -> None:
        for index in range(len(data)):
            self.wfile.write(data[index : index + 1])
            self.wfile.flush()
            if hostile.stopping.wait(hostile.interval):
                return

    def log_message(self, *_args: Any) -> None:
        pass
