"""Typed errors of the store: every error a user can see is one of these.

Every error carries an English message id plus parameters, so the caller can
show it in the user's language (see :mod:`store.i18n`) and pick an exit code
from its class without parsing text: 2 for bad input, 1 for any other failure.
"""

from __future__ import annotations

from typing import Any

from store.i18n import Said, translate


class SachstandError(Said, Exception):
    """Base of every error the store raises on purpose."""

    exit_code = 1

    def __init__(self, msgid: str, /, **params: Any) -> None:
        self.msgid = msgid
        self.params = params
        super().__init__(translate(msgid, "en", **params))


class BadInput(SachstandError):
    """The user (or an importer, or a peer) handed us something invalid."""

    exit_code = 2


class NotFound(BadInput):
    """A motion or item reference matched nothing."""


class Ambiguous(BadInput):
    """A motion reference matched more than one motion."""


class StoreFileError(SachstandError):
    """The data file cannot be used: corrupt, from a newer version, unreadable."""


class LockTimeout(SachstandError):
    """Another process held the data file's lock for too long."""


class UndoError(SachstandError):
    """Nothing to undo, or the change was overtaken by a later one."""


class ConfigError(BadInput):
    """The configuration file or an environment override is invalid."""


class WriteError(SachstandError):
    """A file could not be written for a reason of the machine, not of the name given: a full disk,
    a read-only file system, a failing device."""


class OParlError(SachstandError):
    """The OParl server cannot be read: network, HTTP status or answer format. Names the URL."""


class SyncError(SachstandError):
    """The sync did not complete: the server is unreachable, refused the token, failed or answered nonsense."""


class Unavailable(SachstandError):
    """The sync server's database cannot be reached now: the server answers 503 until it can."""
