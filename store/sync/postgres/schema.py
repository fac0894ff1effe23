"""The sync server's tables in PostgreSQL, made and migrated by the server itself.

Everything lives in the schema ``sachstand``, so the database may hold other things too. ``sachstand.migrations``
lists the migrations applied; each process checks it once at start (store/sync/postgres/database.py), applies
what is missing, and refuses a database migrated by a newer Sachstand. Processes starting together take an
advisory lock, so one migrates and the others find it done.

- ``bodies``: one per council (a tenant). ``seq`` is its write counter: every push that writes takes the
  next number under the row's lock, held to commit, so the body's pushes commit in the order of their
  numbers and a reader never sees a higher one without every lower one (the changes feed never skips a
  write). ``server_id``/``epoch``/``since`` are what /info and the cursors carry (store/sync/epoch.py).
- ``tokens``: a token's name (the user the history records) and the SHA-256 of the token, per body; its
  role and departments (store/sync/access.py; version 2: the tokens made before it are clerks).
- ``documents``: one row per motion of a body: its revision, the ``seq`` of its last write, whether it is
  deleted, and the motion as ``Motion.to_dict()`` writes it.
- ``history``: every write, who, when and what (a :class:`store.history.HistoryEntry` as ``to_dict``).
- The motions and history entries are JSON text (version 3; jsonb before): the database never looks
  inside them, and parsing and printing jsonb was most of its work in a full push or pull
  (store/sync/postgres/rows.py).
"""

from __future__ import annotations

from typing import Any

import psycopg

from store.errors import StoreFileError
from store.i18n import add_catalog

LOCK = 0x5AC57A9D  # the advisory lock of migrating: any number no other program of the database uses

# Each one a list of statements, applied in one transaction; a new version appends, never edits one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE sachstand.bodies (
            id serial PRIMARY KEY,
            key text NOT NULL UNIQUE,
            name text NOT NULL,
            seq bigint NOT NULL DEFAULT 0,
            server_id text NOT NULL,
            epoch text NOT NULL,
            since bigint NOT NULL DEFAULT 0,
            created timestamptz NOT NULL DEFAULT now()
        )""",
        """CREATE TABLE sachstand.tokens (
            body integer NOT NULL REFERENCES sachstand.bodies,
            name text NOT NULL,
            sha256 text NOT NULL UNIQUE,
            created text NOT NULL,
            PRIMARY KEY (body, name)
        )""",
        """CREATE TABLE sachstand.documents (
            body integer NOT NULL REFERENCES sachstand.bodies,
            id text NOT NULL,
            rev integer NOT NULL,
            seq bigint NOT NULL,
            deleted boolean NOT NULL,
            doc jsonb NOT NULL,
            PRIMARY KEY (body, id)
        )""",
        "CREATE INDEX documents_feed ON sachstand.documents (body, seq, id)",
        """CREATE TABLE sachstand.history (
            n bigserial PRIMARY KEY,
            body integer NOT NULL,
            motion_id text NOT NULL,
            seq bigint NOT NULL,
            at timestamptz NOT NULL,
            by text NOT NULL,
            entry jsonb NOT NULL,
            FOREIGN KEY (body, motion_id) REFERENCES sachstand.documents
        )""",
        "CREATE INDEX history_motion ON sachstand.history (body, motion_id, seq)",
    ),
    (
        "ALTER TABLE sachstand.tokens ADD COLUMN role text NOT NULL DEFAULT 'clerk'"
        " CHECK (role IN ('clerk', 'department', 'reader'))",
        "ALTER TABLE sachstand.tokens ADD COLUMN departments text[] NOT NULL DEFAULT '{}'",
    ),
    (
        "ALTER TABLE sachstand.documents ALTER COLUMN doc TYPE text USING doc::text",
        "ALTER TABLE sachstand.history ALTER COLUMN entry TYPE text USING entry::text",
    ),
)
VERSION = len(MIGRATIONS)


def migrate(connection: psycopg.Connection[Any], shown: str) -> int:
    """Bring the schema to :data:`VERSION`; the version found. A newer one is refused, changing nothing."""
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
        connection.execute("CREATE SCHEMA IF NOT EXISTS sachstand")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS sachstand.migrations"
            " (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())"
        )
        row = connection.execute("SELECT coalesce(max(version), 0) FROM sachstand.migrations").fetchone()
        found = int(row[0]) if row else 0
        if found > VERSION:
            raise StoreFileError(
                "{url}: the database's schema is version {found}, made by a newer Sachstand (this one knows "
                "up to {known}): update Sachstand.",
                url=shown,
                found=found,
                known=VERSION,
            )
        for version in range(found + 1, VERSION + 1):
            for statement in MIGRATIONS[version - 1]:
                connection.execute(statement)
            connection.execute("INSERT INTO sachstand.migrations (version) VALUES (%s)", (version,))
    return found


add_catalog(
    "de",
    {
        "{url}: the database's schema is version {found}, made by a newer Sachstand (this one knows "
        "up to {known}): update Sachstand.": (
            "{url}: das Schema der Datenbank hat die Version {found}, angelegt von einem neueren Sachstand "
            "(dieser kennt bis {known}): bitte Sachstand aktualisieren."
        ),
    },
)
