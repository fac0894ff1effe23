"""The documents of a sync's pull (store/sync/client.py): as the changes feed gives them, and validated.

A server is trusted no more than a file: every document a pull writes is validated as a file's is, on the
model's careful path, and only the motion is kept (:func:`valid`). The pull validates a page's documents
while its next page is on its way (:func:`prepared`), instead of in the transaction that writes them, which
took every fifth page: at 50,000 motions the pull waited two seconds for pages and then validated them.
Only the documents it is to write are validated: most of a pull after a push are this copy's own, agreed
already. Which those are, :func:`taken` says, before the transaction and in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from store.edit import Doc, exchanged
from store.errors import BadInput, SachstandError
from store.model import Motion
from store.store import Store
from store.sync.http import shown


class Pulled(NamedTuple):
    """A document of the changes feed, of the right shape; validated when it is to be written (:func:`valid`)."""

    id: str
    rev: int
    doc: Doc  # as the server sent it
    seq: int = 0  # the server's write counter when it was written (0 from a server that does not say)
    by: str = ""  # who wrote it on the server ("" from a server that does not say): the history names them
    withdrawn: bool = False  # the token may no longer read it (doc is {}): the copy here goes
    checked: tuple[Doc, Motion] | None = None  # valid(doc), if it was found before the transaction


def valid(doc: Doc, doc_id: str) -> tuple[Doc, Motion]:
    """A server's document validated as a file's is, on the model's careful path (limits, items, plain
    text), and as this program writes it: nothing else the server put beside the motion is kept."""
    return exchanged(doc, shown(doc_id))


def checked(pulled: Pulled) -> tuple[Doc, Motion]:
    """The pulled document validated: as found ahead of the transaction, or now."""
    return pulled.checked or valid(pulled.doc, pulled.id)


def taken(document: Doc | None, pulled: Pulled) -> bool:
    """Whether the pull writes ``pulled`` (not a withdrawal) over the local ``document`` (None if there is none)."""
    if document is None or document.get("withdrawn"):
        return not pulled.doc.get("deleted")  # never seen here and gone there: nothing to write
    synced = document.get("synced") or {}
    # Agreed already (e.g. our own push coming back); no base: agreed on the motion as it stands.
    return not (synced.get("rev") == pulled.rev and synced.get("base", synced) is not None)


def prepared(store: Store, results: list[Pulled]) -> list[Pulled]:
    """``results`` with each document the pull is to write, as the store is now, validated. One that does
    not validate is left to the transaction, which refuses it as it would have (nothing of its pages written);
    one the store changed meanwhile the transaction decides again; so is all if the store cannot be read."""
    try:
        documents: Mapping[str, Doc] = store.documents()
        return [
            _checked_ahead(pulled) if not pulled.withdrawn and taken(documents.get(pulled.id), pulled) else pulled
            for pulled in results
        ]
    except SachstandError:  # the transaction says what, as it would have
        return results


def _checked_ahead(pulled: Pulled) -> Pulled:
    try:
        # Made as the tuple it is, not by _replace(): that took 4 % of a full pull's main thread.
        return Pulled(*pulled[:-1], checked=valid(pulled.doc, pulled.id))  # checked: the last field
    except BadInput:  # said by the transaction
        return pulled
