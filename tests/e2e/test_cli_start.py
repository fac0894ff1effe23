"""What a one-motion command loads: only what it uses. Every module loaded is paid for at every start (a
`set` is mostly Python's start and its imports: docs/performance.md), so the ones it does not need stay out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from store import Store

from helpers import ROOT

# Loaded only by the commands (or the config) that need them.
NOT_FOR_ONE_MOTION = (
    "filelock",  # the lock is flock, taken directly (store/file/transaction.py)
    "tomllib",  # only with a config file
    "platformdirs",  # only for the platform's folders ($SACHSTAND_CONFIG and --db given here)
    "socket",  # `serve`
    "httpx",
    "textual",
    "store.overview",
    "store.example",
    "store.exchange.importers",
    "store.sync.client",
    "store.sync.remote",  # the sync server's address: `sync`, or the dashboard with a server configured
    "tempfile",  # `demo`
)

CODE = """
import io, sys
from tui.cli import main
code = main(sys.argv[1:], stdout=io.StringIO(), stderr=io.StringIO())
print(code, sorted(name for name in sys.modules if name in {wanted!r} or name.split(".")[0] in {wanted!r}))
"""


def _loaded(tmp_path: Path, *args: str) -> str:
    env = {name: value for name, value in os.environ.items() if not name.startswith("SACHSTAND_")}
    env |= {"SACHSTAND_CONFIG": str(tmp_path / "none.toml"), "SACHSTAND_USER": "anna"}
    done = subprocess.run(
        [sys.executable, "-c", CODE.format(wanted=NOT_FOR_ONE_MOTION), "--db", str(tmp_path / "data.json"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_set_show_and_undo_load_only_what_they_use(tmp_path: Path) -> None:
    assert _loaded(tmp_path, "generate", "--motions", "3").startswith("0 ")
    with Store(tmp_path / "data.json", user="anna") as store:
        motion = store.motions()[1].id
    assert _loaded(tmp_path, "set", motion, "1", "deferred") == "0 []"
    assert _loaded(tmp_path, "show", motion) == "0 []"
    assert _loaded(tmp_path, "undo") == "0 []"


def test_the_command_lines_imports_leave_the_cycle_collector_as_they_found_it() -> None:
    """It waits while the command line loads (tui/cli/__init__.py), then runs again, or stays off if it was."""
    for before in ("", "gc.disable(); "):
        code = f"import gc; {before}import tui.cli; print(gc.isenabled())"
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert done.stdout.strip() == ("False" if before else "True"), done.stderr
