"""The layers' import contracts (docs/design.md), read from the source of every module:

- store (all of it) never imports textual or tui;
- tui reaches data only through `store` itself (the names store/__init__.py exports) and the modules listed
  in store.PUBLIC_MODULES, and never imports the storage and network libraries underneath directly;
- importing store and every module below it, in a fresh interpreter, loads no textual;
- the dashboard's start loads none of what only some commands need (httpx, the server, the workflows);
- every worker tui starts is described.

Imports inside functions and under TYPE_CHECKING count like any other.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import store

from helpers import ROOT

UI = ("textual", "tui")
UNDERNEATH = ("tinydb", "filelock", "orjson", "httpx")  # store's business, so tui cannot bypass its rules


def _imports(package: str) -> Iterator[tuple[str, str, list[str]]]:
    """(where, module, names) for every absolute import in the package; names is empty for `import module`."""
    for path in sorted((ROOT / package).rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield f"{where}:{node.lineno}", alias.name, []
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield f"{where}:{node.lineno}", node.module, [alias.name for alias in node.names]


def _top(module: str) -> str:
    return module.split(".")[0]


def test_store_never_imports_the_user_interface() -> None:
    wrong = [f"{where} imports {module}" for where, module, _names in _imports("store") if _top(module) in UI]
    assert not wrong, "\n".join(wrong)


def test_tui_reaches_store_only_through_its_public_names_and_modules() -> None:
    wrong = []
    for where, module, names in _imports("tui"):
        if module == "store":
            wrong += [f"{where} imports store.{name}" for name in names if name not in store.__all__]
        elif _top(module) == "store" and module not in store.PUBLIC_MODULES:
            wrong.append(f"{where} imports {module}")
    assert not wrong, "not exported by store/__init__.py nor in store.PUBLIC_MODULES:\n" + "\n".join(wrong)


def test_every_worker_is_described() -> None:
    """Textual describes a worker it is given no description for by ``repr(work)``, made on the app's thread at once:
    for the models' keep that was every model's repr (the app frozen 4.9 s, 1.2 GB at 50,000 motions, as
    docs/performance.md records)."""
    wrong = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "run_worker"
                and not any(keyword.arg == "description" for keyword in node.keywords)
            ):
                wrong.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    assert not wrong, "run_worker without a description:\n" + "\n".join(wrong)


def test_tui_never_imports_what_lies_underneath_store() -> None:
    wrong = [f"{where} imports {module}" for where, module, _names in _imports("tui") if _top(module) in UNDERNEATH]
    assert not wrong, "\n".join(wrong)


def test_the_public_modules_exist() -> None:
    files = (ROOT / "store").rglob("*.py")
    modules = {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") for path in files}
    assert set(store.PUBLIC_MODULES) <= modules


def test_importing_all_of_store_loads_no_textual() -> None:
    code = (
        "import pkgutil, importlib, sys, store\n"
        "for module in pkgutil.walk_packages(store.__path__, 'store.'):\n"
        "    importlib.import_module(module.name)\n"
        f"print(sorted(name for name in sys.modules if name.split('.')[0] in {UI!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# Loaded by the commands (and the dashboard's actions) that need them, never at the dashboard's start.
NOT_AT_START = ("httpx", "starlette", "uvicorn", "store.exchange.workflows", "store.sync.client")


@pytest.mark.parametrize("remote", [None, "http://127.0.0.1:9/api/v1"])
def test_the_dashboards_start_loads_no_network_server_or_workflows(tmp_path: Path, remote: str | None) -> None:
    """What `sachstand` does up to creating the app (all of the command line imported), with sync on and off."""
    code = (
        "import sys\n"
        "import tui.cli, tui.app\n"
        "from store import load_config, open_store\n"
        "from tui.cli.dashboard import dashboard_app\n"
        "config = load_config()\n"
        "with open_store(config) as opened:\n"
        "    app = dashboard_app(config, opened, config.lang)\n"
        "print(app.remote is not None)\n"
        f"print(sorted(name for name in sys.modules if name in {NOT_AT_START!r} or name.split('.')[0] in {NOT_AT_START!r}))\n"
    )
    env = {name: value for name, value in os.environ.items() if not name.startswith("SACHSTAND_")}
    env |= {"SACHSTAND_CONFIG": str(tmp_path / "none.toml"), "SACHSTAND_DB": str(tmp_path / "data.json")}
    if remote:
        env |= {"SACHSTAND_REMOTE": remote, "SACHSTAND_TOKEN": "sst_never-sent"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == [str(remote is not None), "[]"]
