"""The sync server's access tokens: one file of names and SHA-256 hashes.

``{"tokens": {"NAME": {"sha256": "<hex>", "created": "<ISO time>"}}}``. A token is
shown once, when it is made; the file keeps only its hash. The NAME is the user
the server records in its history for writes made with that token.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from store.errors import BadInput, NotFound, StoreFileError
from store.exchange.files import write_file
from store.i18n import add_catalog
from store.values import check_line, iso_timestamp, now

Tokens = dict[str, dict[str, str]]

# Tokens are recognisable (a secret scanner or a person can tell one in a log), and never start
# with "-", which a command line would read as an option: urlsafe base64 starts with "-" in 1 of 64.
TOKEN_PREFIX = "sst_"


def load_tokens(path: str | os.PathLike[str]) -> Tokens:
    """The tokens in the file; none if it does not exist yet."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise StoreFileError(
            "{path}: cannot read the tokens file: {detail}.", path=path, detail=error.strerror
        ) from None
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError as error:
        raise StoreFileError("{path}: not a valid tokens file: {detail}.", path=path, detail=error.msg) from None
    tokens = data.get("tokens") if isinstance(data, dict) else None
    if not isinstance(tokens, dict):
        raise StoreFileError("{path}: not a valid tokens file: {detail}.", path=path, detail="no 'tokens' object")
    for name, entry in tokens.items():
        if not (
            isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and isinstance(entry.get("created"), str)
        ):
            raise StoreFileError(
                "{path}: not a valid tokens file: {detail}.", path=path, detail=f"broken entry {name!r}"
            )
    return tokens


def add_token(path: str | os.PathLike[str], name: str) -> str:
    """Make a token for ``name`` and return it; only its hash is kept."""
    path = Path(path)
    check_line(name, "NAME", required=True)
    if name != name.strip():
        raise BadInput("{where}: must not start or end with blanks.", where="NAME")
    tokens = load_tokens(path)
    if name in tokens:
        raise BadInput("{path}: there is a token named {name} already; revoke it first.", path=path, name=repr(name))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    tokens[name] = {"sha256": _hash(token), "created": iso_timestamp(now()) or ""}
    _save(path, tokens)
    return token


def list_tokens(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """(name, when it was made) of every token."""
    return [(name, entry["created"]) for name, entry in load_tokens(path).items()]


def revoke_token(path: str | os.PathLike[str], name: str) -> None:
    path = Path(path)
    tokens = load_tokens(path)
    if name not in tokens:
        raise NotFound("{path}: no token named {name}.", path=path, name=repr(name))
    del tokens[name]
    _save(path, tokens)


def user_for(tokens: str | os.PathLike[str] | Mapping[str, Any], presented: str) -> str | None:
    """The name of the token ``presented`` is, or None; compares against every entry in constant time."""
    if not isinstance(tokens, Mapping):
        tokens = load_tokens(tokens)
    digest = _hash(presented)
    found = None
    for name, entry in tokens.items():
        if hmac.compare_digest(digest, entry["sha256"]) and found is None:
            found = name
    return found


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _save(path: Path, tokens: Tokens) -> None:
    write_file(path, orjson.dumps({"tokens": tokens}, option=orjson.OPT_INDENT_2) + b"\n")


add_catalog(
    "de",
    {
        "{path}: cannot read the tokens file: {detail}.": "{path}: Token-Datei nicht lesbar: {detail}.",
        "{path}: not a valid tokens file: {detail}.": "{path}: keine gültige Token-Datei: {detail}.",
        "{where}: must not start or end with blanks.": "{where}: darf nicht mit Leerzeichen beginnen oder enden.",
        "{path}: there is a token named {name} already; revoke it first.": "{path}: es gibt bereits ein Token namens {name}; zuerst widerrufen.",
        "{path}: no token named {name}.": "{path}: kein Token namens {name}.",
    },
)
