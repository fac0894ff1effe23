"""The form for a new motion (n) or the selected motion's fields (E), validated before it closes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from store import MOTION_FIELDS, MOTION_FORM, BadInput, Field, Kind, Motion, SachstandError, new_items
from tui.components.confirm import close_unless_kept
from tui.components.dialog import Dialog
from tui.keys import KEYS


@KEYS.register()
class MotionForm(Dialog[dict[str, Any] | None]):
    """Dismisses with the checked fields (plus ``items`` for a new motion), or None."""

    # A short terminal (80x24) gets the rows the frame would take: the fields scroll in what is left.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    DEFAULT_CSS = """
    MotionForm {
        & #dialog {
            width: 90;
            height: 90%;
        }
        &.-short #dialog {
            height: 100%;
            max-height: 100%;
            padding: 0 1;
        }
        &.-short #hint {
            margin-top: 0;
        }
        & #form-fields {
            height: 1fr;
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
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel", priority=True),
    ]

    def __init__(self, motion: Motion | None, *, draft: Motion | None = None) -> None:
        super().__init__()
        self.motion = motion  # the motion being edited; None for a new one
        self.draft = draft  # what an import found, to check and correct before it is saved

    def compose(self) -> ComposeResult:
        heading = (
            self.t("Edit motion")
            if self.motion
            else self.t("Import: check and correct")
            if self.draft
            else self.t("New motion")
        )
        with Vertical(id="dialog"):
            yield Static(Text(heading, style="bold"))
            with VerticalScroll(id="form-fields"):
                for name in MOTION_FORM:
                    field = MOTION_FIELDS[name]
                    yield Label(self.t(field.label) + (" *" if field.required else ""))
                    yield self._widget(field)
                if self.motion is None:
                    yield Label(self.t("Requested items, one per line") + " *")
                    items = "\n".join(item.title for item in self.draft.items) if self.draft else ""
                    yield TextArea(items, id="field-items", soft_wrap=True, compact=True)
            yield Static("", id="error")
            yield Static(self.t("ctrl+s saves · escape cancels · dates as 28.07.2020"), id="hint")

    def _widget(self, field: Field) -> Widget:
        """The widget for the field's kind, holding the motion's value as a person types it."""
        shown = self.motion or self.draft
        value = getattr(shown, field.name) if shown else field.default
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
        return Input(typed, max_length=field.limit, id=field_id, compact=True)

    def on_mount(self) -> None:
        self.query_one("#field-title").focus()
        self._initial = self._raw()

    def _raw(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for widget in self.query("#form-fields > *"):
            name = (widget.id or "").removeprefix("field-")
            if isinstance(widget, TextArea):
                raw[name] = widget.text
            elif isinstance(widget, (Input, Select, Checkbox)):
                raw[name] = widget.value
        return raw

    def checked(self) -> dict[str, Any]:
        """The form's values as the model wants them; BadInput names the field by its label and
        leaves the focus on it."""
        raw = self._raw()
        values: dict[str, Any] = {}
        for name in MOTION_FORM:
            field = MOTION_FIELDS[name]
            with self._focus_on_error(name):
                values[name] = field.parse(raw[name], self.t(field.label))
        if self.motion is None:
            with self._focus_on_error("items"):
                titles = [line.strip() for line in raw["items"].splitlines() if line.strip()]
                if not titles:
                    raise BadInput(
                        "{where}: a motion needs at least one requested item.", where=self.t("Requested items")
                    )
                values["items"] = new_items(titles, where=self.t("Item"))
        return values

    @contextmanager
    def _focus_on_error(self, name: str) -> Iterator[None]:
        try:
            yield
        except BadInput:
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
        close_unless_kept(self, self._raw() != self._initial, self.t("Discard your changes to this motion?"))
