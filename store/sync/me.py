"""Who the sync client's token is: ``GET /api/v1/me`` (docs/sync-protocol.md), kept in the store so that
the dashboard knows its role (store/sync/access.py) offline too."""

from __future__ import annotations

from store.store import Store
from store.sync.http import Api, invalid
from store.sync.state import record_who, sync_source, who_of_record


def remember_who(store: Store, api: Api, remote: str) -> None:
    """Ask the server who the token is and keep it. A server from before roles has no /me: every token
    of it is a clerk's, and nothing is kept."""
    me = api.request("GET", "/me", missing_ok=True)
    if me is None:
        return
    who = who_of_record(me)
    if who is None:
        raise invalid(f"{remote}/me", "expected user, role and departments")
    if store.source(sync_source(remote)).get("me") != who.to_dict():
        with store.transaction() as tx:
            record_who(tx, remote, who.to_dict())
