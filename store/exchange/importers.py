"""Turning outside material into motions: motion letters, OParl papers, our own JSON export.

Each source gives motions stable ids (the same letter or paper always maps to the same
motion), so :meth:`store.Store.import_motions` can tell new from known and keep what staff
edited. The fields each source manages are declared with the fields (store.fields).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from store.errors import BadInput
from store.example import EXAMPLE_ID, example_letter
from store.fields import ITEM_FIELDS, JSON, LETTER, MOTION_FIELDS, OPARL, Field, Kind, managed_fields
from store.model import Item, Motion, new_items
from store.values import MotionStatus

if TYPE_CHECKING:
    from store.exchange.letter import LetterFindings
    from store.exchange.oparl import OParlPaper

_Record = TypeVar("_Record", Motion, Item)

_NAMESPACE = uuid.UUID("5b0c8f7e-1d2a-4c3b-9e8f-7a6b5c4d3e2f")  # Sachstand's own uuid5 namespace

# What a re-import from each source may update (declared with the fields); staff own the rest.
LETTER_FIELDS = managed_fields(LETTER)
OPARL_FIELDS = managed_fields(OPARL)
JSON_FIELDS = managed_fields(JSON)


def motion_from_letter(findings: LetterFindings, letter_text: str, source: str) -> Motion:
    """A letter's motion; its id comes from the letter's words, so the same letter is found again."""
    # A long letter is still read: what exceeds a field's limit is shortened ("…"), the letter itself is kept.
    item_limit = ITEM_FIELDS["title"].limit
    motion = Motion(
        id=letter_motion_id(letter_text),
        items=new_items((_shortened(item, item_limit) for item in findings.items), where=source),
        status=MotionStatus.SCHEDULED if findings.meeting else MotionStatus.RECEIVED,
        source=source,
        **{name: getattr(findings, name) for name in LETTER_FIELDS if name != "text"},  # the letter says them all
        text=findings.text[:1].upper() + findings.text[1:],  # it may begin after "Sehr geehrte …," in lower case
    )
    return _fitted(MOTION_FIELDS, motion)


def letter_motion_id(letter_text: str) -> str:
    """The id of a letter's motion, from its words. The shipped example letter is the example motion
    (`sachstand example`), so importing it finds that motion rather than adding a second."""
    digest = _words_digest(letter_text)
    return EXAMPLE_ID if digest == _words_digest(example_letter()) else str(uuid.uuid5(_NAMESPACE, f"letter:{digest}"))


@lru_cache(maxsize=4)  # the example letter's, compared on every import
def _words_digest(letter_text: str) -> str:
    words = " ".join(letter_text.replace("**", "").split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def motions_from_papers(papers: Iterable[OParlPaper], known: Mapping[str, Motion], today: date) -> list[Motion]:
    """The motions for a batch of OParl papers; ``known`` are the motions the store has, by id.

    A paper deleted at the source usually comes with nothing but its id: it only marks a
    motion we have, and is news for nothing else.
    """
    motions = []
    for paper in papers:
        motion_id = paper_motion_id(paper.id)
        if not paper.deleted:
            motions.append(motion_from_paper(paper, today))
        elif motion_id in known:
            motions.append(replace(known[motion_id], source_deleted=True))
    return motions


def paper_motion_id(paper_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"oparl:{paper_id}"))


def motion_from_paper(paper: OParlPaper, today: date) -> Motion:
    """An OParl paper as a motion with one item standing for the whole motion, until staff split it.

    A value longer than its field allows is shortened and ends in "…": one paper with an
    over-long name does not stop the import of all the others.
    """
    committee, meeting = _next_consultation(paper.consultations, today)
    # Real endpoints leave names empty now and then; the reference or the id still says which paper it is.
    title = paper.name or paper.reference or paper.id.rstrip("/").rsplit("/", 1)[-1] or paper.id
    item = Item(number=1, title=title, department=", ".join(paper.departments))
    return _fitted(
        MOTION_FIELDS,
        Motion(
            id=paper_motion_id(paper.id),
            title=title,
            reference=paper.reference,
            items=(_fitted(ITEM_FIELDS, item),),
            submitted=paper.date,
            submitted_by=paper.originators,
            committee=committee,
            meeting=meeting,
            status=MotionStatus.SCHEDULED if meeting else MotionStatus.RECEIVED,
            source=paper.web or paper.id,
            source_deleted=paper.deleted,
        ),
    )


def _fitted(fields: Mapping[str, Field], record: _Record) -> _Record:
    """The record with each text longer than its field's limit shortened, ending in "…"."""
    changes: dict[str, Any] = {}
    for name, field in fields.items():
        value = getattr(record, name)
        if field.kind in (Kind.LINE, Kind.TEXT):
            changes[name] = _shortened(value, field.limit)
        elif field.kind is Kind.LINES:
            changes[name] = tuple(_shortened(line, field.limit) for line in value)
    return replace(record, **changes)


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _next_consultation(consultations: Sequence[tuple[str, date | None]], today: date) -> tuple[str, date | None]:
    """The next meeting that deals with the paper; if all are past, the last one."""
    dated = sorted((day, name) for name, day in consultations if day)
    upcoming = [(day, name) for day, name in dated if day >= today]
    if upcoming:
        return upcoming[0][1], upcoming[0][0]
    if dated:
        return dated[-1][1], dated[-1][0]
    return (consultations[0][0], None) if consultations else ("", None)


def motions_from_export(content: bytes, where: str) -> list[Motion]:
    """Motions from a file written by `sachstand export --format json`."""
    try:
        data: Any = orjson.loads(content)
    except orjson.JSONDecodeError as error:
        raise BadInput("{where}: not valid JSON ({detail}).", where=where, detail=error.msg) from None
    if not isinstance(data, dict) or data.get("sachstand") != "motions" or not isinstance(data.get("motions"), list):
        raise BadInput("{where}: not a Sachstand export (no 'sachstand': 'motions').", where=where)
    return [Motion.from_dict(raw, where=f"{where}: motions[{index}]") for index, raw in enumerate(data["motions"])]
