"""Sync conflicts: each field that this copy and the server changed differently, decided one by one; and
each change the server refused (the token's role may not make it, store/sync/access.py), to drop."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store import Conflict, Refusal, add_catalog
from tui.components.footer import CompactFooter
from tui.components.sync_status import SachstandHeader
from tui.components.tables import KeyboardTable, literal
from tui.format import conflict_place, conflict_value
from tui.keys import KEYS
from tui.screens.view import View


class ConflictTable(KeyboardTable):
    COLUMNS = (("motion", "Motion", 22), ("place", "Field", 20), ("mine", "Mine", 20), ("theirs", "Theirs", 20))
    FLEX = "motion"


@KEYS.register("Sync conflicts")
class ConflictScreen(View):
    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine", id="conflicts.mine"),
        Binding("t", "choose('theirs')", "Take theirs", id="conflicts.theirs"),
        Binding("x,delete", "drop", "Drop the refused change", id="conflicts.drop"),
        Binding("escape,C", "app.pop_screen", "Back", id="conflicts.back"),
    ]
    # The list, then both values of the selected one in full.
    DEFAULT_CSS = """
    ConflictScreen {
        #conflict-table { height: auto; max-height: 50%; border: round $pane-active; border-title-color: $text; }
        #conflict-detail { height: 1fr; padding: 0 1; border: round $pane-border; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: list[Conflict | Refusal] | None = None  # None: nothing shown yet, not even "no conflicts"

    def compose(self) -> ComposeResult:
        yield SachstandHeader()
        yield ConflictTable(id="conflict-table")
        yield Static(id="conflict-detail")
        yield CompactFooter()

    def on_mount(self) -> None:
        self.query_one(ConflictTable).focus()
        self.show_data()

    def show_data(self) -> None:
        store = self.sachstand.store
        conflicts: list[Conflict | Refusal] = [*store.conflicts(), *store.refused()]
        table = self.query_one(ConflictTable)
        table.border_title = self.t("Sync conflicts: {count}", count=len(conflicts))
        if conflicts == self._shown:
            return
        row = table.cursor_row
        self._shown = conflicts
        table.clear()
        for conflict in conflicts:
            place = conflict.path if isinstance(conflict, Conflict) else "refused"
            table.add_row(*self._cells(conflict), key=f"{conflict.motion_id} {place}")
        table.move_cursor(row=min(row, max(len(conflicts) - 1, 0)))
        self._show_detail()

    def _cells(self, conflict: Conflict | Refusal) -> tuple[Text, ...]:
        if isinstance(conflict, Refusal):
            return (
                literal(conflict.motion),
                literal(self.t("Refused by the server")),
                literal(conflict.reason),
                literal(""),
            )
        return (
            literal(conflict.motion),
            literal(conflict_place(conflict.path, self.lang)),
            literal(conflict_value(conflict.path, conflict.mine, self.lang)),
            literal(conflict_value(conflict.path, conflict.theirs, self.lang)),
        )

    def selected(self) -> Conflict | Refusal | None:
        table = self.query_one(ConflictTable)
        return self._shown[table.cursor_row] if self._shown and 0 <= table.cursor_row < len(self._shown) else None

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers what fits the row: m and t for a conflict, x for a refused change."""
        if action == "choose":
            return isinstance(self.selected(), Conflict)
        if action == "drop":
            return isinstance(self.selected(), Refusal)
        return True

    def _show_detail(self) -> None:
        t, conflict = self.t, self.selected()
        detail = self.query_one("#conflict-detail", Static)
        if conflict is None:
            detail.update(Text(t("No conflicts. Everything the server sent was merged."), style="dim"))
            return
        if isinstance(conflict, Refusal):
            detail.update(
                Group(
                    Text(f"{conflict.motion} · {t('Refused by the server')}", style="bold"),
                    Text(conflict.reason),
                    Text(
                        t(
                            "Kept here, not sent again until you edit the motion again. x drops it: the motion as the server has it."
                        ),
                        style="dim",
                    ),
                )
            )
            return
        detail.update(
            Group(
                Text(f"{conflict.motion} · {conflict_place(conflict.path, self.lang)}", style="bold"),
                Text(t("Mine (m keeps it):"), style="bold cyan"),
                Text(conflict_value(conflict.path, conflict.mine, self.lang)),
                Text(t("Theirs, from the server (t takes it):"), style="bold magenta"),
                Text(conflict_value(conflict.path, conflict.theirs, self.lang)),
            )
        )

    def action_choose(self, choice: str) -> None:
        conflict = self.selected()
        if isinstance(conflict, Conflict):
            self.sachstand.resolve_conflict(conflict, choice)

    def action_drop(self) -> None:
        refusal = self.selected()
        if isinstance(refusal, Refusal):
            self.sachstand.edit(lambda store: store.drop_refused(refusal.motion_id))


add_catalog(
    "de",
    {
        "Refused by the server": "Vom Server abgelehnt",
        "Drop the refused change": "Abgelehnte Änderung verwerfen",
        "Kept here, not sent again until you edit the motion again. x drops it: the motion as the server has it.": (
            "Hier behalten, erst nach erneuter Bearbeitung wieder gesendet. x verwirft sie: der Antrag wie auf dem Server."
        ),
    },
)
