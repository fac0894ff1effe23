"""What was reminded, when and to whom: a record per item in its motion's document (``reminders``, beside the
motion like the sync bookkeeping, kept across edits: store/edit.py KEPT), each written through
:meth:`store.edit.Transaction.note` with an entry in the motion's history.

A record keeps the follow-up date it was sent for (an item is reminded once per date; a moved date
reminds again) and the status and Sachstand as sent, which the answer import compares with the item
now to find what changed here since (store/mail/answers.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from store.edit import Doc, Transaction
from store.history import REMIND
from store.model import Item, Motion
from store.queries import ItemOf
from store.store import Store
from store.values import iso_date, iso_timestamp

REMINDERS = "reminders"  # the document's key: item number (as text) -> the last reminder's record


def record_of(document: Doc | None, number: int) -> dict[str, Any] | None:
    """The last reminder sent for item ``number`` of the motion stored as ``document``, or None."""
    records = (document or {}).get(REMINDERS)
    record = records.get(str(number)) if isinstance(records, dict) else None
    return record if isinstance(record, dict) else None


def reminded(document: Doc | None, item: Item) -> bool:
    """Whether ``item`` was reminded for its present follow-up date already."""
    record = record_of(document, item.number)
    return record is not None and record.get("due") == iso_date(item.due)


def agreed(tx: Transaction, motion: Motion, numbers: Iterable[int]) -> None:
    """After a department's answer was applied to items ``numbers`` of ``motion``: their records take the
    values now agreed, so a later answer to the same list is compared with them (no history entry: the
    answer's own entry says what changed)."""
    document = tx.document(motion.id)
    records = dict((document or {}).get(REMINDERS) or {})
    for number in numbers:
        item = motion.item(number)
        if str(number) in records and item is not None:
            records[str(number)] = {**records[str(number)], "status": item.status.value, "note": item.note}
    if document is not None and records != document.get(REMINDERS, {}):
        tx.note(motion.id, REMINDERS, records)


def record_sent(store: Store, department: str, address: str, pairs: Sequence[ItemOf]) -> None:
    """Record that ``pairs`` (items as sent) went to ``address`` for ``department``: one transaction, an entry
    per motion in its history (from: the department and its address)."""
    by_motion: dict[str, list[Item]] = {}
    motions: dict[str, Motion] = {}
    for motion, item in pairs:
        by_motion.setdefault(motion.id, []).append(item)
        motions[motion.id] = motion
    with store.transaction() as tx:
        at = iso_timestamp(tx.clock())
        for motion_id, items in by_motion.items():
            document = tx.document(motion_id)
            if document is None or document.get("deleted"):
                continue  # deleted while the message went out: nothing left to remember it on
            records = dict(document.get(REMINDERS) or {})
            changes = []
            for item in items:
                before = record_of(document, item.number)
                records[str(item.number)] = {
                    "due": iso_date(item.due),
                    "at": at,
                    "to": address,
                    "department": department,
                    "status": item.status.value,
                    "note": item.note,
                }
                changes.append([f"items.{item.number}.reminded", before and before.get("due"), iso_date(item.due)])
            tx.note(motion_id, REMINDERS, records, REMIND, changes, f"{department} <{address}>")
