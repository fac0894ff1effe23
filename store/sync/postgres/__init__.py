"""The sync server on PostgreSQL (`sachstand serve --database URL`): several server processes on one
database, several bodies (councils) in it, each token reaching only its own body.

A public module (store.PUBLIC_MODULES), loaded only by the commands that name a database: it needs psycopg
(the optional dependency ``sachstand[server-postgres]``). The file server and the dashboard never load it.

- database.py: the URL, the connections, the schema made current, LISTEN/NOTIFY;
- schema.py: the tables and their versioned migrations;
- backend.py: one body's documents, feed and history (a ServerBackend);
- accounts.py: bodies and tokens, and the server's Tenants;
- transfer.py: moving a JSON-file server in.
"""

from store.sync.postgres.accounts import (
    PostgresTenants,
    add_body,
    add_token,
    list_bodies,
    list_tokens,
    revoke_token,
)
from store.sync.postgres.backend import PostgresBackend
from store.sync.postgres.database import Database, open_database
from store.sync.postgres.transfer import Moved, import_file_server

__all__ = [
    "Database",
    "Moved",
    "PostgresBackend",
    "PostgresTenants",
    "add_body",
    "add_token",
    "import_file_server",
    "list_bodies",
    "list_tokens",
    "open_database",
    "revoke_token",
]
