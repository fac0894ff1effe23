"""The files of one store, named once: the data file and its companions beside it.

A store is its data file and, in the same folder::

    <name>.journal       the transactions since the file was last written whole (store/file/journal.py)
    <name>.lock          the lock every writer takes (store/file/transaction.py)
    <name>.bak1, .bak2…  the previous versions of the data file, newest first (store/file/storage.py)
    <name>.index         the motion list's cache (store/file/index.py)
    <name>.offsets       where each motion's line lies in the data file (store/file/offsets.py)
    .<name>.….tmp        a new version of the data file or of the index, being written

The data file's path is resolved past every symbolic link once, when the store is opened: two
links to one shared file are one store, whose companions lie beside the real file, and a whole
write replaces the real file, never the link.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path

from store.errors import StoreFileError
from store.i18n import add_catalog

_BACKUP = re.compile(r"\.bak([1-9][0-9]*)")


@dataclass(frozen=True)
class StoreFiles:
    data: Path  # the real path of the data file

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> StoreFiles:
        """The files of the store whose data file is ``path`` (or a link to it)."""
        return cls(Path(os.path.realpath(Path(path).expanduser())))

    @property
    def folder(self) -> Path:
        return self.data.parent

    @property
    def journal(self) -> Path:
        return self._beside(".journal")

    @property
    def lock(self) -> Path:
        return self._beside(".lock")

    @property
    def index(self) -> Path:
        return self._beside(".index")

    @property
    def offsets(self) -> Path:
        return self._beside(".offsets")

    def version(self) -> tuple[int, int, int] | None:
        """The data file as it is on disk now: its inode, size and time of change; None if there is none."""
        try:
            status = self.data.stat()
        except OSError:
            return None
        return status.st_ino, status.st_size, status.st_mtime_ns

    def backup(self, number: int) -> Path:
        return self._beside(f".bak{number}")

    def temp(self, kind: str = "") -> Path:
        """A new name for a file being written, which :meth:`temp_pattern` matches."""
        return self.folder / f".{self.data.name}.{os.getpid()}.{os.urandom(4).hex()}{kind}.tmp"

    @property
    def temp_pattern(self) -> str:
        """The glob of the names :meth:`temp` gives."""
        return f".{glob.escape(self.data.name)}.*.tmp"  # escaped: a name may hold [ ] * ?

    def backups(self) -> list[Path]:
        """The backups there are, newest first (whatever the number of generations kept now)."""
        found = [
            (int(match.group(1)), path)
            for path in self.folder.glob(f"{glob.escape(self.data.name)}.bak*")
            if (match := _BACKUP.fullmatch(path.name[len(self.data.name) :]))
        ]
        return [path for _number, path in sorted(found)]

    def refuse_leftovers(self) -> None:
        """For a data file that does not exist: a new store may start only if nothing of an earlier one
        is left beside it. A journal or backups without it mean the file was lost (deleted, moved, a
        failed copy), and the first write of a new store would delete that journal."""
        backups = self.backups()
        journal = [self.journal] if self.journal.exists() else []
        if backups:
            raise StoreFileError(
                "{path} is missing, but files of its store are still there ({found}). To restore the newest backup, copy {backup} to {path}; to start a new store, move those files away first.",
                path=self.data,
                found=", ".join(path.name for path in journal + backups),
                backup=backups[0],
            )
        if journal:
            raise StoreFileError(
                "{path} is missing, but its journal {journal} is still there, and there is no backup: restore the data file from a copy, or move the journal away to start a new store.",
                path=self.data,
                journal=journal[0],
            )

    def holds(self, path: str | os.PathLike[str]) -> bool:
        """Whether ``path`` (through any link, relative or not) is the data file or one of its companions,
        the temp files included: a file written there would destroy or split the store."""
        real = Path(os.path.realpath(Path(path).expanduser()))
        if real.parent == self.folder and self._named(real.name):
            return True
        # The same file under another name: a case-insensitive file system, or a hard link.
        try:
            status = os.stat(real)
        except OSError:
            return False  # nothing there yet, so it is none of ours that exists
        return any(_identity(own) == (status.st_dev, status.st_ino) for own in self._existing())

    def _named(self, name: str) -> bool:
        own = self.data.name
        if name == own:
            return True
        if name.startswith(f".{own}.") and name.endswith(".tmp"):
            return True
        rest = name[len(own) :] if name.startswith(own) else None
        return rest is not None and (
            rest in (".journal", ".lock", ".index", ".offsets") or _BACKUP.fullmatch(rest) is not None
        )

    def _existing(self) -> list[Path]:
        return [self.data, self.journal, self.lock, self.index, self.offsets, *self.backups()]

    def _beside(self, suffix: str) -> Path:
        return self.folder / f"{self.data.name}{suffix}"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


add_catalog(
    "de",
    {
        "{path} is missing, but files of its store are still there ({found}). To restore the newest backup, copy {backup} to {path}; to start a new store, move those files away first.": "{path} fehlt, aber Dateien seines Bestands sind noch da ({found}). Um die neueste Sicherung zurückzuspielen, {backup} nach {path} kopieren; um einen neuen Bestand zu beginnen, erst diese Dateien beiseitelegen.",
        "{path} is missing, but its journal {journal} is still there, and there is no backup: restore the data file from a copy, or move the journal away to start a new store.": "{path} fehlt, aber sein Journal {journal} ist noch da, und es gibt keine Sicherung: die Datendatei aus einer Kopie wiederherstellen oder, um einen neuen Bestand zu beginnen, das Journal beiseitelegen.",
    },
)
