"""The sync client's HTTP: the client (timeouts, retries, TLS) and one request to the sync server,
with its failures told as :class:`SyncError` (docs/sync-protocol.md)."""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Mapping
from typing import Any

import httpx
import orjson

from store import http
from store.errors import SyncError
from store.i18n import add_catalog

CONNECT_TIMEOUT = 5.0  # seconds
READ_TIMEOUT = 30.0
USER_AGENT = "sachstand (sync client; python-httpx)"


def make_client(
    token: str,
    *,
    ca: str | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
) -> httpx.Client:
    """An HTTP client for the sync server: explicit timeouts, connect retries, TLS verified (against ``ca`` if given).

    Unlike the OParl client it takes no proxy from the environment and follows no redirect: the
    token goes to the server named in the config and nowhere else.
    """
    return http.client(
        user_agent=USER_AGENT,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        headers={"Authorization": f"Bearer {token}"},
        verify=_tls_context(ca),
    )


@functools.lru_cache(maxsize=8)
def _tls_context(ca: str | None) -> ssl.SSLContext:
    """Made once per CA bundle and shared: loading the certificates took 25 ms of every sync, a
    quarter of a one-edit round trip's goal. (A CA file changed on disk counts from the next start.)"""
    return ssl.create_default_context(cafile=ca) if ca else httpx.create_ssl_context()


class Api:
    """The sync server's HTTP API: requests with retries, answers read up to a limit and parsed."""

    def __init__(
        self, client: httpx.Client, remote: str, token: str, *, attempts: int, backoff: float, max_response: int
    ) -> None:
        self._client, self._remote, self._token = client, remote, token
        self.remote = remote
        self._attempts, self._backoff, self._max = max(1, attempts), backoff, max_response

    def request(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, content: bytes | None = None
    ) -> Any:
        """One request (``content``: a JSON body, already serialised), retried on 5xx; the parsed answer."""
        url = f"{self._remote}{path}"
        headers = {"Authorization": f"Bearer {self._token}"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(self._attempts):
            if attempt:
                time.sleep(self._backoff * 2 ** (attempt - 1))
            status, data = self._once(method, url, params, content, headers)
            if status < 500:
                break
        if status == 401:
            raise SyncError(
                "{url}: the server refused the token (HTTP 401). Check the token (sachstand sync --token, or SACHSTAND_TOKEN).",
                url=self._remote,
            )
        if status >= 500:
            raise SyncError(
                "{url}: the server failed (HTTP {status}; tried {attempts} times).",
                url=url,
                status=status,
                attempts=self._attempts,
            )
        if status >= 400:
            raise SyncError(
                "{url}: the server refused the request (HTTP {status}): {detail}",
                url=url,
                status=status,
                detail=_error_message(data),
            )
        if status != 200:
            raise SyncError("{url}: the server's answer is not valid: {detail}.", url=url, detail=f"HTTP {status}")
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise SyncError(
                "{url}: the server's answer is not valid: {detail}.", url=url, detail=f"not JSON ({error})"
            ) from None

    def _once(
        self, method: str, url: str, params: Mapping[str, Any] | None, content: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        try:
            with self._client.stream(method, url, params=params, content=content, headers=headers) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self._max:
                    raise _too_large(url, self._max)
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self._max:
                        raise _too_large(url, self._max)
                    chunks.append(chunk)
                return response.status_code, b"".join(chunks)
        except httpx.TimeoutException:
            raise SyncError("{url}: no answer in time.", url=url) from None
        except (httpx.ConnectError, httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            raise SyncError(
                "{url}: cannot reach the server ({detail}).",
                url=self._remote,
                detail=str(error) or type(error).__name__,
            ) from None
        except httpx.HTTPError as error:  # broken off mid-answer, protocol errors
            raise SyncError(
                "{url}: the server's answer is not valid: {detail}.", url=url, detail=str(error) or type(error).__name__
            ) from None


def _too_large(url: str, limit: int) -> SyncError:
    return SyncError("{url}: the server's answer is not valid: {detail}.", url=url, detail=f"larger than {limit} bytes")


def _error_message(data: bytes) -> str:
    try:
        message = orjson.loads(data)["error"]["message"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return "-"
    return str(message)[:500]


add_catalog(
    "de",
    {
        "{url}: the server refused the token (HTTP 401). Check the token (sachstand sync --token, or SACHSTAND_TOKEN).": "{url}: der Server hat das Token abgelehnt (HTTP 401). Bitte das Token prüfen (sachstand sync --token oder SACHSTAND_TOKEN).",
        "{url}: the server failed (HTTP {status}; tried {attempts} times).": "{url}: Fehler auf dem Server (HTTP {status}; {attempts} Versuche).",
        "{url}: the server refused the request (HTTP {status}): {detail}": "{url}: der Server hat die Anfrage abgelehnt (HTTP {status}): {detail}",
        "{url}: the server's answer is not valid: {detail}.": "{url}: die Antwort des Servers ist ungültig: {detail}.",
        "{url}: no answer in time.": "{url}: keine Antwort in der vorgesehenen Zeit.",
        "{url}: cannot reach the server ({detail}).": "{url}: Server nicht erreichbar ({detail}).",
    },
)
