"""The importers under a bounded fuzz: whatever a file holds, reading it gives motions or a BadInput
naming the file, never another exception. Reproducible in CI (derandomized, no example database);
run longer outside the suite with FUZZ_EXAMPLES=5000."""

from __future__ import annotations

import contextlib
import json
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from store import BadInput, Motion, example_letter
from store.exchange.export import export_json
from store.exchange.files import read_import_file
from store.exchange.importers import motion_from_letter, motion_from_paper
from store.exchange.letter import parse_letter
from store.exchange.oparl import OParlPaper
from store.exchange.oparl.values import text_of
from store.fields import ITEM_FIELDS, MOTION_FIELDS

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces of real letters, so that the fuzz reaches past "no items found": list markers, the request,
# letterheads, dates, headings, Markdown marks, and the characters converters leave behind.
LETTER_PIECES = [
    "1.",
    "2)",
    "a)",
    "(1)",
    "- 1.",
    "-",
    "•",
    "*",
    "**",
    "__",
    "#",
    "## Begründung ##",
    "---",
    "Es wird Folgendes beantragt:",
    "Der Rat möge beschließen:",
    "Die Verwaltung wird gebeten,",
    "folgende Punkte",
    "Betreff:",
    "Antrag:",
    "An den",
    "Herrn Landrat",
    "z. K.:",
    "Fraktion der CDU",
    "SPD-Ratsfraktion im Rat der Stadt",
    "für die FDP-Fraktion",
    "Heinsberg, den 28.07.2020",
    "12. Januar 2022",
    "2022-13-45",
    "31.02.2021",
    "in der Sitzung des Kreisausschusses am Montag, 14. März 2022",
    "§ 5 Abs. 1 GeschO",
    "Sehr geehrte Damen und Herren,",
    "Mit freundlichen Grüßen",
    "Begründung",
    "Digitalisierungs-",
    "usw.",
    "a.a.a.",
    "\u00a0",
    "\u00ad",
    "\u202e",
    "\ufeff",
    "\uf0b7",
    "\t",
    "   ",
    "·",
    "|",
]
SEPARATORS = ["\n", "\n", "\n\n", "\r\n", "\r", " ", "   ", "\f", "\u2028"]

letters = st.one_of(
    st.lists(st.one_of(st.sampled_from(LETTER_PIECES), st.text(max_size=20)), max_size=60).flatmap(
        lambda pieces: st.lists(st.sampled_from(SEPARATORS), min_size=len(pieces), max_size=len(pieces)).map(
            lambda separators: "".join(piece + separator for piece, separator in zip(pieces, separators, strict=True))
        )
    ),
    st.text(max_size=500),
    # The example letter with a slice cut out or moved: real structure, broken in places.
    st.tuples(st.integers(0, len(example_letter())), st.integers(0, 2000), st.integers(0, len(example_letter()))).map(
        lambda cut: _cut(example_letter(), *cut)
    ),
)


def _cut(text: str, start: int, length: int, to: int) -> str:
    piece = text[start : start + length]
    rest = text[:start] + text[start + length :]
    return rest[:to] + piece + rest[to:]


def _motions_hold(motions: list[Motion], where: str) -> None:
    """What an importer gives passes the checks the store applies: BadInput at worst."""
    for motion in motions:
        with contextlib.suppress(BadInput):
            Motion.from_dict(motion.to_dict(), where=where)


@FUZZ
@given(text=letters)
def test_the_letter_reader_gives_findings_or_bad_input(text: str) -> None:
    try:
        findings = parse_letter(text, where="fuzz.txt")
    except BadInput as error:
        assert str(error).startswith("fuzz.txt: ")
        return
    assert findings.items and all(findings.items) and findings.title


# --- a file to import: bytes of any kind, a letter, or our JSON export bent out of shape ----------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


def _record(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict with some of ``names`` (a model's fields) and a stray key now and then, any values."""
    return st.dictionaries(st.sampled_from([*names, "extra"]), json_values, max_size=len(names) + 1)


motion_records = st.builds(
    lambda motion, items: {**motion, **({"items": items} if items is not None else {})},
    _record(list(MOTION_FIELDS)),
    st.none() | st.lists(_record(list(ITEM_FIELDS)), max_size=3) | json_values,
)
exports = st.builds(
    lambda head, motions: json.dumps({**head, "motions": motions}).encode(),
    st.sampled_from([{"sachstand": "motions"}, {"sachstand": "motions", "version": 99}, {"sachstand": "x"}, {}]),
    st.lists(motion_records, max_size=3) | json_values,
)


def _example_export() -> dict[str, Any]:
    motion = motion_from_letter(parse_letter(example_letter()), example_letter(), "example.txt")
    export: dict[str, Any] = json.loads(export_json([motion]))
    return export


# Values that break one rule each: too long, control characters, no such day, a huge number, a wrong type.
awkward: st.SearchStrategy[Any] = st.sampled_from(
    ["x" * 600, "a\x00b", "line\nbreak", "2024-02-30", "", " ", 10**30, -1, 0, 1.5, True, None, [], {}, ["x"] * 3]
)


def _bent(export: dict[str, Any], changes: list[tuple[bool, str, Any]]) -> bytes:
    """The example's export with some of its motion's or first item's fields set to other values."""
    motion = export["motions"][0]
    for on_item, name, value in sorted(changes, key=lambda change: not change[0]):  # the item before "items"
        (motion["items"][0] if on_item else motion)[name] = value
    return json.dumps(export).encode()


bent_exports = st.builds(
    _bent,
    st.just(None).map(lambda _: _example_export()),
    st.lists(
        st.one_of(
            st.tuples(st.just(False), st.sampled_from([*MOTION_FIELDS, "extra"]), awkward | json_values),
            st.tuples(st.just(True), st.sampled_from([*ITEM_FIELDS, "extra"]), awkward | json_values),
        ),
        max_size=3,
    ),
)
files = st.one_of(
    st.tuples(st.just(".json"), exports),
    st.tuples(st.just(".json"), bent_exports),
    st.tuples(st.sampled_from([".json", ".txt", ".md"]), st.binary(max_size=300)),
    st.tuples(st.sampled_from([".txt", ".md", ""]), letters.map(lambda text: text.encode("utf-8", "surrogatepass"))),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(file=files)
def test_reading_an_import_file_gives_motions_or_bad_input(folder: Path, file: tuple[str, bytes]) -> None:
    suffix, content = file
    path = folder / f"import{suffix}"
    path.write_bytes(content)
    try:
        motions, managed = read_import_file(path)
    except BadInput as error:
        assert str(error).startswith(str(path))
        return
    assert managed
    _motions_hold(motions, str(path))


# --- an OParl paper: whatever its values, a motion the store takes --------------------------------------

# Values as the reader hands them on: any text (some far beyond a field's limit), cleaned to one line.
oparl_texts = st.one_of(st.text(max_size=40), st.text(min_size=1, max_size=5).map(lambda text: text * 700)).map(text_of)
days = st.none() | st.dates()
papers = st.builds(
    OParlPaper,
    id=oparl_texts.filter(bool),
    name=oparl_texts,
    reference=oparl_texts,
    date=days,
    paper_type=oparl_texts,
    web=oparl_texts,
    originators=st.lists(oparl_texts.filter(bool), max_size=3).map(tuple),
    departments=st.lists(oparl_texts.filter(bool), max_size=3).map(tuple),
    consultations=st.lists(st.tuples(oparl_texts, days), max_size=3).map(tuple),
)


@FUZZ
@given(paper=papers)
def test_any_oparl_paper_becomes_a_motion_the_store_takes(paper: OParlPaper) -> None:
    motion = motion_from_paper(paper, date(2024, 1, 1))
    assert Motion.from_dict(motion.to_dict(), where=paper.id) == motion


# --- reading time grows linearly, whatever the letter's structure ---------------------------------------


def _fastest(text: str) -> float:
    """The least CPU time of this process over five readings: other processes on a busy machine add
    wall-clock time, not this process's CPU time, and the least of five leaves out a collection's pause."""
    times = []
    for _ in range(5):
        start = time.process_time()
        with contextlib.suppress(BadInput):
            parse_letter(text)
        times.append(time.process_time() - start)
    return min(times)


LAST_ITEM = "- 5. Weiterer flächendeckender Ausbau des Glasfasernetzes.**\n"  # of the example letter


@settings(FUZZ, max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10")))
@example(text="Fraktion der CDU", numbered=True, where="before")  # a letterhead of many groups was quadratic
@example(text="Digitalisierungs-\nmaßnahme", numbered=False, where="items")  # so was a long item
@given(
    text=letters.filter(lambda text: len(text) >= 20),
    numbered=st.booleans(),
    where=st.sampled_from(["alone", "before", "items"]),
)
def test_reading_time_grows_linearly_whatever_the_structure(text: str, numbered: bool, where: str) -> None:
    """A random text repeated to N and 4N characters (N = 50,000), as it is or with each copy numbered
    (so names and lines differ), alone, before the example letter, or inside its requested items:
    reading 4N takes well under the 16x a quadratic step would."""
    letter = example_letter()

    def grown(size: int) -> str:
        copies = range(size // len(text) + 1)
        filler = "".join(f"{text}{copy if numbered else ''}\n" for copy in copies)[:size]
        return {"alone": filler, "before": filler + letter, "items": letter.replace(LAST_ITEM, LAST_ITEM + filler)}[
            where
        ]

    small, large = _fastest(grown(50_000)), _fastest(grown(200_000))
    # Below 50 ms for 4N the reading is fast whatever the ratio, and timer noise dominates.
    assert large < 0.05 or large / small < 8, f"{large / small:.1f}x for 4x the letter"
