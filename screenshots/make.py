"""Render the README's pictures: the real dashboard on the showcase data, as SVG files.

    python3 dev.py screenshots          (or: .venv/bin/python screenshots/make.py [OUT_DIR])

Writes main.svg, items.svg, help.svg, editor.svg, main-80x24.svg, open-items.svg,
meeting.svg, overview.svg and item-form.svg next to this
script (or into OUT_DIR), and report.png, the council's report's first page (report_shot.py).
The data is tui.showcase's, built with a fixed clock in a temporary directory, "today" is
showcase.TODAY and times print in UTC, so the files only change when the dashboard does.
"""

from __future__ import annotations

import os
import time

# Before anything that formats a time is imported.
os.environ["TZ"] = "UTC"
if hasattr(time, "tzset"):
    time.tzset()

import asyncio
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's store/ and tui/, whatever is installed

from report_shot import report_page  # noqa: E402
from textual.widgets import Input, TextArea  # noqa: E402

from tui.app import SachstandApp  # noqa: E402
from tui.showcase import TODAY, build_showcase  # noqa: E402

# File name, terminal size (columns, rows), keys pressed before the picture.
# The motion list shows the newest motion first; "j" moves to the example motion,
# which has the most to show (five items, every status, Sachstand texts, an overdue item).
SHOTS: list[tuple[str, tuple[int, int], tuple[str, ...]]] = [
    ("main.svg", (120, 36), ("j",)),
    ("items.svg", (120, 36), ("j", "tab")),
    ("help.svg", (120, 36), ("j", "question_mark")),
    ("editor.svg", (120, 36), ("j", "tab", "j", "e")),  # the Sachstand of item 2
    ("main-80x24.svg", (80, 24), ("j",)),
    ("open-items.svg", (120, 36), ("o",)),
    ("meeting.svg", (120, 36), ("m", "down", "enter")),
    ("overview.svg", (120, 36), ("d",)),
    ("item-form.svg", (120, 36), ("j", "tab", "j", "j", "j", "E")),  # item 4, which has no assignee yet
]


async def shoot(filename: str, size: tuple[int, int], keys: tuple[str, ...], out: Path) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="sachstand-screenshots-") as tmp,
        build_showcase(Path(tmp) / "sachstand.json") as store,
    ):
        app = SachstandApp(store, "de", today=TODAY)
        app.sub_title = "sachstand.json"  # not the temporary path
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press(*keys)
            await app.workers.wait_for_complete()  # the overview's figures are computed in a worker
            await pilot.pause()
            for editor in [*app.screen.query(TextArea), *app.screen.query(Input)]:
                editor.cursor_blink = False  # the cursor always shows, whatever the timing
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            app.save_screenshot(filename=filename, path=str(out))


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for filename, size, keys in SHOTS:
        started = time.perf_counter()
        await shoot(filename, size, keys, out)
        print(f"{out / filename}  {size[0]}x{size[1]}  {time.perf_counter() - started:.2f}s")
    print(report_page(out) or "report.png: not made (see above)")  # the council's report, page 1 (report_shot.py)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
