"""Reading a motion letter (Antrag) as a council office receives it: text from a file, a PDF or an e-mail.

The letter is read line by line after the conversion artefacts are cleaned away
(stray ``**``, no-break spaces, Windows line ends, Markdown marks). Its text begins after
the salutation or, in a form or a letter without one, after the letterhead, the paper's
number, the consultation table and the subject line. The request is a list that the request's
words lead to or that opens the text, else the request written as prose (one item, its first
sentence). The letterhead, the dates, the address, the "z. K." list and the signatures give the
other fields. Whatever is not found stays empty (or None): a letter is accepted as long as it
requests something.

lines.py cleans the text into lines and holds the patterns that tell the parts apart; head.py finds
where the text begins and the unlabelled subject; items.py reads lists; request.py chooses the request;
dates.py and fields.py read the fields around it; read.py puts them together.
"""

from store.exchange.letter.read import LETTER_LIMIT, LetterFindings, parse_letter

__all__ = ["LETTER_LIMIT", "LetterFindings", "parse_letter"]
