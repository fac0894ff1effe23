"""A motion letter as lines: the conversion artefacts cleaned away, and the patterns that tell its parts apart."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from store.errors import BadInput
from store.i18n import add_catalog

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
# A Markdown heading's marks: "# Antrag", "## Begründung ##"; the rest is taken apart by _md_heading.
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}(?=\s)")
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
class Line:
    text: str  # cleaned, without its indentation; runs of blanks kept (they separate columns)
    indent: int
    heading: bool  # a Markdown heading or a line bold from end to end

    @property
    def words(self) -> str:
        return " ".join(self.text.split())


def read_lines(text: str, where: str) -> list[Line]:
    if not isinstance(text, str) or "\x00" in text:
        raise BadInput("{where}: not plain text; save the letter as a text or Markdown file.", where=where)
    lines = [_clean(raw) for raw in text.splitlines()]  # splits \r\n, \r and form feeds too
    if not any(line.text for line in lines):
        raise BadInput("{where}: the letter is empty.", where=where)
    return lines


def _clean(raw: str) -> Line:
    raw = _INVISIBLE.sub("", _ODD_SPACE.sub(" ", raw.expandtabs(4)))
    raw = _SYMBOL_BULLET.sub("•", raw)
    if _RULE.match(raw):
        return Line("", 0, False)
    heading = _md_heading(raw)
    is_heading = heading is not None or bool(_BOLD_LINE.match(raw))
    if heading is not None:
        raw = heading
    raw = _EMPHASIS.sub("", _BOLD_MARKS.sub("", _MD_ESCAPE.sub(r"\1", raw))).rstrip()
    text = raw.lstrip()
    return Line(text, len(raw) - len(text), is_heading and bool(text))


def _md_heading(raw: str) -> str | None:
    """A Markdown heading's text without its marks, or None for another line. Taken apart here
    rather than by one pattern, which backtracked quadratically over a long run of blanks."""
    marks = _MD_HEADING.match(raw)
    if not marks:
        return None
    text = raw[marks.end() :].strip()
    unclosed = text.rstrip("#")
    # Closing marks count only after a blank: "## Begründung ##", not "# C#".
    return unclosed.rstrip() if unclosed != text and unclosed[-1:].isspace() else text


def find(lines: Sequence[Line], pattern: re.Pattern[str], start: int = 0, stop: int | None = None) -> int | None:
    """The index of the first line from ``start`` (up to ``stop``) that the pattern finds."""
    stop = len(lines) if stop is None else stop
    return next((index for index in range(start, stop) if pattern.search(lines[index].text)), None)


# --- The letter's parts -----------------------------------------------------------------

# Words that introduce what the letter asks for; the requested items are the list after them.
REQUEST = re.compile(
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
SALUTATION = re.compile(r"^(?:Sehr\s+geehrte|Liebe[rs]?\s|Guten\s+Tag\b|Hallo\b)", re.IGNORECASE)
# The closing, which ends the text: "Mit freundlichen Grüßen", "Mit solidarischen Grüßen", "Beste Grüße".
CLOSING = re.compile(
    r"^(?:Mit\s+)?(?:\w+\s+){0,2}Grü(?:ßen?|ssen?)\b|^(?:MfG|Hochachtungsvoll|gez\.|unterzeichnet\s+von\b)",
    re.IGNORECASE,
)
# A section heading after the request; it ends the list of items even without a blank line.
SECTION = re.compile(
    r"^(?:[IVX]+\.\s*|\d+\.\s*)?(?:Begründung|Begruendung|Erläuterung|Erlaeuterung|Sachverhalt|Hintergrund)\b",
    re.IGNORECASE,
)
# A line of prose, as opposed to the short lines of a letterhead: eight words or more in one column.
_PROSE = re.compile(r"^(?:\S+\s+){7,}\S")


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the parts of the letter are, as line indices."""

    header: range  # letterhead, address, copy list, date, subject
    body: range  # from after the salutation to before the closing or signature
    items: range  # the lines of the requested list, inside the body
    after_items: range  # the rest of the letter, where the signatures are


# Columns of a two-column letterhead, or a sender line: "Fraktion der CDU     Fraktion der FDP".
COLUMNS = re.compile(r"\s{3,}|(?<!\s)\s+[·|]\s+")  # (?<!\s): tried once per run of blanks, not at each blank
# The address line: "An den", "An die Bürgermeisterin der Stadt Erkelenz".


def is_prose(line: Line) -> bool:
    # A sender line "CDU-Fraktion im Rat der Stadt Rurtal · Markt 1 · 41849 Rurtal" is no prose.
    return any(_PROSE.match(column) for column in COLUMNS.split(line.text))


# Where one sentence ends and the next begins.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")


def lead(lines: Sequence[Line], start: int, stop: int = 0) -> str:
    """The last sentence of the paragraph right above line ``start`` (not above ``stop``)."""
    paragraph: list[str] = []
    for index in reversed(range(stop, start)):
        if lines[index].text:
            paragraph.insert(0, lines[index].words)
        elif paragraph:
            break
    return _SENTENCE_END.split(" ".join(paragraph))[-1]


def span_words(lines: Sequence[Line], span: range) -> str:
    return " ".join(lines[index].words for index in span if lines[index].text)


add_catalog(
    "de",
    {
        "{where}: not plain text; save the letter as a text or Markdown file.": "{where}: kein reiner Text; bitte den Antrag als Text- oder Markdown-Datei speichern.",
        "{where}: the letter is empty.": "{where}: der Antrag ist leer.",
    },
)
