"""The three-way merge of a sync (store/sync/client.py): a server's document brought into the local one,
field by field, where both changed; what both changed differently is a conflict that keeps this copy's value
(store/sync/state.py keeps it for a person to settle)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from store import changes as changeset
from store.edit import Doc, Transaction, replaced_by
from store.history import SYNC
from store.sync.state import base_of


def merge_into(tx: Transaction, doc_id: str, rev: int, theirs: Doc, by: str = "") -> None:
    """Three-way merge of the server's ``theirs`` (written there by ``by``, if known) into the local document."""
    document = tx.document(doc_id)
    assert document is not None
    base = base_of(document)
    mine = tx.canonical(doc_id, document)
    old_conflicts = dict(document.get("conflicts") or {})
    conflicts: dict[str, Doc]
    if base is not None and not changeset.diff(base, mine) and not old_conflicts:
        merged, conflicts = copy.deepcopy(theirs), {}
    else:
        merged, conflicts = merge(base or {}, mine, theirs)
        for path in old_conflicts:  # still open: keep mine, with the server's newest value
            if path not in conflicts and _plain(changeset.value_at(mine, path)) != _plain(
                changeset.value_at(theirs, path)
            ):
                conflicts[path] = {"mine": changeset.value_at(mine, path), "theirs": changeset.value_at(theirs, path)}
                merged = (
                    changeset.apply(merged, [[path, None, changeset.value_at(mine, path)]])
                    if _settable(merged, path)
                    else merged
                )
    tx.apply(doc_id, SYNC, replaced_by(merged), user=by or None)
    ahead = bool(changeset.diff(theirs, merged))  # local edits the server has yet to get
    # Agreed on the motion as merged: no copy of it (store/sync/state.py), unless ahead or in conflict.
    kept = {"base": theirs} if ahead or conflicts else {}
    synced = {"rev": rev, **kept, **({"dirty": True} if ahead else {})}
    tx.set_sync_meta(doc_id, synced=synced, conflicts=conflicts or None)


def merge(base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> tuple[Doc, dict[str, Doc]]:
    """Three-way, field-level merge: a path changed on one side takes that side; changed on both to
    different values is a conflict that keeps mine. Returns the merged document and the conflicts."""
    merged = copy.deepcopy(dict(mine))
    conflicts: dict[str, Doc] = {}
    paths = {change[0] for change in changeset.diff(base, mine)} | {
        change[0] for change in changeset.diff(base, theirs)
    }
    whole_items = {path for path in paths if changeset.split(path)[0] is not None and changeset.split(path)[1] is None}
    take: list[list[Any]] = []
    for path in sorted(paths):
        number, name = changeset.split(path)
        if number is not None and name is not None and f"items.{number}" in whole_items:
            continue  # decided with the whole item
        old, ours, other = (_plain(changeset.value_at(doc, path)) for doc in (base, mine, theirs))
        if ours == other:
            continue
        if ours == old:
            take.append([path, None, copy.deepcopy(changeset.value_at(theirs, path))])
        elif other != old:
            conflicts[path] = {"mine": changeset.value_at(mine, path), "theirs": changeset.value_at(theirs, path)}
    return changeset.apply(merged, take), conflicts


def _plain(value: Any) -> Any:
    """A value without the stamps the store sets on every edit (an item's updated/updated_by)."""
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if key not in changeset.BOOKKEEPING}
    return value


def _settable(doc: Doc, path: str) -> bool:
    number, name = changeset.split(path)
    return name is None or number is None or changeset.value_at(doc, f"items.{number}") is not None
