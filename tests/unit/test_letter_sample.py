"""Real motion letters, read right by the rules of SCORING.md: a sample of 40 kept in tests/unit/letters/karlsruhe/.

The expected date, title and groups come from the council's own index (index.json), judged by the
scorer's rules (benchmarks/letters.py, the same code `python3 dev.py letters` measures the whole corpus with).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from store import Store
from store.exchange.workflows import read_import, save_import

SAMPLE = Path(__file__).resolve().parent / "letters" / "karlsruhe"
SCORER = Path(__file__).resolve().parents[2] / "benchmarks" / "letters.py"
# The reader's known title misses in this sample (docs/letters.md): kept failing on purpose, so a fix shows here.
KNOWN_TITLE_MISSES = {"2016-0382.txt", "2017-0516.txt", "2018-0044.txt"}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("letters_scorer", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


scoring = _scorer()
INDEX = [scoring.Expected.from_json(raw) for raw in json.loads((SAMPLE / "index.json").read_text("utf-8"))]


def test_the_sample_is_forty_letters_with_their_attribution() -> None:
    assert len(INDEX) == 40
    assert sorted(path.name for path in SAMPLE.glob("*.txt")) == sorted(expected.file for expected in INDEX)
    assert "karlsruhe-oparl-syndication (MIT licence" in (SAMPLE / "README.md").read_text("utf-8")


@pytest.mark.parametrize("expected", INDEX, ids=[expected.file for expected in INDEX])
def test_a_real_letter_is_read_right(expected: scoring.Expected, tmp_path: Path) -> None:  # type: ignore[name-defined]
    text = (SAMPLE / expected.file).read_text("utf-8")
    found = read_import(SAMPLE / expected.file)
    with Store(tmp_path / "sample.json", user="test") as store:
        save_import(store, found.motions, found.managed)
        motion = store.get(found.motions[0].id)
    assert motion.items
    assert scoring.date_right(motion.submitted, expected, text, date.today()), motion.submitted
    assert scoring.groups_right(tuple(motion.submitted_by), scoring.named_groups(expected, text)), motion.submitted_by
    if expected.file in KNOWN_TITLE_MISSES:
        assert not scoring.title_right(motion.title, expected), "read right now: drop it from KNOWN_TITLE_MISSES"
    else:
        assert scoring.title_right(motion.title, expected), motion.title
