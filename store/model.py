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
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
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
    Kind.STATUS: attrgetter("value"),
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
        return replace(self, items=tuple(items))

    def to_dict(self) -> dict[str, Any]:
        return _dump_motion(self)

    @classmethod
    def from_dict(cls, data: Any, where: str = "motion", *, ignore: frozenset[str] = frozenset()) -> Motion:
        """A motion from outside data; ``ignore`` names keys beside the motion's own that the data may hold."""
        return _quick_motion(data, ignore) or cls._checked(data, where, ignore)

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
# motion's texts of one kind and limit with one search instead of a call per string. The models
# keep the very strings of the data. What it cannot take at once the careful path decides.


class _NotQuick(Exception):
    """The data is not in the complete form this program writes: the careful path decides."""


def _quick_uuid(value: Any) -> str:
    if type(value) is not str or not UUID.fullmatch(value):  # the canonical form: what check_uuid would return
        raise _NotQuick
    return value


def _quick_of(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def quick(value: Any) -> Any:
        if value is None:
            return None
        found = parse(value)
        if found is None:
            raise _NotQuick
        return found

    return quick


def _quick_bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _NotQuick
    return value


def _quick_status(members: Mapping[Any, Any]) -> Callable[[Any], Any]:
    def quick(value: Any) -> Any:
        found = members.get(value)
        if found is None:
            raise _NotQuick
        return found

    return quick


# Texts that recur across a store's motions (a body has a few dozen departments, committees and groups):
# the models share one string per value, as they share one object per day (the caches of store/values.py).
# At 50,000 motions the departments alone were 28 MB of copies.
_SHARED = frozenset({"department", "assignee", "committee", "submitted_by", "addressed_to", "copy_to"})


def _shared_lines(values: list[Any]) -> tuple[str, ...]:
    return tuple(map(sys.intern, values))  # TypeError for what is no text: the careful path says what


def _quick_convert(field: Field) -> Callable[[Any], Any] | None:
    """How the quick path takes a value of ``field``; None: as it is (a text, checked with its texts)."""
    if field.name in _SHARED:
        return _shared_lines if field.kind is Kind.LINES else sys.intern
    if field.kind is Kind.STATUS:
        return _quick_status(field.statuses._value2member_map_)  # type: ignore[union-attr]
    return {
        Kind.ID: _quick_uuid,
        Kind.DATE: _quick_of(date_of),
        Kind.MOMENT: _quick_of(moment_of),
        Kind.BOOL: _quick_bool,
        Kind.LINES: tuple,
    }.get(field.kind)


# Texts checked together: (multi-line, limit); a LINES field's entries are lines of its limit.
_Texts = tuple[bool, int]


def _texts(field: Field) -> _Texts | None:
    return (field.kind is Kind.TEXT, field.limit) if field.kind in (Kind.LINE, Kind.TEXT, Kind.LINES) else None


# Every group of texts either object has, numbered: a motion's texts are gathered in a list per group,
# and those that must not be blank (a required text, a list's entries) also in the list after them.
_GROUPS = tuple(dict.fromkeys(filter(None, map(_texts, (*MOTION_FIELDS.values(), *ITEM_FIELDS.values())))))
_BLANK = len(_GROUPS)


def _reader(fields: Mapping[str, Field], model: type, given: str = "") -> Callable[..., Any]:
    """``read(data, texts, given)``: the ``model`` of ``data``'s values, converted (the ``given`` field's value
    passed in); the texts join their groups' lists in ``texts``. Made field by field through the slots: a
    frozen dataclass's ``__init__`` sets each through ``object.__setattr__``, which took twice as long."""
    namespace: dict[str, Any] = {"_NotQuick": _NotQuick, "_new": object.__new__, "_model": model}
    sets, lines, plain = [], [], {}  # type: list[str], list[str], dict[int, list[str]]
    for name in (field.name for field in dataclass_fields(model)):
        field, get = fields[name], f"data[{name!r}]"
        group = _texts(field)
        if group is not None and field.kind is Kind.LINES:
            lines += [f"if type({get}) is not list: raise _NotQuick", f"texts[{_GROUPS.index(group)}] += {get}"]
            lines.append(f"texts[{_BLANK}] += {get}")
        elif group is not None:
            plain.setdefault(_GROUPS.index(group), []).append(get)
            if field.required:
                plain.setdefault(_BLANK, []).append(get)
        convert = _quick_convert(field)
        if convert is not None:
            namespace[f"_{name}"] = convert
        value = "given" if name == given else f"_{name}({get})" if convert is not None else get
        if field.kind in (Kind.DATE, Kind.MOMENT) and name != given:  # often empty: then no call
            value = f"None if {get} is None else {value}"
        namespace[f"_set_{name}"] = model.__dict__[name].__set__
        sets.append(f"_set_{name}(made, {value})")
    lines += [
        f"texts[{group}].append({gets[0]})" if len(gets) == 1 else f"texts[{group}] += ({', '.join(gets)})"
        for group, gets in plain.items()
    ]
    return _compile("read(data, texts, given=None)", [*lines, "made = _new(_model)", *sets, "return made"], namespace)


def _checker() -> Callable[[list[list[Any]]], bool]:
    """``check(texts)``: whether all texts are text (else TypeError), without control characters, within
    their limits, not blank where they must not be: one search per pattern over all texts that share it,
    one pass per limit."""
    groups = [f"t{index}" for index in range(len(_GROUPS))]
    lines = [f"{', '.join(groups)}, blank = texts"]
    for pattern, multiline in (("_LINE", False), ("_TEXT", True)):
        joined = ", ".join(f"*{group}" for group, (kind, _limit) in zip(groups, _GROUPS) if kind is multiline)
        lines.append(f"if {pattern}.search(''.join([{joined}])): return False")
    lines += [
        f"if max(map(len, {group}), default=0) > {limit}: return False" for group, (_, limit) in zip(groups, _GROUPS)
    ]
    lines.append("return '' not in map(str.strip, blank)")
    return _compile("check(texts)", lines, {"_LINE": CONTROL_IN_LINE, "_TEXT": CONTROL_IN_TEXT})


_read_item = _reader(ITEM_FIELDS, Item)
_read_motion = _reader(MOTION_FIELDS, Motion, given="items")
_quick_texts = _checker()


def _quick_motion(data: Any, ignore: frozenset[str]) -> Motion | None:
    """The motion if ``data`` has every field, each well-formed; None otherwise."""
    if type(data) is not dict or data.keys() - ignore != _MOTION_NAMES:
        return None
    try:
        return _quick_motion_fields(data)
    except (_NotQuick, KeyError, TypeError):  # TypeError: a value of the wrong type met a str operation
        return None


def _quick_motion_fields(data: dict[str, Any]) -> Motion:
    raw_items = data["items"]
    if type(raw_items) is not list or len(raw_items) > ITEMS_LIMIT:
        raise _NotQuick
    texts: list[list[Any]] = [[] for _group in range(_BLANK + 1)]
    items = tuple(_quick_item(raw, number, texts) for number, raw in enumerate(raw_items, start=1))
    motion: Motion = _read_motion(data, texts, items)
    if not _quick_texts(texts):
        raise _NotQuick
    return motion


def _quick_item(data: Any, number: int, texts: list[list[Any]]) -> Item:
    # As many keys as Item has fields, of which none is missing (else KeyError), are exactly Item's fields.
    if type(data) is not dict or len(data) != len(ITEM_FIELDS) or type(data["number"]) is not int:
        raise _NotQuick
    if data["number"] != number:
        raise _NotQuick
    item: Item = _read_item(data, texts)
    return item


def new_motion_id() -> str:
    return str(uuid.uuid4())


def new_items(titles: Iterable[str], where: str = "--item") -> tuple[Item, ...]:
    return tuple(
        Item(number=number, title=check_field_line("title", title.strip(), f"{where} {number}"))
        for number, title in enumerate(titles, start=1)
    )


add_catalog("de", {"{where}: more than {limit} items.": "{where}: mehr als {limit} Punkte."})
