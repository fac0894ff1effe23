"""What the commands and the server's log show of a --database URL: never the password."""

from __future__ import annotations

import pytest

from store.errors import BadInput
from store.sync.postgres import open_database
from store.sync.postgres.database import shown_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://sachstand:geheim@db.example.org:5433/akten", "postgresql://sachstand@db.example.org:5433/akten"),
        ("postgresql://sachstand@/akten?host=/run/postgresql", "postgresql://sachstand@/akten?host=/run/postgresql"),
        ("postgresql:///akten?host=/tmp/pg&port=5433&password=x", "postgresql:///akten?host=/tmp/pg&port=5433"),
        ("postgresql://db.example.org/akten?password=geheim&sslmode=verify-full", "postgresql://db.example.org/akten"),
        ("host=db.example.org dbname=akten user=anna password=geheim", "postgresql://anna@db.example.org/akten"),
    ],
)
def test_the_password_is_never_shown(url: str, shown: str) -> None:
    assert shown_url(url) == shown
    assert "geheim" not in open_database(url).shown


@pytest.mark.parametrize("url", ["", "not a url", "postgresql://host/db?nonsense=1", "postgresql://host:abc/db"])
def test_a_url_libpq_cannot_read_is_refused_naming_the_option(url: str) -> None:
    with pytest.raises(BadInput, match="--database: not a PostgreSQL connection URL"):
        open_database(url)
