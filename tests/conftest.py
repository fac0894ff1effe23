"""Shared test set-up: a fixed time zone so times print the same everywhere; a held dashboard read."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from held import HeldRead

from store import Store

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
