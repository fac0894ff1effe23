"""Reading a motion letter (Antrag) as a council office receives it: plain text or Markdown.

The letter is read line by line after the conversion artefacts are cleaned away
(stray ``**``, no-break spaces, Windows line ends, Markdown marks). The requested
items are the first list after the request ("beantragt", "wird gebeten", "möge
beschließen", ...); the letterhead, the address, the "z. K." list, the date and
the signatures around it give the other fields. Whatever is not found stays empty
(or None): a letter is accepted as long as it requests something.

lines.py cleans the text into lines and holds the patterns that tell the parts apart; items.py finds
the requested list; fields.py reads the fields around it; read.py puts them together.
"""

from store.exchange.letter.read import LETTER_LIMIT, LetterFindings, parse_letter

__all__ = ["LETTER_LIMIT", "LetterFindings", "parse_letter"]
