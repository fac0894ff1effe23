#!/usr/bin/env python3
"""Set up a local virtual environment (.venv) and run Sachstand or its tests.

    python3 dev.py demo            open the dashboard on the example data
    python3 dev.py test            the checks (see check), then the whole test suite
    python3 dev.py test ARGS       only pytest, with ARGS (e.g. one file: tests/unit/test_model.py)
    python3 dev.py check [NAMES]   the checks, or only those named: lint, format, types, contracts
    python3 dev.py sachstand ARGS  run any `sachstand` command
    python3 dev.py screenshots     render the README's pictures into screenshots/
    python3 dev.py bench [ARGS]    the benchmark (see benchmarks/bench.py; --motions N, --runs R)
    python3 dev.py letters [ARGS]  how well real letters are read (see benchmarks/letters.py; FOLDER, --failures)
    python3 dev.py bench-load [ARGS]  the load benchmark (see benchmarks/load.py; --clients N, --seconds T)

Needs only Python 3.11+. The environment is made on first use and reinstalled
whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
# What `check` runs, by name, each with the environment's Python (configured in pyproject.toml).
CHECKS = {
    "lint": ["-m", "ruff", "check", "."],
    "format": ["-m", "ruff", "format", "--check", "."],
    "types": ["-m", "mypy"],
    "contracts": ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/e2e/test_contracts.py"],
}
COMMANDS = ("demo", "test", "check", "sachstand", "screenshots", "bench", "bench-load", "letters")


def ensure_environment() -> Path:
    python = BIN / ("python.exe" if os.name == "nt" else "python")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return python
    if not python.exists():
        print("dev.py: creating .venv ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("dev.py: installing sachstand and its test tools into .venv ...", file=sys.stderr)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f"{ROOT}[test]"],
        check=True,
    )
    STAMP.write_text(wanted)
    return python


def run_checks(python: Path, names: list[str]) -> list[str]:
    """Runs the named checks (all when none is named), every one even after a failure; returns the failed."""
    failed = []
    for name in names or CHECKS:
        print(f"dev.py: check {name}: {' '.join(CHECKS[name])}", file=sys.stderr, flush=True)
        if subprocess.call([str(python), *CHECKS[name]], cwd=ROOT) != 0:
            print(f"dev.py: check {name} FAILED", file=sys.stderr, flush=True)
            failed.append(name)
    return failed


def verdict(ran: list[str], failed: list[str]) -> int:
    """One last line that says what failed, so it is the first thing a reader of a CI log finds."""
    if failed:
        print(f"dev.py: FAILED: {', '.join(failed)} (of {', '.join(ran)})", file=sys.stderr)
        return 1
    print(f"dev.py: passed: {', '.join(ran)}", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py itself must run on an older Python to say so)
        print("dev.py: Sachstand needs Python 3.11 or newer.", file=sys.stderr)
        return 2
    python = ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "check":
        unknown = [name for name in rest if name not in CHECKS]
        if unknown:
            print(f"dev.py: no check named {', '.join(unknown)}; the checks: {', '.join(CHECKS)}", file=sys.stderr)
            return 2
        return verdict(rest or list(CHECKS), run_checks(python, rest))
    if command == "test" and rest:  # a chosen part of the suite, quickly: no checks
        return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT)
    if command == "test":
        failed = run_checks(python, [])
        print("dev.py: pytest", file=sys.stderr, flush=True)
        if subprocess.call([str(python), "-m", "pytest"], cwd=ROOT) != 0:
            failed.append("pytest")
        return verdict([*CHECKS, "pytest"], failed)
    if command in ("bench", "bench-load", "letters"):
        script = {"bench": "bench.py", "bench-load": "load.py", "letters": "letters.py"}[command]
        return subprocess.call([str(python), str(ROOT / "benchmarks" / script), *rest], cwd=ROOT)
    if command == "screenshots":
        return subprocess.call([str(python), str(ROOT / "screenshots" / "make.py"), *rest], cwd=ROOT)
    if command == "demo":
        rest = ["demo", *rest]
    return subprocess.call([str(python), "-m", "tui", *rest])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
