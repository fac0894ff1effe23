"""The load benchmark keeps working and finds nothing lost: 5 clients for 3 s against the file server, and
against two server processes on a PostgreSQL of its own (--postgres), in processes of their own.
Correctness only; no figure is asserted (docs/performance.md records them)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import ROOT

LOAD = ROOT / "benchmarks" / "load.py"


@pytest.mark.parametrize("server", [[], ["--postgres", "--servers", "2"]], ids=["file", "postgres"])
def test_every_acknowledged_edit_is_on_the_server_once(server: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, str(LOAD), "--clients", "5", "--seconds", "3", "--processes", "2", *server],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "check: every acknowledged edit in the final state and once in the history: yes" in run.stdout
    acknowledged = next(line for line in run.stdout.splitlines() if line.startswith("edits acknowledged"))
    assert int(acknowledged.split()[5]) > 0  # the clients did edit and sync
    assert "one-edit round trip (live)" in run.stdout


def test_more_than_one_file_server_is_refused() -> None:
    run = subprocess.run([sys.executable, str(LOAD), "--servers", "2"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "needs --database" in run.stderr
