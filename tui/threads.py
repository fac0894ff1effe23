"""The event loop's default executor, where Textual runs the dashboard's thread workers: each job alone.

Textual runs a thread worker there and sets it as the thread's active worker (textual/worker.py,
``run_callable``) in the thread's own context, where it stays until that thread runs another worker. Through
the worker's node a closed screen (the overview, after ``d`` and Escape) stayed reachable, and a read that
froze what was alive meanwhile (a colleague's whole write read: store/file/bulk.py) kept it for good: a
frozen screen in a cycle is never collected. Here each job runs in a context of its own, empty as a new
thread's is, which ends with the job: whatever the job sets there (the active worker) is let go of with it.
One executor for every thread worker, Textual's own among them, instead of a wrapper at each call site.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import Context
from typing import Any, TypeVar

T = TypeVar("T")


class EachJobAlone(ThreadPoolExecutor):
    """A thread pool whose every job runs in a new, empty context (see the module's doc)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return super().submit(Context().run, fn, *args, **kwargs)


def run_jobs_alone() -> None:
    """Make the running loop's default executor one whose jobs leave nothing behind in its threads; before
    the first thread worker (the app's mount). One the loop made before, if any, ends its idle threads once
    it is freed (concurrent.futures does so for every pool no longer referenced)."""
    asyncio.get_running_loop().set_default_executor(EachJobAlone(thread_name_prefix="asyncio"))
