"""Parts of a document's line read without parsing the line: its motion (the part before its history), the
``seq`` of each entry of its history, and the line as it is (store/file/documents.py holds the lines).

A file laid out as this program wrote it (its sidecar says where each line lies) holds each motion document
as its motion's fields and "deleted", its history, then the bookkeeping beside the motion (store/edit.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from store.file.documents import Documents, Line, learnt, parsed, parsing_once
from store.file.journal import Doc, with_fields


def motion_part(line: Line, wanted: frozenset[str]) -> Doc | None:
    """The line's document without its history and what follows (:func:`before_history`), its patch
    aside; None where it cannot be read so. Where that part holds just the keys ``wanted``, its end is
    learnt too (:func:`part_line`)."""
    if not line.file.laid_out:
        return None
    content = line.read()
    cut = content.find(_HISTORY)  # the key itself: inside a JSON string every quote is escaped
    document = parsed(content[:cut] + b"}") if cut > 0 else None
    if document is None or not wanted <= document.keys():
        return None
    learnt(line, document)
    if len(document) == len(wanted):
        line.motion_end = cut
    return document


class PartLine(NamedTuple):
    """A document's part before its history, as its line holds it (:func:`part_line`)."""

    part: bytes  # closed as an object of its own
    line: bytes  # the whole line
    version: Line  # the stored version it was read from: the same object while the document is unchanged


def part_line(documents: Mapping[str, Doc], key: str) -> PartLine | None:
    """The document's part before its history, as this program wrote it in its line, without a parse: where its
    motion was read before (:func:`motion_part`) and found to be just the keys then wanted; None elsewhere (not
    read so, written since, or with fields the journal patched in since). A push sends a motion so, as its line
    holds it: at 50,000 motions parsing every line for it, and freeing what that made, was a third of its client."""
    value = documents.stored.get(key) if isinstance(documents, Documents) else None
    if not isinstance(value, Line) or not value.motion_end or value.patch:
        return None
    content = value.read()
    if not content.startswith(_HISTORY, value.motion_end):  # the file is gone (or no longer as learnt)
        return None
    return PartLine(content[: value.motion_end] + b"}", content, value)


def line_of(documents: Mapping[str, Doc], key: str) -> tuple[bytes, Doc]:
    """The bytes of the line the document is, as this program wrote it, and the fields the journal patched since
    (store/file/journal.py); none where the document is no line (written since) or its version of the file is gone."""
    value = documents.stored.get(key) if isinstance(documents, Documents) else None
    return (value.read(), value.patch or {}) if isinstance(value, Line) else (b"", {})


def before_history(documents: Mapping[str, Doc], key: str, wanted: frozenset[str]) -> Doc:
    """The document without its history and what is written after it (the bookkeeping beside the motion),
    where the keys ``wanted`` all come before it and its version of the file is laid out as this program wrote
    it (its sidecar says where each line lies); else the whole document.

    The store builds each model from this (store/store.py): in a store used for years the histories are
    most of each line, and the read needs none of them. A line damaged behind its motion since the file was
    written (its size kept, so that the sidecar still lays it out) is refused where it is read whole (the
    history, an edit of its motion, a sync that merges it), with the whole parse's message; a push sends a
    motion never synced as its line holds it (:func:`part_line`), its history unread."""
    value = documents.stored.get(key) if isinstance(documents, Documents) else None
    if isinstance(value, Line) and not parsing_once() and (document := motion_part(value, wanted)) is not None:
        return with_fields(document, value.patch) if value.patch else document
    return documents[key]


def history_seqs(documents: Mapping[str, Doc], key: str) -> tuple[int, ...]:
    """The ``seq`` of each entry of the document's history, in its order, for the overview's last changes:
    found in its line's bytes, without a parse (at 50,000 motions a parse of every line took 2 s), and kept
    with the line (where its file is laid out as this program wrote it: see :func:`before_history`).
    Raises as reading the history does if it is broken."""
    value = documents.stored.get(key) if isinstance(documents, Documents) else None
    if isinstance(value, Line):
        if value.seqs is None and value.file.laid_out and not (value.patch and "history" in value.patch):
            value.seqs = _scanned_seqs(value.read())
        if value.seqs is not None:
            return value.seqs
    return tuple([entry["seq"] for entry in documents[key].get("history", ())])


_HISTORY = b',"history":['  # written after the motion's fields and "deleted", before the bookkeeping (store/edit.py)
# An entry of the history as recorded (store/history.py ``recorded``): its seq and time first. No other object in
# a document begins so, and inside a JSON string every quote is escaped.
_ENTRY = re.compile(rb'[\[,]\{"seq":(\d+),"at":"')


def _scanned_seqs(content: bytes) -> tuple[int, ...] | None:
    """The seqs of the history in a line's bytes; None where it has none written so (the parse decides)."""
    cut = content.find(_HISTORY)
    return tuple([int(seq) for seq in _ENTRY.findall(content, cut)]) if cut > 0 else None
