"""The OParl client against a local server built from the specification's examples.

Every quirk of real endpoints listed in /work/shared/oparl/README.md has a test
here; the server (tests/helpers/oparl_server.py) switches them on one by one.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from store.exchange.oparl import USER_AGENT, OParlError, OParlPaper, fetch_papers, make_client
from store.i18n import has_translation

from helpers import ROOT
from helpers.oparl_server import PAPER, OParlServer, Quirks

ANTRAEGE = ["1001", "1003", "1005", "1007", "1009", "1011"]  # the generated papers of type "Antrag", any case
SINCE = datetime(2024, 1, 8, tzinfo=UTC)
SINCE_PARAM = "2024-01-08T00:00:00+00:00"
PAPER_LIST = "/body/0/papers/"  # body 0's paper list on the test server


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the machine's settings, the tests talk to 127.0.0.1 directly."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def server() -> Iterator[OParlServer]:
    with OParlServer() as running:
        yield running


def fetch(url: str, **options: Any) -> tuple[list[OParlPaper], list[str]]:
    warnings: list[str] = []
    options.setdefault("backoff", 0.01)
    return list(fetch_papers(url, warn=warnings.append, **options)), warnings


def numbers(papers: list[OParlPaper]) -> list[str]:
    return [paper.id.rsplit("/", 1)[-1] for paper in papers]


def list_requests(server: OParlServer) -> list[str]:
    return [target for target in server.requests if target.startswith(PAPER_LIST)]


# --- the specification's examples ----------------------------------------------------------


def test_the_spec_paper_maps_to_plain_data_and_an_unreachable_reference_is_left_out(server: OParlServer) -> None:
    papers, warnings = fetch(server.url("/body/0"), paper_types=["Beantwortung einer Anfrage"])

    assert papers == [
        OParlPaper(
            id=server.url("/paper/749"),
            name="Antwort auf Anfrage 1200/2014",
            reference="1234/2014",
            date=date(2014, 4, 4),
            paper_type="Beantwortung einer Anfrage",
            web="",
            originators=("Dezernat II – Finanzen", "Fraktion Beispielpartei", "Erika Musterfrau"),
            departments=("Dezernat II – Finanzen",),
            consultations=(("Rat der Stadt", date(2014, 5, 12)),),
            modified=datetime(2013, 1, 8, 11, 5, 27, tzinfo=UTC),
            deleted=False,
        )
    ]
    # person/2000 is not served: one warning (not one per use), naming it, in both languages.
    assert warnings == [f"{server.url('/person/2000')}: the server answered HTTP 404. Left out."]
    assert warnings[0].render("de") == f"{server.url('/person/2000')}: der Server antwortete mit HTTP 404. Ausgelassen."


def test_a_system_url_reads_every_body_page_by_page(server: OParlServer) -> None:
    second = server.add(server.derive(server.objects["/body/0"], "/body/1", paper=server.url("/body/1/papers/")))
    server.lists["/bodies"].append(second)
    server.lists["/body/1/papers/"] = [server.paper(20, "Antrag")]
    steps: list[tuple[int, int | None]] = []

    papers, warnings = fetch(server.url("/"), progress=lambda done, total: steps.append((done, total)))

    assert numbers(papers) == [*ANTRAEGE, "1020"] and warnings == []
    # Entries read and the announced total; a later body adds its total to what was read.
    assert steps == [(5, 13), (10, 13), (13, 13), (14, 14)]
    assert papers[0] == OParlPaper(
        id=server.url("/paper/1001"),
        name="Antrag Nr. 1: Radweg an der Hauptstraße",
        reference="1/2024",
        date=date(2024, 1, 1),
        paper_type="Antrag",
        web=server.url("/vorlage/1001.html"),
        originators=("Fraktion Beispielpartei", "Prof. Dr. Max Mustermann"),
        departments=("Dezernat II – Finanzen",),
        consultations=(("Ausschuss für Haushalt und Finanzen", date(2013, 1, 4)),),
        modified=datetime(2024, 1, 1, 8, tzinfo=UTC),
    )
    assert papers[1].paper_type == "ANTRAG"  # trimmed
    assert server.agents == {USER_AGENT}
    # Organizations, persons and meetings are fetched once however many papers name them.
    assert server.requests.count("/organization/34") == 1 and server.requests.count("/meeting/281") == 1


def test_paper_types_are_matched_trimmed_and_caseless_and_none_means_all(server: OParlServer) -> None:
    assert numbers(fetch(server.url("/body/0"), paper_types=[" anfrage "])[0]) == ["1002", "1006", "1010"]
    assert len(fetch(server.url("/body/0"), paper_types=[])[0]) == 13


def test_a_consultation_without_organization_takes_the_meeting_s(server: OParlServer) -> None:
    del server.papers[1]["consultation"][0]["organization"]

    papers, _ = fetch(server.url("/body/0"))

    assert papers[0].consultations == (("Ausschuss für Haushalt und Finanzen", date(2013, 1, 4)),)


def test_names_fall_back_to_the_short_name_or_given_and_family_name(server: OParlServer) -> None:
    del server.objects["/organization/1000"]["name"]
    del server.objects["/person/29"]["name"]
    server.papers[1]["modified"] = "2024-01-01T09:00:00"  # no zone: taken as UTC

    papers, _ = fetch(server.url("/body/0"))

    assert papers[0].originators == ("Beispielpartei", "Max Mustermann")
    assert papers[0].modified == datetime(2024, 1, 1, 9, tzinfo=UTC)


def test_warnings_go_to_the_log_without_a_warn_callback(server: OParlServer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="store.exchange.oparl"):
        list(fetch_papers(server.url("/body/0"), paper_types=["Beantwortung einer Anfrage"], backoff=0.01))
    assert [record.getMessage() for record in caplog.records] == [
        f"{server.url('/person/2000')}: the server answered HTTP 404. Left out."
    ]


# --- modified_since ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "since", [SINCE.astimezone(timezone(timedelta(hours=1))), SINCE.replace(tzinfo=None)], ids=["+01:00", "naive"]
)
def test_modified_since_is_sent_in_utc_on_the_first_list_url(server: OParlServer, since: datetime) -> None:
    papers, _ = fetch(server.url("/body/0"), modified_since=since)

    assert numbers(papers) == ["1009", "1011"]
    assert list_requests(server)[0] == "/body/0/papers/?" + urlencode({"modified_since": SINCE_PARAM})


@pytest.mark.parametrize("answer", ["page", "404", "404-json", "[]"])
def test_an_empty_modified_since_window_is_no_papers_however_it_is_answered(server: OParlServer, answer: str) -> None:
    server.quirks.empty_window = answer

    assert fetch(server.url("/body/0"), modified_since=datetime(2030, 1, 1, tzinfo=UTC)) == ([], [])


def test_a_404_is_an_error_without_a_filter_and_after_the_first_page(server: OParlServer) -> None:
    with pytest.raises(OParlError, match=re.escape(f"{server.url('/body/9')}: the server answered HTTP 404.")):
        fetch(server.url("/body/9"))
    server.page_size = 2
    server.quirks.status[f"/body/0/papers/?{urlencode({'modified_since': SINCE_PARAM, 'page': '2'})}"] = [404]
    with pytest.raises(OParlError, match="page=2: the server answered HTTP 404"):
        fetch(server.url("/body/0"), modified_since=SINCE)


def test_links_next_without_the_filter_gets_it_back(server: OParlServer) -> None:
    server.page_size = 2
    server.quirks.next_drops_filter = True

    papers, _ = fetch(server.url("/body/0"), modified_since=SINCE)

    # Without the filter page 2 would be papers 2 and 3 of the whole list: 1003, an old Antrag.
    assert numbers(papers) == ["1009", "1011"]
    assert len(list_requests(server)) == 3
    assert all("modified_since=" in target for target in list_requests(server))


# --- list shapes and paging loops ----------------------------------------------------------


def test_a_list_url_answered_with_a_single_object(server: OParlServer) -> None:
    server.quirks.list_shape = "object"
    steps: list[tuple[int, int | None]] = []

    papers, _ = fetch(server.url("/body/0"), paper_types=[], progress=lambda *step: steps.append(step))

    assert numbers(papers) == ["749"] and steps == [(1, None)]


def test_a_list_url_answered_with_a_bare_array(server: OParlServer) -> None:
    server.quirks.list_shape = "array"
    steps: list[tuple[int, int | None]] = []

    papers, _ = fetch(server.url("/body/0"), progress=lambda *step: steps.append(step))

    assert numbers(papers) == ANTRAEGE and steps == [(13, None)]


def test_links_next_repeating_an_earlier_page_stops_with_a_warning(server: OParlServer) -> None:
    server.quirks.next_loop = "same"

    papers, warnings = fetch(server.url("/body/0"))

    assert numbers(papers) == ANTRAEGE
    assert len(warnings) == 1 and "links.next leads back to a page read before" in warnings[0]
    assert len(list_requests(server)) == 3


def test_links_next_going_round_under_new_urls_stops_with_a_warning(server: OParlServer) -> None:
    server.quirks.next_loop = "fresh"

    papers, warnings = fetch(server.url("/body/0"))

    assert numbers(papers) == ANTRAEGE
    assert len(warnings) == 1 and "repeats objects read before" in warnings[0]
    assert len(list_requests(server)) == 4  # the three pages, and page 1 again, not yielded


# --- broken content ------------------------------------------------------------------------


def test_raw_control_characters_inside_strings_are_read_and_cleaned(server: OParlServer) -> None:
    server.papers[1]["name"] = "Antrag\x01 zum\tRadweg\nan der\x0bHauptstraße"
    server.quirks.raw_controls = True
    with pytest.raises(json.JSONDecodeError):
        json.loads(httpx.get(server.url("/body/0/papers/")).text)  # the page really is invalid JSON

    papers, _ = fetch(server.url("/body/0"))

    assert papers[0].name == "Antrag zum Radweg an der Hauptstraße"


def test_a_byte_order_mark_is_ignored(server: OParlServer) -> None:
    server.quirks.raw["/body/0/papers/"] = "\ufeff" + json.dumps({"data": server.papers[:2]})

    assert numbers(fetch(server.url("/body/0"))[0]) == ["1001"]


def test_auxiliary_file_as_an_object_and_other_single_values_for_arrays(server: OParlServer) -> None:
    paper = server.papers[1]
    paper["auxiliaryFile"] = paper["auxiliaryFile"][0]
    paper["consultation"] = paper["consultation"][0]
    paper["originatorOrganization"] = server.url("/organization/1000")

    papers, warnings = fetch(server.url("/body/0"))

    assert numbers(papers) == ANTRAEGE and warnings == []
    assert papers[0].consultations == (("Ausschuss für Haushalt und Finanzen", date(2013, 1, 4)),)
    assert papers[0].originators == ("Fraktion Beispielpartei", "Prof. Dr. Max Mustermann")


def test_n_a_and_empty_values_count_as_missing(server: OParlServer) -> None:
    server.papers[1].update(
        reference="N/A",
        date="",
        web="N/A",
        modified="N/A",
        originatorPerson=["N/A"],
        originatorOrganization=[""],
        underDirectionOf="N/A",
        consultation=[{"id": server.url("/consultation/1"), "meeting": "N/A", "organization": ["N/A"]}],
    )

    papers, warnings = fetch(server.url("/body/0"))

    assert papers[0] == OParlPaper(
        id=server.url("/paper/1001"),
        name="Antrag Nr. 1: Radweg an der Hauptstraße",
        reference="",
        date=None,
        paper_type="Antrag",
        web="",
        consultations=(("", None),),
    )
    assert warnings == []  # nothing was fetched for "N/A"
    assert not any("N/A" in target for target in server.requests)


@pytest.mark.parametrize(
    "quirk, message",
    [
        (
            lambda quirks: quirks.raw.update({PAPER_LIST: '{"data": [{"id": "x", "name": "Antr'}),
            "not valid JSON (Unterminated string starting at, line 1, column 31)",
        ),
        (lambda quirks: quirks.html.add(PAPER_LIST), "the answer is not JSON (HTTP 200, text/html; charset=utf-8)"),
        (lambda quirks: quirks.status.update({PAPER_LIST: [502] * 4}), "the server answered HTTP 502 (tried 4 times)"),
        (
            lambda quirks: quirks.status.update({PAPER_LIST: [0] * 4}),
            "the connection broke off (Server disconnected without sending a response.; tried 4 times)",
        ),
        (
            lambda quirks: quirks.raw.update({PAPER_LIST: '{"data": [], "links": {"next": "http://127.0.0.1:abc/"}}'}),
            "unusable link http://127.0.0.1:abc/ (Invalid port: 'abc')",
        ),
        (
            lambda quirks: quirks.status.update({PAPER_LIST: [401]}),
            "access refused (HTTP 401); OParl data is public, so the URL is probably wrong",
        ),
        (
            lambda quirks: quirks.status.update({PAPER_LIST: [403]}),
            "access refused (HTTP 403); OParl data is public, so the URL is probably wrong",
        ),
        (
            lambda quirks: quirks.raw.update({PAPER_LIST: '{"data": {"id": "x"}}'}),
            "not an OParl list page (no data list)",
        ),
    ],
    ids=["broken-json", "html", "5xx", "hang-ups", "bad-next-link", "401", "403", "data-not-a-list"],
)
def test_unusable_answers_raise_an_error_naming_the_url(
    server: OParlServer,
    quirk: Callable[[Quirks], None],
    message: str,
) -> None:
    quirk(server.quirks)

    with pytest.raises(OParlError) as raised:
        fetch(server.url("/body/0"))

    assert str(raised.value) == f"{server.url(PAPER_LIST)}: {message}."
    assert raised.value.exit_code == 1
    assert raised.value.render("de").startswith(server.url(PAPER_LIST))


def test_malformed_entries_are_skipped_with_a_warning(server: OParlServer) -> None:
    del server.papers[1]["id"]
    server.papers.insert(2, "https://example.invalid/paper/1")

    papers, warnings = fetch(server.url("/body/0"))

    assert numbers(papers) == ANTRAEGE[1:]
    assert [warning.msgid for warning in warnings] == [
        "{url}: skipped a paper without an id: {value}.",
        "{url}: skipped a list entry that is not an object: {value}.",
    ]
    assert all(warning.startswith(server.url("/body/0/papers/")) for warning in warnings)


def test_a_referenced_object_that_is_no_object_is_left_out(server: OParlServer) -> None:
    server.quirks.raw["/organization/2000"] = "[1, 2]"

    papers, warnings = fetch(server.url("/body/0"))

    assert papers[0].departments == ()
    assert warnings == [f"{server.url('/organization/2000')}: not an OParl object. Left out."]


# --- the network ---------------------------------------------------------------------------


@pytest.mark.parametrize("failures", [[500, 502, 503], [0, 0, 0]], ids=["5xx", "hang-ups"])
def test_sporadic_failures_are_retried_with_growing_pauses(server: OParlServer, failures: list[int]) -> None:
    server.quirks.status["/body/0/papers/?page=2"] = failures
    started = time.monotonic()

    papers, warnings = fetch(server.url("/body/0"), backoff=0.05)

    assert numbers(papers) == ANTRAEGE and warnings == []
    assert server.requests.count("/body/0/papers/?page=2") == 4
    assert time.monotonic() - started >= 0.05 + 0.1 + 0.2


def test_a_slow_page_is_waited_for(server: OParlServer) -> None:
    server.quirks.delay["/body/0/papers/?page=2"] = 0.6
    with make_client(read_timeout=1.0) as client:
        papers, _ = fetch(server.url("/body/0"), client=client)

    assert numbers(papers) == ANTRAEGE
    assert server.requests.count("/body/0/papers/?page=2") == 1  # no retry was needed


def test_a_hanging_page_gives_a_clear_error_after_bounded_retries(server: OParlServer) -> None:
    server.quirks.delay["/body/0/papers/?page=2"] = 1.0
    started = time.monotonic()
    with make_client(read_timeout=0.2) as client, pytest.raises(OParlError) as raised:
        fetch(server.url("/body/0"), client=client)

    assert (
        str(raised.value)
        == f"{server.url('/body/0/papers/?page=2')}: the server did not answer in time (tried 4 times)."
    )
    assert server.requests.count("/body/0/papers/?page=2") == 4
    assert time.monotonic() - started < 3


def test_connection_failures_and_bad_urls_raise_an_error(server: OParlServer) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens there
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    for url in (closed, "oparl.example.invalid/body/0", "http://127.0.0.1:abc/"):
        with pytest.raises(OParlError, match=re.escape(f"{url}: cannot connect: ")):
            fetch(url)


def test_the_environment_s_proxy_is_used(server: OParlServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", server.base)

    papers, _ = fetch("http://oparl.example.invalid/body/0")

    assert server.requests[0] == "http://oparl.example.invalid/body/0"  # the absolute form a proxy gets
    assert numbers(papers) == ANTRAEGE


# --- identity and deletion -----------------------------------------------------------------


def test_an_object_s_own_id_is_its_identity_not_the_url_it_came_from(server: OParlServer) -> None:
    server.add(server.objects["/body/0"], path="/oparl/koerperschaft/0")
    server.add(server.objects["/organization/34"], path="/gremium/34")  # its id stays /organization/34
    server.papers[1]["consultation"][0]["organization"] = [server.url("/gremium/34")]

    papers, _ = fetch(server.url("/oparl/koerperschaft/0"))

    # Paper 1001 names the committee by the alias, the others by its id: fetched once, under the alias.
    assert numbers(papers) == ANTRAEGE
    assert {paper.consultations[0][0] for paper in papers} == {"Ausschuss für Haushalt und Finanzen"}
    assert "/gremium/34" in server.requests and "/organization/34" not in server.requests
    # (A list URL answering with a single paper, whose id is not that URL: see the list-shape test.)


def test_deleted_papers_come_through_whatever_their_type(server: OParlServer) -> None:
    server.papers.append(
        {"id": server.url("/paper/2001"), "type": PAPER, "deleted": True, "modified": "2024-02-01T10:00:00+01:00"}
    )
    server.papers[2]["deleted"] = True  # 1002, an Anfrage with all its data

    papers, warnings = fetch(server.url("/body/0"))

    assert numbers(papers) == ["1001", "1002", *ANTRAEGE[1:], "2001"] and warnings == []
    assert papers[1].deleted and papers[1].name.startswith("Anfrage") and papers[1].consultations == ()
    assert papers[-1] == OParlPaper(
        id=server.url("/paper/2001"),
        name="",
        reference="",
        date=None,
        paper_type="",
        web="",
        modified=datetime(2024, 2, 1, 9, tzinfo=UTC),
        deleted=True,
    )


# --- what is not a paper list --------------------------------------------------------------


def test_a_url_that_is_neither_system_nor_body_is_an_error(server: OParlServer) -> None:
    with pytest.raises(
        OParlError, match=re.escape(f"{server.url('/organization/34')}: neither an OParl System nor a Body.")
    ):
        fetch(server.url("/organization/34"))


def test_a_body_without_paper_list_is_skipped_with_a_warning(server: OParlServer) -> None:
    del server.objects["/body/0"]["paper"]

    assert fetch(server.url("/")) == ([], [f"{server.url('/body/0')}: the body has no paper list; skipped."])


# --- the module ----------------------------------------------------------------------------


def test_every_message_has_a_german_text() -> None:
    source = "\n".join(path.read_text("utf-8") for path in (ROOT / "store" / "exchange" / "oparl").glob("*.py"))
    calls = re.findall(r'\b(?:OParlError|OParlWarning)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', source)
    msgids = {"".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', call)) for call in calls}
    assert len(msgids) >= 15
    assert [msgid for msgid in sorted(msgids) if not has_translation(msgid, "de")] == []


def test_the_client_does_not_import_the_user_interface() -> None:
    code = "import sys, store.exchange.oparl; sys.exit(any(name.split('.')[0] in ('textual', 'tui') for name in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
