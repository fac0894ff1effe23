"""The example motion part-way through being answered: what screenshots and snapshot tests show,
and, moved to today and joined by more motions, what `sachstand demo` opens on.

Built through the store's public API with a fixed clock and user, so every
picture is the same on every machine and every run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from store import ItemStatus, Motion, MotionStatus, Store, demo_motions, example_motion, new_items

TODAY = date(2020, 11, 2)
_START = datetime(2020, 8, 3, 9, 0, tzinfo=UTC)
SECOND_ID = "3d5c2f0e-6a61-4d8e-9a3e-2f1b0c7d9e42"


def _ticks(moment: datetime) -> Iterator[datetime]:
    while True:
        yield moment
        moment += timedelta(days=3, hours=2, minutes=17)


def build_showcase(path: str | os.PathLike[str], user: str = "m.schmitz") -> Store:
    """A store at ``path`` holding the example motion and a second one, with some work done."""
    return _showcase(path, user, timedelta(0))


def build_demo(path: str | os.PathLike[str], user: str, today: date) -> None:
    """Write the demo's store to ``path``: the showcase moved to ``today`` (its meetings and follow-up
    dates as far from today as from TODAY), then the made-up motions of :func:`store.demo_motions`."""
    with _showcase(path, user, today - TODAY) as store:
        for motion in demo_motions(today):
            store.add_motion(motion)


def _showcase(path: str | os.PathLike[str], user: str, shift: timedelta) -> Store:
    clock = _ticks(_START + shift)
    store = Store(Path(path), user=user, clock=lambda: next(clock))

    def day(year: int, month: int, number: int) -> date:
        return date(year, month, number) + shift

    example = store.add_motion(example_motion())
    store.update_motion(example.id, status=MotionStatus.SCHEDULED, meeting=day(2020, 9, 15))
    store.set_item(
        example.id,
        1,
        status=ItemStatus.IN_PROGRESS,
        department="Amt 10 – Zentrale Dienste",
        due=day(2020, 9, 30),
        note="Die Vereinbarung mit den zehn kreisangehörigen Kommunen ist im Entwurf abgestimmt.",
    )
    store.set_item(
        example.id,
        2,
        status=ItemStatus.REPORTED,
        department="Amt 10 – Zentrale Dienste",
        note="Im Kreisausschuss am 15.09.2020 mündlich berichtet; 34 Verfahren sind online.",
    )
    store.set_item(
        example.id,
        3,
        status=ItemStatus.DONE,
        department="Amt 40 – Schulen",
        note="Alle 38 Schulen haben ihre Mittel aus dem Digitalpakt beantragt.\nDie Ausstattung ist geliefert.",
    )
    store.set_item(example.id, 4, department="Amt 10 – Zentrale Dienste", due=day(2020, 10, 15))
    store.set_item(
        example.id,
        5,
        status=ItemStatus.DEFERRED,
        department="Amt 61 – Kreisentwicklung",
        note="Zurückgestellt bis zur Entscheidung über die Förderrichtlinie des Bundes.",
    )
    store.add_motion(
        Motion(
            id=SECOND_ID,
            title="Sichere Radwege zu den weiterführenden Schulen",
            reference="DS 10/0123",
            submitted=day(2020, 10, 5),
            submitted_by=("SPD-Fraktion", "Fraktion Bündnis 90/Die Grünen"),
            committee="Ausschuss für Mobilität",
            meeting=day(2020, 11, 19),
            status=MotionStatus.SCHEDULED,
            legal_basis="§ 5 GeschO",
            items=new_items(["Bestandsaufnahme der Schulwege", "Förderanträge beim Land stellen"]),
        )
    )
    store.set_item(SECOND_ID, 1, status=ItemStatus.IN_PROGRESS, department="Amt 66 – Straßenbau", due=day(2020, 12, 1))
    return store
