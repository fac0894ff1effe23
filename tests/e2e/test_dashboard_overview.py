"""The overview (`d`), driven by keys: what it shows is what the store holds, enter opens the list behind a
department or a committee, and an edit made anywhere (another process, a status key) shows in it.

On data of its own (not the showcase, which the pictures follow), so that each figure below is known."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from store import Item, ItemStatus, Motion, Overview, OverviewSource, Store, compute_overview
from tui.app import SachstandApp, binding_ids
from tui.components.item_rows import ItemRows
from tui.components.overview_changes import LastChanges
from tui.components.overview_committees import CommitteeMeetings
from tui.components.overview_departments import DepartmentBars, bar_cells
from tui.keys import KEYS
from tui.screens.meeting import MeetingScreen
from tui.screens.open_items import OpenItemsScreen
from tui.screens.overview import OverviewScreen

from helpers.dashboard import plain

TODAY = date(2020, 11, 2)
AMT_10, AMT_40, AMT_61, AMT_66 = (
    "Amt 10 – Zentrale Dienste",
    "Amt 40 – Schulen",
    "Amt 61 – Kreisentwicklung",
    "Amt 66 – Straßenbau",
)
OPEN, WORKING, REPORTED, DONE, DEFERRED = tuple(ItemStatus)
RADWEGE = "00000000-0000-4000-8000-000000000001"
DIGITAL = "00000000-0000-4000-8000-000000000002"


def _ticks() -> Iterator[datetime]:
    moment = datetime(2020, 10, 20, 9, 0, tzinfo=UTC)
    while True:
        yield moment
        moment += timedelta(hours=1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Two motions: one before the Ausschuss für Mobilität on 19.11.2020, one the Kreisausschuss dealt with
    on 15.09.2020 (it has no meeting ahead); items in four departments and one without."""
    clock = _ticks()
    with Store(tmp_path / "data.json", user="m.schmitz", clock=lambda: next(clock)) as built:
        built.add_motion(
            Motion(
                id=DIGITAL,
                title="Aktueller Stand der Digitalisierungsprojekte",
                committee="Kreisausschuss",
                meeting=date(2020, 9, 15),
                items=(
                    Item(1, "Vereinbarung", WORKING, department=AMT_10, due=date(2020, 9, 30)),  # overdue
                    Item(2, "Onlinezugang", REPORTED, department=AMT_10),
                    Item(3, "Schulen", DONE, department=AMT_40),
                    Item(4, "Rechenzentrum", OPEN, department=AMT_10, due=date(2020, 10, 15)),  # overdue
                    Item(5, "Breitband", DEFERRED, department=AMT_61),
                ),
            )
        )
        built.add_motion(
            Motion(
                id=RADWEGE,
                title="Sichere Radwege zu den weiterführenden Schulen",
                reference="DS 10/0123",
                committee="Ausschuss für Mobilität",
                meeting=date(2020, 11, 19),
                items=(Item(1, "Bestandsaufnahme", OPEN), Item(2, "Förderanträge", OPEN)),
            )
        )
        built.set_item(RADWEGE, 1, status=WORKING, department=AMT_66, due=date(2020, 11, 10))  # due soon
        yield built


def _app(store: Store, lang: str = "de") -> SachstandApp:
    return SachstandApp(store, lang, today=TODAY)


async def _overview(pilot: Pilot[Any]) -> OverviewScreen:
    """The overview on top, its figures computed and shown."""
    app = pilot.app
    for _ in range(20):  # a change that came in while computing is one more run
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, OverviewScreen) and screen.figures is not None and not screen.computing:
            return screen
    raise AssertionError(f"the overview's figures were not shown; on top: {app.screen!r}")


def _rows(pane: OptionList) -> list[str]:
    return [plain(option.prompt) for option in pane.options]


def _expected(store: Store) -> Overview:
    """The figures as another handle on the file computes them."""
    with Store(store.path, user="reader") as reader:
        return compute_overview(OverviewSource.of(reader), TODAY)


async def test_d_opens_the_overview_and_it_shows_what_the_store_holds(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("d")
        screen = await _overview(pilot)
        assert screen.figures == _expected(store)
        departments = _rows(screen.query_one(DepartmentBars))
        assert [row.splitlines()[0].split("  ")[0] for row in departments] == [
            AMT_10,
            AMT_40,
            AMT_61,
            AMT_66,
            "(ohne Amt)",
        ]
        # Amt 10: item 1 in progress and item 4 open, both past their follow-up date; item 2 reported.
        assert "2 überfällig · 0 in 14 Tagen fällig" in departments[0]
        assert "○ 1  ◐ 1  ◑ 1  ● 0  ◌ 0" in departments[0]
        assert "○ 0  ◐ 0  ◑ 0  ● 1  ◌ 0" in departments[1] and "○ 0  ◐ 0  ◑ 0  ● 0  ◌ 1" in departments[2]
        assert "0 überfällig · 1 in 14 Tagen fällig" in departments[3] and "○ 0  ◐ 1" in departments[3]
        assert "○ 1  ◐ 0" in departments[4]
        committees = _rows(screen.query_one(CommitteeMeetings))
        assert "19.11.2020" in committees[0] and "Ausschuss für Mobilität" in committees[0]
        assert "1 Antrag · 2 offen" in committees[0]
        assert "keine Sitzung geplant" in committees[1] and "zuletzt am 15.09.2020" in committees[1]
        changes = _rows(screen.query_one(LastChanges))
        assert [" ".join(row.split()) for row in changes] == [  # when, who, which motion; below it, what
            "20.10.2020 11:00 m.schmitz DS 10/0123 Punkt 1 Amt: – → Amt 66 – Straßenbau; "
            "Punkt 1 Wiedervorlage: – → 10.11.2020; Punkt 1 Status: offen → in Bearbeitung",
            "20.10.2020 10:00 m.schmitz DS 10/0123 angelegt",
            "20.10.2020 09:00 m.schmitz Aktueller Stand der Digitalisierungsprojekte angelegt",
        ]
        assert changes[1] == "20.10.2020 10:00  m.schmitz  DS 10/0123\n  angelegt\n"
        assert screen.query_one(DepartmentBars).has_focus
        await pilot.press("escape")
        assert app.screen is app.main


async def test_the_overview_in_english(store: Store) -> None:
    app = _app(store, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        screen = await _overview(pilot)
        assert "2 overdue · 0 due within 14 days" in _rows(screen.query_one(DepartmentBars))[0]
        assert "2020-11-19" in _rows(screen.query_one(CommitteeMeetings))[0]
        assert screen.query_one(DepartmentBars).border_title == "Items by department"


async def test_enter_on_a_department_opens_its_open_items_and_a_status_key_there_updates_the_overview(
    store: Store,
) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("d")
        await _overview(pilot)
        await pilot.press("enter")  # on Amt 10, the first
        assert isinstance(app.screen, OpenItemsScreen) and app.screen.department == AMT_10
        table = app.screen.query_one(ItemRows)
        assert table.row_count == 2  # items 1 and 4 of the example: item 2 is reported, no longer open
        assert table.current_item() == (DIGITAL, 1)
        assert "Amt 10" in str(table.border_title)
        await pilot.press("4")  # item 1 done
        with Store(store.path, user="reader") as reader:
            assert reader.get(DIGITAL).items[0].status is DONE
        await pilot.press("escape")
        screen = await _overview(pilot)
        assert screen.figures == _expected(store)
        assert screen.figures.departments[0].counts == (1, 0, 1, 1, 0)
        assert "1 überfällig" in _rows(screen.query_one(DepartmentBars))[0]
        assert "Punkt 1 Status: in Bearbeitung → erledigt" in _rows(screen.query_one(LastChanges))[0]


async def test_enter_on_the_items_without_a_department(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("d")
        await _overview(pilot)
        await pilot.press("end", "enter")
        assert isinstance(app.screen, OpenItemsScreen) and app.screen.department == ""
        assert app.screen.query_one(ItemRows).current_item() == (RADWEGE, 2)


async def test_enter_on_a_committee_opens_its_next_meeting_or_else_its_last(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("d")
        await _overview(pilot)
        await pilot.press("tab")
        assert app.screen.query_one(CommitteeMeetings).has_focus
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        picker = screen.query_one("#meetings", OptionList)
        assert screen._meetings[picker.highlighted or 0] == (date(2020, 11, 19), "Ausschuss für Mobilität")
        agenda = screen.query_one(ItemRows)
        assert agenda.has_focus and agenda.current_item() == (RADWEGE, 1)
        await pilot.press("escape")
        await _overview(pilot)
        await pilot.press("down", "enter")  # the Kreisausschuss has no meeting ahead: its last one
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        picker = screen.query_one("#meetings", OptionList)
        assert screen._meetings[picker.highlighted or 0] == (date(2020, 9, 15), "Kreisausschuss")


async def test_enter_on_a_change_goes_to_its_motion(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.main.motion_list.selected_id == RADWEGE  # the newest motion first
        app.main.motion_list.select(DIGITAL)
        await pilot.press("d")
        await _overview(pilot)
        await pilot.press("tab", "tab")
        assert app.screen.query_one(LastChanges).has_focus
        await pilot.press("enter")  # the newest change: item 1 of the Radwege
        assert app.screen is app.main and app.main.motion_list.selected_id == RADWEGE


async def test_enter_on_the_change_of_a_deleted_motion_says_so(store: Store) -> None:
    with Store(store.path, user="k.becker") as colleague:
        colleague.delete_motion(RADWEGE)
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("d")
        screen = await _overview(pilot)
        assert screen.figures is not None and screen.figures.changes[0].entry.action == "delete"
        await pilot.press("tab", "tab", "enter")
        assert app.screen is screen
        assert any("nicht in der Liste" in str(notice.message) for notice in app._notifications)


async def test_an_edit_by_another_process_shows_in_the_overview(store: Store) -> None:
    app = SachstandApp(store, "de", today=TODAY, poll_interval=0.05)  # the dashboard looks every second
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        screen = await _overview(pilot)
        shown = screen.figures
        with Store(store.path, user="k.becker") as colleague:
            colleague.set_item(RADWEGE, 2, status=DONE, department=AMT_66)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.figures != shown:
                break
        screen = await _overview(pilot)
        assert screen.figures == _expected(store)
        assert [row.department for row in screen.figures.departments][-1] == AMT_66  # none is left without one
        assert screen.figures.departments[-1].counts == (0, 1, 0, 1, 0)
        assert screen.figures.committees[0].open_items == 1
        assert "k.becker  DS 10/0123" in _rows(screen.query_one(LastChanges))[0]


async def test_the_overview_under_another_view_computes_again_when_back_on_top(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("d")
        screen = await _overview(pilot)
        await pilot.press("o")  # the open items, above the overview
        assert isinstance(app.screen, OpenItemsScreen) and app.screen.department is None
        with Store(store.path, user="k.becker") as colleague:
            colleague.set_item(DIGITAL, 4, status=REPORTED)
        app.check_for_changes()
        await pilot.pause()
        assert not screen.computing and screen.figures != _expected(store)  # nothing computed for a hidden view
        await pilot.press("escape")
        assert await _overview(pilot) is screen and screen.figures == _expected(store)


async def test_the_overview_of_an_empty_store_says_so(tmp_path: Path) -> None:
    with Store(tmp_path / "data.json", user="m.schmitz") as empty:
        app = _app(empty)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("d")
            screen = await _overview(pilot)
            assert _rows(screen.query_one(DepartmentBars)) == ["Noch keine Punkte.\n"]
            assert _rows(screen.query_one(LastChanges)) == ["Noch wurde nichts geändert.\n"]
            await pilot.press("enter")
            assert app.screen is screen


def test_the_keys_are_registered_and_listed() -> None:
    assert {"app.overview", "overview.back"} <= binding_ids()
    sections = dict(KEYS.sections())
    assert [binding.key for binding in sections["Overview"]] == ["escape,d", "enter"]
    assert "d" in [binding.key for binding in sections["Everywhere"]]


def test_a_bar_gives_each_status_with_items_a_cell_and_the_rest_in_proportion() -> None:
    assert bar_cells([10, 0, 0, 0, 0], 20) == [20, 0, 0, 0, 0]
    assert bar_cells([1, 1, 0, 2, 0], 8) == [2, 2, 0, 4, 0]
    assert bar_cells([1000, 1, 0, 0, 1], 10) == [8, 1, 0, 0, 1]  # the rare ones stay visible
    assert bar_cells([0, 0, 0, 0, 0], 10) == [0] * 5
    assert all(sum(bar_cells(counts, 17)) == 17 for counts in ([3, 5, 7, 11, 13], [1, 0, 0, 0, 99], [2, 2, 2, 2, 2]))
