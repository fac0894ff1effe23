"""The keys that change an item, shared by every table that shows items: a status in one stroke, the
Sachstand, the item form; and marks, so that one stroke changes every marked item."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from store import ItemStatus, Notice, add_catalog, label, translate
from tui.keys import KEYS
from tui.roles import Gated, item_refusal

ItemRef = tuple[str, int]  # (motion id, item number)
Items = tuple[ItemRef, ...]

MARK = "◆"  # unlike every status symbol (tui/format.py), so a mark never reads as a status


# The keys that change items, and the field each changes (None: the item form's).
CHANGING = {"set_status": "status", "cycle_status": "status", "edit_note": "note", "edit_item": None}


def next_status(status: ItemStatus) -> ItemStatus:
    """The status after ``status`` in the order of ItemStatus, the last followed by the first: the space key's."""
    order = list(ItemStatus)
    return order[(order.index(status) + 1) % len(order)]


@KEYS.register("Items (in every view)")
class StatusKeys(Gated):
    """Mixin, first among the bases, for a widget that knows which item is under the cursor
    (:meth:`current_item`) and shows a mark where :meth:`mark_cell` says; the app does the edit its
    messages ask for, on the marked items if there are any, else on the one under the cursor. The mark
    stands in the item's number cell (:meth:`number_cell`): a column of its own took the title three
    columns, which 80 columns cannot spare."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # 1-5 in the order of ItemStatus: open, in progress, reported, done, deferred.
        *(
            Binding(
                key,
                f"set_status('{status.value}')",
                f"Status: {label(status, 'en')}",
                show=False,
                id=f"item.status.{status.value}",
            )
            for key, status in zip("12345", ItemStatus)
        ),
        Binding("space", "cycle_status", "Next status", id="item.cycle"),
        Binding("e", "edit_note", "Edit Sachstand", id="item.edit"),
        Binding("enter,E", "edit_item", "Edit item", show=False, id="item.form"),
        Binding("v", "toggle_mark", "Mark", show=False, id="item.mark"),
        Binding("V", "clear_marks", "Clear marks", show=False, id="item.unmark"),
    ]

    class StatusChosen(Message):
        """Set the status of ``items``; ``status`` None means each one's next in turn."""

        def __init__(self, items: Items, status: ItemStatus | None) -> None:
            super().__init__()
            self.items, self.status = items, status

    class NoteEditRequested(Message):
        """Open the editor for an item's status text (Sachstand)."""

        def __init__(self, motion_id: str, number: int) -> None:
            super().__init__()
            self.motion_id, self.number = motion_id, number

    class FormRequested(Message):
        """Open the item form for ``items``."""

        def __init__(self, items: Items) -> None:
            super().__init__()
            self.items = items

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks: dict[ItemRef, None] = {}  # in the order they were marked
        self._heading = ""

    def current_item(self) -> ItemRef | None:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Items shown while the store is read (the highlighted motion's, read alone) wait for it, as every edit does.
        if cast(Widget, self).app.loading:  # type: ignore[attr-defined]
            return None
        return super().check_action(action, parameters)

    def refusal(self, action: str, parameters: tuple[object, ...]) -> Notice | None:
        if action not in CHANGING:
            return None
        return item_refusal(cast(Widget, self).app, self.targets(), CHANGING[action])  # type: ignore[arg-type]

    def marks_changed(self, changed: set[ItemRef]) -> None:
        """Repaint the number cells of these items."""
        raise NotImplementedError

    # --- what the keys act on --------------------------------------------------------------

    def targets(self) -> Items:
        """The marked items, or else the one under the cursor (none if the table is empty)."""
        if self.marks:
            return tuple(self.marks)
        chosen = self.current_item()
        return (chosen,) if chosen else ()

    def _post(self, message: Message) -> None:
        cast(Widget, self).post_message(message)

    def action_set_status(self, status: str) -> None:
        if items := self.targets():
            self._post(self.StatusChosen(items, ItemStatus(status)))

    def action_cycle_status(self) -> None:
        if items := self.targets():
            self._post(self.StatusChosen(items, None))

    def action_edit_note(self) -> None:
        if chosen := self.current_item():
            self._post(self.NoteEditRequested(*chosen))

    def action_edit_item(self) -> None:
        if items := self.targets():
            self._post(self.FormRequested(items))

    # --- marks ---------------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        """Mark the item under the cursor, or unmark it, and move on to the next, so v v v marks three."""
        chosen = self.current_item()
        if chosen is None:
            return
        if self.marks.pop(chosen, False) is False:
            self.marks[chosen] = None
        self._marked({chosen})
        cast(Any, self).action_cursor_down()

    def action_clear_marks(self) -> None:
        cleared, self.marks = set(self.marks), {}
        self._marked(cleared)

    def keep_marks(self, shown: set[ItemRef]) -> None:
        """Only items the table shows stay marked: a mark is always in sight, and a change never reaches an
        item the user cannot see (one done in the open-items view leaves it, and its mark)."""
        gone = {ref for ref in self.marks if ref not in shown}
        if gone:
            self.marks = {ref: None for ref in self.marks if ref not in gone}
            self._marked(gone)

    def _marked(self, changed: set[ItemRef]) -> None:
        self.marks_changed(changed)
        self.set_heading(self._heading)

    def set_heading(self, heading: str) -> None:
        """The pane's title: ``heading``, and how many items are marked."""
        self._heading = heading
        widget = cast(Widget, self)
        lang = cast(Any, self).lang
        marked = translate("{count} marked", lang, count=len(self.marks)) if self.marks else ""
        widget.border_title = " · ".join(part for part in (heading, marked) if part)

    def number_cell(self, item: ItemRef) -> Text:
        """The item's number, after its mark if it has one (else a blank, so the numbers stay in line)."""
        mark = (MARK, "bold") if item in self.marks else " "
        return Text.assemble(mark, str(item[1]), no_wrap=True, overflow="ellipsis")


add_catalog(
    "de",
    {
        "{count} marked": "{count} markiert",
        "Mark": "Markieren",
        "Clear marks": "Markierungen aufheben",
        "Edit item": "Punkt bearbeiten",
    },
)
