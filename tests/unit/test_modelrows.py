"""The models' rows for their cache (store/modelrows.py): the same motions back, their items made when first read."""

from __future__ import annotations

import copy
import dataclasses
import os
import platform
import threading
from datetime import UTC, date, datetime

import pytest

from store import ItemStatus, Motion, items_made, new_items, new_motion_id
from store.freed import give_back
from store.model import replace_motion
from store.modelrows import motion_row, motions_of_rows


def _motions() -> list[Motion]:
    made = []
    for number in range(5):
        items = new_items([f"Punkt {number}.1", f"Punkt {number}.2"])
        items = (dataclasses.replace(items[0], status=ItemStatus.DONE, due=date(2026, 3, number + 1)), *items[1:])
        made.append(
            Motion(
                id=new_motion_id(),
                title=f"Antrag {number}",
                submitted=date(2026, 2, number + 1),
                submitted_by=("SPD-Fraktion",),
                created=datetime(2026, 2, 1, 9, number, tzinfo=UTC),
                items=items,
            )
        )
    return made


def _read_back(motions: list[Motion]) -> list[Motion]:
    return motions_of_rows([motion_row(motion) for motion in motions])


def test_a_motion_read_back_is_the_motion_it_was_kept_as_before_and_after_its_items_are_made() -> None:
    motions = _motions()
    read = _read_back(motions)
    assert all(isinstance(motion, Motion) and type(motion) is not Motion for motion in read)  # items not made yet
    assert [hash(motion) for motion in _read_back(motions)] == list(map(hash, motions))
    assert [repr(motion) for motion in _read_back(motions)] == list(map(repr, motions))
    assert motions == _read_back(motions) and _read_back(motions) == motions  # equal from either side
    assert set(_read_back(motions)) == set(motions)
    assert read[0].items == motions[0].items and type(read[0]) is Motion  # made when first read: a Motion now
    assert [motion.title for motion in read] == [motion.title for motion in motions]
    assert read == motions and all(type(motion) is Motion for motion in read)


def test_a_motion_read_back_is_replaced_and_copied_as_any_motion_is() -> None:
    motions = _motions()
    first, second, third, fourth = _read_back(motions)[:4]
    assert replace_motion(first, title="Neu") == replace_motion(motions[0], title="Neu")
    replaced = dataclasses.replace(second, title="Neu")  # of the motion's own class, its items given
    assert replaced == dataclasses.replace(motions[1], title="Neu") and hash(replaced) == hash(replaced)
    assert copy.copy(third) == motions[2] and repr(copy.deepcopy(fourth)) == repr(motions[3])


def test_the_items_are_made_a_share_of_motions_a_step_and_once_when_threads_read_them_at_once() -> None:
    motions = _motions()
    read = _read_back(motions)
    steps = items_made(read, share=2)
    assert next(steps) == 2 and [type(motion) is Motion for motion in read] == [True, True, False, False, False]
    assert list(steps) == [4, 5] and all(type(motion) is Motion for motion in read)
    racing = _read_back(motions)
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.extend(motion.items for motion in racing)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 20 and all(items == motion.items for items, motion in zip(seen, motions * 4, strict=True))
    assert racing == motions


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="only glibc holds freed memory back (store/freed.py)")
def test_the_bytes_the_items_were_made_of_are_given_back_to_the_system() -> None:
    """Each motion's items wait as the bytes of their rows; once made, those bytes are freed, and the C library held
    them (46 MB of the dashboard's 288 MB at 50,000 motions). After items_made, a trim finds next to nothing left."""
    items = new_items([f"Punkt {number}: " + "Bericht der Verwaltung " * 3 for number in range(12)])
    model = _motions()[0]
    read = _read_back([replace_motion(model, id=new_motion_id(), items=items) for _ in range(20_000)])  # 28 MB of rows
    assert list(items_made(read))[-1] == 20_000
    held = _resident()
    give_back()
    assert held - _resident() < 4 * 2**20


def _resident() -> int:
    """This process's resident memory, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
