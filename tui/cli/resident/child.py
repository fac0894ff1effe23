"""The child the resident process forks for a command: made the client's process, then ``main(argv)``.

A fresh process of the client's would have the client's standard streams (as its descriptors 0, 1 and 2
and as ``sys.stdin``/``stdout``/``stderr``, with the encoding and buffering Python chose for them), its
working folder, environment, umask, time zone, locale and argv. The child takes each of those before the
command line's ``main`` runs, and everything the command line computes from them it computes then (the
config, the language, the user, the terminal's width): nothing was computed in the resident process, which
only imported modules. It ends as a fresh process ends (``tui.cli.finished``): the threads that are no daemons
waited for, its exit functions run, its streams flushed.
"""

from __future__ import annotations

import contextlib
import io
import locale
import os
import signal
import socket
import sys
import threading
import time
import traceback
from typing import Any, NoReturn

from tui.cli import finished
from tui.cli.resident import wire
from tui.cli.resident.place import names_command

_NAMES = ("<stdin>", "<stdout>", "<stderr>")


def run(conn: socket.socket, fds: list[int], request: Any) -> NoReturn:
    """Run the client's command and send its exit code; never returns. Where this process cannot be made the
    client's (its working folder gone, or Textual loaded here with other settings than the client's for its
    dashboard), nothing has run: the client is told to run the command itself."""
    code: int | None = None
    try:
        conn.settimeout(None)
        wire.send(conn, ("pid", os.getpid()))  # before anything runs: from here on the client never runs it itself
        imported_with = _read_at_import(os.environ)
        _take(fds, request)
        if names_command(sys.argv[1:]):
            code = _main()
        elif _read_at_import(os.environ) == imported_with:  # the dashboard
            _ends_with_client(conn)
            code = _main()
    finally:
        try:
            if code is not None:
                wire.send(conn, ("exit", code))
            else:
                wire.send(conn, ("here",))
        finally:
            os._exit(code or 0)


def _main() -> int | None:
    """``main``'s exit code, as a fresh process's would be; None: the command is the client's to run."""
    from tui.cli.run import ClientOnly, main

    try:
        code = main(sys.argv[1:], resident=True, ends_process=True)
    except ClientOnly:
        return None
    except SystemExit as done:
        code = _exit_code(done)
    except KeyboardInterrupt:
        traceback.print_exc()
        code = 130
    except BaseException:  # as Python says what nothing caught: on stderr, exit code 1
        traceback.print_exc()
        code = 1
    return finished(code)


def _read_at_import(environ: os._Environ[str]) -> dict[str, str]:
    """The variables Textual reads once, when it is imported (textual/constants.py): the resident process's, with
    which it loaded Textual, must be the client's for its child to run the client's dashboard."""
    return {name: value for name, value in environ.items() if name.startswith("TEXTUAL") or name == "ESCDELAY"}


def _ends_with_client(conn: socket.socket) -> None:
    """The dashboard ends when its client does. A client killed (SIGKILL, which it cannot pass on) leaves its
    terminal to the shell, and a dashboard still running would read the keys typed there: once the client's end of
    the connection closes, the dashboard is interrupted as by Ctrl-C, and leaves the terminal as it found it."""

    def watch() -> None:
        with contextlib.suppress(OSError):
            conn.recv(1)  # the client sends nothing more: this returns when it is gone
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch, name="client", daemon=True).start()


def _exit_code(done: SystemExit) -> int:
    if done.code is None or isinstance(done.code, int):
        return done.code or 0
    print(done.code, file=sys.stderr)
    return 1


def _take(fds: list[int], request: Any) -> None:
    """The client's standard streams, working folder, umask, environment and argv made this process's."""
    _kind, _identity, argv, environ, umask, streams = request
    for number, fd in enumerate(fds[:3]):
        os.dup2(fd, number)  # the descriptors themselves, as a subprocess or C code writes to them
        os.close(fd)
    os.fchdir(fds[3])
    os.close(fds[3])
    os.umask(umask)
    os.environb.clear()
    os.environb.update(environ)
    time.tzset()  # TZ, as a fresh process reads it at its start
    with contextlib.suppress(locale.Error):  # as Python sets it at start: from LC_ALL, LC_CTYPE, LANG
        locale.setlocale(locale.LC_CTYPE, "")
    sys.argv = [os.fsdecode(word) for word in argv]
    made = [_stream(number, *kind) for number, kind in enumerate(streams)]
    sys.stdin, sys.stdout, sys.stderr = made
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = made  # type: ignore[misc]  # what a fresh process has there
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, which the client passes on
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_DFL)


def _stream(fd: int, encoding: str, errors: str, line_buffering: bool, write_through: bool, buffered: bool) -> Any:
    """A standard stream as Python makes one at start (``create_stdio``): the file, its buffer, its text."""
    writing = fd > 0
    raw = io.FileIO(fd, "wb" if writing else "rb", closefd=False)
    raw.name = _NAMES[fd]
    binary: Any = raw
    if buffered or not writing:
        binary = io.BufferedWriter(raw) if writing else io.BufferedReader(raw)
    return io.TextIOWrapper(
        binary, encoding, errors, newline="\n", line_buffering=line_buffering, write_through=write_through
    )
