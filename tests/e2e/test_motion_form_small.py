"""The new-motion form at 80x24: tab reaches every field, each shown when it has the focus; an error
puts the focus on the field at fault, scrolled into view, and nothing is saved until it is right."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, TextArea

from store import MOTION_FIELDS, MOTION_FORM, Store
from tui.app import SachstandApp
from tui.components.motion_form import MotionForm
from tui.showcase import TODAY, build_showcase

from helpers.dashboard import plain
from helpers.stored import stored_files


def _shown(form: MotionForm, widget: Widget) -> bool:
    """Whether ``widget`` is wholly inside the form's scrolling field area, as laid out now."""
    return form.query_one("#form-fields").region.contains_region(widget.region)


async def _open_form(pilot: Pilot[Any], app: SachstandApp) -> MotionForm:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, MotionForm)
    return app.screen


async def test_tab_reaches_every_field_of_the_new_motion_form_on_screen(tmp_path: Path) -> None:
    with build_showcase(tmp_path / "data.json") as store:
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            form = await _open_form(pilot, app)
            reached = set()
            for _ in range(len(MOTION_FORM) + 1):
                focused = app.focused
                assert focused is not None and _shown(form, focused), focused
                reached.add((focused.id or "").removeprefix("field-"))
                await pilot.press("tab")
                await pilot.pause()
            required = {name for name in MOTION_FORM if MOTION_FIELDS[name].required} | {"items"}
            assert required <= reached and set(MOTION_FORM) <= reached


async def test_an_error_focuses_the_field_at_fault_and_shows_it(tmp_path: Path) -> None:
    with build_showcase(tmp_path / "data.json") as store:
        before = stored_files(store.path)
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            form = await _open_form(pilot, app)
            await pilot.press(*"Photovoltaik")
            await pilot.press("ctrl+s")
            await pilot.pause()
            items = form.query_one("#field-items", TextArea)
            assert items.has_focus and _shown(form, items)
            assert "mindestens einen beantragten Punkt" in plain(form.query_one("#error").content)
            await pilot.press(*"Dachflächen prüfen")
            submitted = form.query_one("#field-submitted", Input)
            submitted.value = "31.02.2020"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert submitted.has_focus and _shown(form, submitted)
            assert "Datum" in plain(form.query_one("#error").content)
            assert stored_files(store.path) == before
            submitted.value = "28.02.2020"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert not isinstance(app.screen, MotionForm)
    [added] = [m for m in Store(store.path, user="x").motions() if m.title == "Photovoltaik"]
    assert added.submitted == date(2020, 2, 28) and [item.title for item in added.items] == ["Dachflächen prüfen"]
