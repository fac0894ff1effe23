"""Where each motion lies in the data file: a sidecar, so a command on one motion reads only that motion.

The data file is written whole a document per line (:class:`Serialised`). Writing it, the storage also
writes ``<name>.offsets``: for every motion the byte range of its line, its reference as a lookup
compares it (:func:`folded_reference`) and whether it is deleted; for every other table the range of
its lines. A command on one motion (``set``, ``show``, ``history MOTION``, ``resolve``, and ``undo``
when the journal holds the user's last write: store/undo.py) then reads the header, the sidecar, that
one line, the small tables and the journal (what came after the file), not all 10,000 motions; it finds
its motion's line in the sidecar by a byte search, without parsing the other lines (:class:`Offsets`).

Its header also says which motions' lines the whole write copied as they were from the version of the file it
had read (:class:`Copied`): the models kept of that version are theirs (store/modelcache.py).

The sidecar is derived data, never the truth: written without fsync after the data file is in place,
and used only when it names the data file exactly as it is (its stamp, generation and size), and when
the line at the range it gives is the motion it names. Missing, stale, damaged or ambiguous (a
reference that more than one motion carries, a prefix of several ids, nothing matching): the caller
reads the whole file, which also says what is wrong with it, as without a sidecar.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from operator import add, itemgetter, lt
from typing import Any, NamedTuple

import orjson

from store.file.journal import Base, Journal, Position, Record
from store.file.names import StoreFiles

HEADER = "sachstand"  # the data file's first key: schema, generation, stamp
_FIRST = b'{"sachstand":'
MOTIONS = "motions"  # the table of motions (store/edit.py names it for the store)

Spot = list[Any]  # a motion's line: [start, end, folded reference, deleted]
LAYOUT = 2  # the sidecar's layout: a header line, then a line per motion (below)


class Offsets(NamedTuple):
    """The sidecar of one version of the data file. Its motions are not parsed: ``lines`` holds a line per
    motion, each after a newline, ``["<id>","<folded reference>",start,end,deleted]``, and a lookup finds
    the lines it needs with a byte search (parsing 10,000 spots took a one-motion command 2 to 9 ms).
    Inside a JSON string every quote is escaped, so ``,"`` begins the reference and nothing else, and
    the quote after an escaped string ends it: a search matches a whole id or reference, never a part."""

    stamp: str
    generation: int
    size: int
    tables: dict[str, tuple[int, int]]  # every other table: the byte range of its documents' lines
    lines: bytes
    copied: Copied | None = None

    def spot(self, motion_id: str) -> Spot | None:
        """Where the motion ``motion_id`` lies, if the sidecar has it."""
        for key, spot in self._found(b"\n[" + orjson.dumps(motion_id) + b","):
            if key == motion_id:
                return spot
        return None

    def with_reference(self, folded: str) -> Iterator[tuple[str, Spot]]:
        """The motions whose folded reference is ``folded``."""
        return self._found(b"," + orjson.dumps(folded) + b",")

    def with_prefix(self, prefix: str) -> Iterator[tuple[str, Spot]]:
        """The motions whose id begins with ``prefix`` (JSON escapes a character at a time, so the escaped
        id begins with the escaped prefix exactly when the id begins with the prefix)."""
        return self._found(b'\n["' + orjson.dumps(prefix)[1:-1])

    def _found(self, needle: bytes) -> Iterator[tuple[str, Spot]]:
        """Each line that holds ``needle``, parsed; ValueError or TypeError if one is no such line."""
        lines, at = self.lines, self.lines.find(needle)
        while at >= 0:
            start = lines.rfind(b"\n", 0, at + 1) + 1
            end = lines.find(b"\n", at + 1)
            end = len(lines) if end < 0 else end
            key, reference, first, last, deleted = orjson.loads(lines[start:end])
            if not (isinstance(key, str) and isinstance(reference, str) and isinstance(deleted, bool)):
                raise TypeError("not a motion's line")
            yield key, [first, last, reference, deleted]
            at = lines.find(needle, end)


class Copied(NamedTuple):
    """What the whole write that wrote the file copied as it was from the version of the file it had read: that
    version (``source``, its identity: store/file/documents.py ``version_identity``), the file it wrote (``written``:
    size and modification time; of any other version, a person's editor having written over it in place, it says
    nothing), and the places among the sidecar's motions of the lines it did not copy so (``fresh``). The models'
    cache takes the model kept of a copied line without reading it (store/modelcache.py)."""

    source: str
    written: tuple[int, int]
    fresh: tuple[int, ...]


def folded_reference(reference: str) -> str:
    """A reference number as a lookup compares it: without blanks, case folded ("DS12/2026" is "DS 12/2026")."""
    return "".join(reference.split()).casefold()


class Kept(NamedTuple):
    """A document to write as the line it was read from, with the facts of it the sidecar needs, and the identity
    of the version of the file it is copied from as it was there (None: changed since)."""

    line: bytes
    reference: Any
    deleted: Any
    source: str | None = None


class Serialised:
    """The file, in the parts it is written from, each made as it is written (store/file/durable.py
    ``write_parts``, a batch at a time), and its sidecar's ``ranges`` once every part was taken. The file is
    never held whole: at 50,000 motions its 100 MB of lines, made before the first was written, took pages
    the system provided afresh (23,000 of them in a full pull, and as many again for what came after, once
    they were given back). The file is valid JSON as a whole, laid out a document per line, so that it can
    be read a line at a time (orjson never puts a newline inside a value):

        {"sachstand":{"schema":3,"generation":7,"stamp":"…"}
        ,"motions":{
        "<id>":{…}
        ,"<id>":{…}
        }
        }
    """

    def __init__(self, header: dict[str, Any], tables: dict[str, Any]) -> None:
        self._header, self._tables = header, tables
        self.ranges: dict[str, Any] = {"tables": {}, MOTIONS: b""}

    def __iter__(self) -> Iterator[bytes]:
        first = _FIRST + orjson.dumps(self._header) + b"\n"
        yield first
        at = len(first)
        for name, table in self._tables.items():
            opening = b"," + orjson.dumps(name) + b":{\n"
            yield opening
            at = start = at + len(opening)
            spots, sources = [], []  # one pass: the storage parses a motion's line each time it is read
            for number, (key, document) in enumerate(table.items()):
                line = document.line if type(document) is Kept else orjson.dumps(document)
                # A comma before each entry but the first.
                entry = (b"," if number else b"") + orjson.dumps(key) + b":" + line + b"\n"
                yield entry
                if name == MOTIONS:
                    reference, deleted = _facts(document._asdict() if type(document) is Kept else document)
                    spots.append([key, reference, at + bool(number), at + len(entry) - 1, deleted])
                    sources.append(document.source if type(document) is Kept else None)
                at += len(entry)
            yield b"}\n"
            if name == MOTIONS:  # orjson's C, a call per motion: a whole write pays 3 ms at 10,000
                self.ranges[MOTIONS] = b"".join(map(b"\n".__add__, map(orjson.dumps, spots)))
                self.ranges["copied"] = _copied(sources)
            else:
                self.ranges["tables"][name] = (start, at)
            at += 2
        yield b"}\n"


def _facts(document: Any) -> tuple[str, bool]:
    reference = document.get("reference") if isinstance(document, dict) else None
    deleted = bool(document.get("deleted")) if isinstance(document, dict) else True
    return folded_reference(reference) if isinstance(reference, str) else "", deleted


def _copied(sources: list[str | None]) -> dict[str, Any] | None:
    """What the motions' lines were copied from as they were (:class:`Copied`), where most were, from one version."""
    source = next(filter(None, sources), None)
    fresh = [number for number, origin in enumerate(sources) if origin != source]
    return None if source is None or 2 * len(fresh) > len(sources) else {"from": source, "fresh": fresh}


def write_offsets(files: StoreFiles, base: Base, written: tuple[int, int], ranges: dict[str, Any]) -> None:
    """The sidecar of the data file just written (of ``written`` size and modification time, version ``base``); a
    failure costs only speed, so it is not reported, and a stale sidecar left in its place is never used."""
    head = {"layout": LAYOUT, "stamp": base.stamp, "generation": base.generation, "size": written[0]}
    if ranges.get("copied"):
        head["copied"] = {**ranges["copied"], "written": written}
    content = orjson.dumps({**head, "tables": ranges["tables"]}) + ranges[MOTIONS] + b"\n"
    temp = files.temp(".offsets")
    try:
        temp.write_bytes(content)
        os.replace(temp, files.offsets)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


def read_offsets(files: StoreFiles, base: Base, size: int) -> Offsets | None:
    """The sidecar, if it names the data file of version ``base`` and ``size`` bytes; else None (also for
    a sidecar of the earlier layout, one JSON document: the next whole write replaces it)."""
    try:
        content = files.offsets.read_bytes()
        end = content.find(b"\n")
        raw = orjson.loads(content[:end]) if end > 0 else None
        if not isinstance(raw, dict) or raw.get("layout") != LAYOUT:
            return None
        offsets = Offsets(
            raw["stamp"],
            raw["generation"],
            raw["size"],
            {name: (start, end) for name, (start, end) in raw["tables"].items()},
            content[end:],  # each line checked where used: by _found, focused_tables and chosen
            _claim(raw.get("copied")),
        )
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None
    if (offsets.stamp, offsets.generation, offsets.size) != (base.stamp, base.generation, size):
        return None
    return offsets


def _claim(raw: Any) -> Copied | None:
    """The sidecar's :class:`Copied`, if it has one of that form (none is only slower)."""
    try:
        source, (size, time), fresh = raw["from"], raw["written"], raw["fresh"]
        values = [size, time, *fresh]
    except (TypeError, KeyError, ValueError):
        return None
    if type(source) is not str or {*map(type, values)} != {int} or min(values) < 0:
        return None
    return Copied(source, (size, time), tuple(fresh))


def chosen(offsets: Offsets, records: list[Record], ref: str) -> str | None:
    """The id of the one live motion ``ref`` names, as :meth:`store.Store.find` chooses it, in the file
    as the sidecar has it brought forward by the journal's ``records``; None unless exactly one."""
    later: dict[str, tuple[str, bool]] = {}  # what the journal wrote since, by id
    for record in records:
        for key, document in record["tables"].get(MOTIONS, {}).items():
            later[key] = _facts(document) if document is not None else ("", True)

    def live(found: Iterable[tuple[str, Spot]], holds: Callable[[str, str], bool]) -> list[str]:
        """The live motions of the sidecar's ``found`` and of the journal whose id and folded reference ``holds``."""
        matches = [key for key, spot in found if not spot[3] and key not in later and holds(key, spot[2])]
        return matches + [key for key, (reference, deleted) in later.items() if not deleted and holds(key, reference)]

    try:
        wanted = ref.strip()
        spot = later[wanted] if wanted in later else _facts_of(offsets.spot(wanted))
        if spot is not None and not spot[1]:
            return wanted
        folded, prefix = folded_reference(wanted), wanted.lower()
        matches = live(offsets.with_reference(folded), lambda _key, reference: reference == folded) if folded else []
        if not matches and wanted:
            matches = live(offsets.with_prefix(prefix), lambda key, _reference: key.startswith(prefix))
    except (TypeError, ValueError, IndexError, KeyError):  # a line that is no motion's spot
        return None
    return matches[0] if len(matches) == 1 else None


def _facts_of(spot: Spot | None) -> tuple[str, bool] | None:
    return None if spot is None else (spot[2], spot[3])


def laid_out(descriptor: int, offsets: Offsets, line_of: Callable[[int, int], Any]) -> dict[str, Any] | None:
    """Every table of the data file open at ``descriptor``, in the file's order, where the sidecar says it lies:
    each motion as ``line_of(start, end)`` of its document's bytes, unread, every other table parsed; None if
    the sidecar holds anything else. A whole read need not split 100 MB into lines to find the motions' (0.2 s at
    50,000): each line is checked where it is parsed, as a line the file's split found is (store/file/documents.py)."""
    try:
        spots = orjson.loads(b"[" + offsets.lines.strip().replace(b"\n", b",") + b"]")
        # Each step over all spots at once, in C: a loop in Python over 50,000 took most of what the split takes.
        keys, ends = list(map(itemgetter(0), spots)), list(map(itemgetter(3), spots))
        if not keys or {*map(type, keys)} != {str} or len({*keys}) != len(keys) or {*map(type, ends)} != {int}:
            return None  # no motions (a file of none is split as quickly), or not the sidecar's spots
        # Each document starts after its entry's "<id>":
        starts = list(map((1).__add__, map(add, map(itemgetter(2), spots), map(len, map(orjson.dumps, keys)))))
        if {*map(type, starts)} != {int} or not (min(starts) > 0 and max(ends) <= offsets.size):
            return None
        if not all(map(lt, starts, ends)):
            return None
        motions = dict(zip(keys, map(line_of, starts, ends)))
        tables = {name: _table(descriptor, start, end) for name, (start, end) in offsets.tables.items()}
    except (OSError, orjson.JSONDecodeError, ValueError, TypeError, IndexError):
        return None
    order = {name: start for name, (start, _end) in offsets.tables.items()}
    order[MOTIONS] = starts[0]
    return {name: motions if name == MOTIONS else tables[name] for name in sorted(order, key=order.__getitem__)}


# A focused read: the tables with only the motion in focus, the file's version, the journal's records, where they
# end, and the motion's id.
Focused = tuple[dict[str, Any], Base, list[Record], Position, str]


def focused_read(
    files: StoreFiles, journal: Journal, descriptor: int, base: Base, size: int, ref: str
) -> Focused | None:
    """A read of the data file open at ``descriptor`` (of version ``base`` and ``size`` bytes) with only the motion
    ``ref`` names; None whenever the whole file must be read (no or a stale sidecar, not exactly one such motion)."""
    offsets = read_offsets(files, base, size)
    if offsets is None:
        return None
    records, position = journal.read(base)
    motion_id = chosen(offsets, records, ref)
    tables = None if motion_id is None else focused_tables(descriptor, offsets, motion_id)
    return None if tables is None or motion_id is None else (tables, base, records, position, motion_id)


def focused_tables(descriptor: int, offsets: Offsets, motion_id: str) -> dict[str, Any] | None:
    """The tables of the data file open at ``descriptor`` with only the motion ``motion_id`` (if the
    file holds it: one added since is in the journal) and every other table whole; None if a range
    does not hold what the sidecar says it does."""
    try:
        tables: dict[str, Any] = {MOTIONS: {}}
        for name, (start, end) in offsets.tables.items():
            tables[name] = _table(descriptor, start, end)
        spot = offsets.spot(motion_id)
        if spot is not None:
            start, end = spot[0], spot[1]
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= offsets.size):
                return None
            entry = _entry(os.pread(descriptor, end - start, start))
            if list(entry) != [motion_id]:
                return None
            tables[MOTIONS] = entry
    except (OSError, orjson.JSONDecodeError, ValueError, TypeError, IndexError):
        return None
    return tables


def _table(descriptor: int, start: int, end: int) -> dict[str, Any]:
    """The documents of a table whose lines lie from ``start`` to ``end``."""
    table: dict[str, Any] = {}
    for number, line in enumerate(os.pread(descriptor, end - start, start).splitlines()):
        table.update(_entry(line[1:] if number else line))  # a comma before each entry but the first
    return table


def _entry(line: bytes) -> dict[str, Any]:
    """One line's ``"key":{document}``."""
    entry = orjson.loads(b"{" + line + b"}")
    if len(entry) != 1 or not all(isinstance(document, dict) for document in entry.values()):
        raise ValueError("not one document")
    return dict(entry)
