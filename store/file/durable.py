"""The few OS calls that durable writes of the data file and its journal share."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from itertools import islice
from pathlib import Path


def write_all(descriptor: int, data: bytes, offset: int = 0) -> None:
    """Write all of ``data`` at ``offset``: one ``pwrite`` may write less than it was given."""
    view = memoryview(data)
    while view:
        written = os.pwrite(descriptor, view, offset)
        view, offset = view[written:], offset + written


def write_parts(descriptor: int, parts: Iterable[bytes]) -> None:
    """Write ``parts`` one after the other at the descriptor's position, a batch of them a call (``writev``),
    each batch taken from ``parts`` only then: a whole data file's lines joined first, or made all before the
    first was written, took a buffer as large as the file, whose pages the system then had to provide afresh
    (a whole write at 50,000 motions spent 0.2 to 0.7 s on it)."""
    parts = iter(parts)
    while chunk := list(islice(parts, _BATCH)):
        written = os.writev(descriptor, chunk) if hasattr(os, "writev") else 0  # not on every system
        if written < sum(map(len, chunk)):  # one call may write less than it was given: the rest, as it comes
            rest = memoryview(b"".join(chunk))[written:]
            while rest:
                rest = rest[os.write(descriptor, rest) :]


_BATCH = 1024  # buffers a writev call takes: the least IOV_MAX of the systems Sachstand runs on


def sync_data(descriptor: int) -> None:
    """Flush a file's data and size to disk: fdatasync where there is one (Linux), else fsync (macOS)."""
    getattr(os, "fdatasync", os.fsync)(descriptor)


def copy_mode(descriptor: int, source: Path) -> None:
    """Give a new file ``source``'s permissions, if it exists: a group sharing the store keeps write access."""
    with contextlib.suppress(FileNotFoundError):
        os.fchmod(descriptor, stat.S_IMODE(os.stat(source).st_mode))


def fsync_folder(folder: Path) -> None:
    """Make a created, renamed or replaced name in ``folder`` survive a crash."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
