"""Which documents the storage's writes changed, in order, since its tables were last read whole (an epoch): so a
reader of a few of them (the store's sync marks) need not look at all 10,000 after each edit."""

from __future__ import annotations

from collections.abc import Collection, Mapping

Changed = Mapping[str, Collection[str]]  # table name -> keys of the documents a transaction wrote
Mark = tuple[int, int]  # a point in the change log: (epoch, length)

_LOG_LIMIT = 10_000  # documents the change log holds at least: the older may be forgotten (see ChangeLog.record)


class ChangeLog:
    def __init__(self) -> None:
        self._epoch = 0
        self._log: list[tuple[str, str]] = []
        self._forgotten = 0  # entries of this epoch dropped from the log's start

    @property
    def mark(self) -> Mark:
        """Where the log stands now; see :meth:`since`."""
        return self._epoch, self._forgotten + len(self._log)

    def since(self, mark: Mark) -> list[tuple[str, str]] | None:
        """(table, key) of each document written since ``mark``, or None if that is not known (the
        tables were read whole since, or the log has forgotten that far back): then every document may
        have changed."""
        epoch, position = mark
        if epoch != self._epoch or position < self._forgotten:
            return None
        return self._log[position - self._forgotten :]

    def record(self, changed: Changed | None) -> None:
        """Log the documents a write changed; None: all may have (a new epoch). Past twice _LOG_LIMIT the oldest
        are forgotten down to _LOG_LIMIT, not the whole log: a reader that looked recently still reads only what
        changed since (the sync marks, brought up to date while the server takes a push's last body:
        store/sync/client.py). Starting over, a full push's last answer sent them back over every motion."""
        if changed is None:
            self._epoch, self._log, self._forgotten = self._epoch + 1, [], 0
            return
        self._log += ((name, key) for name, keys in changed.items() for key in keys)
        if len(self._log) > 2 * _LOG_LIMIT:  # at most every _LOG_LIMIT entries: no copy of the log per edit
            forget = len(self._log) - _LOG_LIMIT
            del self._log[:forget]
            self._forgotten += forget
