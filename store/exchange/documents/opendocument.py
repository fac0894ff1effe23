"""An OpenDocument text (ODT, as LibreOffice writes it) as text: paragraphs, headings, tables and lists
in order, each list item with the number its list style gives it."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from store.errors import BadInput
from store.exchange.documents.document import Document
from store.exchange.documents.numbering import counter_text
from store.exchange.documents.zipped import open_zip, read_part
from store.i18n import add_catalog

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}


def _name(qualified: str) -> str:
    prefix, local = qualified.split(":")
    return f"{{{_NS[prefix]}}}{local}"


P, H, LIST, ITEM, HEADER = (_name(n) for n in ("text:p", "text:h", "text:list", "text:list-item", "text:list-header"))
S, TAB, BREAK = _name("text:s"), _name("text:tab"), _name("text:line-break")
STYLE_NAME, LEVEL, START = _name("text:style-name"), _name("text:level"), _name("text:start-value")
CONTINUES = (_name("text:continue-numbering"), _name("text:continue-list"))


def read_odt(content: bytes, where: str) -> Document:
    archive = open_zip(content, where)
    styles = _ListStyles()
    header: list[ElementTree.Element] = []
    if "styles.xml" in archive.namelist():  # the named list styles ("Numbering 123") and the page headers
        named = _parse(read_part(archive, "styles.xml", where), where, "styles.xml")
        styles.add(named)
        header = _letterhead(named)
    document = _parse(read_part(archive, "content.xml", where), where, "content.xml")
    styles.add(document)
    body = document.find("office:body/office:text", _NS)
    if body is None:
        raise BadInput("{path}: not an OpenDocument text (no text body in content.xml).", path=where)
    return Document("\n".join([*_lines(header, styles, _Counting()), *_lines(body, styles, _Counting())]))


def _letterhead(styles: ElementTree.Element) -> list[ElementTree.Element]:
    """The first page's header of the first page style, where a letter template puts the letterhead."""
    page = styles.find("office:master-styles/style:master-page", _NS)
    if page is None:
        return []
    header = page.find("style:header-first", _NS)
    header = header if header is not None else page.find("style:header", _NS)
    return [header] if header is not None else []


def _parse(data: bytes, where: str, part: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise BadInput(
            "{path}: a damaged document: {part} is not valid XML ({detail}).", path=where, part=part, detail=error
        ) from None


@dataclass
class _ListStyles:
    """Each list style's levels: level -> (number format, prefix, suffix, start); a bullet level has none."""

    levels: dict[str, dict[int, tuple[str, str, str, int] | None]] = field(default_factory=dict)

    def add(self, root: ElementTree.Element) -> None:
        for style in root.iter(_name("text:list-style")):
            levels: dict[int, tuple[str, str, str, int] | None] = {}
            for level in style:
                depth = _int(level.get(LEVEL), 1)
                if level.tag == _name("text:list-level-style-number"):
                    get = level.get
                    levels[depth] = (
                        get(_name("style:num-format"), "1"),
                        get(_name("style:num-prefix"), ""),
                        get(_name("style:num-suffix"), "."),
                        _int(get(START), 1),
                    )
                else:
                    levels[depth] = None  # a bullet or an image
            self.levels[style.get(_name("style:name"), "")] = levels


@dataclass
class _Counting:
    """The counters of the list being read, by level; a list that continues another keeps them."""

    counters: dict[int, int] = field(default_factory=dict)


def _lines(nodes: Iterable[ElementTree.Element], styles: _ListStyles, counting: _Counting) -> Iterator[str]:
    for child in nodes:
        if child.tag in (P, H):
            yield _text(child)
        elif child.tag == LIST:
            if not any(child.get(name) for name in CONTINUES):
                counting.counters = {}
            yield from _list(child, styles, counting, child.get(STYLE_NAME, ""), 1)
        elif child.tag not in (_name("text:tracked-changes"), _name("office:annotation")):
            yield from _lines(child, styles, counting)  # tables, rows, cells, sections: their paragraphs in order


def _list(node: ElementTree.Element, styles: _ListStyles, counting: _Counting, style: str, depth: int) -> Iterator[str]:
    style = node.get(STYLE_NAME, style)  # a nested list follows its outer list's style unless it names one
    level = styles.levels.get(style, {}).get(depth, ("1", "", ".", 1) if style not in styles.levels else None)
    for item in node:
        if item.tag not in (ITEM, HEADER):
            continue
        number = ""
        if item.tag == ITEM:
            number = _count(counting, depth, level, item.get(START))
        first = True
        for child in item:
            if child.tag == LIST:
                yield from _list(child, styles, counting, style, depth + 1)
            else:
                for line in _lines([child], styles, counting):
                    yield ("  " * (depth - 1) + number if first else "") + line
                    first = False


def _count(counting: _Counting, depth: int, level: tuple[str, str, str, int] | None, restart: str | None) -> str:
    """The item's number ("1. ", "a) ") or a bullet ("- "), counted on; deeper counters start anew."""
    if level is None:
        return "- "
    form, prefix, suffix, start = level
    value = _int(restart, 0) or counting.counters.get(depth, start - 1) + 1
    counting.counters[depth] = value
    for deeper in [key for key in counting.counters if key > depth]:
        del counting.counters[deeper]
    shown = counter_text(value, form)
    return f"{prefix}{shown}{suffix} " if shown else ""


def _text(node: ElementTree.Element) -> str:
    """A paragraph's text with OpenDocument's spaces (<text:s text:c="3"/>), tabs and line breaks."""
    parts = [node.text or ""]
    for child in node:
        if child.tag == S:
            parts.append(" " * _int(child.get(_name("text:c")), 1))
        elif child.tag == TAB:
            parts.append("\t")
        elif child.tag == BREAK:
            parts.append("\n")
        elif child.tag != _name("office:annotation"):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


add_catalog(
    "de",
    {
        "{path}: not an OpenDocument text (no text body in content.xml).": "{path}: kein OpenDocument-Text (kein Textkörper in content.xml).",
        "{path}: a damaged document: {part} is not valid XML ({detail}).": "{path}: ein beschädigtes Dokument: {part} ist kein gültiges XML ({detail}).",
    },
)
