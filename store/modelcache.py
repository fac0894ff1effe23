"""The models of a data file's lines, kept between starts of the dashboard in the user's cache folder.

The dashboard's keys work once every model is built: at 50,000 motions that was 2 s of parsing and
checking 98 MB, the same work at every start. Once the store is read, the dashboard keeps its models
here (:meth:`store.store.Store.keep_models`), as rows of plain values (:func:`store.modelrows.motion_row`);
the next read of the same version of the data file makes them models again without parsing or
checking a line, in half the time. What a model is kept with: the line it was built from (where it lies, in
which version of the file) and what the store learns of a line when it parses it (its history's
``seq``, reference and deletion, and where its motion ends: store/file/documents.py).

A model is taken only for the very line it was built from, in the same data file (by its real path), with no
fields patched in by the journal since. In the same version of the file (stamp and generation in its header,
size and modification time, as the storage tells versions apart), that is the line at the same place. A whole
write (a pull, an import, a journal grown full) copies every line it does not change, so the first start after
it parses only the lines that changed, and keeps the models again for the version it read. Where the file is
the one a whole write wrote from the version kept, its sidecar says which lines it copied so (``Copied`` in
store/file/offsets.py), and their models are taken without reading them; in any other version, those of the
lines of the same key with the same bytes, by their SHA-256 (about 0.3 s for 98 MB with the lines' reads).
Every other line is parsed and checked as before. The file is a cache: written without fsync, and ignored when it
is of another version of this program or of the file, damaged (each chunk carries a checksum), or not written by
this user alone. Its rows are trusted as the user's own bytecode cache is: the folder is
the user's (platformdirs), the file is the user's own and writable by no one else.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

from store.fields import ITEM_FIELDS, MOTION_FIELDS
from store.file.bulk import collector_paused
from store.file.documents import Line, Stored, file_version, version_identity
from store.file.names import StoreFiles
from store.folding import Haystacks
from store.model import Motion
from store.modelrows import motion_row, motions_of_rows

# What the rows mean: a change of a field's place or kind makes every kept model another shape.
_SHAPE = (5, *((name, field.kind.value) for fields in (MOTION_FIELDS, ITEM_FIELDS) for name, field in fields.items()))
_CHUNK = 1000  # models a chunk: read and made models one chunk at a time, so the file is never held whole
_FRAME = struct.Struct("<II")  # each chunk: its length and its CRC-32, then it marshalled
_ABANDONED = 3600.0  # seconds since a keep's temp file was written to: a keep writes it in a few, so it ended


def cache_folder() -> Path:
    """The user's cache folder for kept models."""
    import platformdirs  # 4 ms to load: only when the cache is read or written

    return platformdirs.user_cache_path("sachstand") / "models"


class ModelCache:
    """The kept models of the store whose files are ``files``, and the search's haystacks kept with them."""

    def __init__(self, files: StoreFiles) -> None:
        self.files = files
        self.haystacks = Haystacks({}, {})  # of the models the last read took
        self.exact = False  # whether the last read found them kept for this very version of the file

    @property
    def path(self) -> Path:
        """One file per data file (by its real path), in the user's cache folder."""
        digest = hashlib.sha256(os.fsencode(self.files.data)).hexdigest()[:32]
        return cache_folder() / f"{digest}.models"

    def reused(self, lines: Mapping[str, Stored]) -> dict[str, Motion]:
        """The kept model of each of ``lines`` that was built from the very line it is, with what was learnt
        of the line set on it (and its haystack in :attr:`haystacks`); {} if nothing is kept for this data file.
        :attr:`exact` tells whether they were kept for this very version of it (then none need be kept again)."""
        self.haystacks, self.exact = Haystacks({}, {}), False
        file = _file_of(lines)
        if file is None:
            return {}
        try:
            with _opened_own(self.path) as handle:
                kept_for, identity = _frame(handle), _identity_of(self.files, file.head, file.version)
                if kept_for[:2] != identity[:2]:
                    return {}  # of another shape of the models, or of another data file
                self.exact = kept_for == identity
                return _matched(lines, file, _chunks(handle), self.haystacks, self.exact, _fresh(file, kept_for))
        except (OSError, ValueError, EOFError, TypeError, IndexError, KeyError, AttributeError):
            self.haystacks, self.exact = Haystacks({}, {}), False
            return {}  # missing, damaged or of another shape: the lines are parsed, as without a cache

    def taken(self) -> Haystacks:
        """The haystacks the last read took with its models (:meth:`reused`), given once."""
        kept, self.haystacks = self.haystacks, Haystacks({}, {})
        return kept

    def keep(
        self,
        models: Mapping[str, Motion],
        built_from: Mapping[str, Stored],
        haystacks: Haystacks,
    ) -> None:
        """Keep the models built from lines of the data file (``built_from``: what each was built from; a deleted
        motion's line has no model, and is parsed as before), each with its haystack if ``haystacks`` has it for
        that very model; nothing if the folder cannot be written (a cache)."""
        file = _file_of(built_from)
        if file is None:
            return
        lines = {
            key: line for key, line in built_from.items() if type(line) is Line and line.file is file and not line.patch
        }
        if not lines:
            return
        path = self.path
        temp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with open(descriptor, "wb") as handle, collector_paused():  # rows by the hundred thousand, no cycle
                handle.write(_framed(_identity_of(self.files, file.head, file.version)))
                for chunk in _batches(lines.items(), _CHUNK):
                    handle.write(_framed(_chunk(chunk, models, haystacks)))
            os.replace(temp, path)
            _prune(path.parent, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _prune(folder: Path, kept: Path) -> None:
    """Remove from the cache folder what no start can use, each file up to the size of its data file: the caches of
    data files no longer there (a store moved or deleted) or whose first chunk is damaged, and what a keep that
    ended before its rename left; only this user's files."""
    for entry in folder.iterdir():
        with contextlib.suppress(OSError):  # gone meanwhile, or not to be removed: the next keep looks again
            if entry != kept and _of_no_use(entry):
                entry.unlink()


def _of_no_use(entry: Path) -> bool:
    """Whether ``entry`` is a file of this user's in the cache folder that no start can use."""
    status = entry.lstat()
    if status.st_uid != os.geteuid() or not stat.S_ISREG(status.st_mode):
        return False
    if entry.name.startswith(".") and entry.suffix == ".tmp":
        return time.time() - status.st_mtime > _ABANDONED
    if entry.suffix != ".models":
        return False
    try:
        with _opened_own(entry) as handle:
            named = _frame(handle)[1]
        return not (isinstance(named, str) and os.path.exists(named))
    except (ValueError, EOFError, TypeError, IndexError, KeyError):
        return True  # damaged


def _identity_of(files: StoreFiles, head: bytes, version: tuple[int, int]) -> tuple[Any, ...]:
    """A version of the data file: its header line (which names its generation and stamp), size and time."""
    return (_SHAPE, os.fsdecode(files.data), head, *version)


def models_kept(path: str | os.PathLike[str], *, exact: bool = True) -> bool:
    """Whether the models of the data file at ``path`` are kept for it as it is now (``exact``), else for any
    version of it: then the dashboard's read takes them with their haystacks, for every line a whole write since
    has copied, and no child need fold the file's texts (tui/prefolding.py)."""
    files = StoreFiles.of(path)
    try:
        with open(files.data, "rb") as data, _opened_own(ModelCache(files).path) as handle:
            kept_for, identity = _frame(handle), _identity_of(files, data.readline(), file_version(data.fileno()))
            return bool(kept_for == identity if exact else kept_for[:2] == identity[:2])
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return False


def kept_apart(keep: Callable[[], None]) -> None:
    """Call ``keep`` (:meth:`store.store.Store.keep_models`) in a child process of its own that this one does not wait
    for: a command that wrote 50,000 models ends when its work is done, not seconds later, and its caller's pipes end
    with it. Where no child can be forked safely (a system without fork, or another thread running, whose locks the
    child would find held for good), here and now."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        keep()
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()  # else the child would hold what is not yet written, and the parent write it
    if os.fork():
        return
    try:  # the child: apart from the terminal and the caller's pipes, and after whatever a person starts next
        os.setsid()
        nothing = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(nothing, descriptor)
        with contextlib.suppress(OSError):
            os.nice(10)
        keep()
    finally:
        os._exit(0)  # nothing of the parent's exit (its exit functions, its files' buffers) runs twice


def _file_of(lines: Mapping[str, Stored]) -> Any:
    """The version of the data file the lines were read from (the first line's), None if none is a line."""
    return next((line.file for line in lines.values() if type(line) is Line), None)


def _chunk(chunk: list[tuple[str, Line]], models: Mapping[str, Motion], haystacks: Haystacks) -> tuple[Any, ...]:
    """A chunk's lines: keys, places, digests, what was learnt of each, the rows of their models, their haystacks."""
    keys = tuple(key for key, _line in chunk)
    return (
        keys,
        tuple((line.start, line.end) for _key, line in chunk),
        tuple(_digest(line) for _key, line in chunk),
        tuple(line.known for _key, line in chunk),
        tuple(motion_row(models[key]) for key in keys),
        tuple(haystacks.texts[key] if haystacks.made_of.get(key) is models[key] else None for key in keys),
    )


def _fresh(file: Any, kept_for: tuple[Any, ...]) -> frozenset[str] | None:
    """Where ``file`` was written whole from the version of the data file the models were kept for, the keys of
    the lines its whole write did not copy as they were (store/file/offsets.py Copied); else None."""
    _shape, _data, head, *version = kept_for
    claim = file.copied
    return claim[1] if claim is not None and claim[0] == version_identity(head, tuple(version)) else None


def _matched(
    lines: Mapping[str, Stored],
    file: Any,
    chunks: Iterator[Any],
    haystacks: Haystacks,
    same_version: bool,
    fresh: frozenset[str] | None,
) -> dict[str, Motion]:
    """The kept models of the lines of ``file`` (a version of the data file) they were built from, and their
    haystacks: in the ``same_version`` as kept, the lines at their places; in a version written whole from it, the
    lines its whole write copied as they were (all but the keys ``fresh``); else those of the same bytes."""
    found: dict[str, Motion] = {}
    made_of, folded = haystacks
    for keys, places, digests, facts, rows, texts in chunks:
        for key, (start, end), digest, known, motion, text in zip(
            keys, places, digests, facts, motions_of_rows(rows), texts, strict=True
        ):
            line = lines.get(key)
            if type(line) is not Line or line.file is not file or line.patch:
                continue
            if same_version:
                taken = (line.start, line.end) == (start, end)
            else:
                taken = key not in fresh if fresh is not None else bool(digest) and _digest(line) == digest
            if taken:
                line.knows(known)
                found[key] = motion
                if text is not None:
                    made_of[key], folded[key] = motion, text
    return found


def _digest(line: Line) -> bytes:
    """A digest of the line's bytes, by which it is found again in another version of the file; none if its
    version of the file is gone."""
    content = line.read()
    return hashlib.sha256(content).digest()[:16] if content else b""


def _opened_own(path: Path) -> Any:
    """The file at ``path`` for reading, if this user owns it and no one else may write it."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    status = os.fstat(descriptor)
    if status.st_uid != os.geteuid() or status.st_mode & 0o022:
        os.close(descriptor)
        raise ValueError(f"{path}: not this user's alone")
    return open(descriptor, "rb")


def _framed(value: Any) -> bytes:
    data = marshal.dumps(value)
    return _FRAME.pack(len(data), zlib.crc32(data)) + data


def _frame(handle: Any) -> Any:
    """The next value of the file; EOFError at its end, ValueError if it is damaged."""
    head = handle.read(_FRAME.size)
    if not head:
        raise EOFError
    length, checksum = _FRAME.unpack(head)
    data = handle.read(length)
    if len(data) != length or zlib.crc32(data) != checksum:
        raise ValueError("a damaged chunk")
    return marshal.loads(data)


def _chunks(handle: Any) -> Iterator[Any]:
    while True:
        try:
            yield _frame(handle)
        except EOFError:
            return


def _batches(pairs: Iterable[tuple[str, Line]], size: int) -> Iterator[list[tuple[str, Line]]]:
    iterator = iter(pairs)
    while batch := list(islice(iterator, size)):
        yield batch
