"""The sync client: docs/sync-protocol.md from this side.

Offline-first: every motion document of the local file carries its own sync
bookkeeping, ``"synced": {"rev": <server rev>, "base": <the document as last
agreed with the server>}`` (no base while that is the motion as it stands:
store/sync/state.py), and, while a three-way merge found fields both sides
changed differently, ``"conflicts": {path: {"mine": ..., "theirs": ...}}``.
Neither reaches the model. The pull cursor is kept per server in the store's
``sources`` table (store/sync/state.py). Every write goes through the store's
public :meth:`store.Store.transaction`.

A sync pulls first (paging through the changes feed, one transaction per ``PULL_WRITE`` documents,
merging field by field) and then pushes every document that changed since its base and has no
unresolved conflict, in ``POST /bulk`` requests of at most ``PUSH_BYTES`` each, one transaction per
answer. ``IN_FLIGHT`` requests are on their way at once, so the server works on the next while an answer
is recorded; if one fails, or recording it does, the server may have taken the other too, and the next
sync finds its documents as conflicts with copies equal to ours, which merge without a question. An answer is recorded as each
motion's bookkeeping alone, a few dozen bytes in the journal (store/file/journal.py, ``patches``): the
file is not written whole after a push, however large.

A server is trusted no more than a file: every document it sends (in the feed, or in a push's conflict)
is validated on the model's careful path, and only the motion is kept; a server's own text is shown
escaped (store/sync/http.py). One request ends by its deadline however slowly the answer comes, and
one pull after ``PAGES`` pages, so a server cannot hold the client or grow its store.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import httpx
import orjson

from store.edit import Doc, Transaction, replaced_by
from store.errors import BadInput, SachstandError, SyncError
from store.file.bulk import collector_paused
from store.file.documents import Stored
from store.history import SYNC
from store.i18n import Notice, add_catalog
from store.store import Store
from store.sync.discovery import api_of
from store.sync.epoch import rejoin_if_restored
from store.sync.heap import settle
from store.sync.http import DEADLINE, Api, in_daemon_thread, invalid, make_client, shown
from store.sync.live import Listener as Listener  # re-exported: the dashboard's live request
from store.sync.me import remember_who
from store.sync.merged import merge_into
from store.sync.progress import SyncProgress, Told
from store.sync.pulled import Pulled, checked, prepared, taken, valid
from store.sync.remote import Remote as Remote  # re-exported: what a caller of sync() reads its server into
from store.sync.state import Conflict, Refusal, SyncBook, edited_since, record_sync, sent_document
from store.values import check_line

ATTEMPTS = 3  # for 5xx answers
BACKOFF = 0.5  # seconds before the second attempt; doubles before each further one
MAX_RESPONSE = 64 * 1024 * 1024  # the largest answer we accept
PAGE = 1000  # the largest page the server gives
PAGES = 500  # pages of one sync's pull: 500,000 documents, ten times the largest store measured; a server
# that says "more" forever is stopped there (what the pages brought is written every PULL_WRITE documents)
CURSOR_LIMIT = 200  # characters of a cursor: the server's are "<id>.<epoch>@<seq>:<id>"
PULL_WRITE = 5000  # per transaction; a sync is a Store.bulk: each one a journal line, the file written whole once
IN_FLIGHT = 2  # POST /bulk bodies on their way at once (_answered)
PUSH_BYTES = 7 * 1024 * 1024  # per POST /bulk: under the 8 MiB the protocol allows, with room to spare


@dataclass
class SyncReport:
    pulled: int = 0  # documents taken or merged from the server
    pushed: int = 0  # documents the server accepted
    conflicts: list[Conflict] = field(default_factory=list)  # unresolved, after this sync
    refused: list[Refusal] = field(default_factory=list)  # local changes the server refused (the token's role)
    rejoined: Notice | None = None  # the server had lost confirmed writes: what was done (store/sync/epoch.py)


def sync(
    store: Store,
    remote: str,
    token: str,
    *,
    client: httpx.Client | None = None,
    ca: str | None = None,
    backoff: float = BACKOFF,
    attempts: int = ATTEMPTS,
    max_response: int = MAX_RESPONSE,
    deadline: float = DEADLINE,
    pages: int = PAGES,
    progress: Callable[[SyncProgress], object] | None = None,
) -> SyncReport:
    """Pull the server's changes into ``store``, then push the local ones; see the module's doc.

    Every answer is checked before anything of it is written; each request ends by ``deadline``
    seconds, and the pull after ``pages`` pages. ``progress`` is told how far the sync has come after
    each page of the pull and each answer to the push, in the calling thread."""
    remote = remote.rstrip("/")
    # The collector (store/file/bulk.py) paused from before the client is made: loading its transport walked a store.
    with collector_paused():
        http = client or make_client(token, ca=ca)
        try:
            given = Api(
                http, remote, token, attempts=attempts, backoff=backoff, max_response=max_response, deadline=deadline
            )
            api = api_of(given)  # the server's root leads to its API; an API's URL is used as it is
            report, told = SyncReport(), Told(progress)
            with ExitStack() as bulk:
                bulk.enter_context(store.bulk())
                remember_who(store, api, remote)
                report.rejoined = rejoin_if_restored(store, api, remote, lambda: _whole_feed(api, remote, pages))
                report.pulled, completed = _pull(store, api, remote, pages, told.read)
                report.pushed = _push(
                    store,
                    api,
                    remote,
                    completed=completed,
                    meanwhile=_while_last_body(store, remote, bulk),
                    sent=told.sent,
                )
                report.conflicts = store.conflicts()
                report.refused = store.refused()
            settle(report.pulled + report.pushed)  # store/sync/heap.py
            return report
        finally:
            if client is None:
                http.close()


def _while_last_body(store: Store, remote: str, bulk: ExitStack) -> Callable[[], None]:
    """What the push does while the server takes its last body: bring the sync marks up to date (what the
    count of conflicts after the push would do over every motion) and end the store's bulk, freeing the
    documents it parsed, before beginning another for the last answer. At 50,000 motions these took 0.1 and
    0.3 s after the last answer; the last body's documents are then parsed again (4,000 of them, 0.05 s)."""

    def early() -> None:
        SyncBook(store).state(remote)
        bulk.close()
        bulk.enter_context(store.bulk())

    return early


# --- checking answers ---------------------------------------------------------------------


def _shape(url: str, ok: bool, what: str) -> None:
    if not ok:
        raise invalid(url, what)


def _shaped(url: str, doc: Any, doc_id: str) -> Doc:
    _shape(
        url,
        isinstance(doc, dict) and doc.get("id") == doc_id and isinstance(doc.get("deleted", False), bool),
        f"document {doc_id}: not a motion document",
    )
    return doc  # a dict, as checked


def _colleague(value: Any) -> str:
    """The name a server gives for who wrote a document, if it is one a history can show; else ""."""
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        return check_line(value.strip(), "by")
    except BadInput:  # a name no user could have: the change is still taken, without it
        return ""


def _check_rev(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# --- pull ------------------------------------------------------------------------------


def _pull(store: Store, api: Api, remote: str, pages: int, read: Callable[[int, int | None], None]) -> tuple[int, bool]:
    """Page through the changes feed, writing up to PULL_WRITE documents per transaction; ``read`` is told
    how many documents each page brought, and after the first how many the server said followed it.

    Pages are fetched outside the lock. A cursor is written only together with every
    document up to it, so a failure or crash never skips a change, and costs at most
    the unwritten pages to fetch again; an empty page changes nothing and is not written.
    Returns how many documents were taken or merged, and whether the last write also
    recorded the sync as completed (nothing was waiting to be pushed).
    """
    pulled, completed = 0, False
    cursor = store.sync_cursor(remote)
    pending: list[Pulled] = []
    page = _fetching(api, remote, cursor, counted=True)
    for number in range(1, pages + 1):
        results, cursor, more, remaining = page.result()
        more = more and bool(results)
        if more and number < pages:  # the next page is fetched (and made by the server) while this one is written
            page = _fetching(api, remote, cursor)
        pending += prepared(store, results)  # validated while the next page comes (store/sync/pulled.py)
        read(len(results), remaining)
        if len(pending) >= PULL_WRITE or (not more and pending):
            taken, completed = _write_pulled(store, remote, pending, cursor, last=not more)
            pulled += taken
            pending = []
        if not more:
            return pulled, completed
    raise _endless(remote, pages)


def _whole_feed(api: Api, remote: str, pages: int) -> Iterator[tuple[str, int, Doc, int, str]]:
    """Every document of the changes feed from its beginning, at most ``pages`` pages of it, each
    validated: what the rejoin compares and keeps as the agreed base is checked as a pull's is."""
    cursor = None
    for _page in range(pages):
        results, cursor, more, _remaining = _fetch_page(api, remote, cursor)
        url = f"{remote}/changes"
        readable = (result for result in results if not result.withdrawn)
        yield from ((one.id, one.rev, _checked(url, one.doc, one.id), one.seq, one.by) for one in readable)
        if not (more and results):
            return
    raise _endless(remote, pages)


def _endless(remote: str, pages: int) -> SyncError:
    return SyncError(
        "{url}: the server still had more after {pages} pages of changes; stopped. Sync again to go on.",
        url=f"{remote}/changes",
        pages=pages,
    )


def _fetching(api: Api, remote: str, cursor: str | None, *, counted: bool = False) -> Future[Page]:
    return in_daemon_thread(lambda: _fetch_page(api, remote, cursor, counted=counted), "sachstand pull")


class Page(NamedTuple):
    """A page of the changes feed, checked (see _fetch_page)."""

    results: list[Pulled]
    cursor: str
    more: bool
    remaining: int | None  # how many documents follow it, where asked and the server says (else None)


def _fetch_page(api: Api, remote: str, cursor: str | None, *, counted: bool = False) -> Page:
    """One page of the changes feed, checked: each result (id, rev, document, seq), the new cursor, whether more
    follow; if ``counted``, how many follow as the server says, for the progress alone: where a server does not
    say (an older one), or says it otherwise than as a count a pull could read, the progress has no total."""
    url = f"{remote}/changes"
    params = {"limit": str(PAGE), **({"since": cursor} if cursor else {}), **({"count": "1"} if counted else {})}
    page = api.request("GET", "/changes", params=params)
    _shape(
        url,
        isinstance(page, dict)
        and isinstance(page.get("results"), list)
        and len(page["results"]) <= PAGE
        and isinstance(page.get("cursor"), str)
        and 0 < len(page["cursor"]) <= CURSOR_LIMIT
        and page["cursor"].isprintable()
        and isinstance(page.get("more"), bool),
        f"expected results (at most {PAGE}), a cursor (at most {CURSOR_LIMIT} characters) and more",
    )
    results = []
    for result in page["results"]:
        _shape(
            url,
            isinstance(result, dict) and isinstance(result.get("id"), str) and _check_rev(result.get("rev")),
            "a result without id or rev",
        )
        seq = result["seq"] if _check_rev(result.get("seq")) else 0
        if result.get("withdrawn") is True:
            results.append(Pulled(result["id"], result["rev"], {}, seq, withdrawn=True))
            continue
        doc = _shaped(url, result.get("doc"), result["id"])
        results.append(Pulled(result["id"], result["rev"], doc, seq, _colleague(result.get("by"))))
    remaining = page.get("remaining")
    told = _check_rev(remaining) and remaining <= PAGES * PAGE
    return Page(results, page["cursor"], page["more"], remaining if told else None)


def _write_pulled(store: Store, remote: str, results: list[Pulled], cursor: str, *, last: bool) -> tuple[int, bool]:
    """One transaction: the pulled documents and the cursor after them; after the ``last`` page with
    nothing left to push, also the completed sync (saving the push its own write of the whole file).
    How many were taken or merged, and whether completion was recorded."""
    try:
        with store.transaction() as tx:
            taken = sum(_take(tx, pulled) for pulled in results)
            completed = last and next(SyncBook(store).pushable(), None) is None  # nothing to push: no list of it
            record_sync(tx, remote, cursor=cursor, completed=completed)
    except SachstandError as error:  # a document or a merge the model refuses: nothing of these pages was written
        raise invalid(f"{remote}/changes", error) from None
    return taken, completed


def _take(tx: Transaction, pulled: Pulled) -> int:
    """Bring one server document in. 1 if it was taken or merged, else 0."""
    doc_id, rev = pulled.id, pulled.rev
    document = tx.document(doc_id)
    if pulled.withdrawn:
        if document is None or document.get("withdrawn"):
            return 0
        tx.withdraw(doc_id)
        return 1
    if not taken(document, pulled):
        return 0
    if document is None or document.get("withdrawn"):
        theirs, motion = checked(pulled)
        # A new document (no copy), agreed on the motion as taken: no base.
        tx.apply(doc_id, SYNC, replaced_by(theirs), user=pulled.by or None, model=motion, synced={"rev": rev})
        return 1
    merge_into(tx, doc_id, rev, checked(pulled)[0], pulled.by)
    return 1


# --- push ------------------------------------------------------------------------------


def _push(
    store: Store,
    api: Api,
    remote: str,
    *,
    completed: bool = False,
    meanwhile: Callable[[], None] | None = None,
    sent: Callable[[int], None] | None = None,
) -> int:
    """Push what changed here; record the sync as completed unless ``completed`` (the pull did) and
    nothing went out. The last answer's transaction records it, if that answer needs no retry.
    ``meanwhile``: called once the last body is on its way and the answers before it are recorded, none of
    them with a conflict (see _while_last_body). ``sent``: told how many each answer accepted."""
    pushed, book = 0, SyncBook(store)  # the store's marks, shared (store/sync/state.py)
    for _round in range(2):  # a conflict is merged and pushed once more in the same sync
        read: dict[str, Stored] = {}  # the stored version each entry was made of (SyncBook.sent)
        entries = (
            {"id": doc_id, "base_rev": base_rev, "doc": doc} for doc_id, base_rev, doc, read[doc_id] in book.sent()
        )
        retry = False
        for batch, answer, last, ending in _answered(api, _batches(entries)):
            last = last and not retry
            accepted, conflicted, completed = _record_answer(store, api, remote, batch, answer, read, last=last)
            for entry in batch:  # let go once recorded (see _while_last_body)
                del read[entry["id"]]
            pushed += accepted
            if sent is not None:
                sent(accepted)
            retry = retry or conflicted
            if ending and not retry and meanwhile is not None:
                meanwhile()
        if not retry:
            break
    if not completed:
        with store.transaction() as tx:
            record_sync(tx, remote, completed=True)
    return pushed


def _batches(entries: Iterable[Doc]) -> Iterator[tuple[list[Doc], bytes]]:
    """The entries in bodies of at most PUSH_BYTES: the server refuses a body over 8 MiB (413).

    Each entry is serialised once; a single entry larger than that goes alone (and is refused).
    """
    batch: list[Doc] = []
    parts: list[bytes] = []
    size = 0
    for entry in entries:
        doc = entry["doc"]  # serialised already where it is sent as its line holds it (SyncBook.sent)
        part = orjson.dumps({**entry, "doc": orjson.Fragment(doc)} if isinstance(doc, bytes) else entry)
        if batch and size + len(part) + 1 > PUSH_BYTES:
            yield batch, _bulk_body(parts)
            batch, parts, size = [], [], 0
        # Copied to its size behind what comes before it, as dumps_kept does (store/file/bulk.py).
        parts.append((b"," if batch else b'{"docs":[') + part)
        batch.append(entry)
        size += len(part) + 1
    if batch:
        yield batch, _bulk_body(parts)


def _bulk_body(parts: list[bytes]) -> bytes:
    """The body of a batch's ``parts``, the first of which opens it (see _batches)."""
    return b"".join((*parts, b"]}"))


def _answered(api: Api, batches: Iterator[tuple[list[Doc], bytes]]) -> Iterator[tuple[list[Doc], Any, bool, bool]]:
    """Each batch with the server's answer to its POST /bulk, whether it is the last batch, and whether the
    last body is now on its way (true once).

    IN_FLIGHT bodies go out before their answers come: the server reads and checks one while the database
    writes the one before it, and the caller records an answer meanwhile. With the next body sent only once
    an answer came, the server waited for it between answers: bodies made before the clock, a full push of
    50,000 motions to PostgreSQL took it 4.8 s so, 4.2 s with two on their way. Each body is serialised
    while the server works on those before it. A failed request ends it: the body on its way beside it is
    waited for (its answer is not recorded: the next sync finds those motions there, as after an answer lost)
    and nothing more is sent.
    """
    flight: deque[tuple[list[Doc], Future[Any]]] = deque()
    more, told = True, False

    def fill() -> None:
        nonlocal more
        while more and len(flight) < IN_FLIGHT:
            following = next(batches, None)
            if following is None:
                more = False
            else:
                flight.append((following[0], _posted(api, following[1])))

    fill()
    try:
        while flight:
            batch, answer = flight[0]
            received = answer.result()
            flight.popleft()
            fill()
            ending = not more and bool(flight) and not told
            told = told or ending
            yield batch, received, not flight, ending
    finally:
        wait([answer for _batch, answer in flight])  # after a failure: no request outlives the sync


def _posted(api: Api, body: bytes) -> Future[Any]:
    """POST /bulk with ``body``, in a daemon thread of its own."""
    return in_daemon_thread(lambda: api.request("POST", "/bulk", content=body), "sachstand push")


def _record_answer(
    store: Store, api: Api, remote: str, entries: list[Doc], answer: Any, read: Mapping[str, Stored], *, last: bool
) -> tuple[int, bool, bool]:
    """In one transaction, what a POST /bulk's answer means here: (accepted, any conflict, whether the
    sync was recorded as completed: so it is, with the ``last`` answer if that has no conflict). ``read``:
    the stored version each entry was made of (SyncBook.sent)."""
    url = f"{api.remote}/bulk"
    _shape(
        url,
        isinstance(answer, dict) and isinstance(answer.get("results"), list) and len(answer["results"]) == len(entries),
        "expected one result per document",
    )
    accepted, conflicted = 0, False
    with store.transaction() as tx:
        for entry, result in zip(entries, answer["results"]):
            forbidden = isinstance(result, dict) and result.get("error") == "forbidden"
            _shape(
                url,
                isinstance(result, dict)
                and result.get("id") == entry["id"]
                and (forbidden or _check_rev(result.get("rev"))),
                "a result without id or rev",
            )
            if forbidden:  # kept here, shown, and not sent again until edited again or dropped (state.py)
                reason = shown(result.get("reason") or "forbidden")
                tx.set_sync_meta(entry["id"], refused={"reason": reason, "doc": sent_document(entry["doc"])})
            elif result.get("ok") is True:
                # The dashboard may have edited the motion again while the push was under way. Most
                # documents are still the version the entry was made of (or its parse), which tells at once;
                # else one comparison, and the diff (nearly half the client's work in a full push of 10,000
                # motions) decides only the others. A line sent as it is has no bookkeeping yet.
                version = read.get(entry["id"])
                as_line = isinstance(entry["doc"], bytes) and tx.version(entry["id"]) is version
                edited = not as_line and edited_since(tx, entry["id"], entry["doc"], version)
                agreed_on = {"base": sent_document(entry["doc"]), "dirty": True} if edited else {}
                synced = {"rev": result["rev"], **agreed_on}  # no base: the motion as it stands
                tx.set_sync_meta(entry["id"], synced=synced, refused=None, known={} if as_line else None)
                accepted += 1
            elif result.get("error") == "conflict":
                if result.get("doc") is None:  # the server does not have it: push it as new
                    tx.set_sync_meta(entry["id"], synced=None)
                else:
                    theirs = _checked(url, result["doc"], entry["id"])
                    merge_into(tx, entry["id"], result["rev"], theirs, _colleague(result.get("by")))
                conflicted = True
            else:
                raise invalid(url, f"result for {entry['id']}")
        completed = last and not conflicted
        if completed:
            record_sync(tx, remote, completed=True)
    return accepted, conflicted, completed


def _checked(url: str, doc: Any, doc_id: str) -> Doc:
    """A server's document outside the pull (the copy a push conflicted with, the feed a rejoin reads),
    checked as the pull checks what it writes."""
    try:
        return valid(_shaped(url, doc, doc_id), doc_id)[0]
    except BadInput as error:
        raise invalid(url, error) from None


add_catalog(
    "de",
    {
        "{url}: the server still had more after {pages} pages of changes; stopped. Sync again to go on.": "{url}: "
        "der Server hatte nach {pages} Seiten Änderungen noch mehr; abgebrochen. Erneut synchronisieren, um "
        "fortzufahren.",
    },
)
