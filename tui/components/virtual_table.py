"""A table that renders only the rows on screen, for lists of ten thousand motions or items.

Textual's DataTable holds and measures every cell of every row; with 10,000 motions
filling it took seconds. This one keeps a list of row keys and asks for a row's cells
only when the row is painted, so showing, filtering and updating a list costs what the
visible rows cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import filterfalse
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.components.localised import Localised
from tui.components.tables import TABLE_KEYS, Column
from tui.keys import KEYS

GAP = 2  # spaces between columns


@KEYS.register("Lists", also=[Binding("tab", "", "Next pane"), Binding("shift+tab", "", "Previous pane")])
class VirtualTable(Localised, ScrollView, can_focus=True):
    """Rows by key; :meth:`cells` gives a row's cells when it is painted. Subclasses set COLUMNS and FLEX."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *TABLE_KEYS,
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    COMPONENT_CLASSES = {"virtual-table--header", "virtual-table--cursor", "virtual-table--even-row"}

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;  /* the flexible column takes the width instead */
        & > .virtual-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .virtual-table--even-row { background: $surface-lighten-1 50%; }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .virtual-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    COLUMNS: Sequence[Column] = ()
    FLEX = ""  # the column that takes the width the others leave
    # Columns as wide as their widest cell (and heading), up to the width given and a share of the
    # table's (None: never cut): the FLEX column gets what they leave. Measured with fit_text, from the
    # data, not by painting every row. A FIT column that COLUMNS leaves out is skipped.
    FIT: ClassVar[dict[str, int | None]] = {}

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class RowHighlighted(Message):
        def __init__(self, table: VirtualTable, key: str | None) -> None:
            super().__init__()
            self.table, self.key = table, key

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keys: list[str] = []
        self._widths = [width for _key, _heading, width in self.COLUMNS]
        self._fitted: dict[str, int] = {}  # the widest cell of each FIT column, heading included

    # --- what subclasses provide ------------------------------------------------------------

    def cells(self, key: str) -> Sequence[Text]:
        raise NotImplementedError

    def fit_text(self, key: str, column: str) -> str:
        """The text of a FIT column's cell in the row ``key``: cheap, it is asked of every row."""
        raise NotImplementedError

    def fit_texts(self, keys: Iterable[str], column: str) -> Iterable[str]:
        """The texts of a FIT column's cells in the rows ``keys`` (the order does not matter: the widest is
        taken). A subclass that can give them without a call per row does so: the list measures every row
        each time the rows change (50,000 calls of fit_text took 0.05 s of the first full list)."""
        return [self.fit_text(key, column) for key in keys]

    # --- rows -----------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.keys)

    @property
    def selected_key(self) -> str | None:
        return self.keys[self.cursor_row] if 0 <= self.cursor_row < len(self.keys) else None

    def set_keys(self, keys: list[str]) -> None:
        """Show these rows; the cursor stays on the same key if it is still there."""
        selected = self.selected_key
        self.keys = keys
        self._fit(keys, grow_only=False)
        self.virtual_size = Size(self.size.width, len(keys) + 1)
        if selected is not None and selected in keys:
            row = keys.index(selected)
        else:
            row = min(self.cursor_row, max(len(keys) - 1, 0))
        self.cursor_row = row
        self.refresh()

    def show_rows(self, keys: list[str], changed: set[str]) -> None:
        """Show these rows: the list laid out anew if the keys differ, else only the ``changed`` rows repainted."""
        if keys != self.keys:
            self.set_keys(keys)
        elif changed:
            if self._fit(changed, grow_only=True):
                self.refresh()
            else:
                self.refresh_keys(changed)

    def refresh_keys(self, changed: set[str]) -> None:
        """Repaint the rows of these keys if they are on screen."""
        top = self.scroll_offset.y
        for line, key in enumerate(self.keys[top : top + self.size.height], start=1):
            if key in changed:
                self.refresh_line(line)

    def get_cell(self, key: str, column: str) -> Text:
        index = next(i for i, (name, _heading, _width) in enumerate(self.COLUMNS) if name == column)
        return self.cells(key)[index]

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        self.cursor_row = max(0, min(row, len(self.keys) - 1))

    # --- cursor ------------------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.RowHighlighted(self, self.selected_key))

    def _scroll_to_cursor(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - max(self.size.height - 2, 1))

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + max(self.size.height - 2, 1))

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self.keys) - 1)

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.move_cursor(row=self.scroll_offset.y + event.y - 1)

    # --- column widths -----------------------------------------------------------------------

    def _fit(self, keys: Sequence[str] | set[str], *, grow_only: bool) -> bool:
        """Measure the FIT columns over the rows ``keys`` (all rows, or only changed ones: then a column
        only grows, until the rows change); lay the columns out again if a width changed."""
        if not self.FIT:
            return False
        fitted = {}
        shown = {name for name, _title, _width in self.COLUMNS}
        for column, limit in self.FIT.items():
            if column not in shown:  # a column this table leaves out
                continue
            widest = _widest(list(self.fit_texts(keys, column)))
            heading = next(self.t(title) if title else "" for name, title, _width in self.COLUMNS if name == column)
            widest = max(widest, _width(heading), self._fitted.get(column, 0) if grow_only else 0)
            fitted[column] = widest if limit is None else min(widest, limit)
        if fitted == self._fitted:
            return False
        self._fitted = fitted
        self._lay_out()
        return True

    def _lay_out(self) -> None:
        """Every column its width; the FLEX column what the others leave (at least 8)."""
        widths = {key: self._fitted.get(key, width) for key, _heading, width in self.COLUMNS}
        limited = [key for key, limit in self.FIT.items() if limit is not None and key in self._fitted]
        # A long name yields to the title on a narrow screen: a quarter of the width, a fifth where two share it.
        share = self.size.width // (3 + len(limited))
        for key in limited:
            widths[key] = max(min(widths[key], share), 8)
        fixed = sum(width + GAP for key, width in widths.items() if key != self.FLEX)
        self._widths = [
            max(8, self.size.width - fixed - GAP) if key == self.FLEX else widths[key]
            for key, _heading, _width in self.COLUMNS
        ]

    # --- painting ----------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._lay_out()
        self.virtual_size = Size(self.size.width, len(self.keys) + 1)
        self._scroll_to_cursor()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            headings = [Text(self.t(heading) if heading else "") for _key, heading, _width in self.COLUMNS]
            return self._strip(headings, self.get_component_rich_style("virtual-table--header"), width)
        row = self.scroll_offset.y + y - 1
        if row >= len(self.keys):
            return Strip.blank(width, self.rich_style)
        if row == self.cursor_row:
            style = self.get_component_rich_style("virtual-table--cursor")
        elif row % 2:
            style = self.get_component_rich_style("virtual-table--even-row")
        else:
            style = self.rich_style
        return self._strip(self.cells(self.keys[row]), style, width, over=row == self.cursor_row)

    def _strip(self, cells: Sequence[Text], style: Style, width: int, *, over: bool = False) -> Strip:
        """Cells on a row style; ``over``: the row's style wins over the cells' colours (the cursor row)."""
        # One run of segments per cell, as DataTable does: renderers place each cell by its own position.
        segments: list[Segment] = []
        console = self.app.console
        for cell, cell_width in zip(cells, self._widths):
            piece = cell.copy()
            piece.truncate(cell_width, overflow="ellipsis", pad=True)
            # Text.render leaves out the text's own base style when it has no spans: add it here.
            base = console.get_style(piece.style) if piece.style else Style()
            for text, own, _ in piece.render(console):
                cell_style = base + own if own else base
                segments.append(Segment(text, cell_style + style if over else style + cell_style))
            segments.append(Segment(" " * GAP, style))
        return Strip(segments).crop_extend(0, width, style)


def _widest(texts: list[str]) -> int:
    """The cells the widest of ``texts`` takes: the ASCII ones (nearly every reference) measured by their
    length, picked out in C; a call per text was half the cost of laying out 50,000 rows."""
    return max(
        max(map(len, filter(str.isascii, texts)), default=0),
        max(map(cell_len, filterfalse(str.isascii, texts)), default=0),
    )


def _width(text: str) -> int:
    """The cells ``text`` takes; plain ASCII (nearly every reference) without rich's measuring, a tenth
    of the time: the list measures every row when it changes."""
    return len(text) if text.isascii() else cell_len(text)
