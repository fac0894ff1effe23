"""Motions from an outside source (a letter, OParl, an export) merged into the store in one transaction:
new ones added, known ones updated in the fields the source manages, unless a person changed them since
the last import (:meth:`store.Store.import_motions`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from store import changes as changeset
from store.edit import Doc, Transaction, live, replaced_by
from store.history import IMPORT
from store.model import Motion


@dataclass
class ImportResult:
    added: list[Motion] = field(default_factory=list)
    updated: list[Motion] = field(default_factory=list)
    kept: list[tuple[Motion, list[str]]] = field(default_factory=list)  # fields a person had changed
    unchanged: int = 0


def merge_imported(
    tx: Transaction,
    motions: Iterable[Motion],
    managed: Collection[str],
    current: Callable[[str], Motion],
    validated: Callable[[Doc, str], Motion],
) -> ImportResult:
    """Apply each motion in ``tx``; ``current`` is the store's model of a stored motion, ``validated``
    builds one from a stored document (a deleted one, to report it kept).

    A motion given twice (an OParl list that repeats a paper changed while it was paged through, an export
    edited by hand) goes in once, as its later copy, in the place of the first: in a paged list the later copy
    is the newer one, and refusing the whole import for one repetition would keep out every other motion."""
    result = ImportResult()
    latest = {motion.id: motion for motion in motions}  # a later copy replaces an earlier one
    for incoming in latest.values():
        theirs = incoming.to_dict()
        base = {name: theirs[name] for name in managed}
        document = tx.document(incoming.id)
        if document is None:
            added = tx.apply(incoming.id, IMPORT, replaced_by(live(incoming)), imported=base)
            result.added.append(added or incoming)
        elif document.get("deleted"):
            result.kept.append((validated(document, incoming.id), ["deleted"]))
        else:
            model = current(incoming.id)
            merged, kept = changeset.merge_fields(document.get("imported", {}), model.to_dict(), theirs, managed)
            changed = tx.apply(incoming.id, IMPORT, replaced_by({**merged, "deleted": False}), imported=base)
            if changed:
                result.updated.append(changed)
            if kept:
                result.kept.append((changed or model, kept))
            if not changed and not kept:
                result.unchanged += 1
    return result
