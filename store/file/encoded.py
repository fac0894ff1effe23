"""The documents a bulk (a sync: store.Store.bulk) wrote, kept as the bytes of its journal lines, so that the
whole write after the bulk does not serialise them again.

A full push of 50,000 motions writes every document anew (its sync bookkeeping changed), a full pull every
one it took: each went into a journal line, and the whole write after the bulk serialised all of them a
second time (0.6 s of CPU at 50,000, after the server's last answer, while the user waits). Now a document
written in a bulk is serialised once, for its journal line (as an ``orjson.Fragment`` of those bytes: the
line is the same), and its bytes are kept beside the document itself, found by its identity. A stored
document is never changed in place (the rule of store/edit.py's Transaction: a change is a new document),
so while the table holds that very object, those are its bytes.

They are kept until the next whole write takes them, a write outside a bulk, or the storage forgetting its
tables: a bulk that wrote an eighth of the file or more is followed by a whole write (its compaction), and
a smaller one holds at most that share until the next edit.
"""

from __future__ import annotations

from typing import Any

import orjson

from store.file.offsets import Kept


class Encoded:
    """The bytes of the documents a bulk wrote, each with the document they are of."""

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Any, bytes]] = {}

    def journaled(self, data: dict[str, Any], changed: dict[str, set[str]], *, bulk: bool) -> dict[str, Any]:
        """The documents of ``data`` a transaction ``changed``, by table (None: removed), for its journal line.
        In a ``bulk`` each is serialised here and kept, and stands in the line as those bytes; outside one they
        are as they are, and whatever was kept is let go (its bulk's whole write is past or was not due)."""
        documents = {name: {key: data.get(name, {}).get(key) for key in keys} for name, keys in changed.items()}
        if not bulk:
            self._kept.clear()
            return documents
        for table in documents.values():
            for key, document in table.items():
                if document is not None:
                    content = orjson.dumps(document)
                    self._kept[id(document)] = (document, content)
                    table[key] = orjson.Fragment(content)
        return documents

    def taken(self, tables: dict[str, Any]) -> dict[str, Any]:
        """The tables to write whole (each made ``writable`` by store/file/documents.py) with every document
        kept here as its bytes (offsets.Kept); what was kept is let go, as the file will hold it."""
        kept, self._kept = self._kept, {}
        if not kept:
            return tables
        return {
            name: {key: _as_kept(document, kept) for key, document in table.items()} for name, table in tables.items()
        }

    def clear(self) -> None:
        self._kept.clear()


def _as_kept(document: Any, kept: dict[int, tuple[Any, bytes]]) -> Any:
    found = kept.get(id(document)) if type(document) is dict else None  # held there: its id is its own
    if found is None:
        return document
    return Kept(found[1], document.get("reference"), document.get("deleted"))
