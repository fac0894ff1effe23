"""The `sachstand` command with a resident process of a test's own (tui/cli/resident): its environment, and
the processes it starts, found and ended whatever state a test left them in."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

SACHSTAND = str(Path(sys.executable).with_name("sachstand"))  # the installed command (its entry point)
TIMEOUT = 60  # seconds for any command


class Resident:
    """The `sachstand` command in an environment of the test's own, with or without the resident process."""

    def __init__(self, tmp_path: Path) -> None:
        self.runtime = tmp_path / "run"
        self.runtime.mkdir(mode=0o700)
        self.cwd = tmp_path
        kept = {name: value for name, value in os.environ.items() if not name.startswith("SACHSTAND_")}
        self.env = kept | {
            "XDG_RUNTIME_DIR": str(self.runtime),
            "SACHSTAND_CONFIG": str(tmp_path / "none.toml"),
            "SACHSTAND_USER": "anna",
            "SACHSTAND_LANG": "de",
            "TZ": "UTC",
        }

    def run(
        self, *args: str, resident: bool = True, cwd: Path | None = None, umask: int = -1, **env: str
    ) -> tuple[int, str, str]:
        """Exit code, stdout and stderr of ``sachstand ARGS``; ``resident=False``: in its own process only."""
        environment = self.env | env | ({} if resident else {"SACHSTAND_RESIDENT": "0"})
        done = subprocess.run(
            [SACHSTAND, *args],
            cwd=cwd or self.cwd,
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
            umask=umask,
        )
        return done.returncode, done.stdout, done.stderr

    def status(self) -> tuple[int, int] | None:
        """The resident process's pid and the count of commands it ran; None when none runs."""
        code, out, _err = self.run("--lang", "en", "resident", "status")
        assert code == 0
        found = re.search(r"resident process (\d+) is running .* has answered (\d+) requests", out)
        return (int(found[1]), int(found[2])) if found else None

    def started(self) -> int:
        """The pid of the resident process, once it answers (started by a command that ran in its own process)."""
        deadline = time.monotonic() + TIMEOUT
        while (found := self.status()) is None:
            assert time.monotonic() < deadline, "no resident process started"
            time.sleep(0.1)
        return found[0]

    def processes(self) -> list[int]:
        """Every process of this test's resident processes, found by the runtime folder in its environment."""
        marker = f"XDG_RUNTIME_DIR={self.runtime}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    if marker in (entry / "environ").read_bytes().split(b"\0") and alive(int(entry.name)):
                        found.append(int(entry.name))
        return found

    def end(self) -> None:
        self.run("resident", "stop")
        deadline = time.monotonic() + 10
        while processes := self.processes():
            if time.monotonic() > deadline:
                for pid in processes:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def children_of(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found if alive(int(child))]


def spare_of(server: int) -> int:
    """The one child the resident process keeps forked for the next command, once no command's child is left."""
    deadline = time.monotonic() + 10
    while len(children := children_of(server)) != 1:
        assert time.monotonic() < deadline, children
        time.sleep(0.05)
    return children[0]
