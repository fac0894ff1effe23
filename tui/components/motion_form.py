"""The form for a new motion (n) or the selected motion's fields (E), validated before it closes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from store import (
    BadInput,
    Motion,
    MotionStatus,
    SachstandError,
    check_field_line,
    check_text,
    clean_text,
    label,
    new_items,
    parse_date,
)
from tui.components.confirm import close_unless_kept
from tui.components.dialog import Dialog
from tui.format import fmt_date
from tui.keys import KEYS

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

# field, label, kind: the motion's own fields in the order a letter gives them
FIELDS = (
    ("title", "Title", "line"),
    ("reference", "Reference", "line"),
    ("submitted", "Submitted", "date"),
    ("submitted_by", "Submitted by", "list"),
    ("addressed_to", "Addressed to", "line"),
    ("copy_to", "Copy to", "list"),
    ("committee", "Committee", "line"),
    ("meeting", "Meeting", "date"),
    ("legal_basis", "Legal basis", "line"),
    ("status", "Procedure", "status"),
    ("public", "Public", "bool"),
    ("source", "Source", "line"),
    ("text", "Free text", "text"),
)


def parse_typed_date(text: str, where: str) -> date | None:
    """A date as a person types it: 28.07.2020 or 2020-07-28; empty for none."""
    found = _GERMAN_DATE.match(text.strip())
    if found:
        day, month, year = (int(part) for part in found.groups())
        text = f"{year:04d}-{month:02d}-{day:02d}"
    return parse_date(text.strip(), where)


@KEYS.register()
class MotionForm(Dialog[dict[str, Any] | None]):
    """Dismisses with the checked fields (plus ``items`` for a new motion), or None."""

    DEFAULT_CSS = """
    MotionForm {
        & #dialog {
            width: 90;
            height: 90%;
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
                background: $boost;
            }
            Label {
                color: $text-muted;
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
                for name, caption, kind in FIELDS:
                    yield Label(self.t(caption) + (" *" if name == "title" else ""))
                    yield self._field(name, kind)
                if self.motion is None:
                    yield Label(self.t("Requested items, one per line") + " *")
                    items = "\n".join(item.title for item in self.draft.items) if self.draft else ""
                    yield TextArea(items, id="field-items", soft_wrap=True, compact=True)
            yield Static("", id="error")
            yield Static(self.t("ctrl+s saves · escape cancels · dates as 28.07.2020"), id="hint")

    def _field(self, name: str, kind: str) -> Any:
        shown = self.motion or self.draft
        value = getattr(shown, name) if shown else None
        field_id = f"field-{name}"
        if kind == "status":
            options = [(label(status, self.lang), status) for status in MotionStatus]
            return Select(options, value=value or MotionStatus.RECEIVED, allow_blank=False, id=field_id, compact=True)
        if kind == "bool":
            return Checkbox(self.t("yes"), value=True if value is None else value, id=field_id, compact=True)
        if kind == "text":
            return TextArea(value or "", id=field_id, soft_wrap=True, compact=True)
        if kind == "date":
            typed = fmt_date(value, "de") if value else ""
            placeholder = "TT.MM.JJJJ" if self.lang == "de" else "DD.MM.YYYY"
            return Input(typed, placeholder=placeholder, id=field_id, compact=True)
        if kind == "list":
            return Input(", ".join(value or ()), placeholder=self.t("separated by commas"), id=field_id, compact=True)
        return Input(value or "", id=field_id, compact=True)

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
        """The form's values as the model wants them; BadInput names the field by its label."""
        raw = self._raw()
        where = {name: self.t(caption) for name, caption, _kind in FIELDS}
        values: dict[str, Any] = {}
        for name, _caption, kind in FIELDS:
            value = raw[name]
            if kind == "line":
                values[name] = check_field_line(name, value.strip(), where[name])
            elif kind == "date":
                values[name] = parse_typed_date(value, where[name])
            elif kind == "list":
                values[name] = tuple(
                    check_field_line(name, part.strip(), where[name]) for part in value.split(",") if part.strip()
                )
            elif kind == "text":
                values[name] = check_text(clean_text(value), where[name])
            else:
                values[name] = value
        if self.motion is None:
            titles = [line.strip() for line in raw["items"].splitlines() if line.strip()]
            if not titles:
                raise BadInput("{where}: a motion needs at least one requested item.", where=self.t("Requested items"))
            values["items"] = new_items(titles, where=self.t("Item"))
        return values

    def action_save(self) -> None:
        try:
            values = self.checked()
        except SachstandError as error:
            self.query_one("#error", Static).update(Text(error.render(self.lang), style="bold red"))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        close_unless_kept(self, self._raw() != self._initial, self.t("Discard your changes to this motion?"))
