"""The sync client's live request: one ``GET /changes?wait=S`` that returns once the server has a
change after the client's cursor (docs/sync-protocol.md). It only tells that there is news; what
changed is then brought in by a sync, through the one pull path (store/sync/client.py)."""

from __future__ import annotations

from concurrent.futures import Future
from functools import partial

from store.sync.http import Api, in_daemon_thread, invalid, make_client

WAIT = 25.0  # seconds the server holds a live request: below the 60 s of many reverse proxies' idle timeouts
SLACK = 10.0  # seconds the read timeout allows beyond WAIT for the answer to arrive
NEWS_BYTES = 1024 * 1024  # a page of one document, the largest a motion may be, with room


class Listener:
    """Live requests to one server, one at a time, on a connection kept open between them."""

    def __init__(self, remote: str, token: str, *, ca: str | None = None, wait: float = WAIT) -> None:
        self.remote = remote.rstrip("/")
        self.wait = wait
        self._http = make_client(token, ca=ca, read_timeout=wait + SLACK)
        # One attempt: a failed live request is the caller's cue to fall back, not to insist.
        self._api = Api(
            self._http, self.remote, token, attempts=1, backoff=0, max_response=NEWS_BYTES, deadline=wait + 2 * SLACK
        )

    def changed(self, cursor: str | None) -> bool:
        """Whether the server has a change after ``cursor``: at once if it has, else once one is
        written, else False after ``wait`` seconds. A SyncError if the server cannot be reached."""
        params = {"wait": f"{self.wait:g}", "limit": "1", **({"since": cursor} if cursor else {})}
        page = self._api.request("GET", "/changes", params=params)
        if not (isinstance(page, dict) and isinstance(page.get("results"), list)):
            raise invalid(f"{self.remote}/changes", "expected results")
        return bool(page["results"])

    def ask(self, cursor: str | None) -> Future[bool]:
        """:meth:`changed` in a daemon thread of its own: a program that quits never waits for it."""
        return in_daemon_thread(partial(self.changed, cursor), "sachstand live")

    def close(self) -> None:
        """From any thread: a live request under way ends at once (with a SyncError), and no other starts."""
        self._api.abort()
        self._http.close()
