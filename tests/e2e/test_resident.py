"""The resident command process (tui/cli/resident), driven from outside: the installed `sachstand` command
run as a user runs it, with a resident process in a runtime folder of the test's own, against the same
command in its own process (SACHSTAND_RESIDENT=0). Output, exit codes and stored data must be the same
byte for byte; a stale socket, changed code, an idle time, `resident stop`, a lost child and Ctrl-C are
each met as a user would meet them. Every resident process a test starts is ended with it: found by the
runtime folder in its environment, whatever state it was left in.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from store import example_letter

from helpers.resident import SACHSTAND, TIMEOUT, Resident, alive, children_of, gone, spare_of

VOLATILE = frozenset({"at", "updated", "created"})  # when an edit was made: differs between any two runs


def _motions(path: Path) -> Any:
    """The stored motions without the moments of their edits."""

    def kept(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: kept(item) for key, item in value.items() if key not in VOLATILE}
        if isinstance(value, list):
            return [kept(item) for item in value]
        return value

    return kept(json.loads(path.read_text("utf-8"))["motions"])


def _both(resident: Resident, here: Path, there: Path, *args: str, **env: str) -> None:
    """The command on both copies: the same exit code, output and errors (each naming its own file)."""
    code, out, err = resident.run("--db", str(here), *args, resident=False, **env)
    expected = (code, _timeless(out.replace(str(here), str(there))), _timeless(err.replace(str(here), str(there))))
    served, out, err = resident.run("--db", str(there), *args, **env)
    assert (served, _timeless(out), _timeless(err)) == expected, args


def _timeless(text: str) -> str:
    """``text`` without the times of day the history shows and the stamps ``list --json`` gives
    ("2026-12-02T04:41:12Z"): the two copies' edits fall on different instants, now and then in different seconds."""
    return re.sub(r"(?<![\d:])\d\d:\d\d(:\d\d)?(?![\d:])", "HH:MM", text)


def test_commands_through_the_resident_process_do_what_they_do_in_their_own(
    resident: Resident, stores: tuple[Path, Path, str]
) -> None:
    here, there, motion = stores
    before = resident.status()
    assert before is not None
    for args in (
        ("show", motion),
        ("set", motion, "1", "done"),
        ("set", motion, "2", "in_progress", "--note", "Zwischenbericht liegt vor"),
        ("list",),
        ("list", "--json"),
        ("history", motion),
        ("undo",),
        ("redo",),
        ("set", motion, "99", "done"),  # bad input: no such item
        ("set", motion, "1", "erledigt-oder-so"),  # a usage error, said by argparse
        ("show", "nope"),
        ("--lang", "en", "show", motion),
        ("--help",),
        ("set", "--help"),
        ("--version",),
    ):
        _both(resident, here, there, *args)
    _both(resident, here, there, "show", motion, SACHSTAND_LANG="en")  # the client's environment, not the resident's
    _both(resident, here, there, "list", TZ="Pacific/Kiritimati", LANG="C.UTF-8")
    assert _motions(there) == _motions(here)
    after = resident.status()
    assert after is not None and after[0] == before[0]
    assert after[1] >= before[1] + 17  # each of them ran in a child of the same resident process


def test_a_relative_path_is_the_clients_and_the_umask_too(resident: Resident, stores: tuple[Path, Path, str]) -> None:
    _here, there, motion = stores
    folder = resident.cwd / "sub"
    folder.mkdir()
    shutil.copyfile(there, folder / "data.json")
    export = ("--db", "data.json", "export", "--format", "csv", "--output", "out.csv")
    code, _out, err = resident.run(*export, cwd=folder, umask=0o027)
    assert code == 0, err
    assert (folder / "out.csv").is_file() and not (resident.cwd / "out.csv").exists()
    assert (folder / "out.csv").stat().st_mode & 0o777 == 0o640  # the client's umask, not the resident's
    code, _out, err = resident.run("--db", "data.json", "set", motion, "1", "deferred", cwd=folder)
    assert code == 0, err
    assert resident.run("--db", str(folder / "data.json"), "show", motion, resident=False)[1].count("zurückgestellt")


def test_the_switch_leaves_every_command_in_its_own_process(resident: Resident, stores: tuple[Path, Path, str]) -> None:
    _here, there, motion = stores
    pid, count = resident.status() or (0, 0)
    assert resident.run("--db", str(there), "show", motion, resident=False)[0] == 0
    assert resident.status() == (pid, count + 1)  # only the status request itself went there
    resident.run("resident", "stop")
    assert gone(pid)
    assert resident.run("--db", str(there), "show", motion, resident=False)[0] == 0
    time.sleep(0.5)
    assert resident.processes() == []  # switched off: none started either


def test_a_dead_resident_process_leaves_a_socket_the_next_command_replaces(
    resident: Resident, stores: tuple[Path, Path, str]
) -> None:
    here, there, motion = stores
    pid = resident.started()
    os.kill(pid, signal.SIGKILL)
    assert gone(pid)
    assert list((resident.runtime / "sachstand").glob("*.sock"))  # left behind
    _both(resident, here, there, "set", motion, "1", "done")  # runs in its own process, starts a new one
    assert resident.started() != pid
    assert _motions(there) == _motions(here)


def test_a_lost_spare_child_is_replaced_and_the_command_runs_once(
    resident: Resident, stores: tuple[Path, Path, str]
) -> None:
    """The child kept for the next command, killed while it waited: the command is given to a new one."""
    here, there, motion = stores
    server, count = resident.status() or (0, 0)
    spare = spare_of(server)
    os.kill(spare, signal.SIGKILL)
    assert gone(spare)
    _both(resident, here, there, "set", motion, "1", "done")
    assert resident.status() == (server, count + 2)  # the command and the status request, by the same process
    assert _motions(there) == _motions(here)
    resident.run("resident", "stop")
    assert gone(server)
    deadline = time.monotonic() + 10
    while resident.processes():  # the spare ends with its resident process
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_changed_code_is_not_served_and_a_new_process_serves_it(
    resident: Resident, stores: tuple[Path, Path, str]
) -> None:
    """A folder Python imports from that changes (an install adds a package there) ends the resident process at
    the next command, which runs in its own process on the code as it is now and starts a new resident one."""
    here, there, motion = stores
    extra = resident.cwd / "extra"
    extra.mkdir()
    resident.env["PYTHONPATH"] = str(extra)
    resident.run("--db", str(there), "show", motion)  # another interpreter path: a resident process of its own
    old = resident.started()
    (extra / "installed_later.py").write_text("")
    _both(resident, here, there, "set", motion, "2", "done")
    assert gone(old)
    assert resident.started() != old
    assert _motions(there) == _motions(here)


def test_it_ends_after_its_idle_time_and_when_stopped(resident: Resident, stores: tuple[Path, Path, str]) -> None:
    _here, there, motion = stores
    code, out, _err = resident.run("resident", "stop")
    assert code == 0 and "Residenten Prozess" in out
    assert resident.status() is None
    assert resident.run("--lang", "en", "resident", "stop")[1] == "No resident process is running.\n"
    resident.env["SACHSTAND_RESIDENT_IDLE"] = "1"
    resident.run("--db", str(there), "show", motion)
    pid = resident.started()
    assert gone(pid, 20)
    assert not list((resident.runtime / "sachstand").glob("*.sock"))  # removed on the way out


def test_a_runtime_folder_others_may_enter_is_not_used(resident: Resident, stores: tuple[Path, Path, str]) -> None:
    _here, there, motion = stores
    resident.run("resident", "stop")
    (resident.runtime / "sachstand").chmod(0o755)
    assert resident.run("--db", str(there), "show", motion)[0] == 0
    time.sleep(0.5)
    assert resident.processes() == []


def _in_terminal(resident: Resident, *args: str) -> tuple[int, int]:
    """``sachstand ARGS`` started in a pseudo-terminal of its own: its pid and the terminal's descriptor."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.chdir(resident.cwd)
            os.execve(SACHSTAND, [SACHSTAND, *args], resident.env)
        finally:
            os._exit(127)
    return pid, fd


@contextlib.contextmanager
def _importing_in_terminal(resident: Resident, store: Path, letter: Path) -> Iterator[tuple[int, int]]:
    """``sachstand import LETTER`` in a terminal of its own, asking whether to save: its pid and the terminal."""
    pid, fd = _in_terminal(resident, "--db", str(store), "import", str(letter))
    try:
        _read_until(fd, "Speichern? [j/N] ")
        yield pid, fd
    finally:
        os.close(fd)


def _read_until(fd: int, text: str) -> str:
    seen, deadline = b"", time.monotonic() + TIMEOUT
    while text.encode() not in seen:
        assert time.monotonic() < deadline, seen
        if select.select([fd], [], [], 0.2)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen.decode(errors="replace")


def _exit_code(pid: int) -> int:
    deadline = time.monotonic() + TIMEOUT
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.fixture
def letter(resident: Resident, stores: tuple[Path, Path, str]) -> Path:
    path = resident.cwd / "antrag.txt"
    path.write_text(example_letter(), encoding="utf-8")
    return path


def test_a_question_is_answered_on_the_clients_terminal(
    resident: Resident, stores: tuple[Path, Path, str], letter: Path
) -> None:
    _here, there, _motion = stores
    with _importing_in_terminal(resident, there, letter) as (pid, fd):
        os.write(fd, b"j\n")
        assert _exit_code(pid) == 0
    assert len(json.loads(resident.run("--db", str(there), "list", "--json", resident=False)[1])) == 21


def test_ctrl_c_and_kill_reach_the_command_and_a_lost_child_is_said(
    resident: Resident, stores: tuple[Path, Path, str], letter: Path
) -> None:
    _here, there, _motion = stores
    server = resident.started()
    spare = spare_of(server)  # the next command's child, forked ahead of it
    with _importing_in_terminal(resident, there, letter) as (pid, fd):
        os.write(fd, b"\x03")  # Ctrl-C: the terminal signals the client, which passes it on
        assert _exit_code(pid) == 130
    assert gone(spare)  # it ran the command, and ended with it
    spare = spare_of(server)
    with _importing_in_terminal(resident, there, letter) as (pid, fd):
        os.kill(pid, signal.SIGTERM)  # as `kill` sends it: the command ends, and the client by the same signal
        assert _exit_code(pid) == -signal.SIGTERM
    assert gone(spare)
    child = spare_of(server)
    with _importing_in_terminal(resident, there, letter) as (pid, fd):
        assert child in children_of(server)  # running the command, beside the next spare
        os.kill(child, signal.SIGKILL)
        said = _read_until(fd, "nicht noch einmal ausgeführt")
        assert "sachstand: Fehler: der Prozess" in said
        assert _exit_code(pid) == 1
    assert len(json.loads(resident.run("--db", str(there), "list", "--json", resident=False)[1])) == 20


def test_a_command_still_running_holds_up_no_new_resident_process(
    resident: Resident, stores: tuple[Path, Path, str], letter: Path
) -> None:
    """The child of a stopped resident process keeps neither its lock nor its socket: a new one starts at once."""
    _here, there, motion = stores
    old = resident.started()
    child = spare_of(old)
    with _importing_in_terminal(resident, there, letter) as (pid, fd):
        assert child in children_of(old)  # the command's, beside the next spare
        resident.run("resident", "stop")
        assert gone(old)
        assert alive(child)
        assert resident.run("--db", str(there), "show", motion)[0] == 0  # in its own process: starts a new one
        assert resident.started() != old
        os.write(fd, b"\x03")
        assert _exit_code(pid) == 130


def test_a_server_or_a_resident_command_run_with_none_running_starts_none_after_it(
    resident: Resident, tmp_path: Path
) -> None:
    """Commands the resident process leaves to the client's own process start none when they end: a stopped
    server would leave one behind, and `resident status` would start the process it has just said is not running.
    Any other command does (the fixture `stores` relies on it)."""
    assert resident.run("--lang", "en", "resident", "status")[1].startswith("No resident process is running")
    assert resident.run("resident", "stop")[0] == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tokens, data = tmp_path / "tokens.json", tmp_path / "server.json"
    serve = [SACHSTAND, "--db", str(data), "serve", "--tokens", str(tokens), "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(serve, env=resident.env, cwd=tmp_path, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not _accepts(port):
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        server.send_signal(signal.SIGINT)  # Ctrl-C: the server stops, and the command ends (SIGTERM ends the process)
        assert server.wait(TIMEOUT) == 130
    finally:
        server.kill()
        server.wait()
        assert server.stderr
        server.stderr.close()
    assert resident.processes() == []  # a process started as the command ended would be there (posix_spawn)
    resident.run("--db", str(data), "list")
    assert resident.started()


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True
