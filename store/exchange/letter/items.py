"""The lists of a letter, each item's wrapped lines joined: the requested items are one of them (see request.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from store.exchange.letter.fields import signed_groups
from store.exchange.letter.lines import CLOSING, SECTION, Line

# --- Items ------------------------------------------------------------------------------

# A list marker: a bullet, an enumerator, or both ("- 1. Einrichtung ...", the example's style).
# The enumerator is a number or a single letter before "." or ")" ("1.", "a)", "(1)"), and a
# blank or the line's end must follow, so "28.07.2020", "52525 Heinsberg" and "§ 5" are no markers.
_MARKER = re.compile(
    r"^(?P<bullet>[-–—•*·▪◦●](?=\s|$))?\s*"
    r"(?P<enum>\(?(?P<value>\d{1,2}|[a-zA-Z])[.)](?=\s|$))?"
    r"\s*(?P<rest>.*)$"
)


@dataclass(frozen=True, slots=True)
class _Marker:
    style: str  # the marker with its number or letter generalised: "-", "1.", "- 1.", "a)", "(1)"
    ordinal: int  # 1 for "1." or "a)", 2 for "2." or "b)"; 0 for a bare bullet
    enumerator: str  # as written: "2.", "b)", "(1)"; "" for a bare bullet
    rest: str


def _marker(line: Line) -> _Marker | None:
    match = _MARKER.match(line.text)
    if not match or not (match["bullet"] or match["enum"]):
        return None
    enum, value = match["enum"] or "", match["value"] or ""
    if value.isdigit():
        kind, ordinal = "1", int(value)
    elif value:
        kind, ordinal = ("a" if value.islower() else "A"), ord(value.lower()) - ord("a") + 1
    else:
        kind, ordinal = "", 0
    style = f"{match['bullet'] or ''} {enum.replace(value, kind)}".strip()
    return _Marker(style, ordinal, enum, match["rest"])


def starts_item(line: Line) -> bool:
    return _marker(line) is not None


def item_rest(line: Line) -> str | None:
    """The text after a list marker ("1. prüft ..." gives "prüft ..."), None for a line without one."""
    marker = _marker(line)
    return marker.rest if marker else None


def lists(lines: Sequence[Line], start: int) -> Iterator[tuple[tuple[str, ...], range]]:
    """The lists from ``start`` to the closing: their items and the lines they take."""
    index = start
    while index < len(lines) and not CLOSING.search(lines[index].text):
        marker = _marker(lines[index])
        if marker and marker.ordinal <= 1:
            parts, end = _collect(lines, index, marker)
            items = tuple(item for item in (_item(part) for part in parts) if item)
            if items:
                yield items, range(index, end)
            index = end
        else:
            index += 1


# One line of an item: its text, and whether it is a nested entry ("a) ..." under "1. ...").
_Part = tuple[str, bool]


def _collect(lines: Sequence[Line], start: int, first: _Marker) -> tuple[list[list[_Part]], int]:
    """The lines of each item from ``start`` on, and the index after the list's last line.

    A line belongs to the item above unless it starts the next item (same marker style, next
    number, not indented deeper); after a blank line only an indented line still does.
    """
    indent = lines[start].indent
    parts: list[list[_Part]] = [[(first.rest, False)]]
    previous, end, blank = first, start + 1, False
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if not line.text:
            blank = True
            continue
        marker = _marker(line)
        if marker and _next_item(previous, marker) and line.indent <= indent + 1:
            parts.append([(marker.rest, False)])
            previous = marker
        elif line.heading or SECTION.match(line.text) or CLOSING.match(line.text) or signed_groups(line):
            break
        elif not blank or line.indent > indent:
            # A nested entry keeps its marker: "... mit a) den Maßnahmen, b) den Mitteln".
            parts[-1].append((f"{marker.enumerator or '–'} {marker.rest}", True) if marker else (line.text, False))
        else:
            break
        end, blank = index + 1, False
    return parts, end


def _next_item(previous: _Marker, marker: _Marker) -> bool:
    # "1. 1. 1." counts too: Markdown leaves the numbering to the renderer.
    return marker.style == previous.style and (
        marker.ordinal == 0 or marker.ordinal in (previous.ordinal, previous.ordinal + 1)
    )


# A word broken at the line's end by a hyphen: "Digitalisierungs-" + "maßnahmen".
_HYPHENATED = re.compile(r"[^\W\d_]-$")
# Words after a hyphen that show it belongs to a shortened compound: "Bus- und Bahnverkehr".
_CONJUNCTION = re.compile(r"^(?:und|oder|sowie|bzw\.|bis)\b")
# A word that ends the next-to-last entry of a list in running text: "..., und" or "... sowie".
_TRAILING_JOIN = re.compile(r"[,;]?\s+(?:und|sowie|oder|bzw\.)$")
# The punctuation that ends an item in running text: "1. ...;", "2. ...,".
_TRAILING_PUNCT = re.compile(r"\s*[,;:]$")
# A final word that keeps its period: dates, abbreviations, initials ("bis 30.06.", "usw.", "z. B.").
# Matched against the last word alone: searched in the whole text, it backtracked quadratically.
_KEEPS_PERIOD = re.compile(
    r"(?:\S+\.\S*\.|[^\W\d_]\.|usw\.|etc\.|bzw\.|ggfs?\.|vgl\.|Nr\.|ca\.|Str\.|inkl\.|evtl\.|bspw\.)"
)


def joined(texts: Sequence[str]) -> str:
    """Wrapped lines as one text, the words broken by a hyphen at a line's end made whole."""
    return _item([(text, False) for text in texts])


def _item(parts: list[_Part]) -> str:
    # The pieces are joined once at the end: joining them one by one (and looking for the
    # hyphen at the end of the whole text each time) made a long item quadratic.
    pieces: list[str] = []
    for part, nested in parts:
        _join(pieces, " ".join(part.split()), nested)
    text = _TRAILING_PUNCT.sub("", _TRAILING_JOIN.sub("", "".join(pieces)))
    if text.endswith(".") and not _KEEPS_PERIOD.fullmatch(text.rpartition(" ")[2]):
        text = text[:-1].rstrip()
    return text


def _join(pieces: list[str], part: str, nested: bool) -> None:
    """Add a wrapped line, or a nested entry, to the item's pieces so far."""
    if not part:
        return
    if not pieces:
        pieces.append(part)
    elif not nested and _HYPHENATED.search(pieces[-1]) and not _CONJUNCTION.match(part):
        if part[:1].islower():
            pieces[-1] = pieces[-1][:-1]
        pieces.append(part)
    else:
        pieces.append(" " + part)
