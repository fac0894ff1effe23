"""A meeting's agenda: pick a committee and date, then set each item's status with one key."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store import add_catalog, meeting_motions, meetings
from tui.components.footer import CompactFooter
from tui.components.item_rows import ItemRows
from tui.components.sync_status import SachstandHeader
from tui.format import fmt_date
from tui.keys import KEYS
from tui.screens.view import View


@KEYS.register("Open items, meeting")
class MeetingScreen(View):
    BINDINGS = [Binding("escape,m", "app.pop_screen", "Back", id="meeting.back")]
    DEFAULT_CSS = """
    MeetingScreen {
        #agenda { height: 1fr; border: round $pane-border; }
        #meetings { width: 32; height: 1fr; border: round $pane-border; }
        #agenda:focus, #meetings:focus { border: round $pane-active; }
        #no-meetings { padding: 1 2; }
        /* Narrow terminals: the picker above the agenda, as many rows as meetings, up to five. */
        &.-narrow #meeting-body { layout: vertical; }
        &.-narrow #meetings { width: 100%; height: auto; max-height: 7; }
    }
    """

    def __init__(self, meeting: tuple[date, str] | None = None) -> None:
        """``meeting``: the (date, committee) to open on, its agenda focused; None: the next one, the picker focused."""
        super().__init__()
        self._meetings: list[tuple[date, str]] = []
        self.opened_on = meeting

    def compose(self) -> ComposeResult:
        yield SachstandHeader()
        with Horizontal(id="meeting-body"):
            yield OptionList(id="meetings")
            yield ItemRows(group_heading="Motion", show_department=False, id="agenda")
            yield Static(id="no-meetings")
        yield CompactFooter()

    def on_mount(self) -> None:
        self.query_one("#meetings").border_title = self.t("Meetings")
        self.show_data()
        upcoming = [index for index, (day, _committee) in enumerate(self._meetings) if day >= self.today]
        picker = self.query_one(OptionList)
        if self.opened_on in self._meetings:
            picker.highlighted = self._meetings.index(self.opened_on)
            self.query_one(ItemRows).focus()
        elif self._meetings:
            picker.highlighted = upcoming[-1] if upcoming else 0
            picker.focus()

    def show_data(self) -> None:
        found = meetings(self.sachstand.store.motions())
        picker = self.query_one(OptionList)
        if found != self._meetings:
            highlighted = (
                self._meetings[picker.highlighted] if picker.highlighted is not None and self._meetings else None
            )
            self._meetings = found
            picker.clear_options()
            picker.add_options(Option(Text(f"{fmt_date(day, self.lang)}  {committee}")) for day, committee in found)
            if highlighted in found:
                picker.highlighted = found.index(highlighted)
        none = self.query_one("#no-meetings", Static)
        none.display = not found
        picker.display = self.query_one(ItemRows).display = bool(found)
        none.update(
            Text(
                self.t(
                    "No motion is scheduled for a meeting yet. Give a motion a committee and a meeting date: "
                    "in the motion list, E on the motion opens its form; on the command line, "
                    "sachstand add --committee ... --meeting DD.MM.YYYY."
                )
            )
        )
        self.show_agenda()

    def show_agenda(self) -> None:
        picker = self.query_one(OptionList)
        table = self.query_one(ItemRows)
        if picker.highlighted is None or not self._meetings:
            table.show([])
            return
        day, committee = self._meetings[picker.highlighted]
        agenda = meeting_motions(self.sachstand.store.motions(), day, committee)
        table.show([(motion.reference or motion.title, [(motion, item) for item in motion.items]) for motion in agenda])
        table.set_heading(f"{committee} · {fmt_date(day, self.lang)}")

    def on_option_list_option_highlighted(self) -> None:
        self.show_agenda()

    def on_option_list_option_selected(self) -> None:
        self.query_one(ItemRows).focus()


add_catalog(
    "de",
    {
        "No motion is scheduled for a meeting yet. Give a motion a committee and a meeting date: "
        "in the motion list, E on the motion opens its form; on the command line, "
        "sachstand add --committee ... --meeting DD.MM.YYYY.": "Noch ist kein Antrag für eine Sitzung vorgesehen. "
        "Einem Antrag ein Gremium und ein Sitzungsdatum geben: in der Antragsliste öffnet E auf dem Antrag sein "
        "Formular; auf der Kommandozeile sachstand add --committee ... --meeting TT.MM.JJJJ.",
    },
)
