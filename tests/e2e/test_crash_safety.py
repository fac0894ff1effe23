"""Killing a writer at a random instant never loses an acknowledged write or breaks the file.

A worker process (``tests/helpers/workers.py crash``) loops forever adding motions and
setting items, announcing each write (``try``) before the call and
acknowledging it (``ack``) after the call returned. The parent kills it with
SIGKILL after a random delay, then opens the file with a fresh Store: the file
must load, hold every acknowledged write, and otherwise be exactly the state
before the write in flight or exactly the state after it. The same file is
used for every round, so it grows and the next worker starts on what the
killed one left behind (stale temp files, the lock file, backups). Every other
worker reaches the file through a symbolic link in another folder: the store is
the same one, and nothing is ever created beside the link.
"""

from __future__ import annotations

import copy
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from filelock import FileLock

from store import ItemStatus, Motion, Store, StoreFileError, new_items, new_motion_id

from helpers import HELPERS, ROOT

WORKERS = HELPERS / "workers.py"

ROUNDS = 60
SEED = 20241125
READY_TIMEOUT = 30.0  # seconds for a worker to import and read the file

# motion id -> {"title": ..., "items": [[title, status, note], ...], "history": entries}
Model = dict[str, dict]


@dataclass
class Round:
    number: int
    pid: int
    tries: dict[int, dict] = field(default_factory=dict)  # n -> op, in order
    acked: list[int] = field(default_factory=list)
    ready: bool = False

    @property
    def in_flight(self) -> dict | None:
        """The op announced but not acknowledged: the worker died inside that call."""
        pending = [op for n, op in self.tries.items() if n not in set(self.acked)]
        assert len(pending) <= 1, f"round {self.number}: more than one write without ack: {pending}"
        return pending[0] if pending else None


def parse_output(number: int, pid: int, output: bytes) -> Round:
    result = Round(number, pid)
    # Only whole lines count: the worker may have died in the middle of a print.
    *lines, _partial = output.split(b"\n")
    for line in lines:
        kind, _, rest = line.decode().partition(" ")
        if kind == "ready":
            result.ready = True
        elif kind == "try":
            op = json.loads(rest)
            assert not result.tries or op["n"] > max(result.tries), f"round {number}: ops out of order: {line!r}"
            assert all(n in result.acked for n in result.tries), f"round {number}: a try before the last ack: {line!r}"
            result.tries[op["n"]] = op
        elif kind == "ack":
            n = int(rest)
            assert n in result.tries and n not in result.acked, f"round {number}: ack without its try: {line!r}"
            result.acked.append(n)
        else:
            raise AssertionError(f"round {number}: unexpected worker output {line!r}")
    return result


def apply(model: Model, op: dict) -> None:
    if op["op"] == "add":
        assert op["id"] not in model, f"worker reused motion id {op['id']}"
        model[op["id"]] = {
            "title": op["title"],
            "items": [[title, ItemStatus.OPEN.value, ""] for title in op["items"]],
            "history": 1,
        }
    else:
        motion = model[op["id"]]
        motion["items"][op["number"] - 1][1:] = [op["status"], op["note"]]
        motion["history"] += 1


def read_back(store: Store) -> Model:
    history = Counter(entry.motion_id for entry in store.history())
    return {
        motion.id: {
            "title": motion.title,
            "items": [[item.title, item.status.value, item.note] for item in motion.items],
            "history": history[motion.id],
        }
        for motion in store.motions()
    }


def differences(expected: Model, actual: Model, limit: int = 6) -> str:
    found = []
    for motion_id in expected.keys() - actual.keys():
        found.append(f"motion {motion_id} ({expected[motion_id]['title'][:30]!r}) is missing")
    for motion_id in actual.keys() - expected.keys():
        found.append(f"motion {motion_id} ({actual[motion_id]['title'][:30]!r}) should not exist")
    for motion_id in expected.keys() & actual.keys():
        want, got = expected[motion_id], actual[motion_id]
        if want["title"] != got["title"]:
            found.append(f"motion {motion_id}: title {got['title']!r}, expected {want['title']!r}")
        if want["history"] != got["history"]:
            found.append(f"motion {motion_id}: {got['history']} history entries, expected {want['history']}")
        if len(want["items"]) != len(got["items"]):
            found.append(f"motion {motion_id}: {len(got['items'])} items, expected {len(want['items'])}")
            continue
        for number, (w, g) in enumerate(zip(want["items"], got["items"]), start=1):
            if w != g:
                found.append(f"motion {motion_id} item {number}: {g!r:.80}, expected {w!r:.80}")
    return "; ".join(found[:limit]) + (f" (and {len(found) - limit} more)" if len(found) > limit else "")


def check_acknowledged(actual: Model, run: Round) -> None:
    """Every acked write is in the file, unless a later write of the same worker overwrote that item."""
    later = run.in_flight
    for n in run.acked:
        op = run.tries[n]
        where = f"round {run.number}: acknowledged write {n} ({op['op']} of motion {op['id']})"
        assert op["id"] in actual, f"{where} is lost: the motion is not in the file"
        if op["op"] == "add":
            assert actual[op["id"]]["title"] == op["title"], f"{where} is lost: wrong title"
            continue
        if any(
            o["op"] == "set" and o["id"] == op["id"] and o["number"] == op["number"] and o["n"] > n
            for o in [*(run.tries[m] for m in run.acked), *([later] if later else [])]
        ):
            continue  # overwritten by a later write to the same item, checked by the exact-state comparison
        got = actual[op["id"]]["items"][op["number"] - 1][1:]
        assert got == [op["status"], op["note"]], f"{where} is lost: item {op['number']} holds {got!r:.120}"


def start_worker(path: Path, seed: int, out: Path, err: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        return subprocess.Popen(
            [sys.executable, str(WORKERS), "crash", str(path), str(seed)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
        )


def wait_until_ready(worker: subprocess.Popen, out: Path, err: Path, number: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while b"ready " not in out.read_bytes():
        if worker.poll() is not None:
            pytest.fail(f"round {number}: the worker died before it was ready:\n{err.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"round {number}: the worker was not ready after {READY_TIMEOUT} s:\n{err.read_text()}")
        time.sleep(0.002)


@pytest.mark.slow
def test_acknowledged_writes_survive_sigkill_at_any_moment(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    link = tmp_path / "linked" / "data.json"
    link.parent.mkdir()
    link.symlink_to(path)
    logs = tmp_path / "logs"
    logs.mkdir()
    rng = random.Random(SEED)
    model: Model = {}
    generation = 0  # committed writes so far: the file header must count exactly these
    stats: Counter[str] = Counter()
    started = time.monotonic()

    for number in range(ROUNDS):
        out, err = logs / f"{number}.out", logs / f"{number}.err"
        early = rng.random() < 0.15
        delay = rng.uniform(0, 0.12) if early else rng.choice((rng.uniform(0, 0.01), rng.uniform(0, 0.3)))
        worker = start_worker(link if number % 2 else path, SEED * 1000 + number, out, err)
        try:
            if not early:  # else: killed during start-up or the first write
                wait_until_ready(worker, out, err, number)
            time.sleep(delay)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
        assert worker.returncode == -signal.SIGKILL, (
            f"round {number}: the worker ended by itself (exit {worker.returncode}) before it was killed:\n"
            f"{err.read_text()}"
        )
        run = parse_output(number, worker.pid, out.read_bytes())
        stats["ready"] += run.ready
        if not early and delay >= 0.2:
            assert run.acked, (
                f"round {number}: the worker wrote nothing in the {delay:.3f} s after it was ready; "
                f"did the previous kill leave the file or its lock unusable?\n{err.read_text()}"
            )
        stats["acked writes"] += len(run.acked)

        # 1. The file loads.
        try:
            with Store(path, user="checker") as store:
                actual = read_back(store)
                found_generation = store.generation
                seqs = sorted(entry.seq for entry in store.history())
        except StoreFileError as error:
            pytest.fail(
                f"round {number} (killed {delay:.3f} s after {'start' if early else 'ready'}): "
                f"the data file no longer loads: {error}"
            )

        # 2. Every acknowledged write is there.
        for n in run.acked:
            apply(model, run.tries[n])
        check_acknowledged(actual, run)

        # 3. The file is exactly the acknowledged state, or that plus the write in flight, never a mix.
        in_flight = run.in_flight
        if in_flight is None:
            candidates = {"without a write in flight": (model, generation + len(run.acked))}
        else:
            stats["killed inside a write"] += 1
            with_it = copy.deepcopy(model)
            apply(with_it, in_flight)
            candidates = {
                "without the write in flight": (model, generation + len(run.acked)),
                "with the write in flight": (with_it, generation + len(run.acked) + 1),
            }
        matches = [name for name, (expected, _) in candidates.items() if expected == actual]
        assert matches, (
            f"round {number}: the file holds {len(actual)} motions at generation {found_generation}, which is "
            f"neither the state without the write in flight ({len(model)} motions) nor with it; "
        ) + " | ".join(f"{name}: {differences(expected, actual)}" for name, (expected, _) in candidates.items())
        model, generation = candidates[matches[0]]
        if in_flight is not None:
            stats[f"write in flight {'kept' if matches[0].startswith('with ') else 'dropped'}"] += 1
        assert found_generation == generation, (
            f"round {number}: header generation {found_generation}, but {generation} writes were committed"
        )
        assert seqs == list(range(1, generation + 1)), (
            f"round {number}: history seqs are not exactly 1..{generation}: "
            f"missing {sorted(set(range(1, generation + 1)) - set(seqs))[:10]}, "
            f"duplicated {[seq for seq, count in Counter(seqs).items() if count > 1][:10]}"
        )

        # 4. Nothing left behind blocks or confuses the next writer: the lock is free, and only the
        #    killed worker's own temp file can remain (it swept older ones with its first write).
        lock = FileLock(str(path) + ".lock")
        lock.acquire(timeout=2)
        lock.release()
        leftovers = sorted(p.name for p in tmp_path.glob(".data.json.*.tmp"))
        stats["temp files left"] += len(leftovers)
        if run.acked:
            assert all(name.startswith(f".data.json.{run.pid}.") for name in leftovers) and len(leftovers) <= 1, (
                f"round {number}: temp files of earlier writers were not swept: {leftovers} (worker pid {run.pid})"
            )

    # A last writer after all the kills: the file still takes writes and reads back.
    with Store(path, user="checker") as store:
        motion = store.add_motion(Motion(id=new_motion_id(), title="Nach dem Test", items=new_items(["a", "b"])))
        store.set_item(motion.id, 2, status=ItemStatus.DONE, note="geschafft")
        assert store.generation == generation + 2
    with Store(path, user="checker") as store:
        assert store.get(motion.id).items[1].note == "geschafft"
        assert len(store.motions()) == len(model) + 1
    assert list(tmp_path.glob(".data.json.*.tmp")) == [], "the last writer did not sweep the stale temp files"
    assert link.is_symlink() and os.listdir(link.parent) == ["data.json"], "a writer through the link split the store"

    elapsed = time.monotonic() - started
    print(
        f"\n{ROUNDS} rounds in {elapsed:.1f} s, {path.stat().st_size} bytes, {len(model)} motions, "
        f"generation {generation}: {dict(stats)}"
    )
    # The rounds must really have hit the store in the middle of its writes, or the test proves nothing.
    assert stats["acked writes"] >= ROUNDS, f"too few writes were acknowledged: {dict(stats)}"
    assert stats["killed inside a write"] >= ROUNDS // 3, f"too few kills landed inside a write: {dict(stats)}"
