"""Sync from the dashboard, against the real server on 127.0.0.1: the state in the header, S (ctrl+s does not sync)
in a background worker, automatic syncs, the conflict screen. Every wait is bounded."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from store import ItemStatus, Motion, Remote, Store, example_motion, new_items, new_motion_id
from store.edit import live, replaced_by
from store.exchange.generate import generate_motions
from store.file.storage import AtomicJSONStorage
from store.history import CREATE
from tui.app import SachstandApp
from tui.components.sync_status import SyncStatus
from tui.screens.conflicts import ConflictScreen, ConflictTable

from helpers.dashboard import plain, to_item, until
from helpers.parses import parses_counted
from helpers.stored import stored_files
from helpers.sync import Server, cli, model, run_sync, serving

MOTION = example_motion().id
TODAY = date(2020, 11, 2)


@pytest.fixture
def synced(tmp_path: Path, server: Server) -> tuple[Path, Path]:
    """Two copies that share the example motion through the server."""
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with Store(a, user="anna") as store:
        store.add_motion(example_motion())
    assert run_sync(a, server).code == 0 and run_sync(b, server).code == 0
    return a, b


def _app(store: Store, server: Server | None, **kwargs: Any) -> SachstandApp:
    remote = Remote(server.url, server.token) if server else None
    return SachstandApp(store, "de", today=TODAY, remote=remote, poll_interval=0.2, **kwargs)


def _header(app: SachstandApp) -> str:
    return _shown(app.screen.query_one(SyncStatus)).strip()


_until = partial(until, seconds=15.0)  # syncs through a real server, some held back


def _shown(widget: Any) -> str:
    return plain(widget.content)


def _notes(app: SachstandApp) -> str:
    return "\n".join(str(notification.message) for notification in app._notifications)


async def test_without_a_server_the_header_says_sync_is_off(tmp_path: Path) -> None:
    with Store(tmp_path / "a.json", user="anna") as store:
        store.add_motion(example_motion())
        before = stored_files(store.path)
        app = _app(store, None)
        async with app.run_test(size=(100, 30)) as pilot:
            assert _header(app) == "Sync aus"
            await pilot.press("S")
            assert "Sync ist aus" in _notes(app)
            assert not app.sync_running
        assert stored_files(store.path) == before


async def test_without_live_sync_an_edit_waits_as_pending_until_S_sends_it(
    synced: tuple[Path, Path], server: Server
) -> None:
    a, b = synced
    with Store(a, user="anna") as store:
        app = _app(store, server, live=False)
        async with app.run_test(size=(100, 30)) as pilot:
            assert _header(app).startswith("Sync ") and "ausstehend" not in _header(app)
            await to_item(pilot, app, MOTION, 4)
            await pilot.press("4")  # done; written at once, or queued while a sync holds the file's lock
            await _until(pilot, lambda: "1 ausstehend" in _header(app))
            await pilot.press("S")
            await _until(pilot, lambda: not app.sync_running and "ausstehend" not in _header(app))
            assert "Synchronisiert: 0 empfangen, 1 gesendet." in _notes(app)
            await pilot.press("ctrl+s")  # saves forms only: no sync
            await pilot.pause(0.3)
            assert not app.sync_running and "Synchronisiert: 0 empfangen, 0 gesendet." not in _notes(app)
            await pilot.press("S")  # again: nothing left to send
            await _until(pilot, lambda: "Synchronisiert: 0 empfangen, 0 gesendet." in _notes(app))
    assert run_sync(b, server).code == 0
    with Store(b, user="ben") as other:
        assert other.get(MOTION).items[3].status is ItemStatus.DONE


async def test_the_syncs_handle_takes_the_dashboards_models(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync after the first runs in a thread, on a handle of the syncs' own made holding the dashboard's models
    (tui/syncing.py): its read of the file compares the lines and builds no model. A handle that parsed them made a
    second set of models: at 50,000 motions the dashboard went from 271 to 835 MB at a sync that brought nothing."""
    path = tmp_path / "a.json"
    with Store(path, user="anna") as store, store.transaction() as tx:
        for motion in generate_motions(5, today=TODAY):
            tx.apply(motion.id, CREATE, replaced_by(live(motion)))
    assert run_sync(path, server).code == 0  # the first sync, completed
    with Store(path, user="anna") as store:
        app = _app(store, server, live=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await _until(pilot, lambda: not app.loading and len(app.main.motion_list.keys) == 5)
            lines = parses_counted(monkeypatch)
            await pilot.press("S")
            await _until(pilot, lambda: "Synchronisiert: 0 empfangen, 0 gesendet." in _notes(app))
            # A model is built from a motion's part before its history (store/file/parts.py): no such part parsed.
            # (The sync itself reads whole documents, as it did.)
            assert [line for line in lines if b'"history":' not in line] == []


async def test_a_sync_asked_for_while_another_program_broke_the_file_says_so_and_changes_nothing(
    synced: tuple[Path, Path], server: Server
) -> None:
    """S while the data file holds what is no store (written over by another program): the sync fails, saying which
    file and what is wrong, as a sync failure; the dashboard goes on, and the file stays as that program left it."""
    a, _b = synced
    with Store(a, user="anna") as store:
        app = _app(store, server, live=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await _until(pilot, lambda: not app.loading)
            a.write_bytes(b"not a store")
            await pilot.press("S")

            def failures() -> list[str]:
                return [str(note.message) for note in app._notifications if note.title == "Sync fehlgeschlagen"]

            await _until(pilot, lambda: not app.sync_running and bool(failures()))
            assert len(failures()) == 1 and failures()[0].startswith(f"{a}: kein gültiges JSON") and app.is_running
    assert a.read_bytes() == b"not a store"


async def test_syncs_after_the_first_read_only_what_changed(
    synced: tuple[Path, Path], server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = synced
    parses: list[int] = []
    original = AtomicJSONStorage._parse_file
    # Instrumentation, not a fake: counts how often the data file is read whole.
    monkeypatch.setattr(
        AtomicJSONStorage, "_parse_file", lambda self, handle: (parses.append(1), original(self, handle))[1]
    )
    sent = "Synchronisiert: 0 empfangen, 1 gesendet."
    with Store(a, user="anna") as store:
        app = _app(store, server, live=False)  # the syncs counted are S's alone
        async with app.run_test(size=(100, 30)) as pilot:
            await to_item(pilot, app, MOTION, 4)
            await pilot.press("4")
            parses.clear()
            await pilot.press("S")
            await _until(pilot, lambda: _notes(app).count(sent) == 1)
            assert parses == [1]  # the syncs' own handle reads the file once, when it is made
            with Store(a, user="anna") as command_line:
                command_line.set_item(MOTION, 3, status=ItemStatus.IN_PROGRESS)
            parses.clear()
            await pilot.press("S")
            await _until(pilot, lambda: _notes(app).count(sent) == 2)
            assert parses == []  # the next sync read only what the journal gained
    with Store(a, user="anna") as reread:
        assert [item.status for item in reread.get(MOTION).items][2:4] == [ItemStatus.IN_PROGRESS, ItemStatus.DONE]
        assert reread.sync_state(server.url).pending == 0


def _held(gate: threading.Event, path: str) -> Callable[[Any], Any]:
    """The real server, with every request to ``path`` (its end) held until ``gate`` opens (10 s at most): a slow
    network that stays slow however long a busy machine takes to run the test's keys."""

    def wrap(app: Any) -> Any:
        async def held(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["path"].endswith(path):
                await asyncio.to_thread(gate.wait, 10.0)
            await app(scope, receive, send)

        return held

    return wrap


async def test_editing_goes_on_while_a_sync_runs(tmp_path: Path) -> None:
    gate = threading.Event()
    with serving(tmp_path, wrap=_held(gate, "/changes")) as server:
        with Store(tmp_path / "a.json", user="anna") as store:
            store.add_motion(example_motion())
            app = _app(store, server)
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.press("S")
                assert app.sync_running and _header(app).startswith("Sync läuft")
                await to_item(pilot, app, MOTION, 2)
                await pilot.press("3")  # handled at once, while the worker waits for the server
                assert app.sync_running
                assert store.get(MOTION).items[1].status is ItemStatus.REPORTED
                await pilot.press("S")
                assert "Ein Sync läuft bereits." in _notes(app)
                gate.set()
                await _until(pilot, lambda: not app.sync_running)
                if "ausstehend" in _header(app):  # the edit came after the push had been read
                    await pilot.press("S")
                    await _until(pilot, lambda: not app.sync_running and "ausstehend" not in _header(app))
        other = tmp_path / "b.json"
        assert run_sync(other, server).code == 0
        assert model(other) == model(tmp_path / "a.json")


async def test_a_running_sync_says_how_far_it_has_come_and_shows_what_it_brought_when_it_ends(tmp_path: Path) -> None:
    """The pull's pages, written as they come, are not followed on the app's thread while the sync runs (a first pull
    of 50,000 motions took half as long again so, the dashboard still for seconds at a time): its end shows them."""
    gate = threading.Event()
    with serving(tmp_path, wrap=_held(gate, "/bulk")) as server:
        colleague = tmp_path / "b.json"
        with Store(colleague, user="ben") as store:
            for title in ("Radweg", "Schulbus", "Freibad"):
                store.add_motion(Motion(id=new_motion_id(), title=title, items=new_items(["Bericht"])))
        gate.set()
        assert run_sync(colleague, server).code == 0
        gate.clear()  # the next push's answer waits: the header shows the pull's count meanwhile
        with Store(tmp_path / "a.json", user="anna") as store:
            store.add_motion(example_motion())
            app = _app(store, server, live=False, sync_interval=None)  # the sync S starts, and no other
            async with app.run_test(size=(120, 30)) as pilot:
                await pilot.press("S")
                await _until(pilot, lambda: _header(app).startswith("Sync läuft … 3 von 3 gelesen, 0 gesendet"))
                await pilot.pause(5 * app.poll_interval)  # the timer's looks at the file, meanwhile
                assert app.sync_running and app.main.motion_list.keys == [MOTION]
                gate.set()
                await _until(pilot, lambda: "Sync läuft" not in _header(app))
                assert not app.sync_running and "Synchronisiert: 3 empfangen, 1 gesendet." in _notes(app)
                await _until(pilot, lambda: len(app.main.motion_list.keys) == 4)


async def test_a_failed_sync_says_why_and_changes_nothing(tmp_path: Path) -> None:
    with socket.socket() as held:  # bound, never listening: every connect is refused
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
        await _refused_sync_changes_nothing(tmp_path, Server(f"http://127.0.0.1:{port}/api/v1", "secret-token", port))


async def _refused_sync_changes_nothing(tmp_path: Path, closed: Server) -> None:
    with Store(tmp_path / "a.json", user="anna") as store:
        store.add_motion(example_motion())
        before = stored_files(store.path)
        app = _app(store, closed, live=False)  # live: tests/e2e/test_dashboard_live.py
        async with app.run_test(size=(100, 30)) as pilot:
            assert _header(app).startswith("Noch nie synchronisiert") and "1 ausstehend" in _header(app)
            await pilot.press("S")
            # Not "until the worker is finished": the app hears of that a message later.
            await _until(pilot, lambda: _header(app).startswith("Sync fehlgeschlagen"))
            assert not app.sync_running and "1 ausstehend" in _header(app)
            assert "Server nicht erreichbar" in _notes(app) and "secret-token" not in _notes(app)
        assert stored_files(store.path) == before


async def test_automatic_sync_brings_in_a_colleagues_change(synced: tuple[Path, Path], server: Server) -> None:
    a, b = synced
    with Store(a, user="anna") as store:
        app = _app(store, server, sync_interval=0.5)  # the config insists on 10 s or more; the app takes any
        async with app.run_test(size=(100, 30)) as pilot:
            with Store(b, user="ben") as colleague:
                colleague.update_motion(MOTION, title="Digitalisierung: Stand der Projekte")
            assert run_sync(b, server).code == 0
            await _until(
                pilot,
                lambda: (
                    app.main.motion_list.selected_id == MOTION
                    and store.get(MOTION).title == "Digitalisierung: Stand der Projekte"
                ),
            )
            await _until(
                pilot, lambda: "Digitalisierung: Stand der Projekte" in _shown(app.main.query_one("#motion-detail"))
            )
            assert "Synchronisiert" not in _notes(app)  # automatic syncs do not interrupt with a message


@pytest.mark.parametrize("key, expected", [("t", "Annas Stand"), ("m", "Bens Stand")])
async def test_the_conflict_screen_decides_field_by_field(
    synced: tuple[Path, Path], server: Server, key: str, expected: str
) -> None:
    a, b = synced
    with Store(a, user="anna") as store:
        store.set_item(MOTION, 3, note="Annas Stand")
    assert run_sync(a, server).code == 0
    with Store(b, user="ben") as store:
        store.set_item(MOTION, 3, note="Bens Stand")
        store.update_motion(MOTION, title="Bens Titel")  # no conflict: only Ben changed it
        app = _app(store, server)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("S")
            await _until(pilot, lambda: "1 Konflikt (C)" in _header(app))
            assert "C drücken" in _notes(app)
            await pilot.press("C")
            assert isinstance(app.screen, ConflictScreen)
            table = app.screen.query_one(ConflictTable)
            assert table.row_count == 1
            detail = _shown(app.screen.query_one("#conflict-detail"))
            assert "Punkt 3: Sachstand" in detail and "Annas Stand" in detail and "Bens Stand" in detail
            await pilot.press(key)
            assert store.conflicts() == [] and store.get(MOTION).items[2].note == expected
            assert "Keine Konflikte" in _shown(app.screen.query_one("#conflict-detail"))
            assert "Konflikt" not in _header(app)
            await pilot.press("escape", "S")
            await _until(pilot, lambda: not app.sync_running and "ausstehend" not in _header(app))
    assert run_sync(a, server).code == 0
    assert model(a) == model(b)
    with Store(a, user="anna") as store:
        assert store.get(MOTION).items[2].note == expected and store.get(MOTION).title == "Bens Titel"


def test_a_conflict_shows_what_differs_even_for_a_whole_item() -> None:
    from tui.format import conflict_place, conflict_value

    item = {"number": 6, "title": "Glasfaser", "status": "done", "department": "Amt 10", "due": None, "note": "Fertig"}
    assert conflict_place("items.6", "de") == "Punkt 6 (ganzer Punkt)"
    assert conflict_value("items.6", item, "de") == "6. Glasfaser · erledigt · Amt: Amt 10 · Sachstand: Fertig"
    assert conflict_value("items.2.status", "in_progress", "en") == "in progress"
    assert conflict_value("items.2.note", "in_progress", "en") == "in_progress"  # only a status is a status
    assert conflict_value("title", None, "de") == "–"


def test_a_remote_without_a_token_keeps_the_dashboard_from_starting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("SACHSTAND_TOKEN", raising=False)
    monkeypatch.setenv("SACHSTAND_LANG", "en")
    (tmp_path / "config.toml").write_text('remote = "https://sync.example.org/api/v1"\n')
    result = cli(tmp_path / "a.json")
    assert result.code == 2
    assert "No token given" in result.err and "SACHSTAND_TOKEN" in result.err
    assert not (tmp_path / "a.json").exists()
