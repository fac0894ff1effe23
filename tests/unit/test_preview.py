"""The index of the motion list: what a dashboard shows before it has read the store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest

from store import ItemStatus, Motion, Store, new_items, new_motion_id
from store.file.index import MotionSummary, brought_forward, index_path, newest_first_key, read_index
from store.file.journal import Base


def _motion(title: str, submitted: date | None = None) -> Motion:
    return Motion(
        id=new_motion_id(),
        title=title,
        submitted=submitted,
        submitted_by=("SPD-Fraktion",),
        items=new_items(["Bestand", "Förderung", "Zeitplan"]),
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data.json"


def _summaries(store: Store) -> dict[str, MotionSummary]:
    return {motion.id: MotionSummary.of(motion) for motion in store.motions()}


def test_a_new_store_has_an_index_that_previews_every_motion(path: Path) -> None:
    with Store(path, user="anna") as store:
        store.import_motions([_motion("Radwegekonzept", date(2026, 3, 1)), _motion("Schulbau")], managed=("title",))
        expected = _summaries(store)
    assert index_path(path).exists()
    with Store(path, user="bert") as fresh:
        preview = fresh.preview()
        assert preview is not None
        assert {summary.id: summary for summary in preview} == expected
        assert fresh.preview() == preview  # nothing read yet: asking again gives the same
        fresh.motions()
        assert fresh.preview() is None  # read now: the store itself is the list


def test_the_preview_follows_the_journal_after_the_index(path: Path) -> None:
    with Store(path, user="anna") as store:
        first = store.add_motion(_motion("Radwegekonzept", date(2026, 3, 1)))
        second = store.add_motion(_motion("Schulbau"))
        store.set_item(first.id, 1, status=ItemStatus.DONE)
        store.set_item(first.id, 2, due=date(2020, 1, 1))
        store.delete_motion(second.id)
        third = store.add_motion(_motion("Breitband"))
        expected = _summaries(store)
    with Store(path, user="bert") as fresh:
        preview = {summary.id: summary for summary in fresh.preview() or []}
    assert preview == expected
    assert set(preview) == {first.id, third.id}
    assert preview[first.id].progress() == (1, 3)
    assert preview[first.id].overdue(date(2026, 11, 25)) == 1


def _listed(store: Store) -> list[str]:
    return [summary.id for summary in sorted(_summaries(store).values(), key=newest_first_key, reverse=True)]


def test_the_head_of_the_index_is_the_start_of_the_list(path: Path) -> None:
    with Store(path, user="anna") as store:
        store.import_motions([_motion(f"Antrag {day}", date(2026, 3, day)) for day in range(1, 21)], managed=())
        listed = _listed(store)
    with Store(path, user="bert") as fresh:
        head = fresh.preview(head=5)
        assert [summary.id for summary in head or []] == listed[:5]
        assert [summary.id for summary in fresh.preview(head=50) or []] == listed  # all of them: the head is the list


def test_the_head_follows_the_journal_and_leaves_out_what_it_cannot_know(path: Path) -> None:
    with Store(path, user="anna") as store:
        store.import_motions([_motion(f"Antrag {day}", date(2026, 3, day)) for day in range(1, 21)], managed=())
        first, second, third = _listed(store)[:3]
        store.delete_motion(first)  # the head loses one
        store.update_motion(second, submitted=date(2020, 1, 1))  # and another moves to the end of the list
        store.set_item(third, 1, status=ItemStatus.DONE)  # and one stays where it was, changed
        newest = store.add_motion(_motion("Neu", date(2026, 4, 1))).id  # a new one comes first
        listed = _listed(store)
    with Store(path, user="bert") as fresh:
        head: list[MotionSummary] = fresh.preview(head=5) or []
    # Five rows, three of them touched by the journal: the two untouched ones say how far the list is known.
    assert [summary.id for summary in head] == listed[:2] and listed[0] == newest
    assert head[1].id == third and head[1].progress() == (1, 3)


def test_the_head_counts_every_motion_the_journal_added_or_deleted(path: Path) -> None:
    """The list's title says how many motions there are in the first frame: the index's count, brought
    forward by the journal, also where it touched motions beyond the head (looked up in the index's other rows)."""
    with Store(path, user="anna") as store:
        store.import_motions([_motion(f"Antrag {day}", date(2026, 3, day)) for day in range(1, 21)], managed=())
        listed = _listed(store)
    with Store(path, user="bert") as fresh:
        head = fresh.preview(head=5)
        assert head is not None and len(head) == 5 and head.total == 20  # nothing in the journal: the index's count
    with Store(path, user="anna") as store:
        store.delete_motion(listed[0])  # in the head
        store.delete_motion(listed[10])  # beyond it
        store.update_motion(listed[12], title="Geändert")  # beyond it, still there
        store.add_motion(_motion("Neu, ohne Datum"))
        added = store.add_motion(_motion("Neu und gleich gelöscht")).id
        store.delete_motion(added)
        store.set_item(listed[1], 1, status=ItemStatus.DONE)  # in the head, still there
        expected = len(store.motions())
    assert expected == 19
    with Store(path, user="bert") as fresh:
        head = fresh.preview(head=5)
        whole = fresh.preview()
        assert head is not None and head.total == expected
        assert whole is not None and whole.total == len(whole) == expected


def test_many_motions_beyond_the_head_are_counted_as_few(path: Path) -> None:
    with Store(path, user="anna") as store:
        store.import_motions([_motion(f"Antrag {n}", date(2026, 3, 1)) for n in range(60)], managed=())
        listed = _listed(store)
        for motion_id in listed[10:50]:  # more than are each searched for
            store.update_motion(motion_id, title="Geändert")
        store.add_motion(_motion("Neu"))
    with Store(path, user="bert") as fresh:
        head = fresh.preview(head=5)
        assert head is not None and head.total == 61


def test_a_head_whose_index_was_replaced_meanwhile_has_no_count(path: Path) -> None:
    with Store(path, user="anna") as store:
        store.import_motions([_motion(f"Antrag {day}", date(2026, 3, day)) for day in range(1, 21)], managed=())
        store.update_motion(_listed(store)[15], title="Geändert")  # beyond a head of five: looked up in the rest
    index = index_path(path)
    first = index.read_bytes().split(b"\n", 1)[0]
    header = orjson.loads(first.removesuffix(b',"motions":[') + b"}")["index"]
    base = Base(header["schema"], header["generation"], header["stamp"])
    with Store(path, user="bert") as fresh:
        found = read_index(path, base, head=5)
        assert found is not None
        index.write_bytes(index.read_bytes().replace(b'{"index":{', b'{"index": {', 1))  # as a writer would
        journal = fresh._data.peek()
        assert journal is not None
        records = ((record["generation"], record["tables"]["motions"]) for record in journal[1])
        some = next(iter(found.summaries.values()))
        head = brought_forward(found, records, lambda _doc, doc_id: some._replace(id=doc_id))
        assert len(head) == 5 and head.total is None  # the rows, without a count


def test_no_preview_without_a_usable_index(path: Path) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion("Radwegekonzept"))
    index = index_path(path)
    good = index.read_bytes()
    broken = {
        "no index": None,
        "not JSON": b"{kaputt",
        "another version of the file": good.replace(b'"generation":1', b'"generation":7', 1),
        "a title with an escape code": good.replace(b"Radwegekonzept", b"\\u001b[2JRadweg"),
        "a row too short": orjson.dumps({**orjson.loads(good), "motions": [[motion.id, "T"]]}),
        "a bad id": good.replace(motion.id.encode(), b"../../etc"),
        "a bad follow-up date": orjson.dumps(
            {**orjson.loads(good), "motions": [[*orjson.loads(good)["motions"][0][:8], ["morgen"]]]}
        ),
    }
    for what, content in broken.items():
        if content is None:
            index.unlink()
        else:
            index.write_bytes(content)
        with Store(path, user="bert") as fresh:
            assert fresh.preview(head=5) is None, what
            assert fresh.preview() is None, what
            assert [m.title for m in fresh.motions()] == ["Radwegekonzept"], what  # the store itself reads as ever


def test_an_index_ahead_of_the_journal_is_not_used(path: Path) -> None:
    with Store(path, user="anna") as store:
        motion = store.add_motion(_motion("Radwegekonzept"))
        store.set_item(motion.id, 1, note="eins")
        store.save_preview()  # at generation 2, which the journal reaches
    journal = path.with_name("data.json.journal")
    journal.write_bytes(journal.read_bytes().splitlines(keepends=True)[0])  # as if its records were lost
    with Store(path, user="bert") as fresh:
        assert fresh.preview() is None


def test_the_sync_servers_file_has_no_index(path: Path) -> None:
    with Store(path, user="server", revisions=True) as store:
        store.add_motion(_motion("Radwegekonzept"))
    assert not index_path(path).exists()
