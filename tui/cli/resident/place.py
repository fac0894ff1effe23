"""Where the resident process listens, and which resident may answer which client.

Loaded by every ``sachstand`` command before anything else: only builtins and ``os`` (no ``pathlib``,
``tempfile``, ``hashlib``, ``contextlib``, ``typing``, not even ``__future__``: each import costs every command).
"""

import marshal
import os
import sys

TYPE_CHECKING = False  # typing is not loaded on this path (3 to 4 ms)
if TYPE_CHECKING:
    import _socket

SWITCH = "SACHSTAND_RESIDENT"  # "0" (or off, no, false): every command runs in its own process, as before
IDLE = "SACHSTAND_RESIDENT_IDLE"  # seconds without a request after which the resident process ends
IDLE_DEFAULT = 600.0
OFF = frozenset({"0", "off", "no", "false"})

# The options before a command that take a value (tui/cli/parsing.py declares them by these names): the
# client must skip their values to see whether a command is named at all (none: the dashboard).
VALUED_OPTIONS = ("--db", "--lang")


def enabled(environ: "os._Environ[str] | dict[str, str]") -> bool:
    """Whether the resident process may be used: a system with Unix sockets and peer credentials, not
    switched off."""
    if environ.get(SWITCH, "").strip().lower() in OFF or sys.platform == "win32":
        return False
    import _socket  # a C module of a few hundred microseconds: only once the switch allows it

    return hasattr(_socket, "AF_UNIX") and hasattr(_socket, "SO_PEERCRED")


def names_command(argv: list[str]) -> bool:
    """Whether ``argv`` asks for more than the dashboard: a command, or what only the parser answers (``--help``,
    ``--version``, a usage error)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word.startswith("--") and _valued(word.split("=", 1)[0]):
            skip = "=" not in word
        else:
            return True
    return False


def _valued(option: str) -> bool:
    return len(option) > 2 and any(name.startswith(option) for name in VALUED_OPTIONS)  # argparse takes --d for --db


def key() -> bytes:
    """What a resident process must share with a client to run its command as the client's own process
    would: the interpreter, its flags, where it imports from, how it names files, and the groups whose files it
    may use (the user is checked on the socket)."""
    return marshal.dumps(
        (
            sys.executable,
            tuple(sys.path),
            tuple(sys.flags),
            sys.getfilesystemencoding(),
            sys.getfilesystemencodeerrors(),
            (os.getgid(), os.getegid(), tuple(os.getgroups())),
        )
    )


def _digest(data: bytes) -> str:
    """FNV-1a, 64 bits: a stable short name for ``data`` (``hash`` is salted per process; hashlib costs 2 ms)."""
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def folder(environ: "os._Environ[str] | dict[str, str]") -> str:
    """The user's own folder for the socket: in ``$XDG_RUNTIME_DIR`` (the login's, 0700), else in the temp
    folder; made 0700 and checked: a folder another user owns or may enter is refused (OSError)."""
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):
        path = os.path.join(runtime, "sachstand")
    else:
        temp = environ.get("TMPDIR", "")
        path = os.path.join(temp if os.path.isabs(temp) else "/tmp", f"sachstand-{os.getuid()}")
    try:  # noqa: SIM105  (contextlib is not loaded on this path)
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    found = os.lstat(path)
    # A link, another's folder, or one others may enter: someone may be waiting to take the commands' input.
    if not os.path.isdir(path) or os.path.islink(path) or found.st_uid != os.getuid() or found.st_mode & 0o077:
        raise PermissionError(f"{path}: not a folder of this user's own (mode 0700)")
    return path


def socket_path(environ: "os._Environ[str] | dict[str, str]", identity: bytes) -> tuple[str, str]:
    """The folder and name of the socket of the resident process for clients of ``identity`` (:func:`key`)."""
    return folder(environ), f"resident-{_digest(identity)}.sock"


def connect(sock: "_socket.socket", where: tuple[str, str]) -> None:
    """``sock`` connected to the socket ``where``, named from inside its folder: a socket's whole path may be no
    longer than 107 bytes, and a temp folder's can be longer (macOS's, a test's)."""
    here = os.open(".", getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.chdir(where[0])
        sock.connect(where[1])
    finally:
        os.fchdir(here)
        os.close(here)
