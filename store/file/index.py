"""The motion list before the store is read: a small index beside the data file.

Reading 10,000 motions takes most of a second (parsing 20 MB and building every model); the list
needs a few fields of each. So beside the data file lies ``<name>.index``: those fields of every
live motion as of one generation, with the version of the data file it belongs to. The dashboard
reads it and the journal's later transactions, shows the list at once, and reads the store in the
background meanwhile.

The index is a cache. It is written without fsync, and ignored when it belongs to another version of
the data file or is damaged in any way: then the dashboard reads the store first, as without one
(and that read says what, if anything, is wrong with the store itself).
"""

from __future__ import annotations

import mmap
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from store.file.bulk import collector_paused, loads
from store.file.journal import Base
from store.file.names import StoreFiles
from store.model import Motion
from store.values import LINE_LIMIT, PENDING, TITLE_LIMIT, all_uuids, plain_lines, quick_date, quick_moment

_ISO_DAYS = re.compile(r"(?:\d{4}-\d{2}-\d{2})*")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ROWS = b',"motions":[\n'  # ends the index's first line; then one row a line, in the list's order


class MotionSummary(NamedTuple):
    """What the motion list shows of a motion; answers ``progress`` and ``overdue`` as a Motion does.

    A tuple, not a frozen dataclass: 10,000 of them are made before the list can show, and a tuple
    is made in a fifth of the time."""

    id: str
    title: str
    reference: str
    submitted: date | None
    created: datetime | None
    submitted_by: tuple[str, ...]
    done: int
    total: int
    pending_dues: tuple[str, ...]  # the follow-up dates (ISO, which sort as the days do) of the items still pending

    @classmethod
    def of(cls, motion: Motion) -> MotionSummary:
        done, total = motion.progress()
        dues = tuple(item.due.isoformat() for item in motion.items if item.due is not None and item.status in PENDING)
        return cls(
            motion.id,
            motion.title,
            motion.reference,
            motion.submitted,
            motion.created,
            motion.submitted_by,
            done,
            total,
            dues,
        )

    def progress(self) -> tuple[int, int]:
        return self.done, self.total

    def overdue(self, today: date) -> int:
        day = today.isoformat()
        return sum(due < day for due in self.pending_dues)


def newest_first_key(motion: Motion | MotionSummary) -> tuple[date, datetime]:
    """The motion list's order, sorted by this with ``reverse=True``: newest submitted first, motions
    without a date by when they were added."""
    added = motion.created or _EPOCH
    return motion.submitted or added.date(), added


def index_path(data_file: Path) -> Path:
    return StoreFiles(data_file).index


class IndexBasis(NamedTuple):
    """A store's live models (by id) as of ``generation`` of the data file version ``base`` (None: no file)."""

    base: Base | None
    generation: int
    models: dict[str, Motion]


def write_index(
    data_file: Path, base: Base, generation: int, motions: Mapping[str, Motion], kept: IndexBasis | None = None
) -> None:
    """The index of ``motions`` (by id), the live ones at ``generation`` of the data file version ``base``:
    one JSON document, its rows in the list's order a line each, so that a start can read the first
    screenful alone (:func:`read_index` with ``head``).

    ``kept``: the models of an earlier version. If the index on disk was written for that version and
    every model is still the very object it was, the rows are as they were and only the first line is
    written anew: a push changes no motion, only the sync bookkeeping beside it, and summarising 50,000
    motions again after its whole write took 0.4 s."""
    if kept is not None and _same_models(kept.models, motions) and _new_head(data_file, kept, base, generation):
        return
    summaries = sorted(map(MotionSummary.of, motions.values()), key=newest_first_key, reverse=True)
    # A row is the summary's fields in order: orjson writes the tuples as lists and the day and the moment as
    # date.isoformat() and datetime.isoformat() do (what _summaries reads), twice as fast as a list made first.
    # Each row copied to its size behind its separator as it is made, as dumps_kept does (store/file/bulk.py):
    # a join gathers all rows before it copies them, and each row held 4 KB of orjson's buffer till then.
    rows = b"".join(map(b",\n".__add__, map(orjson.dumps, map(tuple, summaries))))
    _replace_index(data_file, b"".join((_head(base, generation, len(summaries)), memoryview(rows)[2:], b"\n]}\n")))


def _head(base: Base, generation: int, count: int) -> bytes:
    """The index's first line: its version, and how many rows follow."""
    return orjson.dumps({"index": {**base._asdict(), "at": generation, "count": count}})[:-1] + _ROWS


def _header_of(first: bytes) -> dict[str, Any] | None:
    """The header of the index's first line as :func:`_head` writes it; None if the line is not one."""
    if not first.endswith(_ROWS):
        return None
    header: dict[str, Any] = orjson.loads(first[: -len(_ROWS)] + b"}")["index"]
    return header


def _base_of(header: dict[str, Any]) -> Base:
    """The data file version an index's header names."""
    return Base(header["schema"], header["generation"], header["stamp"])


def _same_models(before: Mapping[str, Motion], now: Mapping[str, Motion]) -> bool:
    return before.keys() == now.keys() and all(before[motion_id] is motion for motion_id, motion in now.items())


def _new_head(data_file: Path, kept: IndexBasis, base: Base, generation: int) -> bool:
    """The index on disk, if it is of ``kept``'s version and as many motions, with the first line of
    version ``base`` at ``generation``; whether it was. Its rows are kept as they are: read_index checks them."""
    try:
        with open(index_path(data_file), "rb") as handle:
            first, rows = handle.readline(), handle.read()
        header = _header_of(first)
        if header is None:
            return False
        found = _base_of(header), header["at"], header["count"]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return False
    if found != (kept.base, kept.generation, len(kept.models)):
        return False
    _replace_index(data_file, _head(base, generation, len(kept.models)) + rows)
    return True


def _replace_index(data_file: Path, payload: bytes) -> None:
    files = StoreFiles(data_file)
    path = files.index
    # Named as the data file's own temp files are: a writer that crashed leaves one the next sweeps away.
    temp = files.temp(".index")
    try:
        temp.write_bytes(payload)
        os.replace(temp, path)  # a reader finds the old index or the new one, never half of one
    except OSError:
        temp.unlink(missing_ok=True)  # a cache that cannot be written costs the next start its speed, nothing else


class Indexed(NamedTuple):
    """What :func:`read_index` found: the index's generation, the rows it read (by id, in the list's
    order), how many motions it holds, and which of some ids its other rows have (read only if asked)."""

    generation: int
    summaries: dict[str, MotionSummary]
    motions: int
    among_others: Callable[[list[str]], set[str]]


class Preview(list[MotionSummary]):
    """The list's rows before the store is read (``Store.preview``), and how many motions the store holds
    (None if that cannot be told): the list's title says it in the first frame, though only the first
    rows are there yet."""

    def __init__(self, rows: Iterable[MotionSummary], total: int | None) -> None:
        super().__init__(rows)
        self.total = total


def read_index(data_file: Path, base: Base, head: int | None = None) -> Indexed | None:
    """What the index of the data file version ``base`` holds: every row, or only the first ``head`` of
    them, which costs the same at 100 motions and at 100,000. None if there is none, it belongs to
    another version, or it is damaged."""
    try:
        with open(index_path(data_file), "rb") as handle:
            if head is None:
                index = loads(handle.read())
                header, rows = index["index"], index["motions"]
            else:
                first = handle.readline()
                header = _header_of(first)
                if header is None:
                    return None
                lines = islice(handle, head)
                rows = [orjson.loads(line.rstrip(b",\n")) for line in lines if not line.startswith(b"]")]
        if _base_of(header) != base:
            return None
        generation, count = header["at"], header["count"]
        if not (_count(generation) and _count(count)) or generation < base.generation:
            return None
        with collector_paused():
            summaries = _summaries(rows)
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None
    found = {summary.id: summary for summary in summaries}
    if len(found) == count:
        return Indexed(generation, found, count, lambda _ids: set())
    if head is None:
        return None  # the whole index, but not as many rows as it says: damaged
    return Indexed(generation, found, count, partial(_among_others, data_file, first))


# Up to this many ids are each looked for in the index's rows (a search of their bytes, 1 ms at 50,000
# motions); more are looked up in the set of every row's id (one pass: 15 to 50 ms at 50,000).
_SEARCHED = 16


def _among_others(data_file: Path, first: bytes, wanted: list[str]) -> set[str]:
    """Those of the ``wanted`` ids that the index has rows of, found in its lines without parsing them (each
    starts with its id), if it is still the index whose first line was ``first`` (else ValueError: a writer
    replaced it since). Mapped, not read: a search touches only the pages it passes."""
    with open(index_path(data_file), "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as rows:
        if rows.readline() != first:
            raise ValueError("the index was replaced")
        if len(wanted) <= _SEARCHED:  # every row follows a line's end, the first one the header's
            return {doc_id for doc_id in wanted if rows.find(b'\n["' + doc_id.encode() + b'"') >= 0}
        every = {line[2:38].decode() for line in iter(rows.readline, b"") if line.startswith(b'["')}
    return every.intersection(wanted)


def brought_forward(
    found: Indexed, records: Iterable[tuple[int, dict[str, Any]]], summary_of: Callable[[Any, str], MotionSummary]
) -> Preview:
    """The summaries :func:`read_index` found, brought forward by the journal's records after the index
    ((generation, the motion documents it wrote)); ``summary_of`` gives a live document's summary, or
    raises. Of a whole index: all of them. Of its head: the first of the list, in its order, as many as
    the head had rows the journal left alone (every row beyond the head comes after those in the list,
    so none the head left out can belong among them). Its total: the index's count, one more for each
    motion the journal added and one less for each it deleted; whether a motion the head does not have
    was in the index, its other rows tell (read only then)."""
    indexed, summaries, count, among_others = found
    head = set(summaries)
    touched: dict[str, bool] = {}  # each motion the journal wrote after the index: whether it is live now
    for generation, documents in records:
        if generation <= indexed:
            continue
        for doc_id, document in documents.items():
            touched[doc_id] = live = not (document is None or document.get("deleted"))
            if live:
                summaries[doc_id] = summary_of(document, doc_id)
            else:
                summaries.pop(doc_id, None)
    untouched = head.difference(touched)
    total: int | None = count
    try:
        wanted = [doc_id for doc_id in touched if doc_id not in head]
        beyond = among_others(wanted) if wanted else set()
    except (OSError, ValueError):  # the index was replaced meanwhile: how many there are is not known
        beyond, total = set(), None
    if total is not None:
        total += sum(live - (doc_id in head or doc_id in beyond) for doc_id, live in touched.items())
    if len(head) == count:
        return Preview(summaries.values(), total)  # in any order: the list sorts them
    return Preview(sorted(summaries.values(), key=newest_first_key, reverse=True)[: len(untouched)], total)


def _summaries(rows: Any) -> list[MotionSummary]:
    """The rows, checked as the model checks the same fields (the index is a file anyone could have
    edited), but each kind of text with one search over all of them: ValueError or TypeError for
    anything the model would refuse. (Per row it is a tenth of a second at 10,000 motions.)"""
    if type(rows) is not list:
        raise TypeError(rows)
    summaries, ids, titles, lines, dues = [], [], [], [], []
    make = MotionSummary._make
    shared: dict[Any, Any] = {}  # one object per distinct value: a few dozen groups, a few thousand days
    for row in rows:
        motion_id, title, reference, submitted, created, groups, done, total, pending = row  # ValueError unless 9
        if (
            type(groups) is not list
            or type(pending) is not list
            or type(done) is not int
            or type(total) is not int
            or not 0 <= done <= total
        ):
            raise ValueError(row)
        ids.append(motion_id)
        titles.append(title)
        lines.append(reference)
        lines += groups
        dues += pending
        groups, pending = tuple(groups), tuple(pending)
        summaries.append(
            make(
                (
                    motion_id,
                    title,
                    reference,
                    quick_date(submitted),
                    quick_moment(created),
                    shared.setdefault(groups, groups),
                    done,
                    total,
                    shared.setdefault(pending, pending),
                )
            )
        )
    if not (
        all_uuids(ids) and plain_lines(titles, TITLE_LIMIT) and plain_lines(lines, LINE_LIMIT)
    ):  # TypeError if one is no text
        raise ValueError("an id or a text the model refuses")
    if not _ISO_DAYS.fullmatch("".join(dues)) or any(len(due) != 10 for due in dues):
        raise ValueError("a follow-up date that is none")
    if "" in map(str.strip, titles) or any(
        not group.strip() for summary in summaries for group in summary.submitted_by
    ):
        raise ValueError("an empty title or group")
    return summaries


def _count(value: Any) -> bool:
    return type(value) is int and value >= 0
