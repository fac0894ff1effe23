"""The council's report as PDF (fpdf2), with DejaVu Sans embedded (fonts/, its licence beside it), so
umlauts, ß, „…“ and – show on any reader: A4 landscape, a section per committee from a new page, a
table per motion, the status in its traffic light's colour, page numbers in the footer."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from store.exchange.report.lights import COLOURS, SYMBOL
from store.exchange.report.model import CouncilReport, MotionTable, Section
from store.i18n import add_catalog, translate

_FONT = "DejaVu"
_WIDTHS = (7, 36, 24, 27, 24, 67)  # the columns' shares, as in the Word document
_HEADING = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))


class _Paper(FPDF):
    def __init__(self, lang: str) -> None:
        super().__init__(orientation="landscape", format="A4")
        self.lang = lang
        fonts = resources.files("store.exchange.report") / "fonts"
        with (
            resources.as_file(fonts / "DejaVuSans.ttf") as regular,
            resources.as_file(fonts / "DejaVuSans-Bold.ttf") as bold,
        ):
            self.add_font(_FONT, "", regular)
            self.add_font(_FONT, "B", bold)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=18)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(_FONT, size=8)
        self.cell(0, 6, translate("Page {page} of {pages}", self.lang, page=self.page_no(), pages="{nb}"), align="C")


def report_pdf(report: CouncilReport) -> bytes:
    paper = _Paper(report.lang)
    paper.set_lang(report.lang)
    paper.set_title(report.title)
    paper.set_creator("Sachstand")
    for section in report.sections or (None,):
        paper.add_page()
        if section is None:
            _title(paper, report.title)
            _text(paper, report.nothing)
        else:
            _section(paper, report, section)
    return bytes(paper.output())


def _title(paper: FPDF, text: str) -> None:
    paper.set_font(_FONT, "B", 18)
    paper.multi_cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")


def _text(paper: FPDF, text: str, *, size: float = 10, style: str = "", colour: Any = (0, 0, 0)) -> None:
    paper.set_font(_FONT, style, size)
    paper.set_text_color(*colour)
    paper.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
    paper.set_text_color(0, 0, 0)


def _section(paper: FPDF, report: CouncilReport, section: Section) -> None:
    _title(paper, report.title)
    for line in section.lines:
        _text(paper, line, size=11)
    paper.ln(4)
    if not section.tables:
        _text(paper, report.nothing)
    for table in section.tables:
        _motion(paper, report, table)
    paper.ln(4)
    _text(paper, report.annex_title, size=14, style="B")
    if not section.annex:
        _text(paper, report.nothing)
    for table in section.annex:
        _motion(paper, report, table)


def _motion(paper: FPDF, report: CouncilReport, motion: MotionTable) -> None:
    paper.ln(3)
    _text(paper, motion.heading, size=12, style="B")
    if motion.mark:
        _text(paper, motion.mark, size=10, style="B", colour=COLOURS["red"])
    if not motion.rows:
        _text(paper, report.nothing)
        return
    paper.set_font(_FONT, size=9)
    with paper.table(
        col_widths=_WIDTHS, headings_style=_HEADING, line_height=4.8, padding=1.2, text_align="LEFT"
    ) as table:
        heading = table.row()
        for text in report.headings:
            heading.cell(text)
        for row in motion.rows:
            cells = table.row()
            for index, text in enumerate(row.cells):
                if index == 3:  # the status in its light's colour, the light before the word
                    cells.cell(f"{SYMBOL} {text}", style=FontFace(color=COLOURS[row.light], emphasis="BOLD"))
                else:
                    cells.cell(text)


add_catalog("de", {"Page {page} of {pages}": "Seite {page} von {pages}"})
