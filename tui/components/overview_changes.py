"""The overview's last changes: who changed what when, newest first, as the history has them."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList

from store import RecentChange, add_catalog
from tui.components.overview_list import OverviewList
from tui.format import count, describe, fmt_time


class LastChanges(OverviewList):
    class Chosen(Message):
        """Enter on a change: its motion is wanted."""

        def __init__(self, motion_id: str) -> None:
            super().__init__()
            self.motion_id = motion_id

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._motions: dict[str, str] = {}  # the motion of each change, by the change's row

    def on_mount(self) -> None:
        self.border_title = self.t("Last changes")

    def show(self, changes: Sequence[RecentChange]) -> None:
        self._motions = {str(change.entry.seq): change.entry.motion_id for change in changes}
        rows = [(str(change.entry.seq), self._row(change)) for change in changes]
        self.show_rows(tuple(changes), rows, self.t("Nothing has been changed yet."))

    def _row(self, change: RecentChange) -> Text:
        """When, who, which motion on the first line; what changed below, as the history pane says it."""
        entry, lang = change.entry, self.lang
        when, head = fmt_time(entry.at, lang), f"{fmt_time(entry.at, lang)}  {entry.by}  {change.motion}  "
        what = describe(entry, change.motion, lang).removeprefix(head)
        text = Text.assemble((when, "dim"), "  ", (entry.by, "bold"), "  ", change.motion, "\n  ", what)
        if change.others:
            others = "(and 1 more motion)" if change.others == 1 else "(and {count} more motions)"
            text.append(" " + self.t(others, count=count(change.others, lang)), style="dim")
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        motion_id = self._motions.get(event.option.id or "")
        if motion_id is not None:
            self.post_message(self.Chosen(motion_id))


add_catalog(
    "de",
    {
        "Last changes": "Letzte Änderungen",
        "Nothing has been changed yet.": "Noch wurde nichts geändert.",
        "(and 1 more motion)": "(und 1 weiterer Antrag)",
        "(and {count} more motions)": "(und {count} weitere Anträge)",
    },
)
