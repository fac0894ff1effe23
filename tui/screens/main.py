"""The main view: the motion list, the selected motion's items, details of what has the focus."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from itertools import compress
from typing import Any, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from store import Motion, Notice, SachstandError, add_catalog, new_items, new_motion_id
from tui.components.details import ItemDetail, MotionDetail
from tui.components.footer import CompactFooter
from tui.components.item_table import ItemTable
from tui.components.motion_list import MotionList
from tui.components.sync_status import SachstandHeader
from tui.components.virtual_table import VirtualTable
from tui.format import count, newest_first, newest_first_again
from tui.keys import KEYS
from tui.roles import Gated, motion_refusal
from tui.screens.view import View
from tui.search import MotionFilter, Searcher
from tui.texts_de import WELCOME

# The dialogs (motion form, prompt, confirm, filter) are imported by the actions that open them: each loads at
# its first use, not before the first frame.

Answer = TypeVar("Answer")

# Pane heights, in rows (see MainScreen.fit_panes). A list pane takes its border and heading besides its rows.
FRAME = 3
MOTIONS_LEAST = FRAME + 2  # the motion list shows two motions at least
DETAIL_LEAST = 6  # stacked (narrow terminals): the detail pane under the items
LOWER_LEAST = FRAME + 10  # side by side: ten item rows at least, and room for the detail pane beside them

# The search field's own keys (on_input_submitted, on_key).
KEYS.note("Search", Binding("enter", "", "Go to the results"), Binding("escape", "", "Clear the search"))


@KEYS.register("Motion list")
class MainScreen(Gated, View):
    BINDINGS = [
        Binding("slash", "search", "Search", id="main.search"),
        Binding("f", "filter", "Filter", show=False, id="main.filter"),
        Binding("n", "new_motion", "New motion", show=False, id="motion.new"),
        Binding("E", "edit_motion", "Edit motion", show=False, id="motion.edit"),
        Binding("a", "add_item", "Add item", show=False, id="motion.add_item"),
        Binding("x,delete", "delete_motion", "Delete", show=False, id="motion.delete"),
        Binding("B", "add_example", "Add the example motion", show=False, id="main.example"),
    ]

    # The list has the focus from the start (not the first focusable widget, then the list), and the class that
    # says so, and the class of the terminal's width: each change of one of them restyles the whole screen.
    AUTO_FOCUS = "#motions"

    def __init__(self) -> None:
        super().__init__(classes=" ".join(["-motion-focus", *self.breakpoint_classes()]))
        self.query_text = ""
        self.motion_filter = MotionFilter()
        self.searcher = Searcher()
        self._order: tuple[list[Motion], list[Motion]] = ([], [])  # the motions, and they newest first
        self._search: Input | None = None  # see search_input
        self._glance: tuple[str, Motion | None] | None = None  # see _glanced

    @property
    def search_input(self) -> Input:
        """The search field, made when first asked for and mounted when first shown (_show_search): made and
        hidden from the start, it cost the first frame about 6 ms (its making, its styles, its state). Disabled
        while hidden (see _show_search)."""
        if self._search is None:
            placeholder = self.t("Search: title, reference, group, item, Sachstand")
            self._search = Input(placeholder=placeholder, id="search", compact=True, disabled=True)
            self._search.display = False
        return self._search

    def compose(self) -> ComposeResult:
        yield SachstandHeader()
        with Vertical(id="motions-pane"):  # the search field comes first in it, when first shown
            yield Static(id="no-hits")
            yield MotionList(id="motions")
            yield Static(id="welcome")
        with Horizontal(id="lower"):
            yield ItemTable(id="items")
            yield MotionDetail(id="motion-detail")
            yield ItemDetail(id="item-detail")
        yield CompactFooter()

    def on_mount(self) -> None:
        t = self.t
        self.motion_list = self.query_one(MotionList)
        self.item_table = self.query_one(ItemTable)
        self.query_one(MotionDetail).border_title = t("Motion")
        self.item_table.set_heading(t("Requested items"))
        self.query_one(ItemDetail).border_title = t("Item")
        self.show_data()
        self.motion_list.focus()

    def on_descendant_focus(self, event: Any) -> None:
        # Unless the terminal is very wide there is room for one detail pane: the one for what was chosen
        # last; moving into a detail pane keeps it.
        if event.widget is self.motion_list or event.widget is self._search:
            self.set_class(True, "-motion-focus")
        elif event.widget is self.item_table:
            self.set_class(False, "-motion-focus")

    # --- showing what the store holds ----------------------------------------------------

    def selected_motion(self) -> Motion | None:
        motion_id = self.motion_list.selected_id
        if motion_id is None or self.sachstand.loading:
            return None
        try:
            return self.sachstand.store.get(motion_id)
        except SachstandError:
            return None

    def shown_motions(self, every: list[Motion] | None = None) -> list[Motion]:
        """The motions the list shows: all (``every``, read from the store if not given), or those the filter and the search leave."""
        app = self.sachstand
        every = app.store.motions() if every is None else every
        ordered = self._newest_first(every)
        # Filtered and searched in the store's order, which is the order the models lie in memory: a search
        # that folds every motion's texts took 0.2 s longer in the list's order (a cache miss at each step).
        chosen = [m for m in every if self.motion_filter.matches(m, self.today)] if self.motion_filter else every
        found = self.searcher.filter(chosen, self.query_text)
        if len(found) == len(every):
            return ordered
        if len(found) * 8 < len(every):  # a few: sorted alone, cheaper than a pass over every motion
            return newest_first(found)
        kept = set(map(id, found))  # the motions' addresses: no look into each one, wherever it lies
        return list(compress(ordered, map(kept.__contains__, map(id, ordered))))  # in C: a loop here took 0.03 s

    def _newest_first(self, every: list[Motion]) -> list[Motion]:
        """The motions newest first, sorted again only when the order may have changed: a sort of 50,000 motions
        took 0.03 to 0.05 s of each keystroke of a search, and of each edit's refresh (tui/format.py)."""
        known, ordered = self._order
        self._order = (every, ordered := newest_first_again(known, ordered, every))
        return ordered

    def prepare_search(self, motions: list[Motion]) -> Iterator[int]:
        """Get the search ready for ``motions`` ahead of the first keystroke, a step per ``next``
        (see SachstandApp's read)."""
        return self.searcher.preparing(motions)

    def show_data(self) -> None:
        """Bring every pane in line with the store, touching only what changed."""
        t = self.t
        preview = self.sachstand.preview
        if preview is not None:
            every: list[Any] = preview
            shown = newest_first(every)
        else:
            every = self.sachstand.store.motions()
            shown = self.shown_motions(every)  # one read of the store per refresh, not two
        self.motion_list.show(shown)
        if preview is None:
            title = self._count_title(len(shown), len(every))
        else:  # the list's first rows (SachstandApp.FIRST_ROWS); the index knows how many there are, if it can
            total = self.sachstand.preview_total
            title = t("Motions") if total is None else self._count_title(total, total)
            title += " · " + t("loading …")
        if self.motion_filter:
            title += " · " + t("Filter: {filter} (f)", filter=self.motion_filter.describe(self.lang))
        self.query_one("#motions-pane").border_title = title
        welcome = self.query_one("#welcome", Static)
        welcome.display = not every
        self.motion_list.display = bool(every)
        self.set_class(not every, "-empty")
        if not every:
            welcome.update(Text(t(WELCOME)))
        elif self.focused is None and self.app.screen is self:
            # The list was hidden while the store was empty, which took the focus from it: back to it,
            # or the first key after a dialog would go to whatever Textual picks (see _show_search).
            self.motion_list.focus()
        self._say_no_hits(bool(every) and not shown)
        self.show_selected_motion()

    def _count_title(self, shown: int, total: int) -> str:
        return self.t("Motions: {shown} of {total}", shown=count(shown, self.lang), total=count(total, self.lang))

    def _say_no_hits(self, none: bool) -> None:
        """Above an empty list: that the search (or the filter) leaves nothing, and how to get back."""
        hint = self.query_one("#no-hits", Static)
        hint.display = none
        if not none:
            return
        if self.query_text.strip():
            hint.update(Text(self.t("No matches for “{query}” (escape clears the search).", query=self.query_text)))
        else:
            hint.update(Text(self.t("No motion passes the filter (f changes it).")))

    def show_selected_motion(self) -> None:
        motion = self._glanced() if self.sachstand.loading else self.selected_motion()
        self.query_one(MotionDetail).show(motion)
        self.item_table.show(motion)
        self.fit_panes()
        self.show_selected_item()

    def _glanced(self) -> Motion | None:
        """While the store is read: the highlighted motion read alone (Store.glance, a few milliseconds at any size);
        None until it is, or where it cannot be read alone. Only to be seen: the keys that act on it wait for the
        store, as every edit does."""
        motion_id = self.motion_list.selected_id
        if motion_id is None:
            return None
        if self._glance is not None and self._glance[0] == motion_id:
            return self._glance[1]
        # The first after the first frame, which does not wait for it; each after that at once: while the read holds
        # the interpreter, a refresh is long in coming (the items 0.06 to 0.3 s after the key at 50,000, not 0.012 s).
        (self.call_after_refresh if self._glance is None else self.call_later)(self._take_glance, motion_id)
        return None

    def _take_glance(self, motion_id: str) -> None:
        if not self.sachstand.loading or motion_id != self.motion_list.selected_id:
            return  # read meanwhile, or passed by
        if self._glance is None or self._glance[0] != motion_id:
            self._glance = (motion_id, self.sachstand.store.glance(motion_id))
            self.show_selected_motion()

    def on_resize(self) -> None:
        self.fit_panes()

    def fit_panes(self) -> None:
        """Each pane as high as its content, as far as the screen allows: no pane keeps rows empty
        while another has to scroll. The items come first, then the motion list; stacked (narrow
        terminals), the detail pane takes what is left, side by side it shares the items' rows."""
        motions_pane = self.query_one("#motions-pane")
        if self.has_class("-empty"):
            motions_pane.styles.height = "1fr"  # the welcome takes the screen
            return
        available = self.size.height - 2  # the header and the footer
        searching = self._search is not None and self._search.display
        motions = FRAME + self.motion_list.row_count + searching + self.query_one("#no-hits").display
        items = FRAME + max(self.item_table.row_count, 1)
        if self.has_class("-narrow"):
            items = max(min(items, available - MOTIONS_LEAST - DETAIL_LEAST), FRAME + 1)
            motions = max(min(motions, available - items - DETAIL_LEAST), MOTIONS_LEAST)
            self.item_table.styles.height = items
        else:
            lower = min(max(items, LOWER_LEAST), available - MOTIONS_LEAST)
            motions = max(min(motions, available - lower), MOTIONS_LEAST)
            self.item_table.styles.height = "100%"
        motions_pane.styles.height = motions
        # Beside one detail pane, the items take the width their titles want, between half and five
        # eighths of the screen (the detail's labels need the rest); elsewhere app.tcss sets it.
        width = self.size.width
        beside_one = not self.has_class("-narrow") and not self.has_class("-wide")
        wanted = min(max(self.item_table.wanted_width, width // 2), width * 5 // 8)
        self.item_table.styles.width = wanted if beside_one else None

    def show_selected_item(self) -> None:
        motion = self.selected_motion()
        number = self.item_table.selected_number
        item = motion.item(number) if motion and number else None
        history = self.sachstand.store.history(motion.id) if item and motion else []
        self.query_one(ItemDetail).show(item, history)

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        if event.table is self.motion_list:
            self.show_selected_motion()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.item_table:
            self.show_selected_item()

    # --- actions on the selected motion --------------------------------------------------

    # The keys that change motions, and what they do as store/sync/access.py names it.
    CHANGING = {
        "new_motion": "add",
        "add_example": "add",
        "edit_motion": "edit",
        "add_item": "add_item",
        "delete_motion": "delete",
    }

    def refusal(self, action: str, parameters: tuple[object, ...]) -> Notice | None:
        kind = self.CHANGING.get(action)
        if kind is None:
            return None
        return motion_refusal(self.sachstand, kind, None if kind == "add" else self.selected_motion())

    def _ask_about_selected(
        self, dialog: Callable[[Motion], Screen[Answer]], answered: Callable[[Motion, Answer | None], None]
    ) -> None:
        """Ask about the selected motion, if there is one; ``answered`` gets the motion and the answer."""
        motion = self.selected_motion()
        if motion is not None:
            self.app.push_screen(dialog(motion), partial(answered, motion))

    def action_new_motion(self) -> None:
        from tui.components.motion_form import MotionForm

        self.app.push_screen(MotionForm(None), self._add_motion)

    def _add_motion(self, values: dict[str, Any] | None) -> None:
        app = self.sachstand
        if values:
            motion = Motion(id=new_motion_id(), **values)
            app.edit(lambda store: store.add_motion(motion), lambda added: self.motion_list.select(added.id))

    def action_edit_motion(self) -> None:
        from tui.components.motion_form import MotionForm

        self._ask_about_selected(MotionForm, self._save_motion)

    def _save_motion(self, motion: Motion, values: dict[str, Any] | None) -> None:
        app = self.sachstand
        if values:
            app.edit(lambda store: store.update_motion(motion.id, **values))

    def action_add_item(self) -> None:
        from tui.components.prompt import PromptModal

        def ask(motion: Motion) -> PromptModal:
            return PromptModal(self.t("New item for: {title}", title=motion.title), self._check_item_title)

        self._ask_about_selected(ask, self._add_item)

    def _check_item_title(self, title: str) -> None:
        new_items([title], where=self.t("Title"))

    def _add_item(self, motion: Motion, title: str | None) -> None:
        app = self.sachstand
        if title:
            app.edit(
                lambda store: store.add_item(motion.id, title.strip()), lambda _added: self.item_table.action_last()
            )

    def action_delete_motion(self) -> None:
        from tui.components.confirm import ConfirmModal

        def ask(motion: Motion) -> ConfirmModal:
            return ConfirmModal(self.t("Delete the motion {title}? (u undoes it)", title=motion.title))

        self._ask_about_selected(ask, self._delete_motion)

    def _delete_motion(self, motion: Motion, yes: bool | None) -> None:
        app = self.sachstand
        if yes:
            app.edit(lambda store: store.delete_motion(motion.id))

    def action_add_example(self) -> None:
        from store import EXAMPLE_ID, example_motion  # its id is a hash (hashlib, 1 to 2 ms): loaded at first use

        app = self.sachstand
        if not any(motion.id == EXAMPLE_ID for motion in app.store.motions()):
            app.edit(
                lambda store: store.add_motion(example_motion()), lambda _added: self.motion_list.select(EXAMPLE_ID)
            )
        else:
            self.motion_list.select(EXAMPLE_ID)

    def action_filter(self) -> None:
        from tui.components.filter_form import FilterForm

        self.app.push_screen(FilterForm(self.motion_filter, self.sachstand.store.motions()), self._filter)

    def _filter(self, motion_filter: MotionFilter | None) -> None:
        if motion_filter is not None:
            self.motion_filter = motion_filter
            self.show_data()

    # --- search ---------------------------------------------------------------------------

    def action_search(self) -> None:
        self._show_search(True)
        self.search_input.focus()

    def _show_search(self, shown: bool) -> None:
        """Show or hide the search field. Hidden, it is disabled too: Textual's focusable ignores display,
        so a screen whose focus was lost (the list hidden when the store became empty) gave it to the
        hidden field when a dialog closed, and every key after that went into it unseen."""
        if shown and not self.search_input.is_attached:
            self.query_one("#motions-pane").mount(self.search_input, before=0)
        self.search_input.display = shown
        self.search_input.disabled = not shown
        self.fit_panes()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.search_input:
            self.query_text = event.value
            self.show_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self.search_input:
            self.motion_list.focus()

    def on_key(self, event: Any) -> None:
        if event.key == "escape" and self._search is not None and self._search.has_focus:
            self.search_input.value = ""
            self._show_search(False)
            self.motion_list.focus()
            event.stop()


add_catalog(
    "de",
    {
        "No matches for “{query}” (escape clears the search).": "Keine Treffer für „{query}“ (Esc leert die Suche).",
        "No motion passes the filter (f changes it).": "Kein Antrag passt zum Filter (f ändert ihn).",
        "Motions": "Anträge",
    },
)
