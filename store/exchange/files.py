"""Files other than the data file: what is imported from and what reports are written to."""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path
from typing import Any

import orjson

from store.errors import BadInput, WriteError
from store.exchange.importers import JSON_FIELDS, LETTER_FIELDS, motion_from_letter, motions_from_export
from store.file.durable import copy_mode, fsync_folder
from store.i18n import add_catalog
from store.model import Motion


def read_import_file(path: Path) -> tuple[list[Motion], tuple[str, ...]]:
    """The motions in a file and the fields a re-import may update: our JSON export, or a letter in any
    of the kinds :mod:`store.exchange.documents` reads (text, PDF, Word, OpenDocument, e-mail)."""
    from store.exchange.documents import DOCUMENT_LIMIT, read_document
    from store.exchange.letter import parse_letter

    json = path.suffix.lower() == ".json"
    try:
        with path.open("rb") as file:
            # An export of a large store is large; a letter's file has a limit, so a huge one is not read whole.
            content = file.read() if json else file.read(DOCUMENT_LIMIT + 1)
    except OSError as error:
        raise BadInput("{path}: cannot read the file: {detail}.", path=path, detail=error.strerror) from None
    if json:
        return motions_from_export(content, str(path)), JSON_FIELDS
    if len(content) > DOCUMENT_LIMIT:
        raise BadInput(
            "{path}: larger than {limit} MB; a motion letter is a few pages.", path=path, limit=DOCUMENT_LIMIT // 2**20
        )
    letter = read_document(content, path.name, str(path))
    findings = parse_letter(letter.text, where=str(path), sent=letter.sent, sender=letter.sender)
    return [motion_from_letter(findings, letter.text, path.name)], LETTER_FIELDS


PUBLIC = 0o666  # a new report or export: readable as the user's umask allows (usually by everyone, 0644)
PRIVATE = 0o600  # a new file of secrets (the sync server's tokens): the owner's alone

# A write that fails for these reasons would fail under any name: the machine's trouble (exit 1), not the user's.
_MACHINE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS})


def write_file(path: Path, content: bytes, *, durable: bool = True, mode: int = PUBLIC) -> None:
    """Write a report whole or not at all: a temp file beside it, then a rename. ``durable``: on disk
    before the old file is replaced (a full disk says so then); a note kept only to compare with later
    (the sync server's ``.seen``) may skip it, for a write on every request.

    Through a symbolic link, the file it points to is replaced and the link stays. What is there and
    not a regular file (a folder, a device such as /dev/full, a pipe) is refused, never replaced. The
    file keeps the permissions of the one it replaces (a group sharing it keeps access); a new one
    gets ``mode`` less the user's umask: a report as any file the user makes (PUBLIC), a file of
    secrets the owner's alone (PRIVATE).
    """
    try:
        real = Path(os.path.realpath(path))
        if real.exists() and not real.is_file():
            raise BadInput("{path}: not a regular file (a folder or a device): give a file name.", path=path)
        handle, temp = _temp_beside(real, mode)
        try:
            copy_mode(handle, real)
            with os.fdopen(handle, "wb") as file:
                file.write(content)
                file.flush()
                if durable:
                    os.fsync(file.fileno())  # a full disk says so here, before the old file is replaced
            os.replace(temp, real)
            if durable:
                fsync_folder(real.parent)  # the rename itself on disk
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as error:
        kind = WriteError if error.errno in _MACHINE else BadInput
        raise kind("{path}: cannot write the file: {detail}.", path=path, detail=error.strerror) from None


def _temp_beside(real: Path, mode: int) -> tuple[int, str]:
    """A new, empty file beside ``real`` (open for writing, and its name), made with ``mode``: the system
    takes the umask off it, as for any file the user creates (mkstemp would make it the owner's alone)."""
    while True:
        temp = str(real.parent / f".{real.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode), temp
        except FileExistsError:  # another writer's temp file of the same name: draw again
            continue


def to_json(data: Any) -> str:
    """Data as indented JSON text, for people and scripts reading the command line's ``--json``."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"


add_catalog(
    "de",
    {
        "{path}: larger than {limit} MB; a motion letter is a few pages.": "{path}: größer als {limit} MB; ein Antrag ist wenige Seiten lang."
    },
)
