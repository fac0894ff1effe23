"""The domain model: statuses, labels, validation at the edges."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import UTC, date

import pytest

from store import BadInput, Item, ItemStatus, Motion, MotionStatus, label, parse_date, parse_item_status
from store.example import example_motion
from store.values import (
    CONTROL_IN_LINE,
    Remembered,
    canonical_moment_of,
    date_of,
    iso_timestamp,
    moment_of,
    parse_motion_status,
)


def test_item_statuses_have_fixed_machine_names_and_two_languages() -> None:
    assert [status.value for status in ItemStatus] == ["open", "in_progress", "reported", "done", "deferred"]
    assert [label(status, "de") for status in ItemStatus] == [
        "offen",
        "in Bearbeitung",
        "berichtet",
        "erledigt",
        "zurückgestellt",
    ]
    assert [label(status, "en") for status in ItemStatus] == ["open", "in progress", "reported", "done", "deferred"]


def test_motion_statuses() -> None:
    assert [status.value for status in MotionStatus] == [
        "received",
        "scheduled",
        "decided",
        "rejected",
        "answered",
        "withdrawn",
    ]


@pytest.mark.parametrize("text", ["done", "DONE", "erledigt", "Erledigt", " done "])
def test_a_status_is_read_from_its_name_or_either_label(text: str) -> None:
    assert parse_item_status(text) is ItemStatus.DONE


@pytest.mark.parametrize("text", ["in_progress", "in-progress", "in progress", "In Bearbeitung"])
def test_multi_word_statuses(text: str) -> None:
    assert parse_item_status(text) is ItemStatus.IN_PROGRESS


def test_a_wrong_status_lists_the_allowed_ones() -> None:
    with pytest.raises(BadInput) as wrong:
        parse_item_status("fertig", "STATUS")
    assert str(wrong.value) == "STATUS: unknown status 'fertig'; allowed: open, in_progress, reported, done, deferred."
    assert "unbekannter Status" in wrong.value.render("de")
    with pytest.raises(BadInput, match="received, scheduled"):
        parse_motion_status("open")


@pytest.mark.parametrize("text", ["28.07.2020", "2020-13-01", "2020-7-28", "gestern", "2020-07-28T10:00"])
def test_dates_must_be_iso(text: str) -> None:
    with pytest.raises(BadInput, match="--due: expected a date YYYY-MM-DD"):
        parse_date(text, "--due")


def test_round_trip_of_every_field() -> None:
    motion = Motion.from_dict(
        {
            "id": "6f1c0b8e-3f7e-4b7a-9a55-6d1f1c2a9e01",
            "reference": "DS 1/2020",
            "title": "Titel",
            "submitted": "2020-07-28",
            "submitted_by": ["Fraktion der CDU"],
            "addressed_to": "Landrat",
            "copy_to": ["SPD-Fraktion"],
            "committee": "Kreisausschuss",
            "legal_basis": "§ 5 GeschO",
            "meeting": "2020-09-01",
            "public": False,
            "status": "scheduled",
            "text": "Zeile 1\nZeile 2\tmit Tab",
            "source": "https://example.org/antrag",
            "created": "2020-07-29T08:00:00Z",
            "updated": "2020-07-30T08:00:00+02:00",
            "items": [
                {
                    "number": 1,
                    "title": "Portal",
                    "status": "reported",
                    "department": "Amt 10",
                    "assignee": "Frau A",
                    "due": "2020-10-01",
                    "note": "berichtet",
                    "updated": "2020-07-30T06:00:00Z",
                    "updated_by": "anna",
                },
            ],
        }
    )
    assert motion.submitted == date(2020, 7, 28)
    assert motion.items[0] == Item(
        number=1,
        title="Portal",
        status=ItemStatus.REPORTED,
        department="Amt 10",
        assignee="Frau A",
        due=date(2020, 10, 1),
        note="berichtet",
        updated=motion.items[0].updated,
        updated_by="anna",
    )
    assert Motion.from_dict(motion.to_dict()) == motion
    assert motion.to_dict()["updated"] == "2020-07-30T06:00:00Z"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"id": "nope"}, "motion.id: expected a UUID"),
        ({"color": "red"}, "unknown field 'color'"),
        ({"submitted_by": "CDU"}, "motion.submitted_by: expected a list of texts"),
        ({"public": "ja"}, "motion.public: expected true or false"),
        ({"items": [{"number": 2, "title": "x"}]}, "item numbers must be 1, 2, 3"),
        ({"items": [{"number": 1, "title": "x", "status": "fertig"}]}, "motion.items[0].status: unknown status"),
        ({"items": [{"number": 0, "title": "x"}]}, "motion.items[0].number: expected an item number"),
        ({"items": [{"number": 1}]}, "motion.items[0]: missing field title"),
        ({"updated": "gestern"}, "motion.updated: expected a date and time"),
    ],
)
def test_validation_says_what_and_where(change: dict, message: str) -> None:
    data = {"id": "6f1c0b8e-3f7e-4b7a-9a55-6d1f1c2a9e01", "title": "T", **change}
    with pytest.raises(BadInput) as invalid:
        Motion.from_dict(data)
    assert message in str(invalid.value)


def test_progress_counts_done_items() -> None:
    motion = Motion(
        id="6f1c0b8e-3f7e-4b7a-9a55-6d1f1c2a9e01",
        title="T",
        items=(Item(1, "a", ItemStatus.DONE), Item(2, "b", ItemStatus.REPORTED), Item(3, "c")),
    )
    assert motion.progress() == (1, 3)


def test_a_motion_read_from_a_file_is_a_frozen_model_like_any_other() -> None:
    """The quick reading fills a plain twin of each class and then gives it the model's class."""
    made = example_motion()
    read = Motion.from_dict(made.to_dict())
    assert type(read) is Motion and all(type(item) is Item for item in read.items)
    assert read == made and hash(read) == hash(made) and read.items[0] == made.items[0]
    with pytest.raises(FrozenInstanceError):
        read.title = "changed"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        read.items[0].status = ItemStatus.DONE  # type: ignore[misc]
    assert replace(read, title="Neu").title == "Neu" and read.title == made.title


def test_every_character_a_line_refuses_is_unprintable() -> None:
    """The quick reading passes a motion's one-line texts when they are printable all through (store/model.py)."""
    assert not any(CONTROL_IN_LINE.match(chr(code)) and chr(code).isprintable() for code in range(0x110000))


STAMPS = [
    "2020-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "1000-01-01T00:00:00Z",
    "2024-02-29T12:30:45Z",
    "2023-02-29T12:30:45Z",  # no such day
    "0999-01-01T00:00:00Z",  # written without its leading zero
    "2020-01-01T24:00:00Z",
    "2020-01-01T00:00:60Z",
    "2020-01-01T00:00:00+00:00",
    "2020-01-01T01:00:00+01:00",
    "2020-01-01T00:00:00.500Z",
    "2020-01-01T00:00Z",
    "2020-01-01 00:00:00Z",
    "2020-01-01T00:00:00z",
    "2020-01-01T00:00:00",
    "2020-1-01T00:00:00Z",
    "2\u0660\u0662\u0660-01-01T00:00:00Z",  # other digits: what fromisoformat might read, but never writes
    "2020-01-01T00:00:00Z\n",
    " 2020-01-01T00:00:00Z",
    "",
]


@pytest.mark.parametrize("text", STAMPS)
def test_a_stamp_is_canonical_exactly_when_its_moment_is_written_so_again(text: str) -> None:
    """canonical_moment_of checks the form instead of writing the moment again (store/values.py): the same answers."""
    moment = moment_of(text)
    written_so = moment is not None and iso_timestamp(moment) == text
    assert (canonical_moment_of(text) is not None) is written_so
    if written_so:
        assert canonical_moment_of(text) == moment and canonical_moment_of(text).tzinfo is UTC


def test_a_reader_of_days_shares_its_answers_and_starts_afresh_when_full() -> None:
    """store/values.py Remembered: the models share one object per day; what names no day is not kept."""
    read: list[str] = []

    def day(text: str) -> date | None:
        read.append(text)
        return date_of.learn(text)

    reader = Remembered(day, keep=2)
    assert reader("2020-01-01") is reader("2020-01-01") and read == ["2020-01-01"]
    assert reader("1. Januar") is None and reader("1. Januar") is None and read.count("1. Januar") == 2
    reader("2020-01-02")
    reader("2020-01-03")  # a third: the two kept are let go of first
    assert reader.known("2020-01-01") is None and reader.known("2020-01-03") == date(2020, 1, 3)
