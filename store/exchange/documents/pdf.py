"""A PDF letter's text layer, page by page in the order pypdf reads it: for a letter written in an office
program, the order it was written in, each block whole. pypdf's layout mode is not used: it sets blocks
that stand side by side (the address and the sender's block of a letterhead) on shared lines, which
mixes them for a reader that reads a line at a time."""

from __future__ import annotations

import io
import logging

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from store.errors import BadInput
from store.exchange.documents.document import Document
from store.exchange.letter import LETTER_LIMIT
from store.i18n import add_catalog

# pypdf logs what it repairs in a slightly damaged file as warnings; with no handler, Python would print
# them on the terminal between the command's own lines. What cannot be repaired still raises.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

# A page with fewer letters or digits than this holds no text a reader could use: a scan, perhaps with a
# stamp or a page number in a text layer.
_SOME_TEXT = 20


def read_pdf(content: bytes, where: str) -> Document:
    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted:
        _decrypt(reader, where)
    pages: list[str] = []
    size = 0
    for page in reader.pages:
        pages.append(page.extract_text())
        size += len(pages[-1])
        if size > LETTER_LIMIT:
            break  # the letter reader refuses it, naming its limit; the rest need not be read
    text = "\n".join(pages).replace("\x00", "")  # a font without a text mapping can leave NULs
    if sum(char.isalnum() for char in text) < _SOME_TEXT:
        raise BadInput(
            "{path}: a PDF without a text layer (a scan); it needs text recognition (OCR) before it can be imported.",
            path=where,
        )
    return Document(text)


def _decrypt(reader: PdfReader, where: str) -> None:
    """Many PDFs are encrypted only to restrict printing or editing, with an empty password to open
    them: those are read. One that needs a password to open is refused."""
    try:
        opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except (FileNotDecryptedError, DependencyError, NotImplementedError):
        opened = False
    if not opened:
        raise BadInput(
            "{path}: an encrypted PDF that needs a password to open; save it without the password and import that.",
            path=where,
        )


add_catalog(
    "de",
    {
        "{path}: a PDF without a text layer (a scan); it needs text recognition (OCR) before it can be imported.": "{path}: ein PDF ohne Textebene (ein Scan); es braucht eine Texterkennung (OCR), bevor es importiert werden kann.",
        "{path}: an encrypted PDF that needs a password to open; save it without the password and import that.": "{path}: ein verschlüsseltes PDF, das ein Kennwort zum Öffnen braucht; es ohne Kennwort speichern und dann importieren.",
    },
)
