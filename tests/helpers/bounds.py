"""Keeping a test to itself and to its time: a clean environment with a deadline, a server's port awaited."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


@contextmanager
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seconds: int, what: str = "the test") -> Iterator[None]:
    """No SACHSTAND_* setting from outside, English, no config file; and an end after ``seconds``."""
    from helpers.sync import ENV_VARIABLES  # imported here: it loads the whole command line

    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("SACHSTAND_LANG", "en")

    def expired(*_args: Any) -> None:
        raise TimeoutError(f"{what} took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def await_port(port: int, process: subprocess.Popen[Any], seconds: float, pause: float = 0.02) -> None:
    """Return once ``process`` answers on 127.0.0.1:``port``; fail if it ends or takes longer."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            assert process.poll() is None, "the server did not start"
            assert time.monotonic() < deadline, "the server did not start in time"
            time.sleep(pause)
