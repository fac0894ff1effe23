"""The dashboard's start loads what its first frame shows and nothing more: the other views and the dialogs
load at their first use. Each test runs in a fresh interpreter, as a user's start does (in the test run
every module is loaded already)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import ROOT
from helpers.cli import command_line_db

# Views and dialogs the first frame does not show.
LATER = (
    "tui.components.commands",
    "tui.components.filter_form",
    "tui.components.help",
    "tui.components.item_form",
    "tui.components.motion_form",
    "tui.components.note_editor",
    "tui.components.oparl_progress",
    "tui.components.prompt",
    "tui.screens.conflicts",
    "tui.screens.meeting",
    "tui.screens.open_items",
    "tui.screens.overview",
)

# The dashboard on the showcase, headless: `run(pilot)` is the script's own part.
SHOWN = """
import asyncio, sys, tempfile
from pathlib import Path

from store import Store
from tui.app import SachstandApp
from tui.showcase import TODAY, build_showcase

path = Path(tempfile.mkdtemp()) / "data.json"
with build_showcase(path):
    pass

async def main():
    app = SachstandApp(Store(path, user="anna"), "de", today=TODAY, live=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await run(app, pilot)

"""


def _run(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_first_frame_loads_no_other_view_and_its_keys_are_in_the_users_language() -> None:
    """The footer's keys are declared in English and translated from the catalogues loaded: the German
    name of a key the first frame shows must not sit in the catalogue of a view loaded later."""
    shown = _run(
        SHOWN
        + f"""
async def run(app, pilot):
    import inspect
    from textual.binding import Binding
    from store.i18n import has_translation
    loaded = [module for name, module in list(sys.modules.items()) if name.startswith("tui.") and module]
    classes = [
        value for module in loaded for value in vars(module).values()
        if inspect.isclass(value) and value.__module__ == module.__name__
    ]
    keys = {{binding.description for cls in classes for binding in cls.__dict__.get("BINDINGS", [])
            if isinstance(binding, Binding) and binding.show and binding.description}}
    print(sorted(key for key in keys if not has_translation(key, "de")), len(keys) > 10)
    print(sorted(name for name in sys.modules if name in {LATER!r}))

asyncio.run(main())
"""
    )
    assert shown == ["[] True", "[]"]


def test_the_help_lists_the_keys_of_every_view_also_of_those_not_opened_yet() -> None:
    shown = _run(
        SHOWN
        + """
async def run(app, pilot):
    from tui.components.help import HelpScreen  # as pressing ? loads it
    from tui.keys import KEYS
    await pilot.press("question_mark")
    assert isinstance(app.screen, HelpScreen)
    print(sorted(title for title, bindings in KEYS.sections() if not bindings))

asyncio.run(main())
"""
    )
    assert shown == ["[]"]


def test_every_key_a_keymap_may_name_is_known_before_its_view_is_loaded() -> None:
    """binding_ids (the check of the config's [keys]) loads every module that declares keys."""
    shown = _run(
        """
        import importlib, pkgutil
        import tui
        from tui.app import binding_ids
        from tui.keys import KEYS
        before = binding_ids()
        for module in pkgutil.walk_packages(tui.__path__, "tui."):
            if not module.name.endswith("__main__"):
                importlib.import_module(module.name)
        print(sorted(KEYS.ids() - before), len(before) > 40)
        """
    )
    assert shown == ["[] True"]


def test_the_first_frame_written_has_the_lists_title_with_the_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sachstand` in a pseudo-terminal, its screen read as a terminal would: when the list's rows are first on
    it, its title with the count is too (Textual's first whole frame is never written; the frames after it
    had the rows without the panes' borders, and so without the title, until the next whole frame)."""
    spec = importlib.util.spec_from_file_location("perceived", ROOT / "benchmarks" / "perceived.py")
    assert spec is not None and spec.loader is not None
    perceived = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(perceived)
    path = command_line_db(tmp_path, monkeypatch)
    perceived.generated(path, 1500)  # past the size from which the list comes from the index
    screens: list[str] = []

    def rows_shown(screen: str) -> bool:
        if "Drucksache" in screen:  # the list's heading: its rows are on screen
            screens.append(screen)
        return bool(screens)

    perceived.on_screen([str(perceived.EDITABLE), "--db", str(path), "--lang", "de"], rows_shown)
    assert "Anträge: 1.500 von 1.500 · wird geladen …" in screens[0]
