"""The dashboard's export of the council's report: from the command palette, asked whether it is for
publication (then without non-public motions), written as PDF or Word and read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from store import ItemStatus, Motion, Store
from store.model import Item
from tui.app import SachstandApp
from tui.components.confirm import ConfirmModal
from tui.components.prompt import PromptModal

SECRET = "Personalangelegenheit Schulleitung"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "data.json", user="anna") as built:
        built.add_motion(
            Motion(
                id="00000000-0000-4000-8000-000000000001",
                title="Digitalisierung der Schulen",
                committee="Schulausschuss",
                items=(Item(1, "Breitband für Grundschüler", ItemStatus.IN_PROGRESS, note="Größe: „groß“ – läuft."),),
            )
        )
        built.add_motion(
            Motion(
                id="00000000-0000-4000-8000-000000000002",
                title=SECRET,
                committee="Schulausschuss",
                public=False,
                items=(Item(1, "Stelle besetzen"),),
            )
        )
        yield built


async def _export(app: SachstandApp, pilot: Pilot[Any], entry: str, public: bool, target: Path) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause(0.3)
    await pilot.press(*entry)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ConfirmModal) and "Veröffentlichung" in app.screen.question
    await pilot.press("j" if public else "n")
    await pilot.pause()
    assert isinstance(app.screen, PromptModal)
    app.screen.query_one(Input).value = str(target)
    await pilot.press("enter")
    await pilot.pause()
    return [str(note.message) for note in app._notifications]


async def test_the_palette_writes_the_report_for_publication_without_non_public_motions(
    store: Store, tmp_path: Path
) -> None:
    app = SachstandApp(store, "de", today=date(2026, 1, 20), body_name="Kreis Heinsberg")
    target = tmp_path / "bericht.pdf"
    async with app.run_test(size=(120, 36)) as pilot:
        said = await _export(app, pilot, "Bericht an das Gremium (PDF)", True, target)
    assert said == [f"2 Anträge nach {target} geschrieben."]
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    text = " ".join(text.split())
    assert "Kreis Heinsberg" in text and "Bericht vom 20.01.2026" in text and "Größe: „groß“ – läuft." in text
    assert SECRET not in text and "nichtöffentlich" not in text


async def test_the_palette_writes_the_word_report_with_non_public_motions_marked(store: Store, tmp_path: Path) -> None:
    app = SachstandApp(store, "de", today=date(2026, 1, 20))
    target = tmp_path / "bericht.docx"
    async with app.run_test(size=(120, 36)) as pilot:
        await _export(app, pilot, "Bericht an das Gremium (Word)", False, target)
    headings = [paragraph.text for paragraph in docx.Document(str(target)).paragraphs]
    assert f"{SECRET} (nichtöffentlich)" in headings
