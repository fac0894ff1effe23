"""A pull's documents validated ahead of the transaction that writes them (store/sync/pulled.py): only those
it is to write, and one that does not validate is left for the transaction to refuse."""

from __future__ import annotations

from pathlib import Path

from store import Motion, new_items
from store.model import new_motion_id
from store.store import Store
from store.sync.pulled import Pulled, prepared, valid


def sent(title: str = "Antrag", **extra: object) -> dict[str, object]:
    motion = Motion(id=new_motion_id(), title=title, items=new_items(["Bericht"]))
    return {**motion.to_dict(), "deleted": False, **extra}


def test_what_the_pull_is_to_write_is_validated_ahead_and_nothing_else(tmp_path: Path) -> None:
    with Store(tmp_path / "a.json", user="anna") as store:
        agreed = sent()
        with store.transaction() as tx:
            theirs, motion = valid(agreed, str(agreed["id"]))
            tx.apply(motion.id, "sync", lambda _before: theirs, model=motion)
            tx.set_sync_meta(motion.id, synced={"rev": 3})
        new, gone, bad = sent(), sent(deleted=True), sent(title="\x07")
        results = [
            Pulled(str(new["id"]), 1, new),
            Pulled(str(agreed["id"]), 3, agreed),  # agreed already: not written
            Pulled(str(agreed["id"]), 4, agreed),  # a newer revision: merged
            Pulled(str(gone["id"]), 2, gone),  # never here and deleted there: not written
            Pulled(str(bad["id"]), 1, bad),  # refused by the transaction, as before
            Pulled(new_motion_id(), 5, {}, withdrawn=True),
        ]
        found = prepared(store, results)
        assert [pulled.checked is not None for pulled in found] == [True, False, True, False, False, False]
        assert found[0].checked == valid(new, str(new["id"]))
        assert [pulled._replace(checked=None) for pulled in found] == results
