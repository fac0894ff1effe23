"""Search as you type: narrowing on the last keystroke's matches finds exactly what a full search finds."""

from __future__ import annotations

from dataclasses import replace

from store import Motion, new_items, new_motion_id
from tui.search import Searcher

from helpers.folding import folded_haystacks

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


def test_haystacks_kept_for_the_motions_read_are_taken_whole_or_beside_those_folded_and_refolded_once_stale() -> None:
    motions = _motions()
    kept = folded_haystacks(motions[:3])
    taking = Searcher()
    taking.take(kept)
    assert taking.folded() == kept and taking.folded().texts is not kept.texts  # taken as they are, handed on as copies
    renamed = [replace(motions[0], title="Radwege"), *motions[1:]]  # changed since it was kept: folded anew
    for query in ("kita", "radwege", "schul"):
        assert _titles(taking.filter(renamed, query)) == _titles(Searcher().filter(renamed, query)), query
    folding = Searcher()
    folding.filter(motions[3:], "kita")  # folded some already: the kept ones join them
    folding.take(kept)
    assert folding.folded().texts.keys() == {motion.id for motion in motions}
    assert _titles(folding.filter(motions, "kita")) == _titles(Searcher().filter(motions, "kita"))
