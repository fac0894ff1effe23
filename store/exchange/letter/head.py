"""Where the letterhead ends and the request begins, and the subject line in between.

Many council letters have no salutation and no "Betreff:": a form with the sender, the paper's
number, a consultation table ("Gremium Termin TOP") and then the subject, or a letter whose bold
subject line lost its bold when the PDF became text. There the subject is the last block of
text above the first paragraph that reads as sentences, once the lines of the form are set aside.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from store.exchange.letter.items import item_rest, starts_item
from store.exchange.letter.lines import REQUEST, SALUTATION, Line, find

# --- Lines of a form or a letterhead, which are neither subject nor request -----------------------

_FORM_LINE = re.compile(
    "|".join(
        (
            # The paper's kind alone: "ANTRAG", "Interfraktioneller Antrag", "Anfrage", "Ergänzungsantrag".
            r"^(?:\S+\s+){0,2}\S*(?:antrag|anfrage|vorlage)\W*$",
            # A label with a number or nothing: "Gremium:", "Vorlage Nr.: 2016/0145", "TOP: 8" (not a subject
            # such as "Franz-Rohde-Haus: Gebäudetausch").
            r"^(?-i:[A-ZÄÖÜ])[\w .()/-]{0,30}:\s*(?:\d\S*\s*)?$",
            # A table's cross or tick, a stray letter: "x".
            r"^\S{1,2}$",
            # Numbers and references only: "8", "14.1", "2013/0007", "- 2 -", "Seite 2 von 3".
            r"^(?:Seite\s+)?[-\d\s./()]+(?:von\s+\d+)?[a-z]?$",
            # Public or not, and a consultation table's head: "öffentlich", "Gremium Termin TOP ö nö".
            r"^(?:nicht\s*-?\s*)?öffentlich\b|\bGremium\b.*\b(?:Termin|Sitzung)\b|\bTermin\b.*\bTOP\b",
            # The council's own head: "Stadt Rurtal", "Der Oberbürgermeister", "Die Landrätin".
            r"^(?:(?:Stadt|Gemeinde|Kreis|Landkreis|Markt)\s+\S+|(?:Der|Die)\s+\w*(?:bürgermeister|landrat)\w*)$",
            # A council member: "Stadträtin Dr. Ute Leidig (GRÜNE)", "Ratsherr Jan Peters".
            r"^(?:Stadtr(?:at|ätin)|Stadtverordnete[rn]?|Rats(?:herr|frau|mitglied)|Ortschaftsr(?:at|ätin)"
            r"|Kreisr(?:at|ätin)|Gemeinder(?:at|ätin)|Bezirksvertreter(?:in)?|Bezirksbeirat|Bezirksbeirätin)\b",
            # The addressee: "An den", "Herrn Stephan Pusch", "Frau Landrätin", "Im Hause".
            r"^An(?:\s+(?:den|die|das))?$|^(?:Herrn?|Frau)\s|^Im\s+Hause$",
            # Where to write: a post code with the town, a street, telephone, e-mail, web.
            r"^\d{5}\s+\w|\b\w+(?:str\.|straße|weg|platz|allee|ring|gasse)\s+\d+\w?\b|@|www\.|\bTel(?:efon)?\b|\bFax\b",
        )
    ),
    re.IGNORECASE,
)
# A line of a table or a date line: few words and a date in them ("Gemeinderat 26.04.2016 29 x").
_SHORT_DATED = re.compile(
    r"^(?:\S+\s+){0,5}\S*\d{1,2}\.\s?(?:\d{1,2}\.|\s*[^\W\d_]{3,9}\.?\s)\s?\d{2,4}\b(?:\s+\S+){0,4}$"
)
# A meeting on a line of its own: "53. Plenarsitzung Gemeinderat", "Sitzung des Hauptausschusses".
_SESSION = re.compile(r"^(?:\S+\s+){0,3}\S*sitzung\b(?:\s+\S+){0,3}$", re.IGNORECASE)
# A member with the group in brackets, the bracket sometimes cut off: "Johannes Honné (GRÜNE".
_MEMBER = re.compile(r"^(?:[A-ZÄÖÜ][\w.-]*\s+){1,4}\((?:[^()\s]+\s?){1,3}\)?$")
# A sentence's beginning up to its verb at the line's end: "Die Verwaltung prüft", then a list.
_SENTENCE_START = re.compile(r"^(?:Der|Die|Das|Wir|Es)\s+(?:\S+\s+)*[a-zäöüß]+$")
# A sentence's first word, which no subject line continues with.
_SENTENCE_START_WORD = re.compile(r"^(?:Der|Die|Das|Wir|Es)\s+\S")
# A sentence's end: two lowercase letters before the stop and a capital or nothing after it, so
# "Dr.", "e. V." and "Dez. 6" end none.
_SENTENCE = re.compile(r"[a-zäöüß)\"“”]{2}[.!?][\"“”]?(?=\s+[A-ZÄÖÜ„\"]|\s*$)")
_STATEMENT = re.compile(r"[a-zäöüß)\"“”]{2}\.[\"“”]?(?=\s+[A-ZÄÖÜ„\"]|\s*$)")


def form_line(line: Line, group: bool) -> bool:
    """Whether a line belongs to the form or letterhead; ``group``: it names a group ("SPD-Fraktion")."""
    text = line.words
    if REQUEST.search(text):  # "Die SPD-Fraktion beantragt:" reads like a label, but opens the request
        return False
    return group or bool(
        _FORM_LINE.search(text) or _SHORT_DATED.match(text) or _SESSION.match(text) or _MEMBER.match(text)
    )


# --- Blocks --------------------------------------------------------------------------------------


def blocks(
    lines: Sequence[Line], start: int, stop: int, skip: Callable[[int], bool] | None = None, *, items: bool = False
) -> Iterator[range]:
    """The runs of lines with text from ``start`` to ``stop``; blank lines and ``skip`` separate them,
    and with ``items`` a list's first line begins a block (a subject right above a list)."""
    first = None
    for index in range(start, stop):
        if items and first is not None and (starts_item(lines[index]) or _opens_sentence(lines, index)):
            yield range(first, index)
            first = index
        elif lines[index].text and not (skip and skip(index)):
            first = index if first is None else first
        elif first is not None:
            yield range(first, index)
            first = None
    if first is not None:
        yield range(first, stop)


def _opens_sentence(lines: Sequence[Line], index: int) -> bool:
    """A line that begins a sentence below a line that ends none: "Neugestaltung Marktplatz" / "Die Stadt ..."."""
    above = lines[index - 1].text
    return (
        bool(_SENTENCE_START_WORD.match(lines[index].text)) and not _SENTENCE.search(above) and above[-1:] not in "-,:;"
    )


def block_words(lines: Sequence[Line], block: range) -> str:
    return " ".join(lines[index].words for index in block)


def reads_as_request(lines: Sequence[Line], block: range) -> bool:
    """A block that opens the letter's text: a list, a request, or sentences ("... vor.", "... sehen:")."""
    text = block_words(lines, block)
    if starts_item(lines[block.start]) or REQUEST.search(text) or _SENTENCE_START.match(text):
        return True
    # One line ending in "!" or "?" is a subject ("Eine Stadt für alle!"); a paragraph ending so is text.
    ends = _SENTENCE if len(block) > 1 else _STATEMENT
    return len(text.split()) >= 6 and (bool(ends.search(text)) or lines[block.stop - 1].text.endswith(":"))


@dataclass(frozen=True, slots=True)
class Head:
    body: int  # the first line of the letter's text
    subject: range  # the subject's lines above it, if the form shows one without a label


def locate_head(lines: Sequence[Line], form: Callable[[int], bool]) -> Head:
    """Where the text begins: after the salutation, else at the first block that reads as a request; the
    subject is the block right above (the last before the salutation).
    ``form`` tells the lines of the form and the letterhead (see :func:`form_line`); asked only up to there."""
    salutation = find(lines, SALUTATION)
    stop = len(lines) if salutation is None else salutation
    above: list[range] = []  # the blocks above, nearest last
    body = len(lines)
    for block in blocks(lines, 0, stop, form, items=True):
        if salutation is None and reads_as_request(lines, block):
            body = block.start
            # "Die Stadtverwaltung" above "1. prüft ...": the items go on the sentence the block above begins.
            marker = item_rest(lines[block.start])
            if marker is not None and marker[:1].islower() and above:
                body = above.pop().start
            break
        above.append(block)
    subject = above[-1] if above and len(above[-1]) <= 3 else range(0)
    return Head(body if salutation is None else salutation + 1, subject)
