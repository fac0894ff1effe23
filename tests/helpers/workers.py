"""Worker processes for the crash and concurrency tests.

Run as a script, never collected by pytest (the name does not start with
``test_``); the test modules import it only for the shared constants and line
format. Every worker talks to the parent through stdout, one line per event,
flushed at once:

    python tests/helpers/workers.py crash DATA_FILE SEED
        ready {"pid": ..., "motions": ...}
        try {"n": 1, "op": "add", "id": ..., "title": ..., "items": [...]}
        ack 1
        try {"n": 2, "op": "set", "id": ..., "number": 2, "status": ..., "note": ...}
        ack 2
        ...                                   (forever, until the parent kills it)

    ``try`` is written before the store call, ``ack`` only after it returned,
    i.e. after the write is durable. A killed worker has at most one ``try``
    without its ``ack``: the write in flight, which the file may or may not hold.

    python tests/helpers/workers.py concurrent DATA_FILE NAME SLOT SHARED_ID COUNT SEED READY_FILE GO_FILE
        done {"name": ..., "writes": [...], ...}
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

from store import ItemStatus, Motion, Store, new_items, new_motion_id
from store.file import storage

STATUSES = [status.value for status in ItemStatus]

# Plain text the store accepts in notes: umlauts, quotes, backslashes, JSON
# punctuation, tabs and newlines, so the serialised size varies a lot.
_NOTE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz ÄÖÜäöüß0123456789 "\\{}[],:\t\n€–'
_LINE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz ÄÖÜäöüß0123456789 "\\{}[],:€–'


def emit(kind: str, payload: object) -> None:
    sys.stdout.write(f"{kind} {json.dumps(payload, separators=(',', ':'))}\n")
    sys.stdout.flush()


def filler(rng: random.Random, alphabet: str, longest: int) -> str:
    # Mostly short, sometimes long: the file both grows and shrinks between writes.
    length = rng.choice((0, rng.randrange(1, 40), rng.randrange(40, longest + 1)))
    return "".join(rng.choice(alphabet) for _ in range(length))


# --- crash ------------------------------------------------------------------------


def crash(path: str, seed: int) -> None:
    rng = random.Random(seed)
    # A small journal, so that the file is written whole every few dozen writes: the kills land in
    # appends and in whole writes alike, and in between replacing the file and removing its journal.
    storage.JOURNAL_MINIMUM = 8 * 1024
    store = Store(path, user=f"crash-{seed}", lock_timeout=5)
    items = {motion.id: len(motion.items) for motion in store.motions()}
    emit("ready", {"pid": os.getpid(), "motions": len(items)})
    n = 0
    while True:
        n += 1
        if not items or n % 3 == 1:
            titles = [f"Punkt {k} {filler(rng, _LINE_ALPHABET, 60)}".strip() for k in range(1, rng.randint(1, 5) + 1)]
            op = {
                "n": n,
                "op": "add",
                "id": new_motion_id(),
                "title": f"Antrag {seed}.{n} {filler(rng, _LINE_ALPHABET, 200)}".strip(),
                "items": titles,
            }
            emit("try", op)
            store.add_motion(Motion(id=op["id"], title=op["title"], items=new_items(titles)))
            items[op["id"]] = len(titles)
        else:
            motion_id = rng.choice(list(items))
            # The marker makes every set a real change, so every call writes once.
            op = {
                "n": n,
                "op": "set",
                "id": motion_id,
                "number": rng.randint(1, items[motion_id]),
                "status": rng.choice(STATUSES),
                "note": f"[{seed}.{n}] {filler(rng, _NOTE_ALPHABET, 400)}",
            }
            emit("try", op)
            store.set_item(motion_id, op["number"], status=ItemStatus(op["status"]), note=op["note"])
        sys.stdout.write(f"ack {n}\n")
        sys.stdout.flush()


# --- concurrent -------------------------------------------------------------------

CONTESTED_ITEM = 1  # every worker writes this item of the shared motion


def own_items(slot: int) -> tuple[int, int]:
    """The two items of the shared motion that only worker ``slot`` writes."""
    return 2 + 2 * slot, 3 + 2 * slot


def shared_item_count(workers: int) -> int:
    return 1 + 2 * workers


def concurrent(
    path: str, name: str, slot: int, shared_id: str, count: int, seed: int, ready_file: str, go_file: str
) -> None:
    rng = random.Random(seed)
    store = Store(path, user=name, lock_timeout=30)
    store.get(shared_id)  # the file is read once before the start, like an open dashboard
    Path(ready_file).touch()
    deadline = time.monotonic() + 30
    while not os.path.exists(go_file):
        if time.monotonic() > deadline:
            raise SystemExit(f"{name}: no start signal within 30 s")
        time.sleep(0.0005)

    writes: list[dict] = []  # one per call, in call order, with the generation it wrote

    def record(kind: str, **fields: object) -> None:
        writes.append({"kind": kind, "generation": store.generation, "at": time.monotonic(), **fields})
        # The file lock is not fair: a process writing in a tight loop takes it again before the
        # others poll (every 10 ms), so they would mostly take turns in long runs. A short pause,
        # as between a user's edits, lets them interleave.
        time.sleep(rng.uniform(0, 0.002))

    started = time.monotonic()
    for i in range(count):
        motion = Motion(
            id=new_motion_id(),
            title=f"{name} Antrag {i} {filler(rng, _LINE_ALPHABET, 80)}".strip(),
            items=new_items(["erster Punkt", "zweiter Punkt"]),
        )
        store.add_motion(motion)
        record("add", id=motion.id, title=motion.title)

        number = own_items(slot)[i % 2]
        status, note = rng.choice(STATUSES), f"{name} {i} {filler(rng, _NOTE_ALPHABET, 200)}"
        store.set_item(shared_id, number, status=ItemStatus(status), note=note)
        record("own", number=number, status=status, note=note)

        note = f"{name}:{i}"
        store.set_item(shared_id, CONTESTED_ITEM, note=note)
        record("contested", note=note)

        number, status = 1 + i % 2, rng.choice(STATUSES)
        note = f"{name} eigener {i} {filler(rng, _NOTE_ALPHABET, 100)}"
        store.set_item(motion.id, number, status=ItemStatus(status), note=note)
        record("mine", id=motion.id, number=number, status=status, note=note)
    emit("done", {"name": name, "started": started, "ended": time.monotonic(), "writes": writes})
    store.close()


def main(argv: list[str]) -> None:
    command, *rest = argv
    if command == "crash":
        path, seed = rest
        crash(path, int(seed))
    elif command == "concurrent":
        path, name, slot, shared_id, count, seed, ready_file, go_file = rest
        concurrent(path, name, int(slot), shared_id, int(count), int(seed), ready_file, go_file)
    else:
        raise SystemExit(f"unknown worker {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
