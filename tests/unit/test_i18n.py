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


# Both forms of a count's message: plural(one, other, number).
PLURAL_CALL = re.compile(rf"\bplural\(\s*((?:{LITERAL}\s*)+),\s*((?:{LITERAL}\s*)+),")


def _message_ids() -> set[str]:
    found: set[str] = set()
    for source in [*ROOT.glob("store/**/*.py"), *ROOT.glob("tui/**/*.py")]:
        text = source.read_text("utf-8")
        literals = [match.group(1) for match in MESSAGE_CALL.finditer(text)]
        literals += [form for match in PLURAL_CALL.finditer(text) for form in match.groups()]
        for literal in literals:
            found.add("".join(ast.literal_eval(part) for part in re.findall(LITERAL, literal)))
    return found


def test_the_scan_finds_messages() -> None:
    ids = _message_ids()
    assert "Nothing to undo." in ids and "list motions" in ids and len(ids) > 60
    assert "Wrote {count} motion to {path}." in ids and "Wrote {count} motions to {path}." in ids


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


def _catalogue_entries(tree: ast.Module) -> list[str]:
    """The message ids of every ``add_catalog(lang, {...})`` in a module, the dict written inline or as a name."""
    named = {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "add_catalog" and len(node.args) == 2:
            entries = node.args[1]
            if isinstance(entries, ast.Name):
                entries = named.get(entries.id, entries)
            if isinstance(entries, ast.Dict):
                found += [key.value for key in entries.keys if isinstance(key, ast.Constant)]
    return found


def test_each_german_text_is_declared_once() -> None:
    # The catalogue is one dict: a message id registered in two modules would let the last import decide.
    places: dict[str, list[str]] = {}
    for source in [*ROOT.glob("store/**/*.py"), *ROOT.glob("tui/**/*.py")]:
        for msgid in _catalogue_entries(ast.parse(source.read_text("utf-8"))):
            places.setdefault(msgid, []).append(source.relative_to(ROOT).as_posix())
    assert len(places) > 300
    assert {msgid: where for msgid, where in places.items() if len(where) > 1} == {}
