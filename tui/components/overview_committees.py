"""The overview's committees: each one's next meeting, with the motions on its agenda and their open items."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList

from store import CommitteeFigures, add_catalog
from tui.components.overview_list import OverviewList
from tui.format import count, fmt_date


class CommitteeMeetings(OverviewList):
    class Chosen(Message):
        """Enter on a committee: the agenda of its next meeting (else its last one) is wanted."""

        def __init__(self, committee: str, meeting: date | None) -> None:
            super().__init__()
            self.committee, self.meeting = committee, meeting

    DEFAULT_CSS = """
    CommitteeMeetings {
        height: auto;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._figures: dict[str, CommitteeFigures] = {}

    def on_mount(self) -> None:
        self.border_title = self.t("Next meetings")

    def show(self, figures: Sequence[CommitteeFigures]) -> None:
        self._figures = {row.committee: row for row in figures}
        rows = [(row.committee, self._row(row)) for row in figures]
        self.show_rows(tuple(figures), rows, self.t("No motion names a committee yet."))

    def _row(self, row: CommitteeFigures) -> _CommitteeRow:
        t, lang = self.t, self.lang
        name = Text(row.committee or t("(no committee)"), style="bold")
        if row.meeting is None:
            last = t("last on {date}", date=fmt_date(row.previous, lang)) if row.previous else ""
            return _CommitteeRow(Text(t("no meeting ahead"), style="dim"), name, Text(last, style="dim"))
        motions = t("1 motion" if row.motions == 1 else "{count} motions", count=count(row.motions, lang))
        open_items = Text(
            t("{count} open", count=count(row.open_items, lang)), style="bold" if row.open_items else "dim"
        )
        return _CommitteeRow(Text(fmt_date(row.meeting, lang)), name, Text.assemble(motions, " · ", open_items))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self._figures.get(event.option.id or "")
        if row is not None:
            self.post_message(self.Chosen(row.committee, row.shown_meeting))


class _CommitteeRow:
    """When, which committee, what is on the agenda: on one line where the width allows, else the committee
    on a line of its own, so that its name is not cut."""

    def __init__(self, when: Text, name: Text, agenda: Text) -> None:
        self.when, self.name, self.agenda = when, name, agenda

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        parts = (self.when, self.name, self.agenda)
        if sum(part.cell_len for part in parts) + 2 <= options.max_width:
            grid.add_row(*parts)
            yield grid
            return
        yield Text(self.name.plain, style=self.name.style, no_wrap=True, overflow="ellipsis")
        grid.add_row(self.when, Text(""), self.agenda)
        yield grid


add_catalog(
    "de",
    {
        "Next meetings": "Nächste Sitzungen",
        "No motion names a committee yet.": "Noch nennt kein Antrag ein Gremium.",
        "(no committee)": "(kein Gremium)",
        "no meeting ahead": "keine Sitzung geplant",
        "last on {date}": "zuletzt am {date}",
        "1 motion": "1 Antrag",
        "{count} motions": "{count} Anträge",
        "{count} open": "{count} offen",
    },
)
