"""What the forms of fields share (the motion form, the item form): a widget per field from its declaration
(store/fields.py), the values as typed, checking them with the focus left on the field at fault, ctrl+s
to save, escape to cancel (asking first if something changed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from store import Field, Kind, SachstandError
from tui.components.confirm import close_unless_kept
from tui.components.dialog import Dialog
from tui.keys import KEYS


@KEYS.register()
class FieldForm(Dialog[dict[str, Any] | None]):
    """Fields in a grid ``#form-fields`` of labels and widgets ``#field-NAME``; an ``#error`` line. Subclasses
    compose them, check them (:meth:`checked`) and say what escape asks (:attr:`discard_question`)."""

    DEFAULT_CSS = """
    FieldForm #form-fields {
        layout: grid;
        grid-size: 2;
        grid-columns: 20 1fr;
        grid-rows: auto;
        grid-gutter: 0 2;
        Input, Select {
            background: $boost;
        }
        TextArea {
            height: 4;
            min-height: 3;  /* the grid's auto rows would give an empty one a single line */
            background: $boost;
        }
        Label {
            color: $text-muted;
            width: 100%;  /* a long label wraps in its column instead of being cut */
        }
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel", priority=True),
    ]

    discard_question: str  # a message id

    def field_widget(self, field: Field, value: Any, *, suggester: Suggester | None = None) -> Widget:
        """The widget for the field's kind, holding ``value`` as a person types it."""
        field_id = f"field-{field.name}"
        if field.statuses is not None:
            options = [(field.show(status, self.lang), status) for status in field.statuses]
            return Select(options, value=field.statuses(value), allow_blank=False, id=field_id, compact=True)
        if field.kind is Kind.BOOL:
            return Checkbox(self.t("yes"), value=value, id=field_id, compact=True)
        if field.kind is Kind.TEXT:
            return TextArea(value, id=field_id, soft_wrap=True, compact=True)
        typed = field.show(value, "de")  # dates are typed day first in either language: 28.07.2020
        if field.kind is Kind.DATE:
            placeholder = "TT.MM.JJJJ" if self.lang == "de" else "DD.MM.YYYY"
            return Input(typed, placeholder=placeholder, id=field_id, compact=True)
        if field.kind is Kind.LINES:
            return Input(typed, placeholder=self.t("separated by commas"), id=field_id, compact=True)
        return Input(typed, max_length=field.limit, suggester=suggester, id=field_id, compact=True)

    def on_mount(self) -> None:
        # Textual calls a subclass's on_mount first, then this one (a handler of each class along the MRO).
        self.initial = self.raw()

    def raw(self) -> dict[str, Any]:
        """What each field holds, as typed, by the field's name."""
        raw: dict[str, Any] = {}
        for widget in self.query("#form-fields > *"):
            name = (widget.id or "").removeprefix("field-")
            if isinstance(widget, TextArea):
                raw[name] = widget.text
            elif isinstance(widget, (Input, Select, Checkbox)):
                raw[name] = widget.value
        return raw

    def checked(self) -> dict[str, Any]:
        """The form's values as the store wants them; BadInput (inside :meth:`focus_on_error`) if one is wrong."""
        raise NotImplementedError

    @contextmanager
    def focus_on_error(self, name: str) -> Iterator[None]:
        """A BadInput raised in the block leaves the focus on the field ``name``."""
        try:
            yield
        except SachstandError:
            self.query_one(f"#field-{name}").focus()
            raise

    def action_save(self) -> None:
        try:
            values = self.checked()
        except SachstandError as error:
            self.query_one("#error", Static).update(Text(error.render(self.lang), style="bold red"))
            # The message takes rows from the fields: once laid out, the field at fault is scrolled to.
            self.call_after_refresh(self._show_focused)
            return
        self.dismiss(values)

    def _show_focused(self) -> None:
        if self.focused is not None:
            self.focused.scroll_visible(animate=False)

    def action_cancel(self) -> None:
        close_unless_kept(self, self.raw() != self.initial, self.t(self.discard_question))
