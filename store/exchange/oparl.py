"""OParl 1.0/1.1 client: the papers (Drucksachen) of a council information system.

OParl (https://oparl.org) is the open interface of German council information
systems. :func:`fetch_papers` reads the paper lists of a System or a Body and
maps each paper to plain data (:class:`OParlPaper`); making motions of them is
the importer's business.

Real endpoints bend the specification in many ways. Each bend survived here is
handled where it shows up, under a comment starting "Quirk:"; the tests serve
every one of them from a local server (tests/oparl_server.py).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
from httpx._utils import get_environment_proxies  # no public equivalent; see make_client

from store.errors import OParlError, SachstandError
from store.i18n import add_catalog, translate

USER_AGENT = "sachstand (OParl client; python-httpx)"
CONNECT_TIMEOUT = 10.0  # seconds
READ_TIMEOUT = 120.0  # real endpoints take a minute or more to build a large page
CONNECT_RETRIES = 2  # failed connects, retried at once by the transport
ATTEMPTS = 4  # for timeouts, broken connections and 5xx answers
BACKOFF = 1.0  # seconds before the second attempt; doubles before each further one

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_BROKEN = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)
# What the name and date lookups need of a referenced object. Only this is cached:
# a Meeting with its agenda and files can be hundreds of kilobytes, and a run meets thousands.
_KEPT = ("id", "name", "shortName", "givenName", "familyName", "start", "organization")
# Runs of white space and control characters (including bidi overrides) in a one-line value.
_BLANKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")

_log = logging.getLogger(__name__)


_Day = date  # the paper's field `date` hides the type inside the class


@dataclass(frozen=True)
class OParlPaper:
    """One paper as plain data; a field the server left out (or sent as "N/A") is empty."""

    id: str  # the paper's own OParl id (a URL): its identity
    name: str
    reference: str  # the Drucksachen-Nr.
    date: date | None
    paper_type: str
    web: str  # the paper's page for people, "" if none
    originators: tuple[str, ...] = ()  # names of originating organizations, then persons
    departments: tuple[str, ...] = ()  # names of the organizations in charge (underDirectionOf)
    consultations: tuple[tuple[str, _Day | None], ...] = ()  # (committee names, meeting day)
    modified: datetime | None = None  # in UTC
    deleted: bool = False


class OParlWarning(str):
    """A warning: its English text, plus message id and parameters to :meth:`render` it in another language."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> OParlWarning:
        warning = super().__new__(cls, translate(msgid, "en", **params))
        warning.msgid, warning.params = msgid, params
        return warning

    def render(self, lang: str) -> str:
        shown = {
            name: value.render(lang) if isinstance(value, SachstandError) else value
            for name, value in self.params.items()
        }
        return translate(self.msgid, lang, **shown)


def make_client(*, connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT) -> httpx.Client:
    """An HTTP client fit for OParl servers: generous timeouts (write and pool follow read), connect retries, our User-Agent."""
    # A transport of our own (for its connect retries) makes httpx ignore the proxy settings of
    # the environment, which council networks often need: mount them again, with the same retries.
    mounts: dict[str, httpx.BaseTransport | None] = {
        pattern: httpx.HTTPTransport(proxy=proxy, retries=CONNECT_RETRIES) if proxy else None
        for pattern, proxy in get_environment_proxies().items()
    }
    return httpx.Client(
        timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
        transport=httpx.HTTPTransport(retries=CONNECT_RETRIES),
        mounts=mounts,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=True,
    )


def fetch_papers(
    url: str,
    *,
    paper_types: Sequence[str] = ("Antrag",),
    modified_since: datetime | None = None,
    client: httpx.Client | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    warn: Callable[[str], None] | None = None,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF,
) -> Iterator[OParlPaper]:
    """The papers of every body of an OParl System, or of one Body, page by page.

    ``paper_types`` are compared case-insensitively and trimmed; an empty sequence
    takes every type. Deleted papers always come through (``deleted=True``), so the
    caller can mark what it imported. A paper may come twice if the list shifts while
    it is read; the later one is the newer. ``progress(done, total)`` follows each
    page: list entries read so far, and the total the server announced (summed over
    the bodies read), if it did. ``warn`` gets an :class:`OParlWarning` for everything
    skipped; without it warnings are logged. ``client`` defaults to :func:`make_client`.
    Raises :class:`OParlError` when the server or its answers cannot be used.
    """
    http = client if client is not None else make_client()
    try:
        reader = _Reader(http, attempts=attempts, backoff=backoff, warn=warn or _log.warning)
        yield from _Run(reader, paper_types, modified_since, progress).papers(url)
    finally:
        if client is None:
            http.close()


@dataclass(frozen=True)
class _Page:
    url: str
    items: list[Any]
    next: str | None
    total: int | None


class _Reader:
    """Fetches JSON with bounded retries, the pages of lists, and referenced objects (cached)."""

    def __init__(self, client: httpx.Client, *, attempts: int, backoff: float, warn: Callable[[str], None]) -> None:
        self._client = client
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self.warn = warn
        self._objects: dict[str, dict[str, Any] | None] = {}

    def get(self, url: str, *, empty_if_404: bool = False) -> Any:
        response = self._response(url)
        if empty_if_404 and response.status_code == 404:
            return []
        if response.status_code in (401, 403):
            raise OParlError(
                "{url}: access refused (HTTP {status}); OParl data is public, so the URL is probably wrong.",
                url=url,
                status=response.status_code,
            )
        if not response.is_success:
            raise OParlError("{url}: the server answered HTTP {status}.", url=url, status=response.status_code)
        return _json(url, response)

    def _response(self, url: str) -> httpx.Response:
        """The server's answer, asked again (with growing pauses) after timeouts, broken connections, 5xx and 429."""
        for attempt in range(self._attempts):
            if attempt:
                time.sleep(self._backoff * 2 ** (attempt - 1))
            try:
                response = self._client.get(url)
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
                if response.status_code not in _RETRY_STATUS:
                    return response
                failure = OParlError(
                    "{url}: the server answered HTTP {status} (tried {attempts} times).",
                    url=url,
                    status=response.status_code,
                    attempts=self._attempts,
                )
        raise failure

    def pages(self, url: str, since: str | None = None) -> Iterator[_Page]:
        """The pages of an OParl list, following ``links.next`` until it ends or goes round in circles."""
        page_url: str | None = _resolve(url, url, since)
        visited: set[str] = set()
        seen: set[str] = set()
        while page_url:
            visited.add(page_url)
            # Quirk: an empty modified_since window answered with 404 (with or without a JSON
            # error body). Only the first page: a 404 later on would lose papers unnoticed.
            page = _page(page_url, self.get(page_url, empty_if_404=since is not None and len(visited) == 1))
            ids = {found for item in page.items if isinstance(item, dict) and (found := _url(item.get("id")))}
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

    def _next(self, page: _Page, since: str | None, visited: set[str]) -> str | None:
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
        own_id = _url(answer.get("id"))
        if own_id:
            # Quirk: an object's id can differ from the URL it was fetched from. Its own id is
            # its identity: remember it under that too, so a reference by the id costs no request.
            self._objects.setdefault(own_id, kept)
        return kept


class _Run:
    """One fetch_papers call: what it asks for and how far it got."""

    def __init__(
        self,
        reader: _Reader,
        paper_types: Sequence[str],
        modified_since: datetime | None,
        progress: Callable[[int, int | None], None] | None,
    ) -> None:
        self.reader = reader
        self.types = {_text(kind).casefold() for kind in paper_types}
        self.since = None if modified_since is None else _iso(modified_since)
        self.progress = progress
        self.done = 0

    def papers(self, url: str) -> Iterator[OParlPaper]:
        for body in self._bodies(url):
            paper_list = _url(body.get("paper"))
            if paper_list is None:
                self.reader.warn(
                    OParlWarning("{url}: the body has no paper list; skipped.", url=_url(body.get("id")) or url)
                )
                continue
            yield from self._papers_of(paper_list)

    def _bodies(self, url: str) -> list[dict[str, Any]]:
        root = self.reader.get(url)
        kind = _kind(root)
        if kind == "Body":
            return [root]
        body_list = _url(root.get("body")) if kind == "System" else None
        if body_list is None:
            raise OParlError("{url}: neither an OParl System nor a Body.", url=url)
        return [body for page in self.reader.pages(body_list) for body in self._entries(page)]

    def _papers_of(self, paper_list: str) -> Iterator[OParlPaper]:
        offset = self.done
        for page in self.reader.pages(paper_list, self.since):
            papers = [paper for item in self._entries(page) if (paper := self._paper(item, page.url))]
            self.done += len(page.items)
            if self.progress:
                self.progress(self.done, None if page.total is None else offset + page.total)
            yield from papers

    def _entries(self, page: _Page) -> Iterator[dict[str, Any]]:
        for item in page.items:
            if isinstance(item, dict):
                yield item
            else:
                self.reader.warn(
                    OParlWarning(
                        "{url}: skipped a list entry that is not an object: {value}.", url=page.url, value=_show(item)
                    )
                )

    def _paper(self, item: dict[str, Any], page_url: str) -> OParlPaper | None:
        paper_id = _url(item.get("id"))
        if paper_id is None:
            self.reader.warn(
                OParlWarning("{url}: skipped a paper without an id: {value}.", url=page_url, value=_show(item))
            )
            return None
        deleted = item.get("deleted") is True
        # Deleted papers come through whatever their type: the caller marks what it imported.
        if not deleted and self.types and _text(item.get("paperType")).casefold() not in self.types:
            return None
        # A deleted paper only has to be recognised; resolving its references would cost requests for nothing.
        linked = {} if deleted else self._linked(item)
        return OParlPaper(
            id=paper_id,
            name=_text(item.get("name")),
            reference=_text(item.get("reference")),
            date=_date(item.get("date")),
            paper_type=_text(item.get("paperType")),
            web=_url(item.get("web")) or "",
            modified=_timestamp(item.get("modified")),
            deleted=deleted,
            **linked,
        )

    def _linked(self, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "originators": self._names(
                [*_urls(item.get("originatorOrganization")), *_urls(item.get("originatorPerson"))]
            ),
            "departments": self._names(_urls(item.get("underDirectionOf"))),
            "consultations": tuple(self._consultation(each) for each in _objects(item.get("consultation"))),
        }

    def _consultation(self, consultation: dict[str, Any]) -> tuple[str, date | None]:
        meeting = self.reader.object(_url(consultation.get("meeting"))) or {}
        # Many endpoints leave the consultation's organization out; the meeting names its committee too.
        committees = _urls(consultation.get("organization")) or _urls(meeting.get("organization"))
        # The meeting's own calendar day, not converted to UTC (an evening meeting stays on its day).
        return ", ".join(self._names(committees)), _date(meeting.get("start"))

    def _names(self, urls: Iterable[str]) -> tuple[str, ...]:
        names = (_name(self.reader.object(url)) for url in urls)
        return tuple(dict.fromkeys(name for name in names if name))


def _json(url: str, response: httpx.Response) -> Any:
    try:
        # Quirk: raw control characters inside strings (invalid JSON). strict=False takes
        # them as they are; _text() turns them into blanks in the values we keep.
        return json.loads(response.text.lstrip("\ufeff"), strict=False)
    except json.JSONDecodeError as error:
        content_type = response.headers.get("content-type", "-")
        if "json" not in content_type:
            raise OParlError(
                "{url}: the answer is not JSON (HTTP {status}, {content_type}).",
                url=url,
                status=response.status_code,
                content_type=content_type,
            ) from None
        raise OParlError(
            "{url}: not valid JSON ({detail}, line {line}, column {column}).",
            url=url,
            detail=error.msg,
            line=error.lineno,
            column=error.colno,
        ) from None


def _page(url: str, answer: Any) -> _Page:
    """A list page, whatever shape the server gave it."""
    if isinstance(answer, list):
        # Quirk: a bare JSON array instead of a list page (`[]` for an empty modified_since window).
        return _Page(url, answer, None, None)
    if isinstance(answer, dict) and "data" not in answer and _url(answer.get("id")):
        # Quirk: a list URL answered with a single object.
        return _Page(url, [answer], None, None)
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
        raise OParlError("{url}: not an OParl list page (no data list).", url=url)
    links = answer.get("links")
    pagination = answer.get("pagination")
    total = pagination.get("totalElements") if isinstance(pagination, dict) else None
    return _Page(
        url,
        answer["data"],
        _url(links.get("next")) if isinstance(links, dict) else None,
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


def _kind(value: Any) -> str:
    """The object's type without its version: "Body" for https://schema.oparl.org/1.1/Body."""
    kind = value.get("type") if isinstance(value, dict) else None
    return kind.rsplit("/", 1)[-1] if isinstance(kind, str) else ""


def _text(value: Any) -> str:
    """A one-line text; blanks and control characters made single blanks."""
    text = _BLANKS.sub(" ", value).strip() if isinstance(value, str) else ""
    # Quirk: "N/A" and "" where a value is missing.
    return "" if text.upper() == "N/A" else text


def _url(value: Any) -> str | None:
    return _text(value) or None


def _urls(value: Any) -> list[str]:
    # Quirk: a single value where the specification has an array (seen for auxiliaryFile, too).
    values = value if isinstance(value, list) else [value]
    return [url for url in map(_url, values) if url]


def _objects(value: Any) -> list[dict[str, Any]]:
    values = value if isinstance(value, list) else [value]
    return [each for each in values if isinstance(each, dict)]


def _name(value: dict[str, Any] | None) -> str:
    if not value:
        return ""
    person = " ".join(filter(None, (_text(value.get("givenName")), _text(value.get("familyName")))))
    return _text(value.get("name")) or _text(value.get("shortName")) or person


def _date(value: Any) -> date | None:
    text = _text(value)
    try:
        # [:10]: a date-time where a date belongs counts by its own calendar day.
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _timestamp(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(_text(value))
    except ValueError:
        return None
    return _utc(moment)


def _utc(moment: datetime) -> datetime:
    # OParl times carry their zone; one without is taken as UTC rather than as this machine's zone.
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return _utc(moment).isoformat(timespec="seconds")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


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
        "{url}: the body has no paper list; skipped.": "{url}: die Körperschaft hat keine Drucksachenliste; übersprungen.",
        "{url}: neither an OParl System nor a Body.": "{url}: weder ein OParl-System noch eine Körperschaft.",
        "{url}: skipped a list entry that is not an object: {value}.": "{url}: ein Listeneintrag, der kein Objekt ist, wurde übersprungen: {value}.",
        "{url}: skipped a paper without an id: {value}.": "{url}: eine Drucksache ohne ID wurde übersprungen: {value}.",
        "{url}: the answer is not JSON (HTTP {status}, {content_type}).": "{url}: die Antwort ist kein JSON (HTTP {status}, {content_type}).",
        "{url}: not valid JSON ({detail}, line {line}, column {column}).": "{url}: kein gültiges JSON ({detail}, Zeile {line}, Spalte {column}).",
        "{url}: not an OParl list page (no data list).": "{url}: keine OParl-Listenseite (keine data-Liste).",
        "{url}: unusable link {link} ({detail}).": "{url}: unbrauchbarer Verweis {link} ({detail}).",
    },
)
