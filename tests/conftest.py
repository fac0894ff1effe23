"""Shared test set-up: a fixed time zone so times print the same everywhere, and the fixtures more than one
test module uses. Helpers that are not fixtures live in tests/helpers/."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from store import Store

from helpers.bounds import isolated
from helpers.held import HeldRead

if TYPE_CHECKING:
    from helpers.postgres import Cluster
    from helpers.resident import Resident
    from helpers.sync import Server

os.environ["TZ"] = "UTC"
time.tzset()
# No command a test starts leaves a resident process behind (tui/cli/resident): every command runs in its own
# process, as the tests expect; tests/e2e/test_resident.py turns it on with a runtime folder of its own.
os.environ["SACHSTAND_RESIDENT"] = "0"
# The models a dashboard keeps between starts (store/modelcache.py) go to a folder of this run's own, never to the
# user's cache folder (platformdirs follows XDG_CACHE_HOME); removed when the run ends.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="sachstand-tests-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], ignore_errors=True)
# Ctrl-C as a terminal sends it: a run started as a background job of a shell without job control (`cmd &` in a
# script) ignores SIGINT, every program it starts inherits that, and the commands the tests interrupt ran on (three
# tests of tests/e2e/test_resident.py waited out their 60 s). Handled here, the programs started get the default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def held_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldRead]:
    """Instrumentation only: the read itself is the real one, on the real file, once released."""
    held = HeldRead()
    reopened = Store.reopened

    def held_reopened(self: Store, **options: bool) -> Store:
        held.wait()
        return reopened(self, **options)

    monkeypatch.setattr(Store, "reopened", held_reopened)
    yield held
    held.release()


@pytest.fixture
def bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A clean environment, and no test may run longer than 10 s (a module opts in with
    ``pytestmark = pytest.mark.usefixtures("bounded")``)."""
    with isolated(monkeypatch, tmp_path, 10):
        yield


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """The real sync server on 127.0.0.1: on its data file, or, for a test marked with helpers.sync.BOTH_BACKENDS, also on PostgreSQL (a
    module that needs another kind of server defines its own)."""
    # Imported here, not at the top: uvicorn and the whole command line are slow to load for unit tests.
    from helpers.sync import serving, serving_postgres

    kind = getattr(request, "param", "file")
    with serving(tmp_path) if kind == "file" else serving_postgres(request.getfixturevalue("database")) as running:
        yield running


@pytest.fixture
def oparl(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The OParl test server on 127.0.0.1, reached directly whatever proxy the machine names (a module
    that needs another kind defines its own)."""
    from helpers.oparl_server import OParlServer

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    with OParlServer() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """One PostgreSQL for the whole session (tests/helpers/postgres.py), started by the first test that needs
    it. If it cannot start, every such test fails with the reason: never skipped."""
    from helpers.postgres import Cluster, PostgresUnavailable

    left = signal.alarm(0)  # the one start of the session does not count against the first test's deadline
    try:
        cluster = Cluster()
        cluster.start()
    except PostgresUnavailable as error:
        pytest.fail(f"cannot start PostgreSQL for the tests: {error}", pytrace=False)
    finally:
        signal.alarm(left)
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def database(postgres_cluster: Cluster) -> str:
    """The URL of a new, empty database of its own, on a running PostgreSQL (a test may have stopped it)."""
    if not postgres_cluster.accepting():
        postgres_cluster.start()
    return postgres_cluster.create_database()


@pytest.fixture
def resident(tmp_path: Path) -> Iterator[Resident]:
    """The `sachstand` command with a resident process in a runtime folder of the test's own, every process of
    which is ended with the test."""
    from helpers.resident import Resident

    found = Resident(tmp_path)
    try:
        yield found
    finally:
        found.end()


@pytest.fixture
def stores(resident: Resident) -> tuple[Path, Path, str]:
    """Two copies of one store of 20 generated motions (here: local, there: through the resident process),
    and a motion's id; a resident process started and answering."""
    here = resident.cwd / "here.json"
    assert resident.run("--db", str(here), "generate", "--motions", "20", resident=False)[0] == 0
    there = resident.cwd / "there.json"
    shutil.copyfile(here, there)
    motion = json.loads(resident.run("--db", str(here), "list", "--json", resident=False)[1])[3]["id"]
    resident.run("--db", str(there), "show", motion)  # runs in its own process and starts the resident one
    resident.started()
    return here, there, motion
