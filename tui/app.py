"""The dashboard: motions, the selected motion, its items, the selected item."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from store import (
    EXAMPLE_ID,
    ItemStatus,
    Motion,
    SachstandError,
    Store,
    example_motion,
    new_items,
    translate,
)
from tui.components.commands import SachstandCommands
from tui.components.confirm import ConfirmModal
from tui.components.details import ItemDetail, MotionDetail
from tui.components.help import HelpScreen
from tui.components.item_table import ItemTable
from tui.components.localised import localise_bindings
from tui.components.motion_list import MotionList
from tui.components.note_editor import NoteEditor
from tui.components.prompt import PromptModal
from tui.components.tables import KeyboardTable
from tui.format import describe, newest_first
from tui.search import Searcher

NARROW = 110  # columns below which the lower panes stack
WIDE = 170  # columns from which both detail panes fit beside the items


class SachstandApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Sachstand"
    COMMANDS = App.COMMANDS | {SachstandCommands}

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("u", "undo", "Undo", id="app.undo"),
        Binding("a", "add_item", "Add item", show=False, id="motion.add_item"),
        Binding("x,delete", "delete_motion", "Delete", show=False, id="motion.delete"),
        Binding("B", "add_example", "Add the example motion", show=False, id="app.example"),
    ]

    def __init__(
        self,
        store: Store,
        lang: str,
        *,
        keymap: Mapping[str, str] | None = None,
        today: date | None = None,
        poll_interval: float = 1.0,
    ) -> None:
        super().__init__()
        self.store = store
        self.lang = lang
        self.today = today or date.today()
        self.poll_interval = poll_interval
        self.query_text = ""
        self._searcher = Searcher()
        self._keymap = dict(keymap or {})
        self.sub_title = str(store.path)
        localise_bindings(self, lang)

    def t(self, msgid: str, **params: object) -> str:
        return translate(msgid, self.lang, **params)

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="motions-pane"):
            yield Input(placeholder=self.t("Search: title, reference, group, item, Sachstand"), id="search")
            yield MotionList(self.lang, self.today, id="motions")
            yield Static(id="welcome")
        with Horizontal(id="lower"):
            yield ItemTable(self.lang, self.today, id="items")
            yield MotionDetail(self.lang, id="motion-detail")
            yield ItemDetail(self.lang, id="item-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        if self._keymap:
            self.set_keymap(self._keymap)
        self.query_one("#search").display = False
        self.query_one("#motion-detail").border_title = self.t("Motion")
        self.query_one("#items").border_title = self.t("Requested items")
        self.query_one("#item-detail").border_title = self.t("Item")
        self.refresh_views()
        self.query_one(MotionList).focus()
        self.set_interval(self.poll_interval, self.check_for_changes)

    def on_resize(self) -> None:
        self.screen.set_class(self.size.width < NARROW, "-narrow")
        self.screen.set_class(self.size.width >= WIDE, "-wide")

    def on_descendant_focus(self) -> None:
        # Unless the terminal is very wide there is room for one detail pane: the one for what has the focus.
        self.screen.set_class(self.motion_list.has_focus or self.query_one("#search").has_focus, "-motion-focus")

    # --- showing what the store holds ----------------------------------------------------

    @property
    def motion_list(self) -> MotionList:
        return self.query_one(MotionList)

    @property
    def item_table(self) -> ItemTable:
        return self.query_one(ItemTable)

    def selected_motion(self) -> Motion | None:
        motion_id = self.motion_list.selected_id
        if motion_id is None:
            return None
        try:
            return self.store.get(motion_id)
        except SachstandError:
            return None

    def refresh_views(self) -> None:
        """Bring every pane in line with the store, touching only what changed."""
        every = self.store.motions()
        shown = newest_first(self._searcher.filter(every, self.query_text))
        self.motion_list.show(shown)
        self.query_one("#motions-pane").border_title = self.t(
            "Motions: {shown} of {total}", shown=_count(len(shown), self.lang), total=_count(len(every), self.lang)
        )
        welcome = self.query_one("#welcome", Static)
        welcome.display = not every
        self.motion_list.display = bool(every)
        if not every:
            welcome.update(Text(self.t(
                "No motions yet.\n\n"
                "B   add the example motion (Kreistag Heinsberg, 28.07.2020)\n\n"
                "On the command line:\n"
                "    sachstand add --title ... --item ...   add a motion\n"
                "    sachstand example                      add the example motion\n\n"
                "?   all keys"
            )))
        self.show_selected_motion()

    def show_selected_motion(self) -> None:
        motion = self.selected_motion()
        self.query_one(MotionDetail).show(motion)
        self.item_table.show(motion)
        self.show_selected_item()

    def show_selected_item(self) -> None:
        motion = self.selected_motion()
        number = self.item_table.selected_number
        item = motion.item(number) if motion and number else None
        history = self.store.history(motion.id) if item and motion else []
        self.query_one(ItemDetail).show(item, history)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.motion_list:
            self.show_selected_motion()
        elif event.data_table is self.item_table:
            self.show_selected_item()

    def check_for_changes(self) -> None:
        """Show another process's change (a colleague, the command line) without a restart."""
        try:
            changed = self.store.refresh()
        except SachstandError as error:
            self.notify(error.render(self.lang), severity="error", timeout=10)
            return
        if changed:
            self.refresh_views()

    # --- edits: each is one store call, then the changed cells ------------------------------

    def edit(self, change: Callable[[], Any]) -> Any:
        try:
            result = change()
        except SachstandError as error:
            self.notify(error.render(self.lang), severity="error", timeout=8)
            return None
        self.refresh_views()
        return result

    def set_status(self, number: int, status: ItemStatus | None) -> None:
        """Set item ``number`` of the selected motion to ``status`` (None: the next one in turn)."""
        motion = self.selected_motion()
        if motion is None or motion.item(number) is None:
            return
        chosen = status or _next_status(motion.items[number - 1].status)
        self.edit(lambda: self.store.set_item(motion.id, number, status=chosen))

    def edit_note(self, number: int) -> None:
        motion = self.selected_motion()
        item = motion.item(number) if motion else None
        if motion is None or item is None:
            return

        def save(text: str | None) -> None:
            if text is not None:
                self.edit(lambda: self.store.set_item(motion.id, number, note=text.strip()))

        self.push_screen(NoteEditor(f"{item.number}. {item.title}", item.note, self.lang), save)

    def on_item_table_status_chosen(self, message: ItemTable.StatusChosen) -> None:
        self.set_status(message.number, message.status)

    def on_item_table_note_edit_requested(self, message: ItemTable.NoteEditRequested) -> None:
        self.edit_note(message.number)

    def action_undo(self) -> None:
        undone = self.edit(self.store.undo)
        if undone:
            titles = {m.id: m.reference or m.title for m in self.store.motions()}
            for entry in undone:
                self.notify(Text(describe(entry, titles.get(entry.motion_id, ""), self.lang)).plain, title=self.t("Undone"))

    def action_add_item(self) -> None:
        motion = self.selected_motion()
        if motion is None:
            return

        def check(title: str) -> None:
            new_items([title], where=self.t("Title"))

        def add(title: str | None) -> None:
            if title:
                self.edit(lambda: self.store.add_item(motion.id, title.strip()))
                self.item_table.action_last()

        self.push_screen(PromptModal(self.t("New item for: {title}", title=motion.title), self.lang, check), add)

    def action_delete_motion(self) -> None:
        motion = self.selected_motion()
        if motion is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.edit(lambda: self.store.delete_motion(motion.id))

        question = self.t("Delete the motion {title}? (u undoes it)", title=motion.title)
        self.push_screen(ConfirmModal(question, self.lang), answered)

    def action_add_example(self) -> None:
        if not any(motion.id == EXAMPLE_ID for motion in self.store.motions()):
            self.edit(lambda: self.store.add_motion(example_motion()))
        self.motion_list.select(EXAMPLE_ID)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(help_sections(), self._keymap, self.lang))

    # --- search ---------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self.query_text = event.value
            self.refresh_views()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.motion_list.focus()

    def on_key(self, event: Any) -> None:
        search = self.query_one("#search", Input)
        if event.key == "escape" and search.has_focus:
            search.value = ""
            search.display = False
            self.motion_list.focus()
            event.stop()


def help_sections() -> list[tuple[str, list[Binding]]]:
    """The keys of each place, in the order a user meets them."""
    moving = [
        Binding("up,k", "", "Up"), Binding("down,j", "", "Down"), *KeyboardTable.BINDINGS[2:],
        Binding("tab", "", "Next pane"), Binding("shift+tab", "", "Previous pane"),
    ]
    return [
        ("Everywhere", [*SachstandApp.BINDINGS, Binding("ctrl+p", "", "Command palette")]),
        ("Lists", moving),
        ("Requested items", ItemTable.BINDINGS),
        ("Search", [Binding("enter", "", "Go to the results"), Binding("escape", "", "Clear the search")]),
        ("Editor", NoteEditor.BINDINGS),
    ]


def binding_ids() -> set[str]:
    """Every binding id a keymap in the config file may name."""
    screens = (SachstandApp, KeyboardTable, ItemTable, NoteEditor, ConfirmModal, PromptModal, HelpScreen)
    return {binding.id for screen in screens for binding in screen.BINDINGS if binding.id}


def _next_status(status: ItemStatus) -> ItemStatus:
    order = list(ItemStatus)
    return order[(order.index(status) + 1) % len(order)]


def _count(number: int, lang: str) -> str:
    text = f"{number:,}"
    return text.replace(",", ".") if lang == "de" else text
