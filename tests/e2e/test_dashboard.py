"""The dashboard driven by keys through Textual's Pilot; every workflow ends in what the store holds."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, OptionList, Select, TextArea

from store import EXAMPLE_ID, MOTION_FIELDS, Item, ItemStatus, Motion, Store, example_letter, new_items, translate
from tui.app import SachstandApp, binding_ids
from tui.components.confirm import ConfirmModal
from tui.components.filter_form import FilterForm
from tui.components.help import HelpScreen
from tui.components.item_rows import ItemRows
from tui.components.item_table import ItemTable
from tui.components.motion_form import MotionForm
from tui.components.motion_list import MotionList
from tui.components.note_editor import NoteEditor
from tui.components.oparl_progress import OParlProgress
from tui.components.prompt import PromptModal
from tui.keys import KEYS
from tui.screens.main import MainScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.open_items import OpenItemsScreen
from tui.showcase import SECOND_ID, TODAY, build_showcase

from helpers.dashboard import plain, to_item, until
from helpers.oparl_server import OParlServer
from helpers.stored import stored_files


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with build_showcase(tmp_path / "data.json") as built:
        yield built


def _app(store: Store, **kwargs: object) -> SachstandApp:
    return SachstandApp(store, "de", today=TODAY, **kwargs)


def _reopened(store: Store) -> Store:
    return Store(store.path, user="someone-else")


def _stored_item(store: Store, motion_id: str, number: int) -> Item:
    """The item as the file holds it, read by another handle."""
    return _reopened(store).get(motion_id).items[number - 1]


async def test_number_keys_set_the_status_and_space_cycles(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 4)
        await pilot.press("4")
        assert _stored_item(store, EXAMPLE_ID, 4).status is ItemStatus.DONE
        await pilot.press("space")
        assert _stored_item(store, EXAMPLE_ID, 4).status is ItemStatus.DEFERRED
        await pilot.press("space")
        assert _stored_item(store, EXAMPLE_ID, 4).status is ItemStatus.OPEN
        for key, status in zip("12345", ItemStatus):
            await pilot.press(key)
            assert _stored_item(store, EXAMPLE_ID, 4).status is status


async def test_an_edit_updates_cells_in_place_without_rebuilding_the_list(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 4)
        rebuilds: list[int] = []
        original = app.main.motion_list.set_keys
        app.main.motion_list.set_keys = lambda *args: (rebuilds.append(1), original(*args))  # instrumentation
        await pilot.press("4")
        await pilot.pause()
        assert rebuilds == []
        assert app.main.motion_list.get_cell(EXAMPLE_ID, "progress").plain == "2/5"
        assert app.main.item_table.get_cell("4", "status").plain == "● erledigt"


async def test_editing_the_sachstand_saves_with_ctrl_s(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, SECOND_ID, 2)
        await pilot.press("e")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Antrag ist gestellt.", "enter", *"Zweite Zeile.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
    assert _stored_item(store, SECOND_ID, 2).note == "Antrag ist gestellt.\nZweite Zeile."


async def test_escape_asks_before_discarding_a_changed_text(store: Store) -> None:
    before = stored_files(store.path)
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, SECOND_ID, 2)
        await pilot.press("e", *"Entwurf")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # no: keep editing
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.text == "Entwurf"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, (NoteEditor, ConfirmModal))
    assert stored_files(store.path) == before


async def test_escape_without_changes_closes_at_once(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, EXAMPLE_ID, 3)
        await pilot.press("e", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, (NoteEditor, ConfirmModal))


async def test_u_undoes_the_last_change(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, SECOND_ID, 1)
        await pilot.press("4")
        assert _stored_item(store, SECOND_ID, 1).status is ItemStatus.DONE
        await pilot.press("u")
        await pilot.pause()
        assert _stored_item(store, SECOND_ID, 1).status is ItemStatus.IN_PROGRESS
        assert app.main.item_table.get_cell("1", "status").plain == "◐ in Bearbeitung"


async def test_a_adds_an_item_and_refuses_a_bad_title(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.main.motion_list.select(SECOND_ID)
        await pilot.press("a")
        assert isinstance(app.screen, PromptModal)
        app.screen.query_one(Input).value = "Rot\x1b[31m"
        await pilot.press("enter")
        assert isinstance(app.screen, PromptModal)  # still open, with the reason shown
        assert "Steuerzeichen" in plain(app.screen.query_one("#error").content)
        app.screen.query_one(Input).value = "Elterntaxis reduzieren"
        await pilot.press("enter")
        await pilot.pause()
    assert [item.title for item in _reopened(store).get(SECOND_ID).items][-1] == "Elterntaxis reduzieren"


async def test_delete_asks_first(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.main.motion_list.select(SECOND_ID)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        assert len(_reopened(store).motions()) == 2
        await pilot.press("x", "y")
        await pilot.pause()
        assert [m.id for m in _reopened(store).motions()] == [EXAMPLE_ID]
        assert app.main.motion_list.row_count == 1


async def test_search_as_you_type(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash", *"schulweg")
        await pilot.pause()
        assert app.main.motion_list.row_count == 1
        assert app.main.motion_list.selected_id == SECOND_ID
        assert app.main.query_one("#motions-pane").border_title == "Anträge: 1 von 2"
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.motion_list.row_count == 2
        await pilot.press("slash", *"38 schulen")  # words of a Sachstand
        await pilot.pause()
        assert app.main.motion_list.selected_id == EXAMPLE_ID and app.main.motion_list.row_count == 1


async def test_a_change_by_another_process_appears_within_two_seconds(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.main.motion_list.select(SECOND_ID)
        await pilot.pause()
        with Store(store.path, user="kollegin") as colleague:
            colleague.set_item(SECOND_ID, 2, status=ItemStatus.REPORTED)
        for _ in range(20):
            await asyncio.sleep(0.1)
            if app.main.item_table.get_cell("2", "status").plain == "◑ berichtet":
                break
        assert app.main.item_table.get_cell("2", "status").plain == "◑ berichtet"


async def test_text_from_the_data_is_shown_literally(tmp_path: Path) -> None:
    hostile = "[bold red]Alarm[/] $(rm -rf) <b>"
    with Store(tmp_path / "data.json", user="anna") as store:
        store.add_motion(Motion(id=SECOND_ID, title=hostile, items=new_items([hostile])))
        app = _app(store)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            assert app.main.motion_list.get_cell(SECOND_ID, "title").plain == hostile
            assert app.main.item_table.get_cell("1", "title").plain == hostile


async def test_an_empty_store_welcomes_and_b_adds_the_example(tmp_path: Path) -> None:
    with Store(tmp_path / "data.json", user="anna") as store:
        app = _app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            welcome = app.main.query_one("#welcome")
            assert welcome.display and "sachstand example" in plain(welcome.content)
            await pilot.press("B")
            await pilot.pause()
            assert not welcome.display
            assert app.main.motion_list.selected_id == EXAMPLE_ID
        assert [m.id for m in store.motions()] == [EXAMPLE_ID]


async def test_help_lists_the_keys_as_remapped(store: Store) -> None:
    app = _app(store, keymap={"item.cycle": "c"})
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.query_one("#help-text").content)
        assert "Status weiter" in text and "Rückgängig" in text
        assert re.search(r"^c +Status weiter", text, flags=re.MULTILINE)
        await pilot.press("escape")
        await to_item(pilot, app, SECOND_ID, 2)
        await pilot.press("c")  # the remapped key cycles the status
        assert _stored_item(store, SECOND_ID, 2).status is ItemStatus.IN_PROGRESS


async def test_a_remapped_list_key_works_in_every_list_and_the_help_shows_it(store: Store) -> None:
    app = _app(store, keymap={"table.bottom": "b"})
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        assert re.search(r"^b +Ende", plain(app.screen.query_one("#help-text").content), flags=re.MULTILINE)
        await pilot.press("escape", "b")  # the motion list (a VirtualTable)
        assert app.main.motion_list.cursor_row == app.main.motion_list.row_count - 1
        await pilot.press("tab", "b")  # the items (a DataTable)
        assert app.main.item_table.cursor_row == app.main.item_table.row_count - 1 > 0


async def test_80_by_24_shows_list_items_and_the_detail_of_what_has_the_focus(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.main.query_one(MotionList).region.width >= 70

        def visible(selector: str) -> bool:
            widget = app.main.query_one(selector)
            return widget.display and widget.region.height >= 3

        assert visible("#motions") and visible("#items") and visible("#motion-detail")
        assert not visible("#item-detail")
        await pilot.press("tab")
        await pilot.pause()
        assert app.main.query_one(ItemTable).has_focus
        assert visible("#motions") and visible("#items") and visible("#item-detail")
        assert not visible("#motion-detail")


def test_every_key_description_and_heading_has_a_german_text() -> None:
    from store.i18n import has_translation

    texts = {binding.description for _title, bindings in KEYS.sections() for binding in bindings}
    texts |= {title for title, _bindings in KEYS.sections()}
    texts |= {heading for table in (MotionList, ItemTable) for _key, heading, _width in table.COLUMNS if heading}
    missing = sorted(text for text in texts if not has_translation(text, "de"))
    assert missing == []
    assert {"item.status.done", "item.cycle", "item.edit", "app.undo", "motion.delete"} <= binding_ids()
    assert translate("Next status", "de") == "Status weiter"


async def test_the_command_palette_offers_what_fits_the_selection(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_item(pilot, app, SECOND_ID, 2)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Punkt 2: Status erledigt")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
    assert _stored_item(store, SECOND_ID, 2).status is ItemStatus.DONE


async def test_open_items_grouped_by_department_with_status_keys(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, OpenItemsScreen)
        table = app.screen.query_one(ItemRows)
        column = lambda name: [table.get_cell(key, name).plain for key in table.keys]  # noqa: E731
        assert column("group") == ["Amt 10 – Zentrale Dienste", "", "Amt 66 – Straßenbau", "(ohne Amt)"]
        assert column("due") == ["! 30.09.2020", "! 15.10.2020", "01.12.2020", "–"]
        assert table.border_title == "Offene Punkte nach Amt: 4, davon 2 überfällig"
        assert table.current_item() == (EXAMPLE_ID, 1)  # the first item, overdue since 30.09.2020
        await pilot.press("3")
        assert _stored_item(store, EXAMPLE_ID, 1).status is ItemStatus.REPORTED
        await pilot.pause()
        assert column("group") == [
            "Amt 10 – Zentrale Dienste",
            "Amt 66 – Straßenbau",
            "(ohne Amt)",
        ]  # reported is done here
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_meeting_view_sets_statuses_one_key_each(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, MeetingScreen)
        picker = app.screen.query_one(OptionList)
        assert [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)] == [
            "19.11.2020  Ausschuss für Mobilität",
            "15.09.2020  Kreisausschuss",
        ]
        assert picker.highlighted == 0  # the next meeting after TODAY
        await pilot.press("down", "enter")
        agenda = app.screen.query_one(ItemRows)
        assert agenda.has_focus and agenda.border_title == "Kreisausschuss · 15.09.2020"
        assert agenda.current_item() == (EXAMPLE_ID, 1)
        await pilot.press("4", "j", "4", "j", "j", "2")
        statuses = [item.status for item in _reopened(store).get(EXAMPLE_ID).items]
        assert statuses[:4] == [ItemStatus.DONE, ItemStatus.DONE, ItemStatus.DONE, ItemStatus.IN_PROGRESS]


async def test_n_adds_a_motion_through_the_form(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, MotionForm)
        await pilot.press("ctrl+s")  # empty: refused, with the reason
        assert isinstance(app.screen, MotionForm)
        assert "Titel: darf nicht leer sein" in plain(form.query_one("#error").content)
        form.query_one("#field-title", Input).value = "Photovoltaik auf Kreisgebäuden"
        form.query_one("#field-submitted", Input).value = "01.11.2020"
        form.query_one("#field-submitted_by", Input).value = "Fraktion Bündnis 90/Die Grünen, Fraktion Die Linke"
        await pilot.press("ctrl+s")
        assert "mindestens einen beantragten Punkt" in plain(form.query_one("#error").content)
        assert form.query_one("#field-items", TextArea).has_focus
        assert form.query_one("#field-title", Input).max_length == MOTION_FIELDS["title"].limit
        form.query_one("#field-items", TextArea).text = "Dachflächen prüfen\n\nWirtschaftlichkeit berechnen\n"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, MotionForm)
    added = [m for m in _reopened(store).motions() if m.title == "Photovoltaik auf Kreisgebäuden"]
    assert len(added) == 1
    assert added[0].submitted == date(2020, 11, 1)
    assert added[0].submitted_by == ("Fraktion Bündnis 90/Die Grünen", "Fraktion Die Linke")
    assert [item.title for item in added[0].items] == ["Dachflächen prüfen", "Wirtschaftlichkeit berechnen"]


async def test_shift_e_edits_the_motion_and_refuses_a_bad_date(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.main.motion_list.select(SECOND_ID)
        await pilot.press("E")
        form = app.screen
        assert isinstance(form, MotionForm)
        assert form.query_one("#field-meeting", Input).value == "19.11.2020"
        before = stored_files(store.path)
        form.query_one("#field-meeting", Input).value = "31.02.2021"
        await pilot.press("ctrl+s")
        assert "Sitzung: Datum im Format TT.MM.JJJJ oder JJJJ-MM-TT erwartet" in plain(form.query_one("#error").content)
        assert form.query_one("#field-meeting", Input).has_focus  # the field at fault, to correct it
        assert stored_files(store.path) == before
        form.query_one("#field-meeting", Input).value = "2020-12-03"
        form.query_one("#field-reference", Input).value = "DS 10/0123-1"
        await pilot.press("ctrl+s")
        await pilot.pause()
    motion = _reopened(store).get(SECOND_ID)
    assert (motion.meeting, motion.reference) == (date(2020, 12, 3), "DS 10/0123-1")
    assert [entry.action for entry in store.history(SECOND_ID)][-1] == "edit"


async def test_escape_in_the_form_asks_before_discarding(store: Store) -> None:
    before = stored_files(store.path)
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("E")
        app.screen.query_one("#field-committee", Input).value = "Kreistag"
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert stored_files(store.path) == before


async def test_f_filters_the_motion_list(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f")
        form = app.screen
        assert isinstance(form, FilterForm)
        form.query_one("#department", Select).value = "Amt 66 – Straßenbau"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.main.motion_list.row_count == 1 and app.main.motion_list.selected_id == SECOND_ID
        assert app.main.query_one("#motions-pane").border_title == "Anträge: 1 von 2 · Filter: Amt 66 – Straßenbau (f)"
        await pilot.press("f")
        app.screen.query_one("#department", Select).value = Select.NULL
        app.screen.query_one("#overdue", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.main.motion_list.selected_id == EXAMPLE_ID and app.main.motion_list.row_count == 1
        await pilot.press("f")
        app.screen.query_one("#status", Select).value = ItemStatus.DONE
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.main.motion_list.row_count == 1  # overdue and with a done item: the example
        await pilot.press("f", "ctrl+r")
        await pilot.pause()
        assert app.main.motion_list.row_count == 2
        assert app.main.query_one("#motions-pane").border_title == "Anträge: 2 von 2"


# --- getting motions in, reports out ---------------------------------------------------------


async def _answer_prompt(pilot: object, app: SachstandApp, text: str) -> None:
    assert isinstance(app.screen, PromptModal)
    app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_importing_a_letter_shows_it_in_the_form_to_correct(store: Store, tmp_path: Path) -> None:
    letter = tmp_path / "antrag.txt"
    # Not the example letter itself: that is the example motion, which the store has (the import finds it).
    letter.write_text(example_letter().replace("Herr Landrat,", "Herr Landrat Pusch,"), encoding="utf-8")
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_import_file()
        await pilot.pause()
        await _answer_prompt(pilot, app, str(letter))
        await until(pilot, lambda: isinstance(app.screen, MotionForm))  # read in a worker thread
        form = app.screen
        assert isinstance(form, MotionForm) and form.draft is not None
        assert form.query_one("#field-submitted", Input).value == "28.07.2020"
        assert (
            form.query_one("#field-items", TextArea).text.splitlines()[0]
            == "Einrichtung eines interkommunalen Bürgerportals"
        )
        form.query_one("#field-reference", Input).value = "DS 2020/123"  # staff add the reference number
        await pilot.press("ctrl+s")
        await pilot.pause()
    imported = [m for m in _reopened(store).motions() if m.reference == "DS 2020/123"]
    assert len(imported) == 1 and len(imported[0].items) == 5
    assert imported[0].submitted_by == ("Fraktion der CDU", "Fraktion der FDP")


async def test_exporting_writes_what_the_list_shows(store: Store, tmp_path: Path) -> None:
    app = _app(store)
    target = tmp_path / "bericht.md"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash", *"schulweg", "enter")
        app.action_export("md")
        await pilot.pause()
        await pilot.press("n")  # not for publication
        await pilot.pause()
        await _answer_prompt(pilot, app, str(target))
    report = target.read_text("utf-8")
    assert "Sichere Radwege zu den weiterführenden Schulen" in report
    assert "Aktueller Stand der Digitalisierungsprojekte" not in report


async def test_oparl_import_runs_in_the_background_with_progress(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    app = _app(store)
    with OParlServer() as server:
        async with app.run_test(size=(120, 36)) as pilot:
            app.action_oparl_import()
            await pilot.pause()
            await _answer_prompt(pilot, app, server.url("/body/0"))
            for _ in range(50):
                if not isinstance(app.screen, OParlProgress):
                    break
                await asyncio.sleep(0.1)
            assert isinstance(app.screen, MainScreen)
            assert app.main.motion_list.row_count == 2 + 6
    assert len(_reopened(store).motions()) == 8
