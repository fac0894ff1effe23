"""How values look to a person: dates, times, statuses, lists (shared by the CLI and the dashboard)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from store import ItemStatus, Motion, label, translate

NONE = "–"

# A status is never shown by colour alone: each has a symbol that reads without colour.
STATUS_SYMBOLS = {
    ItemStatus.OPEN: "○",
    ItemStatus.IN_PROGRESS: "◐",
    ItemStatus.REPORTED: "◑",
    ItemStatus.DONE: "●",
    ItemStatus.DEFERRED: "◌",
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


def fmt_status(status: ItemStatus, lang: str) -> str:
    return f"{STATUS_SYMBOLS[status]} {label(status, lang)}"


def fmt_progress(motion: Motion, lang: str) -> str:
    done, total = motion.progress()
    return translate("{done}/{total} done", lang, done=done, total=total)


def short_id(motion: Motion) -> str:
    return motion.id[:8]
