"""What the dashboard shows of a large store before it has read it (it reads it in a thread meanwhile): the motion
list from the index beside the data file (store/file/index.py), and the highlighted motion read alone, as a
one-motion command reads it (store/file/offsets.py). Neither reads the whole file, and neither keeps anything in
the store's handle: its first read reads as it would have."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from store.edit import MOTIONS, Doc
from store.errors import StoreFileError
from store.file.index import MotionSummary, Preview, brought_forward, read_index
from store.file.protocol import DataFile
from store.model import Motion

Validated = Callable[[Doc, str], Motion]  # a document's motion, checked as the store checks it (Store._validated)


def preview(data: DataFile, path: Path, min_size: int, head: int | None, validated: Validated) -> Preview | None:
    """The motion list from the index, brought forward by the journal; with ``head``, only the list's first motions,
    at most that many. None when there is no usable index, or when the data file is smaller than ``min_size`` bytes
    (and reading it costs less)."""
    try:
        if path.stat().st_size < min_size:
            return None
    except OSError:
        return None
    peeked = data.peek()
    found = read_index(path, peeked[0], head) if peeked else None
    if peeked is None or found is None:
        return None
    base, records = peeked
    if found[0] > (records[-1]["generation"] if records else base.generation):
        return None  # an index ahead of the files it names: not of these files
    written = ((record["generation"], record["tables"].get(MOTIONS, {})) for record in records)
    try:
        return brought_forward(found, written, lambda doc, doc_id: MotionSummary.of(validated(doc, doc_id)))
    except StoreFileError:
        return None  # reading the store will say what is wrong with it


def glance(data: DataFile, motion_id: str, validated: Validated) -> Motion | None:
    """The motion ``motion_id`` as the file and its journal have it now, read alone; None where that would take
    reading the whole file (no offsets sidecar for this version of the file), and for a motion that is not there,
    deleted or not readable (reading the store will say what is wrong with it)."""
    document = ((data.glance(motion_id) or {}).get(MOTIONS) or {}).get(motion_id)
    if document is None or document.get("deleted"):
        return None
    try:
        return validated(document, motion_id)
    except StoreFileError:
        return None
