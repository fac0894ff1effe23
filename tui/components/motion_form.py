"""The form for a new motion (n) or the selected motion's fields (E), validated before it closes."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, Static, TextArea

from store import MOTION_FIELDS, MOTION_FORM, BadInput, Field, Motion, Msg, new_items
from tui.components.form import FieldForm


class MotionForm(FieldForm):
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
        }
    }
    """

    discard_question = Msg("Discard your changes to this motion?")

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
            yield Static(self.t("Ctrl+S saves · Esc cancels · dates as 28.07.2020"), id="hint")

    def _widget(self, field: Field) -> Widget:
        shown = self.motion or self.draft
        return self.field_widget(field, getattr(shown, field.name) if shown else field.default)

    def on_mount(self) -> None:
        self.query_one("#field-title").focus()

    def checked(self) -> dict[str, Any]:
        """The form's values as the model wants them; BadInput names the field by its label and
        leaves the focus on it."""
        raw = self.raw()
        values: dict[str, Any] = {}
        for name in MOTION_FORM:
            field = MOTION_FIELDS[name]
            with self.focus_on_error(name):
                values[name] = field.parse(raw[name], self.t(field.label))
        if self.motion is None:
            with self.focus_on_error("items"):
                titles = [line.strip() for line in raw["items"].splitlines() if line.strip()]
                if not titles:
                    raise BadInput(
                        "{where}: a motion needs at least one requested item.", where=self.t("Requested items")
                    )
                values["items"] = new_items(titles, where=self.t("Item"))
        return values
