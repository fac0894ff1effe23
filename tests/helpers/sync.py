"""The real sync server on 127.0.0.1 in a thread, and the command line's sync as the tests call it."""

from __future__ import annotations

import asyncio
import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from store import SETTINGS
from store.changes import BOOKKEEPING
from store.edit import live, replaced_by
from store.exchange.generate import generate_motions
from store.history import CREATE
from store.model import Motion
from store.store import Store
from store.sync.backend import ServerBackend
from store.sync.server import Serving, create_app
from store.sync.tokens import add_token
from tui.cli import main

# What the `bounded` fixture (tests/conftest.py) clears, so no setting of the machine leaks into a test.
ENV_VARIABLES = (
    "SACHSTAND_DB",
    "SACHSTAND_LANG",
    "SACHSTAND_USER",
    "SACHSTAND_CONFIG",
    "SACHSTAND_BACKUPS",
    "SACHSTAND_LOCK_TIMEOUT",
    "SACHSTAND_REMOTE",
    "SACHSTAND_TOKEN",
    "SACHSTAND_CA",
    "SACHSTAND_BODY_NAME",
    "LC_ALL",
    "LC_MESSAGES",
    "LANG",
    "LANGUAGE",
)


# For a test that runs against both of the server's backends (its server fixture: tests/conftest.py).
BOTH_BACKENDS = pytest.mark.parametrize("server", ["file", "postgres"], indirect=True)


@dataclass
class Server:
    url: str
    token: str
    port: int


class Running:
    """The server in a thread of this process: the file server of ``data`` and ``tokens``, or ``app``."""

    def __init__(
        self,
        data: Path | None,
        tokens: Path | None,
        port: int = 0,
        wrap: Callable[[Any], Any] = lambda app: app,
        *,
        app: Any = None,
    ) -> None:
        if app is None:
            assert data is not None and tokens is not None
            app = create_app(data, tokens, lock_timeout=SETTINGS["lock_timeout"].default)
        # IPPROTO_TCP named, as getaddrinfo gives it to `sachstand serve`: asyncio sets TCP_NODELAY only on a
        # socket that says it is TCP, and without it every answer after the first waited 40 ms for an ACK.
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.uv = Serving(uvicorn.Config(wrap(app), log_level="warning", lifespan="on"), app.state.waits)
        self.thread = threading.Thread(target=self.uv.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 5
        while not self.uv.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)

    def stop(self) -> None:
        self.uv.should_exit = True
        self.thread.join(timeout=5)
        self.sock.close()


@contextmanager
def serving(tmp_path: Path, wrap: Callable[[Any], Any] = lambda app: app) -> Iterator[Server]:
    """The real server on 127.0.0.1 with a token for anna; ``wrap`` puts a test's ASGI middleware around it."""
    tokens = tmp_path / "tokens.json"
    token = add_token(tokens, "anna")
    running = Running(tmp_path / "server.json", tokens, wrap=wrap)
    try:
        yield Server(f"http://127.0.0.1:{running.port}/api/v1", token, running.port)
    finally:
        running.stop()


@contextmanager
def serving_postgres(url: str) -> Iterator[Server]:
    """The real server on the database ``url`` (a new one: tests/conftest.py's ``database``), in a thread on
    127.0.0.1, with one body and a token for anna."""
    from store.sync.postgres import PostgresTenants, add_body, add_token, open_database
    from store.sync.server import tenant_app

    database = open_database(url)
    add_body(database, "kreistag", "Kreistag")
    token = add_token(database, "anna", None)
    running = Running(None, None, app=tenant_app(PostgresTenants(database)))
    try:
        yield Server(f"http://127.0.0.1:{running.port}/api/v1", token, running.port)
    finally:
        running.stop()


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli(db: Path, *args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(db), *args], stdout=out, stderr=err)
    return Result(code, out.getvalue(), err.getvalue())


def run_sync(db: Path, server: Server, token: str | None = None) -> Result:
    return cli(db, "sync", "--remote", server.url, "--token", token or server.token)


def served_model(backend: ServerBackend) -> dict[str, Any]:
    """The live motions of a server's backend as :func:`model` gives a client's."""
    page, more, position = [], True, (0, "")
    while more:
        found, more = backend.changes(position, 1000)
        page += found
        position = (found[-1].seq, found[-1].id) if found else position
    live = [Motion.from_dict(doc.doc, ignore=frozenset({"deleted"})) for doc in page if not doc.doc["deleted"]]
    return {motion.id: _plain(motion.to_dict()) for motion in live}


def model(db: Path) -> dict[str, Any]:
    """The motions without the stamps each side sets itself."""
    with Store(db, user="x") as store:
        return {m.id: _plain(m.to_dict()) for m in store.motions()}


def _plain(doc: dict[str, Any]) -> dict[str, Any]:
    items = [{k: v for k, v in item.items() if k not in BOOKKEEPING} for item in doc["items"]]
    return {**{k: v for k, v in doc.items() if k not in BOOKKEEPING}, "items": items}


def edit_during_first_bulk(edit: Callable[[], None], edited: list[bool]) -> Callable[[Any], Any]:
    """An ASGI wrap for the server: as the first ``POST /bulk`` arrives, before the server reads it, ``edit()``
    runs in a thread (another process's edit while a push is under way), and ``edited`` says it did."""

    def wrap(app: Any) -> Any:
        async def editing_during_bulk(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["path"].endswith("/bulk") and not edited:
                edited.append(True)
                await asyncio.to_thread(edit)
            await app(scope, receive, send)

        return editing_during_bulk

    return wrap


def on_the_server(tmp_path: Path, server: Server, count: int) -> Path:
    """``count`` generated motions pushed to the server from a copy of their own (``source.json``), which is
    returned: what a first sync then takes in."""
    source = tmp_path / "source.json"
    with Store(source, user="anna") as copy, copy.transaction() as tx:
        for motion in generate_motions(count, today=date(2026, 12, 1)):
            tx.apply(motion.id, CREATE, replaced_by(live(motion)))
    assert run_sync(source, server).code == 0
    return source
