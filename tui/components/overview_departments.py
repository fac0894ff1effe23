"""The overview's departments: per department a bar of its items by status, the counts beside it, and how
many are overdue or due soon. Each status shows by its symbol (tui/format.py), so the bar reads without colour."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList

from store import SOON_DAYS, DepartmentFigures, ItemStatus, add_catalog, label
from tui.components.overview_list import OverviewList
from tui.format import STATUS_STYLES, STATUS_SYMBOLS, count

_KEY = "department:"  # option ids: a department's name may be empty


class DepartmentBars(OverviewList):
    class Chosen(Message):
        """Enter on a department: its open items are wanted ("" for the items without a department)."""

        def __init__(self, department: str) -> None:
            super().__init__()
            self.department = department

    def on_mount(self) -> None:
        self.border_title = self.t("Items by department")
        self.border_subtitle = " ".join(f"{STATUS_SYMBOLS[status]} {label(status, self.lang)}" for status in ItemStatus)

    def show(self, figures: Sequence[DepartmentFigures]) -> None:
        width = max((len(count(n, self.lang)) for row in figures for n in row.counts), default=1)
        rows = [(_KEY + row.department, _DepartmentRow(row, self, width)) for row in figures]
        self.show_rows(tuple(figures), rows, self.t("No items yet."))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id.startswith(_KEY):
            self.post_message(self.Chosen(event.option.id.removeprefix(_KEY)))


class _DepartmentRow:
    """Two lines: the department with its overdue and soon-due items (on a line of their own when the name
    leaves no room); the bar with the count per status. Laid out when the width is known: the bar takes the
    width the counts leave."""

    def __init__(self, figures: DepartmentFigures, pane: DepartmentBars, digits: int) -> None:
        self.figures, self.digits = figures, digits
        self.lang, self.t = pane.lang, pane.t

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        row, t, lang = self.figures, self.t, self.lang
        name = Text(row.department or t("(no department)"), style="bold", no_wrap=True, overflow="ellipsis")
        due = Text.assemble(
            (t("{count} overdue", count=count(row.overdue, lang)), "bold red" if row.overdue else "dim"),
            " · ",
            (
                t("{count} due within {days} days", count=count(row.due_soon, lang), days=SOON_DAYS),
                "bold yellow" if row.due_soon else "dim",
            ),
        )
        if name.cell_len + 1 + due.cell_len <= options.max_width:
            head = Table.grid(expand=True, padding=(0, 1))
            head.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
            head.add_column(justify="right", no_wrap=True)
            head.add_row(name, due)
            yield head
        else:  # a long name in a narrow pane: on a line of its own, not cut
            yield name
            yield due
        counts = Text("  ").join(
            Text.assemble(
                (STATUS_SYMBOLS[status], STATUS_STYLES[status]),
                (f" {count(number, lang):>{self.digits}}", "" if number else "dim"),
            )
            for status, number in row.by_status()
        )
        bar_width = max(5, options.max_width - counts.cell_len - 2)
        bar = Text()
        for (status, _number), cells in zip(row.by_status(), bar_cells(row.counts, bar_width), strict=True):
            bar.append(STATUS_SYMBOLS[status] * cells, STATUS_STYLES[status])
        yield Text.assemble(bar, "  ", counts, no_wrap=True, overflow="crop")


def bar_cells(counts: Sequence[int], width: int) -> list[int]:
    """How many of ``width`` cells each count gets: in proportion (largest remainders first), and at least
    one for every count above nought, so that no status with items vanishes from the bar."""
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    present = sum(1 for number in counts if number)
    free = max(0, width - present)  # the one cell each present status is given first
    shares = [number * free / total for number in counts]
    cells = [int(share) + (1 if number else 0) for share, number in zip(shares, counts, strict=True)]
    by_remainder = sorted(range(len(counts)), key=lambda index: shares[index] - int(shares[index]), reverse=True)
    for index in by_remainder[: max(0, width - sum(cells))]:
        cells[index] += 1
    return cells


add_catalog(
    "de",
    {
        "Items by department": "Punkte nach Amt",
        "No items yet.": "Noch keine Punkte.",
        "{count} overdue": "{count} überfällig",
        "{count} due within {days} days": "{count} in {days} Tagen fällig",
    },
)
