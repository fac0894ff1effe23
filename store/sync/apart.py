"""A sync in a process of its own: for the dashboard's first sync with a server, which takes in all it holds.

A first sync pulls every motion the server holds. At 50,000 motions its process peaks at about 540 MB: each pulled
document parsed, and its model. Run in the dashboard's own process (a thread) it left the dashboard holding 600 to
700 MB until it closed, and its 4 s of work shared one interpreter with the screen. In a process of its own its
memory is given back when it ends, and it keeps the models it wrote for the dashboard's read of the file
(store/modelcache.py), as the command line's ``sachstand sync`` does.

The parent sends what the store was opened with and the server, token included, on the child's standard input,
never in its arguments, which anyone on the host may list. The child tells how far it has come and
how it ended in frames on its standard output: a pickle of (kind, value) after its length. Both ends are this
program, started by the same person.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

from store.errors import SachstandError, SyncError
from store.i18n import add_catalog
from store.store import Store
from store.sync.progress import SyncProgress

if TYPE_CHECKING:
    from store.sync.client import SyncReport

_LENGTH = struct.Struct(">I")
_STOPPED = -signal.SIGTERM  # the exit status of a child that stop() ended


class SyncApart:
    """One sync of a store's file in a process of its own (:meth:`run`), which :meth:`stop` ends early."""

    def __init__(self, store: Store, remote: str, token: str, *, ca: str | None = None) -> None:
        where = {"path": os.fspath(store.path), "settings": store.settings()}
        self._spec = {**where, "remote": remote, "token": token, "ca": ca}
        self._child: subprocess.Popen[bytes] | None = None
        self._stopped = False

    def run(self, progress: Callable[[SyncProgress], object] | None = None) -> SyncReport:
        """The sync's report (store/sync/client.py ``SyncReport``), or the error it raised, as the sync in this
        process would give or raise it; ``progress`` is told how far it has come, in this thread."""
        with tempfile.TemporaryFile() as said:  # its standard error, for a process that ends without a word
            self._child = child = subprocess.Popen(
                [sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=said
            )
            assert child.stdin is not None and child.stdout is not None
            try:
                with child.stdin:
                    pickle.dump(self._spec, child.stdin)
                for kind, value in _frames(child.stdout):
                    if kind == "progress" and progress is not None:
                        progress(value)
                    elif kind == "done":
                        return value
                    elif kind == "failed":
                        error_class, msgid, params = value
                        raise error_class(msgid, **params)
            except BrokenPipeError:  # it ended before it read what to do: said below
                pass
            finally:
                child.stdout.close()
                status = child.wait()
            said.seek(0)
            last = (said.read().decode(errors="replace").strip().splitlines() or [f"exit status {status}"])[-1]
        if self._stopped or status == _STOPPED:
            raise SyncError("The sync was stopped before it ended.")
        raise SyncError("The sync's process ended without finishing: {detail}", detail=last[-300:])

    def stop(self) -> None:
        """End the process if it runs (the dashboard closes): what it wrote stays, each write whole or not at all."""
        self._stopped = True
        if self._child is not None and self._child.poll() is None:
            self._child.terminate()


def _frames(stream: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """The (kind, value) frames the child writes, until it ends."""
    while header := stream.read(_LENGTH.size):
        if len(header) < _LENGTH.size:
            return
        (length,) = _LENGTH.unpack(header)
        body = stream.read(length)
        if len(body) < length:
            return
        yield pickle.loads(body)


def main() -> None:
    """The child: the sync of the store the parent names, told frame by frame, its models kept for the next read."""
    from store.folding import Haystacks
    from store.sync.client import sync

    spec = pickle.load(sys.stdin.buffer)
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")  # the frames' own: whatever else is printed goes to stderr
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def say(kind: str, value: Any) -> None:
        frame = pickle.dumps((kind, value))
        out.write(_LENGTH.pack(len(frame)) + frame)
        out.flush()

    try:
        store = Store(spec["path"], **spec["settings"])
        report = sync(store, spec["remote"], spec["token"], ca=spec["ca"], progress=lambda now: say("progress", now))
        keep = store.keep_models(Haystacks({}, {}), written=True)
        if keep is not None:
            keep()  # before it says it is done: the dashboard then reads the file with them
    except SachstandError as error:
        say("failed", (type(error), error.msgid, dict(error.params)))
    else:
        say("done", report)
    # What the pull made is given back with the process, all at once, not freed object by object (0.45 to 0.77 s
    # at 50,000 motions): every write is in its file by now, and every word said.
    os._exit(0)


add_catalog(
    "de",
    {
        "The sync was stopped before it ended.": "Die Synchronisierung wurde vor ihrem Ende abgebrochen.",
        "The sync's process ended without finishing: {detail}": "Der Prozess der Synchronisierung endete vorzeitig: {detail}",
    },
)

if __name__ == "__main__":
    main()
