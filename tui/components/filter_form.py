"""The `f` dialog: narrow the motion list by status, group, committee, department, overdue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Checkbox, Label, Select, Static

from store import ItemStatus, Motion, MotionStatus, label
from tui.components.dialog import Dialog
from tui.keys import KEYS
from tui.search import MotionFilter


@KEYS.register("Filter")
class FilterForm(Dialog[MotionFilter | None]):
    """Dismisses with the new filter (ctrl+s), an empty one (ctrl+r), or None (escape)."""

    DEFAULT_CSS = """
    FilterForm #filter-fields {
        height: auto;
        grid-size: 2;
        grid-columns: 14 1fr;
        grid-rows: auto;
        grid-gutter: 1 2;
        margin-top: 1;
        & Select {
            background: $boost;
        }
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", id="filter.apply", priority=True),
        Binding("ctrl+r", "reset", "Show all", id="filter.reset", priority=True),
        Binding("escape", "cancel", "Cancel", id="filter.cancel", priority=True),
    ]

    def __init__(self, current: MotionFilter, motions: Iterable[Motion]) -> None:
        super().__init__()
        self.current = current
        motions = list(motions)
        self.groups = sorted({group for motion in motions for group in motion.submitted_by}, key=str.casefold)
        self.committees = sorted({motion.committee for motion in motions if motion.committee}, key=str.casefold)
        self.departments = sorted(
            {item.department for motion in motions for item in motion.items if item.department}, key=str.casefold
        )

    def compose(self) -> ComposeResult:
        statuses: list[tuple[str, object]] = [(f"{self.t('Item')}: {label(s, self.lang)}", s) for s in ItemStatus]
        statuses += [(f"{self.t('Procedure')}: {label(s, self.lang)}", s) for s in MotionStatus]
        with Vertical(id="dialog"):
            yield Static(Text(self.t("Filter motions"), style="bold"))
            with Grid(id="filter-fields"):
                yield Label(self.t("Status"))
                yield self._select("status", statuses, self.current.status)
                yield Label(self.t("Group"))
                yield self._select("group", [(g, g) for g in self.groups], self.current.group or None)
                yield Label(self.t("Committee"))
                yield self._select("committee", [(c, c) for c in self.committees], self.current.committee or None)
                yield Label(self.t("Department"))
                yield self._select("department", [(d, d) for d in self.departments], self.current.department or None)
                yield Label(self.t("Overdue"))
                yield Checkbox(
                    self.t("only motions with overdue items"), value=self.current.overdue, id="overdue", compact=True
                )
            yield Static(self.t("Ctrl+S applies · Ctrl+R shows all · Esc cancels"), id="hint")

    def _select(self, name: str, options: Sequence[tuple[str, object]], value: object) -> Select[object]:
        return Select(
            options, value=value if value is not None else Select.NULL, prompt=self.t("all"), id=name, compact=True
        )

    def on_mount(self) -> None:
        self.query_one("#status").focus()

    def _value(self, name: str) -> object:
        value = self.query_one(f"#{name}", Select).value
        return None if value is Select.NULL else value

    def action_apply(self) -> None:
        self.dismiss(
            MotionFilter(
                status=self._value("status"),  # type: ignore[arg-type]
                group=self._value("group") or "",  # type: ignore[arg-type]
                committee=self._value("committee") or "",  # type: ignore[arg-type]
                department=self._value("department") or "",  # type: ignore[arg-type]
                overdue=self.query_one("#overdue", Checkbox).value,
            )
        )

    def action_reset(self) -> None:
        self.dismiss(MotionFilter())
