"""The client's side: a command handed to the resident process, or the word that it must run here.

Everything here runs before the command line is loaded, on every command and the dashboard: only builtins,
``os`` and the socket's C module. A command is sent only where nothing has run yet if it is not taken; once the
resident process has forked the child for it, the client waits for that child's exit code and never runs the
command itself (an edit must not happen twice).
"""

import _signal  # type: ignore[import-not-found]  # signal's own module, loaded at start; signal loads enum
import os
import sys

from tui.cli.resident.place import connect, enabled, key, names_command, socket_path

TYPE_CHECKING = False  # typing is not loaded on this path (3 to 4 ms)
if TYPE_CHECKING:
    import _socket
    from typing import Any, TextIO

# What the client's answer means besides an exit code.
HERE = "here"  # not sent, or not taken: run the command in this process, and start a resident process after
HERE_ONLY = "here only"  # a command the resident process leaves to the client's own (the server, `demo`)

# The signals a user, the terminal or the system sends the command: passed on to the child that runs it. The
# terminal's new size (SIGWINCH) reaches only the terminal's foreground, this process, not the dashboard's child.
FORWARDED = (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP, _signal.SIGQUIT, _signal.SIGWINCH)
NOT_ENDING = (_signal.SIGINT, _signal.SIGWINCH)  # the child's exit code says what Ctrl-C did; a resize ends nothing


def served(argv: list[str]) -> int | str:
    """The exit code of ``argv``'s command as run by the resident process, else :data:`HERE` or
    :data:`HERE_ONLY` (the command has not run)."""
    if not enabled(os.environ) or not (names_command(argv) or _terminal_in_front()):
        return HERE_ONLY
    streams = [_stream_kind(stream) for stream in (sys.stdin, sys.stdout, sys.stderr)]
    identity = key()
    try:
        where = socket_path(os.environ, identity)
    except OSError:  # no folder of the user's own to put it in: nothing is shared
        return HERE_ONLY
    if None in streams:  # a standard stream closed: as it was, only this process has it
        return HERE
    import _socket

    from tui.cli.resident import wire

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM | _socket.SOCK_CLOEXEC)
    try:
        if sock.fileno() <= 2:  # the socket took a closed standard stream's number
            return HERE
        try:
            connect(sock, where)
            if wire.peer_uid(sock) != os.getuid():
                return HERE_ONLY
            _send(sock, identity, streams)
        except OSError:  # none listening (yet), or a dead one's socket: nothing was sent
            return HERE
        return _outcome(sock)
    finally:
        sock.close()


def _terminal_in_front() -> bool:
    """Whether this process is the foreground of the terminal that its standard streams are: only then is the
    dashboard handed over. One started in the background (``sachstand &``) stays here: the terminal stops it until
    ``fg``, as it stops any program that takes the terminal from the background. It could not stop the child,
    which is outside the terminal's session."""
    try:
        return os.isatty(1) and os.tcgetpgrp(0) == os.getpgrp()
    except OSError:  # standard input no terminal, or not this session's
        return False


def _stream_kind(stream: "TextIO | None") -> "tuple[object, ...] | None":
    """How Python made this standard stream (from the environment, the terminal): the child makes its own alike."""
    binary = getattr(stream, "buffer", None)
    if binary is None:  # closed, or replaced by what is no file (an IDE's console)
        return None
    buffered = hasattr(binary, "raw")  # PYTHONUNBUFFERED or -u: the text goes to the file itself
    text: Any = stream  # a TextIOWrapper, as Python makes the standard streams
    return (text.encoding, text.errors or "strict", text.line_buffering, text.write_through, buffered)


def _send(sock: "_socket.socket", identity: bytes, streams: list[tuple[object, ...] | None]) -> None:
    from tui.cli.resident import wire

    umask = os.umask(0o077)
    os.umask(umask)
    # The working folder as a descriptor: the child is there even if it has no name any more, or no
    # permission to look it up. O_PATH (Linux): a folder the user may enter but not list is taken too.
    folder = os.open(".", getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        argv = [os.fsencode(word) for word in sys.argv]
        request = ("run", identity, argv, dict(os.environb), umask, tuple(streams))
        wire.send(sock, request, (0, 1, 2, folder))
    finally:
        os.close(folder)


def _outcome(sock: "_socket.socket") -> int | str:
    """The child's exit code, with the signals sent to this process passed on to it meanwhile."""
    from tui.cli.resident import wire

    try:
        started, _fds = wire.receive(sock)
    except OSError:  # the connection reset before a child was made for it: nothing ran
        started = None
    if not started or started[0] != "pid":  # refused before a child was made: nothing ran
        # "other": a resident of another installation has this socket (names are short digests); none
        # answering (it was ending): a new one is started after the command
        return HERE_ONLY if started and started[0] == "other" else HERE
    child = started[1]
    received = []

    def forward(signum: int, _frame: object) -> None:
        received.append(signum)
        try:  # noqa: SIM105  (contextlib is not loaded on this path)
            os.kill(child, signum)
        except ProcessLookupError:  # it has just ended: its exit code follows
            pass

    kept = {}
    for signum in FORWARDED:
        if _signal.getsignal(signum) != _signal.SIG_IGN:  # a signal ignored here is ignored by a fresh process too
            kept[signum] = _signal.signal(signum, forward)
    try:
        ended, _fds = wire.receive(sock)
    except OSError:  # reset (the child was killed): said as lost, below
        ended = None
    finally:
        for signum, handler in kept.items():
            _signal.signal(signum, handler)
    if ended and ended[0] == "exit":
        return int(ended[1])
    if ended and ended[0] == "here":  # the child found it a command for this process: it ran nothing
        return HERE_ONLY
    ending = [signum for signum in received if signum not in NOT_ENDING]
    if ending:  # ended by the signal this process was sent (a closed terminal, kill): this one ends by it too
        _signal.signal(ending[0], _signal.SIG_DFL)
        os.kill(os.getpid(), ending[0])
    return _lost(child)


def _lost(child: int) -> int:
    """The child ended without an exit code (killed, crashed): said, and the command not run again."""
    from tui.cli.resident.control import say_lost  # the texts in the user's language: only on this path

    return say_lost(child)
