"""The connection to PostgreSQL: the URL checked, a few connections kept for reuse, the schema made current
once per process, the database's failures said as :class:`Unavailable`, and LISTEN in a thread.

No state that matters lives here: every request reads what it needs from the database, so any number of
server processes on one database behave as one. While the database is away, each unit of work fails at
once with :class:`Unavailable` (the server answers 503) and the next one connects again: nothing to restart.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.pq import TransactionStatus

from store.errors import BadInput, Unavailable
from store.i18n import add_catalog
from store.sync.postgres import schema

CHANNEL = "sachstand_feed"  # NOTIFY'd by every write that commits, with the body's id
CONNECT_TIMEOUT = 5  # seconds, unless the URL says otherwise
# Connections one process opens at most (more requests wait for one), and keeps once opened: a new one
# costs PostgreSQL a process and the server a few round trips, and a pool that kept fewer than the requests
# in flight opened one for nearly every request under load (bench-load: a quarter more CPU per edit).
LIMIT = 32
WAIT = 10.0  # seconds a request waits for a connection before it is answered 503
IDLE_IN_TRANSACTION = 30  # seconds after which the database ends a transaction of a server that went silent
RECONNECT = (0.2, 5.0)  # seconds the listener waits before it connects again: first, at most

log = logging.getLogger("sachstand.server")

T = TypeVar("T")

# The database is away (down, restarting, unreachable), or read-only for now (a standby during a failover).
AWAY = (psycopg.OperationalError, psycopg.InterfaceError, psycopg.errors.ReadOnlySqlTransaction)


class Database:
    """One PostgreSQL database the server (or a command) works on. Thread-safe."""

    def __init__(self, url: str, *, application: str = "sachstand") -> None:
        self.url, self.shown = url, shown_url(url)
        self._options: dict[str, Any] = {"application_name": application}
        if "connect_timeout" not in conninfo_to_dict(url):
            self._options["connect_timeout"] = CONNECT_TIMEOUT
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(LIMIT)
        self._current = False  # whether this process has made sure the schema is current
        self._listeners: list[Callable[[], None]] = []
        self._listening: threading.Thread | None = None
        self._closed = threading.Event()
        self._served: dict[int, tuple[int, str]] = {}  # body -> the highest write counter seen, in its epoch

    def served(self, body: int, seq: int, epoch: str) -> int | None:
        """Note ``seq``, the body's write counter as just read in ``epoch``; if it is below the highest
        this process saw in the same epoch, that one: the database may have gone back to an older copy
        (store/sync/postgres/backend.py decides). Only a hint, kept per process: a restore made while every
        process was stopped goes unnoticed (README: give each body a new epoch then)."""
        with self._lock:
            seen, in_epoch = self._served.get(body, (0, epoch))
            if in_epoch == epoch and seq < seen:
                return seen
            self._served[body] = (seq, epoch)
            return None

    def run(self, work: Callable[[psycopg.Connection[Any]], T], *, read: bool = False) -> T:
        """``work`` in one transaction, committed when it returns. ``read``: it only reads, each statement
        on its own (no BEGIN and COMMIT: two round trips fewer), and a connection found broken (the
        database restarted since it was last used) may be tried again."""
        self.ensure_schema()
        for attempt in (1, 2):
            with self._connection() as (connection, reused):
                try:
                    if read:
                        return _autocommitted(connection, work)
                    with connection.transaction():
                        return work(connection)
                except AWAY as error:
                    self._forget_idle()  # they were opened before the same failure, most likely
                    if not (read and reused and attempt == 1):
                        raise self.unavailable(error) from None
        raise AssertionError("unreachable")

    def ensure_schema(self) -> None:
        """Create or migrate the schema, once per process (store/sync/postgres/schema.py)."""
        if self._current:
            return
        with self._connection() as (connection, _reused):
            try:
                schema.migrate(connection, self.shown)
            except AWAY as error:
                raise self.unavailable(error) from None
        self._current = True

    def unavailable(self, error: Exception) -> Unavailable:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return Unavailable("cannot reach the database {url}: {detail}", url=self.shown, detail=detail)

    def listen(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` on every write another process (or this one) commits, from the listener's thread:
        one connection of its own that LISTENs, connected again whenever it breaks (and ``wake`` called
        then, as a write may have been missed meanwhile)."""
        with self._lock:
            self._listeners.append(wake)
            if self._listening is None:
                self._listening = threading.Thread(target=self._listen, name="sachstand-listen", daemon=True)
                self._listening.start()

    def close(self) -> None:
        self._closed.set()
        self._forget_idle()
        if self._listening is not None:
            self._listening.join(timeout=5)

    @contextlib.contextmanager
    def _connection(self) -> Iterator[tuple[psycopg.Connection[Any], bool]]:
        """A connection (and whether it was used before), given back for reuse if it is in order."""
        if not self._slots.acquire(timeout=WAIT):
            raise Unavailable("{url}: no free connection within {seconds} seconds", url=self.shown, seconds=WAIT)
        try:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            reused = connection is not None
            if connection is None:
                connection = self._connect()
            try:
                yield connection, reused
            finally:
                self._give_back(connection)
        finally:
            self._slots.release()

    def _connect(self, **options: Any) -> psycopg.Connection[Any]:
        try:
            connection = psycopg.connect(self.url, **self._options, **options)
        except psycopg.OperationalError as error:
            raise self.unavailable(error) from None
        # A server process whose machine vanished mid-push (no FIN ever reaches the database) would hold
        # its body's lock until TCP gave up, minutes later, and every push to the body would wait. The
        # server's transactions never wait for anyone between statements: one idle that long is dead.
        try:
            connection.execute(f"SET idle_in_transaction_session_timeout = '{IDLE_IN_TRANSACTION}s'")
            connection.commit()
        except AWAY as error:
            connection.close()
            raise self.unavailable(error) from None
        return connection

    def _give_back(self, connection: psycopg.Connection[Any]) -> None:
        """Kept for the next request if it is in order: never more than LIMIT, as no more are ever open."""
        usable = not connection.closed and connection.info.transaction_status == TransactionStatus.IDLE
        with self._lock:
            if usable and not self._closed.is_set():
                self._idle.append(connection)
                return
        connection.close()

    def _forget_idle(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _listen(self) -> None:
        pause = RECONNECT[0]
        while not self._closed.is_set():
            try:
                with self._connect(autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    pause = RECONNECT[0]
                    self._wake()  # whatever was written while this thread was not listening
                    while not self._closed.is_set():
                        # A timeout, so that close() is noticed: notifies() blocks otherwise.
                        for _notice in connection.notifies(timeout=1.0):
                            self._wake()
            except (psycopg.Error, Unavailable) as error:
                if self._closed.is_set():
                    return
                log.warning("listening for other processes' writes: %s; again in %.1f s", error, pause)
                self._closed.wait(pause)
                pause = min(pause * 2, RECONNECT[1])

    def _wake(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for wake in listeners:
            wake()


def _autocommitted(connection: psycopg.Connection[Any], work: Callable[[psycopg.Connection[Any]], T]) -> T:
    connection.autocommit = True
    try:
        return work(connection)
    finally:
        if not connection.closed:
            connection.autocommit = False


def open_database(url: str, *, application: str = "sachstand") -> Database:
    """The database a ``--database`` URL names; a URL libpq cannot read is refused here, naming it."""
    try:
        parsed = conninfo_to_dict(url)
        make_conninfo(url)
    except psycopg.ProgrammingError as error:
        raise BadInput(
            "{where}: not a PostgreSQL connection URL ({detail}); e.g. postgresql://USER@HOST/DATABASE",
            where="--database",
            detail=str(error).strip(),
        ) from None
    port = str(parsed.get("port") or "")
    problem = None
    if not url.strip() or not parsed:
        problem = "empty"
    elif port and not all(one.isdigit() for one in port.split(",")):  # libpq: a port per host, comma-separated
        problem = f"the port {port!r} is not a number"
    if problem:
        raise BadInput(
            "{where}: not a PostgreSQL connection URL ({detail}); e.g. postgresql://USER@HOST/DATABASE",
            where="--database",
            detail=problem,
        )
    return Database(url, application=application)


def shown_url(url: str) -> str:
    """The URL as a message may show it: the password never."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "?"
    user, host, port, name = (str(parts.get(key) or "") for key in ("user", "host", "port", "dbname"))
    who = f"{user}@" if user else ""
    if "/" in host:  # a socket folder
        return f"postgresql://{who}/{name}?host={host}" + (f"&port={port}" if port else "")
    return f"postgresql://{who}{host}{f':{port}' if port else ''}/{name}"


add_catalog(
    "de",
    {
        "cannot reach the database {url}: {detail}": "Datenbank {url} nicht erreichbar: {detail}",
        "{url}: no free connection within {seconds} seconds": "{url}: keine freie Verbindung innerhalb von {seconds} Sekunden",
        "{where}: not a PostgreSQL connection URL ({detail}); e.g. postgresql://USER@HOST/DATABASE": "{where}: keine PostgreSQL-Verbindungs-URL ({detail}); z. B. postgresql://BENUTZER@HOST/DATENBANK",
    },
)
