"""Bodies (the councils one server holds) and their tokens, in PostgreSQL.

Every token belongs to one body; the server resolves a presented token to its user and body, and a body's
backend reads and writes only that body's rows. Tokens are made and hashed as for the file server
(store/sync/tokens.py): the database keeps only the hash. A token's name is unique within its body.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

import psycopg

from store.errors import BadInput, NotFound
from store.i18n import add_catalog
from store.sync.access import CLERK, Who, checked_role
from store.sync.backend import ServerBackend
from store.sync.postgres.backend import PostgresBackend
from store.sync.postgres.database import Database
from store.sync.tokens import check_token_name, new_token, token_hash
from store.values import check_line, iso_timestamp, now

BODY_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")

Connection = psycopg.Connection[Any]


def add_body(database: Database, key: str, name: str) -> int:
    """Make the body ``key`` (a short name for the command line) called ``name``; its id."""
    if not BODY_KEY.fullmatch(key):
        raise BadInput(
            "{where}: expected 1 to 40 lower-case letters, digits, - or _ (starting with a letter or digit), got {value}.",
            where="KEY",
            value=repr(key),
        )
    check_line(name, "--name", required=True)

    def add(connection: Connection) -> int:
        inserted = connection.execute(
            "INSERT INTO sachstand.bodies (key, name, server_id, epoch) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (key) DO NOTHING RETURNING id",
            (key, name, secrets.token_hex(8), secrets.token_hex(8)),
        ).fetchone()
        if inserted is None:
            raise BadInput("{url}: there is a body {key} already.", url=database.shown, key=key)
        return int(inserted[0])

    return database.run(add)


def list_bodies(database: Database) -> list[tuple[str, str, int, int]]:
    """(key, name, live motions, tokens) of every body."""
    return database.run(
        lambda connection: [
            tuple(row)
            for row in connection.execute(
                "SELECT key, name,"
                " (SELECT count(*) FROM sachstand.documents d WHERE d.body = b.id AND NOT d.deleted),"
                " (SELECT count(*) FROM sachstand.tokens t WHERE t.body = b.id)"
                " FROM sachstand.bodies b ORDER BY key"
            ).fetchall()
        ],
        read=True,
    )


def add_token(
    database: Database, name: str, body: str | None, *, role: str = CLERK, departments: tuple[str, ...] = ()
) -> str:
    """Make a token for ``name`` with ``role`` (and its departments) in ``body`` (None: the only one) and
    return it; only its hash is kept."""
    check_token_name(name)
    role, departments = checked_role(role, departments)
    token = new_token()

    def add(connection: Connection) -> None:
        body_id = body_of(connection, database, body)
        inserted = connection.execute(
            "INSERT INTO sachstand.tokens (body, name, sha256, created, role, departments)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (body, name) DO NOTHING RETURNING name",
            (body_id, name, token_hash(token), iso_timestamp(now()), role, list(departments)),
        ).fetchone()
        if inserted is None:
            raise BadInput(
                "{url}: there is a token named {name} already; revoke it first.", url=database.shown, name=repr(name)
            )

    database.run(add)
    return token


def list_tokens(database: Database, body: str | None) -> list[tuple[str, str, str, Who]]:
    """(body, name, when it was made, who it is: role and departments) of every token, or of one body's."""

    def read(connection: Connection) -> list[tuple[str, str, str, Who]]:
        body_id = None if body is None else body_of(connection, database, body)
        rows = connection.execute(
            "SELECT b.key, t.name, t.created, t.role, t.departments FROM sachstand.tokens t"
            " JOIN sachstand.bodies b ON b.id = t.body"
            " WHERE %s::integer IS NULL OR t.body = %s ORDER BY b.key, t.name",
            (body_id, body_id),
        ).fetchall()
        return [
            (key, name, created, Who(name, role, tuple(departments))) for key, name, created, role, departments in rows
        ]

    return database.run(read, read=True)


def revoke_token(database: Database, name: str, body: str | None) -> None:
    """Remove ``name``'s token of ``body`` (None: the only body); from the next request on it is refused."""

    def revoke(connection: Connection) -> None:
        body_id = body_of(connection, database, body)
        if connection.execute("DELETE FROM sachstand.tokens WHERE body = %s AND name = %s", (body_id, name)).rowcount:
            return
        raise NotFound("{url}: no token named {name}.", url=database.shown, name=repr(name))

    database.run(revoke)


def body_of(connection: Connection, database: Database, key: str | None) -> int:
    """The id of the body ``key``; with None, of the only body there is."""
    bodies = dict(connection.execute("SELECT key, id FROM sachstand.bodies ORDER BY key").fetchall())
    if key is not None:
        if key not in bodies:
            raise NotFound(
                "{url}: no body {key}; `sachstand body list --database URL` lists them.", url=database.shown, key=key
            )
        return int(bodies[key])
    if len(bodies) == 1:
        return int(next(iter(bodies.values())))
    if not bodies:
        raise BadInput(
            "{url}: no body yet; make one with `sachstand body add KEY --name NAME --database URL`.",
            url=database.shown,
        )
    raise BadInput(
        "{where}: {url} holds several bodies ({keys}): name one.",
        where="--body",
        url=database.shown,
        keys=", ".join(bodies),
    )


class PostgresTenants:
    """The server's :class:`store.sync.backend.Tenants` on a database: every token reaches its own body."""

    serial = False  # every call takes a connection of its own

    def __init__(self, database: Database) -> None:
        self.database = database

    def resolve(self, token: str) -> tuple[Who, ServerBackend] | None:
        row = self.database.run(
            lambda connection: connection.execute(
                "SELECT name, body, role, departments FROM sachstand.tokens WHERE sha256 = %s", (token_hash(token),)
            ).fetchone(),
            read=True,
        )
        if row is None:
            return None
        name, body, role, departments = row
        return Who(name, role, tuple(departments)), PostgresBackend(self.database, body)

    def listen(self, wake: Callable[[], None]) -> None:
        self.database.listen(wake)

    def close(self) -> None:
        self.database.close()


add_catalog(
    "de",
    {
        "{where}: expected 1 to 40 lower-case letters, digits, - or _ (starting with a letter or digit), got {value}.": "{where}: 1 bis 40 Kleinbuchstaben, Ziffern, - oder _ erwartet (zu Beginn ein Buchstabe oder eine Ziffer), erhalten: {value}.",
        "{url}: there is a body {key} already.": "{url}: es gibt bereits eine Körperschaft {key}.",
        "{url}: there is a token named {name} already; revoke it first.": "{url}: es gibt bereits ein Token namens {name}; zuerst widerrufen.",
        "{url}: no token named {name}.": "{url}: kein Token namens {name}.",
        "{url}: no body {key}; `sachstand body list --database URL` lists them.": "{url}: keine Körperschaft {key}; `sachstand body list --database URL` listet sie auf.",
        "{url}: no body yet; make one with `sachstand body add KEY --name NAME --database URL`.": "{url}: noch keine Körperschaft; mit `sachstand body add KEY --name NAME --database URL` anlegen.",
        "{where}: {url} holds several bodies ({keys}): name one.": "{where}: {url} enthält mehrere Körperschaften ({keys}): bitte eine angeben.",
    },
)
