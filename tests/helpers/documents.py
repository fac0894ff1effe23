"""Letters in the forms they reach an office, made by the tests themselves: PDF (fpdf2), Word (python-docx)
with automatic numbering, OpenDocument with a list, e-mails; and the files that must be refused."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

# A short letter with umlauts and ß; the items are given without numbers where the kind numbers them itself.
HEAD = [
    "SPD-Fraktion im Gemeinderat Musterstadt",
    "",
    "An den Oberbürgermeister",
    "",
    "Musterstadt, den 14.03.2024",
    "",
    "Antrag: Sichere Schulwege für Fußgänger",
    "",
    "Sehr geehrter Herr Oberbürgermeister,",
    "die SPD-Fraktion beantragt:",
]
ITEMS = ["Zebrastreifen an der Goethestraße prüfen", "Tempo 30 vor der Grundschule Süd", "Schulwegplan veröffentlichen"]
TAIL = [
    "",
    "Begründung:",
    "Viele Kinder gehen zu Fuß zur Schule; die Straßen sind gefährlich.",
    "",
    "Mit freundlichen Grüßen",
    "Erika Muster",
]


def letter_text() -> str:
    return "\n".join([*HEAD, *(f"{n}. {item}" for n, item in enumerate(ITEMS, 1)), *TAIL]) + "\n"


def pdf_letter(lines: list[str] | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.core_fonts_encoding = "windows-1252"  # the core fonts: umlauts, ß and typographic quotes
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in lines if lines is not None else letter_text().splitlines():
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page with only an image on it, as a scanner makes it: no text layer."""
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("L", (200, 100), 255)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    return bytes(pdf.output())


def encrypted_pdf(password: str = "geheim") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_letter())))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_letter() -> bytes:
    """The items as Word's automatic numbering ('List Number'): their numbers are not in the text."""
    import docx

    document = docx.Document()
    for line in HEAD:
        document.add_paragraph(line)
    for item in ITEMS:
        document.add_paragraph(item, style="List Number")
    for line in TAIL:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.3"'
)


def odt_letter(number_format: str = "1", suffix: str = ".") -> bytes:
    """An OpenDocument text as LibreOffice writes it: the items a list whose style numbers them."""
    paragraphs = "".join(f"<text:p>{line}</text:p>" for line in HEAD)
    items = "".join(f"<text:list-item><text:p>{item}</text:p></text:list-item>" for item in ITEMS)
    tail = "".join(f"<text:p>{line}</text:p>" for line in TAIL)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODT_NS}>'
        '<office:automatic-styles><text:list-style style:name="L1">'
        f'<text:list-level-style-number text:level="1" style:num-format="{number_format}" style:num-suffix="{suffix}"/>'
        "</text:list-style></office:automatic-styles>"
        f'<office:body><office:text>{paragraphs}<text:list text:style-name="L1">{items}</text:list>{tail}'
        "</office:text></office:body></office:document-content>"
    )
    return zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content})


def zipped(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


SENT = datetime(2024, 3, 15, 9, 30, tzinfo=UTC)


def mail(
    *,
    body: str | None = None,
    html: str | None = None,
    attachment: tuple[str, bytes] | None = None,
    sender: str = "SPD-Fraktion Musterstadt <spd@example.org>",
    sent: datetime = SENT,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "Ratsbüro <rat@example.org>"
    message["Subject"] = "Antrag Schulwege"
    message["Date"] = format_datetime(sent)
    if body is not None:
        message.set_content(body)
    if html is not None:
        if body is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    if attachment is not None:
        name, data = attachment
        maintype, subtype = {
            ".pdf": ("application", "pdf"),
            ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
        }.get(name[name.rfind(".") :], ("application", "octet-stream"))
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()
