"""The status reports given to committees, as recorded by ``sachstand export --record``.

A record is what the committee was told: the day, the committee, the meeting, and each item with its
status then. The next report of the committee leaves out the items its last mention reported done
(they were in an annex "done since the last report" once, and that is enough). Records live in the
data file's ``reports`` table beside the motions: this copy's, not synced to the server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from store.errors import BadInput, StoreFileError
from store.store import Store
from store.values import ItemStatus, iso_date, iso_timestamp, parse_date, parse_item_status, parse_timestamp

ItemKey = tuple[str, int]  # a motion's id, an item's number


@dataclass(frozen=True)
class RecordedReport:
    key: str
    number: int  # the store's running number of reports: their order, even within a second
    day: date
    committee: str
    meeting: date | None
    by: str
    at: datetime
    public: bool
    items: tuple[tuple[str, int, ItemStatus], ...]  # motion id, item number, status as reported

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "day": iso_date(self.day),
            "committee": self.committee,
            "meeting": iso_date(self.meeting),
            "by": self.by,
            "at": iso_timestamp(self.at),
            "public": self.public,
            "items": [
                {"motion": motion, "number": number, "status": status.value} for motion, number, status in self.items
            ],
        }

    @classmethod
    def from_dict(cls, key: str, data: Any, where: str) -> RecordedReport:
        try:
            day, at = parse_date(data["day"], where), parse_timestamp(data["at"], where)
            assert day is not None and at is not None
            items = tuple(
                (str(item["motion"]), int(item["number"]), parse_item_status(item["status"], where))
                for item in data["items"]
            )
            return cls(
                key,
                int(data["number"]),
                day,
                str(data["committee"]),
                parse_date(data.get("meeting"), where),
                str(data["by"]),
                at,
                bool(data["public"]),
                items,
            )
        except (KeyError, TypeError, ValueError, AssertionError, BadInput) as error:
            raise StoreFileError("{path}: {detail}", path=where, detail=f"broken report record ({error})") from None


def recorded_reports(store: Store) -> list[RecordedReport]:
    """Every recorded report, oldest first."""
    records = [
        RecordedReport.from_dict(key, data, f"{store.path}: report {key}")
        for key, data in store.report_records().items()
    ]
    return sorted(records, key=lambda record: record.number)


def last_statuses(records: Iterable[RecordedReport], committee: str) -> dict[ItemKey, ItemStatus]:
    """Each item's status in the latest report of ``committee`` that mentioned it."""
    statuses: dict[ItemKey, ItemStatus] = {}
    for record in sorted(records, key=lambda record: record.number):
        if record.committee == committee:
            statuses.update(((motion, number), status) for motion, number, status in record.items)
    return statuses


def record_reports(
    store: Store,
    sections: Sequence[tuple[str, Sequence[tuple[str, int, ItemStatus]]]],
    day: date,
    meeting: date | None,
    public: bool,
) -> list[RecordedReport]:
    """Remember one report per (committee, items) in one write, numbered after those recorded before."""
    at = store.clock()
    with store.transaction() as tx:
        first = max((record.number for record in recorded_reports(store)), default=0) + 1
        records = [
            RecordedReport(
                uuid.uuid4().hex, first + index, day, committee, meeting, store.user, at, public, tuple(items)
            )
            for index, (committee, items) in enumerate(sections)
        ]
        for record in records:
            tx.set_report(record.key, record.to_dict())
    return records
