"""The one registry of the dashboard's keys. Each class that declares bindings with ids registers
them here (``@KEYS.register(section)``); the ids a keymap may name (``[keys]`` in the config file,
``App.set_keymap``), the check of unknown ids and the help screen are all read from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from textual.binding import Binding

from tui import texts_de  # noqa: F401  (the dashboard's German texts, registered with the keys every view has)

Owner = TypeVar("Owner", bound=type)


class KeyRegistry:
    def __init__(self, *sections: str) -> None:
        self._sections: dict[str, list[Binding]] = {title: [] for title in sections}
        self._by_id: dict[str, Binding] = {}

    def register(self, section: str | None = None, *, also: Iterable[Binding] = ()) -> Callable[[Owner], Owner]:
        """Class decorator. The class's own bindings with an id may be named in a keymap; with a
        ``section``, the help lists them there, followed by ``also`` (keys Textual itself provides)."""

        def add(owner: Owner) -> Owner:
            declared = [binding for binding in owner.__dict__["BINDINGS"] if isinstance(binding, Binding)]
            with_id = [binding for binding in declared if binding.id]
            for binding in with_id:
                if self._by_id.setdefault(binding.id or "", binding) is not binding:
                    raise ValueError(f"two bindings have the id {binding.id!r}: one id, one declaration")
            if section is not None:
                self.note(section, *with_id, *also)
            return owner

        return add

    def note(self, section: str, *bindings: Binding) -> None:
        """Keys the help lists under ``section`` that no binding of ours declares (a handler takes them)."""
        self._sections[section] += bindings

    def ids(self) -> set[str]:
        return set(self._by_id)

    def sections(self) -> list[tuple[str, list[Binding]]]:
        """The keys of each place, in the order a user meets them."""
        return [(title, list(bindings)) for title, bindings in self._sections.items()]


KEYS = KeyRegistry(
    "Everywhere",
    "Motion list",
    "Lists",
    "Items (in every view)",
    "Search",
    "Open items, meeting",
    "Overview",
    "Sync conflicts",
    "Editor, form",
    "Filter",
)
