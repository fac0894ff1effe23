"""A Word (DOCX) letter as text: the first page's header (the letterhead), the body's paragraphs and
tables in order, and the numbers of Word's automatic lists, which are not in the text but say which
items a letter requests."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from store.exchange.documents.document import Document
from store.exchange.documents.numbering import counter_text
from store.exchange.documents.zipped import open_zip, read_part

_LEVELS = 9  # Word's list levels


def read_word(content: bytes, where: str) -> Document:
    archive = open_zip(content, where)
    read_part(archive, "word/document.xml", where)  # there, not too large, no DOCTYPE
    document = docx.Document(io.BytesIO(content))
    lists = _Lists(document.part.numbering_part.element)
    section = document.sections[0] if document.sections else None
    lines: list[str] = []
    if section is not None:
        header = section.first_page_header if section.different_first_page_header_footer else section.header
        lines += _lines(header.iter_inner_content(), lists)
    lines += _lines(document.iter_inner_content(), lists)
    return Document("\n".join(lines))


def _lines(blocks: Iterator[Paragraph | Table], lists: _Lists) -> Iterator[str]:
    """Each paragraph a line (a list's number before it, its text boxes after it); a table's cells one
    after another, row by row."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield lists.number(block) + block.text
            yield from _lines(_boxed(block), lists)
        else:
            seen: set[int] = set()
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell is handed out once per column it spans
                        seen.add(id(cell._tc))
                        yield from _lines(cell.iter_inner_content(), lists)


# Word writes a text box twice: for itself (mc:Choice) and for older readers (mc:Fallback); the second is skipped.
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _boxed(paragraph: Paragraph) -> Iterator[Paragraph]:
    """The paragraphs of the text boxes anchored in ``paragraph``: letter templates put the sender's block
    and the date in them, and python-docx's text leaves them out."""
    for box in paragraph._p.iter(qn("w:txbxContent")):
        if not any(ancestor.tag == _FALLBACK for ancestor in box.iterancestors()):
            for inner in box.findall(qn("w:p")):
                yield Paragraph(inner, paragraph._parent)


class _Lists:
    """Word's numbering definitions and the counters of the lists read so far."""

    def __init__(self, numbering: Any) -> None:
        abstract = {node.get(qn("w:abstractNumId")): node for node in numbering.findall(qn("w:abstractNum"))}
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> level -> (start, format, text)
        for num in numbering.findall(qn("w:num")):
            base = num.find(qn("w:abstractNumId"))
            levels = _levels(abstract.get(base.get(qn("w:val")) if base is not None else None))
            for override in num.findall(qn("w:lvlOverride")):
                level, start = _int(override.get(qn("w:ilvl"))), override.find(qn("w:startOverride"))
                if start is not None and level in levels:
                    levels[level] = (_int(start.get(qn("w:val")), 1), *levels[level][1:])
            self.levels[num.get(qn("w:numId"))] = levels
        self.counters: dict[str, list[int | None]] = {}

    def number(self, paragraph: Paragraph) -> str:
        """The list number of ``paragraph`` ("1. ", "  a) ", "- ") or ""; counts it."""
        num_id, level = _numbering(paragraph)
        levels = self.levels.get(num_id or "")
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(num_id or "", [None] * _LEVELS)
        current = counters[level]
        counters[level] = levels[level][0] if current is None else current + 1
        counters[level + 1 :] = [None] * (_LEVELS - level - 1)  # a deeper list under this item starts anew
        _, style, text = levels[level]
        if style == "bullet":
            return "  " * level + "- "
        for shown in range(_LEVELS):
            value = counters[shown] if counters[shown] is not None else levels.get(shown, (1,))[0]
            text = text.replace(f"%{shown + 1}", counter_text(value or 1, levels.get(shown, (1, "decimal"))[1]))
        return "  " * level + text + " " if text else ""


def _levels(abstract: Any) -> dict[int, tuple[int, str, str]]:
    levels = {}
    for node in abstract.findall(qn("w:lvl")) if abstract is not None else ():
        start, style, text = (node.find(qn(name)) for name in ("w:start", "w:numFmt", "w:lvlText"))
        levels[_int(node.get(qn("w:ilvl")))] = (
            _int(start.get(qn("w:val")), 1) if start is not None else 1,
            style.get(qn("w:val"), "decimal") if style is not None else "decimal",
            text.get(qn("w:val"), "") if text is not None else "",
        )
    return levels


def _numbering(paragraph: Paragraph) -> tuple[str | None, int]:
    """The list (numId) and level of a paragraph: its own, else its style's, else the style's base's.
    numId 0 says "no list", also where the style has one."""
    num_id: str | None = None
    level: int | None = None
    properties: list[Any] = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None and len(properties) < 10:
        properties.append(style.element.pPr)
        style = style.base_style
    for found in properties:
        numbers = found.find(qn("w:numPr")) if found is not None else None
        if numbers is None:
            continue
        given_id, given_level = numbers.find(qn("w:numId")), numbers.find(qn("w:ilvl"))
        if num_id is None and given_id is not None:
            num_id = given_id.get(qn("w:val"))
        if level is None and given_level is not None:
            level = _int(given_level.get(qn("w:val")))
    return (None if num_id == "0" else num_id), min(max(level or 0, 0), _LEVELS - 1)


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
