"""The resident process: the command line loaded once, a child forked for each client's command.

Started in the background by :func:`tui.cli.resident.control.start_in_background`, detached (its own
session, /dev/null for its standard streams, no descriptor of its starter's). It takes a lock beside its
socket (one resident per installation and user), loads what commands use, then answers on the socket until
it has been idle for ``$SACHSTAND_RESIDENT_IDLE`` seconds (600 by default), is stopped
(``sachstand resident stop``), or finds the installed code changed, which it then no longer serves.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import importlib
import os
import socket
import sys
import time
from collections.abc import Iterator
from typing import Any

from tui.cli.resident import wire
from tui.cli.resident.place import IDLE, IDLE_DEFAULT, key, socket_path
from tui.cli.resident.spare import Spare  # with the child and what it loads: loaded here once, not in every child

BACKLOG = 64  # clients that may wait while one is forked for
READ_TIMEOUT = 5.0  # seconds a connected client may take to say its request: a silent one holds up no other
STREAMS = 3  # stdin, stdout, stderr; the working folder comes as a fourth descriptor
# Loaded beyond the command line: what the commands load on their first use (the platform's folders, the
# config file's reader, the login's name) and the dashboard with Textual, so that no child pays for it.
WARM = ("tui.cli.run", "platformdirs", "tomllib", "getpass", "pwd", "tui.app")


def start(identity: bytes) -> None:
    """The resident process's life, for clients of ``identity`` (:func:`tui.cli.resident.place.key`)."""
    _close_inherited()
    if key() != identity:  # started by another interpreter or with other flags: it could not run their commands
        return
    folder, name = socket_path(os.environ, identity)
    os.chdir(folder)  # the socket is bound by its name alone: its whole path may be too long for a socket's
    lock = os.open(name + ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # another resident of this installation is starting or serving
        return
    code = Code()  # before the imports: a file changed while they run is seen at the first request
    _warm()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with contextlib.suppress(FileNotFoundError):  # a dead resident's: the lock says none is alive
        os.unlink(name)
    listener.bind(name)
    bound = os.stat(name).st_ino
    listener.listen(BACKLOG)
    spare = Spare((listener.fileno(), lock))
    try:
        _serve(listener, identity, code, _idle_seconds(), spare)
    finally:
        spare.close()
        listener.close()
        with contextlib.suppress(OSError):
            if os.stat(name).st_ino == bound:
                os.unlink(name)


def _close_inherited() -> None:
    """No descriptor of the starter's kept but the standard streams (/dev/null): a test runner's or CI's pipes,
    held open by a process that lives ten minutes, would hold up whoever waits for their end."""
    try:
        found = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: the usual limit of a process's descriptors
        found = list(range(3, 1024))
    for fd in found:
        if fd > 2:
            with contextlib.suppress(OSError):
                os.close(fd)


def _warm() -> None:
    """Everything a command loads before its own work, loaded now, then frozen: the cycle collector never
    walks it again, and the children share its pages with this process."""
    gc.disable()
    try:
        for name in WARM:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
        from tui.cli.run import rehearse

        rehearse()
    finally:
        gc.freeze()
        gc.enable()


def _idle_seconds() -> float:
    try:
        seconds = float(os.environ.get(IDLE, IDLE_DEFAULT))
    except ValueError:
        return IDLE_DEFAULT
    return seconds if 0 < seconds < 86400 * 7 else IDLE_DEFAULT


def _serve(listener: socket.socket, identity: bytes, code: Code, idle: float, spare: Spare) -> None:
    """Requests one after another until idle, stopped or stale: each command handed to the spare child at once.
    Idle: no request for ``idle`` seconds and no command of its children running. A dashboard open all day keeps
    this process for its next start."""
    state = {"started": time.time(), "served": 0, "idle": idle}
    running: set[int] = set()  # the children that took a command
    listener.settimeout(idle)
    while True:
        spare.ready()  # here, with no client's descriptor open in this process: the spare holds none of them
        try:
            conn, _address = listener.accept()
        except TimeoutError:
            running -= _reaped()
            if running:
                continue
            return
        with conn:
            try:
                going_on = _answer(conn, spare, identity, code, state, running)
            except OSError:  # a client gone before its answer (its pipe closed): the next one
                going_on = True
        running -= _reaped()
        if not going_on:
            return


def _answer(
    conn: socket.socket, spare: Spare, identity: bytes, code: Code, state: dict[str, float], running: set[int]
) -> bool:
    """One request answered; False: this process ends (stopped, or its code is no longer the installed one)."""
    if wire.peer_uid(conn) != os.getuid():  # another user's process: not a word read from it
        return True
    conn.settimeout(READ_TIMEOUT)
    with _received(conn) as (request, fds):
        kind = request[0] if isinstance(request, tuple) and request else None
        if kind == "status":
            wire.send(conn, ("status", os.getpid(), state["started"], state["served"], state["idle"]))
        elif kind == "stop":
            wire.send(conn, ("stopped", os.getpid()))
            return False
        elif kind == "run" and request[1] != identity:
            wire.send(conn, ("other",))
        elif kind == "run" and code.changed():
            wire.send(conn, ("stale",))  # the client runs it on the installed code, and starts a new one
            return False
        elif kind == "run" and len(fds) == STREAMS + 1 and (child := spare.hand(conn, fds, request)):
            state["served"] += 1
            running.add(child)
    return True


@contextlib.contextmanager
def _received(conn: socket.socket) -> Iterator[tuple[Any, list[int]]]:
    """The request and its descriptors, which this process closes once done (a child has its own copies)."""
    try:
        request, fds = wire.receive(conn, STREAMS + 1)
    except OSError:
        request, fds = None, []
    try:
        yield request, fds
    finally:
        for fd in fds:
            os.close(fd)


def _reaped() -> set[int]:
    """The children that have ended, waited for (each sent its exit code to its client itself)."""
    ended = set()
    with contextlib.suppress(ChildProcessError):
        while child := os.waitpid(-1, os.WNOHANG)[0]:
            ended.add(child)
    return ended


class Code:
    """The installed code as this process loaded it: every file of the two packages (for an editable
    install, edited in place) and the folders Python imports from (an install or upgrade of any package
    adds and removes folders there). A change: this process's code is no longer what a fresh one would run."""

    def __init__(self) -> None:
        self.paths = [*_files(), *(folder for folder in sys.path if os.path.isdir(folder))]
        self.seen = self._stats()

    def changed(self) -> bool:
        return self._stats() != self.seen

    def _stats(self) -> list[tuple[int, int, int] | None]:
        found: list[tuple[int, int, int] | None] = []
        for path in self.paths:
            try:
                stat = os.stat(path)
            except OSError:
                found.append(None)
            else:
                found.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
        return found


def _files() -> Iterator[str]:
    """The folders and files of the packages ``store`` and ``tui`` (not their compiled bytecode)."""
    import store
    import tui

    folders = [*store.__path__, *tui.__path__]
    while folders:
        folder = folders.pop()
        yield folder
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(entry.path)
                else:
                    yield entry.path
