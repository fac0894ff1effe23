"""The council's report as a Word document (python-docx): A4 landscape, a section per committee on a
page of its own, a table per motion with the status's traffic light in its colour."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as Word
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

from store.exchange.report.lights import COLOURS, SYMBOL
from store.exchange.report.model import CouncilReport, MotionTable, Section

# Widths of the six columns in cm (of 25.7 between the margins): number, item, department, status,
# follow-up date, Sachstand.
_WIDTHS = (1.2, 5.3, 3.4, 3.3, 3.0, 9.5)


def report_docx(report: CouncilReport) -> bytes:
    document = Document()
    _page_setup(document)
    document.core_properties.title = report.title
    document.core_properties.language = report.lang
    for index, section in enumerate(report.sections):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _section(document, report, section)
    if not report.sections:
        document.add_heading(report.title, level=0)
        document.add_paragraph(report.nothing)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: Word) -> None:
    page = document.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Cm(2.0))
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)


def _section(document: Word, report: CouncilReport, section: Section) -> None:
    document.add_heading(report.title, level=0)
    for line in section.lines:
        document.add_paragraph(line)
    if not section.tables:
        document.add_paragraph(report.nothing)
    for table in section.tables:
        _motion(document, report, table)
    document.add_heading(report.annex_title, level=1)
    if not section.annex:
        document.add_paragraph(report.nothing)
    for table in section.annex:
        _motion(document, report, table)


def _motion(document: Word, report: CouncilReport, motion: MotionTable) -> None:
    heading = document.add_heading(motion.heading, level=2)
    if motion.mark:
        mark = heading.add_run(f" ({motion.mark})")
        mark.font.color.rgb = RGBColor(*COLOURS["red"])
    if not motion.rows:
        document.add_paragraph(report.nothing)
        return
    table = document.add_table(rows=1, cols=len(report.headings), style=document.styles["Table Grid"])
    for cell, text, width in zip(table.rows[0].cells, report.headings, _WIDTHS):
        cell.paragraphs[0].add_run(text).bold = True
        cell.width = Cm(width)
    _repeat_header(table)
    for row in motion.rows:
        cells = table.add_row().cells
        for index, (cell, text, width) in enumerate(zip(cells, row.cells, _WIDTHS)):
            cell.width = Cm(width)  # per cell, as Word reads it (a column's width alone it ignores)
            paragraph = cell.paragraphs[0]
            if index == 3:  # the status: its light, then its word
                light = paragraph.add_run(SYMBOL + " ")
                light.font.color.rgb = RGBColor(*COLOURS[row.light])
            paragraph.add_run(text)


def _repeat_header(table: Table) -> None:
    """The heading row again on every page the table runs over (Word's "repeat as header row")."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
