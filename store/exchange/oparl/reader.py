"""Reading an OParl server: the HTTP client, answers fetched with bounded retries, list pages
followed through ``links.next``, referenced objects fetched once."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from store import http
from store.errors import OParlError
from store.exchange.oparl.values import url_of
from store.i18n import Said, add_catalog, translate

USER_AGENT = "sachstand (OParl client; python-httpx)"
CONNECT_TIMEOUT = 10.0  # seconds
READ_TIMEOUT = 120.0  # real endpoints take a minute or more to build a large page
ATTEMPTS = 4  # for timeouts, broken connections and 5xx answers
BACKOFF = 1.0  # seconds before the second attempt; doubles before each further one

# What one run reads at most; beyond a limit the run stops with an error naming it and the URL.
# A hostile or broken server cannot make the client read forever or fill the memory.
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # one answer (a real list page is at most a few MB)
MAX_DEPTH = 32  # nesting of arrays and objects in one answer (OParl needs about 8)
MAX_DIGITS = 100  # digits of one number in an answer
MAX_PAGES = 20_000  # list pages in one run: 100 papers a page, two million papers
MAX_OBJECTS = 1_000_000  # list entries and referenced objects in one run

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_BROKEN = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)
# What the name and date lookups need of a referenced object. Only this is cached:
# a Meeting with its agenda and files can be hundreds of kilobytes, and a run meets thousands.
_KEPT = ("id", "name", "shortName", "givenName", "familyName", "start", "organization")


class OParlWarning(Said, str):
    """A warning: its English text (what the log shows), said in another language by :meth:`render`."""

    def __new__(cls, msgid: str, /, **params: Any) -> OParlWarning:
        warning = super().__new__(cls, translate(msgid, "en", **params))
        warning.msgid, warning.params = msgid, params
        return warning


def make_client(*, connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT) -> httpx.Client:
    """An HTTP client fit for OParl servers: generous timeouts, connect retries, our User-Agent.

    It goes through the proxies the environment names, which council networks often need, and
    follows redirects (endpoints move to https and to new hosts).
    """
    return http.client(
        user_agent=USER_AGENT,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        follow_redirects=True,
        proxies=True,
    )


@dataclass(frozen=True)
class Page:
    url: str
    items: list[Any]
    next: str | None
    total: int | None


class Reader:
    """Fetches JSON with bounded retries, the pages of lists, and referenced objects (cached)."""

    def __init__(
        self, client: httpx.Client, *, attempts: int, backoff: float, warn: Callable[[OParlWarning], None]
    ) -> None:
        self._client = client
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self.warn = warn
        self._objects: dict[str, dict[str, Any] | None] = {}
        self._pages = 0  # list pages read in this run
        self._count = 0  # list entries and referenced objects read in this run

    def get(self, url: str, *, empty_if_404: bool = False) -> Any:
        answer = self._answer(url)
        if empty_if_404 and answer.status == 404:
            return []
        if answer.status in (401, 403):
            raise OParlError(
                "{url}: access refused (HTTP {status}); OParl data is public, so the URL is probably wrong.",
                url=url,
                status=answer.status,
            )
        if not 200 <= answer.status < 300:
            raise OParlError("{url}: the server answered HTTP {status}.", url=url, status=answer.status)
        return _json(url, answer)

    def _answer(self, url: str) -> _Answer:
        """The server's answer, asked again (with growing pauses) after timeouts, broken connections, 5xx and 429."""
        for attempt in range(self._attempts):
            if attempt:
                time.sleep(self._backoff * 2 ** (attempt - 1))
            try:
                answer = _read(self._client, url)
            except httpx.TimeoutException:
                failure = OParlError(
                    "{url}: the server did not answer in time (tried {attempts} times).",
                    url=url,
                    attempts=self._attempts,
                )
            except _BROKEN as error:
                failure = OParlError(
                    "{url}: the connection broke off ({detail}; tried {attempts} times).",
                    url=url,
                    detail=str(error) or type(error).__name__,
                    attempts=self._attempts,
                )
            except (httpx.HTTPError, httpx.InvalidURL) as error:
                raise OParlError(
                    "{url}: cannot connect: {detail}.", url=url, detail=str(error) or type(error).__name__
                ) from None
            else:
                if answer.status not in _RETRY_STATUS:
                    return answer
                failure = OParlError(
                    "{url}: the server answered HTTP {status} (tried {attempts} times).",
                    url=url,
                    status=answer.status,
                    attempts=self._attempts,
                )
        raise failure

    def _counted(self, url: str, objects: int, *, page: bool = False) -> None:
        """Count what this run read; past :data:`MAX_PAGES` or :data:`MAX_OBJECTS` the run stops."""
        self._pages += page
        self._count += objects
        if self._pages > MAX_PAGES:
            raise OParlError(
                "{url}: more than {limit} list pages in one run; stopped there (the list does not end).",
                url=url,
                limit=MAX_PAGES,
            )
        if self._count > MAX_OBJECTS:
            raise OParlError("{url}: more than {limit} objects in one run; stopped there.", url=url, limit=MAX_OBJECTS)

    def pages(self, url: str, since: str | None = None) -> Iterator[Page]:
        """The pages of an OParl list, following ``links.next`` until it ends or goes round in circles."""
        page_url: str | None = _resolve(url, url, since)
        visited: set[str] = set()
        seen: set[str] = set()
        while page_url:
            visited.add(page_url)
            # Quirk: an empty modified_since window answered with 404 (with or without a JSON
            # error body). Only the first page: a 404 later on would lose papers unnoticed.
            page = _page(page_url, self.get(page_url, empty_if_404=since is not None and len(visited) == 1))
            self._counted(page_url, len(page.items), page=True)
            ids = {found for item in page.items if isinstance(item, dict) and (found := url_of(item.get("id")))}
            if ids and ids <= seen:
                # Quirk: links.next leading back to pages read before, under a new URL.
                self.warn(
                    OParlWarning(
                        "{url}: the page repeats objects read before (a paging loop); stopped reading the list there.",
                        url=page_url,
                    )
                )
                return
            seen |= ids
            yield page
            page_url = self._next(page, since, visited)

    def _next(self, page: Page, since: str | None, visited: set[str]) -> str | None:
        if page.next is None:
            return None
        next_url = _resolve(page.url, page.next, since)
        if next_url in visited:
            # Quirk: links.next repeating an earlier page.
            self.warn(
                OParlWarning(
                    "{url}: links.next leads back to a page read before ({next}); stopped reading the list there.",
                    url=page.url,
                    next=next_url,
                )
            )
            return None
        return next_url

    def object(self, url: str | None) -> dict[str, Any] | None:
        """A referenced object (Organization, Person, Meeting), fetched once; None if it cannot be had."""
        if url is None:
            return None
        if url not in self._objects:
            self._counted(url, 1)
            self._objects[url] = self._fetch_object(url)
        return self._objects[url]

    def _fetch_object(self, url: str) -> dict[str, Any] | None:
        try:
            answer = self.get(url)
            if not isinstance(answer, dict):
                raise OParlError("{url}: not an OParl object.", url=url)
        except OParlError as error:
            self.warn(OParlWarning("{error} Left out.", error=error))
            return None
        kept = {key: answer[key] for key in _KEPT if key in answer}
        own_id = url_of(answer.get("id"))
        if own_id:
            # Quirk: an object's id can differ from the URL it was fetched from. Its own id is
            # its identity: remember it under that too, so a reference by the id costs no request.
            self._objects.setdefault(own_id, kept)
        return kept


@dataclass(frozen=True)
class _Answer:
    status: int
    content_type: str
    text: str


def _read(client: httpx.Client, url: str) -> _Answer:
    """One answer, read as it streams in and given up beyond :data:`MAX_ANSWER_BYTES`."""
    with client.stream("GET", url) as response:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
            raise _too_large(url)
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise _too_large(url)
            chunks.append(chunk)
        text = b"".join(chunks).decode(response.encoding or "utf-8", errors="replace")
        return _Answer(response.status_code, response.headers.get("content-type", "-"), text)


def _too_large(url: str) -> OParlError:
    return OParlError(
        "{url}: the answer is larger than {limit} bytes; stopped reading it.", url=url, limit=MAX_ANSWER_BYTES
    )


def _json(url: str, answer: _Answer) -> Any:
    def number(text: str, kind: Callable[[str], Any]) -> Any:
        if len(text) > MAX_DIGITS:
            raise OParlError("{url}: a number in the answer has more than {limit} digits.", url=url, limit=MAX_DIGITS)
        return kind(text)

    try:
        # Quirk: raw control characters inside strings (invalid JSON). strict=False takes
        # them as they are; text_of() turns them into blanks in the values we keep.
        value = json.loads(
            answer.text.lstrip("\ufeff"),
            strict=False,
            parse_int=lambda text: number(text, int),
            parse_float=lambda text: number(text, float),
        )
    except RecursionError:
        raise _too_deep(url) from None
    except json.JSONDecodeError as error:
        if "json" not in answer.content_type:
            raise OParlError(
                "{url}: the answer is not JSON (HTTP {status}, {content_type}).",
                url=url,
                status=answer.status,
                content_type=answer.content_type,
            ) from None
        raise OParlError(
            "{url}: not valid JSON ({detail}, line {line}, column {column}).",
            url=url,
            detail=error.msg,
            line=error.lineno,
            column=error.colno,
        ) from None
    _check_depth(url, value)
    return value


def _check_depth(url: str, value: Any) -> None:
    """Refuse a value nested deeper than :data:`MAX_DEPTH`; walked without recursion."""
    level: list[Any] = [value] if isinstance(value, (dict, list)) else []
    for _depth in range(MAX_DEPTH):
        level = [
            inner
            for outer in level
            for inner in (outer.values() if isinstance(outer, dict) else outer)
            if isinstance(inner, (dict, list))
        ]
        if not level:
            return
    raise _too_deep(url)


def _too_deep(url: str) -> OParlError:
    return OParlError("{url}: the answer is nested deeper than {limit} levels.", url=url, limit=MAX_DEPTH)


def _page(url: str, answer: Any) -> Page:
    """A list page, whatever shape the server gave it."""
    if isinstance(answer, list):
        # Quirk: a bare JSON array instead of a list page (`[]` for an empty modified_since window).
        return Page(url, answer, None, None)
    if isinstance(answer, dict) and "data" not in answer and url_of(answer.get("id")):
        # Quirk: a list URL answered with a single object.
        return Page(url, [answer], None, None)
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
        raise OParlError("{url}: not an OParl list page (no data list).", url=url)
    links = answer.get("links")
    pagination = answer.get("pagination")
    total = pagination.get("totalElements") if isinstance(pagination, dict) else None
    return Page(
        url,
        answer["data"],
        url_of(links.get("next")) if isinstance(links, dict) else None,
        total if isinstance(total, int) else None,
    )


def _resolve(base: str, link: str, since: str | None) -> str:
    """``link`` made absolute against ``base``, carrying the filter ``modified_since=since`` if one is asked for."""
    try:
        url = httpx.URL(base).join(link)
        if since is not None and "modified_since" not in url.params:
            # Set as a parameter, so that the "+" of a time zone is sent as %2B, not read as a blank.
            # Quirk: links.next dropping the filter would turn the rest of the run into a full
            # download (and old papers into news); this puts it back. Other parameters of the
            # first URL are not carried over: they may be the paging itself.
            url = url.copy_set_param("modified_since", since)
    except httpx.InvalidURL as error:
        raise OParlError("{url}: unusable link {link} ({detail}).", url=base, link=link, detail=str(error)) from None
    return str(url)


add_catalog(
    "de",
    {
        "{url}: access refused (HTTP {status}); OParl data is public, so the URL is probably wrong.": "{url}: Zugriff verweigert (HTTP {status}); OParl-Daten sind öffentlich, die URL ist wohl falsch.",
        "{url}: the server answered HTTP {status}.": "{url}: der Server antwortete mit HTTP {status}.",
        "{url}: the server did not answer in time (tried {attempts} times).": "{url}: der Server antwortete nicht rechtzeitig ({attempts} Versuche).",
        "{url}: the connection broke off ({detail}; tried {attempts} times).": "{url}: die Verbindung brach ab ({detail}; {attempts} Versuche).",
        "{url}: cannot connect: {detail}.": "{url}: keine Verbindung möglich: {detail}.",
        "{url}: the server answered HTTP {status} (tried {attempts} times).": "{url}: der Server antwortete mit HTTP {status} ({attempts} Versuche).",
        "{url}: the page repeats objects read before (a paging loop); stopped reading the list there.": "{url}: die Seite wiederholt schon gelesene Objekte (eine Blätter-Schleife); die Liste wurde hier nicht weiter gelesen.",
        "{url}: links.next leads back to a page read before ({next}); stopped reading the list there.": "{url}: links.next führt zu einer schon gelesenen Seite zurück ({next}); die Liste wurde hier nicht weiter gelesen.",
        "{url}: not an OParl object.": "{url}: kein OParl-Objekt.",
        "{error} Left out.": "{error} Ausgelassen.",
        "{url}: the answer is not JSON (HTTP {status}, {content_type}).": "{url}: die Antwort ist kein JSON (HTTP {status}, {content_type}).",
        "{url}: not valid JSON ({detail}, line {line}, column {column}).": "{url}: kein gültiges JSON ({detail}, Zeile {line}, Spalte {column}).",
        "{url}: not an OParl list page (no data list).": "{url}: keine OParl-Listenseite (keine data-Liste).",
        "{url}: unusable link {link} ({detail}).": "{url}: unbrauchbarer Verweis {link} ({detail}).",
        "{url}: more than {limit} list pages in one run; stopped there (the list does not end).": "{url}: mehr als {limit} Listenseiten in einem Lauf; hier abgebrochen (die Liste endet nicht).",
        "{url}: more than {limit} objects in one run; stopped there.": "{url}: mehr als {limit} Objekte in einem Lauf; hier abgebrochen.",
        "{url}: the answer is larger than {limit} bytes; stopped reading it.": "{url}: die Antwort ist größer als {limit} Bytes; das Lesen wurde abgebrochen.",
        "{url}: a number in the answer has more than {limit} digits.": "{url}: eine Zahl in der Antwort hat mehr als {limit} Ziffern.",
        "{url}: the answer is nested deeper than {limit} levels.": "{url}: die Antwort ist tiefer als {limit} Ebenen verschachtelt.",
    },
)
