"""Items of many motions in one table, in groups (by department, by motion) named in the first column."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text

from store import Item, Motion
from tui.components.item_table import item_cells
from tui.components.status_keys import StatusKeys
from tui.components.tables import KeyboardTable, literal

ItemOf = tuple[Motion, Item]
Group = tuple[str, Sequence[ItemOf]]


class ItemRows(StatusKeys, KeyboardTable):
    FLEX = "title"
    BINDINGS = StatusKeys.BINDINGS

    def __init__(self, lang: str, today: date, *, group_heading: str, show_department: bool, **kwargs: object) -> None:
        # The group's name stands in the first row of each group only, like a printed list.
        self.COLUMNS = (
            ("group", group_heading, 20),
            ("number", "No.", 3),
            ("status", "Status", 16),
            ("title", "Item", 20),
            *((("department", "Department", 10),) if show_department else ()),
            ("due", "Follow-up", 12),
        )
        self.show_department = show_department
        super().__init__(lang, **kwargs)
        self.today = today
        self._rows: list[tuple[str, Motion, Item]] = []
        self._keys: list[str] = []

    def current_item(self) -> tuple[str, int] | None:
        if not self._rows or self.cursor_row >= len(self._rows):
            return None
        _group, motion, item = self._rows[self.cursor_row]
        return motion.id, item.number

    def show(self, groups: Sequence[Group]) -> None:
        rows = [(name if index == 0 else "", motion, item) for name, pairs in groups for index, (motion, item) in enumerate(pairs)]
        keys = [f"{motion.id}/{item.number}" for _group, motion, item in rows]
        if keys == self._keys:
            for old, new, key in zip(self._rows, rows, keys):
                if old != new:
                    for (column, _heading, _width), cell in zip(self.COLUMNS, self._cells(*new)):
                        self.update_cell(key, column, cell)
            self._rows = rows
            return
        selected = self._keys[self.cursor_row] if self._keys and self.cursor_row < len(self._keys) else None
        row = self.cursor_row
        self.clear()
        for cells, key in zip((self._cells(*row) for row in rows), keys):
            self.add_row(*cells, key=key)
        self._rows, self._keys = rows, keys
        self.move_cursor(row=keys.index(selected) if selected in keys else min(row, max(len(keys) - 1, 0)))

    def _cells(self, group: str, motion: Motion, item: Item) -> tuple[Text, ...]:
        number, status, title, department, due = item_cells(item, self.lang, self.today)
        return (literal(group, "bold"), number, status, title, *((department,) if self.show_department else ()), due)
