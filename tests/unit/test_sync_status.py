"""The header's sync state: live, offline with the seconds to the next attempt, a running sync and how far it has come,
in both languages."""

from __future__ import annotations

import time
from datetime import date

import pytest

from store import SyncProgress
from tui.components.sync_status import SyncView, sync_text

TODAY = date(2020, 11, 2)


@pytest.mark.parametrize(
    "lang, live, offline",
    [
        ("de", "live · 2 ausstehend", "offline – nächster Versuch in 30 s · 2 ausstehend"),
        ("en", "live · 2 pending", "offline – next attempt in 30 s · 2 pending"),
    ],
)
def test_live_and_offline_in_both_languages(lang: str, live: str, offline: str) -> None:
    assert sync_text(SyncView(True, live=True, pending=2), lang, TODAY).plain == live
    retry_at = time.monotonic() + 29.5  # shown rounded up: never "in 0 s" while there is time left
    assert sync_text(SyncView(True, pending=2, retry_at=retry_at), lang, TODAY).plain == offline


def test_an_attempt_that_is_due_says_zero_seconds() -> None:
    text = sync_text(SyncView(True, retry_at=time.monotonic() - 5), "de", TODAY).plain
    assert text == "offline – nächster Versuch in 0 s"


@pytest.mark.parametrize(
    "lang, started, progressed, counted",
    [
        (
            "de",
            "Sync läuft … · 2 ausstehend",
            "Sync läuft … 12.000 gelesen, 1.500 gesendet · 2 ausstehend",
            "Sync läuft … 12.000 von 50.000 gelesen, 1.500 gesendet · 2 ausstehend",
        ),
        (
            "en",
            "Syncing… · 2 pending",
            "Syncing… 12,000 read, 1,500 sent · 2 pending",
            "Syncing… 12,000 of 50,000 read, 1,500 sent · 2 pending",
        ),
    ],
)
def test_a_running_sync_says_how_far_it_has_come_in_both_languages(
    lang: str, started: str, progressed: str, counted: str
) -> None:
    assert sync_text(SyncView(True, running=True, pending=2), lang, TODAY).plain == started
    running = SyncView(True, running=True, pending=2, progress=SyncProgress(12_000, 1_500))
    assert sync_text(running, lang, TODAY).plain == progressed
    # With the total the server said after the first page; never fewer than read (the feed grew meanwhile).
    assert sync_text(running._replace(progress=SyncProgress(12_000, 1_500, 50_000)), lang, TODAY).plain == counted
    grown = running._replace(progress=SyncProgress(50_000, 1_500, 12_000))
    assert sync_text(grown, lang, TODAY).plain == counted.replace("12", "50", 1)
    assert sync_text(running._replace(running=False), lang, TODAY).plain.startswith(("Noch nie", "Never"))
