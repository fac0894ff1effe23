"""Finding a sync server's API from its address (docs/sync-protocol.md, "Discovery").

A user may give the server as it is announced (``http://host:8750``) or its API (``…/api/v1``). An
address that ends in ``/api/v<N>`` is the API itself and is used as given, without a request;
any other is read as the server's root, whose discovery document names where the API of protocol
version 1 is. So a server behind a path prefix (``https://rat.example/sachstand``) is found as well.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from store.errors import SyncError
from store.i18n import add_catalog
from store.sync.http import Api

VERSION = 1  # the protocol version this client speaks
_VERSIONED = re.compile(r"/api/v\d+$")


def api_of(root: Api) -> Api:
    """The API ``root`` leads to: ``root`` itself if its URL names an API version, else the one its
    discovery document names. A SyncError says what to give when there is no such document."""
    if _VERSIONED.search(root.remote):
        return root
    try:
        document = root.request("GET", "/")
    except SyncError as error:
        status = error.params.get("status")
        if not (isinstance(status, int) and 400 <= status < 500):  # unreachable, failing, too slow: as it is
            raise
        document = None  # not found there: some other site, or a server older than discovery
    path = _api_path(document)
    api = urljoin(root.remote + "/", path).rstrip("/") if path is not None else ""
    if urlsplit(api)[:2] != urlsplit(root.remote)[:2]:  # the token goes only where the user sent it
        raise SyncError(
            "{url}: no Sachstand sync server answers there (no discovery document). Give the server's "
            "address (http://host:8750) or its API (ending in /api/v1).",
            url=root.remote,
        )
    return root.at(api)


def _api_path(document: Any) -> str | None:
    """Where the document says the API of our version is; None if it is no discovery document or
    offers no version we speak."""
    found = document.get("sachstand") if isinstance(document, dict) else None
    if not isinstance(found, dict) or not isinstance(found.get("api"), str) or not found["api"].isprintable():
        return None
    versions = found.get("versions")
    if not isinstance(versions, list) or VERSION not in versions:
        return None
    return found["api"] if len(found["api"]) <= 200 else None


add_catalog(
    "de",
    {
        "{url}: no Sachstand sync server answers there (no discovery document). Give the server's "
        "address (http://host:8750) or its API (ending in /api/v1).": "{url}: dort antwortet kein "
        "Sachstand-Sync-Server (kein Discovery-Dokument). Bitte die Adresse des Servers (http://host:8750) "
        "oder seine API (endet auf /api/v1) angeben.",
    },
)
