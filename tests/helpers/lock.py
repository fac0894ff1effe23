"""The data file's lock held by a real second process, as a colleague's import or a command holds it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Holds the lock until a line comes on stdin (or stdin closes), and for 8 s at most: bounded by itself.
HOLDER = """
import sys, threading
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.readline(), done.set()), daemon=True).start()
done.wait(8)
lock.release()
"""


@contextmanager
def lock_held(path: Path) -> Iterator[Callable[[], None]]:
    """Another process holds the data file's lock until the yielded function is called."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path) + ".lock"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    stdin, stdout = holder.stdin, holder.stdout
    assert stdin is not None and stdout is not None
    assert stdout.readline().strip() == "held"

    def release() -> None:
        if holder.poll() is None:
            stdin.write("go\n")
            stdin.flush()
        holder.wait(5)
        stdin.close()
        stdout.close()

    try:
        yield release
    finally:
        release()
