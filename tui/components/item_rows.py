"""Items of many motions in one list, in groups (by department, by motion) named in the first column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from store import Item, Motion
from tui.components.item_table import ITEM_COLUMNS, item_cells
from tui.components.status_keys import StatusKeys
from tui.components.tables import literal
from tui.components.virtual_table import VirtualTable

ItemOf = tuple[Motion, Item]
Group = tuple[str, Sequence[ItemOf]]


class ItemRows(StatusKeys, VirtualTable):
    """Painted only where on screen: the open items of 10,000 motions are tens of thousands of rows."""

    FLEX = "title"
    FIT = {"group": 30}  # a department's or a motion's name: as wide as the longest, within reason
    BINDINGS = StatusKeys.BINDINGS

    def __init__(self, *, group_heading: str, show_department: bool, **kwargs: Any) -> None:
        # The group's name stands in the first row of each group only, like a printed list.
        self.COLUMNS = (
            ("group", group_heading, 20),
            *(column for column in ITEM_COLUMNS if show_department or column[0] != "department"),
        )
        self.show_department = show_department
        super().__init__(**kwargs)
        self._rows: dict[str, tuple[str, Motion, Item]] = {}

    def current_item(self) -> tuple[str, int] | None:
        key = self.selected_key
        if key is None:
            return None
        _group, motion, item = self._rows[key]
        return motion.id, item.number

    def show(self, groups: Sequence[Group]) -> None:
        rows = {
            f"{motion.id}/{item.number}": (name if index == 0 else "", motion, item)
            for name, pairs in groups
            for index, (motion, item) in enumerate(pairs)
        }
        changed = {key for key, row in rows.items() if self._rows.get(key) != row}
        self._rows = rows
        self.show_rows(list(rows), changed)

    def fit_text(self, key: str, column: str) -> str:
        return self._rows[key][0]

    def cells(self, key: str) -> tuple[Text, ...]:
        group, _motion, item = self._rows[key]
        number, status, title, department, due = item_cells(item, self.lang, self.today)
        return (literal(group, "bold"), number, status, title, *((department,) if self.show_department else ()), due)
