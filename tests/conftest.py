"""Shared test set-up: a fixed time zone so times print the same everywhere, and the fixtures more than one
test module uses. Helpers that are not fixtures live in tests/helpers/."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from store import Store

from helpers.bounds import isolated
from helpers.held import HeldRead

if TYPE_CHECKING:
    from helpers.sync import Server

os.environ["TZ"] = "UTC"
time.tzset()


@pytest.fixture
def held_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldRead]:
    """Instrumentation only: the read itself is the real one, on the real file, once released."""
    held = HeldRead()
    reopened = Store.reopened

    def held_reopened(self: Store) -> Store:
        held.wait()
        return reopened(self)

    monkeypatch.setattr(Store, "reopened", held_reopened)
    yield held
    held.release()


@pytest.fixture
def bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A clean environment, and no test may run longer than 10 s (a module opts in with
    ``pytestmark = pytest.mark.usefixtures("bounded")``)."""
    with isolated(monkeypatch, tmp_path, 10):
        yield


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """The real sync server on 127.0.0.1 (a module that needs another kind of server defines its own)."""
    # Imported here, not at the top: uvicorn and the whole command line are slow to load for unit tests.
    from helpers.sync import serving

    with serving(tmp_path) as running:
        yield running


@pytest.fixture
def oparl(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The OParl test server on 127.0.0.1, reached directly whatever proxy the machine names (a module
    that needs another kind defines its own)."""
    from helpers.oparl_server import OParlServer

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    with OParlServer() as server:
        yield server
