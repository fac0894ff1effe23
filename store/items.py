"""Edits of items: one or several, of one motion or several, in one transaction (:meth:`store.Store.set_items`).

All of them are one write: one history entry per motion, every entry with the transaction's ``seq``,
so one undo takes the whole change back (see store/undo.py's last_undoable).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from store.edit import Transaction, live, replaced_by
from store.errors import NotFound
from store.fields import ITEM_FIELDS, check_editable
from store.history import EDIT
from store.i18n import plural
from store.model import Item, Motion

ItemRef = tuple[str, int]  # (motion id, item number)
# The fields to set: the same for every item, or a function of the item as the file holds it (the next status).
ItemValues = Mapping[str, Any] | Callable[[Item], Mapping[str, Any]]


def item_of(motion: Motion, number: int) -> Item:
    """The motion's item ``number``, or NotFound naming the numbers it has."""
    found = motion.item(number)
    if found is None:
        raise NotFound(
            plural(
                "Motion {motion} has no item {number}; its only item is 1.",
                "Motion {motion} has no item {number}; its items are 1 to {last}.",
                len(motion.items),
            ),
            motion=motion.reference or motion.id[:8],
            number=number,
            last=len(motion.items),
        )
    return found


def edit_items(
    tx: Transaction, get: Callable[[str], Motion], items: Iterable[ItemRef], values: ItemValues
) -> list[Motion]:
    """Stage the change of ``items`` in ``tx``: each motion once, with all its items changed. The motions
    as changed (or as they were, where nothing changed), in the order their items first came."""
    numbers: dict[str, dict[int, None]] = {}  # by motion, in order, each item once
    for motion_id, number in items:
        numbers.setdefault(motion_id, {})[number] = None
    changed: list[Motion] = []
    for motion_id, chosen in numbers.items():
        current = get(motion_id)
        motion = current
        for number in chosen:
            item = item_of(current, number)
            motion = motion.with_item(replace(item, **_checked(values(item) if callable(values) else values)))
        changed.append(tx.apply(motion_id, EDIT, replaced_by(live(motion))) or current)
    return changed


def _checked(values: Mapping[str, Any]) -> Mapping[str, Any]:
    check_editable(values, ITEM_FIELDS, "set_items")
    return values
