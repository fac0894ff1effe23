"""The sync client's HTTP: the client (timeouts, retries, TLS) and one request to the sync server,
with its failures told as :class:`SyncError` (docs/sync-protocol.md)."""

from __future__ import annotations

import contextlib
import copy
import functools
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any, TypeVar

import httpx
import orjson

from store import http
from store.errors import SyncError
from store.i18n import add_catalog
from store.values import CONTROL_IN_LINE

CONNECT_TIMEOUT = 5.0  # seconds
READ_TIMEOUT = 30.0  # seconds without a byte; a server sending one byte a second never trips it, so:
DEADLINE = 120.0  # seconds for one request, from sending it to the last byte of its answer
SHOWN = 300  # characters of a server's own text (an error message, a document id) that a message shows
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


T = TypeVar("T")


def in_daemon_thread(call: Callable[[], T], name: str) -> Future[T]:
    """``call()`` in a daemon thread of its own, its result (or error) in the future: quitting never
    waits for it, however long a connect to a server that drops packets takes."""
    answer: Future[T] = Future()

    def run() -> None:
        if not answer.set_running_or_notify_cancel():  # cancelled before it began; once running, it cannot be
            return
        try:
            answer.set_result(call())
        except BaseException as error:  # raised again where the answer is waited for
            answer.set_exception(error)

    threading.Thread(target=run, name=name, daemon=True).start()
    return answer


def shown(text: object) -> str:
    """A server's text as a message may show it: control characters and escape codes made visible
    (``\\x1b``), so none reaches the terminal, and at most SHOWN characters."""
    if type(text) is str and len(text) <= SHOWN and text.isprintable():  # every id a pull validates: no search
        return text  # CONTROL_IN_LINE matches only characters that are not printable
    visible = CONTROL_IN_LINE.sub(lambda found: ascii(found.group())[1:-1], str(text))
    return visible if len(visible) <= SHOWN else visible[: SHOWN - 3] + "..."


def invalid(url: str, detail: object) -> SyncError:
    """The error for an answer that is not as the protocol says; ``detail`` (a server's text, or an
    error that says itself) shown escaped."""
    if hasattr(detail, "render"):  # a document the model refused: its error names the place and ends a sentence
        return SyncError("{url}: the server sent a document that is not valid: {detail}", url=url, detail=detail)
    return SyncError("{url}: the server's answer is not valid: {detail}.", url=url, detail=shown(detail))


class Api:
    """The sync server's HTTP API: requests with retries, answers read up to a limit and within a
    deadline, and parsed."""

    def __init__(
        self,
        client: httpx.Client,
        remote: str,
        token: str,
        *,
        attempts: int,
        backoff: float,
        max_response: int,
        deadline: float = DEADLINE,
    ) -> None:
        self._client, self._remote, self._token = client, remote, token
        self.remote = remote
        self._attempts, self._backoff, self._max, self._deadline = max(1, attempts), backoff, max_response, deadline
        # The sockets of the connections this API's requests opened (a sync makes its client, so that
        # is every connection its requests use), for _cut_off.
        self._sockets: list[socket.socket] = []
        self._aborted = False

    def at(self, remote: str) -> Api:
        """This API's client, token and limits at another address (the one a discovery document names)."""
        moved = copy.copy(self)
        moved._remote = moved.remote = remote
        moved._sockets = []
        return moved

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        missing_ok: bool = False,
    ) -> Any:
        """One request (``content``: a JSON body, already serialised), retried on 5xx; the parsed answer
        (None for a 404 if ``missing_ok``: an endpoint an older server does not have)."""
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
        if status == 404 and missing_ok:
            return None
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
            raise invalid(url, f"HTTP {status}")
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise invalid(url, f"not JSON ({error})") from None

    def _once(
        self, method: str, url: str, params: Mapping[str, Any] | None, content: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        """One request and its whole answer, or a SyncError; cut off at the deadline however the server trickles."""
        late = threading.Event()
        watch = threading.Timer(self._deadline, self._cut_off, args=(late,))
        watch.daemon = True
        watch.start()
        try:
            status, data = self._exchange(method, url, params, content, headers)
        except httpx.TimeoutException:
            raise SyncError("{url}: no answer in time.", url=url) from None
        except (httpx.ConnectError, httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            if late.is_set():
                raise _too_slow(url, self._deadline) from None
            raise SyncError(
                "{url}: cannot reach the server ({detail}).",
                url=self._remote,
                detail=shown(str(error) or type(error).__name__),
            ) from None
        except httpx.HTTPError as error:  # broken off mid-answer (by us at the deadline, too), protocol errors
            if late.is_set():
                raise _too_slow(url, self._deadline) from None
            raise invalid(url, str(error) or type(error).__name__) from None
        finally:
            watch.cancel()
        if late.is_set():  # an answer that ends with its connection may look whole when cut off
            raise _too_slow(url, self._deadline)
        return status, data

    def _exchange(
        self, method: str, url: str, params: Mapping[str, Any] | None, content: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        extensions = {"trace": self._trace}
        with self._client.stream(
            method, url, params=params, content=content, headers=headers, extensions=extensions
        ) as response:
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

    def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore's trace of a request: keeps the socket of each connection opened, for _cut_off."""
        if event == "connection.connect_tcp.complete":
            found = info["return_value"].get_extra_info("socket")
            if isinstance(found, socket.socket):
                self._sockets = [*(known for known in self._sockets if known.fileno() != -1), found]
                if self._aborted:  # connected just after abort() looked
                    self.abort()

    def _cut_off(self, late: threading.Event) -> None:
        """At the deadline (in the timer's thread): end the request, which then says why."""
        late.set()
        self._shut()

    def abort(self) -> None:
        """From any thread: a request under way, or made from now on, fails at once with a SyncError."""
        self._aborted = True
        self._shut()

    def _shut(self) -> None:
        """Shut the connections down, which wakes a read waiting for the server's next byte. httpx has
        no deadline of its own, and closing a socket would not wake a read waiting on it."""
        for connection in self._sockets:
            with contextlib.suppress(OSError):  # closed already
                connection.shutdown(socket.SHUT_RDWR)


def _too_large(url: str, limit: int) -> SyncError:
    return invalid(url, f"larger than {limit} bytes")


def _too_slow(url: str, seconds: float) -> SyncError:
    return SyncError("{url}: no complete answer within {seconds} seconds.", url=url, seconds=seconds)


def _error_message(data: bytes) -> str:
    try:
        message = orjson.loads(data)["error"]["message"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return "-"
    return shown(message)


add_catalog(
    "de",
    {
        "{url}: the server refused the token (HTTP 401). Check the token (sachstand sync --token, or SACHSTAND_TOKEN).": "{url}: der Server hat das Token abgelehnt (HTTP 401). Bitte das Token prüfen (sachstand sync --token oder SACHSTAND_TOKEN).",
        "{url}: the server failed (HTTP {status}; tried {attempts} times).": "{url}: Fehler auf dem Server (HTTP {status}; {attempts} Versuche).",
        "{url}: the server refused the request (HTTP {status}): {detail}": "{url}: der Server hat die Anfrage abgelehnt (HTTP {status}): {detail}",
        "{url}: the server's answer is not valid: {detail}.": "{url}: die Antwort des Servers ist ungültig: {detail}.",
        "{url}: the server sent a document that is not valid: {detail}": "{url}: der Server hat ein ungültiges Dokument gesendet: {detail}",
        "{url}: no answer in time.": "{url}: keine Antwort in der vorgesehenen Zeit.",
        "{url}: no complete answer within {seconds} seconds.": "{url}: keine vollständige Antwort innerhalb von {seconds} Sekunden.",
        "{url}: cannot reach the server ({detail}).": "{url}: Server nicht erreichbar ({detail}).",
    },
)
