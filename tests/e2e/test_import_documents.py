"""Letters as PDF, Word, OpenDocument and e-mail imported end to end: through the command line, several
files and folders at once, and the dashboard's import; every refusal with a clear message, exit 2 and the
stored data unchanged. The installed command (from the wheel, in a process of its own) imports a PDF and a
Word letter in tests/e2e/test_wheel.py."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from store import Store
from store.exchange.documents import DOCUMENT_LIMIT
from tui.app import SachstandApp
from tui.components.motion_form import MotionForm
from tui.components.prompt import PromptModal
from tui.showcase import TODAY, build_showcase

from helpers.cli import command_line_db, run_sachstand
from helpers.dashboard import until
from helpers.documents import (
    ITEMS,
    docx_letter,
    encrypted_pdf,
    letter_text,
    mail,
    odt_letter,
    pdf_letter,
    scanned_pdf,
)
from helpers.stored import stored_files

TITLE = "Sichere Schulwege für Fußgänger"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return command_line_db(tmp_path, monkeypatch)


def run(db: Path, *args: str) -> tuple[int, str, str]:
    return run_sachstand(db, *args, lang="en")


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def imported(db: Path) -> list[tuple[str, list[str]]]:
    with Store(db, user="anna") as store:
        return sorted((m.title, [item.title for item in m.items]) for m in store.motions() if m.source)


KINDS = {
    "antrag.pdf": pdf_letter,
    "antrag.docx": docx_letter,
    "antrag.odt": odt_letter,
    "antrag.eml": lambda: mail(body="Anbei unser Antrag.", attachment=("antrag.pdf", pdf_letter())),
    "nur-text.eml": lambda: mail(body=letter_text()),
}


@pytest.mark.parametrize("name", list(KINDS))
def test_a_letter_of_each_kind_is_shown_and_saved(db: Path, tmp_path: Path, name: str) -> None:
    code, out, err = run(db, "import", str(write(tmp_path, name, KINDS[name]())), "--yes")
    assert code == 0, err
    assert TITLE in out and ITEMS[1] in out and ("14.03.2024" in out or "2024-03-14" in out)  # the preview
    assert "Imported: 1 new, 0 updated, 0 unchanged." in err
    assert imported(db) == [(TITLE, ITEMS)]


REFUSED = {
    "scan.pdf": (scanned_pdf, "scan.pdf: a PDF without a text layer (a scan); it needs text recognition (OCR)"),
    "geheim.pdf": (encrypted_pdf, "geheim.pdf: an encrypted PDF that needs a password to open"),
    "kaputt.docx": (lambda: docx_letter()[:3000], "kaputt.docx: a damaged ZIP container"),
    "leer.eml": (mail, "leer.eml: an e-mail without a letter"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_file_that_cannot_be_read_is_refused_with_exit_2_and_nothing_saved(
    db: Path, tmp_path: Path, name: str
) -> None:
    run(db, "example")
    before = stored_files(db)
    make, message = REFUSED[name]
    code, _out, err = run(db, "import", str(write(tmp_path, name, make())), "--yes")
    assert code == 2 and message in err and "Traceback" not in err
    assert err.startswith("sachstand: error: ")
    assert stored_files(db) == before


def test_a_letter_file_beyond_the_size_limit_is_refused_before_it_is_read(db: Path, tmp_path: Path) -> None:
    run(db, "example")
    before = stored_files(db)
    huge = tmp_path / "riesig.pdf"
    with huge.open("wb") as file:
        file.truncate(DOCUMENT_LIMIT + 1)  # sparse: no time or disk spent on writing it
    code, _out, err = run(db, "import", str(huge), "--yes")
    assert code == 2 and f"riesig.pdf: larger than {DOCUMENT_LIMIT // 2**20} MB" in err
    assert stored_files(db) == before


def test_several_files_one_bad_the_others_go_in_with_a_line_each_and_exit_2(db: Path, tmp_path: Path) -> None:
    letters = tmp_path / "post"
    letters.mkdir()
    good = write(letters, "a.pdf", pdf_letter())
    bad = write(letters, "b.pdf", scanned_pdf())
    other = write(letters, "c.txt", letter_text().replace("Tempo 30", "Tempo 20").encode())
    code, out, err = run(db, "import", str(good), str(bad), str(other), "--yes")
    assert code == 2
    lines = err.splitlines()
    assert f"{good}: imported: 1 new, 0 updated, 0 unchanged (3 items)." in lines
    assert f"{other}: imported: 1 new, 0 updated, 0 unchanged (3 items)." in lines
    assert any(line.startswith(f"sachstand: error: {bad}: a PDF without a text layer") for line in lines)
    assert "Imported: 2 new, 0 updated, 0 unchanged." in lines
    assert len(out.strip().splitlines()[-2:]) == 2  # the new motions' ids
    assert len(imported(db)) == 2


def test_a_folder_imports_every_file_of_a_kind_it_reads_sorted_by_name(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "eingang"
    folder.mkdir()
    write(folder, "2-antrag.docx", docx_letter())
    write(folder, "1-antrag.odt", odt_letter())  # the same words as the Word file: one motion
    write(folder, "3-bild.png", b"\x89PNG")  # not a kind import reads: left alone
    write(folder, ".versteckt.txt", b"\xff")  # hidden
    code, out, err = run(db, "import", str(folder), "--yes")
    assert code == 0, err
    assert out.index("1-antrag.odt") < out.index("2-antrag.docx") and "bild" not in out + err
    assert f"{folder / '1-antrag.odt'}: imported: 1 new" in err
    assert f"{folder / '2-antrag.docx'}: imported: 0 new, 0 updated, 1 unchanged" in err
    assert imported(db) == [(TITLE, ITEMS)]


def test_a_folder_without_a_letter_is_refused(db: Path, tmp_path: Path) -> None:
    (tmp_path / "leer").mkdir()
    code, _out, err = run(db, "import", str(tmp_path / "leer"), "--yes")
    assert code == 2 and "leer: a folder without files to import (.txt .md .pdf" in err
    assert not db.exists()


def test_several_files_without_a_terminal_need_yes_and_nothing_is_saved(db: Path, tmp_path: Path) -> None:
    run(db, "example")
    before = stored_files(db)
    files = [str(write(tmp_path, name, KINDS[name]())) for name in ("antrag.pdf", "antrag.docx")]
    code, _out, err = run(db, "import", *files)
    assert code == 2 and "--yes" in err
    assert stored_files(db) == before


def test_the_progress_bar_is_drawn_on_a_terminal_only() -> None:
    from tui.cli.progress import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown, piped = Terminal(), io.StringIO()
    for stream in (shown, piped):
        bar = ProgressBar(stream, "files")
        for done in range(3):
            bar.update(done, 2)
        bar.finish()
    assert shown.getvalue().endswith("\r[" + "#" * 30 + "] 2/2 files\n") and piped.getvalue() == ""

    line = ProgressBar(shown := Terminal(), "")
    line.say("Syncing… 1,000 read, 0 sent")
    line.say("Syncing…")  # a shorter text blanks what is left of the longer one
    line.erase()
    assert shown.getvalue() == "\rSyncing… 1,000 read, 0 sent\r" + "Syncing…".ljust(27) + "\r" + " " * 27 + "\r"


# --- the dashboard -----------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with build_showcase(tmp_path / "data.json") as built:
        yield built


async def _import(pilot: Pilot[Any], app: SachstandApp, name: str) -> None:
    """Name a file or folder in the import's prompt; the first letter's form comes when the worker has read it."""
    app.action_import_file()
    await pilot.pause()
    assert isinstance(app.screen, PromptModal)
    app.screen.query_one(Input).value = name
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, MotionForm))


async def test_the_dashboard_imports_a_pdf_letter_through_the_form_to_correct(store: Store, tmp_path: Path) -> None:
    letter = write(tmp_path, "antrag.pdf", pdf_letter())
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await _import(pilot, app, str(letter))
        form = app.screen
        assert isinstance(form, MotionForm) and form.draft is not None
        assert form.query_one("#field-title", Input).value == TITLE
        assert form.query_one("#field-submitted", Input).value == "14.03.2024"
        assert form.query_one("#field-items", TextArea).text.splitlines() == ITEMS
        form.query_one("#field-reference", Input).value = "DS 2024/17"
        await pilot.press("ctrl+s")
        await pilot.pause()
    with Store(store.path, user="someone-else") as reopened:
        (motion,) = [m for m in reopened.motions() if m.reference == "DS 2024/17"]
    assert motion.title == TITLE and [item.title for item in motion.items] == ITEMS


async def test_the_dashboard_imports_a_folder_letter_by_letter_and_says_what_it_refused(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "eingang"
    folder.mkdir()
    write(folder, "a.docx", docx_letter())
    write(folder, "b.pdf", scanned_pdf())
    write(folder, "c.eml", mail(body=letter_text().replace("Tempo 30", "Tempo 20")))
    before = len(store.motions())
    app = SachstandApp(store, "de", today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await _import(pilot, app, str(folder))
        said = [notification.message for notification in app._notifications]
        assert any("b.pdf: ein PDF ohne Textebene (ein Scan)" in message for message in said)
        # The Word letter is skipped (escape), the e-mail's saved (ctrl+s): each in its own form, in order.
        for expected, key in (
            ("Tempo 30 vor der Grundschule Süd", "escape"),
            ("Tempo 20 vor der Grundschule Süd", "ctrl+s"),
        ):
            form = app.screen
            assert isinstance(form, MotionForm)
            assert form.query_one("#field-items", TextArea).text.splitlines()[1] == expected
            await pilot.press(key)
            await pilot.pause()
        assert not isinstance(app.screen, MotionForm)
    with Store(store.path, user="someone-else") as reopened:
        assert len(reopened.motions()) == before + 1
        assert any(m.items[1].title == "Tempo 20 vor der Grundschule Süd" for m in reopened.motions() if m.items[1:])
