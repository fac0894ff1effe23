"""The overview (`d`): items per department by status, each committee's next meeting, the last changes.

The figures are computed in a worker thread from a snapshot of the store (store/overview.py), so that at
10,000 motions no key waits for them; the screen says it is computing until the first figures are there,
and afterwards keeps showing the last ones while newer are computed. After a change to the store it
computes again, once at a time: changes that come in meanwhile are taken up by one more run."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from store import Overview, OverviewSource, add_catalog, compute_overview
from tui.components.footer import CompactFooter
from tui.components.localised import failure_text
from tui.components.overview_changes import LastChanges
from tui.components.overview_committees import CommitteeMeetings
from tui.components.overview_departments import DepartmentBars
from tui.components.sync_status import SachstandHeader
from tui.keys import KEYS
from tui.screens.meeting import MeetingScreen
from tui.screens.open_items import OpenItemsScreen
from tui.screens.view import View


@KEYS.register("Overview", also=[Binding("enter", "", "Open the list behind it, or the changed motion")])
class OverviewScreen(View):
    BINDINGS = [Binding("escape,d", "app.pop_screen", "Back", id="overview.back")]

    DEFAULT_CSS = """
    OverviewScreen {
        #overview-computing { height: 1fr; padding: 1 2; color: $text-muted; }
        #overview-body { height: 1fr; }
        #overview-departments { width: 60%; height: 1fr; }
        #overview-side { width: 1fr; height: 1fr; }
        #overview-committees { max-height: 50%; }
        #overview-changes { height: 1fr; }
        /* Narrow terminals (80x24): the panes stack, each scrolling on its own. */
        &.-narrow #overview-body { layout: vertical; }
        &.-narrow #overview-departments { width: 100%; }
        &.-narrow #overview-side { width: 100%; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._stale = True  # the store changed since the figures shown were computed
        self._again = False  # it changed while they were being computed
        self.figures: Overview | None = None  # the figures shown; None until the first are computed

    def compose(self) -> ComposeResult:
        yield SachstandHeader()
        yield Static(self.t("Computing the overview…"), id="overview-computing")
        with Horizontal(id="overview-body"):
            yield DepartmentBars(id="overview-departments")
            with Vertical(id="overview-side"):
                yield CommitteeMeetings(id="overview-committees")
                yield LastChanges(id="overview-changes")
        yield CompactFooter()

    def on_mount(self) -> None:
        self.query_one("#overview-body").display = False

    def on_screen_resume(self) -> None:
        if self._stale:
            self.compute()

    def show_data(self) -> None:
        """The store changed: compute again now if the overview is on top, else when it is back on top."""
        self._stale = True
        if self.is_active:
            self.compute()

    @property
    def computing(self) -> bool:
        return any(worker.node is self and not worker.is_finished for worker in self.workers)

    def compute(self) -> None:
        if self.computing:
            self._again = True
            return
        self._stale = self._again = False
        # The snapshot is taken here, on the thread that owns the store; the worker only reads it.
        source = OverviewSource.of(self.sachstand.store)
        self.run_worker(
            partial(compute_overview, source, self.today),
            group="overview",
            description="the overview's figures",
            thread=True,
            exit_on_error=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.node is not self or not worker.is_finished:
            return
        if event.state == WorkerState.SUCCESS:
            self.show_figures(worker.result)  # type: ignore[arg-type]
        elif event.state == WorkerState.ERROR:
            title = self.t("The overview could not be computed")
            self.notify(failure_text(worker.error, self.lang), title=title, severity="error", timeout=10, markup=False)
        if self._again:
            self.show_data()

    def show_figures(self, figures: Overview) -> None:
        first = self.figures is None
        self.figures = figures
        self.query_one(DepartmentBars).show(figures.departments)
        self.query_one(CommitteeMeetings).show(figures.committees)
        self.query_one(LastChanges).show(figures.changes)
        if first:
            self.query_one("#overview-computing").display = False
            self.query_one("#overview-body").display = True
            self.query_one(DepartmentBars).focus()

    def on_department_bars_chosen(self, message: DepartmentBars.Chosen) -> None:
        self.app.push_screen(OpenItemsScreen(department=message.department))

    def on_committee_meetings_chosen(self, message: CommitteeMeetings.Chosen) -> None:
        if message.meeting is None:
            self.notify(self.t("No meeting of {committee} is scheduled.", committee=message.committee))
            return
        self.app.push_screen(MeetingScreen(meeting=(message.meeting, message.committee)))

    def on_last_changes_chosen(self, message: LastChanges.Chosen) -> None:
        """Back to the main view, on the motion of that change."""
        main = self.sachstand.main
        if message.motion_id not in main.motion_list.keys:
            self.notify(self.t("That motion is not in the list: deleted, or hidden by the search or the filter."))
            return
        while self.app.screen is not main:
            self.app.pop_screen()
        main.motion_list.select(message.motion_id)
        main.motion_list.focus()


add_catalog(
    "de",
    {
        "Open the list behind it, or the changed motion": "Die Liste dahinter öffnen oder den geänderten Antrag",
        "Computing the overview…": "Die Übersicht wird berechnet …",
        "The overview could not be computed": "Die Übersicht ließ sich nicht berechnen",
        "No meeting of {committee} is scheduled.": "Für {committee} ist keine Sitzung angesetzt.",
        "That motion is not in the list: deleted, or hidden by the search or the filter.": (
            "Dieser Antrag steht nicht in der Liste: gelöscht oder durch Suche oder Filter ausgeblendet."
        ),
    },
)
