"""The resident process from outside: started in the background, ``sachstand resident status|stop``, and
what the client says when the child running its command is lost."""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import datetime

from store import add_catalog, translate
from tui.cli.base import EXIT_FAILURE, EXIT_OK, PROG, Context, command
from tui.cli.resident import wire
from tui.cli.resident.place import IDLE, SWITCH, connect, enabled, key, socket_path

# Python's path as the client's before anything of Sachstand is imported (its first entry is the client's
# script's folder; the interpreter put the working folder there).
_BOOTSTRAP = (
    "import marshal, sys; sys.path[:] = marshal.loads(bytes.fromhex(sys.argv[1]))[1]; "
    "from tui.cli.resident.server import start; start(bytes.fromhex(sys.argv[1]))"
)


def start_in_background() -> None:
    """A resident process started for the next commands, detached from this one (it starts nothing if one
    is already serving or starting)."""
    with contextlib.suppress(OSError):  # none started: every command runs in its own process, as before
        os.posix_spawn(
            sys.executable,
            [sys.executable, "-c", _BOOTSTRAP, key().hex()],
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_DUP2, 1, 2),
            ],
            setsid=True,
        )


def _ask(message: tuple[str, ...]) -> tuple[object, ...] | None:
    """The resident process's answer to ``message``; None when none is serving this installation."""
    if not enabled(os.environ):
        return None
    import socket  # not loaded by the other commands, which the registry declares beside these

    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        connect(sock, socket_path(os.environ, key()))
        if wire.peer_uid(sock) == os.getuid():
            wire.send(sock, message)
            answer, _fds = wire.receive(sock)
            return answer if isinstance(answer, tuple) else None
    return None


def cmd_status(ctx: Context) -> int:
    answer = _ask(("status",))
    if answer is None:
        ctx.out.say("No resident process is running: the next command starts one (off with {switch}=0).", switch=SWITCH)
        return EXIT_OK
    _status, pid, started, served, idle = answer
    ctx.out.say(
        "The resident process {pid} is running since {moment}, has answered {count} requests, and ends after "
        "{idle} s without one and without a command of its running ({variable}).",
        pid=pid,
        moment=datetime.fromtimestamp(float(started)).strftime("%Y-%m-%d %H:%M:%S"),  # type: ignore[arg-type]
        count=served,
        idle=round(float(idle)),  # type: ignore[arg-type]
        variable=IDLE,
    )
    return EXIT_OK


def cmd_stop(ctx: Context) -> int:
    answer = _ask(("stop",))
    if answer is None:
        ctx.out.say("No resident process is running.")
    else:
        ctx.out.say("Stopped the resident process {pid}.", pid=answer[1])
    return EXIT_OK


def say_lost(child: int) -> int:
    """The client's word when the child running its command ended without an exit code."""
    from tui.cli.parsing import language_hint

    lang = language_hint(sys.argv[1:])
    text = translate(
        "the process {pid} that ran this command for the resident process ended before it finished; the command "
        "was not run again: check what it did (sachstand show, sachstand history). {switch}=0 runs each command "
        "in its own process.",
        lang,
        pid=child,
        switch=SWITCH,
    )
    print(f"{PROG}: {translate('error', lang)}: {text}", file=sys.stderr)
    return EXIT_FAILURE


COMMANDS = (
    command(
        "resident",
        "the resident process that runs commands without Python's start (status, stop)",
        None,
        needs_store=False,
        in_client=True,
        subcommands=(
            command(
                "status",
                "say whether a resident process runs, since when, and how many requests it answered",
                cmd_status,
                needs_store=False,
                in_client=True,
            ),
            command("stop", "stop the resident process", cmd_stop, needs_store=False, in_client=True),
        ),
    ),
)

add_catalog(
    "de",
    {
        "the resident process that runs commands without Python's start (status, stop)": "der residente Prozess, "
        "der Befehle ohne den Start von Python ausführt (status, stop)",
        "say whether a resident process runs, since when, and how many requests it answered": "sagen, ob ein residenter "
        "Prozess läuft, seit wann und wie viele Anfragen er beantwortet hat",
        "stop the resident process": "den residenten Prozess beenden",
        "No resident process is running: the next command starts one (off with {switch}=0).": "Kein residenter "
        "Prozess läuft: der nächste Befehl startet einen (abschalten mit {switch}=0).",
        "The resident process {pid} is running since {moment}, has answered {count} requests, and ends after "
        "{idle} s without one and without a command of its running ({variable}).": "Der residente Prozess {pid} "
        "läuft seit {moment}, hat {count} Anfragen beantwortet und endet nach {idle} s ohne Anfrage und ohne "
        "laufenden Befehl von ihm ({variable}).",
        "No resident process is running.": "Kein residenter Prozess läuft.",
        "Stopped the resident process {pid}.": "Residenten Prozess {pid} beendet.",
        "the process {pid} that ran this command for the resident process ended before it finished; the command "
        "was not run again: check what it did (sachstand show, sachstand history). {switch}=0 runs each command "
        "in its own process.": "der Prozess {pid}, der diesen Befehl für den residenten Prozess ausführte, endete "
        "vorzeitig; der Befehl wurde nicht noch einmal ausgeführt: prüfen Sie, was er getan hat (sachstand show, "
        "sachstand history). {switch}=0 führt jeden Befehl in einem eigenen Prozess aus.",
    },
)
