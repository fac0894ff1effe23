"""A letter file as text: plain text or Markdown, PDF, Word (DOCX), OpenDocument (ODT), an e-mail (EML).

One module per kind turns its file into the letter's text, which the letter reader
(:mod:`store.exchange.letter`) then reads as it reads a text file; an e-mail adds its sender's name and
its date as fallbacks for the group and the date. kinds.py tells the kinds apart by their content
(and by the name's suffix where the content does not say) and refuses what cannot be read, each time
with a :class:`store.BadInput` naming the file.
"""

from store.exchange.documents.document import DOCUMENT_LIMIT, Document
from store.exchange.documents.kinds import IMPORT_SUFFIXES, read_document

__all__ = ["DOCUMENT_LIMIT", "IMPORT_SUFFIXES", "Document", "read_document"]
