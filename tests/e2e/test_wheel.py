"""Sachstand as users install it: the wheel built from this checkout, installed (not editable) into a fresh
virtual environment without the system's packages, then run from outside the checkout: `sachstand --help`,
`python -m tui --help`, and `sachstand demo` and `sachstand sync` in a real pseudo-terminal.

The editable install the rest of the suite runs in sees every file of the checkout, so a sub-package or
data file the packaging forgets only shows here. The dependencies come from the package index or pip's
cache, as for a user. Every step is bounded; the dashboard is killed at the end whatever happened.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
import venv
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from store import EXAMPLE_ID

from helpers import ROOT
from helpers.documents import docx_letter, pdf_letter, scanned_pdf
from helpers.sync import model, run_sync, serving

BUILD_TIMEOUT = 180  # seconds; a cold pip cache downloads setuptools and every dependency
RUN_TIMEOUT = 60  # seconds for a command of the installed package
SIZE = (36, 120)  # rows, columns of the pseudo-terminal
# The demo opens on its newest motion (store.demo_motions: "Photovoltaik auf den Dächern …"); the first
# item's title, "Eignung der Dachflächen prüfen lassen", in a prefix the item table never cuts at 120 columns.
# The demo holds the example motion too: its data file must be in the wheel, or the demo would not start.
FIRST_ITEM = "Eignung der Dachfl"
# What the copy of the checkout leaves out: what a fresh clone does not have either.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")
ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")


@dataclass
class Installed:
    wheel: Path
    bin: Path  # the fresh environment's scripts
    home: Path  # HOME and the working folder of every command: nothing of the checkout is importable from it

    def environment(self) -> dict[str, str]:
        """The user's environment without anything that points Python at the checkout or its .venv."""
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "SACHSTAND_"))}
        folders = {
            name: str(self.home / name.lower())
            for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "TMPDIR")
        }
        for folder in folders.values():
            Path(folder).mkdir(mode=0o700, exist_ok=True)
        # No resident process (tui/cli/resident) but where a test asks for one: none outlives the tests.
        user = {"HOME": str(self.home), "SACHSTAND_USER": "anna", "SACHSTAND_LANG": "de", "SACHSTAND_RESIDENT": "0"}
        return {**keep, **folders, **user}

    def run(self, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, cwd=self.home, env=self.environment() | env, capture_output=True, text=True, timeout=RUN_TIMEOUT
        )


def _step(argv: list[str], cwd: Path) -> None:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert done.returncode == 0, f"{' '.join(argv)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    # A copy, so the build neither writes build/ into the checkout nor packs a stale build/ left there.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    wheels = work / "wheels"
    _step([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), "."], source)
    (wheel,) = wheels.glob("sachstand-*.whl")
    environment = work / "env"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(environment)
    scripts = environment / "bin"
    _step([str(scripts / "python"), "-m", "pip", "install", "--quiet", str(wheel)], work)
    home = work / "home"
    home.mkdir()
    return Installed(wheel, scripts, home)


def test_the_wheel_holds_the_code_and_its_data_but_no_tests(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    assert "tui/app.tcss" in names
    data = {name for name in names if name.startswith("store/data/")}
    # Everything in store/data but its README, which is for the people who edit the folder.
    wanted = {f"store/data/{path.name}" for path in (ROOT / "store" / "data").iterdir() if path.name != "README.md"}
    assert data == wanted - {"store/data/__pycache__"}
    sources = {path.relative_to(ROOT).as_posix() for top in ("store", "tui") for path in (ROOT / top).rglob("*.py")}
    assert sources <= set(names), f"missing from the wheel: {sorted(sources - set(names))}"
    assert not [name for name in names if name.split("/")[0] not in ("store", "tui") and ".dist-info/" not in name]


def test_the_installed_package_has_no_tests(installed: Installed) -> None:
    found = installed.run(
        str(installed.bin / "python"), "-c", "import importlib.util as u; print(u.find_spec('tests'))"
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "None"


@pytest.mark.parametrize("argv", [["sachstand", "--help"], ["python", "-m", "tui", "--help"]])
def test_the_installed_command_shows_its_usage(installed: Installed, argv: list[str]) -> None:
    done = installed.run(str(installed.bin / argv[0]), *argv[1:])
    assert done.returncode == 0, done.stderr
    # The usage line in the user's language ("usage:" or "Aufruf:"), and the commands under it.
    assert "sachstand [-h]" in done.stdout and "demo" in done.stdout and "import" in done.stdout


def test_the_installed_command_is_answered_by_its_resident_process(installed: Installed) -> None:
    """The first command runs in its own process and starts the resident one, detached: it holds none of the
    pipes this test reads (else ``run`` would wait for it); the next are answered by it, as a fresh process
    answers them; `resident stop` ends it."""
    sachstand, db = str(installed.bin / "sachstand"), str(installed.home / "resident.json")
    on = {"SACHSTAND_RESIDENT": "1"}
    assert installed.run(sachstand, "--db", db, "generate", "--motions", "3", **on).returncode == 0
    deadline = time.monotonic() + RUN_TIMEOUT
    while "läuft seit" not in installed.run(sachstand, "resident", "status", **on).stdout:
        assert time.monotonic() < deadline, "no resident process started"
        time.sleep(0.1)
    try:
        for argv in (["list"], ["--lang", "en", "list", "--json"], ["show", "nope"]):
            served, own = installed.run(sachstand, "--db", db, *argv, **on), installed.run(sachstand, "--db", db, *argv)
            assert (served.returncode, served.stdout, served.stderr) == (own.returncode, own.stdout, own.stderr)
        before = _answered(installed.run(sachstand, "resident", "status", **on).stdout)
        assert installed.run(sachstand, "--db", db, "list", **on).returncode == 0
        assert _answered(installed.run(sachstand, "resident", "status", **on).stdout) == before + 2  # and the status
    finally:
        stopped = installed.run(sachstand, "resident", "stop", **on)
    assert stopped.stdout.startswith("Residenten Prozess") and stopped.returncode == 0
    assert "Kein residenter Prozess" in installed.run(sachstand, "resident", "status", **on).stdout


def _answered(status: str) -> int:
    found = re.search(r"hat (\d+) Anfragen beantwortet", status)
    assert found, status
    return int(found[1])


def test_the_installed_command_imports_a_pdf_and_a_word_letter(installed: Installed) -> None:
    """The libraries that read PDF and Word files come with the package, as its dependencies."""
    letters = {"antrag.pdf": pdf_letter(), "antrag.docx": docx_letter(), "scan.pdf": scanned_pdf()}
    for name, content in letters.items():
        (installed.home / name).write_bytes(content)
    db = str(installed.home / "letters.json")
    done = installed.run(str(installed.bin / "sachstand"), "--db", db, "import", "antrag.pdf", "--yes")
    assert done.returncode == 0, done.stderr
    assert "Sichere Schulwege für Fußgänger" in done.stdout and "Importiert: 1 neu" in done.stderr
    both = installed.run(str(installed.bin / "sachstand"), "--db", db, "import", "scan.pdf", "antrag.docx", "--yes")
    assert both.returncode == 2, both.stderr
    assert "scan.pdf: ein PDF ohne Textebene (ein Scan)" in both.stderr and "Traceback" not in both.stderr
    assert "antrag.docx: importiert: 0 neu, 0 aktualisiert, 1 unverändert" in both.stderr  # the PDF's words


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_installed_command_writes_the_report_to_the_committee(installed: Installed, kind: str) -> None:
    """fpdf2 and python-docx come as dependencies, and the font the PDF embeds with the wheel."""
    db = str(installed.home / f"report-{kind}.json")
    done = installed.run(str(installed.bin / "sachstand"), "--db", db, "export", "--format", kind, "-o", f"b.{kind}")
    assert done.returncode == 0, done.stderr
    written = (installed.home / f"b.{kind}").read_bytes()
    assert written.startswith(b"%PDF" if kind == "pdf" else b"PK")


def test_the_installed_dashboard_starts_in_a_terminal_and_quits(installed: Installed) -> None:
    with _in_terminal(installed, str(installed.bin / "sachstand"), "demo") as terminal:
        terminal.wait_for(FIRST_ITEM)
        os.write(terminal.fd, b"q")
        assert terminal.exit_code() == 0, terminal.screen[-2000:]


def test_the_installed_command_says_how_far_a_sync_has_come_on_a_terminal(installed: Installed, tmp_path: Path) -> None:
    """`sachstand sync` on a terminal shows how far it has come on one line, and takes the line off again at its
    end: the summary stands where it began (piped, it writes no such line: tests/e2e/test_sync_batches.py)."""
    sachstand, db = str(installed.bin / "sachstand"), str(installed.home / "sync.json")
    assert installed.run(sachstand, "--db", db, "example").returncode == 0
    with serving(tmp_path) as server:
        argv = (sachstand, "--db", db, "sync", "--remote", server.url, "--token", server.token)
        with _in_terminal(installed, *argv) as terminal:
            assert terminal.exit_code() == 0, terminal.screen[-2000:]
    said = terminal.output.decode()
    last = "Sync läuft … 0 von 0 gelesen, 1 gesendet"  # the feed was empty; the server accepted the one motion
    erased = said.index("\r" + " " * len(last) + "\r", said.index("\r" + last))
    assert said[erased:].strip() == f"Abgeglichen mit {server.url}: 0 empfangen, 1 gesendet."


def test_the_installed_dashboards_first_sync_runs_in_a_process_of_its_own(installed: Installed, tmp_path: Path) -> None:
    """The dashboard's first sync with a server runs as a process of the installed package (store/sync/apart.py,
    started by the dashboard with the same interpreter): the motion this copy holds reaches the server, and a
    colleague's sync brings it in."""
    sachstand, db = str(installed.bin / "sachstand"), str(installed.home / "first.json")
    assert installed.run(sachstand, "--db", db, "example").returncode == 0
    with serving(tmp_path) as server:
        remote = {"SACHSTAND_REMOTE": server.url, "SACHSTAND_TOKEN": server.token}
        with _in_terminal(installed, sachstand, "--db", db, extra=remote) as terminal:
            terminal.wait_for("Aktueller Stand")  # the dashboard is up; its first sync starts once the store is read
            colleague, deadline = tmp_path / "colleague.json", time.monotonic() + RUN_TIMEOUT
            while not model(colleague):
                assert time.monotonic() < deadline, f"the first sync sent nothing:\n{terminal.screen[-2000:]}"
                assert run_sync(colleague, server).code == 0
                time.sleep(0.2)
            os.write(terminal.fd, b"q")
            assert terminal.exit_code() == 0, terminal.screen[-2000:]
    assert list(model(colleague)) == [EXAMPLE_ID]


class _Terminal:
    def __init__(self, fd: int, process: subprocess.Popen[bytes]) -> None:
        self.fd, self.process = fd, process
        self.output = b""

    @property
    def screen(self) -> str:
        """What was written so far, without the escape sequences that position and colour it."""
        return ESCAPES.sub("", self.output.decode("utf-8", "replace"))

    def _read(self, seconds: float) -> bool:
        """Reads what the program wrote within ``seconds``; False once it closed the terminal."""
        if select.select([self.fd], [], [], seconds)[0]:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO: every process holding the terminal has closed it
                return False
            self.output += chunk
            return bool(chunk)
        return True

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + RUN_TIMEOUT
        while text not in self.screen:
            assert self.process.poll() is None, f"the dashboard ended early:\n{self.screen[-2000:]}"
            assert time.monotonic() < deadline, f"{text!r} never appeared:\n{self.screen[-2000:]}"
            self._read(0.1)

    def exit_code(self) -> int | None:
        """Keeps reading (a full terminal would block the program's last writes) until it ends."""
        deadline = time.monotonic() + RUN_TIMEOUT
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        return self.process.poll()


@contextmanager
def _in_terminal(installed: Installed, *argv: str, extra: dict[str, str] | None = None) -> Iterator[_Terminal]:
    """``argv`` in a new pseudo-terminal of SIZE, as in a terminal window (``extra``: more of its environment);
    killed on the way out."""
    controller, terminal = os.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", *SIZE, 0, 0))
    environment = {**installed.environment(), "TERM": "xterm-256color", "COLUMNS": str(SIZE[1]), "LINES": str(SIZE[0])}
    environment |= extra or {}
    process = subprocess.Popen(
        argv,
        cwd=installed.home,
        env=environment,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    try:
        yield _Terminal(controller, process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        os.close(controller)
