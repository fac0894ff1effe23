"""The table of motions as the storage holds it: each document where its line lies in the data file,
read and parsed whenever it is read.

At 50,000 motions the parsed documents were 350 MB of the dashboard's 525 MB: every motion's fields,
items and history as dicts and lists, beside the models the store builds from them (which is what the
dashboard reads); their lines are 98 MB more. A document itself is read for an edit (its history, its
sync bookkeeping), an undo, a sync, an export: a read of its line then and a parse (about 10 µs). A
document a transaction or the journal wrote is held as the dict it is until the file is next read; one
of which they set only a few fields (a patch: store/file/journal.py) stays its line, with those fields.

A line is read through a descriptor of the version of the file it is in (:class:`Line`): the storage
never writes a data file in place, but writes a new one and renames it over the old, so what the
descriptor reads stays that version after another process replaced it.

The storage splits the file into lines without parsing the motions' (:func:`read_by_line`); the store
parses each new line once, right after, to build its model (store/store.py). A line that is not one JSON
object sends the storage back to parse the whole file, which says what is wrong where, as before.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, BinaryIO

import orjson

from store.file.journal import Base, Doc, Record, patched, with_fields
from store.file.migrations import SCHEMA_VERSION
from store.file.names import StoreFiles
from store.file.offsets import _FIRST as FIRST
from store.file.offsets import HEADER, MOTIONS, Kept, laid_out, read_offsets


class _File:
    """A descriptor of one version of the data file, closed once no :class:`Line` of it is held."""

    __slots__ = ("__weakref__", "_identity", "block", "copied", "descriptor", "head", "laid_out", "version")

    def __init__(self, descriptor: int, head: bytes = b"") -> None:
        self.descriptor = os.dup(descriptor)
        weakref.finalize(self, os.close, self.descriptor)
        self.version = file_version(self.descriptor)
        self.head = head  # the file's first line: its header, with the stamp of this version (store/modelcache.py)
        # Whether its lines were found where its sidecar says: then this program wrote each, a document a line with
        # its keys in the order it writes them (store/file/parts.py). A file split into lines may have been
        # edited by hand since.
        self.laid_out = False
        # What the whole write that wrote this version copied as it was, as its sidecar says (store/file/offsets.py
        # Copied): the identity of the version it copied from, and the keys of the motions it did not copy so.
        self.copied: tuple[str, frozenset[str]] | None = None
        self.block = (0, b"")  # the bytes read last and where they start: one attribute, as threads share it
        self._identity = ""

    @property
    def identity(self) -> str:
        """This version among all versions of the data file (:func:`version_identity`)."""
        if not self._identity:
            self._identity = version_identity(self.head, self.version)
        return self._identity

    def read(self, start: int, end: int) -> bytes:
        """The bytes from ``start`` to ``end`` of this version; none if the file was written over in place
        (by a person or another program: a backup copied over it), so that its lines are no longer there:
        looked at (an fstat) after each read from the file. Bytes of a block read before were this version's
        then, and a model built from this version was built from them.

        Lines read in order (the store builds every model after a read of the file) are read a block at a
        time, other lines alone. Each call to the system lets the app's thread take the interpreter, and
        getting it back took up to a few milliseconds each: a read and an fstat per line, or an fstat per
        5 ms, made the dashboard's read of 50,000 motions twice as long in the app as alone."""
        block_start, block = self.block
        if start < block_start or end - block_start > len(block):
            in_order = block_start <= start < block_start + len(block) + _GAP  # the next line, or its rest
            block = os.pread(self.descriptor, max(end - start, _BLOCK) if in_order else end - start, start)
            if file_version(self.descriptor) != self.version:
                self.block = (0, b"")
                return b""
            block_start, block = self.block = (start, block)
        return block[start - block_start : end - block_start]


_BLOCK = 1 << 20  # bytes: about 500 lines of a usual motion, held with the file's descriptor
_GAP = 256  # bytes: at most between one motion's document and the next one's (its key and the commas)


def version_identity(head: bytes, version: tuple[int, int]) -> str:
    """A version of the data file among all of its versions: a digest of its header line (which holds the stamp that
    each whole write draws anew) and its size and modification time (:func:`file_version`)."""
    import hashlib  # only where a whole write copies lines or the models' cache is read

    return hashlib.sha256(b"%b\n%d\n%d" % (head, *version)).hexdigest()[:32]


def file_version(descriptor: int) -> tuple[int, int]:
    """Which version of the data file the descriptor reads: its size and modification time. The storage writes a
    new file and renames it over the old; a program that writes it in place changes its time."""
    status = os.fstat(descriptor)
    return status.st_size, status.st_mtime_ns


class Line:
    """Where a document's line lies in a version of the data file (a few dozen bytes, not its 2 KB), and what
    was learnt of it once it was parsed (its motion at least: store/file/parts.py ``before_history``): its reference
    and whether it is deleted, and the ``seq`` of each entry of its history (parts.py ``history_seqs``). ``patch``:
    the fields the journal set (or removed) since, beside the motion (store/file/journal.py): the document is
    the line's with them, parsed only when read, as the line is."""

    __slots__ = ("deleted", "end", "file", "learnt", "motion_end", "patch", "reference", "seqs", "start")

    def __init__(self, file: _File, start: int, end: int, patch: Doc | None = None) -> None:
        self.file, self.start, self.end, self.patch = file, start, end, patch
        self.seqs: tuple[int, ...] | None = None
        self.learnt = False  # reference and deleted: what a whole write's sidecar needs (store/file/offsets.py)
        self.reference: Any = None
        self.deleted: Any = None
        self.motion_end = 0  # where the part before its history ends, if that is all wanted (parts.py)

    @property
    def known(self) -> tuple[Any, ...]:
        """What was learnt of the line, as plain values: its history's seqs, its reference, whether it is deleted,
        where its motion ends. A line of the same bytes takes it over (:meth:`knows`); the models' cache keeps it."""
        return self.seqs, self.reference, self.deleted, self.motion_end

    def knows(self, known: tuple[Any, ...], learnt: bool = True) -> None:
        """What another line of the same bytes, or the models' cache, learnt of it (:attr:`known`)."""
        self.seqs, self.reference, self.deleted, self.motion_end = known
        self.learnt = learnt

    def read(self) -> bytes:
        """The line; none if its version of the file is gone (then it parses as no document)."""
        return self.file.read(self.start, self.end)

    def patched(self, fields: Doc) -> Line:
        """This line with ``fields`` patched in too: a new version of the document, with what is known of it."""
        line = Line(self.file, self.start, self.end, {**(self.patch or {}), **fields})
        line.knows(self.known, self.learnt)
        return line

    def __eq__(self, other: object) -> bool:
        """The same bytes and patch: equal as JSON (a model built from one is kept for the other). Each side read as
        any line is (_File.read): an fstat before each line's read too was 40 % of the dashboard's refresh after
        another process wrote the file whole, 0.41 against 0.24 s at 50,000 motions."""
        if not isinstance(other, Line):
            return NotImplemented
        return self is other or (self.patch == other.patch and bool(content := self.read()) and content == other.read())

    __hash__ = None  # type: ignore[assignment]


Stored = Line | Doc  # a document as where its line is, or parsed


class Documents(MutableMapping[str, Doc]):
    """Documents by key, each parsed when read: a new dict each time, which the reader may keep.

    ``stored`` holds what is kept: where a line read from the file is, or a document written since.
    Its values are the identity of a version of a document (the store keeps the model it built from one
    while that stays). ``whole`` parses the whole data file (the storage's :meth:`_parse`), for a line
    that does not parse alone: it raises what is wrong with the file, and if nothing is, its documents
    take the place of every line read."""

    def __init__(self, stored: dict[str, Stored], whole: Callable[[], Doc]) -> None:
        self.stored = stored
        self._whole = whole

    def __getitem__(self, key: str) -> Doc:
        value = self.stored[key]
        if not isinstance(value, Line):
            return value
        memo = _MEMO.get()
        if memo is not None and (kept := memo.get(id(value))) is not None:
            return kept[1]
        document = parsed(value.read())
        if document is None:
            return self._reparsed(key)
        value.seqs = _seqs(document)
        learnt(value, document)
        if value.patch:
            document = with_fields(document, value.patch)
        if memo is not None:
            memo[id(value)] = (value, document)  # the line kept with it, so its id stays its own
        return document

    def __setitem__(self, key: str, document: Doc) -> None:
        self.stored[key] = document

    def __delitem__(self, key: str) -> None:
        del self.stored[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.stored)

    def __len__(self) -> int:
        return len(self.stored)

    def __contains__(self, key: object) -> bool:
        return key in self.stored

    def patch(self, key: str, fields: Doc) -> None:
        """Set (None: remove) some of a document's fields: a line keeps its place, with them as its patch. A
        document already parsed in a :func:`parsed_once` block is patched there too, not parsed again."""
        value = self.stored[key]
        if not isinstance(value, Line):
            self.stored[key] = with_fields(value, fields)
            return
        self.stored[key] = line = value.patched(fields)
        memo = _MEMO.get()
        if memo is not None and (kept := memo.get(id(value))) is not None:
            memo[id(line)] = (line, with_fields(kept[1], fields))

    def copy(self) -> Documents:
        """The documents as they are now (the lines shared, not parsed): safe to read in another thread."""
        return Documents(dict(self.stored), self._whole)

    def _reparsed(self, key: str) -> Doc:
        """Every line read replaced by its document from the whole file's parse (a line that holds more
        than one document, valid JSON as a whole). The journal adds and replaces motions but removes
        none, so a key of the file that is not here yet is one such line's second document."""
        whole = self._whole()
        for line_key, value in list(self.stored.items()):
            if isinstance(value, Line):
                self.stored[line_key] = with_fields(whole[line_key], value.patch) if value.patch else whole[line_key]
        for other, document in whole.items():
            self.stored.setdefault(other, document)
        return whole[key]


_MEMO: ContextVar[dict[int, tuple[Line, Doc]] | None] = ContextVar("parsed_once", default=None)


def parsing_once() -> bool:
    """Whether this thread is in a :func:`parsed_once` block."""
    return _MEMO.get() is not None


@contextmanager
def parsed_once() -> Iterator[None]:
    """In this block (on this thread) each line is parsed once however often it is read, and the parsed
    documents are dropped at its end. A sync reads each document several times (its marks, the epoch's
    check, its transaction's document, its bookkeeping): at 50,000 motions a push parsed 250,000 lines
    instead of 50,000, 2 s of its time. Outside, the lines are parsed on each read, so the dashboard does
    not hold every document parsed (see above). The documents it gives are the same dicts each time, as
    they were when the storage held every document parsed: readers copy before they change one."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def stored(documents: MutableMapping[str, Doc]) -> dict[str, Stored]:
    """What a table keeps: the lines of a :class:`Documents`, or a table's own documents."""
    return documents.stored if isinstance(documents, Documents) else documents  # type: ignore[return-value]


def _seqs(document: Doc) -> tuple[int, ...] | None:
    try:
        return tuple([entry["seq"] for entry in document.get("history", ())])
    except (KeyError, TypeError):  # a broken history: whoever reads it says so
        return None


def learnt(line: Line, document: Doc) -> None:
    """What a read learns of a line from its parsed document (see :class:`Line`)."""
    line.reference, line.deleted, line.learnt = document.get("reference"), document.get("deleted"), True


def writable(table: Any) -> Any:
    """A table to write whole (store/file/offsets.py ``Serialised``): each line parsed before kept as the bytes it
    is (a whole write parsed every line again for the sidecar's facts: 0.1 s at 10,000 motions), with its patch
    spliced in where it can be (:func:`_spliced`), the rest parsed; any other table as it is."""
    if not isinstance(table, Documents):
        return table
    found: dict[str, Any] = {}
    for key, value in table.stored.items():
        line = value.read() if isinstance(value, Line) and value.learnt else b""
        if line and isinstance(value, Line) and value.patch:
            line = _spliced(line, value.patch)
        if line and isinstance(value, Line):
            found[key] = Kept(line, value.reference, value.deleted, None if value.patch else value.file.identity)
        else:
            found[key] = table[key]
    return found


def _spliced(line: bytes, patch: Doc) -> bytes:
    """The line of a document with ``patch`` applied (:func:`with_fields`) without parsing it, where no field
    of the patch is in it: then each one set is new, and comes last. Else none (the document is parsed). Inside
    a JSON string every quote is escaped, so a field's quoted name is in the line only as a key or a value:
    in either case it is parsed. A full push patches every motion, and the whole write after it writes each so."""
    names = [orjson.dumps(name) for name in patch]
    if any(name in line for name in names):
        return b""
    added = b"".join(
        b"," + name + b":" + orjson.dumps(value) for name, value in zip(names, patch.values()) if value is not None
    )
    return line[:-1] + added + b"}"


def written(documents: Mapping[str, Doc]) -> dict[str, Doc]:
    """The documents held parsed: those written since the data file was read (by a transaction, the journal),
    or all of a table that is not a :class:`Documents`."""
    if not isinstance(documents, Documents):
        return dict(documents)
    return {key: value for key, value in documents.stored.items() if not isinstance(value, Line)}


def snapshot(documents: MutableMapping[str, Doc]) -> Mapping[str, Doc]:
    """The documents as they are now, safe to read in another thread: the lines shared, not parsed."""
    return documents.copy() if isinstance(documents, Documents) else dict(documents)


def parsed(line: bytes) -> Doc | None:
    """The document of a line; None if the line is not one JSON object."""
    try:
        document = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return document if type(document) is dict else None


def _document(line: Line) -> Doc | None:
    """The document of a line with its patch, parsed anew; None if the line is not one JSON object."""
    document = parsed(line.read())
    return with_fields(document, line.patch) if document is not None and line.patch else document


def copied(one: Stored, other: Stored, key: str) -> bool:
    """Whether ``other`` is the line of ``key`` that a whole write copied as it was from ``one``'s version of the
    file, as its sidecar says (store/file/offsets.py ``Copied``), neither patched since: the same bytes, unread."""
    if type(one) is not Line or type(other) is not Line or one.patch or other.patch:
        return False
    claim = other.file.copied
    return claim is not None and claim[0] == one.file.identity and key not in claim[1]


def learnt_from(line: Stored, other: Stored) -> None:
    """What was learnt of ``other``, a line of the same bytes and patch as ``line`` (:func:`copied`, :func:`same`),
    learnt of ``line`` too: else a whole write would parse it again for the sidecar's facts."""
    if type(line) is Line and type(other) is Line and other.learnt and not line.learnt:
        line.knows(other.known)


def same(one: Stored, other: Stored) -> bool:
    """Equal as JSON: the same bytes, or equal and serialised alike (Python's == alone takes 1, 1.0 and
    true for the same value)."""
    if isinstance(one, Line) and isinstance(other, Line):
        return one == other
    left, right = (_document(value) if isinstance(value, Line) else value for value in (one, other))
    return left is not None and bool(left == right and orjson.dumps(left) == orjson.dumps(right))


def apply(tables: dict[str, Any], record: Record) -> None:
    """Bring ``tables`` forward by one journal record (store/file/journal.py). A patch of a document the tables
    do not hold is of a motion a focused read left out (store/file/offsets.py)."""
    for name, documents in record["tables"].items():
        table = tables.setdefault(name, {})
        for key, document in documents.items():
            if document is None:
                table.pop(key, None)
            else:
                table[key] = document
    for name, key, fields in patched(record):
        table = tables.get(name, {})
        if key in table:
            patch(table, key, fields)


def patch(table: MutableMapping[str, Doc], key: str, fields: Doc) -> None:
    """Set (None: remove) some of the fields of the document ``key`` of ``table``, which holds it."""
    if isinstance(table, Documents):
        table.patch(key, fields)
    else:
        table[key] = with_fields(table[key], fields)


def read_by_line(handle: BinaryIO, whole: Callable[[], Doc], files: StoreFiles) -> dict[str, Any] | None:
    """A file laid out as store.file.offsets.Serialised writes it, a line at a time: the motions as a
    :class:`Documents` of where their lines are, the other (small) tables parsed. None for anything
    else, down to a missing comma, so that the whole parse can say what is wrong. (A motion's line is
    checked when it is first parsed, see :class:`Documents`.) Where the file's sidecar names this version,
    the lines are where it says (store/file/offsets.py), and the file is not split."""
    first = handle.readline()
    if not (first.startswith(FIRST) and first.endswith(b"\n")):
        return None
    file, at = _File(handle.fileno(), first), len(first)
    try:
        data: dict[str, Any] = {HEADER: orjson.loads(first[len(FIRST) :])}
        tables = _laid_out(file, data[HEADER], files)
        if tables is not None:
            return _finished({**data, **tables}, whole)
        table: dict[str, Any] | None = None
        for line in handle:
            start, at = at, at + len(line)
            if table is None:
                if line == b"}\n":
                    return _finished(data, whole) if not handle.read(1) else None
                if not (line.startswith(b',"') and line.endswith(b'":{\n')):
                    return None
                name = orjson.loads(line[1:-3])
                if name in data:
                    return None
                table = data[name] = {}
            elif line == b"}\n":
                table = None
            else:
                skip = 1 if table else 0  # a comma before each entry but the first (offsets: no copy of the line)
                if line.startswith(b",") != bool(skip):
                    return None
                split = line.find(b'":', skip) + 1
                key = orjson.loads(line[skip:split])  # a JSON string, or the line is not "key":{document}
                if type(key) is not str or key in table or not line.endswith(b"\n"):
                    return None
                table[key] = (
                    Line(file, start + split + 1, at - 1) if name == MOTIONS else orjson.loads(line[split + 1 :])
                )
    except orjson.JSONDecodeError:
        return None
    return None  # no closing line: cut short


def _laid_out(file: _File, header: Any, files: StoreFiles) -> dict[str, Any] | None:
    """The tables where the sidecar of this version of the data file says they lie, if it has one."""
    if type(header) is not dict or header.get("schema") != SCHEMA_VERSION or type(header.get("generation")) is not int:
        return None
    offsets = read_offsets(
        files, Base(SCHEMA_VERSION, header["generation"], str(header.get("stamp", ""))), file.version[0]
    )
    if offsets is None:
        return None
    file.laid_out = True
    tables = laid_out(file.descriptor, offsets, partial(Line, file))
    claim = offsets.copied
    if tables is not None and claim is not None and claim.written == file.version:
        keys = list(tables[MOTIONS])
        if all(number < len(keys) for number in claim.fresh):
            file.copied = (claim.source, frozenset([keys[number] for number in claim.fresh]))
    return tables


def _finished(data: dict[str, Any], whole: Callable[[], Doc]) -> dict[str, Any]:
    if isinstance(data.get(MOTIONS), dict):
        data[MOTIONS] = Documents(data[MOTIONS], whole)
    return data
