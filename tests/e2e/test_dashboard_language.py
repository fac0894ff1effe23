"""One language at a time (issue 12): the dashboard started in German shows no English word in its
footers, help and command palette, and started in English no German one; keys are named as the
user's keyboard names them (Strg+S, Entf, Leertaste in German)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from store import EXAMPLE_ID, Store
from tui.app import SachstandApp
from tui.components.help import HelpScreen
from tui.key_names import key_name
from tui.showcase import TODAY, build_showcase

from helpers.dashboard import plain, to_item, until

# Words that give the other language away (keys, the palette, the help's and footers' texts).
ENGLISH = r"ctrl|space|del|delete|enter|page|home|arrow|shift|search|commands|palette|theme|quit|save|cancel|"
ENGLISH += r"help|undo|close|back|open|items|motion|the|and|of|screenshot|maximize|matches|found"
GERMAN = r"strg|leertaste|entf|eingabe|bild|pfeil|umschalt|pos1|suche|suchen|befehl|befehle|befehlspalette|"
GERMAN += r"nichts|gefunden|beenden|speichern|abbrechen|hilfe|rückgängig|schließen|zurück|offene|punkte|antrag|der|die|das|und"
NOTHING = {"de": "Nichts gefunden", "en": "No matches found"}
OTHER = {"de": re.compile(rf"\b({ENGLISH})\b", re.IGNORECASE), "en": re.compile(rf"\b({GERMAN})\b", re.IGNORECASE)}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with build_showcase(tmp_path / "data.json") as built:
        yield built


def _footer(app: SachstandApp) -> list[str]:
    return [f"{key.key_display} {key.description}" for key in app.screen.query(FooterKey)]


async def _palette(pilot: Pilot[Any], app: SachstandApp) -> list[str]:
    """The palette's placeholder and every entry it offers without a query (title and help)."""
    await pilot.press("ctrl+p")
    await pilot.pause(0.3)
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    commands = palette.query_one(CommandList)
    shown = [palette.query_one(CommandInput).placeholder]
    shown += [str(commands.get_option_at_index(index).prompt) for index in range(commands.option_count)]
    await pilot.press(*"zzqx")  # matches nothing: the palette says so, once its search (a worker) has run

    def said_so() -> bool:
        last = commands.option_count - 1
        return last >= 0 and NOTHING[app.lang] in plain(commands.get_option_at_index(last).prompt)

    await until(pilot, said_so, 10)
    shown += [plain(commands.get_option_at_index(index).prompt) for index in range(commands.option_count)]
    await pilot.press("escape")
    return shown


async def _everything_shown(pilot: Pilot[Any], app: SachstandApp) -> list[str]:
    shown = _footer(app) + await _palette(pilot, app)
    await pilot.press("question_mark")
    assert isinstance(app.screen, HelpScreen)
    shown += [plain(app.screen._key_table()), *_footer(app)]
    await pilot.press("escape")
    await to_item(pilot, app, EXAMPLE_ID, 1)
    for opens in ("e", "f"):  # the note editor, the filter form: their footers and hints
        await pilot.press(opens)
        await pilot.pause()
        shown += _footer(app)
        await pilot.press("escape")
        await pilot.pause()
    return shown


def _without(text: str, data: list[str]) -> str:
    for title in data:
        text = text.replace(title, "")
    return text


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_footer_help_and_palette_speak_only_the_users_language(store: Store, lang: str) -> None:
    app = SachstandApp(store, lang, today=TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        shown = await _everything_shown(pilot, app)
    data = [text for motion in store.motions() for text in (motion.title, *(item.title for item in motion.items))]
    texts = [_without(text, data) for text in shown]  # the palette names the motion and item it acts on
    foreign = {match.group(0) for text in texts for match in OTHER[lang].finditer(text)}
    assert not foreign, (lang, foreign, shown)


async def test_german_key_names_in_help_and_footer(store: Store) -> None:
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("question_mark")
        help_text = plain(app.screen._key_table())  # type: ignore[attr-defined]
        await pilot.press("escape")
        await to_item(pilot, app, EXAMPLE_ID, 1)
        await pilot.press("e")
        await pilot.pause()
        editor_footer = _footer(app)
    for name in ("Strg+P", "Entf", "Leertaste", "Pfeil hoch", "Pfeil runter", "Pos1", "Umschalt+Tab", "Eingabe", "Esc"):
        assert name in help_text, name
    assert "Strg+S Speichern" in editor_footer and "Esc Abbrechen" in editor_footer


@pytest.mark.parametrize(
    "key, german, english",
    [
        ("ctrl+s", "Strg+S", "Ctrl+S"),
        ("delete", "Entf", "Del"),
        ("space", "Leertaste", "Space"),
        ("pageup", "Bild auf", "PgUp"),
        ("shift+tab", "Umschalt+Tab", "Shift+Tab"),
        ("question_mark", "?", "?"),
        ("f1", "F1", "F1"),
        ("S", "S", "S"),
    ],
)
def test_key_names(key: str, german: str, english: str) -> None:
    assert (key_name(key, "de"), key_name(key, "en")) == (german, english)


@pytest.mark.parametrize("lang, said", [("de", "Zum Beenden Strg+Q drücken."), ("en", "Press Ctrl+Q to quit.")])
async def test_ctrl_c_says_how_to_quit_in_the_users_language(store: Store, lang: str, said: str) -> None:
    app = SachstandApp(store, lang, today=TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert [str(note.message) for note in app._notifications] == [said]


async def test_ctrl_s_does_not_sync_in_the_main_view(store: Store) -> None:
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not any("Sync" in str(note.message) for note in app._notifications)
        await pilot.press("S")
        await pilot.pause()
        assert any("Sync ist aus" in str(note.message) for note in app._notifications)


@pytest.mark.parametrize("lang, placeholder", [("de", "Farbschema suchen …"), ("en", "Search for themes…")])
async def test_the_theme_picker_asks_in_the_users_language(store: Store, lang: str, placeholder: str) -> None:
    app = SachstandApp(store, lang, today=TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        app.search_themes()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == placeholder
