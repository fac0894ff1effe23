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
- Version 4, for a full push's and pull's cost in the database (docs/performance.md, "Wave 9: pushpg"):
  a document's ``by`` (the user of its last write) is kept in its row, so the feed no longer looks it up in
  the history for every document it sends; a document of up to about 8 kB written from then on stays in its
  row uncompressed (``toast_tuple_target``: by default PostgreSQL compressed each one over 2 kB, two in five
  of a generated body, on every write and read); and a history entry's document is checked once per
  statement (:data:`KEEP_HISTORY`), not by a foreign key, whose check of each row was half of the history's
  COPY.
"""

from __future__ import annotations

from typing import Any

import psycopg

from store.errors import StoreFileError
from store.i18n import add_catalog

LOCK = 0x5AC57A9D  # the advisory lock of migrating: any number no other program of the database uses

# What the foreign key from a history entry to its document guarded, said as triggers that check a whole
# statement's rows at once: the key's check ran a query and locked the document for every entry (a full push
# of 50,000 motions: 0.4 s of the database's CPU, while the server waited for it at the end of each body);
# one anti-join of the statement's new entries is a third of that. As with the key, no entry is written
# without its document, and no document that has entries is deleted, truncated away or given another key.
# A push holds the row of each document it records an entry of (it wrote it), so a DELETE made by hand
# meanwhile waits for its commit and then sees the new entries (a new snapshot for each of its checks).
KEEP_HISTORY = (
    """CREATE FUNCTION sachstand.history_has_its_documents() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM added a WHERE NOT EXISTS
                   (SELECT 1 FROM sachstand.documents d WHERE d.body = a.body AND d.id = a.motion_id)) THEN
            RAISE foreign_key_violation USING MESSAGE = 'sachstand.history: an entry without its document';
        END IF;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER history_has_its_documents AFTER INSERT ON sachstand.history REFERENCING NEW TABLE AS added"
    " FOR EACH STATEMENT EXECUTE FUNCTION sachstand.history_has_its_documents()",
    "CREATE TRIGGER history_keeps_its_documents AFTER UPDATE ON sachstand.history REFERENCING NEW TABLE AS added"
    " FOR EACH STATEMENT EXECUTE FUNCTION sachstand.history_has_its_documents()",
    """CREATE FUNCTION sachstand.documents_keep_their_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            IF EXISTS (SELECT 1 FROM sachstand.history) THEN
                RAISE foreign_key_violation USING MESSAGE = 'sachstand.documents: truncated without its history';
            END IF;
        ELSIF EXISTS (SELECT 1 FROM sachstand.history h WHERE h.body = OLD.body AND h.motion_id = OLD.id)
              AND NOT EXISTS (SELECT 1 FROM sachstand.documents d WHERE d.body = OLD.body AND d.id = OLD.id) THEN
            RAISE foreign_key_violation USING MESSAGE = format(
                'sachstand.documents: %s of body %s has history entries', OLD.id, OLD.body);
        END IF;
        RETURN NULL;
    END $$""",
    # Only a row's key changed or gone can leave entries without their document: a push's writes fire neither.
    "CREATE TRIGGER documents_keep_their_history AFTER DELETE OR UPDATE OF body, id ON sachstand.documents"
    " FOR EACH ROW EXECUTE FUNCTION sachstand.documents_keep_their_history()",
    "CREATE TRIGGER documents_truncated_with_their_history AFTER TRUNCATE ON sachstand.documents"
    " FOR EACH STATEMENT EXECUTE FUNCTION sachstand.documents_keep_their_history()",
)

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
    (
        "ALTER TABLE sachstand.documents SET (toast_tuple_target = 8160)",  # the most a heap page takes
        # '' by default: a server process of version 3 still running writes on (naming no one) until it stops.
        "ALTER TABLE sachstand.documents ADD COLUMN by text NOT NULL DEFAULT ''",
        # The user of each document's last recorded write ('' if none is: a row written by hand).
        "UPDATE sachstand.documents d SET by = coalesce((SELECT h.by FROM sachstand.history h"
        " WHERE h.body = d.body AND h.motion_id = d.id ORDER BY h.seq DESC, h.n DESC LIMIT 1), '')",
        "ALTER TABLE sachstand.history DROP CONSTRAINT history_body_motion_id_fkey",
        *KEEP_HISTORY,
    ),
)
VERSION = len(MIGRATIONS)


def migrate(connection: psycopg.Connection[Any], shown: str, to: int = VERSION) -> int:
    """Bring the schema to :data:`VERSION` (``to``: an earlier one, as an older Sachstand left it); the version
    found. A newer one is refused, changing nothing."""
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
        for version in range(found + 1, to + 1):
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
