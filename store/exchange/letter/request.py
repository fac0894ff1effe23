"""What the letter requests: a list near the top of its text, else the request written as prose.

A list gives one item per entry when the request leads to it ("Der Rat möge beschließen:") or when
it opens the text; a list further down is reasoning ("Die Gründe: 1. ..."). A request written as a
paragraph gives one item, its first sentence shortened at a word; the paragraph stays in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from store.exchange.letter.head import block_words, blocks
from store.exchange.letter.items import joined, lists
from store.exchange.letter.lines import CLOSING, REQUEST, SECTION, Line, find, lead

# How many blocks of text (paragraphs, lists) the request may start after the text begins: an
# introduction, the request's lead, the list.
_OPENING_BLOCKS = 3
# How many blocks a list may lie after the request's words ("beantragt:", a lead, the list).
_AFTER_ANCHOR = 2
# The longest item made from a prose request; a longer first sentence is cut at a word.
_ITEM_LENGTH = 160
# Where a sentence ends: after two lowercase letters (not "Dr." or "e. V."), before a capital.
_SENTENCE_END = re.compile(r"(?<=[a-zäöüß)\"“”]{2}[.!?])\s+(?=[A-ZÄÖÜ„\"])")
# A request's words alone, ending in a colon: "Die CDU-Fraktion beantragt:"; its request follows.
_ANNOUNCES = re.compile(r":\s*$")
# The rest of the request's words up to their colon, the request following on the same line.
_ANNOUNCED = re.compile(r"[^.:]{0,40}:\s+(?=\S)")


@dataclass(frozen=True, slots=True)
class Request:
    items: tuple[str, ...]
    span: range  # the list's lines; empty for a request written as prose (its text stays in the motion's)
    prose: bool


def find_request(lines: Sequence[Line], body: int) -> Request | None:
    """The request in the text that begins at line ``body``; None if the text requests nothing."""
    reasoning = find(lines, SECTION, body)
    stop = len(lines) if reasoning is None else reasoning
    opening = [block.start for block in blocks(lines, body, stop)][:_OPENING_BLOCKS]
    anchor = find(lines, REQUEST, body, stop)
    listed = _listed(lines, body, stop, opening, anchor)
    if listed:
        return listed
    return _prose(lines, body, stop, opening, anchor)


def _listed(lines: Sequence[Line], body: int, stop: int, opening: list[int], anchor: int | None) -> Request | None:
    """A list the request leads to ("Wir beantragen:" above it), else the first list a few blocks after
    the request's words, else a list that opens the text."""
    found = [(items, span) for items, span in lists(lines, body) if span.start < stop]
    led = (Request(items, span, False) for items, span in found if REQUEST.search(lead(lines, span.start, body)))
    if chosen := next(led, None):
        return chosen
    near = (
        set() if anchor is None else {block.start for block in list(blocks(lines, anchor, stop))[: _AFTER_ANCHOR + 1]}
    )
    for starts in (near, set(opening)):
        for items, span in found:
            if span.start in starts or _block_start(lines, span.start) in starts:
                return Request(items, span, prose=False)
    return None


def _block_start(lines: Sequence[Line], index: int) -> int:
    while index > 0 and lines[index - 1].text:
        index -= 1
    return index


def _prose(lines: Sequence[Line], body: int, stop: int, opening: list[int], anchor: int | None) -> Request | None:
    """The paragraph with the request's words among the first of the text, else the text's first."""
    paragraphs = [block for block in blocks(lines, body, stop) if not CLOSING.match(lines[block.start].text)]
    if not paragraphs:
        return None
    chosen = paragraphs[0]
    for number, block in enumerate(paragraphs[: len(opening)]):
        if anchor is not None and anchor in block:
            announces = block.stop - block.start <= 2 and _ANNOUNCES.search(block_words(lines, block))
            following = paragraphs[number + 1] if announces and number + 1 < len(paragraphs) else None
            chosen = following or range(anchor if lines[anchor].text[:1].isupper() else block.start, block.stop)
            break
    text = joined([lines[index].text for index in chosen])
    # "Der Rat möge beschließen: Die Verwaltung ...": the request is what follows the colon.
    words = REQUEST.search(text)
    announced = _ANNOUNCED.match(text, words.end()) if words else None
    sentence = _first_sentence(text[announced.end() :] if announced else text)
    return Request((sentence,), range(chosen.start, chosen.start), prose=True) if sentence else None


def _first_sentence(text: str) -> str:
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(" .")
    if len(sentence) > _ITEM_LENGTH:
        sentence = sentence[: _ITEM_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–") + "…"
    return sentence
