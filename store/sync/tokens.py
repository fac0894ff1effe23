"""The sync server's access tokens: one file of names and SHA-256 hashes.

``{"tokens": {"NAME": {"sha256": "<hex>", "created": "<ISO time>", "role": "clerk", "departments": []}}}``.
A token is shown once, when it is made; the file keeps only its hash. The NAME is the user
the server records in its history for writes made with that token; its role says what it may read and
change (store/sync/access.py). An entry without a role (a file from before roles) is a clerk's.

Every change is a read-modify-write under a lock file beside the tokens file (``FILE.lock``), written
whole to a temp file, flushed to disk and renamed over the old one: two `token add` at once both
land, and a `token revoke` that has returned is what the server reads on its next request (it reads
the file on every request, so no restart is needed). The server only reads, and a rename is atomic,
so it never sees half a file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from store.config import SETTINGS
from store.errors import BadInput, NotFound, SachstandError, StoreFileError
from store.exchange.files import PRIVATE, write_file
from store.file.transaction import acquire, lock_file
from store.i18n import Msg, add_catalog
from store.sync.access import CLERK, Who, checked_role
from store.values import check_line, iso_timestamp, now

Tokens = dict[str, dict[str, Any]]

# Tokens are recognisable (a secret scanner or a person can tell one in a log), and never start
# with "-", which a command line would read as an option: urlsafe base64 starts with "-" in 1 of 64.
TOKEN_PREFIX = "sst_"
_SHA256 = re.compile(r"[0-9a-f]{64}")
LOCK_TIMEOUT: float = SETTINGS["lock_timeout"].default
SIZE_LIMIT = 16 * 1024 * 1024  # bytes: a tokens file of many thousand users is well under one


def load_tokens(path: str | os.PathLike[str]) -> Tokens:
    """The tokens in the file; none if it does not exist yet."""
    path = Path(path)
    try:
        if path.exists() and not path.is_file():  # a folder, a device (/dev/zero), a pipe: never read whole
            raise StoreFileError("{path}: not a regular file: not a tokens file.", path=path)
        with open(path, "rb") as handle:
            content = handle.read(SIZE_LIMIT + 1)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise StoreFileError(
            "{path}: cannot read the tokens file: {detail}.", path=path, detail=error.strerror
        ) from None
    if len(content) > SIZE_LIMIT:
        raise StoreFileError("{path}: larger than {limit} bytes: not a tokens file.", path=path, limit=SIZE_LIMIT)
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError as error:
        raise StoreFileError("{path}: not a valid tokens file: {detail}.", path=path, detail=error.msg) from None
    tokens = data.get("tokens") if isinstance(data, dict) else None
    if not isinstance(tokens, dict):
        raise StoreFileError("{path}: not a valid tokens file: {detail}.", path=path, detail="no 'tokens' object")
    for name, entry in tokens.items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and _SHA256.fullmatch(entry["sha256"])
            and isinstance(entry.get("created"), str)
            and _role_of(entry) is not None
        ):
            raise StoreFileError(
                "{path}: not a valid tokens file: {detail}.", path=path, detail=f"broken entry {name!r}"
            )
    return tokens


def add_token(
    path: str | os.PathLike[str],
    name: str,
    *,
    role: str = CLERK,
    departments: tuple[str, ...] = (),
    lock_timeout: float = LOCK_TIMEOUT,
) -> str:
    """Make a token for ``name`` with ``role`` (and its departments) and return it; only its hash is kept."""
    check_token_name(name)
    role, departments = checked_role(role, departments)
    with _changing(path, lock_timeout) as (real, tokens):
        if name in tokens:
            raise BadInput(
                "{path}: there is a token named {name} already; revoke it first.", path=path, name=repr(name)
            )
        token = new_token()
        tokens[name] = {
            "sha256": token_hash(token),
            "created": iso_timestamp(now()) or "",
            "role": role,
            "departments": list(departments),
        }
        _save(real, tokens)
    return token


def list_tokens(path: str | os.PathLike[str]) -> list[tuple[str, str, Who]]:
    """(name, when it was made, who it is: role and departments) of every token."""
    return [(name, entry["created"], who_of(name, entry)) for name, entry in load_tokens(path).items()]


def revoke_token(path: str | os.PathLike[str], name: str, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
    """Remove ``name``'s token; when this returns, the file on disk no longer has it."""
    with _changing(path, lock_timeout) as (real, tokens):
        if name not in tokens:
            raise NotFound("{path}: no token named {name}.", path=path, name=repr(name))
        del tokens[name]
        _save(real, tokens)


def user_for(tokens: str | os.PathLike[str] | Mapping[str, Any], presented: str) -> str | None:
    """The name of the token ``presented`` is, or None."""
    found = who_for(tokens, presented)
    return None if found is None else found.user


def who_for(tokens: str | os.PathLike[str] | Mapping[str, Any], presented: str) -> Who | None:
    """Who the token ``presented`` is (name, role, departments), or None; compares against every entry in
    constant time."""
    if not isinstance(tokens, Mapping):
        tokens = load_tokens(tokens)
    digest = token_hash(presented)
    found = None
    for name, entry in tokens.items():
        if hmac.compare_digest(digest, entry["sha256"]) and found is None:
            found = who_of(name, entry)
    return found


def who_of(name: str, entry: Mapping[str, Any]) -> Who:
    """A checked entry of the tokens file as its holder; no role: a clerk (a file from before roles)."""
    role = _role_of(entry)
    assert role is not None, "load_tokens checks every entry"
    return Who(name, *role)


def _role_of(entry: Mapping[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """An entry's role and departments, None if they are not a valid pair."""
    role, departments = entry.get("role", CLERK), entry.get("departments", [])
    if not isinstance(role, str) or not isinstance(departments, list):
        return None
    if not all(isinstance(department, str) for department in departments):
        return None
    try:
        return checked_role(role, departments)
    except BadInput:
        return None


def check_token_name(name: str) -> None:
    """A token's name is the user the server records: one line, not blank, no blanks around it."""
    check_line(name, "NAME", required=True)
    if name != name.strip():
        raise BadInput("{where}: must not start or end with blanks.", where="NAME")


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is kept of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@contextmanager
def _changing(path: str | os.PathLike[str], lock_timeout: float) -> Iterator[tuple[Path, Tokens]]:
    """The tokens as they are, read under the lock that every change holds until it has saved.

    A tokens file reached through a symbolic link is changed where it really is; the link stays."""
    real = Path(os.path.realpath(path))
    lock = lock_file(Path(f"{real}.lock"))
    acquire(lock, Path(path), lock_timeout, Msg("{path}: cannot lock the tokens file: {detail}."))
    try:
        yield real, load_tokens(real)
    finally:
        lock.release()


def _save(path: Path, tokens: Tokens) -> None:
    """Replace the file whole and durably (its permissions kept; a new one only the owner reads: hashes)."""
    try:
        write_file(path, orjson.dumps({"tokens": tokens}, option=orjson.OPT_INDENT_2) + b"\n", mode=PRIVATE)
    except SachstandError as error:
        raise StoreFileError("{path}: cannot write the tokens file: {detail}.", path=path, detail=error) from None


add_catalog(
    "de",
    {
        "{path}: cannot read the tokens file: {detail}.": "{path}: Token-Datei nicht lesbar: {detail}.",
        "{path}: not a regular file: not a tokens file.": "{path}: keine gewöhnliche Datei: keine Token-Datei.",
        "{path}: larger than {limit} bytes: not a tokens file.": "{path}: größer als {limit} Bytes: keine Token-Datei.",
        "{path}: not a valid tokens file: {detail}.": "{path}: keine gültige Token-Datei: {detail}.",
        "{where}: must not start or end with blanks.": "{where}: darf nicht mit Leerzeichen beginnen oder enden.",
        "{path}: there is a token named {name} already; revoke it first.": "{path}: es gibt bereits ein Token namens {name}; zuerst widerrufen.",
        "{path}: no token named {name}.": "{path}: kein Token namens {name}.",
        "{path}: cannot lock the tokens file: {detail}.": "{path}: Token-Datei nicht sperrbar: {detail}.",
        "{path}: cannot write the tokens file: {detail}.": "{path}: Token-Datei nicht schreibbar: {detail}.",
    },
)
