"""What every kind of letter file gives: the text, and what an e-mail adds around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# A letter is a few pages; a file of the kinds read here holds it with its images and fonts. Beyond this
# size a file is refused before it is read, so a huge file cannot fill the memory.
DOCUMENT_LIMIT = 50 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """A letter read from its file: the text, and the fallbacks an e-mail gives for the date and the group."""

    text: str
    sent: date | None = None  # the e-mail's Date header
    sender: str = ""  # the display name of the e-mail's From header
