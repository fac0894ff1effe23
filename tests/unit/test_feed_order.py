"""The file server's feed after writes of some of its documents: each moves to its new place, as a sort of
all of them would put it (the backend no longer sorts them all after every write)."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from pathlib import Path

from store import SETTINGS, Motion, new_items
from store.sync.access import Who
from store.sync.backend import BulkEntry, FileBackend


def entry(motion: Motion, base_rev: int) -> BulkEntry:
    return BulkEntry(motion.id, base_rev, {**motion.to_dict(), "deleted": False}, motion)


def test_the_feed_after_writes_of_some_documents_is_the_feed_sorted_anew(tmp_path: Path) -> None:
    rng = random.Random(7)
    backend = FileBackend(tmp_path / "server.json", backups=1, lock_timeout=SETTINGS["lock_timeout"].default)
    try:
        motions = {}
        revs: dict[str, int] = {}
        for _round in range(6):
            new = [Motion(id=str(uuid.uuid4()), title="Antrag", items=new_items(["Bericht"])) for _ in range(5)]
            edited = [
                replace(motions[key], title=f"Antrag {_round}")
                for key in rng.sample(sorted(motions), k=len(motions) // 3)
            ]
            entries = [entry(motion, revs.get(motion.id, 0)) for motion in [*new, *edited]]
            for result in backend.bulk(entries, Who("anna")):
                revs[result["id"]] = result["rev"]
            motions.update({motion.id: motion for motion in [*new, *edited]})
            feed, more = backend.changes((0, ""), 1000)
            assert not more and len(feed) == len(motions)
            positions = [(doc.seq, doc.id) for doc in feed]
            documents = backend._store.documents()
            assert positions == sorted((document["seq"], doc_id) for doc_id, document in documents.items())
            assert backend.end() == positions[-1]
    finally:
        backend.close()
