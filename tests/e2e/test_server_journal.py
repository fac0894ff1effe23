"""The file server's data file during pushes: new motions go to its journal, replaced ones count against it.

A push of motions new to the server costs its journal what it would cost the file (the one server process
reads the journal once, at its start), so a full push into an empty server writes the file whole only at
its first body; a push that replaces documents writes it whole once the journal's replaced bytes pass the
file's size. Either way the server, and a server started anew on its files, serves every motion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_sync_batches import add_motions

import store.sync.client
from store import Store
from store.file import storage
from store.file.names import StoreFiles
from store.sync.tokens import add_token

from helpers.sync import Running, Server, model, run_sync, serving

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


def _whole_at(path: Path) -> int:
    """The generation at which the data file was last written whole (its header's)."""
    found = re.search(rb'"generation":(\d+)', path.read_bytes()[:256])
    assert found is not None
    return int(found.group(1))


def _journal_lines(path: Path) -> int:
    """The transactions the journal holds beside the data file (its first line names the file)."""
    journal = StoreFiles(path).journal
    return len(journal.read_bytes().splitlines()) - 1 if journal.exists() else 0


@pytest.fixture
def small_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "JOURNAL_MINIMUM", 0)  # the journal's share counts from the first byte
    monkeypatch.setattr(store.sync.client, "PUSH_BYTES", 1500)  # about two of these motions per body


@pytest.mark.usefixtures("small_bodies")
def test_a_push_of_new_motions_writes_the_server_file_whole_only_at_its_first_body(tmp_path: Path) -> None:
    data, a, b = tmp_path / "server.json", tmp_path / "a.json", tmp_path / "b.json"
    add_motions(a, 12)
    with serving(tmp_path) as server:
        assert run_sync(a, server).code == 0
    assert _whole_at(data) == 1  # the first body made the file; every other one went to its journal
    assert _journal_lines(data) > 3
    with _again(tmp_path) as server:  # a server started anew reads the journal with the file
        assert run_sync(b, server).code == 0
        assert model(b) == model(a) and len(model(b)) == 12
        with Store(b, user="bert") as local:  # the journal it read counts as replaced: the next write compacts
            local.set_item(next(iter(local.motions())).id, 1, note="nach dem Neustart")
        assert run_sync(b, server).code == 0
        assert _whole_at(data) > 1 and _journal_lines(data) == 0
        assert run_sync(tmp_path / "c.json", server).code == 0
    assert model(tmp_path / "c.json") == model(b) != model(a)


@pytest.mark.usefixtures("small_bodies")
def test_a_push_that_replaces_the_server_documents_writes_its_file_whole_once_they_weigh_as_much(
    tmp_path: Path,
) -> None:
    data, a, b = tmp_path / "server.json", tmp_path / "a.json", tmp_path / "b.json"
    add_motions(a, 12)
    with serving(tmp_path) as server:
        assert run_sync(a, server).code == 0
        first = _whole_at(data)
        with Store(a, user="anna") as local:
            for motion in local.motions():
                local.set_item(motion.id, 1, note="geändert: " + "x" * 200)
        assert run_sync(a, server).code == 0
        assert _whole_at(data) > first  # the replaced documents outweighed the file: written whole
        assert _journal_lines(data) < 6  # and the journal began again
    with _again(tmp_path) as server:
        assert run_sync(b, server).code == 0
    assert model(b) == model(a)
    assert {motion["items"][0]["note"] for motion in model(b).values()} == {"geändert: " + "x" * 200}


@contextmanager
def _again(tmp_path: Path) -> Iterator[Server]:
    """The file server started anew on the files of the last one, with a token of its own."""
    token = add_token(tmp_path / "tokens.json", "bert")
    running = Running(tmp_path / "server.json", tmp_path / "tokens.json")
    try:
        yield Server(f"http://127.0.0.1:{running.port}/api/v1", token, running.port)
    finally:
        running.stop()
