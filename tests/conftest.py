"""Shared test set-up: a fixed time zone so times print the same everywhere, and the fixtures more than one
test module uses. Helpers that are not fixtures live in tests/helpers/."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from store import Store

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
    from helpers.sync import ENV_VARIABLES

    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("SACHSTAND_LANG", "en")

    def expired(*_args: Any) -> None:
        raise TimeoutError("the test took longer than 10 s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """The real sync server on 127.0.0.1 (a module that needs another kind of server defines its own)."""
    # Imported here, not at the top: uvicorn and the whole command line are slow to load for unit tests.
    from helpers.sync import serving

    with serving(tmp_path) as running:
        yield running
