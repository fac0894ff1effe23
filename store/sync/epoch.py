"""Noticing a sync server that lost writes it had confirmed (restored from a backup), and sending them again.

The server's ``/info`` names its ``id`` (made with its data file's first write) and its ``epoch`` (new
whenever the server finds its data file went back to an older copy), and every cursor it gives starts
with them (``<id>.<epoch>@``); see docs/sync-protocol.md. So the cursor this copy stored with its last
pull says which server it agreed with, and a sync costs no extra write to remember it. At the start of
each sync the two are compared. Another id or epoch, or a server with no data at all while this copy
has agreed documents with it, means the server lacks documents and revisions this copy agreed with it.
Then every synced document is compared with the server's copy, and its bookkeeping set so that the
ordinary sync that follows gives up nothing this copy holds; the user is told:

- the server has an older revision than the one agreed (it lost writes), as restored or with the agreed
  content: the server's copy becomes the base, so everything this copy has over it is pushed again;
- the server does not have it at all: it is pushed again as new;
- the server has the agreed revision or a later one with other content, or an older one with other
  content written in its new epoch (``seq`` above the ``since`` of /info: after the restore, by someone
  who may not have had the lost writes): which side is newer cannot be told, so the pull merges it
  without a base and every field the two differ in becomes a conflict for a person, keeping this copy's;
- otherwise (the server has what was agreed) nothing changes.

The server starts the changes feed over for a cursor of another epoch: documents others wrote since the
restore may sit at positions the old cursor has passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

from store import changes as changeset
from store.edit import Doc
from store.file.documents import Line, stored
from store.i18n import Notice, add_catalog, plural
from store.store import Store
from store.sync.http import Api
from store.sync.state import base_of, pushed_form

Feed = Callable[[], Iterable[tuple[str, int, Doc, int, str]]]  # the server's whole feed: id, rev, document, seq, by


def rejoin_if_restored(store: Store, api: Api, remote: str, feed: Feed) -> Notice | None:
    """Before a sync: if the server lost what it had confirmed, prepare to send it again and say so."""
    info = api.request("GET", "/info")
    seen = _identity(info)
    if seen is None:
        return None  # a server that does not say who it is (an older one): nothing to compare
    agreed, at, _position = (store.sync_cursor(remote) or "").partition("@")
    moved = bool(at) and ":" not in agreed and agreed != seen  # the server last pulled from is not this one
    emptied = not seen and _any_synced(store.documents())
    if not (moved or emptied):
        return None
    since = info.get("since") if isinstance(info.get("since"), int) else 0
    server: dict[str, tuple[int, Doc, bool]] = {}
    server.update((doc_id, (rev, doc, seq > since)) for doc_id, rev, doc, seq, _by in feed())
    resent = 0
    with store.transaction() as tx:
        for doc_id in list(store.documents()):
            document = tx.document(doc_id) or {}
            synced, base = document.get("synced"), base_of(document)
            if not synced or base is None:
                continue  # never agreed with the server: the push sends it anyway
            rev, theirs, written_since = server.get(doc_id, (0, None, False))
            if theirs is None:
                tx.set_sync_meta(doc_id, synced=None)
            elif rev < synced["rev"] and not (written_since and changeset.diff(base, theirs)):
                tx.set_sync_meta(doc_id, synced={"rev": rev, "base": pushed_form(theirs), "dirty": True})
            elif changeset.diff(base, theirs):
                tx.set_sync_meta(doc_id, synced={"rev": 0, "base": {}, "dirty": True})  # a rev no pull has
            else:
                continue
            resent += 1
    if not resent:
        return None  # the server has all this copy agreed with it (e.g. a restore older than nothing here)
    message = plural(
        "The sync server {url} went back to an older copy of its data (restored from a backup?) and "
        "lacks changes it had confirmed: {count} motion is sent again or shown as a conflict.",
        "The sync server {url} went back to an older copy of its data (restored from a backup?) and "
        "lacks changes it had confirmed: {count} motions are sent again or shown as conflicts.",
        resent,
    )
    return Notice(message, {"url": remote, "count": resent})


def _any_synced(documents: MutableMapping[str, Doc]) -> bool:
    """Whether any document was agreed with a sync server. A line without the key is not read as a document:
    at 50,000 motions never synced, parsing each before the first push kept the server waiting 0.4 s (the
    push reads them anyway, while the server works on its first body)."""
    for doc_id, value in stored(documents).items():
        line = value.read() if isinstance(value, Line) and "synced" not in (value.patch or {}) else b""
        if line and b'"synced"' not in line:
            continue  # no key "synced" in it (nor in its patch): this program writes each key as its name in quotes
        if documents[doc_id].get("synced"):
            return True
    return False


def _identity(info: Any) -> str | None:
    """The server's lineage as its cursors carry it ("<id>.<epoch>"; "" while it has no data)."""
    if not isinstance(info, dict) or not isinstance(info.get("id"), str) or not isinstance(info.get("epoch"), str):
        return None
    return f"{info['id']}.{info['epoch']}" if info["id"] else ""


add_catalog(
    "de",
    {
        "The sync server {url} went back to an older copy of its data (restored from a backup?) and "
        "lacks changes it had confirmed: {count} motions are sent again or shown as conflicts.": (
            "Der Sync-Server {url} ist zu einer älteren Kopie seiner Daten zurückgekehrt (aus einer "
            "Sicherung wiederhergestellt?) und es fehlen ihm bestätigte Änderungen: {count} Anträge werden "
            "erneut gesendet oder als Konflikte gezeigt."
        ),
        "The sync server {url} went back to an older copy of its data (restored from a backup?) and "
        "lacks changes it had confirmed: {count} motion is sent again or shown as a conflict.": (
            "Der Sync-Server {url} ist zu einer älteren Kopie seiner Daten zurückgekehrt (aus einer "
            "Sicherung wiederhergestellt?) und es fehlen ihm bestätigte Änderungen: {count} Antrag wird "
            "erneut gesendet oder als Konflikt gezeigt."
        ),
    },
)
