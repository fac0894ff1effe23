"""The benchmark keeps working: one smoke run at 100 motions. No figure is asserted; timing is for docs/performance.md."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from store.store import CACHE_FROM

from helpers import ROOT

BENCH = ROOT / "benchmarks" / "bench.py"
PROC = Path("/proc/self/stat").exists()  # where the benchmark can read a server's CPU


def test_the_benchmark_runs_and_writes_its_figures(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, str(BENCH), "--motions", "100", "--runs", "1", "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(output.read_text())
    assert result["motions"] == 100 and result["file_bytes"] > 0 and result["peak_memory_bytes"] > 0
    assert result["peak_memory_first_sync_bytes"] > result["peak_memory_bytes"] // 2  # a dashboard's, not a stub's
    assert result["peak_memory_first_sync_apart_bytes"] > 0  # the sync's own process, which the dashboard started
    assert "its first sync pulling every motion" in run.stdout and "that sync, in a process of its own" in run.stdout
    figures = {figure["what"]: figure for figure in result["figures"]}
    assert set(figures) == {
        "from start: dashboard, count on screen",
        "from start: the same in its own process",
        "from start: dashboard, every key works",
        "from start: every key works, in use (6 changes)",
        "from start: sachstand set MOTION 1 done",
        "from start: sachstand show MOTION",
        "from start: sachstand undo (after a set)",
        "from start: set, resident process",
        "from start: show, resident process",
        "from start: sachstand set, against python",
        "from start: python -c pass, against -S",
        *(["from start: sachstand set, against task"] if shutil.which("task") else []),
        "open the store (parse + validate)",
        "one status edit, durably written",
        "the same when the journal is full (file written whole)",
        "dashboard: motion list on screen",
        "dashboard: store read, every key works",
        "search as you type, per keystroke",
        "search, the first keystroke (all motions searched)",
        "switching the selected motion",
        "a status key in the dashboard: written and shown",
        "sync: full push",
        "sync: full push, CPU of the client",
        *(["sync: full push, CPU of the server"] if PROC else []),
        "sync: full pull",
        "sync: one-edit round trip",
        "sync: full push, PostgreSQL server",
        "sync: full push, PostgreSQL server, CPU of the client",
        *(["sync: full push, PostgreSQL server, CPU of the server"] if PROC else []),
        "sync: full pull, PostgreSQL server",
        "from start: set after a full push",
        "overview: snapshot of the store (app's thread)",
        "overview: figures computed (worker thread)",
        "overview: d to the figures on screen",
        "overview: slowest key pressed as it opens",
        "dashboard: longest stall, taking another process's whole write",
    }
    # A CPU figure is counted in ticks of the system's clock (/proc): a push of 100 motions may take less than one.
    assert all(
        figure["seconds"] > 0 or (", CPU of the" in what and figure["seconds"] == 0) for what, figure in figures.items()
    )
    assert figures["one status edit, durably written"]["floor_seconds"] > 0
    assert "one status edit, durably written" in run.stdout and "sync: one-edit round trip" in run.stdout
    # Too few motions to keep their models between starts (store/modelcache.py): the rows that measure it say so.
    assert run.stdout.count(f"Fewer than {CACHE_FROM} motions: no models are kept between starts") == 2  # both ways
    assert result["peak_memory_kept_bytes"] is None and result["peak_memory_rewritten_bytes"] is None
