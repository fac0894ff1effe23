"""Sachstand's benchmark: each figure a median of several runs, beside its floor measured in the same run.

    python3 dev.py bench [--motions 10000] [--runs 5] [-o benchmarks/results.json]

Not part of the test suite (no figure is asserted anywhere); the suite runs it once at 100
motions to keep it working. docs/performance.md records the figures and the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import json
import os
import platform
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from typing import NamedTuple

import httpx
import orjson
from perceived import after_push_rows, generate, journal_full, perceived_rows, written_whole
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from store import ItemStatus, OverviewSource, Remote, Store, compute_overview, models_kept
from store.file import bulk
from store.file.names import StoreFiles
from store.modelcache import ModelCache
from store.store import CACHE_FROM
from store.sync.client import sync
from store.sync.tokens import add_token
from tui.app import SachstandApp
from tui.screens.overview import OverviewScreen

Row = tuple[str, float, str, float | None]  # what, seconds, floor, floor seconds


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def let_go() -> None:
    """Give back what the apps that ran before left behind; called before each app is made, outside what a row times.
    The dashboard freezes every object alive once it has read the store (store/file/bulk.py): right in its own process,
    which ends with it; here, where app after app runs in one process, each left its cycles (widgets and their parents,
    the app, its store and models) frozen, never collected: 4.3 GB by the end of the dashboard rows at 50,000 motions.
    Beside that much memory held, any process on this machine took fresh pages two to three times as slowly
    (docs/performance.md, wave 26): each row after measured the benchmark's leftovers too. The process is then as one
    whose dashboard has not read yet: its first read collects nothing first, as a user's does not."""
    gc.unfreeze()
    gc.collect()
    with contextlib.suppress(AttributeError, OSError):  # glibc's: the free pages of the heap back to the system
        ctypes.CDLL(None).malloc_trim(0)
    bulk._froze = False  # store/file/bulk.py collected_before_freezing


def open_store(path: Path, runs: int) -> list[Row]:
    """The store's read with no models kept, as at the first start on a data file: the command that generated it
    kept them (store/modelcache.py), and "open the store, models kept" (:func:`dashboard`) reads with them."""
    kept = ModelCache(StoreFiles.of(path)).path

    def opened() -> float:
        kept.unlink(missing_ok=True)
        return timed(lambda: Store(path, user="bench").motions())

    store_seconds = median_of(runs, opened)
    parse_seconds = median_of(runs, lambda: timed(lambda: orjson.loads(path.read_bytes())))
    return [("open the store (parse + validate)", store_seconds, "raw JSON parse", parse_seconds)]


def status_edit(path: Path, runs: int) -> list[Row]:
    """An edit as it usually goes (appended to the journal), and as it goes when the journal is full
    and the file is written whole instead (with the list's index), beside the floor of a whole write."""
    store = Store(path, user="bench")
    motions = store.motions()
    rng = random.Random(1)
    statuses = list(ItemStatus)

    def edit() -> float:
        motion = rng.choice(motions)
        return timed(lambda: store.set_item(motion.id, 1, status=rng.choice(statuses), note=f"{rng.random()}"))

    edit_seconds = median_of(runs, edit)
    with journal_full():
        whole_seconds = median_of(runs, edit)
    tables = orjson.loads(path.read_bytes())
    floor_file = path.with_name("floor.json")

    def floor() -> None:
        payload = orjson.dumps(tables)
        temp = path.with_name("floor.tmp")
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(descriptor, payload)
        os.fsync(descriptor)
        os.close(descriptor)
        os.replace(temp, floor_file)

    floor_seconds = median_of(runs, lambda: timed(floor))
    return [
        ("one status edit, durably written", edit_seconds, "serialise + write + fsync + replace", floor_seconds),
        (
            "the same when the journal is full (file written whole)",
            whole_seconds,
            "serialise + write + fsync + replace",
            floor_seconds,
        ),
    ]


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Sachstand")


async def dashboard(path: Path, runs: int) -> list[Row]:
    async def first_screen(
        make: Callable[[], App[None]], ready: Callable[[App[None]], bool], at_once: bool = True
    ) -> float:
        let_go()
        started = time.perf_counter()
        app = make()
        async with app.run_test(size=(120, 36)) as pilot:
            while not ready(app):
                if at_once:  # what is on screen: each pause waits until every widget has handled what it was sent
                    await pilot.pause(0.001)
                else:
                    await asyncio.sleep(0.01)
            return time.perf_counter() - started

    def sachstand() -> SachstandApp:
        return SachstandApp(Store(path, user="bench"), "de", poll_interval=3600)

    def listed(app: App[None]) -> bool:
        return isinstance(app, SachstandApp) and hasattr(app, "main") and app.main.motion_list.row_count > 0

    def ready(app: App[None]) -> bool:
        return listed(app) and not app.loading  # type: ignore[attr-defined]

    kept = ModelCache(StoreFiles.of(path)).path  # the models the last start kept (store/modelcache.py)
    shown = [await first_screen(sachstand, listed) for _ in range(runs)]
    # Whether the keys work, looked at every 10 ms without Pilot's pause: each pause sends a message to every
    # widget of the screen and waits for all to handle it, which held the interpreter from the thread that reads
    # the store for 0.4 to 0.5 s of its 2 s at 50,000 motions (by py-spy and the thread's CPU against its wall
    # time); a person's keystrokes, a few a second, take it for far less.
    read = []
    for _ in range(runs):  # as at the first start after the data file was written whole: nothing kept for it
        kept.unlink(missing_ok=True)
        read.append(await first_screen(sachstand, ready, at_once=False))
    bare = [await first_screen(BareApp, lambda app: bool(app.query(Static))) for _ in range(runs)]
    warm: list[Row] = []
    with Store(path, user="bench") as store:
        many = len(store.motions()) >= CACHE_FROM
    if many:
        kept.unlink(missing_ok=True)  # none kept, as at the first start on a data file: the session keeps them
        stall = await keeping_session(sachstand(), path)
        read_kept = [await first_screen(sachstand, ready, at_once=False) for _ in range(runs)]
        opened = median_of(runs, lambda: timed(lambda: Store(path, user="bench").motions()))
        rewritten = []
        for run in range(runs):  # the models kept for the version before: the first start after a pull, say
            if run:  # kept again for the version the last round's start read, which quit before it kept them
                await keeping_session(sachstand(), path)
            written_whole(path)
            rewritten.append(await first_screen(sachstand, ready, at_once=False))
        await keeping_session(sachstand(), path)  # for the file as it is now, as the rows after it expect
        warm = [
            (
                "dashboard: every key works, models kept",
                statistics.median(read_kept),
                "the same, none kept",
                statistics.median(read),
            ),
            ("the same, after a whole write", statistics.median(rewritten), "none kept", statistics.median(read)),
            ("open the store, models kept", opened, "", None),
            ("dashboard: longest stall, from start until its models are kept", stall, "", None),
        ]
    else:
        print(f"Fewer than {CACHE_FROM} motions: no models are kept between starts, no row measures it.")

    keystrokes, selections = await use_dashboard(sachstand(), runs)
    edits = await status_keys(sachstand(), runs)
    glanced = await switches_while_read(sachstand, runs)
    if not glanced:
        print("The store is read before the list shows (under 2 MB): no row for a motion switched to meanwhile.")
    return [
        (
            "dashboard: motion list on screen",
            statistics.median(shown),
            "a bare Textual app, one line",
            statistics.median(bare),
        ),
        (
            "dashboard: store read, every key works",
            statistics.median(read),
            "a bare Textual app, one line",
            statistics.median(bare),
        ),
        *warm,
        ("search as you type, per keystroke", statistics.median(keystrokes), "", None),
        ("search, the first keystroke (all motions searched)", keystrokes[0], "", None),
        ("switching the selected motion", statistics.median(selections), "", None),
        *(
            [("the same while the store is read: its items shown", statistics.median(glanced), "", None)]
            if glanced
            else []
        ),
        ("a status key in the dashboard: written and shown", statistics.median(edits), "", None),
    ]


class Stalls:
    """The longest the event loop did not turn (a key waits as long), looked at by a turn every 10 ms."""

    def __init__(self) -> None:
        self.longest, self._turned = 0.0, time.perf_counter()

    async def turn(self) -> float:
        """One turn of the loop; when it came back."""
        await asyncio.sleep(0.01)
        now = time.perf_counter()
        self.longest, self._turned = max(self.longest, now - self._turned - 0.01), now
        return now


async def keeping_session(app: SachstandApp, path: Path, seconds: float = 300) -> float:
    """A dashboard left open until it has kept its models for the next start on the data file at ``path`` as it is,
    as a person's session does; the longest its event loop did not turn meanwhile (a key waits as long)."""
    let_go()
    async with app.run_test(size=(120, 36)):
        deadline, stalls = time.monotonic() + seconds, Stalls()
        while not models_kept(path):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the dashboard kept no models in {seconds} s")
            await stalls.turn()
    return stalls.longest


async def use_dashboard(
    app: SachstandApp, runs: int, *, until_settled: bool = False
) -> tuple[list[float], list[float]]:
    """Search as you type, then move down the list: the seconds of each keystroke's and each move's handler.
    ``until_settled``: then left open until it has done what it does after its start, as a person's session is:
    every worker ended (the search prepared, the items made), the models kept where the store has enough."""
    let_go()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        while app.loading:  # the list shows from the index; search and selection need the store read
            await pilot.pause(0.01)
        main = app.main
        # The handlers' own work: Textual then paints only the rows that are visible.
        keystrokes = []
        for query in ("k", "ki", "kit", "kita", "kita-", "kita-p"):
            main.query_text = query
            keystrokes.append(timed(main.show_data))
        main.query_text = ""
        main.show_data()
        selections = []
        for row in range(1, 1 + max(runs, 5)):
            main.motion_list.move_cursor(row=row, animate=False)
            selections.append(timed(main.show_selected_motion))
        deadline = time.monotonic() + 300
        while until_settled and not _settled(app):
            if time.monotonic() > deadline:
                raise RuntimeError("the dashboard did not settle in 300 s")
            await pilot.pause(0.05)
    return keystrokes, selections


async def switches_while_read(make: Callable[[], SachstandApp], runs: int) -> list[float]:
    """While the store is read: from the key that moves down the list until the motion moved to shows its items (read
    alone, Store.glance), as a person's key competes with the read; none where the store is read before the list
    shows (a small store), or where the read ended first."""
    seconds = []
    for _ in range(runs):
        let_go()
        app = make()
        async with app.run_test(size=(120, 36)) as pilot:
            while not hasattr(app, "main") or not app.main.motion_list.row_count:
                await asyncio.sleep(0.005)
            if not app.loading:
                return []
            target, table = list(app.main.motion_list.keys)[1], app.main.item_table
            started = time.perf_counter()
            # Pilot's press returns once the app is idle, which a read in a thread is not: looked at every 2 ms.
            pressed = asyncio.create_task(pilot.press("down"))
            while app.loading and (table.current_item() or ("",))[0] != target:
                await asyncio.sleep(0.002)
            if app.loading:
                seconds.append(time.perf_counter() - started)
            await pressed
    return seconds


async def status_keys(app: SachstandApp, runs: int) -> list[float]:
    """The seconds of a status key's work in the open dashboard, as its handler does it on the app's thread: the
    edit durably written, and every view brought in line (the list's row, the items, the details)."""
    let_go()
    async with app.run_test(size=(120, 36)) as pilot:
        while not hasattr(app, "main") or app.loading:
            await pilot.pause(0.01)
        motion = app.main.selected_motion()
        if motion is None or not motion.items:
            raise RuntimeError("the dashboard selected no motion with items")
        return [timed(lambda: app.set_status([(motion.id, 1)], None)) for _ in range(max(runs, 5))]


_WRITTEN_WHOLE = (
    "import sys; from pathlib import Path; from perceived import written_whole; written_whole(Path(sys.argv[1]))"
)


async def taking_whole_write(path: Path, seconds: float = 120) -> float:
    """The longest the open dashboard's event loop did not turn (a key waits as long), from the moment another
    process writes the data file whole (a colleague's pull or import on the same host) until a second after the
    dashboard shows it."""
    let_go()
    app = SachstandApp(Store(path, user="bench"), "de", poll_interval=0.5)
    async with app.run_test(size=(120, 36)):
        while not hasattr(app, "main") or app.loading:
            await asyncio.sleep(0.01)
        shown, deadline = app.store.generation, time.monotonic() + seconds
        writer = subprocess.Popen([sys.executable, "-c", _WRITTEN_WHOLE, str(path)], cwd=Path(__file__).parent)
        stalls, seen = Stalls(), None
        while seen is None or time.perf_counter() < seen + 1:
            if time.monotonic() > deadline:
                writer.kill()
                raise RuntimeError(f"the dashboard did not show another process's whole write in {seconds} s")
            turned = await stalls.turn()
            if seen is None and app.store.generation != shown:
                seen = turned
        if writer.wait() != 0:
            raise RuntimeError("the other process's whole write failed")
    return stalls.longest


def _settled(app: SachstandApp) -> bool:
    """Whether every worker of the app has ended and its models are kept (where it keeps them)."""
    worth = len(app.store.motions()) >= CACHE_FROM
    return all(worker.is_finished for worker in app.workers) and (not worth or models_kept(app.store.path))


async def overview(path: Path, runs: int) -> list[Row]:
    """The overview (`d`) at this size: its figures computed (in a worker thread, from a snapshot taken on
    the app's thread), the time from the key to the figures on screen, and keys pressed meanwhile. The figures'
    median is of runs on one snapshot: the first makes the motions' items and parses the documents (1.7 and 0.35 s
    at 100,000 motions), the others find them made; with one run it is that first one."""
    with Store(path, user="bench") as store:
        store.motions()  # read first, as the dashboard has it when `d` is pressed: with one run, the read was timed
        snapshot = median_of(runs, lambda: timed(lambda: OverviewSource.of(store)))
        source = OverviewSource.of(store)
        computed = median_of(runs, lambda: timed(lambda: compute_overview(source, date.today())))
    shown, keys = [], []
    for _ in range(runs):
        let_go()
        app = SachstandApp(Store(path, user="bench"), "de", poll_interval=3600)
        async with app.run_test(size=(120, 36)) as pilot:
            while app.loading:
                await pilot.pause(0.01)
            started = time.perf_counter()
            await pilot.press("d")
            while not _overview_shown(app):  # looked at every 10 ms, not by Pilot's pause (see dashboard above):
                await asyncio.sleep(0.01)  # 1,000 pauses a second held the interpreter from the worker for 0.5 s
            shown.append(time.perf_counter() - started)
            await pilot.press("escape", "d")  # a new overview, computed again: move in it meanwhile
            keys.append(await timed_key(pilot, "down"))
            while not _overview_shown(app):
                keys.append(await timed_key(pilot, "down"))
    return [
        ("overview: snapshot of the store (app's thread)", snapshot, "", None),
        ("overview: figures computed (worker thread)", computed, "", None),
        ("overview: d to the figures on screen", statistics.median(shown), "", None),
        ("overview: slowest key pressed as it opens", max(keys, default=0.0), "", None),
    ]


def _overview_shown(app: SachstandApp) -> bool:
    return isinstance(app.screen, OverviewScreen) and app.screen.figures is not None


async def timed_key(pilot: Pilot[SachstandApp], key: str) -> float:
    started = time.perf_counter()
    await pilot.press(key)
    return time.perf_counter() - started


def dashboard_memory(path: Path) -> int:
    """Peak memory, in bytes, of a process that runs one dashboard: first screen, search, selection, and what it does
    after its start (every motion's items made, the models kept for the next start: until wave 16 the keep made a
    repr of every model, 1.2 GB at 50,000 motions).

    In a child process, as a person runs it: this one has by then held several stores, apps and the
    floors' copies of the data, which are no part of the dashboard's memory.
    """
    run = subprocess.run(
        [sys.executable, __file__, "--dashboard-memory", str(path)], check=True, capture_output=True, text=True
    )
    return int(run.stdout.split()[-1])


def first_sync_memory(folder: Path, runs: int, motions: int) -> tuple[int, int]:
    """Peak memory, in bytes, of a dashboard started on an empty store whose first sync (S) pulls every motion, as a
    clerk's first start with a sync server configured does: from the file server the last sync row pushed them to
    (its data file is still in ``folder``), in a child process as :func:`dashboard_memory` measures; and of the
    largest process it started meanwhile (its first sync runs in one of its own: tui/syncing.py)."""
    tokens = folder / "tokens.json"
    token = add_token(tokens, "first sync")  # a colleague of the clients the sync rows ran
    with sync_server(folder / f"server-{runs - 1}.json", tokens) as server:
        run = subprocess.run(
            [
                sys.executable,
                __file__,
                "--first-sync-memory",
                str(folder / "first-sync.json"),
                server.url,
                str(motions),
            ],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ | {"SACHSTAND_TOKEN": token},
        )
    own, apart = run.stdout.split()[-2:]
    return int(own), int(apart)


async def first_sync(app: SachstandApp, motions: int) -> None:
    """The dashboard's first sync, from S until it has pulled the ``motions`` and settled (its models kept, every
    worker ended)."""
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("S")
        deadline = time.monotonic() + 300
        while app.sync_running or len(app.store.motions()) != motions or not _settled(app):
            if time.monotonic() > deadline:
                raise RuntimeError("the dashboard's first sync did not end in 300 s")
            await pilot.pause(0.05)


def sync_rows_apart(path: Path, runs: int) -> list[Row]:
    """The sync rows, against the file server and PostgreSQL, in a process of their own started before this one has
    read a store or run an app. On this machine a full pull in its own process took a quarter longer beside an idle
    process holding 1 GB, and a third longer beside one holding 4 GB, as this one did by then (docs/performance.md,
    wave 26): a user's sync has no benchmark beside it. The push copies stay in the folder for after_push_rows."""
    run = subprocess.run(
        [sys.executable, __file__, "--sync-rows", str(path), "--runs", str(runs)],
        check=True,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(run.stderr)  # a row left out says why
    return [
        (what, seconds, floor, floor_seconds)
        for what, seconds, floor, floor_seconds in json.loads(run.stdout.splitlines()[-1])
    ]


def peak_memory() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def own_peak_memory() -> int:
    """This program's peak since it started: ru_maxrss would keep the parent's from before the exec."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) * 1024


class Served(NamedTuple):
    """A server the benchmark started: where it answers, and its process (whose CPU a row may count)."""

    url: str
    pid: int


def cpu_seconds(pid: int) -> float | None:
    """The CPU (user and system) process ``pid`` has used so far; None where /proc does not say (not Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server_process(command: list[str]) -> Iterator[Served]:
    """A server as a separate process on a free port of 127.0.0.1 (``{port}`` in ``command``).

    Killed at the end, also when the benchmark fails.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [part.format(port=port) for part in command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the server stopped: {process.stderr.read().decode()[-2000:] if process.stderr else ''}"
                )
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not accept connections within 30 s") from None
                time.sleep(0.05)
        yield Served(f"http://127.0.0.1:{port}", process.pid)
    finally:
        process.kill()
        process.wait()
        if process.stderr:
            process.stderr.close()


def sync_server(data: Path, tokens: Path) -> AbstractContextManager[Served]:
    command = [
        sys.executable,
        "-m",
        "tui",
        "--db",
        str(data),
        "serve",
        "--tokens",
        str(tokens),
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
    ]
    return server_process(command)


def open_client(path: Path) -> Store:
    store = Store(path, user="bench")
    store.motions()  # opened before the clock starts: opening has its own row
    return store


def sync_rows(path: Path, folder: Path, runs: int) -> list[Row]:
    """Full push, full pull and one edit's round trip, against the reference server in its own process."""
    tokens = folder / "tokens.json"
    token = add_token(tokens, "bench")
    synced = []
    for run in range(runs):
        with sync_server(folder / f"server-{run}.json", tokens) as server:
            synced.append(full_syncs(path, folder / f"file-{run}", server, token))
            if run == runs - 1:
                trips = round_trips(
                    server.url, token, folder / f"file-{run}-push.json", folder / f"file-{run}-pull.json", runs
                )
    transfer = raw_transfer(path, folder, runs)
    return [
        (
            "sync: full push",
            statistics.median(one.push for one in synced),
            "raw HTTP transfer of the documents",
            transfer,
        ),
        *push_cpu_rows("sync: full push", synced),
        (
            "sync: full pull",
            statistics.median(one.pull for one in synced),
            "raw HTTP transfer of the documents",
            transfer,
        ),
        ("sync: one-edit round trip", statistics.median(trips), "", None),
    ]


def postgres_sync_rows(path: Path, folder: Path, runs: int) -> list[Row]:
    """Full push and full pull against `sachstand serve --database` on a PostgreSQL of the benchmark's own
    (durable, as in production), a new body per run; left out, with the reason, where none can be started."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the tests' PostgreSQL helper
    from load import own_postgres  # imported here: it imports this module (its servers), and psycopg

    from store.sync.postgres import add_body, open_database
    from store.sync.postgres import add_token as add_database_token

    from helpers.postgres import PostgresUnavailable

    synced = []
    try:
        with own_postgres() as database_url:
            database = open_database(database_url, application="sachstand-bench")
            tokens = []
            for run in range(runs):
                add_body(database, f"bench{run}", f"Benchmark {run}")
                tokens.append(add_database_token(database, "bench", f"bench{run}"))
            database.close()
            serve = [sys.executable, "-m", "tui", "serve", "--database", database_url]
            with server_process([*serve, "--host", "127.0.0.1", "--port", "{port}"]) as server:
                synced = [
                    full_syncs(path, folder / f"postgres-{run}", server, token) for run, token in enumerate(tokens)
                ]
    except PostgresUnavailable as error:
        print(f"no PostgreSQL, its sync rows are left out: {error}", file=sys.stderr)
        return []
    return [
        ("sync: full push, PostgreSQL server", statistics.median(one.push for one in synced), "", None),
        *push_cpu_rows("sync: full push, PostgreSQL server", synced),
        ("sync: full pull, PostgreSQL server", statistics.median(one.pull for one in synced), "", None),
    ]


class Synced(NamedTuple):
    """A full push and a full pull: their seconds, and the CPU the push took in the client and in the server."""

    push: float
    pull: float
    client_cpu: float
    server_cpu: float | None  # None where /proc does not say


def full_syncs(path: Path, prefix: Path, server: Served, token: str) -> Synced:
    """A full push of a copy of ``path`` to an empty server, then a full pull of it into an empty store, in a
    process of its own (:func:`pulled_alone`). The copy takes the data file's companions too (the list's index,
    the offsets), as a user's store has them: a push that changes no motion brings the index forward instead of
    writing it anew."""
    client, remote = prefix.with_name(f"{prefix.name}-push.json"), f"{server.url}/api/v1"
    let_go()  # what the push before froze once it was done (store/sync/heap.py), as a user's command ends after it
    for companion in ("", ".index", ".offsets"):
        if Path(f"{path}{companion}").exists():
            shutil.copyfile(f"{path}{companion}", f"{client}{companion}")
    with open_client(client) as pusher:
        mine, theirs = time.process_time(), cpu_seconds(server.pid)  # this process's: every thread of it
        push = timed(lambda: sync(pusher, remote, token))
        mine, after = time.process_time() - mine, cpu_seconds(server.pid)
    let_go()  # ... and what the push froze, before the pull: a user's pull has no push's leftovers beside it
    pull = pulled_alone(prefix.with_name(f"{prefix.name}-pull.json"), remote, token)
    return Synced(push, pull, mine, None if theirs is None or after is None else after - theirs)


_PULL_ALONE = """
import sys, time
from store import Store
from store.sync.client import sync
with Store(sys.argv[1], user="bench") as store:
    started = time.perf_counter()
    sync(store, sys.argv[2], sys.argv[3])
    print(time.perf_counter() - started)
"""


def pulled_alone(path: Path, remote: str, token: str) -> float:
    """The seconds of a full pull into the empty store ``path`` in a process of its own, as a user's first
    ``sachstand sync`` makes it, timed from the call as the push is. In the process that had pushed, the pull
    found a heap grown already, and took other times than a user's: fewer pages from the system, more time in
    the larger heap (docs/performance.md, wave 12)."""
    done = subprocess.run(
        [sys.executable, "-c", _PULL_ALONE, str(path), remote, token], check=True, capture_output=True, text=True
    )
    return float(done.stdout.split()[-1])


def push_cpu_rows(name: str, synced: list[Synced]) -> list[Row]:
    """The CPU of the full pushes in the client's process and in the server's. Where they share a few cores,
    the push takes about as long as the larger of the two, or half their sum (docs/performance.md), and each
    varies less from run to run than the push's seconds do."""
    rows: list[Row] = [(f"{name}, CPU of the client", statistics.median(one.client_cpu for one in synced), "", None)]
    server = [one.server_cpu for one in synced if one.server_cpu is not None]
    if len(server) < len(synced):
        print(f"{name}: the server's CPU is left out, /proc does not say", file=sys.stderr)
    else:
        rows.append((f"{name}, CPU of the server", statistics.median(server), "", None))
    return rows


def round_trips(url: str, token: str, a_path: Path, b_path: Path, runs: int) -> list[float]:
    """A sets one item's status and syncs, B syncs and has it: the time from A's saved edit to B's having it."""
    remote = f"{url}/api/v1"
    rng = random.Random(2)
    with open_client(a_path) as a, open_client(b_path) as b:
        sync(a, remote, token)  # A has not pulled since its push: bring its cursor up first
        motions = a.motions()
        trips = []
        for _ in range(max(runs, 5)):
            motion = rng.choice(motions)
            status = rng.choice([status for status in ItemStatus if status != motion.items[0].status])
            a.set_item(motion.id, 1, status=status)
            started = time.perf_counter()
            sync(a, remote, token)
            sync(b, remote, token)
            trips.append(time.perf_counter() - started)
            if b.get(motion.id).items[0].status != status:
                raise RuntimeError(f"the edit of {motion.id} did not reach the second client")
            motions = a.motions()
    return trips


def raw_transfer(path: Path, folder: Path, runs: int) -> float:
    """The floor of a full sync: the documents' bytes (as the protocol sends them) over HTTP from a plain file server."""
    served = folder / "served"
    served.mkdir()
    with Store(path, user="bench") as store:
        docs = [{"id": doc_id, "base_rev": rev, "doc": doc} for doc_id, rev, doc in store.unsynced()]
    (served / "docs.json").write_bytes(orjson.dumps({"docs": docs}))
    command = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(served), "{port}"]
    with server_process(command) as server, httpx.Client() as client:
        return median_of(runs, lambda: timed(lambda: client.get(f"{server.url}/docs.json").raise_for_status().content))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).with_name("results.json"))
    parser.add_argument("--dashboard-memory", type=Path, help=argparse.SUPPRESS)  # the child of dashboard_memory
    parser.add_argument("--sync-rows", type=Path, help=argparse.SUPPRESS)  # the child of sync_rows_apart
    parser.add_argument("--first-sync-memory", nargs=3, help=argparse.SUPPRESS)  # the child of first_sync_memory
    args = parser.parse_args(argv)
    if args.sync_rows:
        folder = args.sync_rows.parent
        print(
            json.dumps(
                sync_rows(args.sync_rows, folder, args.runs) + postgres_sync_rows(args.sync_rows, folder, args.runs)
            )
        )
        return 0
    if args.first_sync_memory:
        path, url, motions = args.first_sync_memory
        remote = Remote(url, os.environ["SACHSTAND_TOKEN"])
        asyncio.run(first_sync(SachstandApp(Store(path, user="bench"), "de", remote=remote, live=False), int(motions)))
        print(own_peak_memory(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
        return 0
    if args.dashboard_memory:
        asyncio.run(
            use_dashboard(
                SachstandApp(Store(args.dashboard_memory, user="bench"), "de", poll_interval=3600),
                1,
                until_settled=True,
            )
        )
        print(own_peak_memory())
        return 0
    with tempfile.TemporaryDirectory(prefix="sachstand-bench-") as folder:
        os.environ["XDG_CACHE_HOME"] = str(Path(folder) / "cache")  # the models kept: not in the user's cache folder
        # No command started here (a sync server among them) starts a resident process that outlives the run; the
        # rows that measure one start their own (perceived.resident).
        os.environ["SACHSTAND_RESIDENT"] = "0"
        path = Path(folder) / "bench.json"
        generate(path, args.motions)
        size = path.stat().st_size
        synced = sync_rows_apart(path, args.runs)  # first: see there
        rows = perceived_rows(Path(folder), args.motions, args.runs)
        rows += open_store(path, args.runs) + status_edit(path, args.runs) + asyncio.run(dashboard(path, args.runs))
        rows += asyncio.run(overview(path, args.runs))
        taking = asyncio.run(taking_whole_write(path))
        rows.append(("dashboard: longest stall, taking another process's whole write", taking, "", None))
        kept = ModelCache(StoreFiles.of(path)).path  # the models the dashboard above kept (from CACHE_FROM motions)
        peak_kept = dashboard_memory(path) if kept.exists() else None
        kept.unlink(missing_ok=True)
        peak = dashboard_memory(path)  # settled: the models kept again, where it keeps them
        peak_rewritten = None
        if kept.exists():  # the start after a whole write: the models found again by their lines' bytes, kept again
            written_whole(path)
            peak_rewritten = dashboard_memory(path)
        peak_first_sync, peak_first_sync_apart = first_sync_memory(Path(folder), args.runs, args.motions)
        own_peak = peak_memory()  # the sync clients ran in a process of their own (sync_rows_apart)
        rows += synced
        rows += after_push_rows(path, Path(folder) / f"file-{args.runs - 1}-push.json", args.runs)
    print(
        f"{args.motions} motions, {size / 1e6:.1f} MB file, median of {args.runs} runs, {platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    )
    print(f"{'':42} {'seconds':>9}   floor")
    for what, seconds, floor, floor_seconds in rows:
        floor_text = f"{floor}: {floor_seconds:.4f} s ({seconds / floor_seconds:.2f}x)" if floor_seconds else ""
        print(f"{what:42} {seconds:9.4f}   {floor_text}")
    print(f"{'peak memory of the dashboard process':42} {peak / 2**20:7.0f} MB")
    if peak_kept is not None:
        print(f"{'the same, models kept':42} {peak_kept / 2**20:7.0f} MB")
    if peak_rewritten is not None:
        print(f"{'the same, after a whole write':42} {peak_rewritten / 2**20:7.0f} MB")
    print(f"{'the same, its first sync pulling every motion':42} {peak_first_sync / 2**20:7.0f} MB")
    print(f"{'  that sync, in a process of its own':42} {peak_first_sync_apart / 2**20:7.0f} MB")
    print(f"{'peak memory of this process (all of it)':42} {own_peak / 2**20:7.0f} MB")
    result = {
        "motions": args.motions,
        "file_bytes": size,
        "runs": args.runs,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "figures": [{"what": w, "seconds": s, "floor": f, "floor_seconds": fs} for w, s, f, fs in rows],
        "peak_memory_bytes": peak,
        "peak_memory_kept_bytes": peak_kept,
        "peak_memory_rewritten_bytes": peak_rewritten,
        "peak_memory_first_sync_bytes": peak_first_sync,
        "peak_memory_first_sync_apart_bytes": peak_first_sync_apart,
        "benchmark_peak_memory_bytes": own_peak,
    }
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
