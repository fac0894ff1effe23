"""Synthetic but realistic motions, for trying and measuring Sachstand at the scale of a large city."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from store.model import Item, Motion, replace_item
from store.values import ItemStatus, MotionStatus

GROUPS = (
    "Fraktion der CDU",
    "SPD-Fraktion",
    "Fraktion Bündnis 90/Die Grünen",
    "FDP-Fraktion",
    "Fraktion Die Linke",
    "AfD-Fraktion",
    "Fraktion FW",
    "Gruppe Die PARTEI",
)
COMMITTEES = (
    "Kreisausschuss",
    "Ausschuss für Schule und Bildung",
    "Ausschuss für Umwelt und Klimaschutz",
    "Ausschuss für Mobilität",
    "Sozialausschuss",
    "Finanzausschuss",
    "Bauausschuss",
    "Kulturausschuss",
)
DEPARTMENTS = (
    "Amt 10 – Zentrale Dienste",
    "Amt 20 – Finanzen",
    "Amt 32 – Ordnung",
    "Amt 40 – Schulen",
    "Amt 50 – Soziales",
    "Amt 51 – Jugend",
    "Amt 61 – Kreisentwicklung",
    "Amt 66 – Straßenbau",
    "Amt 70 – Umwelt",
    "Amt 80 – Wirtschaftsförderung",
)
SUBJECTS = (
    "des Radwegenetzes",
    "der Schulgebäude",
    "der Digitalisierung der Verwaltung",
    "der ÖPNV-Anbindung der Ortsteile",
    "des Klimaschutzkonzepts",
    "des Breitbandausbaus",
    "der Kita-Plätze",
    "des Pflegeangebots",
    "des Hochwasserschutzes",
    "der Ehrenamtsförderung",
    "der Sportstätten",
    "der Straßenbeleuchtung",
    "des Tourismuskonzepts",
    "der medizinischen Versorgung im ländlichen Raum",
    "der Integration Geflüchteter",
    "der Wirtschaftsförderung",
)
TITLES = (
    "Aktueller Stand {subject}",
    "Bericht zur Entwicklung {subject}",
    "Maßnahmen zur Verbesserung {subject}",
    "Sachstand und Finanzierung {subject}",
    "Prüfauftrag zur Weiterentwicklung {subject}",
)
ITEMS = (
    "Bestandsaufnahme {subject}",
    "Darstellung der Kosten {subject}",
    "Zeitplan für die Umsetzung",
    "Prüfung von Fördermitteln des Landes und des Bundes",
    "Beteiligung der kreisangehörigen Kommunen",
    "Bericht über die Erfahrungen anderer Kreise",
    "Einbindung der Bürgerinnen und Bürger",
    "Auswirkungen auf den Stellenplan",
    "Vorschläge für die nächsten Schritte",
)
SENTENCES = (
    "Die Verwaltung hat die Unterlagen zusammengestellt.",
    "Eine Abstimmung mit den Kommunen ist erfolgt.",
    "Der Förderantrag wurde fristgerecht gestellt.",
    "Die Ausschreibung ist in Vorbereitung.",
    "Die Ergebnisse werden in der nächsten Sitzung vorgestellt.",
    "Es liegen noch nicht alle Zahlen vor.",
    "Ein externes Gutachten wurde beauftragt.",
    "Die Finanzierung ist im Haushalt berücksichtigt.",
    "Die Umsetzung verzögert sich wegen Lieferschwierigkeiten.",
    "Die Maßnahme ist abgeschlossen.",
)
CLERKS = ("mueller", "schmidt", "yilmaz", "weber", "krause.amt40", "hoffmann.amt66")
OFFICE_HOURS = 10 * 3600  # seconds from 7:00 within which motions are recorded and items set
EDITED = 0.8  # of the items past "open": stamped by the edit that set them
MEETING_INTERVAL = 42  # days: each committee meets every six weeks, on a schedule of its own

_STATUS_WEIGHTS = {
    ItemStatus.OPEN: 30,
    ItemStatus.IN_PROGRESS: 25,
    ItemStatus.REPORTED: 15,
    ItemStatus.DONE: 25,
    ItemStatus.DEFERRED: 5,
}


def generate_motions(count: int, *, seed: int = 2020, today: date | None = None) -> Iterator[Motion]:
    """``count`` motions spread over the years before ``today``, the same for the same seed."""
    rng = random.Random(seed)
    clock = random.Random(f"{seed} stamps")  # of its own: the motions' other values stay as they were for a seed
    today = today or date.today()
    first = today - timedelta(days=365 * 10)
    statuses, weights = zip(*_STATUS_WEIGHTS.items())
    for number in range(1, count + 1):
        subject = rng.choice(SUBJECTS)
        submitted = first + timedelta(days=rng.randrange((today - first).days))
        items = tuple(
            Item(
                number=index,
                title=rng.choice(ITEMS).format(subject=subject),
                status=rng.choices(statuses, weights)[0],
                department=rng.choice(DEPARTMENTS),
                due=submitted + timedelta(days=rng.randrange(30, 400)) if rng.random() < 0.7 else None,
                note=" ".join(rng.sample(SENTENCES, rng.randrange(0, 4))),
            )
            for index in range(1, rng.randrange(1, 9) + 1)
        )
        committee = rng.randrange(len(COMMITTEES))
        meeting = _next_meeting(first, committee, submitted + timedelta(days=14)) if rng.random() < 0.6 else None
        yield Motion(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            title=rng.choice(TITLES).format(subject=subject),
            reference=f"DS {submitted.year % 100:02d}/{number:05d}",
            items=_edited(items, clock, submitted, today),
            submitted=submitted,
            submitted_by=tuple(rng.sample(GROUPS, rng.choice((1, 1, 1, 2, 3)))),
            committee=COMMITTEES[committee],
            meeting=meeting,
            status=rng.choice(tuple(MotionStatus)) if meeting and meeting < today else MotionStatus.RECEIVED,
            text="Die Verwaltung wird gebeten, zu berichten. " + " ".join(rng.sample(SENTENCES, 2)),
            created=_office_moment(submitted, clock),
        )


def _edited(items: tuple[Item, ...], clock: random.Random, recorded: date, today: date) -> tuple[Item, ...]:
    """``items``, those past "open" mostly stamped by the clerk who last set them, each in office hours on a day
    of its own after the motion was ``recorded`` and before ``today``: a real store's edit times seldom recur,
    and reading each costs (with one stamp for all, a sync's checks measured half their cost)."""
    days = (today - recorded).days
    return tuple(
        replace_item(
            item,
            updated=_office_moment(recorded + timedelta(days=clock.randrange(1, days)), clock),
            updated_by=clock.choice(CLERKS),
        )
        if item.status is not ItemStatus.OPEN and days > 1 and clock.random() < EDITED
        else item
        for item in items
    )


def _office_moment(day: date, clock: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, 7, tzinfo=UTC) + timedelta(seconds=clock.randrange(OFFICE_HOURS))


def _next_meeting(first: date, committee: int, earliest: date) -> date:
    """The committee's first meeting on or after ``earliest``: motions go to the meetings a council
    holds, so a store has a few hundred meetings, each with its agenda, not a date per motion."""
    start = first + timedelta(days=5 * committee)  # the committees do not all meet on one day
    meetings_before = max(0, -(-(earliest - start).days // MEETING_INTERVAL))
    return start + timedelta(days=MEETING_INTERVAL * meetings_before)
