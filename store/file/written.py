"""The lines a handle's own whole write gave its models, found without reading them: for the models' cache.

The models' cache (store/modelcache.py) keeps each model with the line it was built from. A handle that
wrote the data file whole with models it had not built from lines (a first pull of 50,000 motions, a large
import) holds them as staged, not as read, and a start after it parsed and checked every line again: at
50,000 motions 4 to 6 s before every key worked, the longest start a person meets, right after their first
sync. The file it wrote holds each model's document on the line its sidecar names (store/file/offsets.py),
so the lines are found where the sidecar says, unread, and the models kept with them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from store.file.documents import Line, Stored, read_by_line, stored
from store.file.names import StoreFiles
from store.file.offsets import MOTIONS

if TYPE_CHECKING:
    from store.file.storage import Signature
    from store.model import Motion


def lines_written(
    files: StoreFiles, written: Signature | None, models: Mapping[str, Motion]
) -> dict[str, Stored] | None:
    """The line of each of ``models`` in the data file a whole write of them wrote (``written``: the file's signature
    then), each with what a read learns of it (its reference; not deleted); None if the data file is another now
    (another process wrote it since), or is not laid out a line a motion, or a model has no line in it."""
    if written is None or written.partial:
        return None
    try:
        with open(files.data, "rb") as handle:
            status = os.fstat(handle.fileno())
            if (status.st_ino, status.st_size, status.st_mtime_ns) != written[:3]:
                return None
            tables = read_by_line(handle, dict, files)  # from the sidecar the write left: no line is read
    except OSError:
        return None
    lines = stored(tables.get(MOTIONS, {})) if tables is not None else {}
    found: dict[str, Stored] = {}
    for key, motion in models.items():
        line = lines.get(key)
        if type(line) is not Line:
            return None
        line.reference, line.deleted, line.learnt = motion.reference, False, True  # as a read would learn them
        found[key] = line
    return found
