"""The search's haystacks (store/folding.py): casefold's result, whichever way it is reached, and the same bytes
from a motion's model and from its document."""

from __future__ import annotations

import sys

import orjson

from store import Item, Motion, haystacks, new_motion_id
from store.folding import document_haystacks, folded
from tui.search import Searcher

TEXTS = [
    "",
    "Kita-Plätze",
    "STRASSE Straße ẞ",
    "Kelvin: \u212a, long s: ſ, ligature: ﬁle",
    "İstanbul, ΣΟΦΊΑ σοφία ς",
    "Amt 61 – Kreisentwicklung „Öffentlichkeit“ ÄÖÜ äöü",
    "emoji 🚲 RADWEG",
    "a lone surrogate \ud800 stays",
    "plain ascii TEXT",
]


def test_casefold_maps_each_character_to_a_fold_that_folds_to_itself() -> None:
    """What folded() rests on: it replaces each character by its fold once, in any order."""
    for code in range(sys.maxunicode + 1):
        fold = chr(code).casefold()
        assert fold.casefold() == fold, hex(code)


def test_folded_is_casefold_as_utf8() -> None:
    for text in TEXTS:
        assert folded(text) == text.casefold().encode("utf-8", "surrogatepass"), text
    joined = "\n".join(TEXTS)
    assert folded(joined) == joined.casefold().encode("utf-8", "surrogatepass")


def _motion(title: str, *, note: str = "", groups: tuple[str, ...] = ("SPD",)) -> Motion:
    items = (Item(number=1, title="Bericht", note=note, department="Amt 40 – Schulen"),)
    return Motion(
        id=new_motion_id(), title=title, reference="DS 1/20", committee="Kreistag", submitted_by=groups, items=items
    )


def test_a_batch_gives_each_motion_its_own_haystack() -> None:
    motions = [_motion(text or "leer", note=text) for text in TEXTS]
    batch = haystacks(motions)
    assert batch == [haystacks([motion])[0] for motion in motions]
    assert b"strasse strasse ss" in batch[2]
    assert b"spd" in batch[0] and b"ds 1/20" in batch[0] and b"amt 40 \xe2\x80\x93 schulen" in batch[0]


def test_a_search_finds_what_casefold_finds() -> None:
    motions = [_motion(text or "leer") for text in TEXTS]
    searcher = Searcher()
    for query, title in [
        ("strasse", "STRASSE Straße ẞ"),
        ("Kelvin: k", TEXTS[3]),
        ("file", TEXTS[3]),
        ("σοφία", TEXTS[4]),
        ("öffentlichkeit", TEXTS[5]),
        ("🚲 radweg", TEXTS[6]),
    ]:
        assert [motion.title for motion in searcher.filter(motions, query)] == [title], query


def test_a_document_gives_the_haystack_its_model_gives() -> None:
    storable = [text for text in TEXTS if "\ud800" not in text]  # a file holds UTF-8 (the model lets it in)
    motions = [_motion(text or "leer", note=text, groups=("SPD", "Grüne")) for text in storable]
    documents = [orjson.loads(orjson.dumps(motion.to_dict())) for motion in motions]
    assert document_haystacks(documents) == haystacks(motions)


def test_a_document_without_its_texts_as_strings_is_left_to_its_model() -> None:
    good = _motion("Radwege").to_dict()
    broken = [
        {key: value for key, value in good.items() if key != "committee"},  # the model's default decides
        {**good, "reference": None},
        {**good, "title": 7},
        {**good, "submitted_by": "SPD"},
        {**good, "items": [{**good["items"][0], "note": ["a"]}]},
        {**good, "items": "none"},
        None,
    ]
    found = document_haystacks([good, *broken, good])
    assert found[0] == found[-1] == haystacks([_motion("Radwege")])[0]
    assert found[1:-1] == [None] * len(broken)
