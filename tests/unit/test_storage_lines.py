"""The storage keeps where each motion's line is, read and parsed when the motion is (store/file/documents.py):
the same documents, errors and models as parsing the file whole, without holding every parsed document."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from store import ItemStatus, Motion, Store, StoreFileError, new_items, new_motion_id
from store.edit import live, replaced_by
from store.file import documents, offsets
from store.file.documents import Documents, Line, parsed_once
from store.file.durable import write_parts
from store.file.names import StoreFiles
from store.file.storage import AtomicJSONStorage
from store.history import CREATE

from helpers.parses import parses_counted


def _motion(title: str) -> Motion:
    return Motion(id=new_motion_id(), title=title, items=new_items(["Bestand"]))


@pytest.fixture
def whole_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every transaction rewrites the file: as when the journal has grown past its share of it."""
    monkeypatch.setattr("store.file.storage.JOURNAL_MINIMUM", 0)
    monkeypatch.setattr("store.file.storage.JOURNAL_SHARE", 10**9)


@pytest.fixture
def path(tmp_path: Path, whole_writes: None) -> Path:
    path = tmp_path / "data.json"
    with Store(path, user="anna") as store:
        for title in ("Radwegekonzept", "Schulbau", "Kita"):
            store.add_motion(_motion(title))
    return path


def _rewritten(path: Path, change: object) -> None:
    """The data file (written whole, no journal beside it) with its lines changed."""
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(change(lines)))  # type: ignore[operator]


def test_the_motions_are_held_as_their_lines_and_read_as_documents(path: Path) -> None:
    whole = orjson.loads(path.read_bytes())["motions"]
    tables = AtomicJSONStorage(path).read()
    assert tables is not None
    motions = tables["motions"]
    assert isinstance(motions, Documents) and all(isinstance(line, Line) for line in motions.stored.values())
    assert dict(motions) == whole
    assert motions[next(iter(whole))] is not motions[next(iter(whole))]  # a new dict each time: no one keeps it


def test_in_a_sync_each_line_is_parsed_once_and_a_document_written_meanwhile_is_read_as_written(path: Path) -> None:
    tables = AtomicJSONStorage(path).read()
    assert tables is not None
    motions = tables["motions"]
    first, second = list(motions)[:2]
    with parsed_once():
        kept = motions[first]
        assert motions[first] is kept and motions[first] == orjson.loads(path.read_bytes())["motions"][first]
        motions[second] = {**motions[second], "title": "Neu"}  # a transaction's write in the sync
        assert motions[second]["title"] == "Neu"
    assert motions[first] is not kept and motions[first] == kept  # outside: parsed on each read again


def test_an_unchanged_line_keeps_its_model_after_another_writer_rewrote_the_file(path: Path) -> None:
    with Store(path, user="anna") as anna, Store(path, user="bert") as bert:
        before = {motion.id: motion for motion in bert.motions()}
        changed = anna.motions()[0]
        anna.update_motion(changed.id, title="Radwegekonzept 2030")  # the file written whole
        after = {motion.id: motion for motion in bert.motions()}
        assert after[changed.id].title == "Radwegekonzept 2030"
        assert all(after[motion_id] is model for motion_id, model in before.items() if motion_id != changed.id)


@pytest.mark.parametrize("over_in_place", [False, True], ids=["as written", "written over in place since"])
def test_the_lines_another_writer_copied_keep_their_models_unread_and_are_copied_again_as_they_are(
    path: Path, monkeypatch: pytest.MonkeyPatch, over_in_place: bool
) -> None:
    """The whole write notes in its sidecar which lines it copied as they were from the version it read
    (store/file/offsets.py Copied): a handle that built its models from that version keeps them without reading
    those lines again. A person's editor writing over the file in place voids the note: the bytes decide."""
    with Store(path, user="anna") as anna, Store(path, user="bert") as bert:
        before = {motion.id: motion for motion in bert.motions()}
        changed = anna.motions()[0]
        anna.update_motion(changed.id, title="Radwegekonzept 2030")  # the file written whole
        if over_in_place:
            path.write_bytes(path.read_bytes())  # the same bytes, a new modification time
        reads: list[int] = []
        monkeypatch.setattr(Line, "read", lambda line, read=Line.read: reads.append(line.start) or read(line))
        after = {motion.id: motion for motion in bert.motions()}
        assert after[changed.id].title == "Radwegekonzept 2030"
        assert all(after[motion_id] is model for motion_id, model in before.items() if motion_id != changed.id)
        # The rewritten motion's line and its model's, compared, then the new one parsed; without the note, every
        # motion's two lines compared.
        assert len(reads) == (2 * len(before) if over_in_place else 2) + 1
        # What was learnt of each line the models were kept for goes with it: Bert's own whole write copies the
        # lines as they are, and parses only the one it edits.
        parses = parses_counted(monkeypatch)
        edited = next(motion_id for motion_id in before if motion_id != changed.id)
        bert.set_item(edited, 1, status=ItemStatus.DONE)
        assert len(parses) == 1
    with Store(path, user="carla") as carla:
        assert {motion.id: motion.title for motion in carla.motions()} == {
            motion_id: "Radwegekonzept 2030" if motion_id == changed.id else model.title
            for motion_id, model in before.items()
        }
        assert carla.get(edited).items[0].status is ItemStatus.DONE


def test_a_line_with_two_documents_is_read_as_the_whole_parse_reads_it(path: Path) -> None:
    # Valid JSON as a whole: the second motion's line joined to the first's.
    _rewritten(path, lambda lines: [*lines[:2], lines[2].rstrip(b"\n") + lines[3], *lines[4:]])
    whole = orjson.loads(path.read_bytes())["motions"]
    with Store(path, user="bert") as store:
        assert sorted(motion.id for motion in store.motions()) == sorted(whole)
        assert dict(store.documents()) == whole


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda line: line[:60] + b"\n", "not valid JSON"),
        (lambda line: line.split(b":{", 1)[0] + b":5\n", "not an object of documents"),
    ],
    ids=["a line cut short", "a document that is no object"],
)
def test_a_broken_line_is_refused_as_the_whole_parse_refuses_it(path: Path, damage: object, message: str) -> None:
    _rewritten(path, lambda lines: [*lines[:3], damage(lines[3]), *lines[4:]])  # type: ignore[operator]
    before = path.read_bytes()
    with Store(path, user="bert") as store, pytest.raises(StoreFileError, match=message):
        store.motions()
    assert path.read_bytes() == before


def test_a_motion_edited_here_shows_the_earlier_copy_a_person_put_back(path: Path, tmp_path: Path) -> None:
    earlier = path.read_bytes()
    with Store(path, user="anna") as store:
        motion = store.motions()[0]
        store.set_item(motion.id, 1, status=ItemStatus.DONE)  # the model is the edited one, its line the earlier
        copy = tmp_path / "copy.json"
        copy.write_bytes(earlier)
        os.replace(copy, path)  # the same line as before the edit, in another file
        assert store.get(motion.id).items[0].status is ItemStatus.OPEN


def test_a_file_written_over_in_place_is_read_anew_even_where_its_lines_did_not_move(path: Path) -> None:
    with Store(path, user="anna") as store:
        motion = store.motions()[0]
        # A person's editor writes the file in place, an item's status changed: "open" to "done", the
        # same length, so every line is where it was; the line the model was built from reads the new bytes.
        content = path.read_bytes()
        assert content.count(b'"status":"open"') == 3
        path.write_bytes(content.replace(b'"status":"open"', b'"status":"done"', 1))
        assert store.get(motion.id).items[0].status is ItemStatus.DONE


def test_a_whole_file_is_written_from_its_parts_also_where_the_system_writes_less(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A call that writes fewer bytes than it was given cannot be made to happen on a local file: the system's
    writev is stood in for by one that writes half of each batch (the system is outside the project)."""
    batches: list[int] = []

    def writes_half(descriptor: int, buffers: list[bytes]) -> int:
        batches.append(len(buffers))
        data = b"".join(buffers)
        return os.write(descriptor, data[: len(data) // 2])

    monkeypatch.setattr(os, "writev", writes_half)
    monkeypatch.setattr("store.file.durable._BATCH", 3)
    parts = [bytes([65 + number]) * (number + 1) for number in range(10)]
    path = tmp_path / "written"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        write_parts(descriptor, parts)
    finally:
        os.close(descriptor)
    assert path.read_bytes() == b"".join(parts) and batches == [3, 3, 3, 1]


def test_a_whole_file_takes_its_parts_a_batch_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts of a whole write are made as they are written: when a batch's first part is made, every
    batch before it is in the file already, so the file is never held whole (store/file/offsets.py)."""
    monkeypatch.setattr("store.file.durable._BATCH", 4)
    path = tmp_path / "written"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    seen: list[int] = []

    def parts() -> Iterator[bytes]:
        for number in range(10):
            seen.append(os.fstat(descriptor).st_size)
            yield b"%d\n" % number

    try:
        write_parts(descriptor, parts())
    finally:
        os.close(descriptor)
    assert path.read_bytes() == b"".join(b"%d\n" % number for number in range(10))
    assert seen == [0, 0, 0, 0, 8, 8, 8, 8, 16, 16]


def test_a_whole_write_of_many_motions_reads_back_through_its_sidecar(tmp_path: Path) -> None:
    """Written a batch of lines at a time, with each motion's range counted as its line went out: every motion
    of a store larger than a batch is found by the sidecar where it lies."""
    path = tmp_path / "sachstand.json"
    with Store(path, user="t") as store, store.transaction() as tx:
        for number in range(2100):  # two batches and a part
            motion = _motion(f"Antrag {number}")
            tx.apply(motion.id, CREATE, replaced_by(live(motion)))
    with Store(path, user="t") as store:
        motions = store.motions()
    for motion in (motions[0], motions[1023], motions[1024], motions[-1]):
        storage = AtomicJSONStorage(path)
        storage.focus = motion.id
        tables = storage.read()
        assert storage.signature is not None and storage.signature.partial  # found through the sidecar
        assert tables is not None and list(tables["motions"]) == [motion.id]
        assert tables["motions"][motion.id]["title"] == motion.title


def test_a_whole_write_that_fails_after_its_first_batch_leaves_the_file_as_it_was(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills while the lines are streamed out (a full disk cannot be had here on demand: the system's
    writev is stood in for by one that fails at its second call): the data file stays byte for byte as it was,
    no temp file is left, the message names the file, and the next edit is written."""
    monkeypatch.setattr("store.file.durable._BATCH", 2)
    before = path.read_bytes()
    calls: list[int] = []
    real_writev = os.writev

    def fills_up(descriptor: int, buffers: list[bytes]) -> int:
        calls.append(len(buffers))
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_writev(descriptor, buffers)

    with Store(path, user="anna") as store:
        motion = store.motions()[0]
        with monkeypatch.context() as patch:
            patch.setattr(os, "writev", fills_up)
            with pytest.raises(StoreFileError) as failed:
                store.set_item(motion.id, 1, note="geht nicht")
        assert failed.value.render("en") == f"{path}: cannot write the data file: No space left on device."
        assert len(calls) == 2 and path.read_bytes() == before
        assert list(path.parent.glob(StoreFiles.of(path).temp_pattern)) == []
        store.set_item(motion.id, 1, note="jetzt")
    with Store(path, user="bert") as again:
        assert again.get(motion.id).items[0].note == "jetzt"


def _split(path: Path) -> tuple[dict[str, object], bytes]:
    """The tables as the file's split finds them (no sidecar), and the file a whole write of them writes."""
    files = StoreFiles.of(path)
    sidecar = files.offsets.read_bytes()
    files.offsets.unlink()
    try:
        return _read_and_rewritten(path)
    finally:
        files.offsets.write_bytes(sidecar)


def _read_and_rewritten(path: Path) -> tuple[dict[str, object], bytes]:
    before = path.read_bytes()
    storage = AtomicJSONStorage(path)
    tables = storage.read()
    assert tables is not None
    read = {name: dict(table) for name, table in tables.items()}
    storage.write(tables)
    written = path.read_bytes()
    path.write_bytes(before)
    return read, written.split(b"\n", 1)[1]  # after the header: a whole write stamps its version anew


@pytest.fixture
def laid(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What each whole read found where the sidecar says the tables lie (None: the file is split)."""
    found: list[object] = []
    monkeypatch.setattr(documents, "laid_out", lambda *args: found.append(offsets.laid_out(*args)) or found[-1])
    return found


def test_a_whole_read_takes_the_lines_where_the_sidecar_says_and_reads_what_the_files_split_reads(
    path: Path, laid: list[object]
) -> None:
    split = _split(path)
    assert laid == []  # no sidecar: split
    by_sidecar = _read_and_rewritten(path)
    assert len(laid) == 1 and laid[0] is not None
    assert by_sidecar == split and list(by_sidecar[0]) == list(split[0])  # the same tables, in the same order
    assert [list(table) for table in by_sidecar[0].values()] == [list(table) for table in split[0].values()]


@pytest.mark.parametrize(
    "damage",
    [
        lambda spots, _size: spots.replace(b'",', b'",0,', 1),
        lambda spots, _size: spots.replace(b",false]", b".5,false]", 1),
        lambda spots, _size: spots + spots.split(b"\n")[1] + b"\n",
        lambda spots, _size: spots.replace(b"]", b"", 1),
        lambda spots, size: re.sub(rb",(\d+),(false|true)]", f",{size + 1},\\2]".encode(), spots, count=1),
        lambda spots, _size: re.sub(rb"\[(\"[^\"]*\"),(\"[^\"]*\"),\d+,", rb"[\1,\2,-50,", spots, count=1),
        lambda spots, _size: re.sub(rb",(\d+),(\d+),", rb",\2,\2,", spots, count=1),
    ],
    ids=[
        "a spot of six",
        "a range of halves",
        "a motion twice",
        "not JSON",
        "past the end",
        "before the start",
        "empty",
    ],
)
def test_a_sidecar_whose_spots_are_not_the_motions_lines_is_not_used(
    path: Path, damage: object, laid: list[object]
) -> None:
    files = StoreFiles.of(path)
    split = _split(path)
    header, spots = files.offsets.read_bytes().split(b"\n", 1)
    damaged = damage(b"\n" + spots, path.stat().st_size)[1:]  # type: ignore[operator]
    assert damaged != spots
    files.offsets.write_bytes(header + b"\n" + damaged)
    assert _read_and_rewritten(path) == split
    assert laid == [None]  # the file split


def test_a_file_written_over_in_place_with_its_size_and_header_kept_but_its_lines_moved_reads_as_parsed_whole(
    path: Path, laid: list[object]
) -> None:
    """The sidecar names the file by its version's stamp, generation and size, which a person's editor keeps where
    it shortens one title and lengthens another: a line where the sidecar says is then no document, and the file
    is parsed whole, as where its split finds a line broken."""
    content = path.read_bytes()
    content = content.replace(b'"title":"Radwegekonzept"', b'"title":"Radwegekonze"', 1)
    path.write_bytes(content.replace(b'"title":"Kita"', b'"title":"Kitas!"', 1))
    whole = orjson.loads(path.read_bytes())["motions"]
    with Store(path, user="bert") as store:
        assert sorted(motion.title for motion in store.motions()) == ["Kitas!", "Radwegekonze", "Schulbau"]
        assert dict(store.documents()) == whole
    assert laid[0] is not None  # where the sidecar said


def _in_place(path: Path, old: bytes, new: bytes) -> None:
    """The data file with ``old`` (found once) changed to ``new`` of the same length: every line where it was, so
    its sidecar still lays the file out (by its header and size), as a person's editor or a failing disk leaves it."""
    content = path.read_bytes()
    assert content.count(old) == 1 and len(old) == len(new)
    path.write_bytes(content.replace(old, new))


def test_a_motion_is_read_up_to_its_history_and_a_history_damaged_since_is_refused_where_it_is_read(
    path: Path, laid: list[object]
) -> None:
    """Where the sidecar lays the file out, the store builds each model from its line up to the history, which a
    store used for years has most of its bytes in (store/file/parts.py ``before_history``). A history damaged
    since is refused where it is read: the history, an edit of its motion, with the whole parse's message; the
    file stays byte for byte as it was. Without a sidecar that lays the file out it is refused at the read."""
    with Store(path, user="anna") as store:
        motion = store.motions()[1]
        store.set_item(motion.id, 1, status=ItemStatus.DONE)
        expected = store.motions()
    _in_place(path, b'"action":"edit"', b'"action"!"edit"')
    before = path.read_bytes()
    with Store(path, user="bert") as store:
        assert store.motions() == expected
        assert laid[-1] is not None
        with pytest.raises(StoreFileError, match=f"{re.escape(str(path))}.*not valid JSON"):
            store.history(motion.id)
        with pytest.raises(StoreFileError, match="not valid JSON"):
            store.set_item(motion.id, 1, status=ItemStatus.OPEN)
    assert path.read_bytes() == before
    StoreFiles.of(path).offsets.unlink()
    with Store(path, user="bert") as store, pytest.raises(StoreFileError, match="not valid JSON"):
        store.motions()
    assert path.read_bytes() == before


def test_a_motions_field_written_after_its_history_is_read_as_the_whole_parse_reads_it(
    path: Path, laid: list[object]
) -> None:
    """A line not written as this program writes it (a field of the motion after the history, the file's size
    kept) is parsed whole: the same model as the whole parse gives."""
    line = next(line for line in path.read_bytes().splitlines() if b'"title":"Schulbau",' in line)
    moved = line.replace(b'"title":"Schulbau",', b"")
    moved = moved[: moved.rindex(b"}")] + b',"title":"Schulbau"' + moved[moved.rindex(b"}") :]
    _in_place(path, line, moved)
    whole = orjson.loads(path.read_bytes())["motions"]
    with Store(path, user="bert") as store:
        assert sorted(motion.title for motion in store.motions()) == ["Kita", "Radwegekonzept", "Schulbau"]
        assert dict(store.documents()) == whole
    assert laid[-1] is not None  # laid out by the sidecar, this line parsed whole
