"""The domain model: motions (Anträge) and the items they request.

Objects are immutable and validated where they are built from outside data
(:meth:`Motion.from_dict`, the ``parse_*`` helpers); code inside the store
trusts them. Which fields there are, and of which kind, :mod:`store.fields` declares;
the checks of each kind are in :mod:`store.values`.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from functools import cache
from operator import attrgetter
from typing import Any

from store.errors import BadInput
from store.fields import ITEM_FIELDS, MOTION_FIELDS, Field, Kind, check_field_line
from store.i18n import add_catalog
from store.values import (
    CONTROL_IN_LINE,
    CONTROL_IN_TEXT,
    ITEMS_LIMIT,
    PENDING,
    UUID,
    ItemStatus,
    MotionStatus,
    Remembered,
    canonical_date_of,
    canonical_moment_of,
    date_of,
    iso_date,
    iso_timestamp,
    moment_of,
    show,
)


def _fields(data: Any, where: str, known: Iterable[str], fields: Mapping[str, Field]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise BadInput("{where}: expected an object, got {value}.", where=where, value=show(data))
    for name, field in fields.items():
        if field.required and name not in data:
            raise BadInput("{where}: missing field {field}.", where=where, field=name)
    unknown = data.keys() - known
    if unknown:
        raise BadInput("{where}: unknown field {field}.", where=where, field=repr(sorted(map(str, unknown))[0]))
    return data


def _checked(fields: Mapping[str, Field], data: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Each declared field of ``data`` (its default where data leaves it out), checked where it is."""
    get = data.get
    return {
        name: field.check(get(name, field.default), f"{where}.{name}")
        for name, field in fields.items()
        if field.kind is not Kind.ITEMS
    }


# How a kind's value is written to the file; the other kinds are written as they are.
_DUMP: dict[Kind, Callable[[Any], Any]] = {
    Kind.DATE: iso_date,
    Kind.MOMENT: iso_timestamp,
    # ``_value_``, not ``value``: the public name is a descriptor that cost a third of writing a motion.
    Kind.STATUS: attrgetter("_value_"),
    Kind.LINES: list,
    Kind.ITEMS: lambda items: [item.to_dict() for item in items],
}


def _compile(head: str, lines: list[str], namespace: dict[str, Any]) -> Callable[..., Any]:
    """A function compiled from the declarations, as dataclasses compiles ``__init__``: as fast as code
    written out field by field, which matters for the 45,000 items a large store holds."""
    exec(f"def {head}:\n" + "".join(f"    {line}\n" for line in lines), namespace)
    return namespace[head.split("(")[0]]


def _dumper(fields: Mapping[str, Field]) -> Callable[[Any], dict[str, Any]]:
    """``to_dict`` for the object of ``fields``: its values in their declared order, as the file writes them."""
    namespace = {f"_{name}": _DUMP[field.kind] for name, field in fields.items() if field.kind in _DUMP}
    values = [
        f"{name!r}: _{name}(model.{name})" if f"_{name}" in namespace else f"{name!r}: model.{name}" for name in fields
    ]
    return _compile("to_dict(model)", [f"return {{{', '.join(values)}}}"], namespace)


@dataclass(frozen=True, slots=True)
class Item:
    """One thing a motion requests, with its status and status text (Sachstand)."""

    number: int
    title: str
    status: ItemStatus = ItemStatus.OPEN
    department: str = ""
    assignee: str = ""
    due: date | None = None
    note: str = ""
    updated: datetime | None = None
    updated_by: str = ""

    def is_overdue(self, today: date) -> bool:
        """Past its follow-up date and still pending."""
        return self.due is not None and self.due < today and self.status in PENDING

    def to_dict(self) -> dict[str, Any]:
        return _dump_item(self)

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Item:
        return cls(**_checked(ITEM_FIELDS, _fields(data, where, ITEM_FIELDS, ITEM_FIELDS), where))


_dump_item = _dumper(ITEM_FIELDS)


@dataclass(frozen=True, slots=True)
class Motion:
    """A motion (Antrag) from one or more council groups."""

    id: str
    title: str
    items: tuple[Item, ...] = ()
    reference: str = ""
    submitted: date | None = None
    submitted_by: tuple[str, ...] = ()
    addressed_to: str = ""
    copy_to: tuple[str, ...] = ()
    committee: str = ""
    legal_basis: str = ""
    meeting: date | None = None
    public: bool = True
    status: MotionStatus = MotionStatus.RECEIVED
    text: str = ""
    source: str = ""
    source_deleted: bool = False  # the council information system no longer has it
    created: datetime | None = None
    updated: datetime | None = None

    def item(self, number: int) -> Item | None:
        index = number - 1
        return self.items[index] if 0 <= index < len(self.items) else None

    def progress(self) -> tuple[int, int]:
        """(items done, items in all)."""
        return sum(item.status is ItemStatus.DONE for item in self.items), len(self.items)

    def overdue(self, today: date) -> int:
        """How many of its items are overdue."""
        return sum(item.is_overdue(today) for item in self.items)

    def with_item(self, item: Item) -> Motion:
        items = list(self.items)
        items[item.number - 1] = item
        return replace_motion(self, items=tuple(items))

    def to_dict(self) -> dict[str, Any]:
        return _dump_motion(self)

    @classmethod
    def from_dict(cls, data: Any, where: str = "motion", *, ignore: frozenset[str] = frozenset()) -> Motion:
        """A motion from outside data; ``ignore`` names keys beside the motion's own that the data may hold."""
        return _quick_motion(data, ignore) or cls._checked(data, where, ignore)

    @classmethod
    def read(cls, data: Any, where: str = "motion", *, ignore: frozenset[str] = frozenset()) -> tuple[Motion, bool]:
        """``from_dict``, and whether ``data`` (but for the keys ``ignore`` names) equals the motion's to_dict():
        then a sync server keeps the pushed document as it is (making it anew was a fifth of reading a push)."""
        quick = _quick_motion(data, ignore, _builder(True))  # positional: the cache's key is made faster
        return (quick, True) if quick is not None else (cls.from_dict(data, where, ignore=ignore), False)

    @classmethod
    def _checked(cls, data: Any, where: str, ignore: frozenset[str]) -> Motion:
        """Field by field, so that a fault is named with its place."""
        data = _fields(data, where, _MOTION_NAMES | ignore, MOTION_FIELDS)
        raw_items = data.get("items", MOTION_FIELDS["items"].default)
        if not isinstance(raw_items, list):
            raise BadInput("{where}: expected a list, got {value}.", where=f"{where}.items", value=show(raw_items))
        if len(raw_items) > ITEMS_LIMIT:
            raise BadInput("{where}: more than {limit} items.", where=f"{where}.items", limit=ITEMS_LIMIT)
        items = tuple(Item.from_dict(raw, f"{where}.items[{index}]") for index, raw in enumerate(raw_items))
        if any(item.number != index for index, item in enumerate(items, start=1)):
            raise BadInput("{where}: item numbers must be 1, 2, 3, ... in order.", where=f"{where}.items")
        return cls(items=items, **_checked(MOTION_FIELDS, data, where))


_dump_motion = _dumper(MOTION_FIELDS)
_MOTION_NAMES = frozenset(MOTION_FIELDS)


# --- the quick path: a store's whole file is read through it --------------------------------
#
# It accepts nothing the careful path refuses and builds the same objects, but checks all of a
# motion's texts of one kind with one search instead of a call per string. The models keep the
# very strings of the data. What it cannot take at once the careful path decides.
#
# One function compiled from the declarations reads a motion and its items in one pass (at 50,000
# motions, 225,000 items: a call per item and per converted value was a third of the read). It fills
# a twin of each class, a plain class of the same slots, and then gives it the model's class: a frozen
# dataclass refuses attribute assignment, and setting its slots through their descriptors took three
# times as long.


class _NotQuick(Exception):
    """The data is not in the complete form this program writes: the careful path decides."""


# Texts that recur across a store's motions (a body has a few dozen departments, committees, groups and clerks):
# the models share one string per value, as they share one object per day (the caches of store/values.py).
# At 50,000 motions the departments alone were 28 MB of copies.
_SHARED = frozenset({"department", "assignee", "committee", "submitted_by", "addressed_to", "copy_to", "updated_by"})


def _raise_unless(condition: str) -> str:
    return f"if not ({condition}): raise _NotQuick"


@cache
def _twin(model: type) -> type:
    """A plain class of ``model``'s slots: filled, then given ``model``'s class (see above)."""
    return type(f"_{model.__name__}Twin", (), {"__slots__": model.__slots__})  # type: ignore[attr-defined]


@cache
def _replacer(model: type) -> Callable[..., Any]:
    """``dataclasses.replace`` for ``model``, through its twin: replace() calls the frozen __init__, which
    sets each slot through its descriptor (stamping each motion of a push with it took a tenth of writing it).
    The models' __init__ checks nothing, so neither does this."""
    names = [field.name for field in dataclass_fields(model)]
    namespace = {"_new": object.__new__, "_Twin": _twin(model), "_Model": model, "_SAME": _SAME}
    lines = [
        "made = _new(_Twin)",
        *(f"made.{name} = model.{name} if {name} is _SAME else {name}" for name in names),
        "made.__class__ = _Model",
        "return made",
    ]
    return _compile(f"replaced(model, *, {', '.join(f'{name}=_SAME' for name in names)})", lines, namespace)


_SAME: Any = object()  # a field replaced() leaves as it is


def _readers(days: Remembered[date], moments: Remembered[datetime]) -> dict[str, Any]:
    """The compiled readers' names for a reader of days and one of moments, and for the answers each knows."""
    return {"_DATE": days.learn, "_DATE_KNOWN": days.known, "_MOMENT": moments.learn, "_MOMENT_KNOWN": moments.known}


def _known_or_read(kind: Kind, value: str) -> str:
    """The expression for the day or moment (``kind``) of the text ``value`` names (not None): the answer its
    reader knows (a dict's get, no call of Python: most are known), else learnt now (store/values.py Remembered)."""
    return f"_{kind.name}_KNOWN({value}) or _{kind.name}({value})"


def _value_lines(field: Field, get: str, namespace: dict[str, Any]) -> list[str]:
    """Statements that leave ``field``'s value, converted and checked, in ``v``; its texts join ``lines``
    (one line each) or ``texts`` (multi-line), searched for control characters once the motion is read.
    An error of a value's type (TypeError, AttributeError) also sends the data to the careful path."""
    name, kind, limit = field.name, field.kind, field.limit
    shared = name in _SHARED
    if shared:
        namespace["_intern"] = sys.intern
    if kind is Kind.LINE:
        fits = f"len(v) <= {limit}" + (" and v.strip()" if field.required else "")
        return [f"v = {get}", _raise_unless(fits), "lines.append(v)", *(["v = _intern(v)"] if shared else [])]
    if kind is Kind.TEXT:
        return [f"v = {get}", _raise_unless(f"len(v) <= {limit}"), "texts.append(v)"]
    if kind is Kind.LINES:
        return [
            f"v = {get}",
            _raise_unless("type(v) is list"),
            "for entry in v:",
            "    " + _raise_unless(f"len(entry) <= {limit} and entry.strip()"),
            "lines += v",
            "v = tuple(map(_intern, v))" if shared else "v = tuple(v)",
        ]
    if kind is Kind.STATUS:
        statuses = field.statuses.__name__  # type: ignore[union-attr]
        namespace[statuses] = field.statuses._value2member_map_  # type: ignore[union-attr]
        return [f"v = {statuses}.get({get})", _raise_unless("v is not None")]
    if kind in (Kind.DATE, Kind.MOMENT):  # often empty: then no call; the readers are in the namespace
        return [
            f"v = {get}",
            "if v is not None:",
            f"    v = {_known_or_read(kind, 'v')}",
            "    " + _raise_unless("v is not None"),
        ]
    if kind is Kind.ID:  # the canonical form: what check_uuid would return
        namespace["_UUID"] = UUID
        return [f"v = {get}", _raise_unless("type(v) is str and _UUID.fullmatch(v)")]
    if kind is Kind.BOOL:
        return [f"v = {get}", _raise_unless("type(v) is bool")]
    raise TypeError(f"no quick reading for {kind}")  # a new kind: this table needs its line


def _object_lines(fields: Mapping[str, Field], model: type, get: str, namespace: dict[str, Any]) -> list[str]:
    """Statements that build ``model`` from the dict named ``get`` into ``made``, through its twin."""
    namespace[f"_{model.__name__}Twin"], namespace[f"_{model.__name__}"] = _twin(model), model
    lines = [f"made = _new(_{model.__name__}Twin)"]
    for name in (field.name for field in dataclass_fields(model)):
        field = fields[name]
        if field.kind is Kind.NUMBER:  # checked with the item's shape
            lines.append(f"made.{name} = number")
        elif field.kind is Kind.ITEMS:
            lines.append(f"made.{name} = tuple(items)")
        else:
            lines += [*_value_lines(field, f"{get}[{name!r}]", namespace), f"made.{name} = v"]
    return [*lines, f"made.__class__ = _{model.__name__}"]


@cache
def _builder(canonical: bool) -> Callable[[dict[str, Any]], Motion]:
    """``build(data)``: the motion of a dict with the keys of a motion (the caller checks them), or
    _NotQuick, KeyError, TypeError or AttributeError. An item has as many keys as Item has fields, none of
    them missing (else KeyError): exactly Item's fields. If ``canonical``, it also refuses (_NotQuick) a
    day or moment not written as to_dict() writes it: every other value of a motion it takes is written
    back as it was read (a list as a list), so then the data equals the motion's to_dict()."""
    namespace: dict[str, Any] = {
        **_readers(canonical_date_of if canonical else date_of, canonical_moment_of if canonical else moment_of),
        "_NotQuick": _NotQuick,
        "_new": object.__new__,
        "_LINE": CONTROL_IN_LINE,
        "_TEXT": CONTROL_IN_TEXT,
    }
    shape = f"type(item) is dict and len(item) == {len(ITEM_FIELDS)} and type(item['number']) is int"
    lines = [
        "lines, texts, items, number = [], [], [], 0",
        "raw = data['items']",
        _raise_unless(f"type(raw) is list and len(raw) <= {ITEMS_LIMIT}"),
        "for item in raw:",
        "    number += 1",
        "    " + _raise_unless(f"{shape} and item['number'] == number"),
        *(f"    {line}" for line in _object_lines(ITEM_FIELDS, Item, "item", namespace)),
        "    items.append(made)",
        *_object_lines(MOTION_FIELDS, Motion, "data", namespace),
        # Every control character is unprintable, and the usual line is printable all through: one pass in C.
        # So is a text without a line break or tab, and that pass takes half the time of the search (which was
        # a tenth of reading a push); a text with one (which isprintable meets early) is searched.
        "joined, text = ''.join(lines), ''.join(texts)",
        "if not joined.isprintable() and _LINE.search(joined): raise _NotQuick",
        "if not text.isprintable() and _TEXT.search(text): raise _NotQuick",
        "return made",
    ]
    return _compile("build(data)", lines, namespace)


_build = _builder(canonical=False)


# Compiled when first used, as the canonical reader is: each took a millisecond of every start.
def replace_motion(motion: Motion, **changes: Any) -> Motion:
    """``dataclasses.replace`` of a motion, without its cost (see _replacer)."""
    return _replacer(Motion)(motion, **changes)


def replace_item(item: Item, **changes: Any) -> Item:
    """``dataclasses.replace`` of an item, without its cost (see _replacer)."""
    return _replacer(Item)(item, **changes)


def _quick_motion(
    data: Any, ignore: frozenset[str], build: Callable[[dict[str, Any]], Motion] = _build
) -> Motion | None:
    """The motion if ``data`` has every field, each well-formed; None otherwise."""
    if type(data) is not dict or not data.keys() <= _names_with(ignore):  # a missing field: KeyError
        return None
    try:
        return build(data)
    except (_NotQuick, KeyError, TypeError, AttributeError):  # a value of the wrong type met a str operation
        return None


@cache
def _names_with(ignore: frozenset[str]) -> frozenset[str]:
    """The motion's fields and ``ignore``: a test of a motion's keys against it makes no set (for each motion
    of a push, the difference of its keys and the fields was a twentieth of reading it)."""
    return _MOTION_NAMES | ignore


def new_motion_id() -> str:
    return str(uuid.uuid4())


def new_items(titles: Iterable[str], where: str = "--item") -> tuple[Item, ...]:
    return tuple(
        Item(number=number, title=check_field_line("title", title.strip(), f"{where} {number}"))
        for number, title in enumerate(titles, start=1)
    )


add_catalog("de", {"{where}: more than {limit} items.": "{where}: mehr als {limit} Punkte."})
