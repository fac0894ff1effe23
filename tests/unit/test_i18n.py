"""Every message the user can see exists in German and English."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re

import pytest

import store.errors
from store.i18n import has_translation, language_from_locale, translate

from helpers import ROOT

# Every module registers its own texts when it is imported: import them all.
for _package in ("store", "tui"):
    for _module in pkgutil.walk_packages([str(ROOT / _package)], prefix=f"{_package}."):
        if not _module.name.endswith("__main__"):  # that one runs the command
            importlib.import_module(_module.name)
# The first argument of an error class, or of a translating call, is a message id.
# A string literal in either quote style (the formatter picks single quotes for text with double quotes).
LITERAL = r"(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')"
ERRORS = sorted(
    name
    for name, value in vars(store.errors).items()
    if isinstance(value, type) and issubclass(value, store.errors.SachstandError)
)
MESSAGE_CALL = re.compile(
    rf"\b(?:{'|'.join(ERRORS)}"
    r"|Msg|translate|out\.t|out\.say|out\.note|self\.t|t|command)\(\s*(?:\"[a-z]+\",\s*)?"
    rf"({LITERAL}(?:\s*{LITERAL})*)",
)


def _message_ids() -> set[str]:
    found: set[str] = set()
    for source in [*ROOT.glob("store/**/*.py"), *ROOT.glob("tui/**/*.py")]:
        for match in MESSAGE_CALL.finditer(source.read_text("utf-8")):
            literal = match.group(1)
            found.add("".join(ast.literal_eval(part) for part in re.findall(LITERAL, literal)))
    return found


def test_the_scan_finds_messages() -> None:
    ids = _message_ids()
    assert "Nothing to undo." in ids and "list motions" in ids and len(ids) > 60


@pytest.mark.parametrize("msgid", sorted(_message_ids()))
def test_every_message_has_a_german_text(msgid: str) -> None:
    assert has_translation(msgid, "de"), f"no German text for {msgid!r}"


def test_parameters_are_filled_in_both_languages() -> None:
    text = "No motion matches {ref}."
    assert translate(text, "en", ref="'x'") == "No motion matches 'x'."
    assert translate(text, "de", ref="'x'") == "Kein Antrag passt zu 'x'."


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, None),
        ({}, None),
    ],
)
def test_language_from_locale(environ: dict[str, str], expected: str | None) -> None:
    assert language_from_locale(environ) == expected
