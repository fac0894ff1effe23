"""Reports and the server's notes are written whole or not at all, and never over what is not a regular file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from store import BadInput, WriteError
from store.exchange.files import write_file


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


def test_the_replaced_files_permissions_stay_and_a_new_file_is_the_owners(tmp_path: Path) -> None:
    shared, new = tmp_path / "shared.md", tmp_path / "new.md"
    shared.write_bytes(b"old")
    shared.chmod(0o664)  # a group sharing the report keeps write access
    write_file(shared, b"new")
    write_file(new, b"new")
    assert (shared.stat().st_mode & 0o777, new.stat().st_mode & 0o777) == (0o664, 0o600)
