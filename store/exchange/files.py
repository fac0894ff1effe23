"""Files other than the data file: what is imported from and what reports are written to."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

from store.errors import BadInput
from store.exchange.importers import JSON_FIELDS, LETTER_FIELDS, motion_from_letter, motions_from_export
from store.model import Motion


def read_import_file(path: Path) -> tuple[list[Motion], tuple[str, ...]]:
    """The motions in a file and the fields a re-import may update: our JSON export, or a letter."""
    from store.exchange.letter import parse_letter

    try:
        content = path.read_bytes()
    except OSError as error:
        raise BadInput("{path}: cannot read the file: {detail}.", path=path, detail=error.strerror) from None
    if path.suffix.lower() == ".json":
        return motions_from_export(content, str(path)), JSON_FIELDS
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput("{path}: not a text file in UTF-8.", path=path) from None
    findings = parse_letter(text, where=str(path))
    return [motion_from_letter(findings, text, path.name)], LETTER_FIELDS


def write_file(path: Path, content: bytes) -> None:
    """Write a report whole or not at all: a temp file beside it, then a rename."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise BadInput("{path}: cannot write the file: {detail}.", path=path, detail=error.strerror) from None


def to_json(data: Any) -> str:
    """Data as indented JSON text, for people and scripts reading the command line's ``--json``."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"
