"""The search's haystacks of motions, as the dashboard's search hands them to the models' cache to keep."""

from __future__ import annotations

from store import Haystacks, Motion, haystacks


def folded_haystacks(motions: list[Motion]) -> Haystacks:
    """Each of ``motions``' haystack, folded now, with the motion it was folded from."""
    return Haystacks({motion.id: motion for motion in motions}, dict(zip([m.id for m in motions], haystacks(motions))))
