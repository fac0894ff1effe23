"""Command palette entries that fit what is selected (ctrl+p)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from store import ItemStatus, Notice, add_catalog, label
from tui.reminding import ask_remind
from tui.roles import item_refusal, motion_refusal, refused_text

if TYPE_CHECKING:
    from tui.app import SachstandApp


def _offered(
    app: SachstandApp, reason: Notice | None, name: str, help_text: str, callback: Callable[[], object]
) -> tuple[str, str, Callable[[], object]]:
    """An entry as the token's role may use it: one it may not says why, and only says so when chosen."""
    if reason is None:
        return name, help_text, callback
    said = refused_text(app, reason)
    return name, said, partial(app.notify, said, severity="warning")


class SachstandCommands(Provider):
    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        app: SachstandApp = self.app  # type: ignore[assignment]
        t = app.t
        remind = partial(ask_remind, app)
        motion = app.selected_motion()
        number = app.main.item_table.selected_number if motion else None
        if motion and number:
            item = motion.items[number - 1]
            for status in ItemStatus:
                if status is not item.status:
                    yield _offered(
                        app,
                        item_refusal(app, [(motion.id, number)], "status"),
                        t("Item {number}: status {status}", number=number, status=label(status, app.lang)),
                        item.title,
                        partial(app.set_status, [(motion.id, number)], status),
                    )
            yield _offered(
                app,
                item_refusal(app, [(motion.id, number)], "note"),
                t("Item {number}: edit the Sachstand", number=number),
                item.title,
                partial(app.edit_note, motion.id, number),
            )
        if motion:
            adding = motion_refusal(app, "add_item", motion)
            yield _offered(app, adding, t("Add item"), motion.title, app.main.action_add_item)
            deleting = motion_refusal(app, "delete", motion)
            yield _offered(app, deleting, t("Delete motion"), motion.title, app.main.action_delete_motion)
        yield t("Undo"), t("Undo your last change"), app.action_undo
        yield t("Redo"), t("Bring back what the last undo took back"), app.action_redo
        yield t("Search"), t("Search as you type"), app.main.action_search
        yield t("Open items by department"), t("Open items"), app.action_open_items
        yield t("Meeting view"), t("Meeting"), app.action_meetings
        yield t("Overview"), t("Items by department, next meetings, last changes"), app.action_overview
        yield t("Sync now"), t("Pull and push the changes with the sync server"), app.action_sync
        yield t("Sync conflicts"), t("Decide field by field: mine or theirs"), app.action_conflicts
        yield (
            t("Import a motion letter or export"),
            t("Text, PDF, Word, ODT, e-mail, a folder, or JSON"),
            app.action_import_file,
        )
        yield _offered(
            app,
            motion_refusal(app, "add", None),
            t("Import from OParl"),
            t("Papers of a council information system"),
            app.action_oparl_import,
        )
        for kind, name in (
            ("md", "Export: status report (Markdown)"),
            ("csv", "Export: spreadsheet (CSV)"),
            ("json", "Export: JSON"),
            ("docx", "Export: report to the committee (Word)"),
            ("pdf", "Export: report to the committee (PDF)"),
        ):
            yield t(name), t("The motions the list shows"), partial(app.action_export, kind)
        yield t("Remind the departments"), t("E-mail each department its due items; a preview first"), remind
        yield _offered(
            app,
            motion_refusal(app, "add", None),
            t("Add the example motion"),
            "Kreistag Heinsberg, 28.07.2020",
            app.main.action_add_example,
        )
        yield t("Help"), t("All keys"), app.action_help

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


add_catalog(
    "de",
    {
        "Export: report to the committee (Word)": "Export: Bericht an das Gremium (Word)",
        "Export: report to the committee (PDF)": "Export: Bericht an das Gremium (PDF)",
        # Here, not with the overview's screen: the palette offers it before that module is ever imported.
        "Items by department, next meetings, last changes": "Punkte nach Amt, nächste Sitzungen, letzte Änderungen",
    },
)
