"""A push sends a motion never synced as its line in the data file holds it, without parsing the line, where the
store read that motion before (store/sync/state.py ``_new_by_line``, store/file/parts.py ``part_line``): what the
server takes, what is recorded here, an edit made meanwhile and a refusal are as when each line is parsed."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from store import Motion, Remote, Store, new_items, new_motion_id
from store.edit import pushed_form
from store.errors import StoreFileError
from store.sync.client import sync
from store.sync.tokens import add_token
from tui.app import SachstandApp

from helpers.dashboard import sync_header, until
from helpers.parses import parses_counted
from helpers.stored import whole_writes
from helpers.sync import edit_during_first_bulk, model, run_sync, serving

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test

COUNT = 30


@pytest.fixture
def laid_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A store of COUNT motions never synced, each a line of its data file (written whole), one of them deleted."""
    path = tmp_path / "a.json"
    with monkeypatch.context() as whole, Store(path, user="anna") as local:
        whole_writes(whole)
        ids = [
            local.add_motion(
                Motion(id=new_motion_id(), title=f"Antrag {n}", reference=f"DS {n}/2026", items=new_items(["Bericht"]))
            ).id
            for n in range(COUNT)
        ]
        local.delete_motion(ids[-1])  # deleted before it ever went out: nothing to send
    return path, ids


def test_a_full_push_sends_each_motion_as_its_line_holds_it_and_parses_none(
    tmp_path: Path, laid_out: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ids = laid_out
    with serving(tmp_path) as server, Store(path, user="anna") as local:
        local.motions()  # the dashboard's read: each motion up to its history
        parses = parses_counted(monkeypatch)
        assert local.sync_state(server.url).pending == COUNT - 1
        report = sync(local, server.url, server.token)
        assert report.pushed == COUNT - 1 and report.conflicts == [] and parses == []
        state = local.sync_state(server.url)
        assert (state.pending, state.conflicts, state.refused) == (0, 0, 0)
        assert run_sync(tmp_path / "b.json", server).code == 0
    assert model(tmp_path / "b.json") == model(path) and len(model(path)) == COUNT - 1
    assert model(tmp_path / "server.json") == model(path)


def test_an_edit_made_while_lines_are_pushed_goes_out_with_the_next_sync(
    tmp_path: Path, laid_out: tuple[Path, list[str]]
) -> None:
    path, ids = laid_out

    def edit_meanwhile() -> None:  # another process's edit: the next read of the file finds it
        with Store(path, user="anna") as other:
            other.set_item(ids[0], 1, note="Während des Sync geschrieben")

    edited: list[bool] = []
    with serving(tmp_path, wrap=edit_during_first_bulk(edit_meanwhile, edited)) as server:
        with Store(path, user="anna") as local:
            local.motions()
            assert sync(local, server.url, server.token).pushed == COUNT - 1 and edited
            assert local.sync_state(server.url).pending == 1  # taken for the edit, not for what was pushed
        assert run_sync(path, server).code == 0
        assert run_sync(tmp_path / "b.json", server).code == 0
    with Store(tmp_path / "b.json", user="ben") as other:
        assert other.get(ids[0]).items[0].note == "Während des Sync geschrieben"
    assert model(tmp_path / "b.json") == model(path)


def test_motions_refused_when_sent_as_their_lines_are_kept_and_not_sent_again(
    tmp_path: Path, laid_out: tuple[Path, list[str]]
) -> None:
    path, ids = laid_out
    with serving(tmp_path) as server:
        reader = add_token(tmp_path / "tokens.json", "rita", role="reader")  # may read, never write
        with Store(path, user="anna") as local:
            local.motions()
            assert sync(local, server.url, reader).pushed == 0
            state = local.sync_state(server.url)
            assert (state.pending, state.refused) == (0, COUNT - 1)
            document = local.documents()[ids[0]]
            assert document["refused"]["doc"] == pushed_form(document)  # what was sent, kept as a document
            assert sync(local, server.url, reader).pushed == 0  # refused as it is: not sent again
            assert local.sync_state(server.url).refused == COUNT - 1
        assert model(tmp_path / "server.json") == {}


def test_a_history_damaged_behind_a_motion_never_synced_does_not_hold_its_push_and_is_refused_where_read(
    tmp_path: Path, laid_out: tuple[Path, list[str]]
) -> None:
    """The push sends the motion, which is whole; the history damaged behind it since the file was written (its
    size kept: a person's editor, a failing disk) is refused where it is read, with the whole parse's message."""
    path, ids = laid_out
    content = path.read_bytes()
    line = next(line for line in content.splitlines() if f'"id":"{ids[0]}"'.encode() in line)
    assert line.count(b'"action":"create"') == 1
    path.write_bytes(content.replace(line, line.replace(b'"action":"create"', b'"action"!"create"')))
    with serving(tmp_path) as server:
        with Store(path, user="anna") as local:
            local.motions()
            assert sync(local, server.url, server.token).pushed == COUNT - 1
            with pytest.raises(StoreFileError, match="not valid JSON"):
                local.history(ids[0])
        assert run_sync(tmp_path / "b.json", server).code == 0
    with Store(tmp_path / "b.json", user="ben") as other:
        assert other.get(ids[0]).title == "Antrag 0"


async def test_S_in_the_dashboard_sends_each_motion_as_its_line_holds_it(
    tmp_path: Path, laid_out: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ids = laid_out
    with serving(tmp_path) as server, Store(path, user="anna") as store:
        app = SachstandApp(store, "de", remote=Remote(server.url, server.token), live=False, poll_interval=0.2)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: f"{COUNT - 1} ausstehend" in sync_header(app), seconds=15.0)
            parses = parses_counted(monkeypatch)
            await pilot.press("S")
            sent = f"Synchronisiert: 0 empfangen, {COUNT - 1} gesendet."
            await until(pilot, lambda: sent in "\n".join(str(note.message) for note in app._notifications), 15.0)
            # No line parsed whole but the selected motion's, whose history the details show again after the sync
            # (and the parts before the histories: the dashboard's read of the sync's whole write).
            whole = [orjson.loads(line)["id"] for line in parses if b'"history":' in line]
            assert set(whole) <= {app.main.motion_list.selected_id} and len(whole) <= 1
            assert "ausstehend" not in sync_header(app)
    assert model(tmp_path / "server.json") == model(path)
