"""Search as you type: which motions match the words typed so far."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat
from operator import attrgetter, contains, is_

from store import FOLD_BATCH, Haystacks, ItemStatus, Motion, MotionStatus, haystacks, label, query_words, translate

_ID = attrgetter("id")


class Searcher:
    """Matches motions against a query; remembers each motion's haystack until the motion changes.

    Typing on narrows what the last keystroke found instead of searching everything again: a query
    that starts with the previous one can only match fewer motions (at 50,000 motions a full search
    takes 0.1 s, a narrowed one a fraction of that).
    """

    def __init__(self) -> None:
        # Each motion's haystack, and the motion it was made of (two dicts, not a pair each: 50,000 pairs made
        # the cycle collector run 70 times in a first search, 0.06 s).
        self._texts: dict[str, bytes] = {}
        self._made_of: dict[str, Motion] = {}
        # The motions, the folded query, what it found, and their haystacks: a narrowing search reads these
        # as they are (a look-up of each of 50,000 motions in the dicts took 0.05 s).
        self._last: tuple[list[Motion], str, list[Motion], list[bytes]] = ([], "", [], [])
        self._offered: Callable[[], Iterable[tuple[str, Motion, bytes]] | None] | None = None  # see adopt

    def filter(self, motions: list[Motion], query: str) -> list[Motion]:
        folded_query = query.casefold()
        words = query_words(query)
        if not words:
            return motions
        searched, last_query, last_found, last_texts = self._last
        # The same motions (the same objects: == on lists compares identity first) and a query typed on.
        if last_query and folded_query.startswith(last_query) and motions == searched:
            candidates, texts = last_found, last_texts
        else:
            candidates, texts = motions, self._haystacks(motions)
        if len(words) == 1:  # what each keystroke of a first word asks: in C, no generator per motion
            hits = list(map(contains, texts, repeat(words[0])))
        else:
            hits = [all(word in text for word in words) for text in texts]
        found = list(compress(candidates, hits))
        self._last = (motions, folded_query, found, list(compress(texts, hits)))
        return found

    def preparing(self, motions: list[Motion], share: int = FOLD_BATCH) -> Iterator[int]:
        """Fold every motion's texts ahead of the first keystroke, ``share`` motions per step (a few ms):
        0.3 s at 50,000 motions, which the caller spreads over the turns of its event loop so that keys
        work meanwhile. A search typed before the last step folds what is left itself (``_haystacks``),
        with the same result. Each step yields how many motions are folded. At the end, haystacks offered
        and not yet taken (see adopt) are no longer wanted."""
        for start in range(0, len(motions), share):
            self._haystacks(motions[start : start + share])
            yield min(start + share, len(motions))
        self._offered = None

    def adopt(self, offered: Callable[[], Iterable[tuple[str, Motion, bytes]] | None]) -> None:
        """Haystacks folded elsewhere (store/file/prefold.py): ``offered`` gives each with its key and the motion
        it was folded from once they are there (None until then). Looked at before each batch the search folds
        itself, which then stops; taken when first needed, so the read's end does not wait for their matching
        to the motions (0.03 s at 50,000)."""
        self._offered = offered

    def take(self, kept: Haystacks) -> None:
        """Haystacks kept with the motions just read (store/modelcache.py), in the search's own dicts: taken as they
        are where the search has folded nothing yet."""
        if self._texts:
            self._made_of.update(kept.made_of)
            self._texts.update(kept.texts)
        else:
            self._made_of, self._texts = kept.made_of, kept.texts

    def folded(self) -> Haystacks:
        """Each haystack folded so far, with the motion it was made of (kept for the next start)."""
        return Haystacks(dict(self._made_of), dict(self._texts))

    def _haystacks(self, motions: list[Motion]) -> list[bytes]:
        """Each motion's haystack, folded now for a motion not met before or changed since (a new object)."""
        made_of, known = self._made_of, self._texts
        # In C, not a look at each motion in Python: once every motion is folded, this is all a search does
        # besides the comparisons (0.09 s of a first keystroke at 50,000 motions, now 0.01 s).
        ids = list(map(_ID, motions))
        if all(map(is_, map(made_of.get, ids), motions)):
            return list(map(known.__getitem__, ids))
        if self._taken_offered():  # before the list of what is new too: taken, they spare it (0.02 s at 50,000)
            return self._haystacks(motions)
        new = [motion for motion in motions if made_of.get(motion.id) is not motion]
        for start in range(0, len(new), FOLD_BATCH):
            if self._taken_offered():
                return self._haystacks(motions)  # the rest may be known now
            batch = new[start : start + FOLD_BATCH]
            for motion, text in zip(batch, haystacks(batch)):
                made_of[motion.id], known[motion.id] = motion, text
        return list(map(known.__getitem__, ids))

    def _taken_offered(self) -> bool:
        """Whether haystacks offered (see adopt) were there and are taken now."""
        offered = self._offered() if self._offered is not None else None
        if offered is None:
            return False
        self._offered = None
        made_of, known = self._made_of, self._texts
        for key, motion, text in offered:
            if made_of.get(key) is not motion:
                made_of[key], known[key] = motion, text
        return True


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
