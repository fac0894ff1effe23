"""Reading a whole motion letter: where its parts are, and what each says."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from store.errors import BadInput
from store.exchange.letter.fields import (
    COPY_LABEL,
    SUBJECT,
    addressed_to,
    committee,
    copy_to,
    legal_basis,
    meeting_on,
    read_title,
    signed_groups,
    submitted_by,
    submitted_on,
)
from store.exchange.letter.items import requested_list
from store.exchange.letter.lines import CLOSING, REQUEST, SALUTATION, Layout, Line, find, is_prose, read_lines
from store.i18n import add_catalog

# The longest letter read, in characters (about 150 pages): a motion letter is a few pages, and
# reading stays quick up to here. README's import section names it.
LETTER_LIMIT = 500_000


@dataclass(frozen=True)
class LetterFindings:
    """What a motion letter says, field by field (see :func:`parse_letter`); "" or None where it says nothing."""

    title: str  # the subject line, a heading, else from the request sentence or the first item; never empty
    submitted: date | None  # the letter's own date ("Heinsberg, den 28.07.2020")
    submitted_by: tuple[str, ...]  # the groups, named as in the letterhead: ("Fraktion der CDU", ...)
    addressed_to: str  # "Landrat des Kreises Heinsberg"
    copy_to: tuple[str, ...]  # the "z. K." list
    legal_basis: str  # "§ 5 GeschO"
    committee: str  # the first body named for the meeting: "Kreisausschuss"
    meeting: date | None  # the meeting's date, if the letter names one
    items: tuple[str, ...]  # the requested items, in order, cleaned
    text: str  # request and reasoning as plain text, the items numbered 1., 2., ...


def parse_letter(text: str, where: str = "letter", *, sent: date | None = None, sender: str = "") -> LetterFindings:
    """Read a motion letter; ``where`` (e.g. the file name) starts every error message. ``sent`` and
    ``sender``: the Date header and the From name of the e-mail that brought it, for the reader's
    fallbacks of the date and the group.

    Raises :class:`BadInput` when the text is empty, not text, longer than :data:`LETTER_LIMIT`
    characters, or requests no items.
    """
    if isinstance(text, str) and len(text) > LETTER_LIMIT:
        raise BadInput(
            "{where}: longer than {limit} characters; a motion letter is a few pages.", where=where, limit=LETTER_LIMIT
        )
    lines = read_lines(text, where)
    requested = requested_list(lines)
    if requested is None:
        raise BadInput(
            "{where}: no requested items found; number them 1., 2., ... or list them with - after the request.",
            where=where,
        )
    items, span = requested
    layout = _layout(lines, span)
    submitted = submitted_on(lines)
    return LetterFindings(
        title=read_title(lines, layout, items),
        submitted=submitted,
        submitted_by=submitted_by(lines, layout),
        addressed_to=addressed_to(lines, layout.header),
        copy_to=copy_to(lines),
        legal_basis=legal_basis(lines),
        committee=committee(lines, layout),
        meeting=meeting_on(lines, layout, submitted),
        items=items,
        text=_text(lines, layout, items),
    )


def _layout(lines: Sequence[Line], items: range) -> Layout:
    opening = find(lines, SALUTATION, stop=items.start)
    if opening is None:
        # No salutation: the letterhead ends where the prose or the request begins.
        header_end = min(
            index
            for index in (find(lines, REQUEST, stop=items.start), _first_prose(lines, items.start), items.start)
            if index is not None
        )
        body_start = header_end
    else:
        header_end, body_start = opening, opening + 1
    closing = find(lines, CLOSING, start=items.stop)
    signature = next((index for index in range(items.stop, len(lines)) if signed_groups(lines[index])), None)
    body_end = min(index for index in (closing, signature, len(lines)) if index is not None)
    return Layout(range(header_end), range(body_start, body_end), items, range(items.stop, len(lines)))


def _first_prose(lines: Sequence[Line], stop: int) -> int | None:
    """The first line of prose before ``stop``; a long subject or copy list is not prose."""
    labelled = (SUBJECT, COPY_LABEL)
    return next(
        (
            index
            for index in range(stop)
            if is_prose(lines[index]) and not any(label.match(lines[index].text) for label in labelled)
        ),
        None,
    )


# More than one blank line in a row.
_BLANK_LINES = re.compile(r"\n{3,}")


def _text(lines: Sequence[Line], layout: Layout, items: tuple[str, ...]) -> str:
    """The body as plain text: request and reasoning, the items numbered as they are stored."""
    out: list[str] = []
    for index in layout.body:
        if index == layout.items.start:
            out.extend(f"{number}. {item}" for number, item in enumerate(items, start=1))
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
