#!/usr/bin/env python3
"""Set up a local virtual environment (.venv) and run Sachstand or its tests.

    python3 dev.py demo            open the dashboard on the example data
    python3 dev.py test [ARGS]     run the whole test suite (ARGS go to pytest)
    python3 dev.py sachstand ARGS  run any `sachstand` command
    python3 dev.py screenshots     render the README's pictures into screenshots/
    python3 dev.py bench [ARGS]    the benchmark (see benchmarks/bench.py; --motions N, --runs R)

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


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "sachstand", "screenshots", "bench"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py itself must run on an older Python to say so)
        print("dev.py: Sachstand needs Python 3.11 or newer.", file=sys.stderr)
        return 2
    python = ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "test":
        return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT)
    if command == "bench":
        return subprocess.call([str(python), str(ROOT / "benchmarks" / "bench.py"), *rest], cwd=ROOT)
    if command == "screenshots":
        return subprocess.call([str(python), str(ROOT / "screenshots" / "make.py"), *rest], cwd=ROOT)
    if command == "demo":
        rest = ["demo", *rest]
    return subprocess.call([str(python), "-m", "tui", *rest])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
