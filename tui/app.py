"""The dashboard app: holds the store, routes edits to it, and keeps every open view up to date."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from datetime import date
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.worker import Worker, WorkerState

from store import (
    SETTINGS,
    Conflict,
    ImportResult,
    ItemStatus,
    Motion,
    MotionSummary,
    Notice,
    SachstandError,
    Store,
    add_catalog,
    collector_paused_then_frozen,
    collector_resumed,
    items_made,
    translate,
)
from tui import roles
from tui.components.localised import localise_bindings
from tui.components.status_keys import ItemRef, StatusKeys, next_status
from tui.components.sync_status import SyncView
from tui.edits import Change, Edits, Then
from tui.first_use import OpensViews, load_every_view, palette
from tui.following import Following, counted
from tui.handover import Handover
from tui.keys import KEYS
from tui.live import LiveSync
from tui.prefolding import Prefolding
from tui.screens.main import MainScreen
from tui.screens.view import View
from tui.synced import tell_synced
from tui.syncing import Syncing
from tui.threads import run_jobs_alone
from tui.undo import redo, undo  # not loaded later: it holds the German name of the redo key

if TYPE_CHECKING:
    from store import (
        Remote,  # store/sync/remote.py: loaded where a sync server is configured (tui/cli/dashboard.py)
        SyncProgress,
    )


_ENDED = frozenset({WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED})  # a worker's last states


@KEYS.register("Everywhere", also=[Binding("ctrl+p", "", "Command palette")])
class SachstandApp(OpensViews):
    CSS_PATH = "app.tcss"
    TITLE = "Sachstand"
    COMMANDS = App.COMMANDS | {palette}
    # Each screen gets the class of its width range; app.tcss lays the panes out by it.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-medium"), (170, "-wide")]

    BINDINGS = [
        Binding("q", "quit", "Quit", show=False, id="app.quit"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("u", "undo", "Undo", id="app.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="app.redo"),
        Binding("o", "open_items", "Open items", id="app.open_items"),
        Binding("m", "meetings", "Meeting", id="app.meetings"),
        Binding("d", "overview", "Overview", id="app.overview"),
        Binding("S", "sync", "Sync", id="app.sync"),  # not ctrl+s: that saves, in every form and editor
        Binding("C", "conflicts", "Sync conflicts", show=False, id="app.conflicts"),
    ]

    sync_view: reactive[SyncView] = reactive(SyncView, always_update=True)

    # From this size of data file (about 1,000 motions, a tenth of a second to read) the list is shown
    # from the index at once and the store read in the background; below it the store is read first.
    preview_from = 2 * 2**20
    # Rows of the list read from the index before the first frame: a screenful and more, as fast at 100 motions
    # as at 100,000 (the index holds the rows in the list's order); the rest comes with the store.
    FIRST_ROWS = 200

    class SyncProgressed(Message):
        """How far the sync running in a thread of its own has come (store/sync/client.py ``sync``)."""

        def __init__(self, progress: SyncProgress) -> None:
            super().__init__()
            self.progress = progress

    def __init__(
        self,
        store: Store,
        lang: str,
        *,
        keymap: Mapping[str, str] | None = None,
        today: date | None = None,
        poll_interval: float = 1.0,
        oparl_types: tuple[str, ...] = SETTINGS["oparl_types"].default,
        remote: Remote | None = None,
        sync_interval: float | None = SETTINGS["sync_interval"].default,
        live: bool = True,
        body_name: str = "",
        traffic_lights: Mapping[ItemStatus, str] | None = None,
    ) -> None:
        super().__init__()
        self.oparl_types = oparl_types
        self.body_name, self.traffic_lights = body_name, traffic_lights or SETTINGS["report"].default["traffic_lights"]
        self.remote = remote  # None: sync is off
        self.sync_interval = sync_interval
        self._sync_failed = False
        self.syncing = Syncing(self)  # where each sync runs
        self.live = LiveSync(self, live)
        self.prefolding = Prefolding()  # the search's texts folded by a child while the store is read
        self.following = Following(self)  # another process's writes shown (check_for_changes)
        self.store = store
        self.edits = Edits(self)
        self.preview: list[MotionSummary] | None = None  # the list's first rows from the index, until the store is read
        self.preview_total: int | None = None  # how many motions the store holds, as the index says (if it can)
        self.failure: BaseException | None = None  # why the store could not be read; the command line says it
        self.lang = lang
        self.today = today or date.today()
        self.poll_interval = poll_interval
        self.keymap = dict(keymap or {})
        self.sub_title = str(store.path)
        localise_bindings(self, lang)

    def t(self, msgid: str, **params: object) -> str:
        return translate(msgid, self.lang, **params)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's colours plus the dashboard's named ones, for app.tcss and every DEFAULT_CSS."""
        variables = super().get_css_variables()
        return {**variables, "pane-border": variables["panel-lighten-2"], "pane-active": variables["accent"]}

    def on_mount(self) -> None:
        run_jobs_alone()  # before the first thread worker: none keeps what it ran on (tui/threads.py)
        # The first frame is on screen: the cycle collector, paused for the start (tui/cli/dashboard.py), may
        # run again, once no pause of the store's (the read, a sync) lasts in any thread.
        self.call_after_refresh(collector_resumed)
        if self.keymap:
            self.set_keymap(self.keymap)
        preview = self.store.preview(self.preview_from, head=self.FIRST_ROWS)
        self.preview, self.preview_total = preview, None if preview is None else preview.total
        if not self.loading and not self._read_store():
            return
        self.main = MainScreen()
        self.push_screen(self.main)
        if self.loading:
            self.sync_view = SyncView(configured=self.remote is not None, known=False)
            # After the first paint: the read holds the interpreter for most of its time.
            self.call_after_refresh(self._read_in_background)
        else:
            self._store_read()
            self.call_after_refresh(self._for_next_start)

    @property
    def loading(self) -> bool:
        """Whether the store is still being read in a thread (the main view shows the preview)."""
        return self.preview is not None

    def _read_store(self) -> bool:
        try:
            self.store.motions()
        except SachstandError as error:
            self._fail(error)
            return False
        return True

    def _fail(self, error: BaseException) -> None:
        self.failure = error
        self.exit(return_code=1)

    def _read_in_background(self) -> None:
        self.prefolding.start(self.store.path, self.preview_total)  # first: on another core from the read's start
        self.run_worker(
            self._load_in_thread, group="load", description="the store read", thread=True, exit_on_error=False
        )

    def _load_in_thread(self) -> Handover:
        """Read the store on a handle of its own, untouched by the UI meanwhile (tui/handover.py)."""
        return Handover(self.store.reopened()).read(self._read_whole)

    def _read_whole(self, store: Store) -> None:
        store.motions()
        counted(store, self.remote)

    def _loaded(self, worker: Worker[Handover]) -> None:
        if worker.state != WorkerState.SUCCESS:
            self._fail(worker.error or RuntimeError("reading the store was cancelled"))
            return
        unread, self.store = self.store, worker.result.take()  # type: ignore[union-attr]
        unread.close()
        if not self.screen_stack:  # the app quit while the store was read: nothing left to show it in
            return
        self.preview = None
        self.refresh_bindings()
        self.refresh_views()
        self._store_read()
        self.prefolding.offer(self.store, self.main.searcher)
        steps = self.main.prepare_search(motions := self.store.motions())
        self.run_worker(self._prepare_search(chain(steps, items_made(motions))), description="the search prepared")

    async def _prepare_search(self, steps: Iterator[int]) -> None:
        """Once the keys work, a turn of the event loop a step: the search's texts folded (1 s at 50,000 motions),
        then the items the models' cache left to make when first read (store/modelrows.py), which a filter reads;
        made to be kept, as the models were (store/file/bulk.py)."""
        with collector_paused_then_frozen():
            for _step in steps:
                await asyncio.sleep(0)
        self.prefolding.stop()  # every motion folded: the child's work, if not taken yet, is not wanted
        self._keep_models()

    def _for_next_start(self) -> None:
        """After the first paint of a store read at once: the list's index, so that the next start shows the list at
        once, and the models kept, so that it reads them at once."""
        with suppress(SachstandError):  # written over meanwhile by another program: following.look says what
            self.store.save_preview(self.preview_from)
        self._keep_models()

    def _keep_models(self) -> None:
        """For the next start: the models of the data file's lines, kept in a thread (store/modelcache.py)."""
        try:
            keep = self.store.keep_models(self.main.searcher.folded())
        except SachstandError:  # the file cannot be read now (another program wrote it): following.look says so
            return
        if keep is not None:
            self.run_worker(keep, name="keep models", group="keep", description="the models kept", thread=True)

    def _store_read(self) -> None:
        """Once the store is read: follow other processes' changes, and sync if configured."""
        self.set_interval(self.poll_interval, self.following.look)
        self.show_sync_state()
        if self.live.on:
            self.live.start()
        elif self.remote and self.sync_interval:
            self.start_sync(automatic=True)
            self.set_interval(self.sync_interval, partial(self.start_sync, automatic=True))

    # Keys that work while the store is being read: moving in the list, help, quitting.
    WHILE_LOADING = frozenset({"quit", "help"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.loading and action not in self.WHILE_LOADING:
            return None  # shown, but disabled until the store is read
        return True

    async def run_action(self, action: Any, default_namespace: Any = None, namespaces: Any = None) -> bool:
        ran = await super().run_action(action, default_namespace, namespaces)
        if not ran and isinstance(action, str):  # a key of an edit the token's role may not make: say why
            roles.explain(self, action, default_namespace)
        return ran

    # --- keeping the views current ----------------------------------------------------------

    def refresh_views(self) -> None:
        """Every open view shows the store as it is now, touching only what changed."""
        if not self.is_running:  # shutting down (a sync ended meanwhile): the views' widgets are going
            return
        self.following.shown = self.store.generation
        for screen in self.screen_stack:
            if isinstance(screen, View) and screen.is_mounted:  # one still mounting shows the data itself
                screen.show_data()
        self.show_sync_state()

    def check_for_changes(self) -> None:
        """Show another process's change (a colleague, the command line) without a restart, at once; the timer's
        look reads a whole write in a worker instead (tui/following.py)."""
        self.following.now()

    def selected_motion(self) -> Motion | None:
        return self.main.selected_motion()

    # --- edits: each is one store call, then the changed cells ----------------------------------

    def edit(self, change: Change, then: Then | None = None) -> None:
        """Make one store call, given the handle to make it on; then ``then(result)`` and the changed
        cells. A SachstandError becomes a notification. While another process holds the data file's
        lock, the edit waits in a worker, in order, and the dashboard keeps answering (tui/edits.py).
        With live sync, the edit then goes out (tui/live.py)."""
        self.edits.submit(change, self.live.after_edit(then))

    def set_status(self, items: Sequence[ItemRef], status: ItemStatus | None) -> None:
        """Set the status of these items, in one change (one undo); None: each one's next in turn (after
        the status the file holds when the edit is made: a key pressed while earlier ones wait for the
        lock follows them)."""
        chosen = {"status": status} if status else lambda item: {"status": next_status(item.status)}
        self.edit(lambda store: store.set_items(items, chosen))

    def edit_note(self, motion_id: str, number: int) -> None:
        try:
            item = self.store.item(self.store.get(motion_id), number)
        except SachstandError:
            return

        def save(text: str | None) -> None:
            if text is not None:
                self.edit(lambda store: store.set_item(motion_id, number, note=text.strip()))

        from tui.components.note_editor import NoteEditor

        self.push_screen(NoteEditor(f"{item.number}. {item.title}", item.note), save)

    def on_status_keys_status_chosen(self, message: StatusKeys.StatusChosen) -> None:
        self.set_status(message.items, message.status)

    def on_status_keys_form_requested(self, message: StatusKeys.FormRequested) -> None:
        from tui.components.item_form import edit_items

        edit_items(self, message.items)

    def on_status_keys_note_edit_requested(self, message: StatusKeys.NoteEditRequested) -> None:
        self.edit_note(message.motion_id, message.number)

    def action_undo(self) -> None:
        undo(self)

    def action_redo(self) -> None:
        redo(self)

    # --- sync with the server, in the background -------------------------------------------

    @property
    def sync_running(self) -> bool:
        return any(worker.group == "sync" and not worker.is_finished for worker in self.workers)

    def show_sync_state(self) -> None:
        if self.loading or self.following.reading:
            return  # said once the store is read; not read meanwhile on this thread (tui/following.py)
        if self.remote is None:
            self.sync_view = SyncView()
            return
        try:
            state = self.store.sync_state(self.remote.url)
        except SachstandError:
            return  # the file is unreadable: check_for_changes says so
        view = SyncView(
            True,
            self.sync_running,
            self._sync_failed,
            state.last_synced,
            state.pending,
            state.conflicts + state.refused,
            progress=self.sync_view.progress if self.sync_running else None,  # as the sync last told
            who=state.who,
        )
        was, self.sync_view = self.sync_view.who, self.live.shown(view)
        if was != view.who:
            self.refresh_bindings()  # the keys its role may use (tui/roles.py)

    def action_sync(self) -> None:
        self.start_sync(automatic=False)

    def start_sync(self, automatic: bool) -> None:
        """Pull and push in a thread (or a process) of its own, so typing and editing go on meanwhile."""
        if self.remote is None:
            if not automatic:
                self.notify(
                    self.t(
                        "Sync is off: no sync server is configured (remote and token in the config file, "
                        "or SACHSTAND_REMOTE and SACHSTAND_TOKEN)."
                    ),
                    severity="warning",
                    timeout=8,
                )
            return
        if self.sync_running:
            if not automatic:
                self.notify(self.t("A sync is running already."))
            return
        self.run_worker(
            self.syncing.prepared(self.remote),
            name="automatic" if automatic else "manual",
            group="sync",
            description="a sync",
            thread=True,
            exit_on_error=False,
        )
        self.show_sync_state()

    def on_sachstand_app_sync_progressed(self, message: SyncProgressed) -> None:
        if self.sync_running:  # not a word from a sync that has ended meanwhile
            # Only the count changes: show_sync_state would read what the sync wrote so far, in this thread.
            self.sync_view = self.sync_view._replace(progress=message.progress)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        # By the state the event carries, not the worker's now: an earlier event handled after the worker ended
        # (a slow machine) would end it twice, and the store read would be taken twice.
        finished = event.state in _ENDED
        ended = {
            "load": self._loaded,
            Edits.GROUP: self.edits.finished,
            LiveSync.GROUP: self.live.answered,
            Following.GROUP: self.following.taken,
        }
        if finished and worker.group in ended:
            ended[worker.group](worker)
            return
        if worker.group != "sync" or not finished:
            return
        automatic = worker.name == "automatic"
        failed_before, self._sync_failed = self._sync_failed, event.state != WorkerState.SUCCESS
        self.following.look()  # what the pull brought in: a whole write read in a worker, as another process's
        self.show_sync_state()
        tell_synced(self, worker, event.state, automatic=automatic, failed_before=failed_before)
        self.live.synced(event.state)

    def resolve_conflict(self, conflict: Conflict, choice: str) -> None:
        """Keep this copy's value or take the server's; the next sync sends the decision."""
        self.edit(lambda store: store.resolve(conflict.motion_id, conflict.path, choice))

    # --- getting motions in, reports out ---------------------------------------------------

    def action_import_file(self) -> None:
        """Ask for a file or a folder, show what it holds, save what the user confirms."""
        from tui.importing import ask_import

        ask_import(self)

    def tell_import(self, result: ImportResult, *, select: bool = False) -> None:
        from store.exchange.workflows import import_notices

        for notice in import_notices(result):
            self.notify(notice.render(self.lang))
        if select and result.added:
            self.main.motion_list.select(result.added[0].id)

    def action_oparl_import(self) -> None:
        def chosen(url: str | None) -> None:
            if not url:
                return
            from store.exchange.workflows import OParlImport
            from tui.components.oparl_progress import OParlProgress

            run = OParlImport.begin(self.store, url)

            def fetched(papers: list | None) -> None:
                if papers is None:
                    return
                self.edit(lambda store: run.save(store, self.today), self.tell_import)

            def warned(notice: Notice) -> None:  # called in the fetch's thread
                self.call_from_thread(self.notify, notice.render(self.lang), severity="warning", timeout=10)

            # The fetch runs in a worker thread: network only; the merge is back here, on the app's thread.
            self.push_screen(OParlProgress(run.source, partial(run.fetch, self.oparl_types, warned)), fetched)

        from tui.components.prompt import PromptModal

        self.push_screen(PromptModal(self.t("OParl system or body URL:")), chosen)

    def action_export(self, kind: str) -> None:
        """Write the motions shown in the main view: md, csv, json, or the council's report (docx, pdf)."""
        from tui.exporting import export_shown

        export_shown(self, kind)

    # --- views ----------------------------------------------------------------------------

    def on_unmount(self) -> None:
        self.live.stop()
        self.syncing.stop()
        self.prefolding.stop()

    async def action_quit(self) -> None:
        if self.edits.quit():
            self.exit()


def binding_ids() -> set[str]:
    """Every binding id a keymap in the config file may name."""
    load_every_view()
    return KEYS.ids()


add_catalog(
    "de",
    {
        "Overview": "Übersicht",  # the key's name in the footer: the overview itself loads at its first use
    },
)
