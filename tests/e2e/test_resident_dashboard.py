"""The dashboard through the resident process (tui/cli/resident), started as a shell starts it: in a
pseudo-terminal that is the command's controlling terminal, the command in its foreground. A child of the
resident process runs it on the client's terminal, follows the terminal's size, and ends with its client; where
it could not be the client's own (Textual's settings differ, started in the background), the client runs it
itself, as before. The screen is read by a terminal emulator (pyte), as a person would see it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pyte

from helpers.resident import SACHSTAND, TIMEOUT, Resident, alive, children_of, gone

SIZE, WIDER = (30, 100), (36, 130)  # rows, columns
LEFT = b"\x1b[?1049l"  # Textual leaves the alternate screen: the terminal is the shell's again


class Terminal:
    """``sachstand ARGS`` in a pseudo-terminal of SIZE, as its controlling terminal; ``background``: started as
    ``sachstand &`` is, in a process group of its own that is not the terminal's foreground."""

    def __init__(self, resident: Resident, args: tuple[str, ...], env: dict[str, str], background: bool) -> None:
        self.pid, self.fd = pty.fork()  # the child: a session of its own, the terminal its controlling one
        if self.pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", *SIZE, 0, 0))
                os.chdir(resident.cwd)
                if background and (job := os.fork()):  # the shell's part: waits for its job
                    os._exit(os.waitstatus_to_exitcode(os.waitpid(job, 0)[1]) & 0xFF)
                if background:
                    os.setpgid(0, 0)
                os.execve(SACHSTAND, [SACHSTAND, *args], resident.env | {"TERM": "xterm-256color"} | env)
            finally:
                os._exit(127)
        self.screen = pyte.Screen(SIZE[1], SIZE[0])
        self.stream = pyte.ByteStream(self.screen)
        self.output = b""

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def read(self, seconds: float) -> bool:
        """What the program wrote within ``seconds``, on the screen; False once every process closed the terminal."""
        if not select.select([self.fd], [], [], seconds)[0]:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: no process holds the terminal any more
            return False
        self.output += chunk
        self.stream.feed(chunk)
        return bool(chunk)

    def wait_until(self, shown: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not shown():
            assert time.monotonic() < deadline, f"{what} never came:\n" + "\n".join(self.lines())
            self.read(0.1)

    def shows(self, text: str) -> None:
        self.wait_until(lambda: any(text in line for line in self.lines()), repr(text))

    def resize(self, rows: int, columns: int) -> None:
        """The terminal window made another size: the terminal tells its foreground (SIGWINCH)."""
        self.screen.resize(rows, columns)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def exit_code(self) -> int:
        """Keeps reading (a full terminal would block the program's last writes) until the command ends."""
        deadline = time.monotonic() + TIMEOUT
        while not (ended := os.waitpid(self.pid, os.WNOHANG))[0]:
            assert time.monotonic() < deadline, "the command did not end"
            self.read(0.1)
        while self.read(0.2):  # and what its child wrote last
            pass
        return os.waitstatus_to_exitcode(ended[1])

    def served_by(self, server: int) -> int | None:
        """The child of the resident process ``server`` that runs on this terminal, if one does."""
        terminal = os.readlink(f"/proc/{self.pid}/fd/0")
        for child in children_of(server):
            with suppress(OSError):
                if os.readlink(f"/proc/{child}/fd/0") == terminal:
                    return child
        return None


@contextmanager
def in_terminal(
    resident: Resident, *args: str, env: dict[str, str] | None = None, background: bool = False
) -> Iterator[Terminal]:
    terminal = Terminal(resident, args, env or {}, background)
    try:
        yield terminal
    finally:
        with suppress(OSError):  # unless it ended: a job it started in the background, then the client
            for pid in [*children_of(terminal.pid), terminal.pid]:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(terminal.pid, 0)
        os.close(terminal.fd)


def _border_width(terminal: Terminal) -> int:
    """How wide the motion list's pane is drawn: its top border, from corner to corner."""
    top = next((line for line in terminal.lines() if line.startswith("╭─ Anträge")), "")
    return len(top) if top.endswith("╮") else 0


def test_a_child_of_the_resident_process_runs_the_dashboard_on_the_clients_terminal(
    resident: Resident, stores: tuple[Path, Path, str]
) -> None:
    _here, there, _motion = stores
    server = resident.started()
    with in_terminal(resident, "--db", str(there)) as terminal:
        terminal.shows("Anträge: 20 von 20")
        child = terminal.served_by(server)
        assert child is not None and child != terminal.pid
        assert _border_width(terminal) == SIZE[1]
        terminal.resize(*WIDER)  # the client passes the terminal's signal on to the child
        terminal.wait_until(lambda: _border_width(terminal) == WIDER[1], "the list drawn at the new width")
        os.write(terminal.fd, b"q")
        assert terminal.exit_code() == 0
        assert gone(child)
        assert LEFT in terminal.output


def test_a_dashboard_whose_client_is_killed_ends_and_leaves_the_terminal_as_it_found_it(
    resident: Resident, stores: tuple[Path, Path, str]
) -> None:
    """SIGKILL cannot be passed on: the child sees its client's connection close, and ends as after Ctrl-C,
    rather than go on reading the keys typed into the shell."""
    _here, there, _motion = stores
    server = resident.started()
    with in_terminal(resident, "--db", str(there)) as terminal:
        terminal.shows("Anträge: 20 von 20")
        child = terminal.served_by(server)
        assert child is not None
        os.kill(terminal.pid, signal.SIGKILL)
        terminal.wait_until(lambda: not alive(child), "the end of the dashboard's child")
        while terminal.read(0.2):
            pass
        assert LEFT in terminal.output


def test_other_textual_settings_than_the_resident_process_loaded_it_with_run_the_dashboard_in_the_client(
    resident: Resident, stores: tuple[Path, Path, str]
) -> None:
    """Textual reads its settings (TEXTUAL_*, ESCDELAY) once, when it is imported: the resident process loaded it
    with its own. A client with others runs its dashboard itself, and they take effect as in a fresh process."""
    _here, there, _motion = stores
    server = resident.started()
    with in_terminal(resident, "--db", str(there), env={"ESCDELAY": "25"}) as terminal:
        terminal.shows("Anträge: 20 von 20")
        assert terminal.served_by(server) is None
        os.write(terminal.fd, b"q")
        assert terminal.exit_code() == 0


def test_a_dashboard_started_in_the_background_stays_in_its_own_process_and_the_terminal_stops_it(
    resident: Resident, stores: tuple[Path, Path, str]
) -> None:
    """``sachstand &``: a child of the resident process is outside the terminal's session, where the terminal
    could not stop it, and it would take the shell's keys. The client runs it, and is stopped as any program that
    takes the terminal from the background is."""
    _here, there, _motion = stores
    server = resident.started()
    with in_terminal(resident, "--db", str(there), background=True) as terminal:
        deadline = time.monotonic() + TIMEOUT
        while not (jobs := children_of(terminal.pid)) or _state(jobs[0]) != "T":
            assert time.monotonic() < deadline, "the dashboard in the background was not stopped"
            terminal.read(0.1)
        assert terminal.served_by(server) is None


def _state(pid: int) -> str:
    """The process's state letter (R, S, T for stopped, Z)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_an_open_dashboard_keeps_the_resident_process_past_its_idle_time(
    resident: Resident, stores: tuple[Path, Path, str]
) -> None:
    """A dashboard open all day keeps the resident process for its next start; it ends its idle time after."""
    _here, there, motion = stores
    resident.run("resident", "stop")
    resident.env["SACHSTAND_RESIDENT_IDLE"] = "2"
    resident.run("--db", str(there), "show", motion)
    server = resident.started()
    with in_terminal(resident, "--db", str(there)) as terminal:
        terminal.shows("Anträge: 20 von 20")
        assert terminal.served_by(server) is not None
        deadline = time.monotonic() + 5  # two and a half idle times without a request
        while time.monotonic() < deadline:
            terminal.read(0.1)
        assert alive(server)
        os.write(terminal.fd, b"q")
        assert terminal.exit_code() == 0
    assert gone(server, 20)
