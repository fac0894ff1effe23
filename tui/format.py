"""How values look to a person: dates, times, statuses, lists (shared by the CLI and the dashboard)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import compress
from operator import is_not
from typing import TYPE_CHECKING, TypeVar

from store import (
    ITEM_FIELDS,
    MOTION_FIELDS,
    BadInput,
    Field,
    HistoryEntry,
    Item,
    ItemStatus,
    Kind,
    Motion,
    add_catalog,
    day_text,
    field_label,
    label,
    moment_text,
    newest_first_key,
    translate,
)

if TYPE_CHECKING:
    from store import MotionSummary, SyncProgress

NONE = "–"
Listed = TypeVar("Listed", bound="Motion | MotionSummary")  # what the motion list shows: a motion or its summary

# A status is never shown by colour alone: each has a symbol that reads without colour.
STATUS_SYMBOLS = {
    ItemStatus.OPEN: "○",
    ItemStatus.IN_PROGRESS: "◐",
    ItemStatus.REPORTED: "◑",
    ItemStatus.DONE: "●",
    ItemStatus.DEFERRED: "◌",
}

# Colour adds to the symbol and the word, never replaces them (NO_COLOR, 16 colours).
STATUS_STYLES = {
    ItemStatus.OPEN: "bold yellow",
    ItemStatus.IN_PROGRESS: "bold cyan",
    ItemStatus.REPORTED: "bold magenta",
    ItemStatus.DONE: "bold green",
    ItemStatus.DEFERRED: "dim",
}


def fmt_date(value: date | None, lang: str) -> str:
    return NONE if value is None else day_text(value, lang)


def fmt_time(value: datetime | None, lang: str) -> str:
    return NONE if value is None else moment_text(value, lang)


def fmt_field(field: Field, value: object, lang: str) -> str:
    """A field's value as a person reads it (see Field.show), a dash for none."""
    return field.show(value, lang) or NONE


def motion_facts(motion: Motion, names: Iterable[str], lang: str) -> list[tuple[str, str]]:
    """Label and value of each named field of ``motion``; a source's deletion is said beside the source."""
    facts = []
    for name in names:
        facts.append((field_label(name, lang), fmt_field(MOTION_FIELDS[name], getattr(motion, name), lang)))
        if name == "source" and motion.source_deleted:
            facts.append((field_label("source_deleted", lang), translate("deleted at the source", lang)))
    return facts


def item_facts(item: Item, lang: str) -> list[str]:
    """What is said beside an item's status: its department and due date, and who handles it if anyone."""
    return [
        f"{field_label(name, lang, item=True)}: {fmt_field(ITEM_FIELDS[name], getattr(item, name), lang)}"
        for name in ("department", "due", "assignee")
        if name != "assignee" or item.assignee
    ]


def declared(name: str, *, item: bool = False) -> Field | None:
    """The declaration of a motion field (an item field's with ``item``); None for a name that
    history or a peer wrote but no declaration knows (those are shown by their name)."""
    return (ITEM_FIELDS if item else MOTION_FIELDS).get(name)


def field_name(name: str, lang: str, *, item: bool = False) -> str:
    """A field's label in ``lang``, for a name read from history or a sync conflict."""
    field = declared(name, item=item)
    return translate(field.label, lang) if field else name


def fmt_list(values: Iterable[str]) -> str:
    return ", ".join(values) or NONE


_GROUP_WORDS = re.compile(r"^(?:Fraktion|Gruppe)\s+(?:der\s+|die\s+|des\s+)?|[-\s](?:Fraktion|Gruppe)$")


def fmt_groups(groups: Iterable[str]) -> str:
    """Groups by their short names ("Fraktion der CDU" -> "CDU"), for narrow columns."""
    return ", ".join(_GROUP_WORDS.sub("", group).strip() or group for group in groups) or NONE


def short_department(name: str) -> str:
    """ "Amt 10 – Zentrale Dienste" -> "Amt 10", for narrow columns; the detail pane shows it whole."""
    return re.split(r"\s[–-]\s", name, maxsplit=1)[0] or NONE


def newest_first(motions: Iterable[Listed]) -> list[Listed]:
    """Newest submitted first; motions without a date by when they were added (the index's order too)."""
    return sorted(motions, key=newest_first_key, reverse=True)


# What was shown of the motions is brought forward while at most one in EDITED_SHARE is a new object, not made
# anew: each is looked at (newest_first_again places each in 16 steps at 50,000 motions, where a sort of them
# all takes 30 to 50 ms; a whole write that changed one motion in a hundred, 5 ms).
EDITED_SHARE = 8


def edited_places(before: Sequence[Motion | MotionSummary], now: Sequence[Motion | MotionSummary]) -> list[int] | None:
    """The places where ``now`` holds a new object of the motion ``before`` holds there: after an edit, one or a few.
    None where the two differ by more: in length, in more than one place in EDITED_SHARE, or in a motion.
    Compared by address, in C: the motions' own objects lie all over memory, and a look into each of 50,000 (its id)
    took 0.03 s, a loop 0.01 s."""
    if len(before) != len(now):
        return None
    changed = list(compress(range(len(now)), map(is_not, before, now)))
    if len(changed) * EDITED_SHARE > len(now) or any(before[i].id != now[i].id for i in changed):
        return None
    return changed


def newest_first_again(before: list[Motion], ordered: list[Motion], now: list[Motion]) -> list[Motion]:
    """``now`` newest first, given ``ordered``, ``before`` newest first. Where only a few motions are new objects,
    each in the place and with the sort key of the one it replaces (an edit of its status, its text, its items),
    each takes that one's place in the order, which a sort (stable) would give it too; else sorted anew."""
    changed = edited_places(before, now)
    if changed is None or any(newest_first_key(before[i]) != newest_first_key(now[i]) for i in changed):
        return newest_first(now)
    if not changed:
        return ordered
    again = ordered.copy()
    for i in changed:
        place = _place(ordered, before[i])
        if place is None:
            return newest_first(now)
        again[place] = now[i]
    return again


TIES = 64  # motions of one sort key looked past for one of them (an import's, added at one moment, undated)


def _place(ordered: list[Motion], motion: Motion) -> int | None:
    """Where ``motion`` lies in ``ordered``, newest first: by its key, halving the range (not by a look at every
    motion, whose objects lie all over memory: 4 to 8 ms at 50,000), then past those of the same key before it;
    None past TIES of them."""
    key = newest_first_key(motion)
    low, high = 0, len(ordered)
    while low < high:
        middle = (low + high) // 2
        if newest_first_key(ordered[middle]) > key:
            low = middle + 1
        else:
            high = middle
    return next((place for place in range(low, min(low + TIES, len(ordered))) if ordered[place] is motion), None)


def fmt_status(status: ItemStatus, lang: str) -> str:
    return f"{STATUS_SYMBOLS[status]} {label(status, lang)}"


def fmt_progress(motion: Motion | MotionSummary, lang: str) -> str:
    done, total = motion.progress()
    return translate("{done}/{total} done", lang, done=done, total=total)


def short_id(motion: Motion | MotionSummary) -> str:
    return motion.id[:8]


def describe(entry: HistoryEntry, motion: str, lang: str, *, with_motion: bool = True) -> str:
    """One history entry as a line: when, who, which motion, what changed old -> new."""

    def t(msgid: str, **params: object) -> str:
        return translate(msgid, lang, **params)

    parts = []
    for change in entry.changes:
        if change.path == "deleted":
            parts.append(t("deleted") if change.new else t("created"))
        elif change.field is None:
            parts.append(
                t("item {number} added", number=change.item)
                if change.new
                else t("item {number} removed", number=change.item)
            )
        else:
            item = change.item is not None
            where = f"{t('item {number}', number=change.item)} " if item and with_motion else ""
            reminded = change.field == "reminded"  # a reminder: the follow-up date it was sent for
            field = declared("due" if reminded else change.field, item=item)
            old, new = _value(field, change.old, lang), _value(field, change.new, lang)
            name = t("follow-up date reminded") if reminded else field_name(change.field, lang, item=item)
            parts.append(f"{where}{name}: {old} → {new}")
    # A change that came in by sync says so; its ``by`` is the colleague who made it on the server.
    action = {
        "undo": t("undo") + ": ",
        "import": t("import") + ": ",
        "redo": t("redo") + ": ",
        "sync": t("by sync") + ": ",
        "remind": t("reminder to {to}", to=entry.source) + ": ",
        "answer": t("answer of {department}", department=entry.source) + ": ",
    }.get(entry.action, "")
    head = f"{fmt_time(entry.at, lang)}  {entry.by}"
    if with_motion:
        head += f"  {motion}"
    return f"{head}  {action}{'; '.join(parts)}"


def _value(field: Field | None, value: object, lang: str) -> str:
    """One side of a history entry's change, as the document stored it, shortened to a line."""
    if value is None or value == "" or value == []:
        return NONE
    if field and _known(field, value):
        try:
            return field.show(field.check(value, field.name), lang)
        except BadInput:  # a damaged or foreign value (an old file, a newer peer): shown as written
            pass
    text = fmt_list(value) if isinstance(value, list) else str(value)
    return " ".join(text.split()) if len(text) <= 60 else " ".join(text.split())[:59] + "…"


def _known(field: Field, value: object) -> bool:
    """A date, a status or a yes/no a person reads differently from how it is stored (2020-07-28, in_progress, true)."""
    if field.kind is Kind.DATE:
        return isinstance(value, str)
    if field.kind is Kind.BOOL:
        return isinstance(value, bool)
    return field.statuses is not None and value in field.statuses._value2member_map_


def count(number: int, lang: str) -> str:
    """A count with thousands separators: 10.000 in German, 10,000 in English."""
    text = f"{number:,}"
    return text.replace(",", ".") if lang == "de" else text


def syncing(progress: SyncProgress | None, lang: str) -> str:
    """A running sync, with how far it has come once it tells: as the header and the command line say it."""
    said = translate("Syncing…", lang)
    if progress is None:
        return said
    read, sent = count(progress.read, lang), count(progress.sent, lang)
    if progress.of is None:
        return f"{said} {translate('{read} read, {sent} sent', lang, read=read, sent=sent)}"
    total = count(progress.of, lang)
    return f"{said} {translate('{read} of {total} read, {sent} sent', lang, read=read, total=total, sent=sent)}"


def conflict_place(path: str, lang: str) -> str:
    """Where a sync conflict is, in words: "motion: title", "item 3: note", "item 6 (whole item)"."""
    if not path.startswith("items."):
        return translate("motion: {field}", lang, field=field_name(path, lang))
    _, number, *rest = path.split(".", 2)
    if rest:
        return translate("item {number}: {field}", lang, number=number, field=field_name(rest[0], lang, item=True))
    return translate("item {number} (whole item)", lang, number=number)


def conflict_value(path: str, value: object, lang: str) -> str:
    """One side of the conflict at ``path`` as text: a status by its name, a whole item by number and title."""
    if value is None:
        return NONE
    if isinstance(value, dict) and "number" in value and "title" in value:  # a whole item, added on both sides
        parts = [f"{value['number']}. {value['title']}", _status(ITEM_FIELDS["status"], value.get("status"), lang)]
        parts += [
            f"{field_name(name, lang, item=True)}: {value[name]}"
            for name in ("department", "due", "note")
            if value.get(name)
        ]
        return " · ".join(parts)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    field = declared(path.rpartition(".")[2], item=path.startswith("items."))
    return _status(field, value, lang) if field and field.kind is Kind.STATUS else str(value)


def _status(field: Field, value: object, lang: str) -> str:
    """A status by its label; a value that is none of them (from a newer or damaged peer) as it came."""
    return field.show(field.check(value, field.name), lang) if _known(field, value) else str(value)


add_catalog(
    "de",
    {
        "by sync": "per Sync",
        "redo": "wiederhergestellt",
        "follow-up date reminded": "erinnert zur Wiedervorlage",
        "reminder to {to}": "Erinnerung an {to}",
        "answer of {department}": "Antwort von {department}",
    },
)
