"""Reading a whole motion letter: where its parts are, and what each says."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from store.errors import BadInput
from store.exchange.letter.dates import meeting_on, submitted_on
from store.exchange.letter.fields import (
    addressed_to,
    committee,
    copy_list,
    copy_to,
    legal_basis,
    names_group,
    read_title,
    reference,
    signed_groups,
    submitted_by,
)
from store.exchange.letter.head import Head, form_line, locate_head
from store.exchange.letter.items import joined
from store.exchange.letter.lines import CLOSING, SALUTATION, Layout, Line, find, read_lines
from store.exchange.letter.request import Request, find_request
from store.i18n import add_catalog

# The longest letter read, in characters (about 150 pages): a motion letter is a few pages, and
# reading stays quick up to here. README's import section names it.
LETTER_LIMIT = 500_000


@dataclass(frozen=True)
class LetterFindings:
    """What a motion letter says, field by field (see :func:`parse_letter`); "" or None where it says nothing."""

    title: str  # the subject line, a heading, else from the request sentence or the first item; never empty
    reference: str  # the paper's number: "Vorlage Nr.: 2023/1090", "Drucksache 17/123"
    submitted: date | None  # the letter's own date ("Heinsberg, den 28.07.2020"), else its arrival, else ``sent``
    submitted_by: tuple[str, ...]  # the groups, named as in the letterhead: ("Fraktion der CDU", ...)
    addressed_to: str  # "Landrat des Kreises Heinsberg"
    copy_to: tuple[str, ...]  # the "z. K." list
    legal_basis: str  # "§ 5 GeschO"
    committee: str  # the first body named for the meeting: "Kreisausschuss"
    meeting: date | None  # the meeting's date, if the letter names one
    items: tuple[str, ...]  # the requested items, in order, cleaned; a request in prose gives its first sentence
    text: str  # request and reasoning as plain text, the items of a list numbered 1., 2., ...


def parse_letter(text: str, where: str = "letter", *, sent: date | None = None, sender: str = "") -> LetterFindings:
    """Read a motion letter; ``where`` (e.g. the file name) starts every error message.

    ``sent`` and ``sender`` are what the envelope says (an e-mail's Date header and its From display
    name): the date when the letter names none of its own, the group when the letter names none.

    Raises :class:`BadInput` when the text is empty, not text, longer than :data:`LETTER_LIMIT`
    characters, or requests no items.
    """
    if isinstance(text, str) and len(text) > LETTER_LIMIT:
        raise BadInput(
            "{where}: longer than {limit} characters; a motion letter is a few pages.", where=where, limit=LETTER_LIMIT
        )
    lines = read_lines(text, where)
    copies = copy_list(lines)
    head = locate_head(lines, lambda index: index in copies or form_line(lines[index], names_group(lines[index])))
    request = find_request(lines, head.body)
    if request is None:
        raise BadInput(
            "{where}: no requested items found; number them 1., 2., ... or list them with - after the request.",
            where=where,
        )
    layout = _layout(lines, head, request)
    submitted = submitted_on(lines) or sent
    return LetterFindings(
        title=read_title(lines, layout, request.items, joined([lines[index].text for index in head.subject])),
        reference=reference(lines, layout.header),
        submitted=submitted,
        submitted_by=submitted_by(lines, layout) or _sender(sender),
        addressed_to=addressed_to(lines, layout.header),
        copy_to=copy_to(lines),
        legal_basis=legal_basis(lines),
        committee=committee(lines, layout),
        meeting=meeting_on(lines, layout, submitted),
        items=request.items,
        text=_text(lines, layout, request),
    )


def _layout(lines: Sequence[Line], head: Head, request: Request) -> Layout:
    salutation = find(lines, SALUTATION, stop=head.body)
    items = request.span
    closing = find(lines, CLOSING, start=items.stop)
    signature = next((index for index in range(items.stop, len(lines)) if signed_groups(lines[index])), None)
    body_end = min(index for index in (closing, signature, len(lines)) if index is not None)
    header_end = head.body if salutation is None else salutation
    return Layout(range(header_end), range(head.body, body_end), items, range(items.stop, len(lines)))


def _sender(sender: str) -> tuple[str, ...]:
    name = " ".join(sender.split())
    return (name,) if name else ()


# More than one blank line in a row.
_BLANK_LINES = re.compile(r"\n{3,}")


def _text(lines: Sequence[Line], layout: Layout, request: Request) -> str:
    """The body as plain text: request and reasoning, the items of a list numbered as they are stored."""
    out: list[str] = []
    for index in layout.body:
        if index == layout.items.start and not request.prose:
            out.extend(f"{number}. {item}" for number, item in enumerate(request.items, start=1))
        elif index not in layout.items:
            out.append(lines[index].words)
    return _BLANK_LINES.sub("\n\n", "\n".join(out)).strip()


add_catalog(
    "de",
    {
        "{where}: no requested items found; number them 1., 2., ... or list them with - after the request.": "{where}: keine beantragten Punkte gefunden; bitte nach dem Antragstext mit 1., 2., ... "
        "nummerieren oder mit - auflisten.",
        "{where}: longer than {limit} characters; a motion letter is a few pages.": "{where}: länger als {limit} Zeichen; ein Antragsschreiben hat wenige Seiten.",
    },
)
