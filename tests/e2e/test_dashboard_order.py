"""The motion list stays newest first through searches, filters and changes (the order is sorted once per change)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from store import Motion, Store, new_items, new_motion_id
from tui.app import SachstandApp
from tui.search import MotionFilter


def _titles(app: SachstandApp) -> list[str]:
    store, keys = app.store, app.main.motion_list.keys
    return [store.get(key).title for key in keys]


async def test_the_list_stays_newest_first_when_searched_filtered_and_changed(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    store = Store(path, user="test")
    ids = {}
    for title, day, committee in [
        ("Kita Nord", date(2024, 3, 1), "Kreistag"),
        ("Radwege", date(2024, 5, 1), "Kreistag"),
        ("Kita Süd", date(2024, 4, 1), "Kreisausschuss"),
    ]:
        motion = Motion(
            id=new_motion_id(), title=title, submitted=day, committee=committee, items=new_items(["Bericht"])
        )
        ids[title] = store.add_motion(motion).id
    app = SachstandApp(Store(path, user="test"), "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        main = app.main
        assert _titles(app) == ["Radwege", "Kita Süd", "Kita Nord"]
        main.query_text = "kita"
        main.show_data()
        assert _titles(app) == ["Kita Süd", "Kita Nord"]
        # Another process moves a motion back in time: the list sorts anew, the search keeps that order.
        store.update_motion(ids["Kita Süd"], submitted=date(2024, 1, 1))
        app.check_for_changes()
        await pilot.pause()
        assert _titles(app) == ["Kita Nord", "Kita Süd"]
        main.query_text = ""
        main.motion_filter = MotionFilter(committee="Kreistag")
        main.show_data()
        assert _titles(app) == ["Radwege", "Kita Nord"]
        main.motion_filter = MotionFilter()
        main.show_data()
        assert _titles(app) == ["Radwege", "Kita Nord", "Kita Süd"]
    store.close()
