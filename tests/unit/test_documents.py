"""Each kind of letter file as text (store.exchange.documents), and each kind of file that must be refused:
a clear message naming the file, never a traceback."""

from __future__ import annotations

import io
import os
import time
import zipfile
from datetime import date

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from store import BadInput
from store.exchange.documents import read_document
from store.exchange.documents.markup import html_text
from store.exchange.documents.numbering import counter_text
from store.exchange.documents.zipped import UNPACKED_LIMIT
from store.exchange.letter import parse_letter

from helpers.documents import (
    ITEMS,
    docx_letter,
    encrypted_pdf,
    letter_text,
    mail,
    odt_letter,
    pdf_letter,
    scanned_pdf,
    zipped,
)


def numbered(text: str) -> list[str]:
    return [
        line.strip() for line in text.splitlines() if line.strip()[:1].isdigit() or line.strip()[:2] in ("a)", "b)")
    ]


def test_a_pdf_gives_its_text_layer_with_umlauts_in_reading_order() -> None:
    text = read_document(pdf_letter(), "antrag.pdf", "antrag.pdf").text
    assert "Sichere Schulwege für Fußgänger" in text and "Goethestraße" in text
    assert text.index("SPD-Fraktion") < text.index("beantragt") < text.index("Begründung")
    findings = parse_letter(text, "antrag.pdf")
    assert list(findings.items) == ITEMS and findings.submitted == date(2024, 3, 14)


def test_words_automatic_numbering_is_written_into_the_text() -> None:
    text = read_document(docx_letter(), "antrag.docx", "antrag.docx").text
    assert numbered(text) == [f"{n}. {item}" for n, item in enumerate(ITEMS, 1)]
    assert list(parse_letter(text, "antrag.docx").items) == ITEMS


def test_word_bullets_tables_a_restart_with_numid_0_and_the_letterhead_in_the_header() -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "BÜNDNIS 90/DIE GRÜNEN"
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "An den Bürgermeister", "Datum: 02.05.2024"
    document.add_paragraph("Erster", style="List Number")
    document.add_paragraph("Punkt", style="List Bullet")
    plain = document.add_paragraph("ohne Nummer", style="List Number")
    numbers = plain._p.get_or_add_pPr().get_or_add_numPr()
    numbers.get_or_add_numId().val = 0  # "no list", though the style has one
    document.add_paragraph("Zweiter", style="List Number")
    out = io.BytesIO()
    document.save(out)
    lines = read_document(out.getvalue(), "a.docx", "a.docx").text.splitlines()
    assert lines[0] == "BÜNDNIS 90/DIE GRÜNEN"
    assert lines[1:] == [
        "An den Bürgermeister",
        "Datum: 02.05.2024",
        "1. Erster",
        "- Punkt",
        "ohne Nummer",
        "2. Zweiter",
    ]


@pytest.mark.parametrize(
    ("form", "suffix", "marks"), [("1", ".", "1. 2. 3."), ("a", ")", "a) b) c)"), ("I", ".", "I. II. III.")]
)
def test_an_odt_list_is_numbered_as_its_style_says(form: str, suffix: str, marks: str) -> None:
    text = read_document(odt_letter(form, suffix), "antrag.odt", "antrag.odt").text
    listed = [line for line in text.splitlines() if line.endswith(tuple(ITEMS))]
    assert listed == [f"{mark} {item}" for mark, item in zip(marks.split(), ITEMS)]
    if form != "I":  # roman numbers are the letter reader's to learn
        assert list(parse_letter(text, "antrag.odt").items) == ITEMS


def test_counters_in_word_and_opendocument_styles() -> None:
    assert [counter_text(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert [counter_text(n, "I") for n in (1, 4, 9, 14, 1999)] == ["I", "IV", "IX", "XIV", "MCMXCIX"]
    assert (
        counter_text(3, "decimal") == "3" and counter_text(3, "decimalZero") == "03" and counter_text(3, "none") == ""
    )


def test_an_email_brings_its_attached_pdf_with_its_sender_and_date() -> None:
    letter = read_document(mail(body="Anbei unser Antrag.", attachment=("antrag.pdf", pdf_letter())), "m.eml", "m.eml")
    assert "Sichere Schulwege für Fußgänger" in letter.text and "Anbei" not in letter.text
    assert letter.sent == date(2024, 3, 15) and letter.sender == "SPD-Fraktion Musterstadt"


def test_an_email_brings_its_attached_word_file() -> None:
    letter = read_document(mail(body="Anbei.", attachment=("antrag.docx", docx_letter())), "m.eml", "m.eml")
    assert numbered(letter.text)[0] == f"1. {ITEMS[0]}"


def test_an_email_without_attachment_is_the_letter_itself_and_is_known_without_its_suffix() -> None:
    sent = mail(body=letter_text(), sender="=?utf-8?q?B=C3=BCndnis_90/Die_Gr=C3=BCnen?= <gruene@example.org>")
    for name in ("antrag.eml", "antrag"):
        letter = read_document(sent, name, name)
        assert letter.text.startswith("SPD-Fraktion") and letter.sender == "Bündnis 90/Die Grünen"


def test_an_html_email_is_read_as_text_with_its_list_numbered() -> None:
    body = "<html><style>p{}</style><body><p>Die Fraktion <b>beantragt</b>:</p><ol><li>Eins</li><li>Zwei</li></ol></body></html>"
    letter = read_document(mail(html=body), "m.eml", "m.eml")
    assert [line for line in letter.text.splitlines() if line.strip()] == [
        "Die Fraktion beantragt:",
        "1. Eins",
        "2. Zwei",
    ]
    assert "- a" in html_text("<ul><li>a</li></ul>")


def test_a_text_letter_that_starts_like_a_header_stays_a_text_letter() -> None:
    text = "Betreff: Radwege\nDate: morgen\n" + letter_text()
    assert read_document(text.encode(), "antrag.txt", "antrag.txt").text == text


def test_a_pdf_encrypted_only_against_printing_opens_without_a_password() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_letter())))
    writer.encrypt(user_password="", owner_password="amt", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    assert "Goethestraße" in read_document(out.getvalue(), "a.pdf", "a.pdf").text


def _bomb() -> bytes:
    """A DOCX whose document part unpacks to more than the cap: a few hundred kilobytes of zeros packed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * 2**20
            for _ in range(UNPACKED_LIMIT // 2**20 + 1):
                member.write(chunk)
    return out.getvalue()


REFUSED = [
    ("scan.pdf", scanned_pdf, "scan.pdf: a PDF without a text layer (a scan); it needs text recognition (OCR)"),
    ("geheim.pdf", encrypted_pdf, "geheim.pdf: an encrypted PDF that needs a password to open"),
    ("kaputt.pdf", lambda: pdf_letter()[:400], "kaputt.pdf: a damaged PDF file"),
    ("kaputt.docx", lambda: docx_letter()[:2000], "kaputt.docx: a damaged ZIP container"),
    ("kaputt.odt", lambda: b"PK\x03\x04 und nichts", "kaputt.odt: a damaged ZIP container"),
    ("leer.docx", lambda: b"", "leer.docx: a damaged Word (DOCX) file"),
    ("fremd.docx", lambda: zipped({"a.txt": "b"}), "fremd.docx: not a kind of file Sachstand reads"),
    ("ohne.odt", lambda: zipped({"content.xml": "<kein/>"}), "ohne.odt: not an OpenDocument text"),
    ("doctype.odt", lambda: zipped({"content.xml": '<!DOCTYPE x [<!ENTITY a "aa">]><x/>'}), "declares a DOCTYPE"),
    ("leer.eml", lambda: mail(), "leer.eml: an e-mail without a letter: no PDF, Word or OpenDocument attachment"),
    ("scan.eml", lambda: mail(attachment=("antrag.pdf", scanned_pdf())), "scan.eml › antrag.pdf: a PDF without a text"),
    (
        "alt.doc",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
        "alt.doc: an old Word (.doc) or Outlook (.msg)",
    ),
    (
        "brief.msg",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
        "brief.msg: an old Word (.doc) or Outlook",
    ),
    ("bild.png", lambda: b"\x89PNG\r\n\x1a\n\0\0\xff", "bild.png: not a kind of file Sachstand reads"),
    ("bombe.docx", _bomb, f"bombe.docx: unpacks to more than {UNPACKED_LIMIT // 2**20} MB"),
]


@pytest.mark.parametrize(("name", "make", "message"), REFUSED, ids=[name for name, _, _ in REFUSED])
def test_what_cannot_be_read_is_refused_naming_the_file(name: str, make: object, message: str) -> None:
    content = make()  # type: ignore[operator]
    started = time.monotonic()
    with pytest.raises(BadInput) as refused:
        read_document(content, name, name)
    assert message in str(refused.value)
    assert time.monotonic() - started < 5  # the bomb is refused by its declared size, not unpacked
    assert refused.value.render("de") != str(refused.value)  # said in German too


# --- damaged files of every kind: a Document or a BadInput naming the file, never anything else -----------

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SOUND = {
    "a.pdf": pdf_letter(),
    "a.docx": docx_letter(),
    "a.odt": odt_letter(),
    "a.eml": mail(body="Anbei.", attachment=("antrag.pdf", pdf_letter())),
}


@FUZZ
@given(
    name=st.sampled_from(sorted(SOUND)),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8)), min_size=1, max_size=4),
)
def test_a_damaged_file_of_any_kind_is_read_or_refused_naming_it(name: str, cuts: list[tuple[float, bytes]]) -> None:
    content = SOUND[name]
    for where, junk in cuts:  # bytes overwritten here and there, as a broken transfer or disk leaves them
        at = int(where * (len(content) - 1))
        content = content[:at] + junk + content[at + len(junk) :]
    try:
        letter = read_document(content, name, name)
    except BadInput as error:
        assert str(error).startswith(name)
        return
    assert isinstance(letter.text, str)


def _outline_docx(entries: list[tuple[int, str]]) -> bytes:
    """A Word file with a two-level list as Word's outline numbering writes it: "1." and under it "a)"."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    for level, text in entries:
        paragraph = document.add_paragraph(text)
        numbers = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbers.get_or_add_numId().val = 77
        numbers.get_or_add_ilvl().val = level
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_outline_list_counts_each_level_and_starts_the_inner_one_anew() -> None:
    content = _outline_docx([(0, "Radwege"), (1, "Plan"), (1, "Kosten"), (0, "Gehwege"), (1, "Bestand")])
    lines = [line for line in read_document(content, "a.docx", "a.docx").text.splitlines() if line]
    assert lines == ["1. Radwege", "  a) Plan", "  b) Kosten", "2. Gehwege", "  a) Bestand"]


def test_an_odt_letterhead_a_nested_list_and_a_list_that_continues_another() -> None:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
    )
    styles = (
        f'<office:document-styles {ns}><office:styles><text:list-style style:name="Numbering_123">'
        '<text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/>'
        '<text:list-level-style-number text:level="2" style:num-format="a" style:num-suffix=")"/>'
        "</text:list-style></office:styles><office:master-styles><style:master-page style:name='Standard'>"
        "<style:header><text:p>BÜNDNIS 90/DIE GRÜNEN</text:p></style:header>"
        "</style:master-page></office:master-styles></office:document-styles>"
    )

    def item(text: str, inner: str = "") -> str:
        return f"<text:list-item><text:p>{text}</text:p>{inner}</text:list-item>"

    content = (
        f"<office:document-content {ns}><office:body><office:text>"
        f'<text:list text:style-name="Numbering_123">{item("Radwege", "<text:list>" + item("Plan") + item("Kosten") + "</text:list>")}</text:list>'
        "<text:p>Dazwischen <text:s text:c='2'/>ein Absatz.</text:p>"
        f'<text:list text:style-name="Numbering_123" text:continue-numbering="true">{item("Gehwege")}</text:list>'
        "</office:text></office:body></office:document-content>"
    )
    text = read_document(zipped({"styles.xml": styles, "content.xml": content}), "a.odt", "a.odt").text
    assert text.splitlines() == [
        "BÜNDNIS 90/DIE GRÜNEN",
        "1. Radwege",
        "  a) Plan",
        "  b) Kosten",
        "Dazwischen   ein Absatz.",
        "2. Gehwege",
    ]


def test_the_text_boxes_of_a_word_letter_template_are_read_once() -> None:
    """The sender's block in a text box, written as Word writes it: for itself and as a fallback."""
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    box = f'<w:txbxContent xmlns:w="{w}"><w:p><w:r><w:t>FDP-Fraktion</w:t></w:r></w:p><w:p><w:r><w:t>Datum: 03.06.2024</w:t></w:r></w:p></w:txbxContent>'
    run = (
        f'<w:r xmlns:w="{w}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml">'
        f"<mc:AlternateContent><mc:Choice Requires='wps'><wps:txbx>{box}</wps:txbx></mc:Choice>"
        f"<mc:Fallback><v:textbox>{box}</v:textbox></mc:Fallback></mc:AlternateContent></w:r>"
    )
    document = docx.Document()
    document.add_paragraph("Briefkopf")._p.append(parse_xml(run))
    document.add_paragraph("Antrag: Radwege")
    out = io.BytesIO()
    document.save(out)
    lines = [line for line in read_document(out.getvalue(), "a.docx", "a.docx").text.splitlines() if line]
    assert lines == ["Briefkopf", "FDP-Fraktion", "Datum: 03.06.2024", "Antrag: Radwege"]
