"""Tables driven from the keyboard the way a terminal user expects (j/k, g/G)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from tui.components.localised import Localised

# Moving in any list, DataTable or VirtualTable: one declaration per id, so a keymap changes both alike.
TABLE_KEYS: list[BindingType] = [
    Binding("up,k", "cursor_up", "Up", show=False, id="table.up"),
    Binding("down,j", "cursor_down", "Down", show=False, id="table.down"),
    Binding("g,home", "first", "Top", show=False, id="table.top"),
    Binding("G,end", "last", "Bottom", show=False, id="table.bottom"),
]

Column = tuple[str, str, int]  # (key, English heading, width)


class KeyboardTable(Localised, DataTable[Text]):
    """Row cursor, vi-style movement, literal cells, and one column that takes the spare width."""

    BINDINGS: ClassVar[list[BindingType]] = TABLE_KEYS

    # The column named by FLEX grows with the table; the others have the width given, or, once
    # fit_columns has measured the rows, that of their widest cell.
    COLUMNS: Sequence[Column] = ()
    FLEX = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.wanted_width = 0  # the width that shows every cell whole, once fit_columns measured them

    def on_mount(self) -> None:
        for key, heading, width in self.COLUMNS:
            # A Text, not a str: a str is read as markup (and that loads rich's emoji table, 2 ms at the start)
            self.add_column(Text(self.t(heading) if heading else ""), key=key, width=width)

    def fit_columns(self, rows: Iterable[Sequence[Text]]) -> None:
        """Every column but FLEX as wide as its widest cell in ``rows`` (or its heading): nothing cut
        but the FLEX column, which gets the room that is left."""
        widest = {column.key.value: cell_len(column.label.plain) for column in self.columns.values()}
        for cells in rows:
            for (name, _heading, _width), cell in zip(self.COLUMNS, cells):
                widest[name] = max(widest[name], cell.cell_len)
        for column in self.columns.values():
            if column.key.value != self.FLEX:
                column.width = widest[column.key.value]
        # Every cell whole: the columns, the gaps between them, and the pane's border and scroll bar.
        self.wanted_width = sum(widest.values()) + 2 * self.cell_padding * len(widest) + 3
        self.on_resize()

    def on_resize(self) -> None:
        if not self.FLEX:
            return
        gaps = 2 * self.cell_padding
        fixed = sum(column.width + gaps for column in self.columns.values() if column.key.value != self.FLEX)
        column = self.columns[ColumnKey(self.FLEX)]
        column.width = max(8, self.scrollable_content_region.width - fixed - gaps - 1)
        self._require_update_dimensions = True  # Textual re-measures columns on the next render
        self.refresh()

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=max(self.row_count - 1, 0))


def literal(value: str, style: str = "") -> Text:
    """Text from the data as it is: never read as markup, never as escape codes."""
    return Text(value, style=style, no_wrap=True, overflow="ellipsis")
