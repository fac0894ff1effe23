"""Items of many motions in one list, in groups (by department, by motion) named in the first column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from store import Item, Motion
from tui.components.item_table import ITEM_COLUMNS, item_cells
from tui.components.status_keys import ItemRef, StatusKeys
from tui.components.tables import literal
from tui.components.virtual_table import VirtualTable

ItemOf = tuple[Motion, Item]
Group = tuple[str, Sequence[ItemOf]]

MOTION_COLUMN = ("motion", "Motion", 10)  # as wide as a reference: DS 10/0123


class ItemRows(StatusKeys, VirtualTable):
    """Painted only where on screen: the open items of 10,000 motions are tens of thousands of rows."""

    FLEX = "title"
    FIT = {"group": 30, "motion": 18}  # a department's or a motion's name: as wide as the longest, within reason
    BINDINGS = StatusKeys.BINDINGS

    def __init__(self, *, group_heading: str, show_department: bool, show_motion: bool = False, **kwargs: Any) -> None:
        # The group's name stands in the first row of each group only, like a printed list; where the
        # groups are not motions, each row names its motion.
        self.COLUMNS = (
            ("group", group_heading, 20),
            *((MOTION_COLUMN,) if show_motion else ()),
            *(column for column in ITEM_COLUMNS if show_department or column[0] != "department"),
        )
        self.show_department, self.show_motion = show_department, show_motion
        super().__init__(**kwargs)
        self._rows: dict[str, tuple[str, Motion, Item]] = {}

    def current_item(self) -> ItemRef | None:
        key = self.selected_key
        if key is None:
            return None
        _group, motion, item = self._rows[key]
        return motion.id, item.number

    def show(self, groups: Sequence[Group]) -> None:
        rows = {
            _key((motion.id, item.number)): (name if index == 0 else "", motion, item)
            for name, pairs in groups
            for index, (motion, item) in enumerate(pairs)
        }
        changed = {key for key, row in rows.items() if self._rows.get(key) != row}
        self._rows = rows
        self.keep_marks({(motion.id, item.number) for _name, motion, item in rows.values()})
        self.show_rows(list(rows), changed)

    def fit_text(self, key: str, column: str) -> str:
        group, motion, _item = self._rows[key]
        return motion.reference or motion.title if column == "motion" else group

    def marks_changed(self, changed: set[ItemRef]) -> None:
        self.refresh_keys({_key(item) for item in changed})

    def cells(self, key: str) -> tuple[Text, ...]:
        group, motion, item = self._rows[key]
        _number, status, title, department, due = item_cells(item, self.lang, self.today)
        return (
            literal(group, "bold"),
            *((literal(self.fit_text(key, "motion")),) if self.show_motion else ()),
            self.number_cell((motion.id, item.number)),
            status,
            title,
            *((department,) if self.show_department else ()),
            due,
        )


def _key(item: ItemRef) -> str:
    return f"{item[0]}/{item[1]}"
