"""How well the letter reader reads real motion letters: the figures of ../shared/letters/SCORING.md.

    python3 dev.py letters [FOLDER] [--failures FIGURE] [--half even|odd]

FOLDER holds one ``.txt`` per letter and ``index.json`` (what the council's information system says
about each paper); by default each such folder in ../shared/letters beside the project. Each letter
is imported the way ``sachstand import FILE --yes`` does it (store.exchange.workflows' read_import and save_import, into a
temporary store), and the figures are printed for the whole folder and for its two halves (even- and
odd-numbered files), so a rule fitted to one half shows in the other. ``--failures FIGURE`` lists
the letters that miss one figure (imported, date, title, groups) with what was read and what was
expected. Not part of the test suite; docs/letters.md records the figures.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from store import BadInput, Motion, Store
from store.exchange.workflows import read_import, save_import

ROOT = Path(__file__).resolve().parent.parent
SHARED_LETTERS = ROOT.parent / "shared" / "letters"
FIGURES = ("imported", "date", "title", "groups")

# --- The rules of SCORING.md ---------------------------------------------------------------

# The window a letter's own date lies in: up to 180 days before the paper was filed, 14 days after.
_BEFORE, _AFTER = timedelta(days=180), timedelta(days=14)
# Other ways the text writes a group's short name (SCORING.md lists them).
_ALIASES = {
    "GRÜNE": ("GRÜNE", "Grünen", "Gruene"),
    "Die Linke": ("Die Linke", "LINKE"),
    "FÜR": ("FÜR", "FUER"),
    "KAL": ("KAL", "Karlsruher Liste"),
}
_LONGEST_GROUP = 60
# Dates as the scorer finds them in a text, to tell whether a letter names a date in the window at all.
_MONTHS = [
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
]
_DATES = re.compile(
    r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)|(?<!\d)(\d{1,2})\.\s*([^\W\d_]+)\s+(\d{4})(?!\d)"
)


@dataclass(frozen=True)
class Expected:
    """One entry of index.json."""

    file: str
    paper_date: date
    meetings: tuple[date, ...]
    title: str
    groups: tuple[str, ...]

    @classmethod
    def from_json(cls, raw: dict[str, object]) -> Expected:
        meetings = tuple(date.fromisoformat(str(day)) for day in raw.get("meeting_dates") or [])  # type: ignore[attr-defined]
        return cls(
            str(raw["file"]),
            date.fromisoformat(str(raw["paper_date"])),
            tuple(sorted(meetings)),
            str(raw["title"]),
            tuple(str(group) for group in raw.get("groups") or []),  # type: ignore[attr-defined]
        )

    def in_window(self, day: date) -> bool:
        before_meeting = not self.meetings or day < self.meetings[0]
        return self.paper_date - _BEFORE <= day <= self.paper_date + _AFTER and before_meeting


def text_dates(text: str) -> Iterable[date]:
    for match in _DATES.finditer(text):
        if match[1]:
            day, month, year = int(match[1]), int(match[2]), int(match[3])
        else:
            words = [number for number, name in enumerate(_MONTHS, 1) if name == match[5].casefold()]
            day, month, year = int(match[4]), (words[0] if words else 0), int(match[6])
        try:
            yield date(year, month, day)
        except ValueError:
            continue


# A letter's own date stands on a short line of its own ("Rurtal, 12.03.2014", "vom: 7. Juni 2016");
# a date in a sentence ("in der Sitzung vom 07.02.2017") is the reasoning's.
_OWN_LINE_WORDS = 6


def date_right(submitted: date | None, expected: Expected, text: str, today: date) -> bool:
    """In the window; or empty (or the import's day) for a letter that names no date of its own in the window."""
    if submitted is not None and submitted != today:
        return expected.in_window(submitted)
    short = (line for line in text.splitlines() if len(line.split()) <= _OWN_LINE_WORDS)
    return not any(expected.in_window(day) for line in short for day in text_dates(line))


def normal_title(title: str) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", title.lower()).split())


def title_right(title: str, expected: Expected) -> bool:
    return difflib.SequenceMatcher(None, normal_title(title), normal_title(expected.title)).ratio() >= 0.8


def _names(group: str, text: str) -> bool:
    spellings = _ALIASES.get(group, (group,))
    return any(re.search(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", text, re.IGNORECASE) for name in spellings)


def named_groups(expected: Expected, text: str) -> tuple[str, ...]:
    """The attributed groups the letter's text names: the ones asked for."""
    return tuple(group for group in expected.groups if _names(group, text))


def groups_right(submitted_by: tuple[str, ...], asked: tuple[str, ...]) -> bool:
    if any(len(entry) > _LONGEST_GROUP for entry in submitted_by):
        return False
    return all(any(_names(group, entry) for entry in submitted_by) for group in asked)


# --- Importing and counting ------------------------------------------------------------------


@dataclass
class Score:
    letters: int = 0
    grouped: int = 0  # letters that name at least one of their groups
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))

    def percent(self, figure: str) -> str:
        total = self.grouped if figure == "groups" else self.letters
        return f"{self.right[figure]:>4}/{total:<4} {100 * self.right[figure] / max(total, 1):5.1f}%"


@dataclass(frozen=True)
class Outcome:
    expected: Expected
    motion: Motion | None  # None: refused
    problem: str  # the refusal's message
    hits: dict[str, bool]
    asked: tuple[str, ...]


def import_letter(store: Store, path: Path) -> tuple[Motion | None, str]:
    """The motion as `sachstand import FILE --yes` saves it, or None and the message."""
    try:
        found = read_import(path)
        save_import(store, found.motions, found.managed)
    except BadInput as error:
        return None, str(error)
    return store.get(found.motions[0].id), ""


def score_letter(store: Store, folder: Path, expected: Expected, today: date) -> Outcome:
    text = (folder / expected.file).read_text("utf-8")
    motion, problem = import_letter(store, folder / expected.file)
    asked = named_groups(expected, text)
    if motion is None:
        return Outcome(expected, None, problem, dict.fromkeys(FIGURES, False), asked)
    hits = {
        "imported": bool(motion.items),
        "date": date_right(motion.submitted, expected, text, today),
        "title": title_right(motion.title, expected),
        "groups": groups_right(tuple(motion.submitted_by), asked),
    }
    return Outcome(expected, motion, problem, hits, asked)


def half(file: str) -> str:
    digits = re.findall(r"\d+", file)
    return "even" if digits and int(digits[-1]) % 2 == 0 else "odd"


def tally(outcomes: Iterable[Outcome]) -> Score:
    score = Score()
    for outcome in outcomes:
        score.letters += 1
        score.grouped += bool(outcome.asked)
        for figure in FIGURES:
            if figure != "groups" or outcome.asked:
                score.right[figure] += outcome.hits[figure]
    return score


def show_failure(outcome: Outcome, figure: str) -> str:
    expected, motion = outcome.expected, outcome.motion
    if motion is None:
        return f"{expected.file}: refused: {outcome.problem}"
    read = {
        "imported": f"{len(motion.items)} items",
        "date": f"{motion.submitted} (paper {expected.paper_date}, meetings {', '.join(map(str, expected.meetings))})",
        "title": f"{motion.title!r} (paper {expected.title!r})",
        "groups": f"{list(motion.submitted_by)} (asked {list(outcome.asked)})",
    }[figure]
    return f"{expected.file}: {read}"


def run(folder: Path, failures: str | None, only: str | None) -> int:
    try:
        index = [Expected.from_json(raw) for raw in json.loads((folder / "index.json").read_text("utf-8"))]
    except (OSError, ValueError, KeyError) as error:
        print(f"letters: {folder / 'index.json'}: cannot read the index: {error}", file=sys.stderr)
        return 2
    index = [expected for expected in index if only is None or half(expected.file) == only]
    today = date.today()
    with tempfile.TemporaryDirectory() as temp, Store(Path(temp) / "letters.json", user="letters") as store:
        started = time.perf_counter()
        outcomes = [score_letter(store, folder, expected, today) for expected in index]
        seconds = time.perf_counter() - started
    if failures:
        for outcome in outcomes:
            if not outcome.hits[failures] and (failures != "groups" or outcome.asked):
                print(show_failure(outcome, failures))
        print()
    halves = {"all": tally(outcomes)}
    halves |= {name: tally(o for o in outcomes if half(o.expected.file) == name) for name in ("even", "odd")}
    print(f"{len(index)} letters in {folder}")
    print(f"{'':10}" + "".join(f"{name:>18}" for name in halves))
    for figure in FIGURES:
        print(f"{figure:10}" + "".join(f"{score.percent(figure):>18}" for score in halves.values()))
    print(f"letters per second: {len(index) / seconds:.0f} ({seconds:.1f} s)")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dev.py letters", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, help="letters (.txt) and index.json")
    parser.add_argument("--failures", choices=FIGURES, help="list the letters that miss this figure")
    parser.add_argument("--half", choices=("even", "odd"), help="only the even- or odd-numbered files")
    args = parser.parse_args(argv)
    folders = [args.folder] if args.folder else sorted(index.parent for index in SHARED_LETTERS.glob("*/index.json"))
    if not folders:
        print(f"letters: no folder with an index.json in {SHARED_LETTERS}; name one.", file=sys.stderr)
        return 2
    return max(run(folder, args.failures, args.half) for folder in folders)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
