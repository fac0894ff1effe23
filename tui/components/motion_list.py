"""The motion list: one row per motion, updated cell by cell when a motion changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text

from store import Motion
from tui.components.tables import KeyboardTable, literal
from tui.format import fmt_date, fmt_groups



class MotionList(KeyboardTable):
    """Shows a list of motions; :meth:`show` changes only what differs from what is on screen."""

    COLUMNS = (
        ("flag", "", 1),
        ("submitted", "Submitted", 10),
        ("title", "Title", 30),
        ("groups", "Groups", 15),
        ("progress", "Done", 5),
        ("reference", "Reference", 10),
    )
    FLEX = "title"

    def __init__(self, lang: str, today: date, **kwargs: object) -> None:
        super().__init__(lang, **kwargs)
        self.today = today
        self._shown: dict[str, Motion] = {}
        self._order: list[str] = []

    @property
    def selected_id(self) -> str | None:
        if not self._order or self.cursor_row >= len(self._order):
            return None
        return self._order[self.cursor_row]

    def show(self, motions: Sequence[Motion]) -> None:
        order = [motion.id for motion in motions]
        if order != self._order:
            self._rebuild(motions, order)
            return
        for motion in motions:
            if self._shown[motion.id] is not motion and self._shown[motion.id] != motion:
                for (key, _heading, _width), cell in zip(self.COLUMNS, self._cells(motion)):
                    self.update_cell(motion.id, key, cell)
            self._shown[motion.id] = motion

    def select(self, motion_id: str) -> None:
        if motion_id in self._shown:
            self.move_cursor(row=self._order.index(motion_id))

    def _rebuild(self, motions: Sequence[Motion], order: list[str]) -> None:
        selected = self.selected_id
        row = self.cursor_row
        self.clear()
        for motion in motions:
            self.add_row(*self._cells(motion), key=motion.id)
        self._order = order
        self._shown = {motion.id: motion for motion in motions}
        if selected in self._shown:
            self.move_cursor(row=order.index(selected))
        elif order:
            self.move_cursor(row=min(row, len(order) - 1))

    def _cells(self, motion: Motion) -> tuple[Text, ...]:
        overdue = motion.overdue(self.today)
        done, total = motion.progress()
        return (
            Text("!", style="bold red") if overdue else Text(""),
            literal(fmt_date(motion.submitted, self.lang)),
            literal(motion.title),
            literal(fmt_groups(motion.submitted_by)),
            literal(f"{done}/{total}", "bold green" if total and done == total else ""),
            literal(motion.reference or "–"),
        )
