"""Keys by the names a keyboard of the user's language gives them: Strg+S, Entf, Leertaste, Bild auf in
German; Ctrl+S, Del, Space, PgUp in English. The one naming of keys, for the footer
(:meth:`tui.app.SachstandApp.get_key_display`) and the help screen alike."""

from __future__ import annotations

from store import add_catalog, translate

# Textual's key ids and what the key is called (an English message id; the German text below).
_NAMES = {
    "escape": "Esc",
    "delete": "Del",
    "backspace": "Backspace",
    "space": "Space",
    "enter": "Enter",
    "tab": "Tab",
    "up": "Arrow up",
    "down": "Arrow down",
    "left": "Arrow left",
    "right": "Arrow right",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "insert": "Ins",
    "question_mark": "?",
    "slash": "/",
    "plus": "+",
    "minus": "-",
}
_MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "super": "Super", "meta": "Meta"}


def key_name(key: str, lang: str) -> str:
    """One key as the user's keyboard labels it: "ctrl+s" is Strg+S in German, Ctrl+S in English."""
    *modifiers, base = key.strip().split("+")
    if base in _NAMES:
        name = translate(_NAMES[base], lang)
    elif base[:1] == "f" and base[1:].isdigit():
        name = base.upper()  # F1
    else:
        name = base.upper() if modifiers and len(base) == 1 else base  # a letter with Ctrl reads as on the key cap
    return "+".join([*(translate(_MODIFIERS.get(mod, mod), lang) for mod in modifiers), name])


def key_names(keys: str, lang: str) -> str:
    """The keys of one binding ("x,delete"), each by its name: "x / Entf"."""
    return " / ".join(key_name(key, lang) for key in keys.split(","))


add_catalog(
    "de",
    {
        "Esc": "Esc",
        "Del": "Entf",
        "Backspace": "Rücktaste",
        "Space": "Leertaste",
        "Enter": "Eingabe",
        "Tab": "Tab",
        "Arrow up": "Pfeil hoch",
        "Arrow down": "Pfeil runter",
        "Arrow left": "Pfeil links",
        "Arrow right": "Pfeil rechts",
        "PgUp": "Bild auf",
        "PgDn": "Bild ab",
        "Home": "Pos1",
        "End": "Ende",
        "Ins": "Einfg",
        "Ctrl": "Strg",
        "Shift": "Umschalt",
        "Alt": "Alt",
        "Super": "Super",
        "Meta": "Meta",
    },
)
