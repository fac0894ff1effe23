"""The domain model: motions (Anträge) and the items they request.

Objects are immutable and validated where they are built from outside data
(:meth:`Motion.from_dict`, the ``parse_*`` helpers); code inside the store
trusts them. Errors name the place (``where``) so a message can say what and
where, whether the data came from the file, the command line or a peer.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache
from itertools import chain
from typing import Any

from store.errors import BadInput

TITLE_LIMIT = 500
LINE_LIMIT = 200
TEXT_LIMIT = 20_000

# C0/C1 control characters and the bidirectional overrides that can make text
# display differently from what it is ("Trojan source"); tab and newline are
# allowed in multi-line text only.
_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class ItemStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    DONE = "done"
    DEFERRED = "deferred"


class MotionStatus(StrEnum):
    RECEIVED = "received"
    SCHEDULED = "scheduled"
    DECIDED = "decided"
    REJECTED = "rejected"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


# Statuses in which an item still waits for the administration.
PENDING = frozenset({ItemStatus.OPEN, ItemStatus.IN_PROGRESS})

LABELS: dict[StrEnum, dict[str, str]] = {
    ItemStatus.OPEN: {"de": "offen", "en": "open"},
    ItemStatus.IN_PROGRESS: {"de": "in Bearbeitung", "en": "in progress"},
    ItemStatus.REPORTED: {"de": "berichtet", "en": "reported"},
    ItemStatus.DONE: {"de": "erledigt", "en": "done"},
    ItemStatus.DEFERRED: {"de": "zurückgestellt", "en": "deferred"},
    MotionStatus.RECEIVED: {"de": "eingegangen", "en": "received"},
    MotionStatus.SCHEDULED: {"de": "terminiert", "en": "scheduled"},
    MotionStatus.DECIDED: {"de": "beschlossen", "en": "decided"},
    MotionStatus.REJECTED: {"de": "abgelehnt", "en": "rejected"},
    MotionStatus.ANSWERED: {"de": "beantwortet", "en": "answered"},
    MotionStatus.WITHDRAWN: {"de": "zurückgezogen", "en": "withdrawn"},
}


def label(status: StrEnum, lang: str) -> str:
    return LABELS[status][lang]


def _spellings(enum: type[StrEnum]) -> dict[str, Any]:
    """Every accepted spelling of each member: its machine name, its labels, with _ - or space."""
    found: dict[str, Any] = {}
    for member in enum:
        for name in (member.value, *LABELS[member].values()):
            name = name.lower()
            for spelling in (name, name.replace("_", " "), name.replace(" ", "_"), name.replace("_", "-")):
                found[spelling] = member
    return found


_SPELLINGS = {enum: _spellings(enum) for enum in (ItemStatus, MotionStatus)}


def _parse_enum(enum: type[StrEnum], value: Any, where: str) -> Any:
    if isinstance(value, str):
        exact = enum._value2member_map_.get(value)  # what files and peers send: no work beyond a lookup
        if exact is not None:
            return exact
        found = _SPELLINGS[enum].get(" ".join(value.split()).lower())
        if found is not None:
            return found
    allowed = ", ".join(member.value for member in enum)
    raise BadInput(
        "{where}: unknown status {value}; allowed: {allowed}.",
        where=where,
        value=_show(value),
        allowed=allowed,
    )


def parse_item_status(value: Any, where: str = "status") -> ItemStatus:
    """An item status from its machine name or its German or English label."""
    return _parse_enum(ItemStatus, value, where)


def parse_motion_status(value: Any, where: str = "status") -> MotionStatus:
    return _parse_enum(MotionStatus, value, where)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_line(value: Any, where: str, *, required: bool = False, limit: int = LINE_LIMIT) -> str:
    """A single line of plain text."""
    if not isinstance(value, str):
        raise BadInput("{where}: expected text, got {value}.", where=where, value=_show(value))
    if "\n" in value or "\r" in value:
        raise BadInput("{where}: must be a single line.", where=where)
    _check_plain(value, where, _CONTROL_IN_LINE, limit)
    if required and not value.strip():
        raise BadInput("{where}: must not be empty.", where=where)
    return value


_LINE_LIMITS = {"title": TITLE_LIMIT, "source": TEXT_LIMIT}


def check_field_line(name: str, value: Any, where: str) -> str:
    """A single-line field of a motion or item, by the same rule wherever it comes from."""
    return check_line(value, where, required=name == "title", limit=_LINE_LIMITS.get(name, LINE_LIMIT))


def check_text(value: Any, where: str) -> str:
    """Multi-line plain text (notes, the motion's free text)."""
    if not isinstance(value, str):
        raise BadInput("{where}: expected text, got {value}.", where=where, value=_show(value))
    _check_plain(value, where, _CONTROL_IN_TEXT, TEXT_LIMIT)
    return value


def _check_plain(value: str, where: str, pattern: re.Pattern[str], limit: int) -> None:
    found = pattern.search(value)
    if found:
        raise BadInput(
            "{where}: contains a control character ({char}); only plain text is allowed.",
            where=where,
            char=f"U+{ord(found.group()):04X}",
        )
    if len(value) > limit:
        raise BadInput("{where}: longer than {limit} characters.", where=where, limit=limit)


def clean_text(value: str) -> str:
    """Normalise user-typed multi-line text: Windows line ends, trailing blanks."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def check_lines(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise BadInput("{where}: expected a list of texts, got {value}.", where=where, value=_show(value))
    return tuple(check_line(entry, f"{where}[{index}]", required=True) for index, entry in enumerate(value))


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any, where: str) -> date | None:
    """``YYYY-MM-DD`` (blanks around it ignored), or empty/None for no date."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return None
    found = _date_of(value) if isinstance(value, str) else None
    if found is None:
        raise BadInput("{where}: expected a date YYYY-MM-DD, got {value}.", where=where, value=_show(value))
    return found


def parse_timestamp(value: Any, where: str) -> datetime | None:
    if value is None or value == "":
        return None
    found = _moment_of(value) if isinstance(value, str) else None
    if found is None:
        raise BadInput("{where}: expected a date and time, got {value}.", where=where, value=_show(value))
    return found


# Cached: the same few thousand days and edit times recur across a store's motions, and the
# models then share one object per value instead of holding a copy each.
@lru_cache(maxsize=8192)
def _date_of(text: str) -> date | None:
    """The day ``YYYY-MM-DD`` names, or None if it names none."""
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def _moment_of(text: str) -> datetime | None:
    """The moment an ISO timestamp with a time zone names, in UTC; None for anything else."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else None


def plain_lines(lines: list[str], limit: int) -> bool:
    """Whether all of ``lines`` (strings) are one-line texts without control characters, each within
    ``limit``: one search over all of them, for readers of many (a motion's fields, the list's index)."""
    return not _CONTROL_IN_LINE.search("".join(lines)) and max(map(len, lines), default=0) <= limit


def quick_date(value: Any) -> date | None:
    """``parse_date`` without its message, for readers of many: ValueError for anything but None or a day."""
    return _quick_parse(value, _date_of)


def quick_moment(value: Any) -> datetime | None:
    """``parse_timestamp`` without its message, for readers of many: ValueError for anything but None or a moment."""
    return _quick_parse(value, _moment_of)


def _quick_parse(value: Any, parse: Callable[[str], Any]) -> Any:
    if value is None:
        return None
    found = parse(value) if type(value) is str else None
    if found is None:
        raise ValueError(value)
    return found


def all_uuids(values: list[Any]) -> bool:
    """Whether all ``values`` are motion ids in the canonical form: one search over all of them."""
    return (
        all(type(value) is str and len(value) == 36 for value in values)
        and _UUIDS.fullmatch("".join(values)) is not None
    )


def check_bool(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    raise BadInput("{where}: expected true or false, got {value}.", where=where, value=_show(value))


def check_uuid(value: Any, where: str) -> str:
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    raise BadInput("{where}: expected a UUID, got {value}.", where=where, value=_show(value))


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def iso_timestamp(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _fields(data: Any, where: str, known: frozenset[str], required: Iterable[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise BadInput("{where}: expected an object, got {value}.", where=where, value=_show(data))
    for name in required:
        if name not in data:
            raise BadInput("{where}: missing field {field}.", where=where, field=name)
    unknown = data.keys() - known
    if unknown:
        raise BadInput("{where}: unknown field {field}.", where=where, field=repr(sorted(map(str, unknown))[0]))
    return data


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
        return {
            "number": self.number,
            "title": self.title,
            "status": self.status.value,
            "department": self.department,
            "assignee": self.assignee,
            "due": iso_date(self.due),
            "note": self.note,
            "updated": iso_timestamp(self.updated),
            "updated_by": self.updated_by,
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Item:
        data = _fields(data, where, _ITEM_FIELDS, ("number", "title"))
        number = data["number"]
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise BadInput(
                "{where}: expected an item number from 1, got {value}.",
                where=f"{where}.number",
                value=_show(number),
            )
        get = data.get
        return cls(
            number=number,
            title=check_field_line("title", data["title"], f"{where}.title"),
            status=parse_item_status(get("status", "open"), f"{where}.status"),
            department=check_line(get("department", ""), f"{where}.department"),
            assignee=check_line(get("assignee", ""), f"{where}.assignee"),
            due=parse_date(get("due"), f"{where}.due"),
            note=check_text(get("note", ""), f"{where}.note"),
            updated=parse_timestamp(get("updated"), f"{where}.updated"),
            updated_by=check_line(get("updated_by", ""), f"{where}.updated_by"),
        )


_ITEM_FIELDS = frozenset(Item.__dataclass_fields__)


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
        return {
            "id": self.id,
            "reference": self.reference,
            "title": self.title,
            "submitted": iso_date(self.submitted),
            "submitted_by": list(self.submitted_by),
            "addressed_to": self.addressed_to,
            "copy_to": list(self.copy_to),
            "committee": self.committee,
            "legal_basis": self.legal_basis,
            "meeting": iso_date(self.meeting),
            "public": self.public,
            "status": self.status.value,
            "text": self.text,
            "source": self.source,
            "source_deleted": self.source_deleted,
            "created": iso_timestamp(self.created),
            "updated": iso_timestamp(self.updated),
            "items": [item.to_dict() for item in self.items],
        }

    @classmethod
    def from_dict(cls, data: Any, where: str = "motion", *, ignore: frozenset[str] = frozenset()) -> Motion:
        """A motion from outside data; ``ignore`` names keys beside the motion's own that the data may hold."""
        return _quick_motion(data, ignore) or cls._checked(data, where, ignore)

    @classmethod
    def _checked(cls, data: Any, where: str, ignore: frozenset[str]) -> Motion:
        """Field by field, so that a fault is named with its place."""
        data = _fields(data, where, _MOTION_FIELDS | ignore, ("id", "title"))
        get = data.get
        raw_items = get("items", [])
        if not isinstance(raw_items, list):
            raise BadInput("{where}: expected a list, got {value}.", where=f"{where}.items", value=_show(raw_items))
        items = tuple(Item.from_dict(raw, f"{where}.items[{index}]") for index, raw in enumerate(raw_items))
        if any(item.number != index for index, item in enumerate(items, start=1)):
            raise BadInput("{where}: item numbers must be 1, 2, 3, ... in order.", where=f"{where}.items")
        return cls(
            id=check_uuid(data["id"], f"{where}.id"),
            title=check_field_line("title", data["title"], f"{where}.title"),
            items=items,
            reference=check_line(get("reference") or "", f"{where}.reference"),
            submitted=parse_date(get("submitted"), f"{where}.submitted"),
            submitted_by=check_lines(get("submitted_by", []), f"{where}.submitted_by"),
            addressed_to=check_line(get("addressed_to", ""), f"{where}.addressed_to"),
            copy_to=check_lines(get("copy_to", []), f"{where}.copy_to"),
            committee=check_line(get("committee", ""), f"{where}.committee"),
            legal_basis=check_line(get("legal_basis", ""), f"{where}.legal_basis"),
            meeting=parse_date(get("meeting"), f"{where}.meeting"),
            public=check_bool(get("public", True), f"{where}.public"),
            status=parse_motion_status(get("status", "received"), f"{where}.status"),
            text=check_text(get("text", ""), f"{where}.text"),
            source=check_field_line("source", get("source", ""), f"{where}.source"),
            source_deleted=check_bool(get("source_deleted", False), f"{where}.source_deleted"),
            created=parse_timestamp(get("created"), f"{where}.created"),
            updated=parse_timestamp(get("updated"), f"{where}.updated"),
        )


_MOTION_FIELDS = frozenset(Motion.__dataclass_fields__)


# --- the quick path: a store's whole file is read through it --------------------------------


class _NotQuick(Exception):
    """The data is not in the complete form this program writes: the careful path decides."""


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_UUIDS = re.compile(f"(?:{_UUID.pattern})*")
_ITEM_STATUSES: Mapping[Any, ItemStatus] = ItemStatus._value2member_map_  # type: ignore[assignment]
_MOTION_STATUSES: Mapping[Any, MotionStatus] = MotionStatus._value2member_map_  # type: ignore[assignment]


def _quick_motion(data: Any, ignore: frozenset[str]) -> Motion | None:
    """The motion if ``data`` has every field, each well-formed; None otherwise.

    It accepts nothing the careful path refuses and builds the same objects, but checks all of a
    motion's texts with one search per kind instead of a call per string. The models keep the
    very strings of ``data``.
    """
    if type(data) is not dict or data.keys() - ignore != _MOTION_FIELDS:
        return None
    try:
        return _quick_motion_fields(data)
    except (_NotQuick, KeyError, TypeError):  # TypeError: a value of the wrong type met a str operation
        return None


def _quick_motion_fields(data: dict[str, Any]) -> Motion:
    raw_items, groups, copies = data["items"], data["submitted_by"], data["copy_to"]
    if type(raw_items) is not list or type(groups) is not list or type(copies) is not list:
        raise _NotQuick
    lines = [data["reference"], data["addressed_to"], data["committee"], data["legal_basis"], *groups, *copies]
    titles, texts = [data["title"]], [data["text"]]
    items = tuple(_quick_item(raw, number, lines, titles, texts) for number, raw in enumerate(raw_items, start=1))
    _quick_texts(lines, titles, texts, data["source"])
    if "" in map(str.strip, chain(titles, groups, copies)):
        raise _NotQuick
    return Motion(
        id=_quick_uuid(data["id"]),
        title=titles[0],
        items=items,
        reference=data["reference"],
        submitted=_quick_date(data["submitted"]),
        submitted_by=tuple(groups),
        addressed_to=data["addressed_to"],
        copy_to=tuple(copies),
        committee=data["committee"],
        legal_basis=data["legal_basis"],
        meeting=_quick_date(data["meeting"]),
        public=_quick_bool(data["public"]),
        status=_quick_status(_MOTION_STATUSES, data["status"]),
        text=data["text"],
        source=data["source"],
        source_deleted=_quick_bool(data["source_deleted"]),
        created=_quick_moment(data["created"]),
        updated=_quick_moment(data["updated"]),
    )


def _quick_item(data: Any, number: int, lines: list[Any], titles: list[Any], texts: list[Any]) -> Item:
    """The item; its texts join the motion's, to be checked with them."""
    # Nine keys of which none is missing (else KeyError) are exactly Item's fields.
    if (
        type(data) is not dict
        or len(data) != len(_ITEM_FIELDS)
        or type(data["number"]) is not int
        or data["number"] != number
    ):
        raise _NotQuick
    lines += (data["department"], data["assignee"], data["updated_by"])
    titles.append(data["title"])
    texts.append(data["note"])
    return Item(  # by position, in the order of Item's fields: a third faster than by name, 45,000 times
        number,
        data["title"],
        _quick_status(_ITEM_STATUSES, data["status"]),
        data["department"],
        data["assignee"],
        _quick_date(data["due"]),
        data["note"],
        _quick_moment(data["updated"]),
        data["updated_by"],
    )


def _quick_texts(lines: list[Any], titles: list[Any], texts: list[Any], source: Any) -> None:
    """All texts are text, without control characters, and within their limits (raises TypeError if one is no text)."""
    if (
        _CONTROL_IN_LINE.search("".join([*lines, *titles, source]))
        or _CONTROL_IN_TEXT.search("".join(texts))
        or max(map(len, lines), default=0) > LINE_LIMIT
        or max(map(len, titles)) > TITLE_LIMIT
        or max(map(len, texts)) > TEXT_LIMIT
        or len(source) > TEXT_LIMIT
    ):
        raise _NotQuick


def _quick_uuid(value: Any) -> str:
    if type(value) is not str or not _UUID.fullmatch(value):  # the canonical form: what check_uuid would return
        raise _NotQuick
    return value


def _quick_date(value: Any) -> date | None:
    if value is None:
        return None
    found = _date_of(value)
    if found is None:
        raise _NotQuick
    return found


def _quick_moment(value: Any) -> datetime | None:
    if value is None:
        return None
    found = _moment_of(value)
    if found is None:
        raise _NotQuick
    return found


def _quick_bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _NotQuick
    return value


def _quick_status(members: Mapping[Any, Any], value: Any) -> Any:
    found = members.get(value)
    if found is None:
        raise _NotQuick
    return found


def new_motion_id() -> str:
    return str(uuid.uuid4())


def new_items(titles: Iterable[str], where: str = "--item") -> tuple[Item, ...]:
    return tuple(
        Item(number=number, title=check_field_line("title", title.strip(), f"{where} {number}"))
        for number, title in enumerate(titles, start=1)
    )


__all__ = [
    "LABELS",
    "Item",
    "ItemStatus",
    "Motion",
    "MotionStatus",
    "check_line",
    "check_lines",
    "check_text",
    "clean_text",
    "label",
    "new_items",
    "new_motion_id",
    "now",
    "parse_date",
    "parse_item_status",
    "parse_motion_status",
]
