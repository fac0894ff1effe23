"""Reading a motion letter (Antrag) as a council office receives it: plain text or Markdown.

The letter is read line by line after the conversion artefacts are cleaned away
(stray ``**``, no-break spaces, Windows line ends, Markdown marks). The requested
items are the first list after the request ("beantragt", "wird gebeten", "möge
beschließen", ...); the letterhead, the address, the "z. K." list, the date and
the signatures around it give the other fields. Whatever is not found stays empty
(or None): a letter is accepted as long as it requests something.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from store.errors import BadInput
from store.i18n import add_catalog


@dataclass(frozen=True)
class LetterFindings:
    """What a motion letter says, field by field (see :func:`parse_letter`); "" or None where it says nothing."""

    title: str  # the subject line, a heading, else from the request sentence or the first item; never empty
    submitted: date | None  # the letter's own date ("Heinsberg, den 28.07.2020")
    submitted_by: tuple[str, ...]  # the groups, named as in the letterhead: ("Fraktion der CDU", ...)
    addressed_to: str  # "Landrat des Kreises Heinsberg"
    copy_to: tuple[str, ...]  # the "z. K." list
    legal_basis: str  # "§ 5 GeschO"
    committee: str  # the first body named for the meeting: "Kreisausschuss"
    meeting: date | None  # the meeting's date, if the letter names one
    items: tuple[str, ...]  # the requested items, in order, cleaned
    text: str  # request and reasoning as plain text, the items numbered 1., 2., ...


# --- Cleaning ---------------------------------------------------------------------------

# Spaces that converters put where an ordinary one belongs: no-break, narrow, thin, ideographic.
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# Characters that carry nothing in a letter: soft hyphens, zero-width spaces and joiners, byte
# order marks, bidirectional controls (they can make text display as something else) and the
# remaining control characters. Tabs and line breaks are dealt with before.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069\x00-\x1f\x7f-\x9f]")
# Word's Symbol-font bullets, which PDF and Word exports keep as private-use characters.
_SYMBOL_BULLET = re.compile("[\uf0a7\uf0b7]")
# A horizontal rule (Markdown "---", "***") or a signature underline ("______").
_RULE = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")
# A Markdown heading: "# Antrag", "## Begründung ##".
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
# A line bold from end to end, used as a heading: "**Betreff: Schulbusverkehr**".
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)\S.*?(?:\*\*|__)[:.]?\s*$")
# Markdown backslash escapes, e.g. "1\." that a converter writes to keep a list from forming.
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
# Bold marks, also the unpaired ones conversion leaves at line ends ("Glasfasernetzes.**").
_BOLD_MARKS = re.compile(r"\*\*+|__+")
# Single emphasis marks at a word's edge ("*kursiv*"). A "*" before a blank is a bullet, and one
# inside a word is a gender star ("Bürger*innen"); both stay.
_EMPHASIS = re.compile(r"(?<![\w*])[*_](?=[^\s*_])|(?<=[^\s*_])[*_](?![\w*])")


@dataclass(frozen=True, slots=True)
class _Line:
    text: str  # cleaned, without its indentation; runs of blanks kept (they separate columns)
    indent: int
    heading: bool  # a Markdown heading or a line bold from end to end

    @property
    def words(self) -> str:
        return " ".join(self.text.split())


def _read(text: str, where: str) -> list[_Line]:
    if not isinstance(text, str) or "\x00" in text:
        raise BadInput("{where}: not plain text; save the letter as a text or Markdown file.", where=where)
    lines = [_clean(raw) for raw in text.splitlines()]  # splits \r\n, \r and form feeds too
    if not any(line.text for line in lines):
        raise BadInput("{where}: the letter is empty.", where=where)
    return lines


def _clean(raw: str) -> _Line:
    raw = _INVISIBLE.sub("", _ODD_SPACE.sub(" ", raw.expandtabs(4)))
    raw = _SYMBOL_BULLET.sub("•", raw)
    if _RULE.match(raw):
        return _Line("", 0, False)
    heading = _MD_HEADING.match(raw)
    is_heading = bool(heading or _BOLD_LINE.match(raw))
    if heading:
        raw = heading.group(1)
    raw = _EMPHASIS.sub("", _BOLD_MARKS.sub("", _MD_ESCAPE.sub(r"\1", raw))).rstrip()
    text = raw.lstrip()
    return _Line(text, len(raw) - len(text), is_heading and bool(text))


def _find(lines: Sequence[_Line], pattern: re.Pattern[str], start: int = 0, stop: int | None = None) -> int | None:
    """The index of the first line from ``start`` (up to ``stop``) that the pattern finds."""
    stop = len(lines) if stop is None else stop
    return next((index for index in range(start, stop) if pattern.search(lines[index].text)), None)


# --- The letter's parts -----------------------------------------------------------------

# Words that introduce what the letter asks for; the requested items are the list after them.
_REQUEST = re.compile(
    r"beantrag(?:t|en|e)\b"  # "Es wird Folgendes beantragt", "beantragen wir"
    r"|\b(?:gebeten|beauftragt|aufgefordert|ersucht)\b"  # "Die Verwaltung wird gebeten/beauftragt"
    r"|\b(?:informiert|berichtet|unterrichtet)\b.*\büber\b"  # "Die Verwaltung informiert ... über"
    r"|\bmöge\b.*\bbeschließen\b|\bbeschließt\s*:"  # "Der Rat möge beschließen:"
    r"|\bBeschluss(?:vorschlag|entwurf)\b"
    r"|\bfolgende[nrs]?\s+(?:Punkte|Fragen|Antrag|Anträge|Beschluss)\b"
    r"|\bbitten\b",  # "Wir bitten die Verwaltung, ..."
    re.IGNORECASE,
)
# The salutation, which ends the letterhead and opens the text.
_SALUTATION = re.compile(r"^(?:Sehr\s+geehrte|Liebe[rs]?\s|Guten\s+Tag\b|Hallo\b)", re.IGNORECASE)
# The closing, which ends the text: "Mit freundlichen Grüßen", "Mit solidarischen Grüßen", "Beste Grüße".
_CLOSING = re.compile(r"^(?:Mit\s+)?(?:\w+\s+){0,2}Grü(?:ßen?|ssen?)\b|^(?:MfG|Hochachtungsvoll|gez\.)", re.IGNORECASE)
# A section heading after the request; it ends the list of items even without a blank line.
_SECTION = re.compile(
    r"^(?:[IVX]+\.\s*|\d+\.\s*)?(?:Begründung|Begruendung|Erläuterung|Erlaeuterung|Sachverhalt|Hintergrund)\b",
    re.IGNORECASE,
)
# A signature line naming the group: "für die CDU-Fraktion", "Vorsitzender der SPD-Ratsfraktion".
_SIGNATURE = re.compile(r"^(?:für\s+die|(?:Fraktions)?vorsitzende[rn]?\s+der)\s+(?P<group>.+)$", re.IGNORECASE)
# A line of prose, as opposed to the short lines of a letterhead: eight words or more in one column.
_PROSE = re.compile(r"^(?:\S+\s+){7,}\S")


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the parts of the letter are, as line indices."""

    header: range  # letterhead, address, copy list, date, subject
    body: range  # from after the salutation to before the closing or signature
    items: range  # the lines of the requested list, inside the body
    after_items: range  # the rest of the letter, where the signatures are


def parse_letter(text: str, where: str = "letter") -> LetterFindings:
    """Read a motion letter; ``where`` (e.g. the file name) starts every error message.

    Raises :class:`BadInput` when the text is empty or not text, or requests no items.
    """
    lines = _read(text, where)
    requested = _requested_list(lines)
    if requested is None:
        raise BadInput(
            "{where}: no requested items found; number them 1., 2., ... or list them with - after the request.",
            where=where,
        )
    items, span = requested
    layout = _layout(lines, span)
    submitted = _submitted(lines)
    return LetterFindings(
        title=_title(lines, layout, items),
        submitted=submitted,
        submitted_by=_submitted_by(lines, layout),
        addressed_to=_addressed_to(lines, layout.header),
        copy_to=_copy_to(lines),
        legal_basis=_legal_basis(lines),
        committee=_committee(lines, layout),
        meeting=_meeting(lines, layout, submitted),
        items=items,
        text=_text(lines, layout, items),
    )


def _layout(lines: Sequence[_Line], items: range) -> _Layout:
    opening = _find(lines, _SALUTATION, stop=items.start)
    if opening is None:
        # No salutation: the letterhead ends where the prose or the request begins.
        header_end = min(
            index
            for index in (_find(lines, _REQUEST, stop=items.start), _first_prose(lines, items.start), items.start)
            if index is not None
        )
        body_start = header_end
    else:
        header_end, body_start = opening, opening + 1
    closing = _find(lines, _CLOSING, start=items.stop)
    signature = next((index for index in range(items.stop, len(lines)) if _signed_groups(lines[index])), None)
    body_end = min(index for index in (closing, signature, len(lines)) if index is not None)
    return _Layout(range(header_end), range(body_start, body_end), items, range(items.stop, len(lines)))


def _first_prose(lines: Sequence[_Line], stop: int) -> int | None:
    """The first line of prose before ``stop``; a long subject or copy list is not prose."""
    labelled = (_SUBJECT, _COPY_LABEL)
    return next(
        (
            index
            for index in range(stop)
            if _is_prose(lines[index]) and not any(label.match(lines[index].text) for label in labelled)
        ),
        None,
    )


def _is_prose(line: _Line) -> bool:
    # A sender line "CDU-Fraktion im Rat der Stadt Rurtal · Markt 1 · 41849 Rurtal" is no prose.
    return any(_PROSE.match(column) for column in _COLUMNS.split(line.text))


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


def _marker(line: _Line) -> _Marker | None:
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


# Where one sentence ends and the next begins.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")


def _requested_list(lines: Sequence[_Line]) -> tuple[tuple[str, ...], range] | None:
    """The requested items and the lines they take.

    That is the first list led by a request ("Der Rat möge beschließen:" right above it), else
    the first list after the first request; lists before it (reasoning, letterhead) are not.
    """
    anchor = _find(lines, _REQUEST)
    if anchor is None:
        return None
    lists = list(_lists(lines, anchor))
    led = (found for found in lists if _REQUEST.search(_lead(lines, found[1].start)))
    return next(led, lists[0] if lists else None)


def _lists(lines: Sequence[_Line], start: int) -> Iterator[tuple[tuple[str, ...], range]]:
    """The lists from ``start`` to the closing: their items and the lines they take."""
    index = start
    while index < len(lines) and not _CLOSING.search(lines[index].text):
        marker = _marker(lines[index])
        if marker and marker.ordinal <= 1:
            parts, end = _collect(lines, index, marker)
            items = tuple(item for item in (_item(part) for part in parts) if item)
            if items:
                yield items, range(index, end)
            index = end
        else:
            index += 1


def _lead(lines: Sequence[_Line], start: int, stop: int = 0) -> str:
    """The last sentence of the paragraph right above line ``start`` (not above ``stop``)."""
    paragraph: list[str] = []
    for index in reversed(range(stop, start)):
        if lines[index].text:
            paragraph.insert(0, lines[index].words)
        elif paragraph:
            break
    return _SENTENCE_END.split(" ".join(paragraph))[-1]


# One line of an item: its text, and whether it is a nested entry ("a) ..." under "1. ...").
_Part = tuple[str, bool]


def _collect(lines: Sequence[_Line], start: int, first: _Marker) -> tuple[list[list[_Part]], int]:
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
        elif line.heading or _SECTION.match(line.text) or _CLOSING.match(line.text) or _signed_groups(line):
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
_KEEPS_PERIOD = re.compile(
    r"(?:^|\s)(?:\S+\.\S*\.|[^\W\d_]\.|usw\.|etc\.|bzw\.|ggfs?\.|vgl\.|Nr\.|ca\.|Str\.|inkl\.|evtl\.|bspw\.)$"
)


def _item(parts: list[_Part]) -> str:
    text = ""
    for part, nested in parts:
        text = _join(text, " ".join(part.split()), nested)
    text = _TRAILING_PUNCT.sub("", _TRAILING_JOIN.sub("", text))
    if text.endswith(".") and not _KEEPS_PERIOD.search(text):
        text = text[:-1].rstrip()
    return text


def _join(text: str, part: str, nested: bool) -> str:
    """Join a wrapped line, or a nested entry, to the item's text so far."""
    if not text or not part:
        return text or part
    if not nested and _HYPHENATED.search(text) and not _CONJUNCTION.match(part):
        return text[:-1] + part if part[:1].islower() else text + part
    return f"{text} {part}"


# --- Dates ------------------------------------------------------------------------------

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
# The letter's own date, on a line of its own and usually after the place: "Heinsberg, den 28.07.2020".
_DATE_LINE = re.compile(r"^(?:Datum:\s*)?(?:[^\W\d_][\w .()/-]*,\s*)?(?:den\s+)?" + _DATE + r"\s*$")
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


def _submitted(lines: Sequence[_Line]) -> date | None:
    dates = (_date(match) for line in lines if (match := _DATE_LINE.match(line.words)))
    return next((day for day in dates if day), None)


def _meeting(lines: Sequence[_Line], layout: _Layout, submitted: date | None) -> date | None:
    """The first meeting date named up to the items; one before the letter's date is a past meeting."""
    for match in _MEETING.finditer(_words(lines, range(layout.items.stop))):
        day = _date(match)
        if day and (submitted is None or day >= submitted):
            return day
    return None


def _words(lines: Sequence[_Line], span: range) -> str:
    return " ".join(lines[index].words for index in span if lines[index].text)


# --- Who writes to whom -----------------------------------------------------------------

# A group as letterheads and signatures name it: "Fraktion der CDU", "CDU-Fraktion",
# "SPD-Ratsfraktion", "Fraktion Bündnis 90/Die Grünen", "Gruppe FW". Not "Fraktionsvorsitzender".
_GROUP = re.compile(r"^(?:[\w/.]+(?: [\w/.]+){0,3}-)?\w*(?:fraktion|Fraktion)\b|^Gruppe\b")
# Where a group sits, which its name does without: "CDU-Fraktion im Rat der Stadt Wegberg".
_GROUP_PLACE = re.compile(r"\s+(?:im|in\s+der|in\s+dem|in)\s+.*$")
# The word for the group itself, which says nothing about which group it is ("kreistagsfraktion").
_GROUP_WORD = re.compile(r"\w*fraktion\b|\bgruppe\b")
# A word of a party's name: "cdu", "bündnis", "90/die".
_WORD = re.compile(r"[\w/]+")
# Lowercase words a group's name may hold; any other lowercase word makes the line prose.
_NAME_FILLERS = frozenset({"der", "die", "des", "im", "in", "und", "von"})
# Columns of a two-column letterhead, or a sender line: "Fraktion der CDU     Fraktion der FDP".
_COLUMNS = re.compile(r"\s{3,}|\s+[·|]\s+")
# The address line: "An den", "An die Bürgermeisterin der Stadt Erkelenz".
_ADDRESS = re.compile(r"^An(?:\s+(?:den|die|das))?(?:\s+(?P<rest>.*))?$")
# A form of address before the addressee's office or name.
_HONORIFIC = re.compile(r"^(?:Herrn?|Frau)\b\s*")
# An addressee by office when there is no "An den" line: "Herrn Bürgermeister", "Frau Landrätin Dr. Lindner".
_OFFICE = re.compile(
    r"^(?:Herrn?|Frau)\s+(?P<office>(?:Ober|Bezirks)?[Bb]ürgermeister(?:in)?|Landrat|Landrätin)\b"
    r"(?P<of>\s+(?:der|des)\s+.+)?"
)
# The copy list's label: "z. K.:", "nachrichtlich:", "Kopie an:", "Verteiler:".
_COPY_LABEL = re.compile(
    r"^(?:z\.\s?K\.?\s*:?|(?:zur\s+Kenntnis(?:nahme)?|nachrichtlich|Kopie(?:\s+an)?|Verteiler|cc)\s*:)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Separators between the entries of a copy list written on one line.
_LIST_SEPARATOR = re.compile(r"\s*[,;]\s*|\s{3,}")
# A bullet before a copy list entry.
_BULLET = re.compile(r"^[-–•*·]\s+")


def _submitted_by(lines: Sequence[_Line], layout: _Layout) -> tuple[str, ...]:
    """The groups in the letterhead, then those that only sign; one name per group, the letterhead's."""
    skip = set(_block(lines, _ADDRESS, layout.header)) | set(_block(lines, _COPY_LABEL, range(len(lines))))
    letterhead = [
        column for index in layout.header if index not in skip for column in _COLUMNS.split(lines[index].text)
    ]
    signed = [group for index in layout.after_items for group in _signed_groups(lines[index])]
    groups: list[str] = []
    for name in [*(_group_name(text) for text in letterhead), *signed]:
        if name and not any(_same_group(name, known) for known in groups):
            groups.append(name)
    return tuple(groups)


def _signed_groups(line: _Line) -> list[str]:
    """The groups a signature line names ("für die CDU-Fraktion"), one per column; none for other lines."""
    matches = (_SIGNATURE.match(column) for column in _COLUMNS.split(line.text))
    return [name for match in matches if match and (name := _group_name(match["group"]))]


def _group_name(text: str) -> str:
    name = _GROUP_PLACE.sub("", " ".join(text.split()))
    words = name.split()
    is_name = 0 < len(words) <= 8 and all(word in _NAME_FILLERS or not word[0].islower() for word in words)
    return name if is_name and _GROUP.match(name) and _group_key(name) else ""


def _group_key(name: str) -> str:
    """The party in a group's name: "Fraktion der CDU" and "CDU-Fraktion" both give "cdu"."""
    words = _WORD.findall(_GROUP_WORD.sub(" ", name.casefold()))
    while words and words[0] in ("der", "die", "des", "von"):
        words.pop(0)
    return " ".join(words)


def _same_group(one: str, other: str) -> bool:
    # "SPD-Ratsfraktion Wegberg" signs as "SPD-Fraktion": one key may add the place to the other.
    a, b = _group_key(one), _group_key(other)
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def _block(lines: Sequence[_Line], label: re.Pattern[str], span: range) -> range:
    """The lines from the first in ``span`` matching ``label`` to a blank line or another part of the letter."""
    start = _find(lines, label, span.start, span.stop)
    if start is None:
        return range(0)
    end = next((index for index in range(start + 1, len(lines)) if _ends_block(lines[index])), len(lines))
    return range(start, end)


def _ends_block(line: _Line) -> bool:
    starts_part = (_ADDRESS, _COPY_LABEL, _SUBJECT, _SALUTATION, _CLOSING)
    return (
        not line.text
        or any(pattern.match(line.text) for pattern in starts_part)
        or bool(_DATE_LINE.match(line.words) or _is_prose(line))
    )


def _addressed_to(lines: Sequence[_Line], header: range) -> str:
    block = _block(lines, _ADDRESS, header)
    if not block:
        office = next((match for index in header if (match := _OFFICE.match(lines[index].words))), None)
        return office["office"] + (office["of"] or "") if office else ""
    first = _ADDRESS.match(lines[block.start].text)["rest"] or ""
    candidates = [first, *(lines[index].words for index in block[1:])]
    return next((office for office in (_HONORIFIC.sub("", text).strip() for text in candidates) if office), "")


def _copy_to(lines: Sequence[_Line]) -> tuple[str, ...]:
    block = _block(lines, _COPY_LABEL, range(len(lines)))
    if not block:
        return ()
    texts = [_COPY_LABEL.match(lines[block.start].text)["rest"], *(lines[index].text for index in block[1:])]
    entries = (_BULLET.sub("", entry).strip() for text in texts for entry in _LIST_SEPARATOR.split(text))
    return tuple(dict.fromkeys(" ".join(entry.split()) for entry in entries if entry))


# --- What the letter is about and where it goes -----------------------------------------------

# A paragraph of the rules of procedure or the municipal code: "§ 5 GeschO", "§ 24 Abs. 1 GO NRW",
# "§ 3 der Geschäftsordnung"; a second word only if it is an abbreviation such as "NRW".
_LEGAL = re.compile(
    r"§§?\s*\d+[a-z]?(?:\s*(?:,|und|Abs\.|Absatz|Satz|S\.|Nr\.)\s*\d+[a-z]?)*"
    r"\s+(?:der\s+|des\s+)?[A-ZÄÖÜ][\w.-]*(?:\s+[A-Z]{2,}\b)?"
)
# A paragraph sign and the blanks after it, to write "§5" and "§  5" as "§ 5".
_PARAGRAPH_SIGN = re.compile(r"(§+)\s*")
# The councils and committees a motion goes to, in the genitive ("des Kreisausschusses") or not;
# "Landrat" and "Referat" are no bodies. The remit follows "für": "Ausschuss für Umwelt, Klima und Mobilität".
_BODY = (
    r"(?P<body>(?:[A-ZÄÖÜ]\w*-\s+und\s+)?"
    r"(?:[A-ZÄÖÜ]\w*ausschuss|Ausschuss|Kreistag|Rat|Stadtrat|Gemeinderat|Ortschaftsrat|Integrationsrat"
    r"|[A-ZÄÖÜ]\w*beirat|Beirat|Stadtverordnetenversammlung|Gemeindevertretung"
    r"|Bezirksvertretung(?:\s+[A-ZÄÖÜ][\w-]*)?))"  # with the district: "Bezirksvertretung Nord"
    r"(?:es|s)?\b"
    r"(?P<remit>\s+für\s+[A-ZÄÖÜ][\w-]*(?:(?:,\s*|\s+und\s+)[A-ZÄÖÜ][\w-]*)*)?"
)
# The body whose meeting is asked for: "in der nächsten Sitzung des Kreisausschusses/Kreistages".
_SESSION_OF = re.compile(r"\bSitzung(?:en)?\s+(?:des|der)\s+" + _BODY)
# The same as one word: "in der nächsten Ratssitzung", "Kreistagssitzung".
_SESSION_WORD = re.compile(r"\b(?P<body>Rat|Kreistag|Stadtrat|Gemeinderat|[A-ZÄÖÜ]\w*ausschuss)s?sitzung")
# A body named in the request: "informiert den Kreisausschuss", "Der Rat möge beschließen".
_BODY_NAMED = re.compile(r"(?i:\b(?:im|in\s+den|in\s+dem|dem|den|des|der|an\s+den|vom))\s+" + _BODY)


def _legal_basis(lines: Sequence[_Line]) -> str:
    match = _LEGAL.search(_words(lines, range(len(lines))))
    return _PARAGRAPH_SIGN.sub(r"\1 ", match.group()) if match else ""


def _committee(lines: Sequence[_Line], layout: _Layout) -> str:
    """The first body whose meeting the letter names, else the first the request names."""
    sessions = _words(lines, range(layout.items.stop))
    found = [match for pattern in (_SESSION_OF, _SESSION_WORD) if (match := pattern.search(sessions))]
    if not found:
        request = _words(lines, range(layout.body.start, layout.items.stop))
        found = [match for match in [_BODY_NAMED.search(request)] if match]
    if not found:
        return ""
    first = min(found, key=lambda match: match.start())
    remit = first.groupdict().get("remit") or ""
    return first["body"] + remit


# --- Title and text ----------------------------------------------------------------------

# The subject line: "Betreff: ...", "Antrag: ...", "Antrag der SPD-Fraktion: ...". Not
# "Antrag gemäß § 5 GeschO zur Beratung ...", which says how, not what.
_SUBJECT = re.compile(r"^(?:(?:Betreff|Antrag|Anfrage|Thema|Gegenstand)\b|Betr\.)[^:]{0,60}:\s*(?P<subject>.*)$")
# The longest title kept whole; a longer one (a first item used as the title, say) is cut at a word.
_TITLE_LENGTH = 160
# Headings that name no subject: sections, the procedure, the sender, the salutation.
_GENERIC_HEADING = re.compile(
    r"§|fraktion\b|^(?:Antrag|Anfrage|Begründung|Beschlussvorschlag|Sachverhalt)\W*$|^Sehr\s+geehrte", re.IGNORECASE
)
# What a report request is about: "informiert ... über den aktuellen Stand folgender Projekte".
_ABOUT = re.compile(r"\büber\s+(?P<phrase>(?!folgende)\S.*)$")
# What a list request names: "folgende Maßnahmen zur Verkehrsberuhigung in der Südstraße umzusetzen",
# up to the verb; capitalised words with the articles and prepositions between them.
_FOLLOWING = re.compile(
    r"\b[Ff]olgende[nrs]?\s+(?P<phrase>[A-ZÄÖÜ][\w-]*"
    r"(?:\s+(?:(?:zur|zum|zu|im|in|für|von|vom|am|an|auf|bei|mit|und|der|des|die|den|dem)\s+)*[A-ZÄÖÜ0-9][\w./-]*)*)"
)
# Nouns that only say that a list follows: "folgende Punkte", "folgende Fragen".
_GENERIC_NOUN = re.compile(r"^(?:Punkte|Fragen|Antrag|Anträge|Beschluss|Beschlüsse)\b")
# An article with its adjectives, as after "über": "den aktuellen", "die bisherigen", "das neue".
_ARTICLE = re.compile(r"^(?P<article>den|die|das)\s+(?P<adjectives>(?:[a-zäöüß]+\s+)*)(?=[A-ZÄÖÜ])")
# Without the article the adjectives take the strong ending: "den aktuellen Stand" -> "aktueller Stand",
# "die bisherigen Ergebnisse" -> "bisherige Ergebnisse", "das neue Konzept" -> "neues Konzept".
_STRONG_ENDING = {"den": ("en", "er"), "die": ("en", "e"), "das": ("e", "es")}


def _title(lines: Sequence[_Line], layout: _Layout, items: tuple[str, ...]) -> str:
    title = _subject(lines, layout.header) or _heading(lines, layout.header) or _from_request(lines, layout) or items[0]
    if len(title) > _TITLE_LENGTH:
        title = title[: _TITLE_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–") + "…"
    return title[:1].upper() + title[1:]


def _subject(lines: Sequence[_Line], header: range) -> str:
    for index in header:
        match = _SUBJECT.match(lines[index].text)
        if match:
            # "Betreff:" alone has the subject on the next line.
            following = next((lines[i].words for i in range(index + 1, header.stop) if lines[i].text), "")
            return " ".join(match["subject"].split()) or following
    return ""


def _heading(lines: Sequence[_Line], header: range) -> str:
    headings = (lines[index] for index in header if lines[index].heading)
    return next((line.words for line in headings if not _GENERIC_HEADING.search(line.text)), "")


def _from_request(lines: Sequence[_Line], layout: _Layout) -> str:
    """A title from the sentence that leads to the items, e.g. "Aktueller Stand folgender Projekte"."""
    sentence = _lead(lines, layout.items.start, layout.body.start).rstrip(" .:")
    about, following = _ABOUT.search(sentence), _FOLLOWING.search(sentence)
    if about:
        phrase = _nominative(_without_verb(about["phrase"]))
    elif following and not _GENERIC_NOUN.match(following["phrase"]):
        phrase = following["phrase"]
    else:
        return ""
    return phrase


def _without_verb(phrase: str) -> str:
    """The phrase without the verb and particles that end a request sentence: "... zu berichten"."""
    words = phrase.split()
    while words and words[-1][:1].islower():
        words.pop()
    return " ".join(words)


def _nominative(phrase: str) -> str:
    """The phrase without its article, the adjectives declined to match."""
    match = _ARTICLE.match(phrase)
    if not match:
        return phrase
    old, new = _STRONG_ENDING[match["article"]]
    adjectives = [word[: -len(old)] + new if word.endswith(old) else word for word in match["adjectives"].split()]
    return " ".join([*adjectives, phrase[match.end() :]])


# More than one blank line in a row.
_BLANK_LINES = re.compile(r"\n{3,}")


def _text(lines: Sequence[_Line], layout: _Layout, items: tuple[str, ...]) -> str:
    """The body as plain text: request and reasoning, the items numbered as they are stored."""
    out: list[str] = []
    for index in layout.body:
        if index == layout.items.start:
            out.extend(f"{number}. {item}" for number, item in enumerate(items, start=1))
        elif index not in layout.items:
            out.append(lines[index].words)
    return _BLANK_LINES.sub("\n\n", "\n".join(out)).strip()


add_catalog(
    "de",
    {
        "{where}: not plain text; save the letter as a text or Markdown file.": "{where}: kein reiner Text; bitte den Antrag als Text- oder Markdown-Datei speichern.",
        "{where}: the letter is empty.": "{where}: der Antrag ist leer.",
        "{where}: no requested items found; number them 1., 2., ... or list them with - after the request.": "{where}: keine beantragten Punkte gefunden; bitte nach dem Antragstext mit 1., 2., ... "
        "nummerieren oder mit - auflisten.",
    },
)
