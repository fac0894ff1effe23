"""The keys that change an item, shared by every table that shows items."""

from __future__ import annotations

from typing import ClassVar, cast

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from store import ItemStatus, label
from tui.keys import KEYS


@KEYS.register("Items (in every view)")
class StatusKeys:
    """Mixin for a widget that knows which item is under the cursor (:meth:`current_item`); the app
    does the edit its messages ask for."""

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
    ]

    class StatusChosen(Message):
        """Set an item's status; ``status`` None means the next one in turn."""

        def __init__(self, motion_id: str, number: int, status: ItemStatus | None) -> None:
            super().__init__()
            self.motion_id, self.number, self.status = motion_id, number, status

    class NoteEditRequested(Message):
        """Open the editor for an item's status text (Sachstand)."""

        def __init__(self, motion_id: str, number: int) -> None:
            super().__init__()
            self.motion_id, self.number = motion_id, number

    def current_item(self) -> tuple[str, int] | None:
        raise NotImplementedError

    def _post(self, message: Message) -> None:
        cast(Widget, self).post_message(message)

    def action_set_status(self, status: str) -> None:
        if chosen := self.current_item():
            self._post(self.StatusChosen(*chosen, ItemStatus(status)))

    def action_cycle_status(self) -> None:
        if chosen := self.current_item():
            self._post(self.StatusChosen(*chosen, None))

    def action_edit_note(self) -> None:
        if chosen := self.current_item():
            self._post(self.NoteEditRequested(*chosen))
