"""The motion list: one row per motion, painted only when on screen, repainted only when it changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress
from operator import attrgetter, is_not
from typing import Any

from rich.text import Text

from store import Motion, MotionSummary
from tui.components.tables import literal
from tui.components.virtual_table import VirtualTable
from tui.format import edited_places, fmt_date, fmt_groups

_ID, _REFERENCE = attrgetter("id"), attrgetter("reference")


class MotionList(VirtualTable):
    """Shows a list of motions; :meth:`show` touches only what differs from what is on screen."""

    COLUMNS = (
        ("flag", "", 1),
        ("submitted", "Submitted", 10),
        ("title", "Title", 30),
        ("groups", "Groups", 15),
        ("progress", "Done", 5),
        ("reference", "Reference", 10),
    )
    FLEX = "title"
    FIT = {"reference": None}  # never cut: the reference is what a clerk looks a motion up by

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: dict[str, Motion | MotionSummary] = {}
        self._motions: Sequence[Motion | MotionSummary] = ()  # as last shown, in their order

    @property
    def selected_id(self) -> str | None:
        return self.selected_key

    def show(self, motions: Sequence[Motion | MotionSummary]) -> None:
        """The motions in this order; a preview's summaries until the store is read."""
        before, self._motions = self._motions, motions
        edited = edited_places(before, motions)  # after an edit: the same rows, one or a few of them new objects
        if edited is not None:  # brought forward: made anew, the rows took 0.06 s of every edit at 50,000 motions
            self._shown.update((motions[i].id, motions[i]) for i in edited)
            self.show_rows(self.keys, {motions[i].id for i in edited})
            return
        # In C (zip, attrgetter): a comprehension took 0.03 s of a search's first keystroke at 50,000 motions.
        shown, self._shown = self._shown, dict(zip(map(_ID, motions), motions))
        keys = list(self._shown)
        # Other rows are laid out anew, each painted when on screen: which of them changed does not matter.
        same_rows = keys == self.keys
        changed = set(compress(keys, map(is_not, map(shown.get, keys), self._shown.values()))) if same_rows else set()
        self.show_rows(keys, changed)

    def select(self, motion_id: str) -> None:
        if motion_id in self._shown:
            self.move_cursor(row=self.keys.index(motion_id))

    def fit_text(self, key: str, column: str) -> str:
        return self._shown[key].reference or "–"

    def fit_texts(self, keys: Iterable[str], column: str) -> Iterable[str]:
        # Every row (the keys set_keys was given, which are the shown motions'): no look-up per row.
        motions = self._shown.values() if keys is self.keys else map(self._shown.__getitem__, keys)
        return [reference or "–" for reference in map(_REFERENCE, motions)]

    def cells(self, key: str) -> tuple[Text, ...]:
        motion = self._shown[key]
        done, total = motion.progress()
        return (
            Text("!", style="bold red") if motion.overdue(self.today) else Text(""),
            literal(fmt_date(motion.submitted, self.lang)),
            literal(motion.title),
            literal(fmt_groups(motion.submitted_by)),
            literal(f"{done}/{total}", "bold green" if total and done == total else ""),
            literal(self.fit_text(key, "reference")),
        )
