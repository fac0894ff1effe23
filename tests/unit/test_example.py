"""The example motion shipped with the product matches the letter it comes from."""

from __future__ import annotations

import re
from datetime import date

import pytest

from store import example_letter, example_motion

from helpers import ROOT

SHARED_LETTER = ROOT.parent / "shared" / "examples" / "antrag-2020-07-28-digitalisierung.txt"


def _plain(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def test_the_shipped_letter_is_the_shared_one() -> None:
    if not SHARED_LETTER.exists():
        pytest.skip("../shared is not beside this checkout")
    assert example_letter() == SHARED_LETTER.read_text("utf-8")


def test_fields_as_the_letter_states_them() -> None:
    motion = example_motion()
    letter = _plain(example_letter())
    assert motion.submitted == date(2020, 7, 28) and "Heinsberg, den 28.07.2020" in letter
    assert motion.submitted_by == ("Fraktion der CDU", "Fraktion der FDP")
    assert motion.committee == "Kreisausschuss" and "Sitzung des Kreisausschusses" in letter
    assert motion.legal_basis == "§ 5 GeschO" and "Antrag gemäß § 5 GeschO" in letter
    assert motion.addressed_to in letter
    for group in motion.copy_to:
        assert group in letter
    assert len(motion.copy_to) == 5


def test_items_exactly_as_titled_in_the_letter_without_artefacts() -> None:
    motion = example_motion()
    numbered = re.findall(r"^- (\d)\. (.+?)\.?\*\*$", example_letter(), flags=re.MULTILINE)
    assert [(item.number, item.title) for item in motion.items] == [(int(n), title) for n, title in numbered]
    assert len(motion.items) == 5
    assert all("*" not in item.title for item in motion.items)


def test_the_quoted_reasoning_is_from_the_letter() -> None:
    letter = _plain(example_letter()).lower()
    for sentence in re.split(r"(?<=\.) ", example_motion().text.split("(Auszug): ", 1)[1]):
        assert sentence.lower() in letter
