"""What every widget and screen of the dashboard reads from the app it runs in: the user's language,
today's date, texts in that language; and its keys described in that language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from textual.dom import DOMNode

from store import SachstandError, translate

if TYPE_CHECKING:
    from tui.app import SachstandApp


def localise_bindings(node: DOMNode, lang: str) -> None:
    """Key descriptions in the user's language: bindings are declared in English, like every message."""
    # Textual copies each node's bindings per instance; replace that copy's lists, never mutate shared ones.
    bindings = node._bindings
    bindings.key_to_bindings = {
        key: [
            replace(binding, description=translate(binding.description, lang), tooltip=translate(binding.tooltip, lang))
            if binding.description
            else binding
            for binding in key_bindings
        ]
        for key, key_bindings in bindings.key_to_bindings.items()
    }


def failure_text(error: BaseException | None, lang: str) -> str:
    """Why a worker failed, for a notification: a SachstandError says it in ``lang``; anything else is a
    fault of ours, named by its kind."""
    if isinstance(error, SachstandError):
        return error.render(lang)
    return f"{type(error).__name__}: {error}"


class Localised:
    """Mixin for the dashboard's widgets and screens, first among the bases. Textual makes the running
    app reachable from every node, so language and date are read there rather than handed down."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise_bindings(cast(DOMNode, self), self.lang)

    @property
    def sachstand(self) -> SachstandApp:
        return cast("SachstandApp", cast(DOMNode, self).app)

    @property
    def lang(self) -> str:
        return self.sachstand.lang

    @property
    def today(self) -> date:
        return self.sachstand.today

    def t(self, msgid: str, **params: object) -> str:
        return translate(msgid, self.lang, **params)
