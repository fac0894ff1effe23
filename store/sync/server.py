"""The reference sync server: docs/sync-protocol.md over Starlette.

All reading and writing goes through :class:`store.sync.backend.Tenants`: each request's token names its
user and the :class:`store.sync.backend.ServerBackend` of its body. The file server has one body, its own
data file (same crash-safe file and lock as a client's); that backend is not thread-safe, so every call into
it runs in a worker thread under one lock. PostgreSQL's (store/sync/postgres/) are called side by side.
A request with ``wait`` (store/sync/waits.py) waits for a write outside that lock.

No answer tells a client anything about the server's files or database: a server that cannot read its
tokens file or its data file, or cannot reach its database, answers 503, any other failure 500, both with
a fixed message; the details (path, reason, traceback) go to the server's log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from functools import partial
from typing import Any, NamedTuple, TypeVar

import orjson
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from store.config import SETTINGS
from store.edit import exchanged
from store.errors import BadInput, LockTimeout, StoreFileError, Unavailable
from store.file.bulk import collector_paused
from store.sync.access import Who, may_read
from store.sync.backend import BulkEntry, FileBackend, FileTenants, ServerBackend, ServerDoc, Tenants
from store.sync.waits import MAX_WAIT, Waits
from store.sync.waits import Serving as Serving  # re-exported: what runs the app (the command line, the tests)

PROTOCOL = 1
MAX_BODY = 8 * 1024 * 1024
SECONDS = re.compile(r"[0-9]{1,2}(\.[0-9]{1,3})?")  # the wait parameter: "30", "0.5"
DEFAULT_LIMIT, MAX_LIMIT = 500, 1000
MAX_DIGITS = 18  # a whole number in a query fits in 64 bits; int() of thousands of digits is slow or refused

log = logging.getLogger("sachstand.server")

T = TypeVar("T")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def create_app(
    data_path: str | os.PathLike[str],
    tokens_path: str | os.PathLike[str],
    *,
    backups: int = SETTINGS["backups"].default,
    lock_timeout: float,
) -> Starlette:
    """The file server: one body in the data file ``data_path``, its users in the tokens file."""
    return tenant_app(FileTenants(FileBackend(data_path, backups=backups, lock_timeout=lock_timeout), tokens_path))


def tenant_app(tenants: Tenants) -> Starlette:
    """The server of whatever ``tenants`` hold (store/sync/backend.py)."""
    lock: contextlib.AbstractContextManager[Any] = threading.Lock() if tenants.serial else contextlib.nullcontext()
    waits = Waits(lambda limit: ApiError(503, "unavailable", f"too many requests wait for changes (at most {limit})"))

    async def locked(call: Callable[[], T]) -> T:
        def run() -> T:
            with lock:
                try:
                    return call()
                except BadInput as error:  # e.g. a motion the model refuses once stamped: nothing was written
                    raise ApiError(400, "bad_request", str(error)) from None

        return await run_in_threadpool(run)

    async def authenticate(request: Request) -> tuple[Who, ServerBackend]:
        """Who the token is and its body; a request without a known token is refused before anything is read."""
        scheme, _, presented = request.headers.get("authorization", "").partition(" ")
        found = None
        if scheme.lower() == "bearer" and presented.strip():
            try:
                found = await run_in_threadpool(tenants.resolve, presented.strip())
            except (StoreFileError, Unavailable) as error:
                log.error("cannot check a token: %s", error)
                raise ApiError(503, "unavailable", _unavailable_text(error)) from None
        if found is None:
            raise ApiError(401, "unauthorized", "missing or unknown token (Authorization: Bearer <token>)")
        return found

    async def info(request: Request) -> Response:
        who, backend = await authenticate(request)
        identity = await locked(backend.identity)
        return _json({"server": "sachstand", "protocol": PROTOCOL, "user": who.user, **identity})

    async def me(request: Request) -> Response:
        return _json((await authenticate(request))[0].to_dict())  # who the token is: user, role, departments

    async def changes(request: Request) -> Response:
        who, backend = await authenticate(request)
        query = _changes_query(request.query_params)
        # A wake (a push here, or another process's write of any body) makes each waiting request read again.
        read = partial(locked, partial(_page_of_changes, backend, query))
        page, more, current, remaining = await waits.until(read, lambda found: bool(found[0]), query.wait)
        cursor = (page[-1].seq, page[-1].id) if page else query.since if query.lineage in (None, current) else (0, "")
        results = [_readable(doc, who) for doc in page]
        counts = {} if remaining is None else {"remaining": remaining}
        return _json({"results": results, "cursor": _cursor(current, cursor), "more": more, **counts})

    async def bulk(request: Request) -> Response:
        who, backend = await authenticate(request)
        body = await _read_body(request)  # before the pause: a client sending slowly holds the collector off for no one
        with collector_paused():  # it cost a full push of 10,000 motions 0.3 s of the server's CPU
            entries = _parse_bulk(body)
            results, end, identity = await locked(
                lambda: (backend.bulk(entries, who), backend.end(), backend.identity())
            )
            entries.clear()  # freed while the collector rests: once on, its first run would walk them all
        waits.wake()  # also after a push that wrote nothing: the waiting requests only read once more
        return _json({"results": results, "cursor": _cursor(_lineage(identity), end)})

    app = Starlette(
        routes=[
            Route("/", _discovery, methods=["GET"]),
            Route("/api/v1/info", info, methods=["GET"]),
            Route("/api/v1/me", me, methods=["GET"]),
            Route("/api/v1/changes", changes, methods=["GET"]),
            Route("/api/v1/bulk", bulk, methods=["POST"]),
        ],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            StoreFileError: _unavailable,
            LockTimeout: _unavailable,
            Unavailable: _unavailable,
            Exception: _internal_error,
        },
        lifespan=_lifespan(tenants, waits),
    )
    app.state.waits = waits  # for store.sync.waits.Serving, which ends the waiting requests when it stops
    return app


async def _discovery(_request: Request) -> Response:
    """Where the API is, for a client given only the server's address (no token needed: it tells nothing
    else). Relative, so that it holds behind a proxy that serves the server under a path."""
    return _json({"sachstand": {"api": f"api/v{PROTOCOL}", "versions": [PROTOCOL]}})


def _lifespan(tenants: Tenants, waits: Waits) -> Callable[[Starlette], Any]:
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(tenants.listen, waits.waker(asyncio.get_running_loop()))
        try:
            yield
        finally:
            tenants.close()

    return lifespan


# --- requests -------------------------------------------------------------------------


class _ChangesQuery(NamedTuple):
    """What a changes request asks for (docs/sync-protocol.md)."""

    lineage: str | None  # the lineage its cursor was given in
    since: tuple[int, str]
    limit: int
    wait: float | None
    counted: bool  # whether the answer says how many documents follow its page


def _changes_query(params: Mapping[str, str]) -> _ChangesQuery:
    """A changes request's parameters, each checked: a 400 names the one that is not as the protocol says."""
    lineage, since = _parse_cursor(params.get("since"))
    limit, wait, counted = _parse_limit(params.get("limit")), _parse_wait(params.get("wait")), params.get("count")
    return _ChangesQuery(lineage, since, limit, wait, _parse_count(counted))


def _page_of_changes(backend: ServerBackend, query: _ChangesQuery) -> tuple[list[ServerDoc], bool, str, int | None]:
    """The page after ``query.since`` (from the start for a cursor of another lineage: from before a restore),
    whether more follow, the server's lineage now, and if counted how many documents follow the page: what a
    pull from there has yet to read, for its progress (a client asks on its first page)."""
    current = _lineage(backend.identity())
    start = query.since if query.lineage in (None, current) else (0, "")
    page, more = backend.changes(start, query.limit)
    remaining = (backend.following((page[-1].seq, page[-1].id)) if more else 0) if query.counted else None
    return page, more, current, remaining


def _readable(doc: ServerDoc, who: Who) -> dict[str, Any]:
    """A feed entry as ``who`` may see it: a document it may not read (store/sync/access.py) only as a
    withdrawal, so a client drops its copy; its place in the feed stays, so pages and cursors hold."""
    if may_read(doc.doc, who):
        return doc.to_dict()
    return {"id": doc.id, "rev": doc.rev, "seq": doc.seq, "withdrawn": True}


async def _read_body(request: Request) -> bytes:
    length = request.headers.get("content-length")
    if length is not None:
        if not length.isdigit():
            raise ApiError(400, "bad_request", "Content-Length: not a number")
        if int(length) > MAX_BODY:
            raise _too_large()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> ApiError:
    return ApiError(413, "too_large", f"the request body is larger than {MAX_BODY} bytes (8 MiB)")


def _parse_bulk(body: bytes) -> list[BulkEntry]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise ApiError(
            400, "bad_request", f"body: not valid JSON ({error.msg}, line {error.lineno}, column {error.colno})"
        ) from None
    docs = data.get("docs") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        raise ApiError(400, "bad_request", "body: expected an object with a list 'docs'")
    entries, seen = [], set()
    for index, raw in enumerate(docs):
        entry = _parse_entry(raw, f"docs[{index}]")
        if entry.id in seen:
            raise ApiError(400, "bad_request", f"docs[{index}].id: {entry.id} is in the request twice")
        seen.add(entry.id)
        entries.append(entry)
    return entries


def _parse_entry(raw: Any, where: str) -> BulkEntry:
    if not isinstance(raw, dict):
        raise ApiError(400, "bad_request", f"{where}: expected an object with id, base_rev and doc")
    if not raw.keys() <= _ENTRY_FIELDS:  # no set made for each of a push's entries, only for a faulty one
        raise ApiError(400, "bad_request", f"{where}: unknown field {sorted(raw.keys() - _ENTRY_FIELDS)[0]}")
    if not isinstance(raw.get("id"), str):
        raise ApiError(400, "bad_request", f"{where}.id: expected text")
    base_rev = raw.get("base_rev")
    if not isinstance(base_rev, int) or isinstance(base_rev, bool) or base_rev < 0:
        raise ApiError(400, "bad_request", f"{where}.base_rev: expected a whole number from 0")
    doc = raw.get("doc")
    if not isinstance(doc, dict):
        raise ApiError(400, "bad_request", f"{where}.doc: expected an object")
    deleted = doc.get("deleted", False)
    if not isinstance(deleted, bool):
        raise ApiError(400, "bad_request", f"{where}.doc.deleted: expected true or false")
    try:
        own, motion = exchanged(doc, f"{where}.doc")
    except BadInput as error:
        raise ApiError(400, "bad_request", str(error)) from None
    if motion.id != raw["id"]:
        raise ApiError(400, "bad_request", f"{where}.doc.id: {motion.id} is not the entry's id {raw['id']}")
    return BulkEntry(motion.id, base_rev, own, motion)


_ENTRY_FIELDS = frozenset({"id", "base_rev", "doc"})


def _parse_cursor(value: str | None) -> tuple[str | None, tuple[int, str]]:
    """The lineage a cursor was given in ("<id>.<epoch>", None if it names none) and its position."""
    if value is None or value in ("", "0"):
        return None, (0, "")
    lineage, at, rest = value.partition("@")
    if not at or ":" in lineage:  # a cursor without a lineage (an older server's); "@" may be in an id
        lineage, rest = "", value
    seq, _, last = rest.partition(":")
    if _whole_number(seq) is None:
        raise ApiError(400, "bad_request", f"since: not a cursor from this server: {_shown(value)}")
    return lineage or None, (int(seq), last)


def _lineage(identity: dict[str, Any]) -> str:
    """What a cursor carries of the server's identity, so that one from before a restore is told apart."""
    return f"{identity['id']}.{identity['epoch']}" if identity["id"] else ""


def _cursor(lineage: str, position: tuple[int, str]) -> str:
    return f"{lineage}@{position[0]}:{position[1]}" if lineage else f"{position[0]}:{position[1]}"


def _parse_limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    number = _whole_number(value)
    if number is None or number < 1:
        raise ApiError(
            400,
            "bad_request",
            f"limit: expected a whole number from 1 (above {MAX_LIMIT} is taken as {MAX_LIMIT}), got {_shown(value)}",
        )
    return min(number, MAX_LIMIT)


def _parse_count(value: str | None) -> bool:
    """Whether the answer is to say how many documents follow its page."""
    if value not in (None, "1"):
        raise ApiError(
            400, "bad_request", f"count: expected 1 (the documents after this page counted), got {_shown(value)}"
        )
    return value == "1"


def _parse_wait(value: str | None) -> float | None:
    """The seconds a changes request may wait for a write; None: it answers at once."""
    if value is None:
        return None
    seconds = float(value) if value.isascii() and SECONDS.fullmatch(value) else 0.0
    if not 0 < seconds <= MAX_WAIT:
        raise ApiError(
            400,
            "bad_request",
            f"wait: expected the seconds to wait for a change, more than 0 and at most {MAX_WAIT:g} "
            f"(e.g. 30 or 0.5), got {_shown(value)}",
        )
    return seconds


def _whole_number(text: str) -> int | None:
    """``text`` as a whole number from 0 if it is one of at most MAX_DIGITS ASCII digits, else None."""
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS):
        return None
    return int(text)


def _shown(value: str) -> str:
    """A query value as an error message repeats it: quoted, and cut short if it is long."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


# --- responses ------------------------------------------------------------------------


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json", headers=headers)


def _error(status: int, code: str, message: str) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return _json({"error": {"code": code, "message": message}}, status, headers)


async def _api_error(_request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return _error(error.status, error.code, error.message)


async def _http_error(_request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    code = {401: "unauthorized", 404: "not_found", 413: "too_large"}.get(error.status_code, "bad_request")
    return _error(error.status_code, code, f"{error.detail}")


def _unavailable_text(error: Exception) -> str:
    if isinstance(error, Unavailable):
        return "the server cannot reach its database at the moment; its log says why"
    return "the server cannot read its files at the moment; its log says why"


async def _unavailable(request: Request, error: Exception) -> Response:
    """The server's own files or its database failed it (unreadable, broken, locked too long, away): the
    client may try again later."""
    log.error("%s %s: %s", request.method, request.url.path, error)
    return _error(503, "unavailable", _unavailable_text(error))


async def _internal_error(_request: Request, _exception: Exception) -> Response:
    """Anything unforeseen. Starlette raises the exception again once this answer is sent, so the ASGI
    server logs its traceback; the client learns nothing of it."""
    return _error(500, "internal", "the server failed; see its log")
