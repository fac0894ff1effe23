"""The papers of an OParl System or Body, each mapped to plain data (:class:`OParlPaper`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx

from store.config import SETTINGS
from store.errors import OParlError
from store.exchange.oparl.reader import ATTEMPTS, BACKOFF, OParlWarning, Page, Reader, make_client
from store.exchange.oparl.values import (
    day_of,
    iso_of,
    kind_of,
    moment_of,
    name_of,
    objects_of,
    shown,
    text_of,
    url_of,
    urls_of,
)
from store.i18n import add_catalog

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


def fetch_papers(
    url: str,
    *,
    paper_types: Sequence[str] = SETTINGS["oparl_types"].default,
    modified_since: datetime | None = None,
    client: httpx.Client | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    warn: Callable[[OParlWarning], None] | None = None,
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
        reader = Reader(http, attempts=attempts, backoff=backoff, warn=warn or _log.warning)
        yield from _Run(reader, paper_types, modified_since, progress).papers(url)
    finally:
        if client is None:
            http.close()


class _Run:
    """One fetch_papers call: what it asks for and how far it got."""

    def __init__(
        self,
        reader: Reader,
        paper_types: Sequence[str],
        modified_since: datetime | None,
        progress: Callable[[int, int | None], None] | None,
    ) -> None:
        self.reader = reader
        self.types = {text_of(kind).casefold() for kind in paper_types}
        self.since = None if modified_since is None else iso_of(modified_since)
        self.progress = progress
        self.done = 0

    def papers(self, url: str) -> Iterator[OParlPaper]:
        for body in self._bodies(url):
            paper_list = url_of(body.get("paper"))
            if paper_list is None:
                self.reader.warn(
                    OParlWarning("{url}: the body has no paper list; skipped.", url=url_of(body.get("id")) or url)
                )
                continue
            yield from self._papers_of(paper_list)

    def _bodies(self, url: str) -> list[dict[str, Any]]:
        root = self.reader.get(url)
        kind = kind_of(root)
        if kind == "Body":
            return [root]
        body_list = url_of(root.get("body")) if kind == "System" else None
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

    def _entries(self, page: Page) -> Iterator[dict[str, Any]]:
        for item in page.items:
            if isinstance(item, dict):
                yield item
            else:
                self.reader.warn(
                    OParlWarning(
                        "{url}: skipped a list entry that is not an object: {value}.", url=page.url, value=shown(item)
                    )
                )

    def _paper(self, item: dict[str, Any], page_url: str) -> OParlPaper | None:
        paper_id = url_of(item.get("id"))
        if paper_id is None:
            self.reader.warn(
                OParlWarning("{url}: skipped a paper without an id: {value}.", url=page_url, value=shown(item))
            )
            return None
        deleted = item.get("deleted") is True
        # Deleted papers come through whatever their type: the caller marks what it imported.
        if not deleted and self.types and text_of(item.get("paperType")).casefold() not in self.types:
            return None
        # A deleted paper only has to be recognised; resolving its references would cost requests for nothing.
        linked = {} if deleted else self._linked(item)
        return OParlPaper(
            id=paper_id,
            name=text_of(item.get("name")),
            reference=text_of(item.get("reference")),
            date=day_of(item.get("date")),
            paper_type=text_of(item.get("paperType")),
            web=url_of(item.get("web")) or "",
            modified=moment_of(item.get("modified")),
            deleted=deleted,
            **linked,
        )

    def _linked(self, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "originators": self._names(
                [*urls_of(item.get("originatorOrganization")), *urls_of(item.get("originatorPerson"))]
            ),
            "departments": self._names(urls_of(item.get("underDirectionOf"))),
            "consultations": tuple(self._consultation(each) for each in objects_of(item.get("consultation"))),
        }

    def _consultation(self, consultation: dict[str, Any]) -> tuple[str, date | None]:
        meeting = self.reader.object(url_of(consultation.get("meeting"))) or {}
        # Many endpoints leave the consultation's organization out; the meeting names its committee too.
        committees = urls_of(consultation.get("organization")) or urls_of(meeting.get("organization"))
        # The meeting's own calendar day, not converted to UTC (an evening meeting stays on its day).
        return ", ".join(self._names(committees)), day_of(meeting.get("start"))

    def _names(self, urls: Iterable[str]) -> tuple[str, ...]:
        names = (name_of(self.reader.object(url)) for url in urls)
        return tuple(dict.fromkeys(name for name in names if name))


add_catalog(
    "de",
    {
        "{url}: the body has no paper list; skipped.": "{url}: die Körperschaft hat keine Drucksachenliste; übersprungen.",
        "{url}: neither an OParl System nor a Body.": "{url}: weder ein OParl-System noch eine Körperschaft.",
        "{url}: skipped a list entry that is not an object: {value}.": "{url}: ein Listeneintrag, der kein Objekt ist, wurde übersprungen: {value}.",
        "{url}: skipped a paper without an id: {value}.": "{url}: eine Drucksache ohne ID wurde übersprungen: {value}.",
    },
)
