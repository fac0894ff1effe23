"""What a field can hold: plain text, dates and times, ids, the two statuses; each kind's check.

Checks take the value and ``where`` it came from, so that a message can say what and where,
whether the data came from the file, the command line or a peer. :mod:`store.fields` says
which field is of which kind; :mod:`store.model` builds the objects.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any, Generic, TypeVar

from store.errors import BadInput
from store.i18n import Msg, translate

TITLE_LIMIT = 500
LINE_LIMIT = 200
TEXT_LIMIT = 20_000
# Requested items per motion: a council motion asks for a handful; this leaves room for a long catalogue
# and keeps one motion (each item's note up to TEXT_LIMIT) to a few megabytes, from a file or a server.
ITEMS_LIMIT = 200

# C0/C1 control characters and the bidirectional overrides that can make text
# display differently from what it is ("Trojan source"); tab and newline are
# allowed in multi-line text only.
CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_UUIDS = re.compile(f"(?:{UUID.pattern})*")


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


_SPELLINGS: dict[type[StrEnum], dict[str, Any]] = {enum: _spellings(enum) for enum in (ItemStatus, MotionStatus)}


def parse_status(enum: type[StrEnum], value: Any, where: str) -> Any:
    """A member of ``enum`` from its machine name or its German or English label."""
    if isinstance(value, str):
        exact = enum._value2member_map_.get(value)  # what files and peers send: no work beyond a lookup
        if exact is not None:
            return exact
        found = _SPELLINGS[enum].get(" ".join(value.split()).lower())
        if found is not None:
            return found
    raise BadInput(
        "{where}: unknown status {value}; allowed: {allowed}.",
        where=where,
        value=show(value),
        allowed=Statuses(enum),
    )


class Statuses(tuple[StrEnum, ...]):
    """Statuses as a message lists them: by machine name, and in German by their labels first, as a
    German user types them (``sachstand set … erledigt``)."""

    def render(self, lang: str) -> str:
        names = ", ".join(status.value for status in self)
        if lang == "en":
            return names
        return translate(
            "{labels} (also {names})", lang, labels=", ".join(label(status, lang) for status in self), names=names
        )


def parse_item_status(value: Any, where: str = "status") -> ItemStatus:
    """An item status from its machine name or its German or English label."""
    return parse_status(ItemStatus, value, where)


def parse_motion_status(value: Any, where: str = "status") -> MotionStatus:
    return parse_status(MotionStatus, value, where)


def show(value: Any) -> str:
    """A value as a message quotes it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_utf8(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8: not so when it holds the lone surrogates Python makes of
    bytes in argv or the environment that were not UTF-8, which no file, JSON or terminal takes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_line(value: Any, where: str, *, required: bool = False, limit: int = LINE_LIMIT) -> str:
    """A single line of plain text."""
    if not isinstance(value, str):
        raise BadInput("{where}: expected text, got {value}.", where=where, value=show(value))
    if "\n" in value or "\r" in value:
        raise BadInput("{where}: must be a single line.", where=where)
    _check_plain(value, where, CONTROL_IN_LINE, limit)
    if required and not value.strip():
        raise BadInput("{where}: must not be empty.", where=where)
    return value


def check_text(value: Any, where: str, *, limit: int = TEXT_LIMIT) -> str:
    """Multi-line plain text (notes, the motion's free text)."""
    if not isinstance(value, str):
        raise BadInput("{where}: expected text, got {value}.", where=where, value=show(value))
    _check_plain(value, where, CONTROL_IN_TEXT, limit)
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


def check_lines(value: Any, where: str, *, limit: int = LINE_LIMIT) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise BadInput("{where}: expected a list of texts, got {value}.", where=where, value=show(value))
    return tuple(
        check_line(entry, f"{where}[{index}]", required=True, limit=limit) for index, entry in enumerate(value)
    )


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any, where: str) -> date | None:
    """``YYYY-MM-DD`` (blanks around it ignored), or empty/None for no date."""
    if isinstance(value, str):
        value = value.strip()
    return _parse(value, where, date_of, Msg("{where}: expected a date YYYY-MM-DD, got {value}."))


def typed_date(value: Any, where: str) -> date | None:
    """A date as a person types it: 28.07.2020 or 2020-07-28 (blanks around it ignored), or empty/None
    for no date. The one reader of dates from the command line and the dashboard's forms."""
    text = value.strip() if isinstance(value, str) else value
    found = _DAY_FIRST.match(text) if isinstance(text, str) else None
    if found is not None:
        day, month, year = (int(part) for part in found.groups())
        text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        return _parse(text, where, date_of, Msg("{where}: expected a date DD.MM.YYYY or YYYY-MM-DD, got {value}."))
    except BadInput:
        raise BadInput(
            "{where}: expected a date DD.MM.YYYY or YYYY-MM-DD, got {value}.", where=where, value=show(value)
        ) from None


_DAY_FIRST = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_timestamp(value: Any, where: str) -> datetime | None:
    """An ISO timestamp with a time zone, or empty/None for none."""
    return _parse(value, where, moment_of, Msg("{where}: expected a date and time, got {value}."))


def _parse(value: Any, where: str, parse: Callable[[str], Any], message: Msg) -> Any:
    if value is None or value == "":
        return None
    found = parse(value) if isinstance(value, str) else None
    if found is None:
        raise BadInput(message, where=where, value=show(value))
    return found


V = TypeVar("V")


class Remembered(Generic[V]):
    """A reader of texts that keeps its last answers: the same few thousand days and an edit's moment recur across a
    store's motions, and the models then share one object per value instead of holding a copy each. ``known`` is
    the dict's own ``get``, which the compiled readers (store/model.py, store/modelrows.py) ask first: a call of
    lru_cache cost a fifth of reading a motion's days and moments, most of them answered already. When it holds
    ``keep`` answers it starts afresh (a store's distinct days fit; its edit times mostly do not recur anyway)."""

    __slots__ = ("_answers", "_read", "keep", "known")

    def __init__(self, read: Callable[[str], V | None], keep: int) -> None:
        self._read, self._answers, self.keep = read, dict[str, V](), keep
        self.known = self._answers.get

    def __call__(self, text: str) -> V | None:
        return self._answers.get(text) or self.learn(text)  # a day or a moment is never false

    def learn(self, text: str) -> V | None:
        """The answer for a ``text`` not known yet, kept."""
        found = self._read(text)
        if found is not None:
            if len(self._answers) >= self.keep:
                self._answers.clear()
            self._answers[text] = found
        return found


def remembered(keep: int) -> Callable[[Callable[[str], V | None]], Remembered[V]]:
    return lambda read: Remembered(read, keep)


DAYS_KEPT = 16_384  # forty years of days: a store's submissions, meetings and deadlines
MOMENTS_KEPT = 8_192


@remembered(DAYS_KEPT)
def date_of(text: str) -> date | None:
    """The day ``YYYY-MM-DD`` names, or None if it names none."""
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@remembered(MOMENTS_KEPT)
def moment_of(text: str) -> datetime | None:
    """The moment an ISO timestamp with a time zone names, in UTC; None for anything else."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else None


@remembered(DAYS_KEPT)
def canonical_date_of(text: str) -> date | None:
    """``date_of`` for a text written as ``iso_date`` writes it; None for any other."""
    day = date_of(text)
    return day if day is not None and iso_date(day) == text else None


@remembered(MOMENTS_KEPT)
def canonical_moment_of(text: str) -> datetime | None:
    """``moment_of`` for a text written as ``iso_timestamp`` writes it; None for any other.

    That form is UTC to the second with a four-digit year, so a text of it that names a moment is the very
    text the moment is written as: writing each moment again to compare (strftime) took 3 of its 6 µs, and a
    real store's edit times seldom recur (at 50,000 motions, a second of a sync's checks)."""
    if not _CANONICAL_STAMP.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text)  # with "Z": in UTC already, as moment_of gives it
    except ValueError:
        return None


# As iso_timestamp writes a moment (_STAMP), in ASCII digits: strftime writes no others.
_CANONICAL_STAMP = re.compile(r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def plain_lines(lines: list[str], limit: int) -> bool:
    """Whether all of ``lines`` (strings) are one-line texts without control characters, each within
    ``limit``: one search over all of them, for readers of many (a motion's fields, the list's index)."""
    return not CONTROL_IN_LINE.search("".join(lines)) and max(map(len, lines), default=0) <= limit


def quick_date(value: Any) -> date | None:
    """``parse_date`` without its message, for readers of many: ValueError for anything but None or a day."""
    return _quick_parse(value, date_of)


def quick_moment(value: Any) -> datetime | None:
    """``parse_timestamp`` without its message, for readers of many: ValueError for anything but None or a moment."""
    return _quick_parse(value, moment_of)


def _quick_parse(value: Any, parse: Callable[[str], Any]) -> Any:
    if value is None:
        return None
    found = parse(value) if type(value) is str else None
    if found is None:
        raise ValueError(value)  # internal to the readers of many, which fall back to the checks with messages
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
    raise BadInput("{where}: expected true or false, got {value}.", where=where, value=show(value))


def check_uuid(value: Any, where: str) -> str:
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    raise BadInput("{where}: expected a UUID, got {value}.", where=where, value=show(value))


def check_number(value: Any, where: str) -> int:
    """An item's number: a whole number from 1."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise BadInput("{where}: expected an item number from 1, got {value}.", where=where, value=show(value))
    return value


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def iso_timestamp(value: datetime | None) -> str | None:
    if not value:
        return None
    return _utc_text(value) if value.tzinfo is UTC else value.strftime(_STAMP)


# Cached as moment_of is, for the same moments: strftime was a tenth of a sync's validation (8 a motion). Only
# in UTC, where equal moments are written alike (an equal one of another zone has other figures).
@lru_cache(maxsize=8192)
def _utc_text(value: datetime) -> str:
    return value.strftime(_STAMP)


_STAMP = "%Y-%m-%dT%H:%M:%SZ"


def day_text(value: date, lang: str) -> str:
    """A day as a person reads it: 28.07.2020 in German, 2020-07-28 otherwise."""
    return value.strftime("%d.%m.%Y") if lang == "de" else value.isoformat()


@dataclass(frozen=True)
class Moment:
    """A moment as a message's parameter: said as every command shows times (28.07.2020 14:05 in German)."""

    value: datetime

    def render(self, lang: str) -> str:
        return moment_text(self.value, lang)


def moment_text(value: datetime, lang: str) -> str:
    """A moment in local time as a person reads it: 28.07.2020 14:30 in German, 2020-07-28 14:30 otherwise."""
    return value.astimezone().strftime("%d.%m.%Y %H:%M" if lang == "de" else "%Y-%m-%d %H:%M")
