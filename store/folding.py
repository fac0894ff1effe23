"""The search's haystacks: everything a person might search a motion by, case-folded, as UTF-8 bytes.

One definition of which texts are searched and how they are folded, for a motion's model (the dashboard's
search) and for its document as the data file holds it (store/file/prefold.py, which folds a file's motions
in a child process while the dashboard reads the store): the two give the same bytes for the same motion.
"""

from __future__ import annotations

from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from store.model import Motion

# The texts searched, in this order: the motion's, its groups (submitted_by), then each item's. No word typed
# spans two texts: they are apart by a newline.
_MOTION_TEXTS = ("title", "reference", "committee")
_ITEM_TEXTS = ("title", "note", "department")
_GROUPS = "submitted_by"

# Between two motions' texts in one batch: a character no text may hold (store.values refuses control
# characters), so the batch splits back into its motions; checked, as a model made in memory is not read.
_BETWEEN = "\x00"
_SPLIT = b"\n\x00\n"
_ASCII = bytes(range(128))
FOLD_BATCH = 500  # motions folded at once: their texts stay in the processor's cache (twice as slow at 50,000)


class Haystacks(NamedTuple):
    """Motions' haystacks by key, each with the motion it was folded from: the search's own two dicts, which
    it takes as they are (a dict of 50,000 pairs, made and taken apart again, was 0.1 s of the app's thread)."""

    made_of: dict[str, Motion]
    texts: dict[str, bytes]


def folded(text: str) -> bytes:
    """``text.casefold()`` as UTF-8, for comparison with a folded query's bytes (UTF-8 finds a character's
    bytes only where the character is, so a substring of the bytes is a substring of the text).

    casefold itself takes 8 to 9 ns a character in a text with one letter outside ASCII, which is every
    motion's (0.2 s at 50,000 motions), against under a nanosecond for ASCII: here every ASCII letter is
    lowered at once in the bytes, and each distinct other character that folds is replaced by its fold.
    casefold maps one character at a time, and a fold folds to itself (tests/unit/test_search.py), so the
    replacements never meet each other's output."""
    encoded = text.encode("utf-8", "surrogatepass")
    lowered = encoded.lower()
    if len(encoded) == len(text):  # ASCII only
        return lowered
    for char in set(encoded.translate(None, _ASCII).decode("utf-8", "surrogatepass")):
        fold = char.casefold()
        if fold != char:
            lowered = lowered.replace(char.encode("utf-8", "surrogatepass"), fold.encode("utf-8", "surrogatepass"))
    return lowered


def query_words(query: str) -> list[bytes]:
    """The words of a query, folded as the haystacks are."""
    return [word.encode("utf-8", "surrogatepass") for word in query.casefold().split()]


_motion_texts = attrgetter(*_MOTION_TEXTS)
_item_texts = attrgetter(*_ITEM_TEXTS)
_document_texts = itemgetter(*_MOTION_TEXTS)
_document_item_texts = itemgetter(*_ITEM_TEXTS)


def haystacks(motions: list[Motion]) -> list[bytes]:
    """Each motion's haystack, folded in one batch (``FOLD_BATCH`` motions at a time suit it best): a call per
    motion (join, casefold) was half the cost."""
    return _folded_apart([_texts(motion) for motion in motions])


def document_haystacks(documents: list[Any]) -> list[bytes | None]:
    """Each document's haystack as its motion's model gives it (the model keeps the very strings of a valid
    document); None for one whose texts are not all there as plain strings (its model decides then)."""
    texts = [_document_texts_of(document) for document in documents]
    try:  # one join finds a text that is not a string (a check per text was a third of the child's work)
        folded_ones = iter(_folded_apart([found for found in texts if found is not None]))
    except TypeError:
        return [None if found is None else _checked_alone(found) for found in texts]
    return [None if found is None else next(folded_ones) for found in texts]


def _checked_alone(texts: list[Any]) -> bytes | None:
    return _folded_apart([texts])[0] if all(type(text) is str for text in texts) else None


def _texts(motion: Motion) -> list[str]:
    texts = [*_motion_texts(motion), *motion.submitted_by]
    for item in motion.items:
        texts += _item_texts(item)
    return texts


def _document_texts_of(document: Any) -> list[Any] | None:
    """The texts a document holds where its model holds them (strings if the document is valid, which the
    caller checks), or None."""
    try:
        groups, items = document[_GROUPS], document["items"]
        if type(groups) is not list or type(items) is not list:
            return None
        texts = [*_document_texts(document), *groups]
        for item in items:
            texts += _document_item_texts(item)
    except (KeyError, TypeError):
        return None
    return texts


def _folded_apart(texts: list[list[str]]) -> list[bytes]:
    """Each motion's texts (a list per motion) joined and folded, in one call to :func:`folded`."""
    parts: list[str] = []
    for one in texts:
        parts += one
        parts.append(_BETWEEN)
    found = folded("\n".join(parts[:-1])).split(_SPLIT) if parts else []
    if len(found) != len(texts):  # a text held the mark between motions: each motion alone
        return [folded("\n".join(one)) for one in texts]
    return found
