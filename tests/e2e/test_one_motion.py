"""The offsets sidecar (store/file/offsets.py): a command on one motion reads only that motion and the journal,
with the same results as the whole read, which it falls back to whenever the sidecar is not exactly current."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

from store import ItemStatus, Store, new_motion_id
from store.file import storage as storage_module
from store.file.index import newest_first_key
from store.file.storage import AtomicJSONStorage
from store.model import Motion
from tui.app import SachstandApp
from tui.cli import main

from helpers.dashboard import to_item, until
from helpers.stored import stored_files
from helpers.sync import ENV_VARIABLES, model, run_sync, serving

MOTIONS = 30


@pytest.fixture(autouse=True)
def _plain_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "no-such-config.toml"))
    monkeypatch.setenv("SACHSTAND_USER", "anna")
    monkeypatch.setenv("LANG", "C")


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(db), *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data.json"
    assert _run(path, "generate", "--motions", str(MOTIONS))[0] == 0
    return path


def _motions(path: Path) -> list[Motion]:
    with Store(path, user="anna") as store:
        return store.motions()


def _focused(path: Path, ref: str) -> tuple[dict[str, Any] | None, bool]:
    """The tables as a read focused on ``ref`` finds them, and whether the read was focused (partial)."""
    storage = AtomicJSONStorage(path)
    storage.focus = ref
    tables = storage.read()
    assert storage.signature is not None
    return tables, storage.signature.partial


def _whole(path: Path) -> dict[str, Any]:
    tables = AtomicJSONStorage(path).read()
    assert tables is not None
    return tables


def _agrees(path: Path, motion: Motion, ref: str | None = None) -> bool:
    """Whether a focused read of ``motion`` (by ``ref``, else its id) has what the whole read has, and was focused."""
    tables, partial = _focused(path, ref or motion.id)
    whole = _whole(path)
    assert tables is not None
    assert tables["motions"][motion.id] == whole["motions"][motion.id]
    assert {name: table for name, table in tables.items() if name != "motions"} == {
        name: table for name, table in whole.items() if name != "motions"
    }
    return partial


def test_every_motion_is_read_alone_as_the_whole_read_has_it(db: Path) -> None:
    assert db.with_name("data.json.offsets").exists()
    for motion in _motions(db):
        assert _agrees(db, motion)
        assert _agrees(db, motion, f"  {motion.reference.replace(' ', '').lower()} ")  # blanks and case ignored
        assert _agrees(db, motion, motion.id[:8])


def test_edits_in_the_journal_are_seen_a_reference_changed_there_too(db: Path) -> None:
    first, second = _motions(db)[:2]
    with Store(db, user="anna") as store:  # the dashboard's edits: appended to the journal
        store.set_item(first.id, 1, status=ItemStatus.DONE)
        store.update_motion(second.id, reference="NEU 1/2026")
        added = store.add_motion(replace(first, id=new_motion_id(), reference="DS 99/1"))
    assert db.with_name("data.json.journal").exists()
    assert _agrees(db, first) and _agrees(db, second, "neu1/2026") and _agrees(db, added, "ds 99/1")
    code, _out, err = _run(db, "show", second.reference)  # the old reference names no motion any more
    assert code == 2 and repr(second.reference) in err


def test_set_show_and_history_give_what_the_whole_read_gives(db: Path) -> None:
    motion = _motions(db)[5]
    focused = [
        _run(db, "set", motion.reference, "1", "done"),
        _run(db, "show", motion.id),
        _run(db, "history", motion.id),
    ]
    assert all(code == 0 for code, _out, _err in focused)
    assert _motions(db)[5].items[0].status == ItemStatus.DONE
    db.with_name("data.json.offsets").unlink()  # the whole read, forced
    assert _run(db, "show", motion.id) == focused[1] and _run(db, "history", motion.id) == focused[2]
    assert not _focused(db, motion.id)[1]


def test_the_same_errors_and_the_stored_files_byte_for_byte_unchanged_on_bad_input(db: Path) -> None:
    motions = _motions(db)
    # 30 random ids: some share their first character with another
    ambiguous = next(m.id[:1] for m in motions if sum(o.id.startswith(m.id[:1]) for o in motions) > 1)
    cases = [("set", motions[0].id, "99", "done"), ("set", "nosuch", "1", "done"), ("show", ambiguous)]
    cases += [("set", motions[0].id, "1", "finished"), ("history", "nosuch")]
    sidecar = db.with_name("data.json.offsets")
    before = {**stored_files(db), "offsets": sidecar.read_bytes()}
    with_sidecar = [_run(db, *case) for case in cases]
    assert {**stored_files(db), "offsets": sidecar.read_bytes()} == before
    assert all(code == 2 and err for code, _out, err in with_sidecar)
    sidecar.unlink()
    assert [_run(db, *case) for case in cases] == with_sidecar


@pytest.mark.parametrize(
    "damage",
    [
        lambda data, sidecar: sidecar.write_bytes(b"{not json"),
        lambda data, sidecar: sidecar.write_bytes(sidecar.read_bytes()[:100]),
        lambda data, sidecar: sidecar.write_bytes(b""),
        lambda data, sidecar: _folder_instead(sidecar),
        # the right stamp, wrong ranges: every motion's range moved by one byte
        lambda data, sidecar: sidecar.write_bytes(_shifted(sidecar.read_bytes())),
        lambda data, sidecar: sidecar.write_bytes(_without_ranges(sidecar.read_bytes())),
    ],
    ids=["garbage", "cut short", "empty", "a folder", "wrong ranges", "no ranges"],
)
def test_a_damaged_sidecar_falls_back_to_the_whole_read(db: Path, damage: Any) -> None:
    motion = _motions(db)[3]
    damage(db, db.with_name("data.json.offsets"))
    assert not _agrees(db, motion)
    assert _run(db, "set", motion.id, "1", "done")[0] == 0
    assert _motions(db)[3].items[0].status == ItemStatus.DONE


def _folder_instead(sidecar: Path) -> None:
    sidecar.unlink()
    sidecar.mkdir()


def _without_ranges(content: bytes) -> bytes:
    """Each motion's line (the sidecar's layout: store/file/offsets.py) without its range."""
    head, *lines = content.rstrip(b"\n").split(b"\n")
    return b"\n".join([head, *(orjson.dumps([*orjson.loads(line)[:2], 5]) for line in lines)]) + b"\n"


def _shifted(content: bytes) -> bytes:
    """Each motion's range moved by a byte."""
    head, *lines = content.rstrip(b"\n").split(b"\n")
    shifted = []
    for line in lines:
        key, reference, start, end, deleted = orjson.loads(line)
        shifted.append(orjson.dumps([key, reference, start + 1, end + 1, deleted]))
    return b"\n".join([head, *shifted]) + b"\n"


def _always_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write of this process writes the file whole (the journal never has room)."""
    monkeypatch.setattr(storage_module, "JOURNAL_MINIMUM", 0)
    monkeypatch.setattr(storage_module, "JOURNAL_SHARE", 10**9)


def test_a_stale_sidecar_and_a_file_replaced_under_it_fall_back(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _always_whole(monkeypatch)
    motion = _motions(db)[7]
    sidecar = db.with_name("data.json.offsets")
    old = sidecar.read_bytes()
    with Store(db, user="anna") as store:
        store.import_motions([replace(m, title=m.title + "!") for m in store.motions()], managed={"title"})
    assert sidecar.read_bytes() != old  # a whole write writes its sidecar
    assert _agrees(db, motion)
    sidecar.write_bytes(old)  # the sidecar of the file before
    assert not _agrees(db, motion)
    status = "open" if motion.items[0].status == ItemStatus.DONE else "done"  # a change: a write
    assert _run(db, "set", motion.id, "1", status)[0] == 0
    shutil.copyfile(db.with_name("data.json.bak1"), db)  # a backup copied over the file, the sidecar left
    db.with_name("data.json.journal").unlink(missing_ok=True)
    assert not _agrees(db, motion)
    assert _motions(db)[7].title == motion.title + "!"  # as the backup has it


def test_a_focused_edit_that_writes_the_file_whole_keeps_every_motion_and_the_index(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _always_whole(monkeypatch)
    before = _motions(db)
    motion = before[11]
    assert _run(db, "set", motion.reference, "2", "deferred")[0] == 0
    assert not db.with_name("data.json.journal").exists()  # written whole
    after = _motions(db)
    assert [m.id for m in after] == [m.id for m in before]
    assert after[11].items[1].status == ItemStatus.DEFERRED
    assert [m for m in after if m.id != motion.id] == [m for m in before if m.id != motion.id]
    with Store(db, user="anna") as store:
        preview = store.preview()
    newest_first = sorted(after, key=newest_first_key, reverse=True)  # the index's order: the list's
    assert preview is not None and [summary.id for summary in preview] == [m.id for m in newest_first]
    assert _agrees(db, after[11]) and _agrees(db, after[0])


def test_after_a_sync_the_sidecar_names_the_pulled_file(tmp_path: Path, db: Path) -> None:
    other = tmp_path / "other.json"
    with serving(tmp_path) as server:
        assert run_sync(db, server).code == 0
        assert run_sync(other, server).code == 0
    assert model(other) == model(db)
    for motion in _motions(other)[:5]:
        assert _agrees(other, motion, motion.reference)
    motion = _motions(other)[2]
    assert _run(other, "set", motion.id, "1", "done")[0] == 0 and _motions(other)[2].items[0].status == ItemStatus.DONE


def test_concurrent_writers_lose_no_edit(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Command-line sets of one motion (focused reads, appended to the journal) in another process while
    this one edits other motions, each write here rewriting the file (and its sidecar) whole."""
    _always_whole(monkeypatch)
    motions = _motions(db)
    script = (
        "import sys\nfrom tui.cli import main\n"
        "for number in range(1, 21):\n"
        "    assert main(['--db', sys.argv[1], 'set', sys.argv[2], '1', 'done' if number % 2 else 'open']) == 0\n"
        "assert main(['--db', sys.argv[1], 'set', sys.argv[2], '1', 'reported']) == 0\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(db), motions[0].id], env={**os.environ})
    with Store(db, user="bert") as store:
        for round_number in range(10):
            store.set_item(motions[1 + round_number].id, 1, status=ItemStatus.DONE)
            store.import_motions([replace(motions[-1], title=f"Titel {round_number}")], managed={"title"})
    assert child.wait(timeout=120) == 0
    after = {m.id: m for m in _motions(db)}
    assert after[motions[0].id].items[0].status == ItemStatus.REPORTED
    assert all(after[motions[1 + n].id].items[0].status == ItemStatus.DONE for n in range(10))
    assert after[motions[-1].id].title == "Titel 9"
    assert _agrees(db, after[motions[0].id])


@pytest.mark.parametrize("choice", ["theirs", "mine"])
def test_resolve_gives_what_the_whole_read_gives(tmp_path: Path, db: Path, choice: str) -> None:
    motion = _motions(db)[4]
    other = tmp_path / "other.json"
    with serving(tmp_path) as server:
        assert run_sync(db, server).code == 0 and run_sync(other, server).code == 0
        with Store(db, user="anna") as store:
            store.set_item(motion.id, 1, note="Annas Stand")
        with Store(other, user="ben") as store:
            store.set_item(motion.id, 1, note="Bens Stand")
        assert run_sync(db, server).code == 0 and run_sync(other, server).code == 3
    copy = tmp_path / "copy" / "other.json"
    copy.parent.mkdir()
    for name in ("other.json", "other.json.journal"):
        if (tmp_path / name).exists():
            shutil.copyfile(tmp_path / name, copy.with_name(name))
    assert _agrees(other, motion, motion.reference)
    results = [_run(path, "resolve", motion.reference, "1", f"--{choice}") for path in (other, copy)]
    assert results[0] == results[1] and results[0][0] == 0
    assert model(other) == model(copy)
    assert _run(other, "conflicts") == _run(copy, "conflicts")


async def test_after_edits_in_the_dashboard_one_motion_is_read_alone(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real dashboard edits a status (written whole here, so its sidecar is written by the dashboard's
    own process); then the command line reads the motion alone and finds the edit."""
    _always_whole(monkeypatch)
    motion = _motions(db)[9]
    status = ItemStatus.DONE if motion.items[0].status != ItemStatus.DONE else ItemStatus.OPEN
    key = "12345"[list(ItemStatus).index(status)]  # the status keys, in the statuses' order
    with Store(db, user="anna") as store:
        app = SachstandApp(store, "en")
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: app.main.motion_list.row_count == MOTIONS)
            await to_item(pilot, app, motion.id, 1)
            await pilot.press(key)
            await until(pilot, lambda: _motions(db)[9].items[0].status == status)
    assert not db.with_name("data.json.journal").exists()  # the dashboard wrote the file whole
    assert _agrees(db, motion)
    code, out, _err = _run(db, "show", motion.id)
    assert code == 0 and out == _run_whole(db, "show", motion.id)[1]


def _run_whole(db: Path, *args: str) -> tuple[int, str, str]:
    """A command with the sidecar out of the way: the whole read."""
    sidecar = db.with_name("data.json.offsets")
    kept = sidecar.read_bytes()
    sidecar.unlink()
    try:
        return _run(db, *args)
    finally:
        sidecar.write_bytes(kept)


def _undo_reads(db: Path, user: str = "anna") -> tuple[list[str], set[str]]:
    """What an undo took back (the motions), and which motions it read."""
    with Store(db, user=user) as store:
        undone = store.undo()
        return [entry.motion_id for entry in undone], set(store.documents(everything=False))


def test_undo_of_a_write_in_the_journal_reads_only_its_motion_and_says_what_the_whole_read_says(db: Path) -> None:
    motions = _motions(db)
    first, second = motions[4], motions[6]
    assert _run(db, "set", first.id, "1", _changing(first))[0] == 0
    assert _run(db, "set", second.id, "1", _changing(second))[0] == 0
    assert _undo_reads(db) == ([second.id], {first.id, second.id})  # the journal's motions, no other
    assert _motions(db)[6].items[0].status == second.items[0].status
    code, out, _err = _run(db, "undo")  # the first set, found in the journal too
    assert code == 0 and first.reference in out
    assert _motions(db)[4].items[0].status == first.items[0].status
    # The same words as the whole read's: an undo of the same set made again, with the sidecar and without.
    assert _run(db, "set", first.id, "1", _changing(first))[0] == 0
    focused = _run(db, "undo")
    assert _run(db, "set", first.id, "1", _changing(first))[0] == 0
    assert _without_times(_run_whole(db, "undo")) == _without_times(focused)
    assert _motions(db)[4].items[0].status == first.items[0].status


def _without_times(result: tuple[int, str, str]) -> tuple[int, str, str]:
    code, out, err = result
    return code, re.sub(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", "<when>", out), err


def test_undo_reads_the_whole_store_when_the_journal_cannot_tell(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    motions = _motions(db)
    with monkeypatch.context() as whole:
        _always_whole(whole)
        assert (
            _run(db, "set", motions[2].id, "1", _changing(motions[2]))[0] == 0
        )  # anna's last write: in the file itself
    monkeypatch.setenv("SACHSTAND_USER", "berta")
    assert _run(db, "set", motions[3].id, "1", _changing(motions[3]))[0] == 0  # the journal: only berta's
    assert db.with_name("data.json.journal").exists()
    taken, read = _undo_reads(db, "anna")
    assert taken == [motions[2].id] and len(read) == MOTIONS
    monkeypatch.setenv("SACHSTAND_USER", "anna")
    nothing = _run(db, "undo")
    assert nothing[0] != 0 and nothing == _run_whole(db, "undo")


def _changing(motion: Motion) -> str:
    """A status the motion's first item does not have: setting it writes."""
    return "done" if motion.items[0].status != ItemStatus.DONE else "deferred"


def test_redo_of_an_undo_in_the_journal_reads_only_its_motion(db: Path) -> None:
    motions = _motions(db)
    assert _run(db, "set", motions[5].id, "1", _changing(motions[5]))[0] == 0
    assert _run(db, "set", motions[7].id, "1", _changing(motions[7]))[0] == 0
    assert _run(db, "undo")[0] == 0
    with Store(db, user="anna") as store:
        redone = store.redo()
        assert [entry.motion_id for entry in redone] == [motions[7].id]
        assert set(store.documents(everything=False)) == {motions[5].id, motions[7].id}
    assert _motions(db)[7].items[0].status != motions[7].items[0].status
    # A new edit after an undo ends the redo: found in the journal as well.
    assert _run(db, "undo")[0] == 0
    assert _run(db, "set", motions[9].id, "1", _changing(motions[9]))[0] == 0
    focused = _run(db, "redo")
    assert focused[0] != 0 and focused == _run_whole(db, "redo")


def test_a_glance_reads_one_motion_as_the_whole_read_has_it_and_keeps_nothing(db: Path) -> None:
    """What the dashboard shows of the highlighted motion while it reads the store (Store.glance)."""
    first, second, third = _motions(db)[:3]
    with Store(db, user="bert") as other:  # another process's edits since the file was written: in the journal
        other.set_item(first.id, 1, status=ItemStatus.DONE)
        other.delete_motion(second.id)
    now = {motion.id: motion for motion in _motions(db)}
    with Store(db, user="anna") as store:
        assert store.glance(first.id) == now[first.id] and store.glance(third.id) == now[third.id]
        assert store.glance(second.id) is None  # deleted
        assert store.glance("nosuch") is None and store.glance(third.id[:8]) is None  # by its id only
        assert store.motions() == list(now.values())  # the handle's first read reads every motion, as it would have


def _in_place(path: Path, motion_id: str, old: bytes, new: bytes) -> None:
    """The motion's line written over with ``new`` from where ``old`` is in it, the file's size and time kept: the
    sidecar still names the file."""
    status, content = os.stat(path), path.read_bytes()
    at = content.index(old, content.index(f'"{motion_id}":{{'.encode()))
    path.write_bytes(content[:at] + new + content[at + len(new) :])
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_a_glance_never_reads_the_whole_file_and_says_nothing_of_what_it_cannot_read(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = _motions(db)[:3]

    def whole_read(*_args: object) -> None:
        raise AssertionError("the whole file was read")

    monkeypatch.setattr(AtomicJSONStorage, "_parse_file", whole_read)  # instrumentation only
    _in_place(db, first.id, b'"title":"', b'"title":"\\u001b')  # a control character: the read refuses the file
    _in_place(db, second.id, b'{"id"', b"]]]]]")  # a line that does not parse
    with Store(db, user="anna") as store:
        assert store.glance(first.id) is None and store.glance(second.id) is None  # the read will say why
        assert store.glance(third.id) == third
        db.with_name("data.json.offsets").write_bytes(b"{not json")  # no sidecar for this file: only a whole read
        assert store.glance(third.id) is None
