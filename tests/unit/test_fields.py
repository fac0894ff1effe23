"""The field declarations: one per field, and what the model, the exports and the front ends take from them."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import FrozenInstanceError, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from store import (
    ITEM_FIELDS,
    MOTION_FIELDS,
    MOTION_FORM,
    BadInput,
    Item,
    ItemStatus,
    Kind,
    Motion,
    MotionStatus,
    example_motion,
    field_label,
)
from store.changes import BOOKKEEPING
from store.exchange import export
from store.fields import GERMAN, JSON, LETTER, OPARL, managed_fields
from store.i18n import has_translation, translate
from store.model import _quick_motion, replace_item, replace_motion
from store.values import LINE_LIMIT, TEXT_LIMIT, TITLE_LIMIT


def test_every_field_of_the_model_is_declared_once_in_order() -> None:
    assert sorted(MOTION_FIELDS) == sorted(field.name for field in dataclasses.fields(Motion))
    assert list(ITEM_FIELDS) == [field.name for field in dataclasses.fields(Item)]
    assert all(name == field.name for name, field in (*MOTION_FIELDS.items(), *ITEM_FIELDS.items()))


def test_to_dict_writes_the_declared_fields_in_their_order() -> None:
    motion = example_motion()
    assert list(motion.to_dict()) == list(MOTION_FIELDS)
    assert list(motion.items[0].to_dict()) == list(ITEM_FIELDS)


def test_every_label_heading_and_help_has_a_german_text() -> None:
    fields = [*MOTION_FIELDS.values(), *ITEM_FIELDS.values()]
    texts = [field.label for field in fields]
    texts += [field.column.heading for field in fields if field.column]
    texts += [field.option.help for field in fields if field.option]
    missing = [text for text in texts if not has_translation(text, "de")]
    assert not missing
    assert field_label("legal_basis", "de") == "Rechtsgrundlage"
    assert field_label("due", "de", item=True) == "Wiedervorlage"
    assert field_label("status", "en") == "Procedure"


def test_the_dashboard_takes_the_labels_from_the_declarations() -> None:
    # The catalogue is one dict: the dashboard's German repeats no label, heading or option help of a field.
    import tui.texts_de

    source = Path(tui.texts_de.__file__).read_text("utf-8")
    assert [msgid for msgid in GERMAN if json.dumps(msgid, ensure_ascii=False) + ":" in source] == []
    assert {msgid: translate(msgid, "de") for msgid in GERMAN} == GERMAN


def test_the_csv_columns_and_headings_come_from_the_declarations() -> None:
    declared = [field.column for field in (*MOTION_FIELDS.values(), *ITEM_FIELDS.values()) if field.column]
    assert tuple(column.name for column in declared) == export.CSV_COLUMNS
    table = export.export_csv([example_motion()], "de").decode("utf-8-sig")
    assert table.splitlines()[0] == ";".join(translate(column.heading, "de") for column in declared)
    report = export.export_markdown([example_motion()], "en", date(2020, 8, 1))
    for field in MOTION_FIELDS.values():
        if field.column and field.column.report and getattr(example_motion(), field.name):
            assert f"- {field.column.heading}: " in report


def test_limits_kinds_and_options() -> None:
    assert MOTION_FIELDS["title"].limit == TITLE_LIMIT and MOTION_FIELDS["title"].required
    assert MOTION_FIELDS["source"].limit == TEXT_LIMIT and MOTION_FIELDS["reference"].limit == LINE_LIMIT
    assert MOTION_FIELDS["status"].statuses is MotionStatus and ITEM_FIELDS["status"].statuses is ItemStatus
    flags = [field.option.flag for field in (*MOTION_FIELDS.values(), *ITEM_FIELDS.values()) if field.option]
    assert len(flags) == len(set(flags)) and "--legal-basis" in flags and "--non-public" in flags
    assert set(MOTION_FORM) <= set(MOTION_FIELDS) and len(set(MOTION_FORM)) == len(MOTION_FORM)


def test_what_importers_and_the_store_manage() -> None:
    assert set(managed_fields(LETTER)) == {
        "title",
        "reference",
        "submitted",
        "submitted_by",
        "addressed_to",
        "copy_to",
        "legal_basis",
        "committee",
        "meeting",
        "text",
    }
    assert set(managed_fields(OPARL)) == {
        "title",
        "reference",
        "submitted",
        "submitted_by",
        "source",
        "committee",
        "meeting",
        "source_deleted",
    }
    assert (
        set(managed_fields(JSON))
        == {name for name, field in MOTION_FIELDS.items() if field.editable}  # what Store.update_motion changes
        == set(MOTION_FIELDS) - {"id", "items", "created", "updated"}
    )
    assert {"created", "updated", "updated_by"} == BOOKKEEPING


# --- the quick path takes nothing the careful path refuses ---------------------------------


def _bad_values(kind: Kind, limit: int) -> list[Any]:
    text_faults = [7, None, "a\x00b", "\u202e", "x" * (limit + 1)]
    return {
        Kind.ID: ["not-a-uuid", 7, None, "6F1C0B8E-3F7E-4B7A-9A55-6D1F1C2A9E01"],
        Kind.LINE: [*text_faults, "two\nlines"],
        Kind.TEXT: text_faults,
        Kind.LINES: ["text", [""], ["a\nb"], [7], ["x" * (limit + 1)]],
        Kind.DATE: ["28.07.2020", "2020-02-30", 20200728, ""],
        Kind.MOMENT: ["2020-07-28", "2020-07-28T10:00:00", 7],
        Kind.BOOL: [0, "true", None],
        Kind.STATUS: ["closed", None, 1],
        Kind.ITEMS: ["items", {}],
        Kind.NUMBER: [0, True, "1", 2],
    }[kind]


def _cases() -> list[tuple[str, str | None, Any]]:
    cases: list[tuple[str, str | None, Any]] = []
    for name, field in MOTION_FIELDS.items():
        cases += [(name, None, value) for value in _bad_values(field.kind, field.limit)]
    for name, field in ITEM_FIELDS.items():
        cases += [(name, "item", value) for value in _bad_values(field.kind, field.limit)]
    return cases


@pytest.mark.parametrize("name, where, value", _cases())
def test_the_quick_path_refuses_what_the_careful_path_refuses(name: str, where: str | None, value: Any) -> None:
    data = example_motion().to_dict()
    if where == "item":
        data["items"][0][name] = value
    else:
        data[name] = value
    quick = _quick_motion(data, frozenset())
    try:
        careful = Motion.from_dict(data)
    except BadInput:
        assert quick is None
        with pytest.raises(BadInput):
            Motion.read(data)
    else:  # what the careful path accepts and mends (null for no reference, an id in capitals) quick leaves to it
        assert quick is None or quick == careful
        assert Motion.read(data) == (careful, data == careful.to_dict())


def test_the_quick_path_builds_what_the_careful_path_builds() -> None:
    data = example_motion().to_dict()
    data["items"][0].update(due="2020-09-01", updated="2020-08-01T10:00:00Z", note="Zeile 1\n\tZeile 2")
    data.update(copy_to=[], submitted_by=["A", "B"], source="x" * TEXT_LIMIT)
    quick = _quick_motion(data, frozenset())
    assert quick is not None and quick == Motion._checked(data, "motion", frozenset())


@pytest.mark.parametrize(
    "change, as_written",
    [
        ({"updated": "2020-08-01T12:00:00+02:00"}, False),
        ({"created": "2020-08-01T10:00:00.000Z"}, False),
        ({"submitted": "2020-08-01", "meeting": None}, True),
        ({"items": []}, True),
        ({"copy_to": ["B", "A"], "status": "decided"}, True),
    ],
)
def test_a_motion_read_says_whether_the_data_is_its_own_written_form(change: dict[str, Any], as_written: bool) -> None:
    """A sync server keeps a pushed document as it came when it equals the model's to_dict(), and only then."""
    data = {**example_motion().to_dict(), **change, "deleted": False}
    motion, canonical = Motion.read(data, ignore=frozenset({"deleted"}))
    assert motion == Motion.from_dict(data, ignore=frozenset({"deleted"}))
    written = {**motion.to_dict(), "deleted": False}
    assert canonical is as_written is (data == written)


def test_a_replaced_model_is_the_one_dataclasses_replace_makes() -> None:
    motion = example_motion()
    item = replace_item(motion.items[0], note="neu", due=None)
    assert item == replace(motion.items[0], note="neu", due=None) and type(item) is Item
    replaced = replace_motion(motion, title="Neu", items=(item,))
    assert replaced == replace(motion, title="Neu", items=(item,)) and type(replaced) is Motion
    assert replace_motion(motion) == motion and hash(replaced) == hash(replace(replaced))
    with pytest.raises(FrozenInstanceError):
        replaced.title = "x"  # type: ignore[misc]


# --- what a person types --------------------------------------------------------------------


def test_typed_values_are_read_by_their_field() -> None:
    motion, item = MOTION_FIELDS, ITEM_FIELDS
    assert motion["title"].parse("  Bäume  ", "--title") == "Bäume"
    assert motion["submitted_by"].parse(["CDU ", " SPD"], "--by") == ("CDU", "SPD")
    assert motion["copy_to"].parse("CDU, , SPD", "z. K.") == ("CDU", "SPD")
    assert motion["meeting"].parse("28.07.2020", "Sitzung") == date(2020, 7, 28)
    assert motion["meeting"].parse(" 1.8.2020 ", "--meeting") == date(2020, 8, 1)
    assert motion["meeting"].parse(" 2020-07-28 ", "--meeting") == date(2020, 7, 28)
    assert motion["meeting"].parse("", "--meeting") is None
    assert motion["status"].parse("beschlossen", "Verfahrensstand") is MotionStatus.DECIDED
    assert motion["public"].parse(False, "--non-public") is False
    assert motion["text"].parse("a\r\nb  \n", "--text") == "a\nb"
    assert item["status"].parse("in Bearbeitung", "STATUS") is ItemStatus.IN_PROGRESS
    assert item["department"].parse(" Amt 10 ", "--department") == "Amt 10"


@pytest.mark.parametrize(
    "name, value, where, message",
    [
        ("title", " ", "--title", "--title: must not be empty."),
        ("title", "x" * 501, "--title", "--title: longer than 500 characters."),
        ("submitted_by", [" "], "--by", "--by: must not be empty."),
        ("submitted", "2020-W31-2", "--submitted", "--submitted: expected a date DD.MM.YYYY or YYYY-MM-DD, got"),
        ("meeting", "31.02.2020", "Sitzung", "Sitzung: expected a date DD.MM.YYYY or YYYY-MM-DD, got '31.02.2020'."),
        ("meeting", "28.07.20", "Sitzung", "Sitzung: expected a date DD.MM.YYYY or YYYY-MM-DD, got '28.07.20'."),
        ("legal_basis", "a\x07", "--legal-basis", "--legal-basis: contains a control character (U+0007)"),
        ("status", "fertig", "Verfahrensstand", "Verfahrensstand: unknown status 'fertig'; allowed: received"),
    ],
)
def test_a_typed_value_that_does_not_fit_says_what_and_where(name: str, value: Any, where: str, message: str) -> None:
    with pytest.raises(BadInput) as raised:
        MOTION_FIELDS[name].parse(value, where)
    assert str(raised.value).startswith(message)


def test_values_are_shown_as_a_person_reads_them() -> None:
    motion = example_motion()
    assert MOTION_FIELDS["submitted"].show(motion.submitted, "de") == "28.07.2020"
    assert MOTION_FIELDS["submitted"].show(motion.submitted, "en") == "2020-07-28"
    assert MOTION_FIELDS["status"].show(MotionStatus.DECIDED, "de") == "beschlossen"
    assert MOTION_FIELDS["public"].show(True, "de") == "ja"
    assert MOTION_FIELDS["copy_to"].show(("A", "B"), "de") == "A, B"
    assert MOTION_FIELDS["legal_basis"].show("", "de") == ""


def test_history_and_conflicts_name_fields_by_their_labels() -> None:
    from store.history import FieldChange, HistoryEntry
    from tui.format import conflict_place, describe

    changes = [("public", True, False), ("status", "received", "decided"), ("items.2.due", "2020-07-28", None)]
    entry = HistoryEntry(
        1, datetime(2020, 7, 28, tzinfo=UTC), "anna", "m", "edit", tuple(FieldChange(*c) for c in changes)
    )
    assert describe(entry, "M", "de").endswith(
        "Öffentlich: ja → nein; Verfahrensstand: eingegangen → beschlossen; Punkt 2 Wiedervorlage: 28.07.2020 → –"
    )
    assert describe(entry, "M", "en").endswith(
        "Public: yes → no; Procedure: received → decided; item 2 Due: 2020-07-28 → –"
    )
    assert conflict_place("legal_basis", "en") == "motion: Legal basis"
    assert conflict_place("items.3.note", "de") == "Punkt 3: Sachstand"
    assert conflict_place("items.3.gone", "en") == "item 3: gone"  # a name from a newer peer, as it came
    # a damaged value (a date as a person would type it, not as the file keeps it) is shown as it stands
    damaged = HistoryEntry(
        2, datetime(2020, 7, 28, tzinfo=UTC), "anna", "m", "edit", (FieldChange("submitted", "31.12.2020", None),)
    )
    assert describe(damaged, "M", "de").endswith("Datum: 31.12.2020 → –")
