"""Search as you type: which motions match the words typed so far."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import compress

from store import ItemStatus, Motion, MotionStatus, label, translate


def haystack(motion: Motion) -> str:
    """Everything a person might search a motion by, folded for comparison.

    No word typed spans two texts, so a text met twice may be left out: the shared ones are (the committee,
    the groups, each item's department, often one for several items: their hashes are known, as the store
    interns them). The motion's own texts are not looked up: hashing each of them took a fifth of a first
    search. The haystack is held for every motion (70 MB at 50,000 motions)."""
    own = [motion.title, motion.reference]
    shared = [motion.committee, *motion.submitted_by]
    for item in motion.items:
        own += (item.title, item.note)
        shared.append(item.department)
    own += dict.fromkeys(shared)
    return "\n".join(own).casefold()


class Searcher:
    """Matches motions against a query; remembers each motion's haystack until the motion changes.

    Typing on narrows what the last keystroke found instead of searching everything again: a query
    that starts with the previous one can only match fewer motions (at 50,000 motions a full search
    takes 0.1 s, a narrowed one a fraction of that).
    """

    def __init__(self) -> None:
        # Each motion's haystack, and the motion it was made of (two dicts, not a pair each: 50,000 pairs made
        # the cycle collector run 70 times in a first search, 0.06 s).
        self._texts: dict[str, str] = {}
        self._made_of: dict[str, Motion] = {}
        # The motions, the folded query, what it found, and their haystacks: a narrowing search reads these
        # as they are (a look-up of each of 50,000 motions in the dicts took 0.05 s).
        self._last: tuple[list[Motion], str, list[Motion], list[str]] = ([], "", [], [])

    def filter(self, motions: list[Motion], query: str) -> list[Motion]:
        folded = query.casefold()
        words = folded.split()
        if not words:
            return motions
        searched, last_query, last_found, last_texts = self._last
        # The same motions (the same objects: == on lists compares identity first) and a query typed on.
        if last_query and folded.startswith(last_query) and motions == searched:
            candidates, texts = last_found, last_texts
        else:
            candidates, texts = motions, self._haystacks(motions)
        if len(words) == 1:  # what each keystroke of a first word asks: no generator per motion
            word = words[0]
            hits = [word in text for text in texts]
        else:
            hits = [all(word in text for word in words) for text in texts]
        found = list(compress(candidates, hits))
        self._last = (motions, folded, found, list(compress(texts, hits)))
        return found

    def preparing(self, motions: list[Motion], share: int = 500) -> Iterator[int]:
        """Fold every motion's texts ahead of the first keystroke, ``share`` motions per step (about 10 ms):
        a second at 50,000 motions, which the caller spreads over the turns of its event loop so that keys
        work meanwhile. A search typed before the last step folds what is left itself (``_haystacks``),
        with the same result. Each step yields how many motions are folded."""
        for start in range(0, len(motions), share):
            self._haystacks(motions[start : start + share])
            yield min(start + share, len(motions))

    def _haystacks(self, motions: list[Motion]) -> list[str]:
        """Each motion's haystack, folded now for a motion not met before or changed since (a new object)."""
        made_of, known, texts = self._made_of, self._texts, []
        for motion in motions:
            key = motion.id
            if made_of.get(key) is not motion:
                made_of[key], known[key] = motion, haystack(motion)
            texts.append(known[key])
        return texts


@dataclass(frozen=True)
class MotionFilter:
    """What the `f` dialog narrows the motion list to; empty fields do not narrow."""

    status: ItemStatus | MotionStatus | None = None
    group: str = ""
    committee: str = ""
    department: str = ""
    overdue: bool = False

    def __bool__(self) -> bool:
        return self != MotionFilter()

    def matches(self, motion: Motion, today: date) -> bool:
        if isinstance(self.status, MotionStatus) and motion.status is not self.status:
            return False
        if isinstance(self.status, ItemStatus) and not any(item.status is self.status for item in motion.items):
            return False
        if self.group and self.group not in motion.submitted_by:
            return False
        if self.committee and motion.committee != self.committee:
            return False
        if self.department and not any(item.department == self.department for item in motion.items):
            return False
        return not self.overdue or motion.overdue(today) > 0

    def describe(self, lang: str) -> str:
        parts = [label(self.status, lang)] if self.status else []
        parts += [value for value in (self.group, self.committee, self.department) if value]
        if self.overdue:
            parts.append(translate("overdue", lang))
        return ", ".join(parts)
