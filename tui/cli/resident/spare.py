"""The next command's child, forked ahead of time: the fork is off the command's path.

The resident process keeps one forked child waiting on a socket pair of its own. A request that the resident
process takes (the peer's user, the identity, the installed code checked as before) is handed to that spare
with the client's connection and descriptors; the spare becomes the command's child, exactly as a child forked
for the request would (:func:`tui.cli.resident.child.run`), and the resident process forks the next spare
once the client's descriptors are closed in it (a spare must hold none of another client's pipes). A spare
whose resident process ends (stopped, idle, killed) sees its pair closed and ends without a word.
"""

from __future__ import annotations

import contextlib
import os
import socket
from typing import Any

from tui.cli.resident import wire
from tui.cli.resident.child import run

HANDED = 5  # the client's connection, its stdin, stdout, stderr and working folder


class Spare:
    """The one child waiting for the next command; ``resident``: the resident process's own descriptors (the
    listening socket, the lock), which a child closes: a long command must neither hold the lock nor answer."""

    def __init__(self, resident: tuple[int, ...]) -> None:
        self.resident = resident
        self.pid = 0
        self.end: socket.socket | None = None  # the resident process's end of the spare's pair

    def ready(self) -> None:
        """A spare forked if none waits (at the start, and after each hand-over)."""
        if self.end is not None:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            try:
                ours.close()
                _wait(theirs, self.resident)
            finally:
                os._exit(1)  # never back into the resident process's loop
        theirs.close()
        self.pid, self.end = pid, ours

    def hand(self, conn: socket.socket, fds: list[int], request: Any) -> int:
        """``request`` with the client's connection and ``fds`` given to the spare: the pid of the child that runs
        it now. A spare lost before it took it (killed): one more is forked and given it, nothing having run; if
        that fails too (0), the client hears nothing and runs the command itself."""
        for _attempt in range(2):
            self.ready()
            end, pid = self.end, self.pid
            assert end is not None
            self.end = None
            try:
                wire.send(end, request, (conn.fileno(), *fds))
                return pid
            except OSError:
                continue
            finally:
                end.close()
        return 0

    def close(self) -> None:
        """The resident process ends: its spare's pair closed, so the spare ends too, and is waited for."""
        if self.end is not None:
            self.end.close()
            self.end = None
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)


def _wait(end: socket.socket, resident: tuple[int, ...]) -> None:
    """The spare's life: the resident process's descriptors closed, a command line parsed for nothing, then the
    next request, run as its child. The parse writes (reference counts) to the pages of the parser, its
    patterns and the registry, which a forked child shares with the resident process until it writes to them:
    each write then copies a page. Those copies are made here, before the request (half of a ``set``'s page
    faults, 2 to 3 ms of its 7 ms in the child)."""
    from tui.cli.run import rehearse  # loaded by the resident process before it forked this one

    for fd in resident:
        os.close(fd)
    rehearse()
    request, fds = wire.receive(end, HANDED)
    end.close()
    if request is None or len(fds) != HANDED:  # the resident process ended, or a message cut short: nothing ran
        os._exit(0)
    run(socket.socket(fileno=fds[0]), fds[1:], request)
