"""Key descriptions in the user's language: bindings are declared in English, like every message."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from store import translate


def localise_bindings(node: DOMNode, lang: str) -> None:
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
