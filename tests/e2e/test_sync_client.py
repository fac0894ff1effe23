"""The sync client (store/sync/client.py, `sachstand sync/conflicts/resolve`) against the real server on 127.0.0.1."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from store.example import example_motion
from store.store import Store
from store.sync.client import SyncError, make_client, sync
from store.sync.tokens import add_token

from helpers.hostile_sync import HostileSync
from helpers.stored import stored_files
from helpers.sync import BOTH_BACKENDS, Running, Server, cli, edit_during_first_bulk, model, run_sync, serving

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


@pytest.fixture
def pair(tmp_path: Path, server: Server) -> tuple[Path, Path, str]:
    """Two clients that share the example motion through the server."""
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with Store(a, user="anna") as store:
        store.add_motion(example_motion())
    assert run_sync(a, server).code == 0
    assert run_sync(b, server).code == 0
    return a, b, example_motion().id


# --- the real server --------------------------------------------------------------------


@BOTH_BACKENDS
def test_two_clients_converge(tmp_path: Path, server: Server) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with Store(a, user="anna") as store:
        added = store.add_motion(example_motion())
    first = run_sync(a, server)
    assert first.code == 0, first.err
    assert "1 sent" in first.err
    second = run_sync(b, server)
    assert second.code == 0 and "1 received" in second.err
    with Store(b, user="ben") as store:
        store.set_item(added.id, 2, note="Im Ausschuss vorgestellt")
    assert run_sync(b, server).code == 0
    assert run_sync(a, server).code == 0
    assert model(a) == model(b)
    with Store(a, user="anna") as store:
        assert store.get(added.id).items[1].note == "Im Ausschuss vorgestellt"
        assert store.history(added.id)[-1].action == "sync"
    again = run_sync(a, server)  # nothing left to exchange
    assert again.code == 0 and "0 received, 0 sent" in again.err


@BOTH_BACKENDS
def test_different_fields_merge_without_conflict(pair: tuple[Path, Path, str], server: Server) -> None:
    a, b, motion_id = pair
    with Store(a, user="anna") as store:
        store.update_motion(motion_id, title="Neuer Titel")
    with Store(b, user="ben") as store:
        store.set_item(motion_id, 1, note="Ben war hier")
    assert run_sync(a, server).code == 0
    result = run_sync(b, server)
    assert result.code == 0, result.err
    assert run_sync(a, server).code == 0
    assert model(a) == model(b)
    with Store(a, user="anna") as store:
        motion = store.get(motion_id)
        assert motion.title == "Neuer Titel" and motion.items[0].note == "Ben war hier"
        assert store.conflicts() == []


@BOTH_BACKENDS
@pytest.mark.parametrize("choice", ["theirs", "mine"])
def test_same_field_conflicts_until_resolved(pair: tuple[Path, Path, str], server: Server, choice: str) -> None:
    a, b, motion_id = pair
    with Store(a, user="anna") as store:
        store.set_item(motion_id, 3, note="Annas Stand")
    with Store(b, user="ben") as store:
        store.set_item(motion_id, 3, note="Bens Stand")
    assert run_sync(a, server).code == 0
    result = run_sync(b, server)
    assert result.code == 3, result.err
    assert "Annas Stand" in result.out and "Bens Stand" in result.out and "item 3: Sachstand" in result.out
    with Store(b, user="ben") as store:
        assert store.get(motion_id).items[2].note == "Bens Stand"  # mine kept in the motion
        (conflict,) = store.conflicts()
        assert (conflict.path, conflict.mine, conflict.theirs) == ("items.3.note", "Bens Stand", "Annas Stand")
    listed = cli(b, "conflicts")
    assert listed.code == 0 and "Annas Stand" in listed.out and "Bens Stand" in listed.out
    assert run_sync(b, server).code == 3  # still there, nothing pushed
    resolved = cli(b, "resolve", motion_id[:8], "3", f"--{choice}")
    assert resolved.code == 0, resolved.err
    assert cli(b, "conflicts").out == ""
    assert run_sync(b, server).code == 0
    assert run_sync(a, server).code == 0
    expected = "Annas Stand" if choice == "theirs" else "Bens Stand"
    for db in (a, b):
        with Store(db, user="x") as store:
            assert store.get(motion_id).items[2].note == expected
    assert model(a) == model(b)


def test_resolve_needs_a_conflict(pair: tuple[Path, Path, str]) -> None:
    a, _b, motion_id = pair
    result = cli(a, "resolve", motion_id, "motion", "--mine")
    assert result.code == 2 and "No conflict" in result.err


@BOTH_BACKENDS
def test_a_delete_propagates(pair: tuple[Path, Path, str], server: Server) -> None:
    a, b, motion_id = pair
    with Store(a, user="anna") as store:
        store.delete_motion(motion_id)
    assert run_sync(a, server).code == 0
    assert run_sync(b, server).code == 0
    assert model(b) == {}


@BOTH_BACKENDS
def test_a_wrong_token_changes_nothing(tmp_path: Path, server: Server) -> None:
    db = tmp_path / "a.json"
    with Store(db, user="anna") as store:
        store.add_motion(example_motion())
    before = stored_files(db)
    result = run_sync(db, server, token="not-the-token")
    assert result.code == 1
    assert "refused the token" in result.err and "not-the-token" not in result.err + result.out
    assert stored_files(db) == before


def test_missing_remote_says_how_to_set_it(tmp_path: Path) -> None:
    result = cli(tmp_path / "a.json", "sync", "--token", "x")
    assert result.code == 2 and "SACHSTAND_REMOTE" in result.err


def test_settings_from_the_environment(tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "a.json"
    with Store(db, user="anna") as store:
        store.add_motion(example_motion())
    monkeypatch.setenv("SACHSTAND_REMOTE", server.url)
    monkeypatch.setenv("SACHSTAND_TOKEN", server.token)
    result = cli(db, "sync")
    assert result.code == 0 and "1 sent" in result.err
    assert server.token not in db.read_text("utf-8")


def test_server_down_then_up(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    token = add_token(tokens, "anna")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    url = f"http://127.0.0.1:{port}/api/v1"
    db = tmp_path / "a.json"
    with Store(db, user="anna") as store:
        store.add_motion(example_motion())
    before = stored_files(db)
    down = cli(db, "sync", "--remote", url, "--token", token)
    assert down.code == 1 and "cannot reach the server" in down.err and url in down.err
    assert stored_files(db) == before
    running = Running(tmp_path / "server.json", tokens, port)
    try:
        up = cli(db, "sync", "--remote", url, "--token", token)
        assert up.code == 0 and "1 sent" in up.err, up.err
        other = tmp_path / "b.json"
        assert cli(other, "sync", "--remote", url, "--token", token).code == 0
        assert model(other) == model(db)
    finally:
        running.stop()


# --- misbehaving servers (tests/helpers/hostile_sync.py; the hostile ones: tests/e2e/test_sync_hostile.py) ------


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("garbage", "not valid"),
        ("truncated_json", "not valid"),
        ("truncated_body", "not valid"),  # the connection closes early
        ("wrong_shape", "not valid"),
        ("invalid_motion", "not valid"),
        ("error_5xx", "the server failed (HTTP 503"),
        ("huge", "larger than"),
        ("hang", "no answer in time"),
    ],
)
def test_misbehaving_server(tmp_path: Path, mode: str, expected: str) -> None:
    db = tmp_path / "a.json"
    with Store(db, user="anna") as store:
        store.add_motion(example_motion())
    before = stored_files(db)
    with (
        HostileSync(mode) as server,
        make_client("secret-token", read_timeout=0.5) as client,
        Store(db, user="anna") as store,
        pytest.raises(SyncError) as raised,
    ):
        sync(store, server.url, "secret-token", client=client, backoff=0, max_response=1024 * 1024)
    message = str(raised.value)
    assert expected in message and server.url.split("/api")[0] in message and "secret-token" not in message
    assert raised.value.exit_code == 1
    assert stored_files(db) == before


@BOTH_BACKENDS
def test_a_push_conflict_is_merged_and_pushed_again(pair: tuple[Path, Path, str], server: Server) -> None:
    from store.sync.client import Api, _push

    a, b, motion_id = pair
    with Store(b, user="ben") as store:
        store.set_item(motion_id, 1, note="Ben")
    with Store(a, user="anna") as store:
        store.update_motion(motion_id, title="Anna")
    assert run_sync(a, server).code == 0
    with make_client(server.token) as client, Store(b, user="ben") as store:
        api = Api(client, server.url, server.token, attempts=1, backoff=0, max_response=1 << 20)
        assert _push(store, api, server.url) == 1  # refused on the stale base, merged with the server's copy, accepted
        assert store.conflicts() == []
        assert store.get(motion_id).title == "Anna"
    assert run_sync(a, server).code == 0
    with Store(a, user="anna") as store:
        assert store.get(motion_id).items[0].note == "Ben"


def test_the_sync_state_counts_pending_edits_and_conflicts(pair: tuple[Path, Path, str], server: Server) -> None:
    a, b, motion_id = pair
    with Store(a, user="anna") as store:
        state = store.sync_state(server.url)
        assert (state.pending, state.conflicts) == (0, 0)
        assert state.last_synced is not None and abs(time.time() - state.last_synced.timestamp()) < 60
        original = store.get(motion_id).items[0].note
        store.set_item(motion_id, 1, note="Zwischenstand")
        assert store.sync_state(server.url).pending == 1
        store.set_item(motion_id, 1, note=original)
        assert store.sync_state(server.url).pending == 0  # back to what the server has: nothing to send
        store.set_item(motion_id, 2, note="Anna")
    with Store(b, user="ben") as store:
        assert store.sync_state(server.url + "/").last_synced is not None  # the same server, written either way
        assert store.sync_state("http://127.0.0.1:1/elsewhere").last_synced is None
        store.set_item(motion_id, 2, note="Ben")
    assert run_sync(a, server).code == 0
    assert run_sync(b, server).code == 3
    with Store(b, user="ben") as store:
        assert (store.sync_state(server.url).pending, store.sync_state(server.url).conflicts) == (0, 1)
        store.resolve(motion_id, "items.2", "mine")
        assert (store.sync_state(server.url).pending, store.sync_state(server.url).conflicts) == (1, 0)


@pytest.mark.parametrize("how", ["appended to the journal", "written whole"])
def test_the_sync_state_follows_another_processs_edits(
    pair: tuple[Path, Path, str], server: Server, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The dashboard keeps the motions sync must look at between edits; another process's edit, read
    from the journal or from the file written whole, must reach that count all the same."""
    a, _b, motion_id = pair
    with Store(a, user="anna") as dashboard, Store(a, user="anna") as command_line:
        assert dashboard.sync_state(server.url).pending == 0
        original = dashboard.get(motion_id).items[0].note
        if how == "written whole":
            monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
            monkeypatch.setattr("store.file.storage.JOURNAL_SHARE", 10**9)
        command_line.set_item(motion_id, 1, note="von der Kommandozeile")
        assert dashboard.sync_state(server.url).pending == 1
        assert [doc_id for doc_id, _rev, _doc in dashboard.unsynced()] == [motion_id]
        command_line.set_item(motion_id, 1, note=original)
        assert dashboard.sync_state(server.url).pending == 0  # back to what the server has
        command_line.set_item(motion_id, 2, note="noch eins")
        assert dashboard.sync_state(server.url).pending == 1


def test_an_edit_made_while_the_push_is_under_way_goes_out_with_the_next_sync(tmp_path: Path) -> None:
    """The dashboard syncs in a background thread while the user keeps editing: an edit that lands
    between reading what to push and the server's answer must not be taken for pushed."""
    db = tmp_path / "a.json"
    with Store(db, user="anna") as store:
        motion_id = store.add_motion(example_motion()).id

    def edit_meanwhile() -> None:
        with Store(db, user="anna") as local:
            local.set_item(motion_id, 1, note="Während des Sync geschrieben")

    edited: list[bool] = []
    with serving(tmp_path, wrap=edit_during_first_bulk(edit_meanwhile, edited)) as server:
        assert run_sync(db, server).code == 0
        assert edited
        with Store(db, user="anna") as store:
            assert store.sync_state(server.url).pending == 1
        assert run_sync(db, server).code == 0
        other = tmp_path / "b.json"
        assert run_sync(other, server).code == 0
        assert model(other) == model(db)
        with Store(other, user="ben") as store:
            assert store.get(motion_id).items[0].note == "Während des Sync geschrieben"
