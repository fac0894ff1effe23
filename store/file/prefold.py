"""The search's haystacks of a data file's motions, folded in a child process while the store is read.

The dashboard reads the store in a thread (the models: 1.5 s of CPU at 50,000 motions) and its search folds
every motion's texts (store/folding.py: 0.3 s of CPU more, which the first keystroke right after the read
paid). The interpreter runs one thread at a time, so folding in another thread of the dashboard would delay
the read by as much: a child process folds them on another core meanwhile, from the same version of the
file. It reads the file a line at a time as the store does (store/file/documents.py), parses each motion's
line and folds its texts from the document, and sends them in batches with where each line starts.

The dashboard takes a motion's haystack only for a model built from the very line the child read: the same
version of the file (size and modification time, as the storage knows a version) and the same place in it.
Every other motion (written since, from the journal, or a file another process replaced meanwhile) is
folded by the dashboard as before, and a child that fails or is slow leaves it all to the dashboard.
"""

from __future__ import annotations

import gc
import marshal
import os
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from store.file.documents import Documents, Line, parsed, read_by_line
from store.file.names import StoreFiles
from store.file.offsets import MOTIONS
from store.file.parts import motion_part
from store.folding import document_haystacks

if TYPE_CHECKING:
    from store.model import Motion

_LENGTH = struct.Struct("<I")  # each value sent: its length, then it marshalled

# Where this copy of the package lies: the child imports the same code, whatever the path of its environment.
_ROOT = str(Path(__file__).resolve().parents[2])
_CHILD = (
    f"import sys; sys.path.insert(0, {_ROOT!r}); from store.file.prefold import child; sys.exit(child(sys.argv[1]))"
)

# Motions a batch: their parsed documents (about 1 MB) stay in this core's own cache, out of the cache the
# dashboard's read shares with it.
_BATCH = 100

Version = tuple[int, int]
Folded = tuple[Version, list[tuple[list[str], list[int], list[bytes]]]]  # the version; batches: keys, starts, haystacks


def child(path: str) -> int:
    """The child's work: the file's version, then each batch of motions (stdout)."""
    # No cycle collector: every document lives for one batch and none is in a cycle, yet its runs among
    # the parsed documents were three quarters of the child's time (as in the store's read, store/file/bulk.py).
    gc.disable()
    # Only a core that is idle otherwise: on a busy machine the dashboard's own read comes first (the search
    # then folds what is left itself, as without the child).
    if hasattr(os, "nice"):
        os.nice(19)
    out = sys.stdout.buffer
    with open(path, "rb") as handle:
        tables = read_by_line(handle, dict, StoreFiles.of(path))  # a line that is not a document: the dashboard's
        documents = tables.get(MOTIONS) if tables else None
        if not isinstance(documents, Documents) or not documents.stored:
            return 0
        lines: dict[str, Any] = documents.stored
        keys = list(lines)
        _send(out, lines[keys[0]].file.version)
        for start in range(0, len(keys), _BATCH):
            batch = [(key, lines[key]) for key in keys[start : start + _BATCH]]
            # Each motion read up to its history, as the store reads it: where a text is not there, its haystack is
            # none, and the dashboard folds that motion itself.
            folded = document_haystacks([motion_part(line, _ANY) or parsed(line.read()) for _key, line in batch])
            sent = [(key, line.start, text) for (key, line), text in zip(batch, folded) if text is not None]
            _send(out, tuple(map(list, zip(*sent))) if sent else ([], [], []))  # three lists: a third quicker to read
    return 0


_ANY: frozenset[str] = frozenset()  # the keys a motion's part must hold for the child: any


def _send(out: IO[bytes], value: Any) -> None:
    data = marshal.dumps(value)
    out.write(_LENGTH.pack(len(data)) + data)


class Prefold:
    """The child folding the haystacks of the file at ``path``, started at once. :meth:`folded` says whether it
    is done, :meth:`stop` ends it early.

    It writes into a file in memory (or an unnamed temporary file where there is none), not a pipe: a thread
    reading a pipe as the child writes takes the interpreter at each read, and each time the store's read in
    the other thread waits up to a switch interval (5 ms) to get it back. A thread waits for the child's end
    instead (no interpreter needed) and then reads the batches once."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._output = _memory_file()
        # No descriptor of this process but its output (close_fds), no terminal: nothing of the dashboard's
        # is held by a child that outlives it for a moment.
        self._process = subprocess.Popen(
            [sys.executable, "-c", _CHILD, os.fspath(path)],
            stdin=subprocess.DEVNULL,
            stdout=self._output,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
        self._result: Folded | None = None
        self._done = threading.Event()
        threading.Thread(target=self._collect, name="prefold", daemon=True).start()

    def folded(self) -> Folded | Literal[False] | None:
        """What the child folded once it is done; None if it failed or folded nothing; False while it runs."""
        return self._result if self._done.is_set() else False

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()

    def _collect(self) -> None:
        try:
            with self._output as output:
                if self._process.wait() != 0:
                    return
                output.seek(0)
                header, *batches = _received(output)
            if isinstance(header, tuple):
                self._result = (header, batches)
        finally:
            self._done.set()


def _memory_file() -> IO[bytes]:
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("sachstand-prefold", os.MFD_CLOEXEC), "w+b")
    return tempfile.TemporaryFile()


_CHUNK = 4 << 20  # bytes a read: a few reads (each lets the store's read take the interpreter back, see above),
# and not all 40 MB at 50,000 motions at once beside what they hold (the dashboard's peak memory)


def _received(output: IO[bytes]) -> list[Any]:
    """What the child sent: its values in order, as far as they came whole; [None] if nothing came."""
    values, pending = [], bytearray()
    while chunk := output.read(_CHUNK):
        pending += chunk
        at = 0
        while at + _LENGTH.size <= len(pending):
            (length,) = _LENGTH.unpack_from(pending, at)
            if at + _LENGTH.size + length > len(pending):
                break
            at += _LENGTH.size + length
            values.append(marshal.loads(pending[at - length : at]))
        del pending[:at]
    return values or [None]


def prefolded(store: Any, folded: Folded) -> Iterator[tuple[str, Motion, bytes]]:
    """The store's models whose haystacks the child folded, each with its key and haystack: those built from
    the line the child read (the same version of the file, the same start). Reads the store's own record of
    what each model was built from (store/store.py, which is at its size limit)."""
    version, batches = folded
    models: Mapping[str, Motion] = store._models
    built_from: Mapping[str, Any] = store._built_from
    for keys, starts, texts in batches:
        for key, start, text in zip(keys, starts, texts):
            line = built_from.get(key)
            if isinstance(line, Line) and line.start == start and line.file.version == version:
                yield key, models[key], text
