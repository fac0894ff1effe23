"""The benchmark's rows as a user perceives them: from the moment a command starts in a shell.

Each row starts a real process in a pseudo-terminal and reads its screen through a terminal
emulator (pyte), the way a user's terminal would: the dashboard's rows stop when the motion count is
on screen, and when the list's title no longer says that the store is being read (every key works then), a
command's row when the command has finished. ``sachstand`` is the command as ``pip install``
leaves it: this checkout's wheel installed into a fresh environment (not the editable install, whose finder
costs every start 8 ms that a user does not pay). Beside each stands its floor started the
same way: a bare Textual app showing a line like the dashboard's, the same command on a store of one
motion, Taskwarrior's ``task N modify`` on a data file of as many tasks (if ``task`` is installed).
A command's rows, and the dashboard's, are answered by the resident process (tui/cli/resident), started and warm
before the first run, as a user has it from their second command on; beside them the same command with it
switched off (``SACHSTAND_RESIDENT=0``: Python's start and every import paid, as at a first command).
The runs are interleaved (one of each, then the next round), so a busy moment of the machine falls on
all of them alike; each figure is their median. The bytecode is compiled first, as ``pip install``
leaves it, so no row pays for compiling.
"""

from __future__ import annotations

import compileall
import contextlib
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import sysconfig
import termios
import time
import uuid
import venv
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import orjson
import pyte

from store import ItemStatus, Store, models_kept, translate
from store.file import storage
from store.file.names import StoreFiles
from store.modelcache import ModelCache
from store.store import CACHE_FROM
from tui import texts_de  # noqa: F401  (the German texts the dashboard's screen shows, for translate below)

Row = tuple[str, float, str, float | None]
Check = Callable[[str], bool]

COLUMNS, LINES = 120, 40
TIMEOUT = 120.0  # seconds before a row gives up on its process
ROOT = Path(__file__).resolve().parent.parent
EDITABLE = Path(sys.executable).with_name("sachstand")  # this environment's command: the editable install
# What the copy of the checkout leaves out when its wheel is built: what a fresh clone does not have either.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")
_COUNT = re.compile(r"Anträge: ([\d.,]+)")
OWN_PROCESS = {"SACHSTAND_RESIDENT": "0"}  # a command in its own process only: no resident process asked or started
_LOADING = translate("loading …", "de")  # in the list's title while the store is read, and its keys wait

# A bare Textual app started the same way, showing a line like the dashboard's title: the floor of any
# Textual app's first frame, from the process's start, on this machine.
BARE_APP = """
import sys
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("Anträge: " + sys.argv[1] + " von " + sys.argv[1])

Bare().run()
"""


def compile_bytecode(*folders: Path) -> None:
    """What pip leaves after an install: every module of the environment and of ``folders`` compiled."""
    for folder in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *folders}:
        compileall.compile_dir(folder, quiet=1, workers=0)


@cache
def installed(folder: Path) -> Path:
    """``sachstand`` as ``pip install`` leaves it: the wheel of this checkout, installed into a fresh
    environment in ``folder`` whose dependencies are this environment's (a ``.pth`` file names its
    site-packages); once per folder. If the wheel cannot be built (no build backend at hand), this environment's
    own command, said so."""
    source, wheels, environment = folder / "source", folder / "wheels", folder / "installed"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    try:
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
        subprocess.run([*pip, "wheel", "--no-deps", "--wheel-dir", str(wheels), "."], cwd=source, check=True)
        venv.EnvBuilder(with_pip=False).create(environment)
        python = environment / "bin" / "python"
        site = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        ours = dict.fromkeys((sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]))
        Path(site, "dependencies.pth").write_text("".join(f"{path}\n" for path in ours), encoding="utf-8")
        (wheel,) = wheels.glob("sachstand-*.whl")
        subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], check=True)
    except (OSError, subprocess.CalledProcessError, ValueError) as error:
        print(f"The wheel could not be built or installed ({error}): the rows run the editable install's sachstand.")
        return EDITABLE
    finally:
        shutil.rmtree(source, ignore_errors=True)
    return environment / "bin" / "sachstand"


def on_screen(argv: list[str], done: Check | None, env: dict[str, str] | None = None) -> float:
    """Seconds from starting ``argv`` in a pseudo-terminal until ``done`` holds for the screen's text
    (then the process is stopped), or, with ``done`` None, until the process has exited. ``env``: variables
    set for it beside this process's.

    Started as a shell starts a command: spawned (vfork and exec), not forked, so that the size of this process is
    no part of the time (by the benchmark's last rows it holds 4 GB, whose fork took 0.14 s more), in a session of
    its own whose controlling terminal is the pseudo-terminal."""
    fd, child_end = pty.openpty()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    terminal = os.ttyname(child_end)
    environment = os.environ | {"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)} | (env or {})
    started = time.perf_counter()
    pid = os.posix_spawn(
        argv[0],
        argv,
        environment,
        setsid=True,  # then the terminal opened first becomes the session's controlling terminal
        file_actions=[(os.POSIX_SPAWN_OPEN, 0, terminal, os.O_RDWR, 0)]
        + [(os.POSIX_SPAWN_DUP2, 0, standard) for standard in (1, 2)],
    )
    os.close(child_end)  # once the child holds the terminal: its end then ends the reads below (EIO)
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    try:
        while time.perf_counter() - started < TIMEOUT:
            if not select.select([fd], [], [], 0.5)[0]:
                if done is not None and done("\n".join(screen.display)):  # done meanwhile, the screen unchanged
                    return time.perf_counter() - started
                continue
            try:
                data = os.read(fd, 1 << 16)
            except OSError:  # the child has exited and its terminal is closed
                data = b""
            if not data:
                if done is None:
                    return time.perf_counter() - started
                raise RuntimeError(f"{argv}: exited before the screen was ready:\n" + "\n".join(screen.display))
            stream.feed(data)
            if done is not None and done("\n".join(screen.display)):
                return time.perf_counter() - started
        raise RuntimeError(f"{argv}: nothing on screen within {TIMEOUT} s:\n" + "\n".join(screen.display))
    finally:
        _stop(pid)
        os.close(fd)


def _stop(pid: int) -> None:
    """``pid`` ended as ``kill`` ends it. A dashboard that the resident process runs in a child of its own ends
    first: the client passes the signal on, and waits for that child's end. Nothing of one run is left running
    into the next."""
    with contextlib.suppress(ProcessLookupError):  # exited by itself already
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + TIMEOUT
    while not os.waitpid(pid, os.WNOHANG)[0]:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return
        time.sleep(0.005)


def count_shown(motions: int) -> Check:
    """Whether the screen shows the list's title with the count of all ``motions``."""

    def check(text: str) -> bool:
        return any(int(re.sub(r"\D", "", found)) == motions for found in _COUNT.findall(text))

    return check


def keys_work(motions: int) -> Check:
    """Whether the list's title shows the count of all ``motions`` and no longer says that the store is being read:
    every key works (SachstandApp.loading)."""
    shown = count_shown(motions)

    def check(text: str) -> bool:
        return shown(text) and _LOADING not in text

    return check


def _keys(argv: list[str], path: Path, motions: int, env: dict[str, str], kept: str) -> Callable[[], float]:
    """From the start until every key works, with the models (store/modelcache.py) ``kept``: "none", as at the
    first start on the file; "same", by a start before on the file as it is (a dashboard is left open until it has
    kept them, not timed, where they are not); "before", the same, then the file written whole (:func:`written_whole`),
    as at the first start after a pull, an import or a journal grown full."""
    cache = ModelCache(StoreFiles.of(path)).path

    def measure() -> float:
        if kept == "none":
            cache.unlink(missing_ok=True)
        elif not models_kept(path):
            on_screen(argv, lambda _text: models_kept(path), env)
        if kept == "before":
            written_whole(path)
        return on_screen(argv, keys_work(motions), env)

    return measure


@contextlib.contextmanager
def journal_full() -> Iterator[None]:
    """Every write of this process in the block finds the journal full, and writes the data file whole."""
    limits = storage.JOURNAL_MINIMUM, storage.JOURNAL_SHARE
    storage.JOURNAL_MINIMUM, storage.JOURNAL_SHARE = 0, 2**62
    try:
        yield
    finally:
        storage.JOURNAL_MINIMUM, storage.JOURNAL_SHARE = limits


def written_whole(path: Path, every: int = 100) -> None:
    """The data file written whole, with the note of one motion in ``every`` changed: as a pull that brought a
    department's answers writes it once its journal has grown past its share of the file."""
    with Store(path, user="bench") as store, journal_full():
        motions = store.motions()
        note = f"Stand {uuid.uuid4().hex[:8]}"
        store.set_items([(motion.id, 1) for motion in motions[::every] if motion.items], {"note": note})


def interleaved(runs: int, measures: dict[str, Callable[[], float]]) -> dict[str, float]:
    """The median of each measure, run one of each per round."""
    seconds: dict[str, list[float]] = {name: [] for name in measures}
    for _round in range(runs):
        for name, measure in measures.items():
            seconds[name].append(measure())
    return {name: statistics.median(values) for name, values in seconds.items()}


def generate(path: Path, motions: int) -> None:
    """A store of ``motions`` generated motions at ``path``, made by the command in a process of its own (its memory
    is not the benchmark's), once it has settled."""
    subprocess.run(
        [str(EDITABLE), "--db", str(path), "generate", "--motions", str(motions)],
        check=True,
        capture_output=True,
        env=os.environ | OWN_PROCESS,
    )
    settled(path, motions)


def generated(path: Path, motions: int) -> str:
    """A store of ``motions`` generated motions at ``path``; the id of a motion in its middle."""
    generate(path, motions)
    with Store(path, user="bench") as store:
        found = store.motions()
        return found[len(found) // 2].id


def settled(path: Path, motions: int) -> None:
    """Once the process apart that a command writing ``motions`` new motions whole leaves to keep their models
    (store/modelcache.py kept_apart) has kept them: no row is timed while it runs on the other core, nor a start
    with none kept made to find them kept after all. At most a minute."""
    deadline = time.monotonic() + 60
    while motions >= CACHE_FROM and not models_kept(path) and time.monotonic() < deadline:
        time.sleep(0.1)


USED = 6  # the changes of each motion in a store in use (in_use), beside its import


def in_use(path: Path, copy: Path) -> None:
    """A copy of the store at ``path`` as one in use for a while: each motion changed :data:`USED` times, each
    change in its history (an item's status, then its Sachstand, the next item every other round). Each round is
    one write of every motion, as a pull that brings as many changes makes it: written whole, so the copy's sidecar
    lays it out as a store's does between its whole writes."""
    for companion in ("", ".index", ".offsets"):
        shutil.copyfile(f"{path}{companion}", f"{copy}{companion}")
    with Store(copy, user="bench") as store, journal_full():
        motions = [motion for motion in store.motions() if motion.items]
        for number in range(USED):
            values = {"note": f"Stand {number}: berichtet im Ausschuss"} if number % 2 else {"status": ItemStatus.DONE}
            store.set_items([(motion.id, number // 2 % len(motion.items) + 1) for motion in motions], values)


def _alternating(*choices: str) -> Callable[[], str]:
    """Each call the next of ``choices``: each run of an edit changes something, as a user's edit does."""
    state = {"next": 0}

    def following() -> str:
        state["next"] += 1
        return choices[state["next"] % len(choices)]

    return following


def taskwarrior(folder: Path, tasks: int) -> Callable[[], float] | None:
    """``task N modify`` on a Taskwarrior data file of ``tasks`` pending tasks; None without ``task``."""
    task = shutil.which("task")
    if task is None:
        return None
    data = folder / "taskwarrior"
    data.mkdir()
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n")
    entry = int(time.time())
    with open(data / "pending.data", "w", encoding="utf-8") as pending:
        for number in range(tasks):
            description = orjson.dumps(f"Antrag {number}: Bericht zur Entwicklung der Straßenbeleuchtung").decode()
            pending.write(
                f'[description:{description} entry:"{entry}" modified:"{entry}" project:"Amt{number % 40}" '
                f'status:"pending" uuid:"{uuid.uuid4()}"]\n'
            )
    environment = {**os.environ, "TASKRC": str(rc)}
    priority = _alternating("priority:H", "priority:L")
    number = str(tasks // 2)

    def modify() -> float:
        started = time.perf_counter()
        subprocess.run([task, number, "modify", priority()], env=environment, check=True, capture_output=True)
        return time.perf_counter() - started

    return modify


def _undo_case(path: Path) -> tuple[str, str]:
    """A motion of the store at ``path`` (a third into it) and a status its first item does not have: each
    run of the undo row sets it (not timed) and undoes that (timed), which brings the item back."""
    with Store(path, user="bench") as store:
        found = store.motions()
        motion = found[len(found) // 3]
    return motion.id, "deferred" if motion.items[0].status.value != "deferred" else "done"


def _undo(sachstand: str, path: Path, env: dict[str, str]) -> Callable[[], float]:
    motion_id, status = _undo_case(path)

    def measure() -> float:
        subprocess.run(
            [sachstand, "--db", str(path), "set", motion_id, "1", status],
            check=True,
            capture_output=True,
            env=os.environ | env,
        )
        return on_screen([sachstand, "--db", str(path), "undo"], None, env)

    return measure


@contextlib.contextmanager
def resident(sachstand: str, folder: Path) -> Iterator[dict[str, str]]:
    """The variables under which ``sachstand`` is answered by a resident process of its own (in a runtime folder
    in ``folder``), started and answering until the block ends; then stopped."""
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    env = {"XDG_RUNTIME_DIR": str(runtime), "SACHSTAND_RESIDENT": "1"}
    status = [sachstand, "--lang", "en", "resident", "status"]
    subprocess.run([sachstand, "--version"], check=True, capture_output=True, env=os.environ | env)  # starts one
    deadline = time.monotonic() + TIMEOUT
    while "is running since" not in subprocess.run(status, capture_output=True, text=True, env=os.environ | env).stdout:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{sachstand}: no resident process started within {TIMEOUT} s")
        time.sleep(0.1)
    try:
        yield env
    finally:
        subprocess.run([sachstand, "resident", "stop"], capture_output=True, env=os.environ | env)


def perceived_rows(folder: Path, motions: int, runs: int) -> list[Row]:
    """The rows from the process's start: the dashboard's first frame (answered by the resident process, and in its
    own process) and every key working (with the models kept by a start before, with none kept, and kept before
    the file was written whole), `set`, `show` and `undo` (answered by the resident process, and in their own
    process), Taskwarrior, and the floor of any Python command: the interpreter's start with its site packages
    and without."""
    sachstand = str(installed(folder))
    compile_bytecode(Path(sachstand).parent.parent)
    big, small = folder / "perceived.json", folder / "one.json"
    big_id, small_id = generated(big, motions), generated(small, 1)
    in_use(big, folder / "used.json")
    with resident(sachstand, folder) as warm:
        median = interleaved(runs, _measures(sachstand, big, big_id, small, small_id, motions, warm, folder))
    rows: list[Row] = [
        ("from start: dashboard, count on screen", median["dashboard"], "bare Textual app", median["bare"]),
        ("from start: the same in its own process", median["dashboard own"], "bare Textual app", median["bare"]),
        ("from start: dashboard, every key works", median["keys"], "bare Textual app", median["bare"]),
        ("from start: sachstand set MOTION 1 done", median["set"], "the same at 1 motion", median["set one"]),
        ("from start: sachstand show MOTION", median["show"], "the same at 1 motion", median["show one"]),
        ("from start: sachstand undo (after a set)", median["undo"], "the same at 1 motion", median["undo one"]),
        ("from start: set, resident process", median["set"], "in its own process", median["set own"]),
        ("from start: show, resident process", median["show"], "in its own process", median["show own"]),
        ("from start: sachstand set, against python", median["set"], "python -c pass", median["python"]),
        ("from start: python -c pass, against -S", median["python"], "python -S -c pass", median["python -S"]),
    ]
    rows.append(
        (f"from start: every key works, in use ({USED} changes)", median["keys used"], "generated", median["keys"])
    )
    if "keys kept" in median:
        rows.append(("from start: every key works, models kept", median["keys kept"], "none kept", median["keys"]))
        rows.append(("from start: the same after a whole write", median["keys rewritten"], "none kept", median["keys"]))
    else:
        print(f"Fewer than {CACHE_FROM} motions: no models are kept between starts, no row measures it.")
    if "task" in median:
        rows.append(("from start: sachstand set, against task", median["set"], "task N modify", median["task"]))
    else:
        print("Taskwarrior is not installed (no `task` on PATH): no row compares with `task N modify`.")
    return rows


def after_push_rows(before: Path, pushed: Path, runs: int) -> list[Row]:
    """`set` in its own process on the store ``pushed`` after its first full push, whose journal holds the answers
    (each motion's bookkeeping: store/file/journal.py) until the file is next written whole, against the same on
    ``before``, the store it was copied from: what every command on one motion reads the more after a push. Run
    as the other rows are, by the installed wheel with its bytecode."""
    sachstand = str(installed(before.parent))
    compile_bytecode(Path(sachstand).parent.parent)
    with Store(before, user="bench") as store:
        motion_id = store.motions()[0].id
    status = _alternating("done", "open")

    def set_on(path: Path) -> Callable[[], float]:
        return lambda: on_screen([sachstand, "--db", str(path), "set", motion_id, "1", status()], None, OWN_PROCESS)

    median = interleaved(runs, {"after": set_on(pushed), "before": set_on(before)})
    return [("from start: set after a full push", median["after"], "before the push", median["before"])]


def _measures(
    sachstand: str, big: Path, big_id: str, small: Path, small_id: str, motions: int, warm: dict[str, str], folder: Path
) -> dict[str, Callable[[], float]]:
    """Each row's measure: the commands answered by the resident process (``warm``) but where said otherwise."""
    python, command_python = sys.executable, str(Path(sachstand).with_name("python"))
    used = folder / "used.json"
    big_status, small_status, own_status = (
        _alternating("done", "open"),
        _alternating("done", "open"),
        _alternating("deferred", "open"),
    )
    measures: dict[str, Callable[[], float]] = {
        "dashboard": lambda: on_screen([sachstand, "--db", str(big)], count_shown(motions), warm),
        "dashboard own": lambda: on_screen([sachstand, "--db", str(big)], count_shown(motions), OWN_PROCESS),
        "keys": _keys([sachstand, "--db", str(big)], big, motions, warm, kept="none"),
        "keys used": _keys([sachstand, "--db", str(used)], used, motions, warm, kept="none"),
        "bare": lambda: on_screen([python, "-c", BARE_APP, f"{motions:,}".replace(",", ".")], count_shown(motions)),
        "set": lambda: on_screen([sachstand, "--db", str(big), "set", big_id, "1", big_status()], None, warm),
        "set one": lambda: on_screen([sachstand, "--db", str(small), "set", small_id, "1", small_status()], None, warm),
        "set own": lambda: on_screen(
            [sachstand, "--db", str(big), "set", big_id, "2", own_status()], None, OWN_PROCESS
        ),
        "show": lambda: on_screen([sachstand, "--db", str(big), "show", big_id], None, warm),
        "show one": lambda: on_screen([sachstand, "--db", str(small), "show", small_id], None, warm),
        "show own": lambda: on_screen([sachstand, "--db", str(big), "show", big_id], None, OWN_PROCESS),
        "undo": _undo(sachstand, big, warm),
        "undo one": _undo(sachstand, small, warm),
        "python": lambda: on_screen([command_python, "-c", "pass"], None),
        "python -S": lambda: on_screen([command_python, "-S", "-c", "pass"], None),
    }
    if motions >= CACHE_FROM:  # fewer are parsed as quickly as kept models are read, and none are kept
        measures["keys kept"] = _keys([sachstand, "--db", str(big)], big, motions, warm, kept="same")
        measures["keys rewritten"] = _keys([sachstand, "--db", str(big)], big, motions, warm, kept="before")
    modify = taskwarrior(folder, motions)
    if modify is not None:
        measures["task"] = modify
    return measures
