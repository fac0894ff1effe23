"""A randomized sync test (issue 18, "find the class, not the instance"): three clients make random edits
and sync with one real `sachstand serve` process on 127.0.0.1, which is SIGKILLed (also in the middle of
a sync), restarted, and restored from a backup of its data file; clients are restored from earlier copies
of their own files. Afterwards everyone syncs until nothing moves, conflicts are settled, and:

- all clients and the server hold the same motions (without the stamps each side sets);
- every acknowledged edit (a sync of its client returned without error after it, leaving nothing of its
  motion to send: not held back by a conflict) is in the final state,
  unless a later acknowledged edit of the same field replaced it, a conflict was shown on that field,
  its motion was deleted, or nobody kept it: a client restored from its own backup and the server
  restored from one can together lose what only those two had (the promise is about what some copy holds);
- no motion id and no item number twice; nothing raised but SachstandError while the server is down.

The seed comes from SACHSTAND_SYNC_SEED (or the fixed defaults below) and is in every failure message:
``SACHSTAND_SYNC_SEED=123 .venv/bin/python -m pytest tests/e2e/test_sync_random.py`` replays it (all but
the moment a SIGKILL lands in a sync, which is real time); SACHSTAND_SYNC_STEPS sets the number of steps.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from store import ItemStatus, Motion, Store, new_items
from store.errors import SachstandError
from store.sync.client import make_client, sync
from store.sync.tokens import add_token

from helpers import ROOT
from helpers.bounds import await_port, isolated
from helpers.sync import ENV_VARIABLES, Running, model

# Seeds 1, 3 and 9 each lost an acknowledged edit before the rejoin fix (store/sync/epoch.py, "since").
SEEDS = [int(os.environ["SACHSTAND_SYNC_SEED"])] if os.environ.get("SACHSTAND_SYNC_SEED") else [1, 3, 9]
STEPS = int(os.environ.get("SACHSTAND_SYNC_STEPS", "80"))
USERS = ("anna", "ben", "cara")
COMPANIONS = ("", ".journal")  # a data file and its journal: what a backup holds (never the server's .seen)
SERVE = "import sys; from tui.cli import main; sys.exit(main())"


class ServerProcess:
    """`sachstand serve` in a process of its own, always on the same port."""

    def __init__(self, folder: Path) -> None:
        self.data, self.tokens = folder / "server.json", folder / "tokens.json"
        self.tokens_of = {user: add_token(self.tokens, user) for user in USERS}
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        environment = {k: v for k, v in os.environ.items() if k not in ENV_VARIABLES}
        environment["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
        environment["SACHSTAND_LANG"] = "en"
        command = [sys.executable, "-c", SERVE, "--db", str(self.data), "serve", "--tokens", str(self.tokens)]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        await_port(self.port, self.process, 20)

    def kill(self, how: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(how)
            self.process.wait(timeout=10)


@dataclass
class Edit:
    """One edit a client made: ``path`` is "title", "items.N.FIELD", "items.N" (a new item: its title),
    "deleted" or "created"."""

    number: int
    client: int
    motion_id: str
    path: str
    value: Any
    acked: int | None = None  # the order of the sync that acknowledged it
    holders: set[str] = field(default_factory=set)  # who holds it: client names and "server"


@dataclass
class World:
    seed: int
    rng: random.Random
    server: ServerProcess
    clients: list[Path]
    edits: list[Edit] = field(default_factory=list)
    pending: list[list[Edit]] = field(default_factory=lambda: [[] for _ in USERS])
    conflicts: set[tuple[str, str]] = field(default_factory=set)  # (motion id, path) ever shown
    acks: int = 0
    log: list[str] = field(default_factory=list)
    server_backup: tuple[Path, set[int]] | None = None
    client_backups: dict[int, tuple[Path, list[Edit], set[int]]] = field(default_factory=dict)

    def fail(self, what: str) -> NoReturn:
        steps = "\n".join(self.log)
        pytest.fail(f"seed {self.seed}: {what}\nlast steps:\n{steps}", pytrace=False)


def _sync(world: World, index: int, *, kill_after: float | None = None) -> None:
    """Client ``index`` syncs; with ``kill_after`` the server is SIGKILLed that many seconds into it."""
    user, db = USERS[index], world.clients[index]
    killer = threading.Timer(kill_after, world.server.kill) if kill_after is not None else None
    token = world.server.tokens_of[user]
    try:
        with make_client(token, read_timeout=10) as client, Store(db, user=user) as store:
            if killer is not None:
                killer.start()
            try:
                report = sync(store, world.server.url, token, client=client, backoff=0, attempts=1, deadline=10)
            except SachstandError as error:  # the server is down or died under the sync: documented, retried later
                world.log.append(f"  sync of {user} failed: {type(error).__name__}")
                _note_conflicts(world, store.conflicts())
                return
            _note_conflicts(world, report.conflicts)
            _acknowledge(world, index, store)
    finally:
        if killer is not None:
            killer.join(timeout=10)
            world.server.start()
    open_ = [(c.motion_id[:8], c.path) for c in report.conflicts]
    rejoined = " (rejoined)" if report.rejoined else ""
    world.log.append(f"  {user} synced{rejoined}: pulled {report.pulled}, pushed {report.pushed}, {open_} open")


def _acknowledge(world: World, index: int, store: Store) -> None:
    """After a sync of client ``index`` that returned without error: its edits of motions it has nothing
    left to send of (not held back by a conflict) are acknowledged, and it holds all the server holds."""
    waiting = {doc_id for doc_id, _rev, _doc in store.unsynced()} | {c.motion_id for c in store.conflicts()}
    world.acks += 1
    for edit in world.pending[index]:
        if edit.motion_id not in waiting:
            edit.acked = world.acks
            edit.holders.add("server")
    world.pending[index] = [edit for edit in world.pending[index] if edit.acked is None]
    for edit in world.edits:  # it pulled everything the server has
        if "server" in edit.holders:
            edit.holders.add(USERS[index])


def _note_conflicts(world: World, conflicts: list[Any]) -> None:
    world.conflicts.update((conflict.motion_id, conflict.path) for conflict in conflicts)


def _edit(world: World, index: int, number: int) -> None:
    rng, user = world.rng, USERS[index]
    with Store(world.clients[index], user=user) as store:
        live = store.motions()
        kind = rng.choice(["status", "note", "department", "title", "motion", "item", "delete"])
        if kind == "motion" or not live:
            motion = store.add_motion(
                Motion(
                    id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    title=f"Antrag {number}",
                    items=new_items(["Erster", "Zweiter"]),
                )
            )
            made = [Edit(number, index, motion.id, "created", None)]
        else:
            motion = rng.choice(live)
            item = rng.choice(motion.items) if motion.items else None
            if kind == "delete":
                store.delete_motion(motion.id)
                made = [Edit(number, index, motion.id, "deleted", True)]
            elif kind == "item" or item is None:
                store.add_item(motion.id, f"Punkt {number}")
                made = [Edit(number, index, motion.id, f"items.{len(motion.items) + 1}", f"Punkt {number}")]
            elif kind == "title":
                store.update_motion(motion.id, title=f"Titel {number}")
                made = [Edit(number, index, motion.id, "title", f"Titel {number}")]
            else:
                value: Any = {
                    "status": rng.choice([s for s in ItemStatus if s is not item.status]),
                    "note": f"Notiz {number}",
                    "department": f"Amt {number}",
                }[kind]
                store.set_item(motion.id, item.number, **{kind: value})
                made = [Edit(number, index, motion.id, f"items.{item.number}.{kind}", getattr(value, "value", value))]
    for edit in made:
        edit.holders.add(user)
        world.edits.append(edit)
        world.pending[index].append(edit)
        world.log.append(f"{number}: {user} {edit.path} of {edit.motion_id[:8]} = {edit.value!r}")


def _copy_files(data: Path, to: Path) -> None:
    to.mkdir(parents=True, exist_ok=True)
    for suffix in COMPANIONS:
        target = to / f"{data.name}{suffix}"
        target.unlink(missing_ok=True)
        if Path(f"{data}{suffix}").exists():
            shutil.copy2(f"{data}{suffix}", target)


def _put_back(backup: Path, data: Path) -> None:
    for suffix in COMPANIONS:
        Path(f"{data}{suffix}").unlink(missing_ok=True)
        if (backup / f"{data.name}{suffix}").exists():
            shutil.copy2(backup / f"{data.name}{suffix}", f"{data}{suffix}")


def _held(world: World, holder: str) -> set[int]:
    return {number for number, edit in enumerate(world.edits) if holder in edit.holders}


def _restored(world: World, holder: str, kept: set[int]) -> None:
    """``holder`` went back to a copy that held the edits ``kept`` and no others."""
    for number, edit in enumerate(world.edits):
        if number not in kept:
            edit.holders.discard(holder)


def _step(world: World, number: int, tmp_path: Path) -> None:
    rng, server = world.rng, world.server
    index = rng.randrange(len(USERS))
    roll = rng.random()
    if roll < 0.45:
        _edit(world, index, number)
    elif roll < 0.75:
        world.log.append(f"{number}: {USERS[index]} syncs")
        _sync(world, index)
    elif roll < 0.81:
        world.log.append(f"{number}: {USERS[index]} syncs, the server is SIGKILLed during it and restarted")
        _sync(world, index, kill_after=rng.uniform(0.0, 0.15))
    elif roll < 0.85:
        world.log.append(f"{number}: the server is SIGKILLed and restarted")
        server.kill()
        server.start()
    elif roll < 0.88:
        world.log.append(f"{number}: a backup of the server's data file (stopped, copied, started)")
        server.kill(signal.SIGTERM)
        _copy_files(server.data, tmp_path / f"server-backup-{number}")
        world.server_backup = (tmp_path / f"server-backup-{number}", _held(world, "server"))
        server.start()
    elif roll < 0.92:
        if world.server_backup is None:
            return
        backup, kept = world.server_backup
        world.log.append(f"{number}: the server's data file is restored from {backup.name} (stopped, copied, started)")
        server.kill(signal.SIGTERM)
        _put_back(backup, server.data)
        _restored(world, "server", kept)
        server.start()
    elif roll < 0.96:
        world.log.append(f"{number}: a backup of {USERS[index]}'s data file")
        _copy_files(world.clients[index], tmp_path / f"{USERS[index]}-backup-{number}")
        world.client_backups[index] = (
            tmp_path / f"{USERS[index]}-backup-{number}",
            list(world.pending[index]),
            _held(world, USERS[index]),
        )
    else:
        if index not in world.client_backups:
            return
        backup, pending, kept = world.client_backups[index]
        world.log.append(f"{number}: {USERS[index]}'s data file is restored from {backup.name}")
        _put_back(backup, world.clients[index])
        _restored(world, USERS[index], kept)
        # What was pending then is pending again, unless acknowledged since (then it keeps that place).
        world.pending[index] = [edit for edit in pending if edit.acked is None]


def _settle(world: World) -> None:
    """Everyone syncs until nothing moves; conflicts are settled (the first client keeps its own, the
    others take the server's), and again, until no conflict is left (a settled one may meet another
    copy's edit of the same field and show there: that one is settled in the next turn)."""
    for _turn in range(4):
        for _round in range(6):
            moved = 0
            for index, user in enumerate(USERS):
                token = world.server.tokens_of[user]
                with Store(world.clients[index], user=user) as store:
                    report = sync(store, world.server.url, token, backoff=0, deadline=10)
                    _acknowledge(world, index, store)
                _note_conflicts(world, report.conflicts)
                world.log.append(
                    f"  settling: {user} synced: pulled {report.pulled}, pushed {report.pushed}, "
                    f"{[(c.motion_id[:8], c.path) for c in report.conflicts]} open"
                )
                moved += report.pulled + report.pushed
            if not moved:
                break
        else:
            world.fail("the clients still move documents after 6 rounds of syncing")
        if not _resolve_all(world):
            return
    world.fail("conflicts still come back after 4 turns of settling them")


def _resolve_all(world: World) -> bool:
    """Every client settles its conflicts: the first keeps its own values, the others take the server's.
    Whether there were any."""
    settled = False
    for index, user in enumerate(USERS):
        with Store(world.clients[index], user=user) as store:
            for conflict in store.conflicts():
                number = conflict.path.split(".")[1] if conflict.path.startswith("items.") else None
                prefix = f"items.{number}" if number else "motion"
                if (conflict.motion_id, conflict.path) in {(c.motion_id, c.path) for c in store.conflicts()}:
                    store.resolve(conflict.motion_id, prefix, "mine" if index == 0 else "theirs")
                    world.log.append(f"  settling: {user} resolves {conflict.motion_id[:8]} {prefix}")
                    settled = True
    return settled


def _check(world: World) -> None:
    world.server.kill(signal.SIGTERM)
    states = {user: model(db) for user, db in zip(USERS, world.clients, strict=True)}
    states["server"] = model(world.server.data)
    with_conflicts = {}
    for user, db in zip(USERS, world.clients, strict=True):
        with Store(db, user="x") as store:
            with_conflicts[user] = len(store.conflicts())
    if any(with_conflicts.values()):
        world.fail(f"conflicts remain after settling: {with_conflicts}")
    for who, state in states.items():
        if state != states["server"]:
            differ = sorted(k for k in {*state, *states["server"]} if state.get(k) != states["server"].get(k))
            world.fail(f"{who} differs from the server in motions {[k[:8] for k in differ]}")
    final = states["server"]
    for motion_id, motion in final.items():
        numbers = [item["number"] for item in motion["items"]]
        if numbers != list(range(1, len(numbers) + 1)):
            world.fail(f"motion {motion_id[:8]} has item numbers {numbers}")
    for who, db in zip(USERS, world.clients, strict=True):
        with Store(db, user="x") as store:
            ids = [motion.id for motion in store.motions()]
        if len(ids) != len(set(ids)):
            world.fail(f"{who} holds a motion id twice")
    _check_acknowledged(world, final)


def _check_acknowledged(world: World, final: dict[str, Any]) -> None:
    deleted = {edit.motion_id for edit in world.edits if edit.path == "deleted" and edit.acked is not None}
    latest: dict[tuple[str, str], Edit] = {}
    for edit in sorted((e for e in world.edits if e.acked is not None), key=lambda e: (e.acked, e.number)):
        latest[(edit.motion_id, edit.path)] = edit
    for (motion_id, path), edit in latest.items():
        shown = any(
            m == motion_id and (p == path or p.startswith(path + ".") or path.startswith(p + "."))
            for m, p in world.conflicts
        )
        if shown or not edit.holders:
            continue  # a person decided, or every copy that had it went back to one from before it
        if path == "deleted":
            if motion_id in final:
                world.fail(f"the acknowledged deletion of {motion_id[:8]} (step {edit.number}) was undone")
            continue
        if motion_id in deleted:
            continue
        if motion_id not in final:
            world.fail(f"motion {motion_id[:8]}, acknowledged at step {edit.number}, is missing")
        if path == "created":
            continue
        found = _value(final[motion_id], path)
        if found != edit.value:
            world.fail(
                f"the acknowledged edit of step {edit.number} ({USERS[edit.client]}: {path} of {motion_id[:8]} = "
                f"{edit.value!r}) is lost: the final value is {found!r}"
            )


def _value(motion: dict[str, Any], path: str) -> Any:
    parts = path.split(".")
    if parts[0] != "items":
        return motion.get(parts[0])
    items = {item["number"]: item for item in motion["items"]}
    item = items.get(int(parts[1]))
    if item is None:
        return None
    return item.get(parts[2]) if len(parts) > 2 else item.get("title")


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    with isolated(monkeypatch, tmp_path, 90, "the randomized sync test"):
        yield


@pytest.mark.usefixtures("clean_environment")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_edits_syncs_kills_and_restores_converge_and_lose_nothing_acknowledged(
    tmp_path: Path, seed: int
) -> None:
    print(f"seed {seed} (replay: SACHSTAND_SYNC_SEED={seed})")
    server = ServerProcess(tmp_path)
    world = World(seed, random.Random(seed), server, [tmp_path / f"{user}.json" for user in USERS])
    server.start()
    try:
        for index in range(len(USERS)):  # everyone starts agreed with the server on a few motions
            _edit(world, index, -1 - index)
        for index in [0, 1, 2, 0, 1]:
            _sync(world, index)
        for number in range(STEPS):
            try:
                _step(world, number, tmp_path)
            except SachstandError as error:
                world.fail(f"step {number} raised {type(error).__name__}: {error}")
        _settle(world)
        _check(world)
    finally:
        server.kill()


@pytest.mark.usefixtures("clean_environment")
def test_a_later_rejoin_keeps_what_another_client_wrote_to_the_restored_server(tmp_path: Path) -> None:
    """Found by the randomized test (seed 1), reduced by hand. Before, b, which had agreed rev 4 with the
    server before the restore, took the server's rev 2 (a's rejoin and new edit, written after the restore)
    for the restored copy and sent its own as the newer one: a's acknowledged department was undone
    everywhere without a word. Now the server's /info says where its epoch began (``since``), b sees that
    rev 2 was written after the restore, and the item becomes a conflict for b to decide."""
    tokens = tmp_path / "tokens.json"
    token = add_token(tokens, "anna")
    running = Running(tmp_path / "server.json", tokens)
    url = f"http://127.0.0.1:{running.port}/api/v1"
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    try:
        with Store(a, user="anna") as store:
            motion = store.add_motion(Motion(id=str(uuid.UUID(int=18)), title="Radweg", items=new_items(["Punkt"])))
        for db in (a, b):
            with Store(db, user="anna") as store:
                sync(store, url, token)
        running.stop()
        _copy_files(tmp_path / "server.json", tmp_path / "backup")  # rev 1
        running = Running(tmp_path / "server.json", tokens, port=running.port)
        for note in ("eins", "zwei", "drei"):  # rev 4, agreed by both
            with Store(a, user="anna") as store:
                store.set_item(motion.id, 1, note=note)
                sync(store, url, token)
        with Store(b, user="anna") as store:
            sync(store, url, token)
        running.stop()
        _put_back(tmp_path / "backup", tmp_path / "server.json")  # back to rev 1, .seen kept
        running = Running(tmp_path / "server.json", tokens, port=running.port)
        with Store(a, user="anna") as store:  # a rejoins with a new edit: the server acknowledges it (rev 2)
            store.set_item(motion.id, 1, department="Tiefbauamt")
            report = sync(store, url, token)
        assert report.rejoined is not None and report.pushed == 1 and not report.conflicts
        with Store(b, user="anna") as store:  # b agreed rev 4 > 2, but rev 2 was written after the restore
            report = sync(store, url, token)
        assert report.rejoined is not None
        (conflict,) = report.conflicts  # merged without a base: the whole item, for a person to decide
        assert (conflict.path, conflict.mine["department"], conflict.theirs["department"]) == (
            "items.1",
            "",
            "Tiefbauamt",
        )
        with Store(a, user="anna") as store:
            sync(store, url, token)
            assert store.get(motion.id).items[0].department == "Tiefbauamt"
            assert store.get(motion.id).items[0].note == "drei"  # what the server lost is back
    finally:
        running.stop()
