"""The tokens file changed by several `sachstand token` processes at once, read by a running `sachstand serve`.

Without a lock, 12 parallel `token add` printed 12 tokens of which 5 never worked, and a `token revoke`
beside a `token add` reported success while the token kept working (the add wrote back the file it had
read before the revoke). Every process here is a real one; the rounds are few and each has a timeout.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from filelock import FileLock

from store.errors import LockTimeout, StoreFileError
from store.sync.tokens import add_token, list_tokens, revoke_token, user_for

from helpers import ROOT

PARALLEL = 12
ROUNDS = 3
TIMEOUT = 60  # seconds for any one process: the machine is shared, a start can be slow


def sachstand(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "--lang", "en", *argv],
        cwd=ROOT,
        env={**os.environ, "SACHSTAND_CONFIG": os.devnull},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen[str]) -> str:
    """What the process printed on stdout; it must have succeeded."""
    out, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, err
    return out


class Serve:
    def __init__(self, tmp_path: Path, tokens: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api/v1/info"
        self.process = sachstand(
            "serve", "--db", str(tmp_path / "server.json"), "--tokens", str(tokens), "--port", str(port)
        )

    def status(self, token: str) -> int:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                return httpx.get(self.url, headers={"Authorization": f"Bearer {token}"}, timeout=5).status_code
            except httpx.TransportError:
                assert self.process.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=TIMEOUT)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[tuple[Serve, Path, str]]:
    tokens = tmp_path / "tokens.json"
    token = add_token(tokens, "anna")
    server = Serve(tmp_path, tokens)
    try:
        assert server.status(token) == 200
        yield server, tokens, token
    finally:
        server.stop()


def test_parallel_adds_all_land_and_every_printed_token_works(serve: tuple[Serve, Path, str]) -> None:
    server, tokens, _ = serve
    adding = [sachstand("token", "add", f"user{n}", "--tokens", str(tokens)) for n in range(PARALLEL)]
    printed = [finished(process).strip().splitlines()[-1] for process in adding]
    assert len(set(printed)) == PARALLEL
    assert sorted(name for name, *_ in list_tokens(tokens)) == sorted(["anna", *(f"user{n}" for n in range(PARALLEL))])
    assert [server.status(token) for token in printed] == [200] * PARALLEL


def test_a_revoke_racing_adds_is_effective_when_it_returns(serve: tuple[Serve, Path, str]) -> None:
    server, tokens, _ = serve
    for round_ in range(ROUNDS):
        victim = add_token(tokens, f"victim{round_}")
        assert server.status(victim) == 200
        adding = [sachstand("token", "add", f"r{round_}u{n}", "--tokens", str(tokens)) for n in range(4)]
        finished(sachstand("token", "revoke", f"victim{round_}", "--tokens", str(tokens)))
        assert server.status(victim) == 401, f"round {round_}: the revoked token still works right after the revoke"
        added = [finished(process).strip().splitlines()[-1] for process in adding]
        assert server.status(victim) == 401, f"round {round_}: an add racing the revoke brought the token back"
        assert [server.status(token) for token in added] == [200] * 4
    assert not any(name.startswith("victim") for name, *_ in list_tokens(tokens))


def test_a_held_lock_makes_a_change_wait_and_then_fail_with_a_message(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    add_token(tokens, "anna")
    before = tokens.read_bytes()
    with FileLock(f"{tokens}.lock"):
        with pytest.raises(LockTimeout, match="lock"):
            add_token(tokens, "berta", lock_timeout=0.2)
        with pytest.raises(LockTimeout, match="lock"):
            revoke_token(tokens, "anna", lock_timeout=0.2)
    assert tokens.read_bytes() == before


def test_a_tokens_file_reached_through_a_link_is_changed_where_it_is(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "tokens.json"
    real.parent.mkdir()
    add_token(real, "anna")
    link = tmp_path / "tokens.json"
    link.symlink_to(real)
    token = add_token(link, "berta")
    assert link.is_symlink() and user_for(real, token) == "berta"
    assert (real.parent / "tokens.json.lock").exists() and not (tmp_path / "tokens.json.lock").exists()


def test_a_missing_folder_or_an_unwritable_one_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(StoreFileError, match="folder does not exist"):
        add_token(tmp_path / "nowhere" / "tokens.json", "anna")
    assert not (tmp_path / "nowhere").exists()


def test_what_is_no_regular_file_or_far_too_large_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    pipe, folder, huge = tmp_path / "pipe", tmp_path / "folder", tmp_path / "huge.json"
    os.mkfifo(pipe)  # as /dev/zero or a pipe would: reading it whole never ends
    folder.mkdir()
    with open(huge, "wb") as handle:
        handle.truncate(32 * 1024 * 1024)  # sparse: 32 MiB of zeros, over the limit
    for path, says in ((pipe, "not a regular file"), (folder, "not a regular file"), (huge, "larger than")):
        with pytest.raises(StoreFileError) as refused:
            add_token(path, "anna")
        assert says in refused.value.render("en") and str(path) in refused.value.render("en")
    assert pipe.is_fifo() and folder.is_dir() and huge.stat().st_size == 32 * 1024 * 1024
