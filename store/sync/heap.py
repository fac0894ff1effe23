"""The cycle collector after a sync's large writes, on the client and on the file server.

A full push or pull makes every document of the store anew (hundreds of objects each), with the
collector paused (store/file/bulk.py). Once it runs again it walks them all, first as young objects,
then again as old ones, and again on every full collection after: at 50,000 motions a second of the
file server's CPU in a full push and as much in the pull after it, about half a second of the
client's. The documents are the store's and live as long as it does, and none is in a cycle
(reference counting frees a replaced one as ever), so after a large write they are frozen:
``gc.freeze()`` moves every object alive into the generation the collector never walks. Only after
a large write: a frozen object that later becomes garbage in a cycle is never freed, and the few a
request makes are not worth that risk where a write of a few documents leaves little to walk.
"""

from __future__ import annotations

from store.file.bulk import frozen_alive

MANY = 1000  # documents written at once from which they are frozen (a full sync's pages and bodies are larger)


def settle(written: int) -> None:
    """After a write of ``written`` documents: if they are many, freeze what is alive (see the module's doc)."""
    if written >= MANY:
        frozen_alive()
