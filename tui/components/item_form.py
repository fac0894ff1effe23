"""The item form (enter or E on an item): department, assignee, follow-up date, title; for one item or
for every marked one, where only the fields changed are set on each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from store import ITEM_FIELDS, ITEM_FORM, Item, Motion, Msg, SachstandError, add_catalog, departments
from tui.components.form import FieldForm
from tui.components.status_keys import ItemRef
from tui.roles import item_refusal

if TYPE_CHECKING:
    from tui.app import SachstandApp


class ItemForm(FieldForm):
    """Dismisses with the fields changed, checked ({} if none), or None."""

    DEFAULT_CSS = """
    ItemForm #form-fields {
        height: auto;
        margin-top: 1;
    }
    """

    discard_question = Msg("Discard your changes to this item?")

    def __init__(self, items: Sequence[tuple[Motion, Item]], known_departments: Sequence[str]) -> None:
        super().__init__()
        self.items = items
        self.departments = known_departments  # offered as the department is typed, most used first

    def compose(self) -> ComposeResult:
        (motion, item), several = self.items[0], len(self.items) > 1
        with Vertical(id="dialog"):
            if several:
                yield Static(Text(self.t("Edit {count} marked items", count=len(self.items)), style="bold"))
                yield Static(self.t("Only the fields you change are set, on each of them."), id="subheading")
            else:
                yield Static(Text(self.t("Item {number}: {title}", number=item.number, title=item.title), style="bold"))
                yield Static(Text(motion.reference or motion.title), id="subheading")
            with Vertical(id="form-fields"):
                for name in ITEM_FORM:
                    field = ITEM_FIELDS[name]
                    yield Label(self.t(field.label) + (" *" if field.required and not several else ""))
                    yield self._widget(name)
            yield Static("", id="error")
            yield Static(
                self.t(
                    "Tab moves · → takes the suggested department · dates as 28.07.2020 · Ctrl+S saves · Esc cancels"
                ),
                id="hint",
            )

    def _widget(self, name: str) -> Input:
        field = ITEM_FIELDS[name]
        values = {getattr(item, name) for _motion, item in self.items}
        shared = values.pop() if len(values) == 1 else field.default
        suggester = SuggestFromList(self.departments, case_sensitive=False) if name == "department" else None
        widget = self.field_widget(field, shared, suggester=suggester)
        assert isinstance(widget, Input)  # the form's fields are all lines and dates
        if values:  # the items differ here: the field starts empty, and stays as each has it unless typed in
            widget.placeholder = self.t("(several values)")
            widget.disabled = name == "title"  # one title for several items is never meant
        refs = [(motion.id, item.number) for motion, item in self.items]
        if item_refusal(self.sachstand, refs, name) is not None:  # the token's role may not change it
            widget.disabled = True
        return widget

    def on_mount(self) -> None:
        editable = [widget for widget in self.query(Input) if not widget.disabled]
        if editable:
            editable[0].focus()

    def checked(self) -> dict[str, Any]:
        raw, values = self.raw(), {}
        for name in ITEM_FORM:
            if raw[name] != self.initial[name]:
                field = ITEM_FIELDS[name]
                with self.focus_on_error(name):
                    values[name] = field.parse(raw[name], self.t(field.label))
        return values


def edit_items(app: SachstandApp, refs: Sequence[ItemRef]) -> None:
    """Open the item form for these items; what it saves is one change of all of them (one undo)."""
    store = app.store
    try:
        items = [(motion, store.item(motion, number)) for motion, number in ((store.get(i), n) for i, n in refs)]
    except SachstandError as error:  # gone meanwhile (another process): said, nothing opened
        app.notify(error.render(app.lang), severity="error", timeout=8, markup=False)
        return

    def save(values: dict[str, Any] | None) -> None:
        if values:
            app.edit(lambda store: store.set_items(refs, values))

    app.push_screen(ItemForm(items, departments(store.motions())), save)


add_catalog(
    "de",
    {
        "Discard your changes to this item?": "Ihre Änderungen an diesem Punkt verwerfen?",
        "Edit {count} marked items": "{count} markierte Punkte bearbeiten",
        "Only the fields you change are set, on each of them.": "Nur die Felder, die Sie ändern, werden bei jedem gesetzt.",
        "Item {number}: {title}": "Punkt {number}: {title}",
        "(several values)": "(verschiedene Werte)",
        "Tab moves · → takes the suggested department · dates as 28.07.2020 · Ctrl+S saves · Esc cancels": (
            "Tab wechselt das Feld · → übernimmt das vorgeschlagene Amt · Daten wie 28.07.2020 · Strg+S speichert · "
            "Esc bricht ab"
        ),
    },
)
