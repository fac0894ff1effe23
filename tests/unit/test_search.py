"""Search as you type: narrowing on the last keystroke's matches finds exactly what a full search finds."""

from __future__ import annotations

from dataclasses import replace

from store import Motion, new_items, new_motion_id
from tui.search import Searcher

TITLES = ["Kita-Plätze im Kreis", "Kitas und Schulen", "Radwege", "Kinderbetreuung", "Schulbau Kita Nord"]


def _motions() -> list[Motion]:
    return [Motion(id=new_motion_id(), title=title, items=new_items(["Bestand"])) for title in TITLES]


def _titles(found: list[Motion]) -> list[str]:
    return [motion.title for motion in found]


def test_typing_on_backspacing_and_a_changed_list_find_what_a_fresh_search_finds() -> None:
    motions = _motions()
    typing = Searcher()
    steps = ["k", "ki", "kit", "kita", "kita ", "kita s", "kita sc", "kita s", "kit", "", "r", "ra"]
    for query in steps:
        assert _titles(typing.filter(motions, query)) == _titles(Searcher().filter(motions, query)), query
    assert _titles(typing.filter(motions, "kita")) == [
        "Kita-Plätze im Kreis",
        "Kitas und Schulen",
        "Schulbau Kita Nord",
    ]
    renamed = [replace(motions[2], title="Radwege zur Kita"), *motions[:2], *motions[3:]]
    assert _titles(typing.filter(renamed, "kitas")) == ["Kitas und Schulen"]
    assert _titles(typing.filter(renamed, "kita")) == [
        "Radwege zur Kita",
        "Kita-Plätze im Kreis",
        "Kitas und Schulen",
        "Schulbau Kita Nord",
    ]
    assert _titles(typing.filter(renamed[1:], "kita nord")) == ["Schulbau Kita Nord"]  # another list: searched afresh


def test_a_search_typed_while_the_texts_are_being_folded_finds_what_a_prepared_search_finds() -> None:
    motions = _motions()
    prepared = Searcher()
    assert list(prepared.preparing(motions, share=2)) == [2, 4, 5]  # a step per share, each saying how far
    early = Searcher()
    steps = early.preparing(motions, share=2)
    assert next(steps) == 2  # the first two folded; the search folds the rest itself
    renamed = [replace(motions[0], title="Radwege"), *motions[1:]]  # a motion changed after it was folded
    for query in ("kita", "radwege", "schul"):
        assert _titles(early.filter(renamed, query)) == _titles(prepared.filter(renamed, query)), query
    assert list(steps) == [4, 5]  # the preparation goes on where it was
    assert _titles(early.filter(renamed, "kitas")) == ["Kitas und Schulen"]
