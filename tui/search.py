"""Search as you type: which motions match the words typed so far."""

from __future__ import annotations

from store import Motion


def haystack(motion: Motion) -> str:
    """Everything a person might search a motion by, folded for comparison."""
    parts = [motion.title, motion.reference, motion.committee, *motion.submitted_by]
    for item in motion.items:
        parts += [item.title, item.note, item.department]
    return "\n".join(parts).casefold()


class Searcher:
    """Matches motions against a query; remembers each motion's haystack until the motion changes."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[Motion, str]] = {}

    def filter(self, motions: list[Motion], query: str) -> list[Motion]:
        words = query.casefold().split()
        if not words:
            return motions
        return [motion for motion in motions if all(word in self._haystack(motion) for word in words)]

    def _haystack(self, motion: Motion) -> str:
        cached = self._cache.get(motion.id)
        if cached is None or cached[0] is not motion:
            cached = (motion, haystack(motion))
            self._cache[motion.id] = cached
        return cached[1]
