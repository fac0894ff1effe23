"""The two detail panes: all fields of the selected motion; the selected item with its history."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from store import MOTION_FORM, HistoryEntry, Item, Motion, field_label
from tui.components.localised import Localised
from tui.format import STATUS_STYLES, describe, fmt_progress, fmt_status, item_facts, motion_facts

# The motion pane leads with what a reader looks for first, then its progress, then the rest of the
# form's fields in the form's order (the free text goes below).
LEADING = ("title", "reference", "submitted", "submitted_by", "committee", "meeting", "status")
REST = tuple(name for name in MOTION_FORM if name not in LEADING and name != "text")


def _fields(rows: list[tuple[str, str]]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in rows:
        grid.add_row(Text(name + ":"), Text(value))
    return grid


class ScrollingDetail(Localised, Static, can_focus=True):
    """A detail pane that tab can reach and the keys can scroll, when its text is longer than the pane."""

    BINDINGS = [
        Binding("up,k", "scroll_up", "Up", show=False),
        Binding("down,j", "scroll_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]


class MotionDetail(ScrollingDetail):
    """Every field of one motion."""

    def show(self, motion: Motion | None) -> None:
        self.update(self.render_motion(motion) if motion else Text(""))

    def render_motion(self, motion: Motion) -> RenderableType:
        lang = self.lang
        rows = [
            *motion_facts(motion, LEADING, lang),
            (self.t("Progress"), fmt_progress(motion, lang)),
            *motion_facts(motion, REST, lang),
        ]
        parts: list[RenderableType] = [_fields(rows)]
        if motion.text:
            parts += [Text(""), Text(motion.text)]
        return Group(*parts)


class ItemDetail(ScrollingDetail):
    """One item: its fields, its status text (Sachstand) and its own change history."""

    def show(self, item: Item | None, history: list[HistoryEntry]) -> None:
        if item is None:
            self.update(Text(""))
            return
        lang = self.lang
        header = Text.assemble((f"{item.number}. ", "bold"), (item.title, "bold"))
        facts = Text.assemble(
            (fmt_status(item.status, lang), STATUS_STYLES[item.status]),
            *(f"  ·  {fact}" for fact in item_facts(item, lang)),
        )
        note = (
            Text(item.note) if item.note else Text(self.t("No status text yet (e to write one)."), style="dim italic")
        )
        parts: list[RenderableType] = [
            header,
            facts,
            Text(""),
            Text(field_label("note", lang, item=True), style="bold underline"),
            note,
        ]
        mine = [entry for entry in history if item.number in entry.items]
        if mine:
            parts += [Text(""), Text(self.t("History"), style="bold underline")]
            parts += [Text(describe(entry, "", lang, with_motion=False)) for entry in reversed(mine[-10:])]
        self.update(Group(*parts))
