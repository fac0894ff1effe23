"""The items of the selected motion; number keys set a status in one stroke."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from store import Item, ItemStatus, Motion, label
from tui.components.tables import KeyboardTable, literal
from tui.format import STATUS_STYLES, fmt_date, fmt_status

# 1-5 in the order of ItemStatus: open, in progress, reported, done, deferred.
STATUS_KEYS = tuple(zip("12345", ItemStatus))


class ItemTable(KeyboardTable):
    BINDINGS = [
        *(
            Binding(key, f"set_status('{status.value}')", f"Status: {label(status, 'en')}", show=False, id=f"item.status.{status.value}")
            for key, status in STATUS_KEYS
        ),
        Binding("space", "cycle_status", "Next status", id="item.cycle"),
        Binding("e", "edit_note", "Edit Sachstand", id="item.edit"),
    ]

    class StatusChosen(Message):
        def __init__(self, number: int, status: ItemStatus | None) -> None:
            super().__init__()
            self.number, self.status = number, status  # None: the next status in turn

    class NoteEditRequested(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    COLUMNS = (
        ("number", "No.", 3),
        ("status", "Status", 16),
        ("title", "Item", 20),
        ("department", "Department", 10),
        ("due", "Follow-up", 11),
    )
    FLEX = "title"

    def __init__(self, lang: str, today: date, **kwargs: object) -> None:
        super().__init__(lang, **kwargs)
        self.today = today
        self._motion: Motion | None = None

    @property
    def selected_number(self) -> int | None:
        if self._motion is None or not self._motion.items:
            return None
        return min(self.cursor_row, len(self._motion.items) - 1) + 1

    def show(self, motion: Motion | None) -> None:
        """Show this motion's items; the same motion again only updates the rows that changed."""
        previous, self._motion = self._motion, motion
        if motion is None:
            self.clear()
            return
        if previous is None or previous.id != motion.id or len(previous.items) != len(motion.items):
            row = self.cursor_row if previous is not None and previous.id == motion.id else 0
            self.clear()
            for item in motion.items:
                self.add_row(*self._cells(item), key=str(item.number))
            self.move_cursor(row=min(row, max(len(motion.items) - 1, 0)))
            return
        for old, new in zip(previous.items, motion.items):
            if old != new:
                for (key, _heading, _width), cell in zip(self.COLUMNS, self._cells(new)):
                    self.update_cell(str(new.number), key, cell)

    def _cells(self, item: Item) -> tuple[Text, ...]:
        overdue = item.is_overdue(self.today)
        return (
            literal(str(item.number)),
            literal(fmt_status(item.status, self.lang), STATUS_STYLES[item.status]),
            literal(item.title),
            literal(item.department or "–"),
            literal(("! " if overdue else "") + fmt_date(item.due, self.lang), "bold red" if overdue else ""),
        )

    def action_set_status(self, status: str) -> None:
        if self.selected_number is not None:
            self.post_message(self.StatusChosen(self.selected_number, ItemStatus(status)))

    def action_cycle_status(self) -> None:
        if self.selected_number is not None:
            self.post_message(self.StatusChosen(self.selected_number, None))

    def action_edit_note(self) -> None:
        if self.selected_number is not None:
            self.post_message(self.NoteEditRequested(self.selected_number))
