"""The reference sync server in a process of its own, holding each bulk push at a chosen point so a test
can kill it there with SIGKILL:

    python tests/helpers/killable_server.py DATA TOKENS PORT MARKER before|after

DATA may be a PostgreSQL URL (postgresql://...): then that database is served (TOKENS is not read).

``before``: the push has arrived and nothing of it is applied; ``after``: it is applied and written, and
the answer is not sent. At that point the server writes MARKER and waits to be killed. Every other
request, and every request once MARKER exists (the restarted server), is served as usual.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import uvicorn

from store import SETTINGS
from store.sync.server import create_app


def holding(app: Any, marker: Path, point: str) -> Any:
    async def wait_forever() -> None:
        marker.write_text(point)
        while True:
            await asyncio.sleep(60)

    async def held(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/bulk") or marker.exists():
            await app(scope, receive, send)
            return
        if point == "before":
            await wait_forever()

        async def answer_never(message: Any) -> None:
            if message["type"] == "http.response.start":
                await wait_forever()
            await send(message)

        await app(scope, receive, answer_never)

    return held


def main(data: str, tokens: str, port: str, marker: str, point: str) -> None:
    if data.startswith("postgresql://"):
        from store.sync.postgres import PostgresTenants, open_database
        from store.sync.server import tenant_app

        served = tenant_app(PostgresTenants(open_database(data)))
    else:
        served = create_app(data, tokens, lock_timeout=SETTINGS["lock_timeout"].default)
    app = holding(served, Path(marker), point)
    uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning")


if __name__ == "__main__":
    main(*sys.argv[1:])
