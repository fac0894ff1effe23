"""Open items across all motions, grouped by department, overdue first: the list the office sends out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from store import Msg, add_catalog, open_items_by_department
from tui.components.footer import CompactFooter
from tui.components.item_rows import ItemRows
from tui.components.sync_status import SachstandHeader
from tui.format import count
from tui.keys import KEYS
from tui.screens.view import View


@KEYS.register("Open items, meeting")
class OpenItemsScreen(View):
    BINDINGS = [Binding("escape,o", "app.pop_screen", "Back", id="open.back")]
    DEFAULT_CSS = """
    OpenItemsScreen {
        #open-items { height: 1fr; border: round $pane-border; }
        #open-items:focus { border: round $pane-active; }
    }
    """

    def __init__(self, department: str | None = None) -> None:
        """``department``: only that department's items ("" for those without one); None: all."""
        super().__init__()
        self.department = department

    def compose(self) -> ComposeResult:
        yield SachstandHeader()
        yield ItemRows(group_heading="Department", show_department=False, show_motion=True, id="open-items")
        yield CompactFooter()

    def on_mount(self) -> None:
        self.show_data()
        self.query_one(ItemRows).focus()

    def show_data(self) -> None:
        app, today = self.sachstand, self.today
        groups = open_items_by_department(app.store.motions(), today)
        if self.department is not None:
            groups = [group for group in groups if group[0] == self.department]
        table = self.query_one(ItemRows)
        table.show([(department or app.t("(no department)"), pairs) for department, pairs in groups])
        total = sum(len(pairs) for _department, pairs in groups)
        overdue = sum(item.is_overdue(today) for _department, pairs in groups for _motion, item in pairs)
        title = Msg("Open items by department: {count}, {overdue} of them overdue")
        if self.department is not None:
            title = Msg("Open items of {department}: {count}, {overdue} of them overdue")
        table.set_heading(
            app.t(
                title,
                department=self.department or app.t("(no department)"),
                count=count(total, self.lang),
                overdue=count(overdue, self.lang),
            )
        )


add_catalog(
    "de",
    {
        "Open items of {department}: {count}, {overdue} of them overdue": "Offene Punkte bei {department}: {count}, davon {overdue} überfällig"
    },
)
