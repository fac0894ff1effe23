"""Moving a JSON-file sync server into a body of the database: its motions with their revisions, write
numbers and history, its identity and its tokens, in one transaction.

The body takes over the file server's id, epoch and write counter, and every document its ``rev`` and
``seq``: the cursors the clients keep (``<id>.<epoch>@<seq>:<id>``) go on where they stopped, so they sync
on without a full pull. Refused if the body holds motions already; nothing is written then.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from store.errors import BadInput
from store.i18n import add_catalog
from store.store import Store
from store.sync.backend import IDENTITY
from store.sync.postgres.accounts import body_of
from store.sync.postgres.database import Database
from store.sync.postgres.rows import DOCUMENTS, HISTORY, copy_rows, document_row, history_row
from store.sync.tokens import load_tokens, who_of


@dataclass
class Moved:
    motions: int
    history: int
    tokens: int


def import_file_server(
    database: Database,
    data: str | os.PathLike[str],
    tokens: str | os.PathLike[str] | None,
    body: str | None,
    *,
    lock_timeout: float,
) -> Moved:
    """Move the file server's data file ``data`` (and its tokens file) into ``body`` (None: the only body)."""
    if not Path(data).is_file():
        raise BadInput("{where}: {path}: no such file.", where="--import", path=data)
    with Store(data, user="sachstand-server", lock_timeout=lock_timeout, revisions=True) as source:
        documents = source.documents()
        identity = source.source(IDENTITY)
        generation = source.generation
        canonical = {doc_id: source.canonical(doc_id, document) for doc_id, document in documents.items()}
    users = load_tokens(tokens) if tokens is not None else {}

    def move(connection: psycopg.Connection[Any]) -> Moved:
        body_id = body_of(connection, database, body)
        connection.execute("SELECT seq FROM sachstand.bodies WHERE id = %s FOR UPDATE", (body_id,))
        held = connection.execute("SELECT count(*) FROM sachstand.documents WHERE body = %s", (body_id,)).fetchone()
        if held and held[0]:
            raise BadInput(
                "{url}: the body holds {count} motions already: an import is only made into an empty body.",
                url=database.shown,
                count=held[0],
            )
        rows, history = [], []
        for doc_id, document in documents.items():
            numbers = {"rev": document.get("rev", 0), "seq": document.get("seq", 0)}
            rows.append(document_row(body_id, doc_id, {**canonical[doc_id], **numbers}))
            history += [history_row(body_id, doc_id, entry) for entry in document.get("history", [])]
        copy_rows(connection, DOCUMENTS, rows)
        copy_rows(connection, HISTORY, history)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO sachstand.tokens (body, name, sha256, created, role, departments)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (body_id, name, entry["sha256"], entry["created"], who.role, list(who.departments))
                    for name, entry in users.items()
                    for who in [who_of(name, entry)]
                ],
            )
        connection.execute("UPDATE sachstand.bodies SET seq = %s WHERE id = %s", (generation, body_id))
        if identity:
            connection.execute(
                "UPDATE sachstand.bodies SET server_id = %s, epoch = %s, since = %s WHERE id = %s",
                (identity["id"], identity["epoch"], identity.get("since", 0), body_id),
            )
        return Moved(len(rows), len(history), len(users))

    try:
        return database.run(move)
    except psycopg.errors.UniqueViolation as error:  # a token's name or hash the database has (in another body)
        raise BadInput(
            "{url}: a token of {path} is in the database already ({detail}); nothing was imported.",
            url=database.shown,
            path=tokens,
            detail=str(error).strip().splitlines()[-1],
        ) from None


add_catalog(
    "de",
    {
        "{where}: {path}: no such file.": "{where}: {path}: keine solche Datei.",
        "{url}: the body holds {count} motions already: an import is only made into an empty body.": "{url}: die Körperschaft enthält bereits {count} Anträge: importiert wird nur in eine leere.",
        "{url}: a token of {path} is in the database already ({detail}); nothing was imported.": "{url}: ein Token aus {path} ist bereits in der Datenbank ({detail}); nichts wurde importiert.",
    },
)
