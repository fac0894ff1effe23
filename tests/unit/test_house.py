"""The house's limits: no module in store/ or tui/ over 500 lines, no function over 80,
so that the next engineer can read each piece whole."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT

MODULE_LINES = 500
FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(path for package in ("store", "tui") for path in (ROOT / package).rglob("*.py"))


def test_the_scan_finds_the_modules() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in _modules()}
    assert {"store/store.py", "store/config.py", "tui/app.py"} <= names and len(names) > 40


def test_no_module_is_over_500_lines() -> None:
    long = {
        path.relative_to(ROOT).as_posix(): lines
        for path in _modules()
        if (lines := len(path.read_text("utf-8").splitlines())) > MODULE_LINES
    }
    assert long == {}, f"modules over {MODULE_LINES} lines: split them by job"


def test_no_function_is_over_80_lines() -> None:
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT).as_posix()}:{node.lineno} {node.name}"] = lines
    assert long == {}, f"functions over {FUNCTION_LINES} lines"
