"""The main view's layout follows its content and the terminal: counted on the real app, not only seen
in snapshots. The reference is never cut, titles get the room left, pane heights follow their rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from store import EXAMPLE_ID, Motion, Store, new_items
from store.exchange.generate import generate_motions
from tui.app import SachstandApp
from tui.components.virtual_table import VirtualTable
from tui.showcase import TODAY, build_showcase

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
LONG_REFERENCE = "DS 2020/0815-3. Ergänzung"


def _capacity(table: VirtualTable | DataTable) -> int:
    """The rows a list pane shows at once, below its heading."""
    return table.scrollable_content_region.height - 1


def _line(table: VirtualTable, row: int) -> str:
    strip = table.render_line(row - table.scroll_offset.y + 1)
    return "".join(segment.text for segment in strip)


@SIZES
async def test_the_example_shows_all_its_items_without_scrolling(tmp_path: Path, size: tuple[int, int]) -> None:
    with build_showcase(tmp_path / "data.json") as store:
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=size) as pilot:
            app.main.motion_list.select(EXAMPLE_ID)
            await pilot.pause()
            items = app.main.item_table
            assert items.row_count == 5 and items.max_scroll_y == 0
            assert _capacity(items) >= (5 if size == (80, 24) else 10)
            motions = app.main.motion_list
            assert _capacity(motions) >= motions.row_count == 2  # the list is as high as its rows …
            assert _capacity(motions) <= 2 * motions.row_count  # … and keeps no more empty ones


@SIZES
async def test_with_many_motions_no_pane_keeps_half_its_rows_empty(tmp_path: Path, size: tuple[int, int]) -> None:
    with build_showcase(tmp_path / "data.json") as store:
        store.import_motions(generate_motions(60, seed=7), managed=())
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=size) as pilot:
            app.main.motion_list.select(EXAMPLE_ID)
            await pilot.pause()
            motions, items = app.main.motion_list, app.main.item_table
            assert motions.row_count > _capacity(motions) >= 2  # the list scrolls …
            for pane in (motions, items):  # … so no list keeps more than half its rows empty
                assert _capacity(pane) - min(pane.row_count, _capacity(pane)) <= _capacity(pane) / 2
            assert items.max_scroll_y == 0 and _capacity(items) >= (5 if size == (80, 24) else 10)


@SIZES
async def test_the_reference_is_never_cut_and_the_title_takes_the_rest(tmp_path: Path, size: tuple[int, int]) -> None:
    with build_showcase(tmp_path / "data.json") as store:
        store.add_motion(
            Motion(
                id="aaaa1111-0000-4000-8000-000000000001",
                title="Ein sehr langer Titel eines Antrags, der nie ganz in eine Zeile passt, auch breit nicht",
                reference=LONG_REFERENCE,
                items=new_items(["x"]),
            )
        )
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            motions = app.main.motion_list
            row = motions.keys.index("aaaa1111-0000-4000-8000-000000000001")
            line = _line(motions, row)
            assert LONG_REFERENCE in line
            assert "Ein sehr" in line and "…" in line  # cut, at least 8 wide
            assert len(line.rstrip()) >= size[0] - 6  # the title took the room, the row fills the pane


async def test_a_longer_reference_from_an_edit_widens_the_column(tmp_path: Path) -> None:
    with build_showcase(tmp_path / "data.json") as store:
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.edit(lambda s: s.update_motion(EXAMPLE_ID, reference=LONG_REFERENCE))
            await pilot.pause()
            motions = app.main.motion_list
            assert LONG_REFERENCE in _line(motions, motions.keys.index(EXAMPLE_ID))
        assert Store(store.path, user="x").get(EXAMPLE_ID).reference == LONG_REFERENCE


async def test_the_panes_fit_again_when_the_terminal_is_resized(tmp_path: Path) -> None:
    with build_showcase(tmp_path / "data.json") as store:
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=(120, 36)) as pilot:
            app.main.motion_list.select(EXAMPLE_ID)
            await pilot.pause()
            items = app.main.item_table
            assert app.size.width // 2 <= items.region.width <= app.size.width * 5 // 8  # beside one detail pane
            for size, width in (((80, 24), 80), ((200, 50), 80), ((120, 36), 75)):
                await pilot.resize_terminal(*size)
                await pilot.pause()
                assert items.region.width == width and items.max_scroll_y == 0 and _capacity(items) >= 5
