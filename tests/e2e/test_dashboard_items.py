"""The item form and marks, driven by keys through Pilot; every test ends in what the file holds (read by a
handle of its own)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from store import EXAMPLE_ID, Item, ItemStatus, Store
from tui.app import SachstandApp
from tui.components.confirm import ConfirmModal
from tui.components.item_form import ItemForm
from tui.components.item_rows import ItemRows
from tui.components.motion_form import MotionForm
from tui.screens.main import MainScreen
from tui.showcase import SECOND_ID, TODAY, build_showcase

from helpers.dashboard import plain, to_item
from helpers.stored import stored_files

IN_PROGRESS, REPORTED, DONE, OPEN, DEFERRED = (
    ItemStatus.IN_PROGRESS,
    ItemStatus.REPORTED,
    ItemStatus.DONE,
    ItemStatus.OPEN,
    ItemStatus.DEFERRED,
)
# The showcase's example motion: items 1 to 5, as built by tui/showcase.py.
EXAMPLE_STATUSES = [IN_PROGRESS, REPORTED, DONE, OPEN, DEFERRED]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with build_showcase(tmp_path / "data.json") as built:
        yield built


def _app(store: Store) -> SachstandApp:
    return SachstandApp(store, "de", today=TODAY)


def _items(store: Store, motion_id: str = EXAMPLE_ID) -> list[Item]:
    """The motion's items as the file holds them, read by a handle of its own."""
    with Store(store.path, user="someone-else") as reopened:
        return list(reopened.get(motion_id).items)


def _statuses(store: Store, motion_id: str = EXAMPLE_ID) -> list[ItemStatus]:
    return [item.status for item in _items(store, motion_id)]


async def _type(pilot: Pilot, text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


async def _form(pilot: Pilot, app: SachstandApp, key: str = "E") -> ItemForm:
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, ItemForm)
    return app.screen


# --- the form --------------------------------------------------------------------------------


async def test_the_form_opens_on_department_and_saves_every_field_as_one_change(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 4)
        form = await _form(pilot, app, "enter")
        assert app.focused is form.query_one("#field-department")
        await _type(
            pilot, "amt 4"
        )  # replaces what the field held (selected on focus); completed from the departments in use
        await pilot.pause()
        await pilot.press("right")  # → takes the suggestion
        assert form.query_one("#field-department", Input).value == "Amt 40 – Schulen"
        await pilot.press("tab")
        await _type(pilot, "Frau Becker")
        await pilot.press("tab", "ctrl+a", "ctrl+k")
        await _type(pilot, "2020-12-15")
        await pilot.press("tab", "ctrl+a", "ctrl+k")
        await _type(pilot, "Umsetzung im Kreishaus")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        item = _items(store)[3]
        assert (item.department, item.assignee, item.due, item.title) == (
            "Amt 40 – Schulen",
            "Frau Becker",
            date(2020, 12, 15),
            "Umsetzung im Kreishaus",
        )
        await pilot.press("u")  # one change, one undo
        await pilot.pause()
        item = _items(store)[3]
        assert (item.department, item.assignee, item.due) == ("Amt 10 – Zentrale Dienste", "", date(2020, 10, 15))
        assert item.title.startswith("Umsetzung von")


@pytest.mark.parametrize(
    ("tabs", "typed", "field", "expected"),
    [
        (0, "Amt 32 - Ordnung", "department", "Amt 32 - Ordnung"),
        (1, "Herr Müller", "assignee", "Herr Müller"),
        (2, "01.03.2021", "due", date(2021, 3, 1)),
        (2, "2021-03-01", "due", date(2021, 3, 1)),
        (2, "", "due", None),
        (3, "Neuer Titel", "title", "Neuer Titel"),
    ],
)
async def test_each_field_alone(store: Store, tabs: int, typed: str, field: str, expected: object) -> None:
    before = _items(store)
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 1)
        await _form(pilot, app)
        await pilot.press(*["tab"] * tabs, "ctrl+a", "ctrl+k")
        await _type(pilot, typed)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    after = _items(store)
    assert getattr(after[0], field) == expected
    fields = ("department", "assignee", "due", "title", "status", "note")
    assert {name for name in fields if getattr(after[0], name) != getattr(before[0], name)} == {field}
    assert after[1:] == before[1:]


@pytest.mark.parametrize("bad", ["31.02.2021", "morgen", "2021-13-01"])
async def test_a_bad_date_is_refused_with_the_field_focused_and_the_file_unchanged(store: Store, bad: str) -> None:
    kept = stored_files(store.path)
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 2)
        form = await _form(pilot, app)
        await _type(pilot, "Amt 99")
        await pilot.press("tab", "tab", "ctrl+a", "ctrl+k")
        await _type(pilot, bad)
        await pilot.press("tab", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert app.focused is form.query_one("#field-due")
        message = plain(form.query_one("#error", Static).render())
        assert message.startswith(
            f"Wiedervorlage: Datum im Format TT.MM.JJJJ oder JJJJ-MM-TT erwartet, erhalten: '{bad}'"
        )
    assert stored_files(store.path) == kept


async def test_escape_asks_only_when_something_changed(store: Store) -> None:
    kept = stored_files(store.path)
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 2)
        await _form(pilot, app)
        await pilot.press("escape")  # nothing changed: closes at once
        assert isinstance(app.screen, MainScreen)
        form = await _form(pilot, app)
        await pilot.press("tab")
        await _type(pilot, "Frau Becker")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # keep editing
        assert app.screen is form and form.query_one("#field-assignee", Input).value == "Frau Becker"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, MainScreen)
    assert stored_files(store.path) == kept


async def test_e_on_a_motion_still_opens_the_motion_form(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.main.motion_list.select(EXAMPLE_ID)
        await pilot.press("E")
        assert isinstance(app.screen, MotionForm)
        await pilot.press("escape")
        await pilot.press("tab", "E")
        assert isinstance(app.screen, ItemForm)


# --- marks ------------------------------------------------------------------------------------


async def test_marks_in_the_main_view_with_a_status_key_and_the_form(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 1)
        table = app.main.item_table
        await pilot.press("v", "j", "v", "j", "v")  # items 1, 3 and 5; v moves on
        assert table.marks == {(EXAMPLE_ID, 1): None, (EXAMPLE_ID, 3): None, (EXAMPLE_ID, 5): None}
        assert [table.get_cell(str(n), "number").plain for n in range(1, 6)] == ["◆1", " 2", "◆3", " 4", "◆5"]
        assert table.border_title == "Beantragte Punkte · 3 markiert"
        await pilot.press("v")  # the cursor stayed on the last item: unmarks 5
        await pilot.press("4")
        await pilot.pause()
        assert _statuses(store) == [DONE, REPORTED, DONE, OPEN, DEFERRED]
        await pilot.press("u")
        await pilot.pause()
        assert _statuses(store) == EXAMPLE_STATUSES  # one u took back both

        form = await _form(pilot, app)
        assert "2 markierte Punkte" in plain(form.query_one(Static).render())
        assert form.query_one("#field-department", Input).value == ""  # the two differ: Amt 10, Amt 40
        assert form.query_one("#field-title", Input).disabled
        await pilot.press("tab")
        await _type(pilot, "Frau Becker")
        await pilot.press("ctrl+s")
        await pilot.pause()
        items = _items(store)
        assert [item.assignee for item in items] == ["Frau Becker", "", "Frau Becker", "", ""]
        assert [item.department for item in items][:3] == ["Amt 10 – Zentrale Dienste"] * 2 + ["Amt 40 – Schulen"]
        await pilot.press("u")
        await pilot.pause()
        assert [item.assignee for item in _items(store)] == [""] * 5

        await pilot.press("V")
        assert table.marks == {} and table.border_title == "Beantragte Punkte"
        await pilot.press("2")  # no marks: the item under the cursor, the last
        await pilot.pause()
        assert _statuses(store) == [IN_PROGRESS, REPORTED, DONE, OPEN, IN_PROGRESS]


async def test_marks_in_the_open_items_view_across_motions(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("o")
        table = app.screen.query_one(ItemRows)
        assert [table.get_cell(key, "motion").plain for key in table.keys] == [
            "Aktueller Stand der Digitalisierungsprojekte",
            "Aktueller Stand der Digitalisierungsprojekte",
            "DS 10/0123",
            "DS 10/0123",
        ]
        await pilot.press("v", "j", "v")  # example 1 and second 1 (the rows: example 1, 4, second 1, 2)
        assert list(table.marks) == [(EXAMPLE_ID, 1), (SECOND_ID, 1)]
        assert table.border_title.endswith("· 2 markiert")
        await pilot.press("3")  # reported: both leave the open items, and their marks with them
        await pilot.pause()
        assert _statuses(store)[0] == REPORTED and _statuses(store, SECOND_ID) == [REPORTED, OPEN]
        assert table.marks == {} and "markiert" not in str(table.border_title)
        await pilot.press("u")
        await pilot.pause()
        assert _statuses(store) == EXAMPLE_STATUSES and _statuses(store, SECOND_ID) == [IN_PROGRESS, OPEN]

        await pilot.press("g", "v", "j", "v")  # example 1 and second 1 again
        await _form(pilot, app)
        await pilot.press("tab", "tab")
        await _type(pilot, "1.2.2021")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _items(store)[0].due == _items(store, SECOND_ID)[0].due == date(2021, 2, 1)
        assert _items(store)[3].due == date(2020, 10, 15)
        await pilot.press("u")
        await pilot.pause()
        assert _items(store)[0].due == date(2020, 9, 30) and _items(store, SECOND_ID)[0].due == date(2020, 12, 1)


async def test_marks_in_the_meeting_view_with_space_and_the_form(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("m", "down", "enter")  # Kreisausschuss, 15.09.2020: the example's five items
        agenda = app.screen.query_one(ItemRows)
        await pilot.press("v", "v", "j", "v")  # items 1, 2 and 4
        assert list(agenda.marks) == [(EXAMPLE_ID, 1), (EXAMPLE_ID, 2), (EXAMPLE_ID, 4)]
        await pilot.press("space")  # each to its own next status
        await pilot.pause()
        assert _statuses(store) == [REPORTED, DONE, DONE, IN_PROGRESS, DEFERRED]
        await pilot.press("u")
        await pilot.pause()
        assert _statuses(store) == EXAMPLE_STATUSES

        await _form(pilot, app, "enter")
        await _type(pilot, "Amt 20 - Finanzen")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [item.department for item in _items(store)] == [
            "Amt 20 - Finanzen",
            "Amt 20 - Finanzen",
            "Amt 40 – Schulen",
            "Amt 20 - Finanzen",
            "Amt 61 – Kreisentwicklung",
        ]
        await pilot.press("u")
        await pilot.pause()
        assert [item.department for item in _items(store)][:2] == ["Amt 10 – Zentrale Dienste"] * 2


async def test_the_form_and_marks_in_english(store: Store) -> None:
    app = SachstandApp(store, "en", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 1)
        await pilot.press("v", "v")
        assert app.main.item_table.border_title == "Requested items · 2 marked"
        form = await _form(pilot, app)
        texts = [plain(widget.render()).strip() for widget in form.query("Static, Label")]
        assert texts[:2] == ["Edit 2 marked items", "Only the fields you change are set, on each of them."]
        assert texts[2:6] == ["Department", "Assignee", "Due", "Title"]
        await pilot.press("tab", "tab")
        await _type(pilot, "tomorrow")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert plain(form.query_one("#error", Static).render()).startswith(
            "Due: expected a date DD.MM.YYYY or YYYY-MM-DD, got 'tomorrow'."
        )
        await pilot.press("escape", "y")
    assert [item.due for item in _items(store)][:2] == [date(2020, 9, 30), None]
