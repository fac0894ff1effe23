"""A motion as a row of plain values, and back: the form the models' cache keeps them in (store/modelcache.py).

The cache holds what this program built and wrote itself, in a folder only its user may write: its rows are
made into models without the checks (a third of the models' cost), through the same twins as the model's own
readers (store/model.py). A day and a moment are their isoformat() (exact), read back through the same caches
as the file's.

A motion's items are kept as their rows marshalled apart, and made items only when first read. At 50,000
motions they are 225,000 objects and most of the strings, 60 % of a read from the cache, and the dashboard's
keys need none of them until a person opens a motion, filters the list or asks for the overview (the dashboard
makes the rest once the keys work: :func:`items_made`). Until then such a motion is of a subclass of Motion
that shares its slots: its ``items`` are made when first read, and it becomes a Motion like any other. It is
equal to, hashed and shown as the motion it is.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any

from store.fields import ITEM_FIELDS, MOTION_FIELDS, Field, Kind
from store.freed import give_back
from store.model import _SHARED, Item, Motion, _compile, _known_or_read, _readers, _twin
from store.values import date_of, moment_of


def motion_row(motion: Motion) -> tuple[Any, ...]:
    """The motion as a row of plain values (tuples, strings, numbers, None), its items' rows marshalled in it."""
    return _motion_rower()(motion)


def motions_of_rows(rows: Iterable[tuple[Any, ...]]) -> list[Motion]:
    """The motions of rows :func:`motion_row` made (of this program's version), unchecked, their items unread."""
    return _unrower()(rows)


def items_made(motions: list[Motion], share: int = 500, give_back_every: int = 10_000) -> Iterator[int]:
    """Make the items that are not made yet of ``motions``, ``share`` motions a step (a few milliseconds), which the
    dashboard spreads over the turns of its event loop once its keys work: the first filter or overview then
    finds them made. Each step yields how many motions are done. The bytes the items were made of are given back
    to the system after each ``give_back_every`` motions made (store/freed.py)."""
    unread = _items_unread()
    made = 0
    for start in range(0, len(motions), share):
        for motion in motions[start : start + share]:
            if type(motion) is unread:
                motion.items  # noqa: B018 (made on this first read)
                made += 1
        if made >= give_back_every or (made and start + share >= len(motions)):
            give_back()
            made = 0
        yield min(start + share, len(motions))


# Compiled when first used, as the model's readers are: not every command's start.
def _row_value(field: Field, get: str, namespace: dict[str, Any]) -> str:
    """The expression of ``field``'s value (named ``get``) in a row: the plain form marshal can hold."""
    if field.kind in (Kind.DATE, Kind.MOMENT):
        return f"None if {get} is None else {get}.isoformat()"
    if field.kind is Kind.STATUS:
        return f"{get}._value_"
    if field.kind is Kind.ITEMS:
        namespace["_item_row"], namespace["_dumps"] = _rower(ITEM_FIELDS, {}), marshal.dumps
        return f"_dumps(tuple(map(_item_row, {get})))"
    return get


def _rower(fields: Mapping[str, Field], namespace: dict[str, Any]) -> Callable[[Any], tuple[Any, ...]]:
    values = [_row_value(field, f"model.{name}", namespace) for name, field in fields.items()]
    return _compile("row(model)", [f"return ({', '.join(values)},)"], namespace)


@cache
def _motion_rower() -> Callable[[Motion], tuple[Any, ...]]:
    return _rower(MOTION_FIELDS, {})


def _model_lines(fields: Mapping[str, Field], model: type, made_as: type, namespace: dict[str, Any]) -> list[str]:
    """Statements that build ``model`` from the row named ``row`` into ``made``, through its twin, and give it the
    class ``made_as`` (``model`` or a subclass of the same slots)."""
    namespace[f"_{model.__name__}Twin"], namespace[f"_{model.__name__}"] = _twin(model), made_as
    lines = [f"made = _new(_{model.__name__}Twin)"]
    for place, (name, field) in enumerate(fields.items()):
        value = f"row[{place}]"
        if field.kind in (Kind.DATE, Kind.MOMENT):
            value = f"None if {value} is None else {_known_or_read(field.kind, value)}"
        elif field.kind is Kind.STATUS:
            statuses = field.statuses.__name__  # type: ignore[union-attr]
            namespace[statuses] = field.statuses._value2member_map_  # type: ignore[union-attr]
            value = f"{statuses}[{value}]"
        elif field.kind is Kind.LINES:
            value = f"tuple(map(_intern, {value}))" if name in _SHARED else value
        elif name in _SHARED:
            value = f"_intern({value})"
        lines.append(f"made.{name} = {value}")  # the items: the bytes of their rows, until read
    return [*lines, f"made.__class__ = _{model.__name__}"]


def _namespace() -> dict[str, Any]:
    return {"_new": object.__new__, "_intern": sys.intern, **_readers(date_of, moment_of)}


@cache
def _unrower() -> Callable[[Iterable[tuple[Any, ...]]], list[Motion]]:
    """``motions(rows)``: the motions of rows ``motion_row`` made, in one pass, their items unread."""
    namespace = _namespace()
    lines = ["motions = []", "for row in rows:"]
    lines += [f"    {line}" for line in _model_lines(MOTION_FIELDS, Motion, _items_unread(), namespace)]
    return _compile("motions(rows)", [*lines, "    motions.append(made)", "return motions"], namespace)


@cache
def _item_reader() -> Callable[[bytes], tuple[Item, ...]]:
    """``items(kept)``: the items of the marshalled rows ``kept``."""
    namespace = {**_namespace(), "_loads": marshal.loads}
    lines = ["items = []", "for row in _loads(kept):"]
    lines += [f"    {line}" for line in _model_lines(ITEM_FIELDS, Item, Item, namespace)]
    return _compile("items(kept)", [*lines, "    items.append(made)", "return tuple(items)"], namespace)


@cache
def _items_unread() -> type:
    """The class of a motion whose items are still the bytes of their rows (see the module's doc)."""
    slot = Motion.__dict__["items"]  # the slot's own descriptor, beneath the property below
    read = _item_reader()

    def items(motion: Motion) -> tuple[Item, ...]:
        value = slot.__get__(motion, Motion)
        if type(value) is bytes:  # else made meanwhile by another thread, or given (a copy, dataclasses.replace)
            value = read(value)
            slot.__set__(motion, value)
        object.__setattr__(motion, "__class__", Motion)  # always: equal, hashed and shown as a Motion from now on
        return value

    def equal(motion: Motion, other: object) -> bool:
        items(motion)
        return motion == other

    def hashed(motion: Motion) -> int:
        items(motion)
        return hash(motion)

    def shown(motion: Motion) -> str:
        items(motion)
        return repr(motion)

    namespace = {"__slots__": (), "__eq__": equal, "__hash__": hashed, "__repr__": shown}
    namespace["items"] = property(items, slot.__set__)
    return type("MotionOfRow", (Motion,), namespace)
