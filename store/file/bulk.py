"""For code that makes or reads hundreds of thousands of objects at once: the store's files, a sync.

Python's cycle collector runs whenever enough containers were made, and each full run walks every
object alive - at 10,000 motions, millions. Parsing the data file or a sync's pages makes containers
by the hundred thousand, none in a cycle: left on, the collector scanned the growing heap again and
again (it doubled the parse, and took a third of a full pull). Paused, it runs once afterwards;
reference counting frees everything meanwhile as ever.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson

# The pauses lasting now, in every thread, and whether the collector runs again when the last one ends. Counted
# process-wide because a pause that turned the collector on as it ended let it run through another thread's: a sync's
# pull beside the dashboard's start (its first frame's switch, its search made ready) then ran with it on, its full
# runs over the growing heap holding the interpreter 0.3 to 0.6 s at a time.
_pauses = 0
_resume = False
_counting = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector paused for the block (process-wide: in every thread).

    Pauses may nest and overlap (two requests to the sync server, a sync beside the dashboard's
    read): the collector runs again when the last of them ends, if it ran when the first began
    or was asked to meanwhile (:func:`collector_resumed`), so it never stays off, nor runs
    while any of them lasts."""
    global _pauses, _resume
    with _counting:
        if not _pauses:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _counting:
            _pauses -= 1
            if not _pauses and _resume:
                gc.enable()


def collector_resumed() -> None:
    """The cycle collector on again after code turned it off for a while of its own (a start): now, or, while a
    pause lasts in any thread, when the last one ends."""
    global _resume
    with _counting:
        if _pauses:
            _resume = True
        else:
            gc.enable()


# Objects made in a block from which they are frozen after it (at 1,500 motions the dashboard's read makes 9,000
# to 17,000): below, a run of the collector over them costs little, and a garbage cycle frozen among them would stay.
FROZEN_FROM = 5000


@contextmanager
def collector_paused_then_frozen() -> Iterator[None]:
    """:func:`collector_paused`, and then, if the block made many objects, every object alive frozen (``gc.freeze``):
    no run of the collector looks at them again. For what a process makes by the hundred thousand and keeps: the
    dashboard's models, their items. Each full run walks every object not frozen, and as made objects outlived
    their generation, full runs came again and again: the items of 50,000 motions took 0.9 to 1.15 s to make in
    the dashboard, and 0.54 to 0.65 s with the collector paused and them frozen. What else was made meanwhile is
    frozen too, any garbage cycle among it then kept for good: only after a block that made many."""
    collected_before_freezing()
    with collector_paused():
        try:
            yield
        finally:
            # Objects made since the collector last ran, in any thread: none runs while a pause lasts.
            if gc.get_count()[0] >= FROZEN_FROM:
                frozen_alive()


_froze = False  # whether a block of this process froze what was alive after it (frozen_alive)


def frozen_alive() -> None:
    """Every object alive frozen (``gc.freeze``), after a block that made many that the process keeps."""
    global _froze
    _froze = True
    gc.freeze()


def collected_before_freezing() -> None:
    """Free the garbage cycles among the objects not frozen yet, where a block froze before: the next freeze would
    keep any of them for good. A dashboard left open froze, with each read of another process's whole write, what a
    person had opened and closed since (the overview: 30,000 objects and 5 to 6 MB a time at 10,000 motions), and a
    day of colleagues' writes added up. Called before a block that may freeze, not after it: then the collector walks
    only what was made since the last freeze, not the block's objects it is to be spared. Not before the first: what a
    start leaves is garbage once, and its 38,000 objects took 22 to 36 ms of the dashboard's first read."""
    if _froze:
        gc.collect()


def loads(content: bytes) -> Any:
    """``orjson.loads`` with the cycle collector paused."""
    with collector_paused():
        return orjson.loads(content)


def dumps_kept(value: Any) -> bytes:
    """``orjson.dumps`` of a value kept among many until they are all written (a body's rows): copied to its
    size. orjson returns what it wrote in the buffer it wrote it into, which holds more of the heap than that
    (8 KB for a motion of 2.4 KB, 4 KB for a history entry of 200 bytes), so thousands of them kept at once
    took pages the system provided afresh for every body; the copy fills the room the buffer leaves."""
    return bytes(memoryview(orjson.dumps(value)))
