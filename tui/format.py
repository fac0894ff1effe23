"""How values look to a person: dates, times, statuses, lists (shared by the CLI and the dashboard)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime

from store import HistoryEntry, ItemStatus, Motion, MotionStatus, label, parse_date, translate

NONE = "–"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

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
    if value is None:
        return NONE
    return value.strftime("%d.%m.%Y") if lang == "de" else value.isoformat()


def fmt_time(value: datetime | None, lang: str) -> str:
    if value is None:
        return NONE
    local = value.astimezone()
    return local.strftime("%d.%m.%Y %H:%M") if lang == "de" else local.strftime("%Y-%m-%d %H:%M")


def fmt_list(values: Iterable[str]) -> str:
    return ", ".join(values) or NONE


_GROUP_WORDS = re.compile(r"^(?:Fraktion|Gruppe)\s+(?:der\s+|die\s+|des\s+)?|[-\s](?:Fraktion|Gruppe)$")


def fmt_groups(groups: Iterable[str]) -> str:
    """Groups by their short names ("Fraktion der CDU" -> "CDU"), for narrow columns."""
    return ", ".join(_GROUP_WORDS.sub("", group).strip() or group for group in groups) or NONE


def short_department(name: str) -> str:
    """ "Amt 10 – Zentrale Dienste" -> "Amt 10", for narrow columns; the detail pane shows it whole."""
    return re.split(r"\s[–-]\s", name, maxsplit=1)[0] or NONE


def newest_first(motions: Iterable[Motion]) -> list[Motion]:
    """Newest submitted first; motions without a date by when they were added."""

    def key(motion: Motion) -> tuple[date, datetime]:
        added = motion.created or _EPOCH
        return motion.submitted or added.date(), added

    return sorted(motions, key=key, reverse=True)


def fmt_status(status: ItemStatus, lang: str) -> str:
    return f"{STATUS_SYMBOLS[status]} {label(status, lang)}"


def fmt_progress(motion: Motion, lang: str) -> str:
    done, total = motion.progress()
    return translate("{done}/{total} done", lang, done=done, total=total)


def short_id(motion: Motion) -> str:
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
            where = f"{t('item {number}', number=change.item)} " if change.item and with_motion else ""
            parts.append(
                f"{where}{t(change.field)}: {_value(change.field, change.old, lang)} → {_value(change.field, change.new, lang)}"
            )
    action = {"undo": t("undo") + ": ", "import": t("import") + ": "}.get(entry.action, "")
    head = f"{fmt_time(entry.at, lang)}  {entry.by}"
    if with_motion:
        head += f"  {motion}"
    return f"{head}  {action}{'; '.join(parts)}"


def _value(field: str | None, value: object, lang: str) -> str:
    if value is None or value == "" or value == []:
        return NONE
    if field == "status" and isinstance(value, str):
        for enum in (ItemStatus, MotionStatus):
            if value in enum._value2member_map_:
                return label(enum(value), lang)
    if field in ("due", "submitted", "meeting") and isinstance(value, str):
        return fmt_date(parse_date(value, field), lang)
    text = fmt_list(value) if isinstance(value, list) else str(value)
    return " ".join(text.split()) if len(text) <= 60 else " ".join(text.split())[:59] + "…"


def count(number: int, lang: str) -> str:
    """A count with thousands separators: 10.000 in German, 10,000 in English."""
    text = f"{number:,}"
    return text.replace(",", ".") if lang == "de" else text


def conflict_place(path: str, lang: str) -> str:
    """Where a sync conflict is, in words: "motion: title", "item 3: note", "item 6 (whole item)"."""
    if not path.startswith("items."):
        return translate("motion: {field}", lang, field=translate(path, lang))
    _, number, *rest = path.split(".", 2)
    if rest:
        return translate("item {number}: {field}", lang, number=number, field=translate(rest[0], lang))
    return translate("item {number} (whole item)", lang, number=number)


def conflict_value(path: str, value: object, lang: str) -> str:
    """One side of the conflict at ``path`` as text: a status by its name, a whole item by number and title."""
    if value is None:
        return NONE
    if isinstance(value, dict) and "number" in value and "title" in value:  # a whole item, added on both sides
        status = value.get("status")
        parts = [
            f"{value['number']}. {value['title']}",
            label(ItemStatus(status), lang)
            if isinstance(status, str) and status in ItemStatus._value2member_map_
            else str(status),
        ]
        parts += [
            f"{translate(name, lang)}: {value[name]}" for name in ("department", "due", "note") if value.get(name)
        ]
        return " · ".join(parts)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    kind = ItemStatus if path.startswith("items.") else MotionStatus
    if path.endswith("status") and isinstance(value, str) and value in kind._value2member_map_:
        return label(kind(value), lang)
    return str(value)
