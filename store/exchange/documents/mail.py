"""An e-mail (EML) that brings a letter: the attached PDF, Word or OpenDocument file if it has one, else
its text (the plain part, or the HTML part as text). Its sender's name and its date come along, as
fallbacks for the letter's group and date."""

from __future__ import annotations

import email
import email.errors
import email.header
import email.policy
import email.utils
from collections.abc import Callable
from datetime import date
from email.message import Message
from pathlib import PurePath

from store.errors import BadInput
from store.exchange.documents.document import Document
from store.exchange.documents.markup import html_text
from store.i18n import add_catalog

LETTER_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
}

Reader = Callable[[bytes, str, str], Document]  # content, file name, where: kinds.read_document


def read_mail(content: bytes, where: str, read: Reader) -> Document:
    message = email.message_from_bytes(content, policy=email.policy.compat32)  # headers as sent, never raising
    sent, sender = _sent(message), _sender(message)
    for part in message.walk():
        name = _attachment_name(part)
        if name:
            payload = part.get_payload(decode=True)
            letter = read(payload if isinstance(payload, bytes) else b"", name, f"{where} › {name}")
            return Document(letter.text, sent, sender)
    text = _body(message)
    if not text.strip():
        raise BadInput(
            "{path}: an e-mail without a letter: no PDF, Word or OpenDocument attachment and no text.", path=where
        )
    return Document(text, sent, sender)


def _attachment_name(part: Message) -> str:
    """The file name of a letter attached to the e-mail (by its name's suffix or its type), else ""."""
    if part.is_multipart():
        return ""
    name = _decoded(part.get_filename() or "")
    suffix = PurePath(name).suffix.lower()
    if suffix in LETTER_TYPES.values():
        return name
    kind = LETTER_TYPES.get(part.get_content_type())
    return (name or "letter") + ("" if suffix == kind else kind) if kind else ""


def _body(message: Message) -> str:
    """The first plain text part, else the first HTML part as text; attachments are not the body."""
    parts = [
        part for part in message.walk() if not part.is_multipart() and part.get_content_disposition() != "attachment"
    ]
    for wanted in ("text/plain", "text/html"):
        for part in parts:
            if part.get_content_type() == wanted:
                payload = part.get_payload(decode=True)
                raw = payload if isinstance(payload, bytes) else b""
                try:
                    text = raw.decode(part.get_content_charset() or "utf-8", errors="replace")
                except LookupError:  # a charset Python does not know: most mail is UTF-8 or close to it
                    text = raw.decode("utf-8", errors="replace")
                return html_text(text) if wanted == "text/html" else text
    return ""


def _sent(message: Message) -> date | None:
    try:
        return email.utils.parsedate_to_datetime(str(message.get("Date", ""))).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None  # no date, or one that cannot be read: the letter's own date or the import's day counts


def _sender(message: Message) -> str:
    name, _address = email.utils.parseaddr(_decoded(str(message.get("From", ""))))
    return name.strip()


def _decoded(header: str) -> str:
    """A header's encoded words (=?utf-8?q?B=C3=BCndnis?=) as text."""
    try:
        return str(email.header.make_header(email.header.decode_header(header)))
    except (UnicodeError, LookupError, ValueError, email.errors.HeaderParseError):
        return header


add_catalog(
    "de",
    {
        "{path}: an e-mail without a letter: no PDF, Word or OpenDocument attachment and no text.": "{path}: eine E-Mail ohne Schreiben: kein PDF-, Word- oder OpenDocument-Anhang und kein Text.",
    },
)
