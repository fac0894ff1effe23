"""How a command's process ends (tui/cli/__init__.py): as Python ends one (the threads that are no daemons waited for,
the exit functions run, the standard streams flushed, 120 if they cannot be), then at once, without freeing what the
command read object by object (the store of a command that ends its process is left to that end: tui/cli/base.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import ROOT

ENDED = """
import atexit, sys, threading, time
from tui.cli import _ended
atexit.register(lambda: print("the exit function ran"))
threading.Thread(target=lambda: (time.sleep(0.2), print("the thread ended"))).start()
print("written before", end="; ")
_ended(int(sys.argv[1]))
print("never")
"""


def _ended(code: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ENDED, str(code)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_a_command_ends_its_process_as_python_would_with_its_exit_code() -> None:
    done = _ended(3)
    assert done.stdout == "written before; the thread ended\nthe exit function ran\n", done.stderr
    assert done.returncode == 3


UNWRITABLE = """
import sys
from tui.cli import _ended
sys.stdin.readline()  # once the reader of its output is gone
sys.stdout.write("lost")
_ended(0)
"""


def test_output_that_cannot_be_written_at_the_end_gives_120_as_python_does() -> None:
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}  # as at a shell
    with subprocess.Popen(
        [sys.executable, "-c", UNWRITABLE], cwd=ROOT, env=buffered, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as child:
        assert child.stdout is not None and child.stdin is not None
        child.stdout.close()
        child.stdin.write(b"go\n")
        child.stdin.close()
        assert child.wait(timeout=60) == 120


LEFT = """
import io, sys
import tui.cli.base
from tui.cli import main
code = main(sys.argv[2:], stdout=io.StringIO(), stderr=io.StringIO(), ends_process=sys.argv[1] == "ends")
print(code, [store.path.name for store in tui.cli.base._LEFT_TO_THE_END])
"""


def test_the_store_of_a_command_that_ends_its_process_is_left_to_that_end(tmp_path: Path) -> None:
    """Not freed first: 0.45 to 0.77 s after a pull of 50,000 motions. A caller whose process goes on gets it closed."""
    env = os.environ | {"SACHSTAND_CONFIG": str(tmp_path / "none.toml"), "SACHSTAND_RESIDENT": "0"}

    def left(ending: str) -> str:
        command = [sys.executable, "-c", LEFT, ending, "--db", str(tmp_path / "data.json"), "example"]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        return done.stdout.strip()

    assert left("ends") == "0 ['data.json']"
    assert left("goes on") == "0 []"
