"""OParl's JSON values as plain data: one-line texts, URLs, names, days and moments.

Every reader of a value goes through these, so that each quirk of how servers send values
(missing, "N/A", a single value for an array, control characters) is handled once.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

# Runs of white space and control characters (including bidi overrides) in a one-line value.
_BLANKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")


def kind_of(value: Any) -> str:
    """The object's type without its version: "Body" for https://schema.oparl.org/1.1/Body."""
    kind = value.get("type") if isinstance(value, dict) else None
    return kind.rsplit("/", 1)[-1] if isinstance(kind, str) else ""


def text_of(value: Any) -> str:
    """A one-line text; blanks and control characters made single blanks."""
    text = _BLANKS.sub(" ", value).strip() if isinstance(value, str) else ""
    # Quirk: "N/A" and "" where a value is missing.
    return "" if text.upper() == "N/A" else text


def url_of(value: Any) -> str | None:
    return text_of(value) or None


def urls_of(value: Any) -> list[str]:
    # Quirk: a single value where the specification has an array (seen for auxiliaryFile, too).
    values = value if isinstance(value, list) else [value]
    return [url for url in map(url_of, values) if url]


def objects_of(value: Any) -> list[dict[str, Any]]:
    values = value if isinstance(value, list) else [value]
    return [each for each in values if isinstance(each, dict)]


def name_of(value: dict[str, Any] | None) -> str:
    if not value:
        return ""
    person = " ".join(filter(None, (text_of(value.get("givenName")), text_of(value.get("familyName")))))
    return text_of(value.get("name")) or text_of(value.get("shortName")) or person


def day_of(value: Any) -> date | None:
    text = text_of(value)
    try:
        # [:10]: a date-time where a date belongs counts by its own calendar day.
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def moment_of(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text_of(value))
    except ValueError:
        return None
    return _utc(moment)


def _utc(moment: datetime) -> datetime:
    # OParl times carry their zone; one without is taken as UTC rather than as this machine's zone.
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso_of(moment: datetime) -> str:
    return _utc(moment).isoformat(timespec="seconds")


def shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
