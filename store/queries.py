"""Questions asked of many motions at once: shared by the dashboard's views and the exporters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

from store.errors import Ambiguous, NotFound
from store.file.offsets import folded_reference
from store.model import Item, Motion
from store.values import PENDING

ItemOf = tuple[Motion, Item]


def open_items_by_department(motions: Iterable[Motion], today: date) -> list[tuple[str, list[ItemOf]]]:
    """Items still waiting (open, in progress) per department; overdue first, then by follow-up date.

    Departments in alphabetical order; items without a department come last, under "".
    """
    groups: dict[str, list[ItemOf]] = {}
    for motion in motions:
        for item in motion.items:
            if item.status in PENDING:
                groups.setdefault(item.department, []).append((motion, item))

    def urgency(pair: ItemOf) -> tuple[bool, date, str, int]:
        motion, item = pair
        return (not item.is_overdue(today), item.due or date.max, motion.reference or motion.title, item.number)

    return [
        (department, sorted(groups[department], key=urgency))
        for department in sorted(groups, key=lambda d: (d == "", d.casefold()))
    ]


def departments(motions: Iterable[Motion]) -> list[str]:
    """The departments items are given to, the most used first (then alphabetically): what a department
    field offers, so one department is not typed five ways."""
    used = Counter(item.department for motion in motions for item in motion.items if item.department)
    return sorted(used, key=lambda department: (-used[department], department.casefold()))


def meetings(motions: Iterable[Motion]) -> list[tuple[date, str]]:
    """Every (meeting date, committee) some motion is scheduled for, newest first."""
    found = {(motion.meeting, motion.committee) for motion in motions if motion.meeting}
    return sorted(found, key=lambda meeting: (meeting[0], meeting[1]), reverse=True)


def meeting_motions(motions: Iterable[Motion], meeting: date, committee: str) -> list[Motion]:
    """The motions on one meeting's agenda, in the order they were submitted."""
    chosen = [m for m in motions if m.meeting == meeting and m.committee == committee]
    return sorted(chosen, key=lambda m: (m.submitted or date.max, m.reference, m.title))


def find_motion(models: Mapping[str, Motion], ref: str) -> Motion:
    """The motion of ``models`` (by id) that ``ref`` names: its id, its reference number (Drucksachen-Nr.)
    or a unique beginning of its id."""
    wanted = ref.strip()
    if wanted in models:
        return models[wanted]
    folded = folded_reference(wanted)
    by_reference = [m for m in models.values() if m.reference and folded_reference(m.reference) == folded]
    if len(by_reference) == 1:
        return by_reference[0]
    by_prefix = [m for m in models.values() if wanted and m.id.startswith(wanted.lower())]
    matches = by_reference or by_prefix
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound("No motion matches {ref}.", ref=repr(ref))
    raise Ambiguous(
        "{ref} matches {count} motions: {candidates}. Give more of the id.",
        ref=repr(ref),
        count=len(matches),
        candidates=", ".join(m.id[:13] for m in matches[:5]),
    )
