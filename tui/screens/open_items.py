"""Open items across all motions, grouped by department, overdue first: the list the office sends out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from store import open_items_by_department
from tui.components.item_rows import ItemRows
from tui.components.sync_status import SachstandHeader
from tui.format import count
from tui.keys import KEYS
from tui.screens.view import View


@KEYS.register("Open items, meeting")
class OpenItemsScreen(View):
    BINDINGS = [Binding("escape,o", "app.pop_screen", "Back", id="open.back")]

    def compose(self) -> ComposeResult:
        yield SachstandHeader()
        yield ItemRows(group_heading="Department", show_department=False, show_motion=True, id="open-items")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.show_data()
        self.query_one(ItemRows).focus()

    def show_data(self) -> None:
        app, today = self.sachstand, self.today
        groups = open_items_by_department(app.store.motions(), today)
        table = self.query_one(ItemRows)
        table.show([(department or app.t("(no department)"), pairs) for department, pairs in groups])
        total = sum(len(pairs) for _department, pairs in groups)
        overdue = sum(item.is_overdue(today) for _department, pairs in groups for _motion, item in pairs)
        table.set_heading(
            app.t(
                "Open items by department: {count}, {overdue} of them overdue",
                count=count(total, self.lang),
                overdue=count(overdue, self.lang),
            )
        )
