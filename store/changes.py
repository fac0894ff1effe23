"""Field-level changes between two versions of a motion document.

A change is ``[path, old, new]``: ``"title"`` for a motion field,
``"items.3.status"`` for a field of item 3, ``"items.6"`` for a whole item
added (old is None) or removed (new is None). History entries, undo and (later)
sync merges all speak this one language.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from store.fields import STAMPED

# Stamped by the store on every edit; recording them would only repeat the
# history entry's own "at" and "by".
BOOKKEEPING = STAMPED

Change = list[Any]  # [path, old, new]


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(old.keys() | new.keys()):
        if key == "items" or key in BOOKKEEPING:
            continue
        if old.get(key) != new.get(key):
            changes.append([key, old.get(key), new.get(key)])
    old_items = {item["number"]: item for item in old.get("items", ())}
    new_items = {item["number"]: item for item in new.get("items", ())}
    for number in sorted(old_items.keys() | new_items.keys()):
        before, after = old_items.get(number), new_items.get(number)
        if before is None or after is None:
            changes.append([f"items.{number}", before, after])
            continue
        for key in sorted(before.keys() | after.keys()):
            if key not in BOOKKEEPING and before.get(key) != after.get(key):
                changes.append([f"items.{number}.{key}", before.get(key), after.get(key)])
    return changes


def split(path: str) -> tuple[int | None, str | None]:
    """(item number or None, field name or None for a whole item)."""
    if not path.startswith("items."):
        return None, path
    _, number, *rest = path.split(".", 2)
    return int(number), (rest[0] if rest else None)


def item_path(path: str) -> str:
    """``"items.3"`` for any path inside item 3."""
    number, _name = split(path)
    return f"items.{number}" if number is not None else path


def value_at(doc: Mapping[str, Any], path: str) -> Any:
    number, name = split(path)
    if number is None:
        return doc.get(path)
    item = next((item for item in doc.get("items", ()) if item["number"] == number), None)
    if name is None or item is None:
        return item
    return item.get(name)


def apply(doc: Mapping[str, Any], changes: Iterable[Sequence[Any]]) -> dict[str, Any]:
    """A copy of ``doc`` with each change's new value put in place."""
    result = copy.deepcopy(dict(doc))
    items: list[dict[str, Any]] = result.setdefault("items", [])
    for path, _old, new in changes:
        number, name = split(path)
        if number is None:
            result[path] = new
            continue
        index = next((i for i, item in enumerate(items) if item["number"] == number), None)
        if name is None and new is not None:  # a whole item, added or replaced
            if index is None:
                items.append(copy.deepcopy(new))
                items.sort(key=lambda item: item["number"])
            else:
                items[index] = copy.deepcopy(new)
            continue
        assert index is not None, path  # a change of an item (or its removal) comes from a document that has it
        if name is not None:
            items[index][name] = new
        else:
            del items[index]
    return result


def inverse(changes: Iterable[Sequence[Any]]) -> list[Change]:
    """The changes that take a document back, last change first."""
    return [[path, new, old] for path, old, new in reversed(list(changes))]


def merge_fields(
    base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any], fields: Iterable[str]
) -> tuple[dict[str, Any], list[str]]:
    """Three-way merge of some top-level fields: take theirs where mine is still the base.

    Returns the merged document and the fields where mine changed and theirs differs: those
    keep mine, and the caller decides what to tell (an import never overwrites a person's edit).
    """
    merged = dict(mine)
    kept: list[str] = []
    for name in fields:
        if theirs.get(name) == mine.get(name):
            continue
        if name not in base or mine.get(name) == base[name]:
            merged[name] = theirs.get(name)
        else:
            kept.append(name)
    return merged, kept
