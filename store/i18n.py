"""German and English texts: English message ids, German translations.

Messages are written in English at the place they are raised or printed and
translated when shown, gettext style. The store registers its own messages
here; the TUI registers its own with :func:`add_catalog`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"  # the product's home; a C/POSIX locale says nothing

_catalogs: dict[str, dict[str, str]] = {"de": {}, "en": {}}


def add_catalog(lang: str, entries: Mapping[str, str]) -> None:
    _catalogs[lang].update(entries)


def has_translation(msgid: str, lang: str) -> bool:
    return lang == "en" or msgid in _catalogs[lang]


class Msg(str):
    """A parameter that is itself a message id, translated along with its message."""


class Msgs(tuple[str, ...]):
    """A parameter that is a list of message ids (e.g. field labels), translated and comma-joined."""


class Said:
    """Something to tell a person in either language: a message id and its parameters (an error, a
    warning, a notice). A parameter that is itself said (an error inside a warning) is said along."""

    msgid: str
    params: Mapping[str, Any]

    def render(self, lang: str) -> str:
        return translate(self.msgid, lang, **self.params)


class Notice(Said):
    """One thing to tell the user that is not an error: what an import did, what a sync found.

    Written out, not a dataclass: making a frozen dataclass costs every command about 1 ms at its start."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, params: Mapping[str, Any] | None = None) -> None:
        self.msgid = msgid
        self.params = {} if params is None else params

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (self.msgid, self.params) == (other.msgid, other.params)

    __hash__ = None  # type: ignore[assignment]  # its parameters are a dict

    def __repr__(self) -> str:
        return f"Notice({self.msgid!r}, {self.params!r})"


def plural(one: str, other: str, number: int) -> Msg:
    """The message id for a count of ``number``: ``one`` for exactly one, else ``other`` ("1 Antrag",
    "2 Anträge", "0 Anträge"). German and English share that rule, so the choice is made here, once;
    each form has its own German text, declension and all ("mit 1 Punkt", "mit 2 Punkten")."""
    return Msg(one if number == 1 else other)


def translate(msgid: str, lang: str, /, **params: Any) -> str:
    text = _catalogs.get(lang, {}).get(msgid, msgid)
    if not params:
        return text
    return text.format(**{name: _in(lang, value) for name, value in params.items()})


def _in(lang: str, value: Any) -> Any:
    """A message's parameter as the message shows it in ``lang``."""
    if isinstance(value, Msg):
        return translate(value, lang)
    if isinstance(value, Msgs):
        return ", ".join(translate(item, lang) for item in value)
    render = getattr(value, "render", None)  # a Said, or any value that says itself (a list of statuses)
    return render(lang) if callable(render) else value


def language_from_locale(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the POSIX locale variables ask for, if it is one we speak."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else None
    return None


def normalise_language(value: str) -> str | None:
    code = value.strip().lower().replace("-", "_").split("_")[0]
    return code if code in LANGUAGES else None


add_catalog(
    "de",
    {
        # model validation
        "{where}: must not be empty.": "{where}: darf nicht leer sein.",
        "{where}: expected text, got {value}.": "{where}: Text erwartet, erhalten: {value}.",
        "{where}: contains a control character ({char}); only plain text is allowed.": "{where}: enthält ein Steuerzeichen ({char}); nur reiner Text ist erlaubt.",
        "{where}: must be a single line.": "{where}: muss eine einzige Zeile sein.",
        "{where}: longer than {limit} characters.": "{where}: länger als {limit} Zeichen.",
        "{where}: expected a date YYYY-MM-DD, got {value}.": "{where}: Datum im Format JJJJ-MM-TT erwartet, erhalten: {value}.",
        "{where}: expected a date DD.MM.YYYY or YYYY-MM-DD, got {value}.": "{where}: Datum im Format TT.MM.JJJJ oder JJJJ-MM-TT erwartet, erhalten: {value}.",
        "{where}: expected a date and time, got {value}.": "{where}: Datum mit Uhrzeit erwartet, erhalten: {value}.",
        "{where}: unknown status {value}; allowed: {allowed}.": "{where}: unbekannter Status {value}; erlaubt: {allowed}.",
        "{labels} (also {names})": "{labels} (auch {names})",
        "{where}: expected a list of texts, got {value}.": "{where}: Liste von Texten erwartet, erhalten: {value}.",
        "{where}: expected a list, got {value}.": "{where}: Liste erwartet, erhalten: {value}.",
        "{where}: expected true or false, got {value}.": "{where}: true oder false erwartet, erhalten: {value}.",
        "{where}: expected a UUID, got {value}.": "{where}: UUID erwartet, erhalten: {value}.",
        "{where}: expected an item number from 1, got {value}.": "{where}: Punktnummer ab 1 erwartet, erhalten: {value}.",
        "{where}: expected an object, got {value}.": "{where}: Objekt erwartet, erhalten: {value}.",
        "{where}: missing field {field}.": "{where}: Feld {field} fehlt.",
        "{where}: unknown field {field}.": "{where}: unbekanntes Feld {field}.",
        "{where}: fields that cannot be changed: {value}; changeable: {known}.": "{where}: Felder, die sich nicht ändern lassen: {value}; änderbar: {known}.",
        "{where}: expected mine or theirs, got {value}.": "{where}: mine oder theirs erwartet, erhalten: {value}.",
        "{where}: unknown export format {value}; known: {known}.": "{where}: unbekanntes Exportformat {value}; bekannt: {known}.",
        "{where}: item numbers must be 1, 2, 3, ... in order.": "{where}: Punktnummern müssen 1, 2, 3, ... der Reihe nach sein.",
        "{where}: a motion needs at least one requested item.": "{where}: ein Antrag braucht mindestens einen beantragten Punkt.",
        # the open items by department, as the dashboard and the status report show them
        "Open items by department": "Offene Punkte nach Amt",
        "(no department)": "(ohne Amt)",
        "overdue": "überfällig",
        "Motion": "Antrag",
        # lookups
        "No motion matches {ref}.": "Kein Antrag passt zu {ref}.",
        "{ref} matches {count} motions: {candidates}. Give more of the id.": "{ref} passt zu {count} Anträgen: {candidates}. Bitte mehr von der ID angeben.",
        "Motion {motion} has no item {number}; its items are 1 to {last}.": "Antrag {motion} hat keinen Punkt {number}; seine Punkte sind 1 bis {last}.",
        "Motion {motion} has no item {number}; its only item is 1.": "Antrag {motion} hat keinen Punkt {number}; sein einziger Punkt ist 1.",
        "{where}: a motion with id {id} exists already.": "{where}: ein Antrag mit der ID {id} existiert bereits.",
        # the file
        "{path}: not valid JSON ({detail}, line {line}, column {column}).": "{path}: kein gültiges JSON ({detail}, Zeile {line}, Spalte {column}).",
        "{path}: not a Sachstand data file (no 'sachstand' header).": "{path}: keine Sachstand-Datendatei (kein Kopf 'sachstand').",
        "{path}: the file is empty. Restore a backup ({backup}) or delete the file to start a new store.": "{path}: die Datei ist leer. Eine Sicherung ({backup}) zurückspielen oder die Datei löschen, um neu zu beginnen.",
        "{path}: broken header: {detail}.": "{path}: beschädigter Dateikopf: {detail}.",
        "{path}: written by a newer Sachstand (data format {found}; this version reads up to {supported}). Update Sachstand; the file was not changed.": "{path}: von einer neueren Sachstand-Version geschrieben (Datenformat {found}; diese Version liest bis {supported}). Bitte Sachstand aktualisieren; die Datei wurde nicht verändert.",
        "{path}: {detail}": "{path}: {detail}",
        "{path}: cannot read the data file: {detail}.": "{path}: Datendatei nicht lesbar: {detail}.",
        "{path}: cannot write the data file: {detail}.": "{path}: Datendatei nicht schreibbar: {detail}.",
        "{path}: the folder does not exist.": "{path}: der Ordner existiert nicht.",
        "{path}: line 1: not a Sachstand journal.": "{path}: Zeile 1: kein Sachstand-Journal.",
        "{path}: line {line}: not valid JSON ({detail}).": "{path}: Zeile {line}: kein gültiges JSON ({detail}).",
        "{path}: line {line}: expected generation {expected}, found {found}.": "{path}: Zeile {line}: Generation {expected} erwartet, {found} gefunden.",
        "{path}: line {line}: not a transaction (generation and tables of documents).": "{path}: Zeile {line}: keine Transaktion (Generation und Tabellen mit Dokumenten).",
        "{path}: another process has held the lock for more than {seconds} seconds (lock file {lock}).": "{path}: ein anderer Prozess hält die Sperre seit mehr als {seconds} Sekunden (Sperrdatei {lock}).",
        # importers
        "{path}: not a text file in UTF-8.": "{path}: keine Textdatei in UTF-8.",
        "{path}: cannot write the file: {detail}.": "{path}: Datei nicht schreibbar: {detail}.",
        "{path}: not a regular file (a folder or a device): give a file name.": "{path}: keine gewöhnliche Datei (ein Ordner oder ein Gerät): bitte einen Dateinamen angeben.",
        "{where}: not valid JSON ({detail}).": "{where}: kein gültiges JSON ({detail}).",
        "{where}: not a Sachstand export (no 'sachstand': 'motions').": "{where}: kein Sachstand-Export (kein 'sachstand': 'motions').",
        # history and undo
        "Nothing to undo.": "Nichts rückgängig zu machen.",
        "Not undone: {field} of motion {motion} was changed again by {by} at {at}.": "Nicht rückgängig gemacht: {field} von Antrag {motion} wurde danach von {by} am {at} erneut geändert.",
        # config
        "{path}: cannot read the file: {detail}.": "{path}: Datei nicht lesbar: {detail}.",
        "{path}: not valid TOML: {detail}.": "{path}: kein gültiges TOML: {detail}.",
        "{where}: unknown setting {key}; known: {known}.": "{where}: unbekannte Einstellung {key}; bekannt: {known}.",
        "{where}: expected {expected}, got {value}.": "{where}: {expected} erwartet, erhalten: {value}.",
        "a file path": "ein Dateipfad",
        "de or en": "de oder en",
        "a name": "ein Name",
        "a whole number from 0 to 20": "eine ganze Zahl von 0 bis 20",
        "seconds, more than 0": "Sekunden, mehr als 0",
        "seconds, at least 10": "Sekunden, mindestens 10",
        'a table of binding id = "key"': 'eine Tabelle Tasten-ID = "Taste"',
        "a list of paper types": "eine Liste von Drucksachenarten",
        "a URL (http:// or https://)": "eine URL (http:// oder https://)",
        "a token": "ein Token",
        "{where}: expected {expected}.": "{where}: {expected} erwartet.",
        "No conflict in {what} of motion {motion}.": "Kein Konflikt in {what} von Antrag {motion}.",
        "{where}: unknown key binding {name}; known: {known}.": "{where}: unbekannte Tastenbelegung {name}; bekannt: {known}.",
        "{where}: unknown language {value}; allowed: {allowed}.": "{where}: unbekannte Sprache {value}; erlaubt: {allowed}.",
    },
)
