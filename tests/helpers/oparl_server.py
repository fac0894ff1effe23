"""A local OParl 1.1 server for the importer's tests, built from the specification's examples.

It serves the example objects of tests/helpers/oparl/ (OParl specification, CC BY-SA 4.0;
see the README there) on 127.0.0.1 with an ephemeral port, their
https://oparl.example.org links rewritten to its own address, and builds paged
lists (``data``, ``pagination``, ``links``) around them as a real endpoint does.
Each quirk of real endpoints the importer must survive is switched on per test
through :attr:`OParlServer.quirks`. Use it as a context manager: it stops by
itself, and wakes any answer it is holding back.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

EXAMPLES = Path(__file__).resolve().parent / "oparl"
SPEC_BASE = "https://oparl.example.org"
PAPER = "https://schema.oparl.org/1.1/Paper"
# Beyond this many requests every answer is 410 Gone: a client caught in a loop fails
# (410 is not retried) instead of hanging the test run.
REQUEST_LIMIT = 300
GENERATED_TYPES = ("Antrag", "Anfrage", " ANTRAG ", "Mitteilung")  # paper n gets [(n - 1) % 4]
ENDLESS_LIMIT = 300 * 1024 * 1024  # bytes of an endless answer: beyond every client's limit, but not forever
LONG_VALUE = 5_000  # characters, far beyond any field's limit
HTML_ERROR = "<html><body><h1>{status}</h1><p>Wartungsarbeiten</p></body></html>"


@dataclass
class Quirks:
    """Deviations from the specification, as real endpoints show them. Targets are a path, or a path with its query."""

    # Answered first, one per request, with an HTML page; 0 hangs up without an answer.
    status: dict[str, list[int]] = field(default_factory=dict)
    delay: dict[str, float] = field(default_factory=dict)  # seconds to wait before answering
    html: set[str] = field(default_factory=set)  # answered 200 with an HTML page
    raw: dict[str, str] = field(default_factory=dict)  # answered 200 with this text as application/json
    empty_window: str = "page"  # a modified_since that matches nothing: "page", "404", "404-json" or "[]"
    list_shape: str = "page"  # "page", "object" (the list's first object alone) or "array" (all, bare)
    next_loop: str = ""  # "same": last page's next is page 2 again; "fresh": page 1 under a new URL
    next_drops_filter: bool = False  # links.next without modified_since
    raw_controls: bool = False  # control characters inside strings sent raw (invalid JSON)
    # Objects (by path) whose name, short name and reference are sent LONG_VALUE characters long.
    long_values: set[str] = field(default_factory=set)
    endless_list: bool = False  # every list page has a links.next to one more page of new papers
    # Answered with JSON that never ends (up to ENDLESS_LIMIT); True: its Content-Length says so first.
    endless: dict[str, bool] = field(default_factory=dict)


class OParlServer:
    def __init__(self, page_size: int = 5) -> None:
        self.page_size = page_size
        self.quirks = Quirks()
        self.requests: list[str] = []  # every request target, in order
        self.agents: set[str] = set()  # the User-Agent headers seen
        self.objects: dict[str, Any] = {}  # path -> object
        self.lists: dict[str, list[Any]] = {}  # path -> the objects of a list
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.oparl = self
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._populate()

    def __enter__(self) -> OParlServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()  # wakes delayed answers, so closing does not wait for them
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def papers(self) -> list[dict[str, Any]]:
        """The paper list of body 0, to change in a test."""
        return self.lists["/body/0/papers/"]

    def add(self, obj: dict[str, Any], path: str | None = None) -> dict[str, Any]:
        """Serve ``obj`` at its id's path, or at ``path`` (then its id differs from the URL)."""
        self.objects[path or urlsplit(obj["id"]).path] = obj
        return obj

    def derive(self, example: dict[str, Any], path: str, **changes: Any) -> dict[str, Any]:
        """A copy of an example object with another id and some fields changed."""
        return {**copy.deepcopy(example), "id": self.url(path), **changes}

    def example(self, name: str) -> dict[str, Any]:
        text = (EXAMPLES / f"{name}.json").read_text("utf-8")
        return json.loads(text.replace(SPEC_BASE, self.base))

    def paper(self, number: int, paper_type: str | None = None) -> dict[str, Any]:
        """Generated paper ``number`` (1-31): modified on 2024-01-<number>, in consultation at meeting 281."""
        kind = paper_type if paper_type is not None else GENERATED_TYPES[(number - 1) % len(GENERATED_TYPES)]
        template = self.example("Paper-01")
        return self.derive(
            template,
            f"/paper/{1000 + number}",
            name=f"{kind.strip()} Nr. {number}: Radweg an der Hauptstraße",
            reference=f"{number}/2024",
            date=f"2024-01-{number:02d}",
            paperType=kind,
            web=self.url(f"/vorlage/{1000 + number}.html"),
            originatorOrganization=[self.url("/organization/1000")],
            originatorPerson=[self.url("/person/29")],
            underDirectionOf=[self.url("/organization/2000")],
            consultation=[
                {
                    **template["consultation"][0],
                    "id": self.url(f"/consultation/{number}"),
                    "meeting": self.url("/meeting/281"),
                    "organization": [self.url("/organization/34")],
                }
            ],
            created=f"2024-01-{number:02d}T09:00:00+01:00",
            modified=f"2024-01-{number:02d}T09:00:00+01:00",
        )

    def _populate(self) -> None:
        organization, person, meeting = (self.example(name) for name in ("Organization-01", "Person-01", "Meeting-01"))
        for obj in (
            organization,
            person,
            meeting,
            *(self.example(name) for name in ("System-01", "File-01", "Location-01")),
        ):
            self.add(obj)
        body = self.add(self.example("Body-01"))
        self.lists["/bodies"] = [body]
        # What Paper-01 refers to, derived from the examples. person/2000 stays unserved:
        # a reference that cannot be resolved.
        self.add(
            self.derive(
                organization,
                "/organization/1000",
                name="Fraktion Beispielpartei",
                shortName="Beispielpartei",
                organizationType="Fraktion",
                classification="Fraktion",
            )
        )
        self.add(
            self.derive(
                organization,
                "/organization/2000",
                name="Dezernat II – Finanzen",
                shortName="Dezernat II",
                organizationType="Verwaltungsbereich",
                classification="Dezernat",
            )
        )
        self.add(
            self.derive(organization, "/organization/96", name="Rat der Stadt", shortName="Rat", classification="Rat")
        )
        self.add(
            self.derive(person, "/person/1000", name="Erika Musterfrau", familyName="Musterfrau", givenName="Erika")
        )
        self.add(
            self.derive(
                meeting,
                "/meeting/243",
                name="7. Sitzung des Rates",
                start="2014-05-12T17:00:00+02:00",
                end="2014-05-12T21:00:00+02:00",
                organization=[self.url("/organization/96")],
            )
        )
        self.lists["/body/0/papers/"] = [self.example("Paper-01"), *(self.paper(number) for number in range(1, 13))]

    def answer(self, target: str) -> tuple[int, str, str | Endless]:
        """(status, content type, body) for a request target."""
        with self._lock:
            self.requests.append(target)
            if len(self.requests) > REQUEST_LIMIT:
                return 410, "text/plain", "request limit of the test server reached"
        split = urlsplit(target)  # a proxy request carries the whole URL
        path, query = split.path, dict(parse_qsl(split.query))
        keys = (f"{path}?{split.query}", path) if split.query else (path,)
        quirks = self.quirks
        delay = next((quirks.delay[key] for key in keys if key in quirks.delay), 0)
        if delay:
            self._stopping.wait(delay)
        with self._lock:
            queued = next((quirks.status[key] for key in keys if quirks.status.get(key)), None)
            status = queued.pop(0) if queued else None
        if status is not None:
            return status, "text/html; charset=utf-8", HTML_ERROR.format(status=status)
        if any(key in quirks.html for key in keys):
            return 200, "text/html; charset=utf-8", HTML_ERROR.format(status="Wartung")
        declared = next((quirks.endless[key] for key in keys if key in quirks.endless), None)
        if declared is not None:
            return 200, "application/json", Endless(declared)
        raw = next((quirks.raw[key] for key in keys if key in quirks.raw), None)
        if raw is not None:
            return 200, "application/json", raw
        if path in self.lists:
            return self._list(path, query)
        if path in self.objects:
            return 200, "application/json", self._dump(self._served(self.objects[path]))
        return 404, "text/html; charset=utf-8", HTML_ERROR.format(status="404 Not Found")

    def _list(self, path: str, query: dict[str, str]) -> tuple[int, str, str]:
        if self.quirks.endless_list:
            return 200, "application/json", self._dump(self._endless_page(path, int(query.get("page", "1"))))
        objects = [self._served(obj) for obj in self.lists[path]]
        if "modified_since" in query:
            since = datetime.fromisoformat(query["modified_since"])
            objects = [obj for obj in objects if datetime.fromisoformat(obj["modified"]) >= since]
            if not objects and self.quirks.empty_window != "page":
                return self._empty_window()
        if self.quirks.list_shape == "array":
            return 200, "application/json", self._dump(objects)
        if self.quirks.list_shape == "object":
            return 200, "application/json", self._dump(objects[0])
        return 200, "application/json", self._dump(self._page(path, query, objects))

    def _endless_page(self, path: str, number: int) -> dict[str, Any]:
        """Page ``number`` of a list that never ends: new papers (of a type nobody imports), and a next page."""
        papers = [
            {"id": self.url(f"/paper/endless/{number}/{index}"), "type": PAPER, "paperType": "Mitteilung"}
            for index in range(self.page_size)
        ]
        return {"data": papers, "links": {"next": f"{self.base}{path}?{urlencode({'page': number + 1})}"}}

    def _served(self, obj: Any) -> Any:
        """The object as the quirks have it sent."""
        if not isinstance(obj, dict) or urlsplit(str(obj.get("id"))).path not in self.quirks.long_values:
            return obj
        texts = {key: value for key in ("name", "shortName", "reference") if isinstance(value := obj.get(key), str)}
        return {**obj, **{key: (value + " ") * (LONG_VALUE // (len(value) + 1) + 1) for key, value in texts.items()}}

    def _empty_window(self) -> tuple[int, str, str]:
        shape = self.quirks.empty_window
        if shape == "[]":
            return 200, "application/json", "[]"
        body = json.dumps({"error": {"code": 404, "message": "Keine Objekte gefunden"}}) if shape == "404-json" else ""
        return 404, "application/json" if body else "text/plain", body

    def _page(self, path: str, query: dict[str, str], objects: list[Any]) -> dict[str, Any]:
        number = int(query.get("page", "1"))
        last = max(1, -(-len(objects) // self.page_size))
        links = {
            "first": self._link(path, query, 1),
            "self": self._link(path, query, number),
            "last": self._link(path, query, last),
        }
        if number < last:
            links["next"] = self._link(path, query, number + 1, next_link=True)
        elif self.quirks.next_loop == "same" and last > 2:
            links["next"] = self._link(path, query, 2, next_link=True)
        elif self.quirks.next_loop == "fresh":
            links["next"] = self._link(
                path, {**query, "round": str(int(query.get("round", "0")) + 1)}, 1, next_link=True
            )
        start = (number - 1) * self.page_size
        return {
            "data": objects[start : start + self.page_size],
            "pagination": {
                "totalElements": len(objects),
                "elementsPerPage": self.page_size,
                "currentPage": number,
                "totalPages": last,
            },
            "links": links,
        }

    def _link(self, path: str, query: dict[str, str], number: int, *, next_link: bool = False) -> str:
        params = {**query, "page": str(number)}
        if next_link and self.quirks.next_drops_filter:
            params.pop("modified_since", None)
        return f"{self.base}{path}?{urlencode(params)}"

    def _dump(self, value: Any) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=1)
        return _unescape_controls(text) if self.quirks.raw_controls else text


# An escaped control character (\u0001, \n, \t, ...) that is not itself an escaped backslash.
_CONTROL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\(u00[01][0-9a-fA-F]|[bfnrt])")
_SHORT_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _unescape_controls(text: str) -> str:
    def raw(match: re.Match[str]) -> str:
        code = match.group(2)
        return match.group(1) + (chr(int(code[1:], 16)) if code[0] == "u" else _SHORT_ESCAPES[code])

    return _CONTROL_ESCAPE.sub(raw, text)


@dataclass(frozen=True)
class Endless:
    """An answer that never ends: a JSON array of zeros."""

    declared: bool  # its Content-Length says ENDLESS_LIMIT first

    CHUNK = b"0," * (512 * 1024)

    def write(self, handler: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if self.declared:
            handler.send_header("Content-Length", str(ENDLESS_LIMIT))
        handler.end_headers()
        handler.close_connection = True
        sent = 0
        try:
            handler.wfile.write(b"[")
            while sent < ENDLESS_LIMIT and not stopping.is_set():
                handler.wfile.write(self.CHUNK)
                sent += len(self.CHUNK)
        except ConnectionError:
            pass  # the client stopped reading: what a client with a limit does


class _HTTPServer(ThreadingHTTPServer):
    oparl: OParlServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up waiting (a timeout test) has closed its end; that is expected.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def do_GET(self) -> None:
        oparl = self.server.oparl
        with oparl._lock:
            oparl.agents.add(self.headers.get("User-Agent", ""))
        status, content_type, body = oparl.answer(self.path)
        if status == 0:
            return  # the connection closes without a word
        if isinstance(body, Endless):
            body.write(self, oparl._stopping)
            return
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read :attr:`OParlServer.requests` instead."""
