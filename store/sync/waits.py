"""The sync server's live changes: ``GET /changes?wait=S`` waits for a write (docs/sync-protocol.md).

A waiting request holds no lock and no thread: it waits on the event loop for :meth:`Waits.wake`, which
the server calls after its own pushes and the backend (through ``ServerBackend.listen``, from any thread)
when another process may have written. A wake only says "look again": the request then reads the feed
after its cursor as any other, so a wake for another body's write, or one that arrives late, costs a
read and is otherwise harmless.

uvicorn waits for every open request before it stops, and a waiting one would hold its shutdown up to
60 s: :class:`Serving` ends them all first (each answers with an empty page).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Awaitable, Callable
from typing import TypeVar

import uvicorn

MAX_WAIT = 60.0  # seconds a request may wait: below the read timeout of most reverse proxies' defaults
MAX_WAITING = 500  # requests waiting at once per server process: each holds a connection (a file descriptor)


T = TypeVar("T")


class Waits:
    """The requests of one server process waiting for a write, and the news that ends their wait.

    Used on the event loop's thread only; :meth:`waker` gives a function any thread may call."""

    def __init__(self, full: Callable[[int], Exception], limit: int = MAX_WAITING) -> None:
        self.limit = limit
        self._full = full  # the error for one request more than ``limit`` (the server's 503), given the limit
        self.waiting = 0
        self.closed = False
        self._writes = 0  # wakes so far: a request compares it before and after reading the feed
        self._news = asyncio.Event()

    async def until(self, read: Callable[[], Awaitable[T]], news: Callable[[T], bool], seconds: float | None) -> T:
        """What ``read`` gives: at once if ``news`` of it holds or ``seconds`` is None; else read again after
        each wake, until news holds, ``seconds`` have passed, or the server stops."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (seconds or 0)
        while True:
            mark = self.mark()
            found = await read()
            left = deadline - loop.time()
            if news(found) or left <= 0 or self.closed:
                return found
            await self.wait(mark, left)

    def mark(self) -> tuple[int, asyncio.Event]:
        """Taken before a request reads the feed: a write after the read changes it, so none is missed."""
        return self._writes, self._news

    async def wait(self, mark: tuple[int, asyncio.Event], seconds: float) -> None:
        """Until a wake after ``mark``, the server's shutdown, or ``seconds``; at once if one came already."""
        writes, news = mark
        if writes != self._writes or self.closed:
            return
        if self.waiting >= self.limit:
            raise self._full(self.limit)
        self.waiting += 1
        try:
            await asyncio.wait_for(news.wait(), seconds)
        except TimeoutError:
            pass
        finally:
            self.waiting -= 1

    def wake(self) -> None:
        """Something may have been written: every waiting request reads the feed again."""
        self._writes += 1
        news, self._news = self._news, asyncio.Event()
        news.set()

    def close(self) -> None:
        """The server stops: every waiting request answers now, and none waits any more."""
        self.closed = True
        self.wake()

    def waker(self, loop: asyncio.AbstractEventLoop) -> Callable[[], None]:
        """:meth:`wake` for another thread (a database listener's), through ``loop``, this object's."""

        def wake() -> None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: the server has stopped, nobody waits
                loop.call_soon_threadsafe(self.wake)

        return wake


class Serving(uvicorn.Server):
    """uvicorn's server for a sync app: its waiting requests end when it begins to stop, not up to 60 s later."""

    def __init__(self, config: uvicorn.Config, waits: Waits) -> None:
        super().__init__(config)
        self._waits = waits

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._waits.close()
        await super().shutdown(sockets)
