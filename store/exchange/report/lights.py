"""The traffic light per item status in the council's report, and the ``[report]`` table of the config.

The default: offen = rot, in Bearbeitung = gelb, berichtet = gelb, erledigt = grün, zurückgestellt =
grau. ``[report] traffic_lights`` may change any of them, statuses and colours named in German or
English: ``traffic_lights = { offen = "gelb", deferred = "red" }``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from store.errors import BadInput, ConfigError
from store.i18n import add_catalog
from store.values import ItemStatus, parse_item_status

# Colours as RGB: dark enough to read as text on white (the PDF writes the status word in it).
COLOURS = MappingProxyType({"red": (192, 0, 0), "yellow": (191, 143, 0), "green": (0, 128, 0), "grey": (118, 118, 118)})
_SPELLINGS = {
    "red": "red",
    "rot": "red",
    "yellow": "yellow",
    "amber": "yellow",
    "gelb": "yellow",
    "green": "green",
    "grün": "green",
    "gruen": "green",
    "grey": "grey",
    "gray": "grey",
    "grau": "grey",
}
SYMBOL = "●"

DEFAULT_LIGHTS: Mapping[ItemStatus, str] = MappingProxyType(
    {
        ItemStatus.OPEN: "red",
        ItemStatus.IN_PROGRESS: "yellow",
        ItemStatus.REPORTED: "yellow",
        ItemStatus.DONE: "green",
        ItemStatus.DEFERRED: "grey",
    }
)
DEFAULT_REPORT: Mapping[str, Any] = MappingProxyType({"traffic_lights": DEFAULT_LIGHTS})


def check_report(value: Any, where: str) -> Mapping[str, Any] | None:
    """The ``[report]`` table: its ``traffic_lights`` over the defaults. None if it is no table."""
    if not isinstance(value, dict):
        return None
    unknown = [key for key in value if key != "traffic_lights"]
    if unknown:
        raise ConfigError(
            "{where}: unknown setting {key}; known: {known}.", where=where, key=repr(unknown[0]), known="traffic_lights"
        )
    lights = value.get("traffic_lights", {})
    where = f"{where}.traffic_lights"
    if not isinstance(lights, dict):
        raise ConfigError("{where}: expected a table of status = colour.", where=where)
    chosen = dict(DEFAULT_LIGHTS)
    for name, colour in lights.items():
        try:
            status = parse_item_status(name, f"{where}.{name}")
        except BadInput as error:
            raise ConfigError(error.msgid, **error.params) from None
        spelled = _SPELLINGS.get(colour.strip().casefold()) if isinstance(colour, str) else None
        if spelled is None:
            raise ConfigError(
                "{where}: unknown colour {value}; known: {known}.",
                where=f"{where}.{name}",
                value=repr(colour),
                known="rot, gelb, grün, grau (red, yellow, green, grey)",
            )
        chosen[status] = spelled
    return MappingProxyType({"traffic_lights": MappingProxyType(chosen)})


add_catalog(
    "de",
    {
        "{where}: expected a table of status = colour.": "{where}: eine Tabelle Status = Farbe erwartet.",
        "{where}: unknown colour {value}; known: {known}.": "{where}: unbekannte Farbe {value}; bekannt: {known}.",
    },
)
