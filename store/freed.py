"""Memory the process has freed, given back to the system.

Python hands a freed object of more than 512 bytes back to the C library's allocator, which keeps the space for
its next allocations; glibc returns it to the system only from the top of its heap. Python's own small objects
come from arenas of their own, so they do not reuse that space: a process that frees many such objects and then
makes many small ones holds both. The dashboard does exactly this with the models' cache (store/modelrows.py):
each motion's items wait as the bytes of their rows until they are made, and at 50,000 motions those bytes
(46 MB) stayed with the process once the items were made, its peak 288 MB against 243 MB after a trim.

glibc's ``malloc_trim`` gives every free page back. Elsewhere (musl, macOS, Windows) there is no such call, and
nothing is done: those allocators keep less, or give back on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache


def give_back() -> None:
    """Give the memory this process has freed, and its allocator holds, back to the system, where the allocator
    can (a few milliseconds at 300 MB)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes  # 2 to 4 ms: loaded only when memory is given back, never on a command's path

        return ctypes.CDLL(None).malloc_trim  # the symbols of the process, the C library's among them
    except (OSError, TypeError, AttributeError):  # no C library to ask (Windows: CDLL(None)), or none with the call
        return None
