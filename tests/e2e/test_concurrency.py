"""Several processes editing the same data file at the same time lose nothing.

Three worker processes (``tests/helpers/workers.py concurrent``) start together on one
file and each, ``COUNT`` times: adds a motion of its own, sets one of its own
two items of a shared motion, overwrites the shared motion's item 1 (which all
of them write) and sets an item of its own new motion. Every edit is a
read-modify-write of a whole motion document, so an edit based on a stale read
would put back another worker's older item or drop its history entries; and
two writes based on the same read would write the same generation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from store import Motion, Store, new_items, new_motion_id

from helpers import HELPERS, ROOT, workers

WORKERS = HELPERS / "workers.py"

NAMES = ("anna", "bert", "cleo")
COUNT = 30
SEED = 4711
TIMEOUT = 60.0  # seconds for the whole run, start-up included


def run_workers(path: Path, shared_id: str, tmp_path: Path) -> dict[str, dict]:
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs: dict[str, subprocess.Popen] = {}
    deadline = time.monotonic() + TIMEOUT
    try:
        for slot, name in enumerate(NAMES):
            procs[name] = subprocess.Popen(
                [
                    sys.executable,
                    str(WORKERS),
                    "concurrent",
                    str(path),
                    name,
                    str(slot),
                    shared_id,
                    str(COUNT),
                    str(SEED + slot),
                    str(tmp_path / f"ready.{name}"),
                    str(go),
                ],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        # Start them together: each signals that it has imported and read the file, then waits for "go".
        while not all((tmp_path / f"ready.{name}").exists() for name in NAMES):
            for name, proc in procs.items():
                if proc.poll() is not None:
                    pytest.fail(
                        f"worker {name} died before the start (exit {proc.returncode}):\n{proc.stderr.read().decode()}"
                    )
            if time.monotonic() > deadline:
                pytest.fail("the workers were not ready in time")
            time.sleep(0.005)
        go.touch()
        reports = {}
        for name, proc in procs.items():
            out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
            assert proc.returncode == 0, f"worker {name} failed (exit {proc.returncode}):\n{err.decode()}"
            kind, _, payload = out.decode().strip().partition(" ")
            assert kind == "done", f"worker {name} printed {out!r}"
            reports[name] = json.loads(payload)
        return reports
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)


@pytest.mark.slow
def test_concurrent_writers_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    shared = Motion(
        id=new_motion_id(),
        title="Gemeinsamer Antrag",
        items=new_items([f"Punkt {n}" for n in range(1, workers.shared_item_count(len(NAMES)) + 1)]),
    )
    with Store(path, user="setup") as store:
        store.add_motion(shared)
        assert store.generation == 1

    started = time.monotonic()
    reports = run_workers(path, shared.id, tmp_path)
    elapsed = time.monotonic() - started

    writes = [dict(write, by=name) for name, report in reports.items() for write in report["writes"]]
    per_worker = 4 * COUNT
    assert all(len(report["writes"]) == per_worker for report in reports.values()), (
        f"expected {per_worker} writes per worker: {[(n, len(r['writes'])) for n, r in reports.items()]}"
    )

    # The runs really overlapped, or the test proves nothing.
    latest_start = max(report["started"] for report in reports.values())
    earliest_end = min(report["ended"] for report in reports.values())
    assert latest_start < earliest_end, f"the workers ran one after the other: {reports.keys()}"

    # Each call wrote its own generation: no two writers read the same version and both wrote on it.
    generations = Counter(write["generation"] for write in writes)
    twice = sorted(g for g, count in generations.items() if count > 1)
    assert not twice, f"generations written by more than one call (a lost update): {twice[:10]}"
    assert sorted(generations) == list(range(2, 2 + len(writes))), "the writes' generations are not 2..N without gaps"
    for name, report in reports.items():
        own = [write["generation"] for write in report["writes"]]
        assert own == sorted(own), f"{name}: generations went backwards: {own}"

    with Store(path, user="checker") as store:  # loads: no StoreFileError
        motions = {motion.id: motion for motion in store.motions()}
        history = store.history()
        assert store.generation == 1 + len(writes), (
            f"header generation {store.generation}, expected {1 + len(writes)} (1 setup write + {len(writes)})"
        )

    # Every motion each worker added exists once, with the title it gave it.
    added = [write for write in writes if write["kind"] == "add"]
    assert len({write["id"] for write in added}) == len(added) == len(NAMES) * COUNT, "motion ids are not unique"
    missing = [write["id"] for write in added if write["id"] not in motions]
    assert not missing, f"{len(missing)} added motions are missing, e.g. {missing[:3]}"
    assert set(motions) == {shared.id} | {write["id"] for write in added}, "unexpected motions in the file"
    for write in added:
        assert motions[write["id"]].title == write["title"], f"motion {write['id']}: title changed"

    # The item each worker set on its own motion.
    for write in (w for w in writes if w["kind"] == "mine"):
        item = motions[write["id"]].items[write["number"] - 1]
        assert (item.status.value, item.note) == (write["status"], write["note"]), (
            f"{write['by']}'s motion {write['id']} item {write['number']}: {item.status.value}/{item.note!r}, "
            f"expected {write['status']}/{write['note']!r}"
        )

    # The shared motion holds each worker's last write to each of its own items.
    final = motions[shared.id]
    for slot, name in enumerate(NAMES):
        for number in workers.own_items(slot):
            last = [w for w in reports[name]["writes"] if w["kind"] == "own" and w["number"] == number][-1]
            item = final.items[number - 1]
            assert (item.status.value, item.note, item.updated_by) == (last["status"], last["note"], name), (
                f"shared item {number} ({name}'s): {item.status.value}/{item.note!r} by {item.updated_by}, "
                f"expected {name}'s last write {last['status']}/{last['note']!r} (generation {last['generation']})"
            )

    # History: one entry per write, per motion, with the seq of the generation that wrote it.
    by_motion: defaultdict[str, list] = defaultdict(list)
    for entry in history:
        by_motion[entry.motion_id].append(entry)
    expected_counts = Counter({shared.id: 1})
    for write in writes:
        expected_counts[shared.id if write["kind"] in ("own", "contested") else write["id"]] += 1
    wrong = {
        mid: (len(by_motion[mid]), count) for mid, count in expected_counts.items() if len(by_motion[mid]) != count
    }
    assert not wrong, f"history entries (found, expected) per motion differ: {list(wrong.items())[:5]}"
    assert sorted(entry.seq for entry in history) == list(range(1, 2 + len(writes))), "history seqs are not 1..N"
    for write in writes:
        target = shared.id if write["kind"] in ("own", "contested") else write["id"]
        entry = next((e for e in by_motion[target] if e.seq == write["generation"]), None)
        assert entry is not None and entry.by == write["by"], (
            f"{write['by']}'s {write['kind']} write (generation {write['generation']}) has no history entry of its own"
        )

    # The item all of them wrote: its history is one unbroken chain of every write, in generation order,
    # each starting from the value the previous one left, and ending at the note the file holds.
    contested = sorted((w for w in writes if w["kind"] == "contested"), key=lambda w: w["generation"])
    path_ = f"items.{workers.CONTESTED_ITEM}.note"
    chain = [
        (entry.seq, change.old, change.new)
        for entry in by_motion[shared.id]
        for change in entry.changes
        if change.path == path_
    ]
    assert [new for _, _, new in chain] == [w["note"] for w in contested], (
        "the contested item's history does not list every write in generation order"
    )
    previous = ""
    for seq, old, new in chain:
        assert old == previous, f"seq {seq}: changed the contested note from {old!r}, but it was {previous!r}"
        previous = new
    assert final.items[workers.CONTESTED_ITEM - 1].note == previous == contested[-1]["note"]

    switches = sum(
        1
        for a, b in zip(
            sorted(writes, key=lambda w: w["generation"]), sorted(writes, key=lambda w: w["generation"])[1:]
        )
        if a["by"] != b["by"]
    )
    print(
        f"\n{len(NAMES)} workers x {per_worker} writes in {elapsed:.2f} s; "
        f"the writer changed {switches} times in {len(writes)} writes"
    )
    # Typically 80-100 with the workers' short pauses; in long runs of one writer a stale read has few chances.
    assert switches >= 20, f"the workers hardly interleaved: the writer changed only {switches} times"


@pytest.mark.slow
def test_a_reader_never_sees_the_store_go_back_while_a_writer_appends_and_rewrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer sets a counter again and again with a journal so small that the file is written whole
    every few edits; a reader in another thread (its own handle, as another process would have)
    refreshes all the while. Whatever it reads between a rewrite of the file and the removal of the
    old journal, the counter and the generation it sees never go back, and it never fails to read."""
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 4096)
    path = tmp_path / "data.json"
    with Store(path, user="anna") as writer:
        motion = writer.add_motion(Motion(id=new_motion_id(), title="Zähler", items=new_items(["Stand"])))
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        with Store(path, user="bert") as reader:
            while not done.is_set():
                try:
                    reader.refresh()
                    seen.append((reader.generation, int(reader.get(motion.id).items[0].note or 0)))
                except BaseException as error:  # reported below, with what was read before it
                    errors.append(error)
                    return

    thread = threading.Thread(target=read)
    thread.start()
    try:
        with Store(path, user="anna") as writer:
            for count in range(1, 301):
                writer.set_item(motion.id, 1, note=str(count))
    finally:
        done.set()
        thread.join(timeout=30)
    assert not errors, errors
    assert len(seen) > 10
    assert seen == sorted(seen), "the reader saw the store go back"
    assert seen[-1][1] <= 300 and path.with_name("data.json.bak1").exists()  # the file was written whole, too
