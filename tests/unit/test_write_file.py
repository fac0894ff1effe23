"""Reports and the server's notes are written whole or not at all, and never over what is not a regular file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from store import BadInput, WriteError
from store.exchange.files import PRIVATE, write_file


def test_a_full_disk_is_the_machines_trouble_and_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    # A full disk cannot be had here without mounting a file system, so the operating system's answer
    # is stood in for: fsync reports ENOSPC, as it does on a full disk.
    target = tmp_path / "bericht.md"
    target.write_bytes(b"old")

    def full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError) as failed:
        write_file(target, b"new")
    assert failed.value.exit_code == 1 and str(target) in failed.value.render("en")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["bericht.md"]


def test_a_missing_folder_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput) as refused:
        write_file(tmp_path / "nowhere" / "bericht.md", b"new")
    assert refused.value.exit_code == 2


def test_a_link_keeps_pointing_at_the_new_file(tmp_path: Path) -> None:
    target, link = tmp_path / "bericht.md", tmp_path / "link.md"
    target.write_bytes(b"old")
    link.symlink_to(target)
    write_file(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_the_replaced_files_permissions_stay_and_a_new_file_follows_the_umask(tmp_path: Path, umask: int) -> None:
    shared, new, secret = tmp_path / "shared.md", tmp_path / "new.md", tmp_path / "tokens.json"
    shared.write_bytes(b"old")
    shared.chmod(0o664)  # a group sharing the report keeps write access
    before = os.umask(umask)
    try:
        write_file(shared, b"new")
        write_file(new, b"new")
        write_file(secret, b"new", mode=PRIVATE)
    finally:
        os.umask(before)
    modes = tuple(path.stat().st_mode & 0o777 for path in (shared, new, secret))
    assert modes == (0o664, 0o666 & ~umask, 0o600 & ~umask)
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")] == []
