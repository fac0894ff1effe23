"""The example motion the product ships with (Kreistag Heinsberg, 28.07.2020)."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from importlib import resources
from typing import Any

from store.model import Motion

# Fixed, so that adding the example twice finds the first one.
EXAMPLE_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://sachstand.invalid/examples/antrag-2020-07-28-digitalisierung"))
LETTER = "antrag-2020-07-28-digitalisierung.txt"


def example_motion() -> Motion:
    data = json.loads(resources.files("store.data").joinpath("example-motion.json").read_text("utf-8"))
    return Motion.from_dict({"id": EXAMPLE_ID, **data}, where="example-motion.json")


def example_letter() -> str:
    return resources.files("store.data").joinpath(LETTER).read_text("utf-8")


# --- the demo: made-up motions of a district council around today (no real persons) ----------------

# (title, reference, submitted (days from today), groups, committee, meeting (days), status,
#  items: (title, status, department, assignee, due (days from today) or None)).
_DEMO: tuple[tuple[Any, ...], ...] = (
    (
        "Mängelmelder für Straßenschäden und defekte Beleuchtung",
        "DS 10/0131",
        -34,
        ["CDU-Fraktion"],
        "Ausschuss für Mobilität",
        17,
        "scheduled",
        [
            ("Marktübersicht geeigneter Softwarelösungen", "in_progress", "Amt 10 – Zentrale Dienste", "k.yilmaz", -6),
            ("Kostenschätzung für Einführung und Betrieb", "open", "Amt 20 – Finanzen", "", 9),
            ("Abstimmung mit den Bauhöfen der Kommunen", "open", "Amt 66 – Straßenbau", "", 30),
        ],
    ),
    (
        "Hitzeschutz an Kitas und Schulen in Trägerschaft des Kreises",
        "DS 10/0127",
        -41,
        ["Fraktion Bündnis 90/Die Grünen", "SPD-Fraktion"],
        "Ausschuss für Schule und Bildung",
        24,
        "scheduled",
        [
            ("Bestandsaufnahme verschatteter Außenflächen", "done", "Amt 40 – Schulen", "s.wagner", None),
            ("Trinkwasserspender an allen Schulen", "in_progress", "Amt 40 – Schulen", "s.wagner", 12),
            ("Hitzeaktionsplan mit dem Gesundheitsamt abstimmen", "open", "Amt 53 – Gesundheit", "", -11),
        ],
    ),
    (
        "Ausbau der Schulsozialarbeit an den Berufskollegs",
        "DS 10/0119",
        -62,
        ["SPD-Fraktion"],
        "Ausschuss für Schule und Bildung",
        -20,
        "decided",
        [
            ("Bedarf je Berufskolleg ermitteln", "reported", "Amt 50 – Soziales", "m.brandt", None),
            ("Förderantrag beim Land stellen", "open", "Amt 50 – Soziales", "m.brandt", 4),
        ],
    ),
    (
        "Barrierefreie Bushaltestellen im Kreisgebiet",
        "DS 10/0135",
        -15,
        ["FDP-Fraktion"],
        "Ausschuss für Mobilität",
        17,
        "scheduled",
        [
            ("Liste der nicht barrierefreien Haltestellen", "in_progress", "Amt 66 – Straßenbau", "t.schulte", -3),
            ("Zeitplan für den Umbau vorlegen", "open", "Amt 66 – Straßenbau", "", 21),
            ("Fördermittel des Landes prüfen", "open", "Amt 20 – Finanzen", "", 6),
        ],
    ),
    (
        "Anfrage: Stand des Breitbandausbaus in den Gewerbegebieten",
        "DS 10/0140",
        -9,
        ["Fraktion Die Linke"],
        "Kreisausschuss",
        None,
        "answered",
        [("Schriftliche Antwort an die Fraktion", "done", "Amt 61 – Kreisentwicklung", "", None)],
    ),
    (
        "Photovoltaik auf den Dächern der Kreisliegenschaften",
        "DS 10/0142",
        -4,
        ["Fraktion Bündnis 90/Die Grünen"],
        "Ausschuss für Umwelt und Klimaschutz",
        None,
        "received",
        [
            ("Eignung der Dachflächen prüfen lassen", "open", "Amt 70 – Umwelt", "", None),
            ("Wirtschaftlichkeit je Gebäude darstellen", "open", "Amt 20 – Finanzen", "", None),
        ],
    ),
)


def demo_motions(today: date) -> list[Motion]:
    """Made-up but realistic motions of a district council, dated around ``today``: departments,
    assignees, follow-up dates (some overdue, some due soon), meetings to come and past, several
    statuses, so that every view of the dashboard has something to show."""

    def day(offset: int | None) -> str | None:
        return None if offset is None else (today + timedelta(days=offset)).isoformat()

    motions = []
    for title, reference, submitted, groups, committee, meeting, status, items in _DEMO:
        data = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://sachstand.invalid/demo/{reference}")),
            "title": title,
            "reference": reference,
            "submitted": day(submitted),
            "submitted_by": groups,
            "committee": committee,
            "meeting": day(meeting),
            "status": status,
            "items": [
                {"number": n, "title": t, "status": s, "department": d, "assignee": a, "due": day(due)}
                for n, (t, s, d, a, due) in enumerate(items, start=1)
            ],
        }
        motions.append(Motion.from_dict(data, where="demo motion"))
    return motions
