"""A hostile sync server can neither write to the terminal nor hold the client (issue 18, defect 11).

Each misbehaviour of tests/helpers/hostile_sync.py, one bounded test each: the sync ends with a clear
message (exit 1 on the command line), nothing of the server's text reaches the terminal raw, and the
data file is byte for byte as it was.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest

from store import Store, SyncProgress, example_motion
from store.sync.client import SyncError, make_client, sync
from store.values import ITEMS_LIMIT
from tui.cli import main

from helpers.hostile_sync import HostileSync
from helpers.stored import stored_files
from helpers.sync import cli

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store with a motion to push, so the push is tried too."""
    path = tmp_path / "a.json"
    with Store(path, user="anna") as store:
        store.add_motion(example_motion())
    return path


def _sync_fails(db: Path, server: HostileSync) -> str:
    """``sachstand sync`` against the server: exit 1, the data file unchanged; what it said."""
    before = stored_files(db)
    result = cli(db, "sync", "--remote", server.url, "--token", "secret-token")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err and "\x1b" not in result.err and "\x07" not in result.err
    assert result.err.startswith("sachstand: error: " + server.url.split("/api")[0]) and result.out == ""
    assert "secret-token" not in result.err
    assert stored_files(db) == before
    return result.err


def test_an_error_message_is_shown_escaped_and_cut_short(db: Path) -> None:
    with HostileSync("escape_error") as server:
        said = _sync_fails(db, server)
    assert "refused the request (HTTP 400)" in said and "\\x1b[2J\\x1b]0;owned\\x07" in said
    assert len(said) < 600  # 20,000 characters sent


@pytest.mark.parametrize(
    ("conflict", "named"),
    [
        ({"title": "\x1b[31mrot"}, "title: contains a control character (U+001B)"),
        ({"history": ["x" * 1000] * 100}, "unknown field 'history'"),
        ({"items": "alle"}, "items: expected a list"),
    ],
    ids=["escape-in-title", "unknown-field", "wrong-type"],
)
def test_a_conflicts_document_is_checked_before_it_is_stored(db: Path, conflict: dict[str, Any], named: str) -> None:
    with HostileSync("conflict_doc", conflict=conflict) as server:
        said = _sync_fails(db, server)
        assert any(request.startswith("POST") for request in server.requests)
    assert "/bulk: the server sent a document that is not valid: " + example_motion().id in said and named in said


def test_a_sync_that_fails_on_a_terminal_takes_its_progress_line_off_before_the_error(db: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    before, err = stored_files(db), Terminal()
    with HostileSync("conflict_doc") as server:
        code = main(["--db", str(db), "sync", "--remote", server.url, "--token", "secret-token"], stderr=err)
    said, line = err.getvalue(), "Syncing… 0 read, 0 sent"  # at once; the empty feed read; the push then refused
    assert code == 1 and stored_files(db) == before
    assert said.startswith(f"\rSyncing…\r{line}\r{' ' * len(line)}\rsachstand: error: ") and "\x1b" not in said


@pytest.mark.parametrize("remaining", [-1, "5", True, 1.5, 10**12, None, [3]])
def test_a_count_of_what_follows_that_is_none_leaves_the_progress_without_a_total(
    tmp_path: Path, remaining: object
) -> None:
    told: list[SyncProgress] = []
    with HostileSync("odd_remaining", remaining=remaining) as server, Store(tmp_path / "b.json", user="ben") as store:
        report = sync(store, server.url, "secret-token", progress=told.append)
    assert report.pulled == 1 and told == [SyncProgress(1, 0)]


def test_more_forever_stops_after_the_page_limit(db: Path) -> None:
    started = time.monotonic()
    with HostileSync("more_forever") as server:
        said = _sync_fails(db, server)
        pages = len([request for request in server.requests if "/changes" in request])
    assert "still had more after 500 pages" in said and pages == 500
    assert time.monotonic() - started < 8


def test_a_motion_with_too_many_items_is_refused(db: Path) -> None:
    with HostileSync("many_items") as server:
        said = _sync_fails(db, server)
    assert f"more than {ITEMS_LIMIT} items" in said


@pytest.mark.parametrize("mode", ["trickle_body", "trickle_headers"])
def test_a_trickled_answer_is_cut_off_at_the_deadline(db: Path, mode: str) -> None:
    before = stored_files(db)
    started = time.monotonic()
    # A byte every 0.2 s never trips the read timeout of 0.5 s; the deadline of 1 s ends it.
    with (
        HostileSync(mode, interval=0.2) as server,
        make_client("secret-token", read_timeout=0.5) as client,
        Store(db, user="anna") as store,
        pytest.raises(SyncError) as raised,
    ):
        sync(store, server.url, "secret-token", client=client, backoff=0, deadline=1.0)
    assert "no complete answer within 1.0 seconds" in str(raised.value) and raised.value.exit_code == 1
    assert time.monotonic() - started < 3
    assert stored_files(db) == before


def test_a_rejoin_checks_the_feed_it_reads_as_a_pull_does(db: Path, server: Any) -> None:
    # Synced once with a real server, this copy holds agreed documents; a server that then says it holds
    # nothing makes it rejoin, reading the whole feed: a document there that is no motion ends the sync
    # with a message, before anything of it is kept as the agreed base.
    assert cli(db, "sync", "--remote", server.url, "--token", server.token).code == 0
    with HostileSync("rejoin_bad_doc") as hostile:
        said = _sync_fails(db, hostile)
    assert "not valid" in said and "items" in said
