"""The letter's dates: its own (or its arrival), and the meeting it asks for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from store.exchange.letter.lines import Layout, Line, span_words

_MONTHS = (
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
)
_OTHER_MONTH_SPELLINGS = {"jänner": 1, "feber": 2, "maerz": 3}
# A date as letters write it: "28.07.2020", "12.1.2022", "28.07.20", "12. Januar 2022", "3. Mär. 2021",
# "2022-01-12". Used inside the patterns below, each group name once.
_DATE = (
    r"(?:(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4}|\d{2})(?!\d)"
    r"|(?P<w_day>\d{1,2})\.\s*(?P<w_month>[^\W\d_]{3,9})\.?\s+(?P<w_year>\d{4})"
    r"|(?P<i_year>\d{4})-(?P<i_month>\d{2})-(?P<i_day>\d{2}))"
)
# The letter's own date on a line of its own, after the place or a word that says so:
# "Heinsberg, den 28.07.2020", "Datum: 12.01.2022", "vom 13. September 2013".
_OWN_DATE = re.compile(
    r"^(?:Datum\s*:?\s*)?(?:(?P<place>[^\W\d_][\w .()/-]*),\s*)?(?P<word>(?:den|vom)\s*:?\s+)?(?:\w+,\s*)?"
    + _DATE
    + r"\s*$"
)
# The day the letter arrived, which stands for its date when it names none: "Eingang: 19.09.2023".
_ARRIVAL = re.compile(r"\b(?:Eingang|Eingegangen|Posteingang)\b\D{0,20}?" + _DATE, re.IGNORECASE)
# The head of a consultation table, whose dates are meetings: "Gremium", "Termin:", "TOP", "Sitzung".
_TABLE = re.compile(r"\b(?:Gremium|Termin|TOP|[Ss]itzung|Beratungsfolge)\b")
# How many lines above a bare date a table's head may stand.
_TABLE_REACH = 8
# A meeting with its date: "in der Sitzung des Rates am 14.03.2022", "zur Ratssitzung am Montag, 14. März 2022".
_MEETING = re.compile(
    r"(?i:sitzung)[^.;:\n]{0,150}?\bam\s+"
    r"(?:(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag),?\s+)?(?:(?:dem|den)\s+)?" + _DATE
)


def _date(match: re.Match[str]) -> date | None:
    """The date a match of ``_DATE`` names, or None if there is no such day."""
    if match["i_year"]:
        day, month, year = int(match["i_day"]), int(match["i_month"]), int(match["i_year"])
    elif match["w_year"]:
        day, month, year = int(match["w_day"]), _month(match["w_month"]), int(match["w_year"])
    else:
        day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
        year += 2000 if year < 100 else 0
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(word: str) -> int:
    word = word.casefold()
    if word in _OTHER_MONTH_SPELLINGS:
        return _OTHER_MONTH_SPELLINGS[word]
    # "Januar", "Jan", "Sept": a month's name or its beginning; 0 (no date) for other words.
    return next((number for number, name in enumerate(_MONTHS, start=1) if name.startswith(word)), 0)


def is_date_line(line: Line) -> bool:
    return bool(_OWN_DATE.match(line.words))


def submitted_on(lines: Sequence[Line]) -> date | None:
    """The letter's own date: one said to be its own ("Ort, den ...", "vom ..."), else its arrival,
    else a date on a line of its own outside a consultation table (whose dates are meetings)."""
    said, bare, arrived = [], [], []
    for index, line in enumerate(lines):
        if match := _OWN_DATE.match(line.words):
            if match["place"] or match["word"] or line.words.startswith("Datum"):
                said.append(_date(match))
            elif not any(_TABLE.search(lines[above].text) for above in range(max(0, index - _TABLE_REACH), index)):
                bare.append(_date(match))
        elif match := _ARRIVAL.search(line.words):
            arrived.append(_date(match))
    return next((day for day in [*said, *arrived, *bare] if day), None)


def meeting_on(lines: Sequence[Line], layout: Layout, submitted: date | None) -> date | None:
    """The first meeting date named up to the items; one before the letter's date is a past meeting."""
    for match in _MEETING.finditer(span_words(lines, range(layout.items.stop))):
        day = _date(match)
        if day and (submitted is None or day >= submitted):
            return day
    return None
