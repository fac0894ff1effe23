"""A whole write's last step: the new version of the data file put in its place, the old one kept as a backup.

The new version is written to a temp file in the same folder and synced, the backups are rotated (the
data file becomes the newest by a hard link, no copy), and the temp file is renamed over the data file,
whose folder is synced: a crash at any instant leaves the old version or the new one in place.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from store.errors import StoreFileError
from store.file.durable import copy_mode, fsync_folder, write_parts
from store.file.names import StoreFiles
from store.i18n import add_catalog


def replace_data_file(
    files: StoreFiles, temp: Path, parts: Iterable[bytes], backups: int, *, forget: bool
) -> os.stat_result:
    """Put the file of ``parts`` (one after the other) in place of the data file: written to ``temp`` and synced, the ``backups`` rotated
    (or, ``forget``, removed), then renamed over the file; what the new file is."""
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        copy_mode(descriptor, files.data)
        write_parts(descriptor, parts)
        os.fsync(descriptor)
        written = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    if forget:
        for number in range(1, backups + 1):
            files.backup(number).unlink(missing_ok=True)
    else:
        _rotate_backups(files, backups)
    os.replace(temp, files.data)
    fsync_folder(files.folder)
    return written


def _rotate_backups(files: StoreFiles, backups: int) -> None:
    """Keep the data file as the newest backup, each older one a number further, the oldest dropped.
    One that cannot be moved or made (a folder in its place, a read-only folder) stops the write,
    named: an edit must not go on without the backups the user counts on."""
    if backups < 1 or not files.data.exists():
        return
    newest = files.backup(1)
    backup = newest  # the one being made, named if that fails
    try:
        for number in range(backups, 1, -1):
            older, backup = files.backup(number - 1), files.backup(number)
            if older.exists():
                os.replace(older, backup)
        backup = newest
        newest.unlink(missing_ok=True)
        try:
            os.link(files.data, newest)
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                raise
            newest.write_bytes(files.data.read_bytes())  # file systems without hard links
    except OSError as error:
        raise StoreFileError(
            "{path}: cannot keep the backup of the data file: {detail}.",
            path=backup,
            detail=error.strerror or str(error),
        ) from error


add_catalog(
    "de",
    {
        "{path}: cannot keep the backup of the data file: {detail}.": "{path}: Sicherung der Datendatei nicht möglich: {detail}.",
    },
)
