"""Which kind of letter file this is, told by its content first (a PDF, a ZIP container, an old Office
file announce themselves in their first bytes) and by its name's suffix where the content does not say,
and the module that reads it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath

from store.errors import BadInput, SachstandError
from store.exchange.documents.document import Document
from store.i18n import Msg, add_catalog

TEXT_SUFFIXES = (".txt", ".md")
# What `sachstand import FOLDER` takes from a folder: the kinds read here and Sachstand's JSON export; .doc
# and .msg too, so that such a file is named as refused rather than passed over without a word.
IMPORT_SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx", ".odt", ".eml", ".json", ".doc", ".msg")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of old Word (.doc) and Outlook (.msg)
# An e-mail saved as a file starts with header lines; a letter may start with "Betreff:", but not with these.
_MAIL_HEADER = re.compile(
    rb"^(from|to|subject|date|message-id|mime-version|received|return-path|delivered-to|x-[\w-]+):", re.I | re.M
)
_KINDS = {
    "pdf": Msg("PDF"),
    "word": Msg("Word (DOCX)"),
    "odt": Msg("OpenDocument (ODT)"),
    "mail": Msg("e-mail (EML)"),
}


def read_document(content: bytes, name: str, where: str) -> Document:
    """The letter in ``content`` (a file called ``name``); a :class:`BadInput` naming ``where`` if it
    cannot be read: damaged, encrypted, a scan without text, or of a kind not read here."""
    kind = _kind(content, name, where)
    if kind == "text":
        return Document(_text(content, name, where))
    try:
        return _reader(kind)(content, where)
    except (SachstandError, MemoryError):
        raise
    except Exception as error:  # a damaged file can fail anywhere inside the library reading it: the file's fault
        raise BadInput(
            "{path}: a damaged {kind} file; it cannot be read ({detail}).",
            path=where,
            kind=_KINDS[kind],
            detail=f"{type(error).__name__}: {error}"[:200],
        ) from None


def _kind(content: bytes, name: str, where: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if b"%PDF-" in content[:1024]:  # the header may follow a little junk, as readers allow
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        return _zipped(content, where)
    if content.startswith(_OLE) or suffix in (".doc", ".msg"):
        raise BadInput(
            "{path}: an old Word (.doc) or Outlook (.msg) file, which Sachstand does not read; save the letter as "
            "PDF or DOCX (an e-mail as .eml) and import that.",
            path=where,
        )
    if content.startswith(b"{\\rtf"):
        raise _unknown(where)
    known = {".pdf": "pdf", ".docx": "word", ".odt": "odt", ".eml": "mail"}.get(suffix)
    if known in ("pdf", "word", "odt"):
        raise BadInput("{path}: a damaged {kind} file; it cannot be read.", path=where, kind=_KINDS[known])
    if known or (suffix not in TEXT_SUFFIXES and _MAIL_HEADER.match(content[:200])):
        return "mail"
    return "text"


def _zipped(content: bytes, where: str) -> str:
    """Word's and OpenDocument's ZIP containers told apart by what they hold."""
    from store.exchange.documents.zipped import open_zip

    names = set(open_zip(content, where).namelist())
    if "word/document.xml" in names:
        return "word"
    if "content.xml" in names:
        return "odt"
    raise _unknown(where)


def _reader(kind: str) -> Callable[[bytes, str], Document]:
    """The module for a kind, loaded when a file of that kind comes: pypdf and python-docx take a while."""
    if kind == "pdf":
        from store.exchange.documents.pdf import read_pdf

        return read_pdf
    if kind == "word":
        from store.exchange.documents.word import read_word

        return read_word
    if kind == "odt":
        from store.exchange.documents.opendocument import read_odt

        return read_odt
    from store.exchange.documents.mail import read_mail

    return lambda content, where: read_mail(content, where, read_document)


def _text(content: bytes, name: str, where: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if PurePath(name).suffix.lower() in TEXT_SUFFIXES:
            raise BadInput("{path}: not a text file in UTF-8.", path=where) from None
        raise _unknown(where) from None


def _unknown(where: str) -> BadInput:
    return BadInput(
        "{path}: not a kind of file Sachstand reads: a letter as text (UTF-8) or Markdown, PDF, Word (DOCX), "
        "OpenDocument (ODT) or e-mail (EML), or Sachstand's JSON export.",
        path=where,
    )


add_catalog(
    "de",
    {
        "PDF": "PDF",
        "Word (DOCX)": "Word (DOCX)",
        "OpenDocument (ODT)": "OpenDocument (ODT)",
        "e-mail (EML)": "E-Mail (EML)",
        "{path}: a damaged {kind} file; it cannot be read ({detail}).": "{path}: eine beschädigte {kind}-Datei; sie ist nicht lesbar ({detail}).",
        "{path}: a damaged {kind} file; it cannot be read.": "{path}: eine beschädigte {kind}-Datei; sie ist nicht lesbar.",
        "{path}: an old Word (.doc) or Outlook (.msg) file, which Sachstand does not read; save the letter as PDF or DOCX (an e-mail as .eml) and import that.": "{path}: eine alte Word- (.doc) oder Outlook-Datei (.msg), die Sachstand nicht liest; das Schreiben als PDF oder DOCX speichern (eine E-Mail als .eml) und dann importieren.",
        "{path}: not a kind of file Sachstand reads: a letter as text (UTF-8) or Markdown, PDF, Word (DOCX), OpenDocument (ODT) or e-mail (EML), or Sachstand's JSON export.": "{path}: keine Dateiart, die Sachstand liest: ein Schreiben als Text (UTF-8) oder Markdown, PDF, Word (DOCX), OpenDocument (ODT) oder E-Mail (EML), oder der JSON-Export von Sachstand.",
    },
)
