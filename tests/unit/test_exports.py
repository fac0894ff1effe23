"""store's exported names (store/__init__.py), imported on first use: the names declared for mypy are the
names loaded at run time, each is there, and importing the package loads none of them."""

from __future__ import annotations

import ast
import subprocess
import sys

import store

from helpers import ROOT


def _declared_for_mypy() -> dict[str, tuple[str, ...]]:
    tree = ast.parse((ROOT / "store" / "__init__.py").read_text("utf-8"))
    (block,) = [node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]
    declared: dict[str, list[str]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module
        declared.setdefault(node.module, []).extend(alias.name for alias in node.names)
        assert all(alias.asname == alias.name for alias in node.names), "re-exported as itself"
    return {module: tuple(names) for module, names in declared.items()}


def test_the_names_for_mypy_are_the_names_loaded() -> None:
    assert _declared_for_mypy() == store._EXPORTS


def test_every_exported_name_is_found_in_its_module() -> None:
    for name in store.__all__:
        assert getattr(store, name) is not None, name
    assert set(store.__all__) <= set(dir(store))


def test_importing_store_loads_none_of_its_modules() -> None:
    code = "import sys, store\nprint(sorted(name for name in sys.modules if name.startswith('store.')))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error_and_a_submodule_still_imports() -> None:
    try:
        store.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("an unknown name must raise AttributeError")
    from store import changes  # a submodule, not an exported name

    assert changes.__name__ == "store.changes"
