"""The keys that change an item, shared by every table that shows items."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

from store import ItemStatus, label

# 1-5 in the order of ItemStatus: open, in progress, reported, done, deferred.
STATUS_BINDINGS = [
    Binding(
        key,
        f"set_status('{status.value}')",
        f"Status: {label(status, 'en')}",
        show=False,
        id=f"item.status.{status.value}",
    )
    for key, status in zip("12345", ItemStatus)
]


class StatusChosen(Message):
    """Set an item's status; ``status`` None means the next one in turn."""

    def __init__(self, motion_id: str, number: int, status: ItemStatus | None) -> None:
        super().__init__()
        self.motion_id, self.number, self.status = motion_id, number, status


class NoteEditRequested(Message):
    def __init__(self, motion_id: str, number: int) -> None:
        super().__init__()
        self.motion_id, self.number = motion_id, number


class StatusKeys:
    """Mixin for a widget that knows which item is under the cursor (:meth:`current_item`)."""

    BINDINGS = [
        *STATUS_BINDINGS,
        Binding("space", "cycle_status", "Next status", id="item.cycle"),
        Binding("e", "edit_note", "Edit Sachstand", id="item.edit"),
    ]

    def current_item(self) -> tuple[str, int] | None:
        raise NotImplementedError

    def action_set_status(self, status: str) -> None:
        if chosen := self.current_item():
            self.post_message(StatusChosen(*chosen, ItemStatus(status)))  # type: ignore[attr-defined]

    def action_cycle_status(self) -> None:
        if chosen := self.current_item():
            self.post_message(StatusChosen(*chosen, None))  # type: ignore[attr-defined]

    def action_edit_note(self) -> None:
        if chosen := self.current_item():
            self.post_message(NoteEditRequested(*chosen))  # type: ignore[attr-defined]
