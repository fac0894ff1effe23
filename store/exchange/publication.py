"""What a report for publication holds, decided once for every format (md, csv, json, docx, pdf).

A report for publication (``sachstand export --public``, the dashboard's "for publication?") leaves
out every non-public motion entirely and every field declared ``internal`` in store/fields.py (who
handles an item, who changed it last, where the letter lies: the clerk's working data). Without it,
each format marks a non-public motion as such ("nichtöffentlich"), in the words of :func:`access_word`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from store.fields import ITEM_FIELDS, MOTION_FIELDS, Field
from store.i18n import add_catalog, translate
from store.model import Motion

_INTERNAL_MOTION = {name: field.default for name, field in MOTION_FIELDS.items() if field.internal}
_INTERNAL_ITEM = {name: field.default for name, field in ITEM_FIELDS.items() if field.internal}


def publication(motions: Sequence[Motion], public: bool) -> list[Motion]:
    """The motions as the report may show them: all of them, or for publication only the public ones,
    their internal fields emptied (so no writer can show them, whatever columns it chooses)."""
    if not public:
        return list(motions)
    return [
        replace(
            motion,
            **_INTERNAL_MOTION,
            items=tuple(replace(item, **_INTERNAL_ITEM) for item in motion.items),
        )
        for motion in motions
        if motion.public
    ]


def shown_fields(fields: Iterable[Field], public: bool) -> tuple[Field, ...]:
    """The fields a format may show: for publication without the internal ones (and their columns)."""
    return tuple(field for field in fields if not (public and field.internal))


def access_word(public: bool, lang: str) -> str:
    """ "öffentlich" or "nichtöffentlich": how every format marks a motion's session."""
    return translate("public" if public else "non-public", lang)


add_catalog("de", {"public": "öffentlich", "non-public": "nichtöffentlich"})
