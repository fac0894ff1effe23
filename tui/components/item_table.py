"""The items of the selected motion; number keys set a status in one stroke."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text

from store import Item, Motion
from tui.components.status_keys import ItemRef, StatusKeys
from tui.components.tables import Column, KeyboardTable, literal
from tui.format import STATUS_STYLES, fmt_date, fmt_status, short_department

# The columns every item table shows, in the order of item_cells.
ITEM_COLUMNS: tuple[Column, ...] = (
    ("number", "No.", 3),
    ("status", "Status", 16),
    ("title", "Item", 20),
    ("department", "Department", 10),
    ("due", "Follow-up", 12),
)


class ItemTable(StatusKeys, KeyboardTable):
    COLUMNS = ITEM_COLUMNS
    FLEX = "title"
    BINDINGS = StatusKeys.BINDINGS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._motion: Motion | None = None

    @property
    def selected_number(self) -> int | None:
        if self._motion is None or not self._motion.items:
            return None
        return min(self.cursor_row, len(self._motion.items) - 1) + 1

    def current_item(self) -> ItemRef | None:
        number = self.selected_number
        return (self._motion.id, number) if self._motion and number else None

    def show(self, motion: Motion | None) -> None:
        """Show this motion's items; the same motion again only updates the rows that changed."""
        previous, self._motion = self._motion, motion
        rows = [self._cells(motion, item) for item in motion.items] if motion else []
        self.fit_columns(rows)
        self.keep_marks({(motion.id, item.number) for item in motion.items} if motion else set())
        if motion is None:
            self.clear()
            return
        if previous is None or previous.id != motion.id or len(previous.items) != len(motion.items):
            row = self.cursor_row if previous is not None and previous.id == motion.id else 0
            self.clear()
            for item, cells in zip(motion.items, rows):
                self.add_row(*cells, key=str(item.number))
            self.move_cursor(row=min(row, max(len(motion.items) - 1, 0)))
            return
        for old, new, cells in zip(previous.items, motion.items, rows):
            if old != new:
                for (key, _heading, _width), cell in zip(self.COLUMNS, cells):
                    self.update_cell(str(new.number), key, cell)

    def _cells(self, motion: Motion, item: Item) -> tuple[Text, ...]:
        """The row's cells, the number after the item's mark (if any)."""
        _number, *cells = item_cells(item, self.lang, self.today)
        return (self.number_cell((motion.id, item.number)), *cells)

    def marks_changed(self, changed: set[ItemRef]) -> None:
        for motion_id, number in changed:
            if self._motion is not None and motion_id == self._motion.id and number <= self.row_count:
                self.update_cell(str(number), "number", self.number_cell((motion_id, number)))


def item_cells(item: Item, lang: str, today: date) -> tuple[Text, ...]:
    """Number, status, title, department, follow-up date: the cells of ITEM_COLUMNS."""
    overdue = item.is_overdue(today)
    return (
        literal(str(item.number)),
        literal(fmt_status(item.status, lang), STATUS_STYLES[item.status]),
        literal(item.title),
        literal(short_department(item.department)),
        literal(("! " if overdue else "") + fmt_date(item.due, lang), "bold red" if overdue else ""),
    )
