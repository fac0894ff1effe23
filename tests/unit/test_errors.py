"""Every error a user can see is declared in store/errors.py, translated, with its exit code."""

from __future__ import annotations

import ast

import store.errors
from store.errors import BadInput, SachstandError

from helpers import ROOT

STORE = ROOT / "store"

# Exceptions that never leave the code that raises them, each caught by its own module: they
# steer a fallback and are never shown to anyone.
INTERNAL = {
    ("model.py", "_NotQuick"),  # the quick path hands over to the careful one
    ("file/journal.py", "Stale"),  # the reader reads everything again
    ("file/transaction.py", "_Busy"),  # the lock stayed taken: acquire says so as a LockTimeout
    ("sync/server.py", "ApiError"),  # becomes the HTTP answer the protocol defines
    ("sync/postgres/backend.py", "_Unchanged"),  # a push that wrote nothing: rolled back, its results returned
}
# A caller's mistake in the program, not bad input: like Python's own TypeError for a wrong keyword.
MISUSE: set[tuple[str, str]] = set()  # none: a wrong argument to a public function is bad input too
BARE = {"ValueError", "TypeError", "KeyError"}


def _modules() -> list[tuple[str, ast.Module]]:
    return [(path.relative_to(STORE).as_posix(), ast.parse(path.read_text("utf-8"))) for path in STORE.rglob("*.py")]


def _is_exception(node: ast.ClassDef) -> bool:
    names = [base.id if isinstance(base, ast.Name) else getattr(base, "attr", "") for base in node.bases]
    return any(name.endswith(("Error", "Exception", "Timeout", "Input", "NotFound", "Ambiguous")) for name in names)


def test_every_exception_class_is_declared_in_errors_py() -> None:
    found = {
        (module, node.name)
        for module, tree in _modules()
        if module != "errors.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and _is_exception(node)
    }
    assert found == INTERNAL


def _public_raises(tree: ast.Module) -> list[tuple[str, str]]:
    """(function, exception) for each bare raise directly in a public function (no part of its name private)."""
    found: list[tuple[str, str]] = []

    def visit(node: ast.AST, public: bool, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = child.name
                private = name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
                visit(child, public and not private, name if not isinstance(child, ast.ClassDef) else function)
                continue
            if isinstance(child, ast.Raise) and public and function and child.exc is not None:
                raised = child.exc.func if isinstance(child.exc, ast.Call) else child.exc
                if isinstance(raised, ast.Name) and raised.id in BARE:
                    found.append((function, raised.id))
            visit(child, public, function)

    visit(tree, True, "")
    return found


def test_public_functions_raise_no_bare_value_or_type_error() -> None:
    found = {(module, function) for module, tree in _modules() for function, _error in _public_raises(tree)}
    assert found == MISUSE


def test_the_scan_finds_a_bare_raise() -> None:
    tree = ast.parse("def check(x):\n    if x:\n        raise ValueError(x)\n\ndef _inner():\n    raise TypeError\n")
    assert _public_raises(tree) == [("check", "ValueError")]


def test_every_error_has_its_exit_code_and_a_translated_message() -> None:
    errors = [value for value in vars(store.errors).values() if isinstance(value, type)]
    errors = [error for error in errors if issubclass(error, SachstandError)]
    assert {error.__name__ for error in errors} >= {"OParlError", "SyncError", "ConfigError", "NotFound"}
    for error in errors:
        assert error.exit_code == (2 if issubclass(error, BadInput) else 1), error
    shown = BadInput("{where}: must not be empty.", where="--title")
    assert (str(shown), shown.render("de")) == ("--title: must not be empty.", "--title: darf nicht leer sein.")
