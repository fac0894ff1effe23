"""The roles' read and change rules (store/sync/access.py), on plain documents."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from store.errors import BadInput
from store.sync.access import CLERK, DEPARTMENT, READER, Who, checked_role, field_refusal, may_read, refusal_reason

CLERK_WHO = Who("anna")
AMT10 = Who("amt10", DEPARTMENT, ("Amt 10",))
READER_WHO = Who("fraktion", READER)


def motion(public: bool = True) -> dict[str, Any]:
    items = [
        {"number": 1, "title": "Prüfen", "status": "open", "department": "Amt 10", "assignee": "", "note": ""},
        {"number": 2, "title": "Berichten", "status": "open", "department": "Amt 20", "assignee": "", "note": ""},
    ]
    return {"id": "m1", "title": "Radweg", "public": public, "items": items, "deleted": False}


def changed(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    after = copy.deepcopy(doc)
    if path.startswith("items."):
        _, number, name = path.split(".")
        after["items"][int(number) - 1][name] = value
    else:
        after[path] = value
    return after


def test_who_reads_what() -> None:
    only_amt20 = {**motion(public=False), "items": motion()["items"][1:]}
    assert all(may_read(motion(), who) for who in (CLERK_WHO, AMT10, READER_WHO))
    assert may_read(motion(public=False), CLERK_WHO) and may_read(motion(public=False), AMT10)
    assert not may_read(motion(public=False), READER_WHO)
    assert not may_read(only_amt20, AMT10) and may_read(only_amt20, Who("amt20", DEPARTMENT, ("Amt 20",)))


@pytest.mark.parametrize(
    ("path", "value", "amt10"),
    [
        ("items.1.status", "done", None),
        ("items.1.note", "Läuft", None),
        ("items.1.assignee", "Frau B.", None),
        ("items.1.due", "2026-12-31", None),
        ("items.2.status", "done", "item {number} belongs to {department}, not to {departments}"),
        ("items.1.department", "Amt 20", "a department does not change an item's {field} (item {number})"),
        ("items.1.title", "Anders", "a department does not change an item's {field} (item {number})"),
        ("title", "Anders", "a department does not change the motion's fields ({field})"),
        ("public", False, "a department does not change the motion's fields ({field})"),
        ("deleted", True, "a department does not delete or restore motions"),
    ],
)
def test_who_changes_what(path: str, value: Any, amt10: str | None) -> None:
    before = motion()
    after = changed(before, path, value)
    assert refusal_reason(before, after, CLERK_WHO) is None
    reason = refusal_reason(before, after, AMT10)
    assert (reason.msgid if reason else None) == amt10
    assert refusal_reason(before, after, READER_WHO) is not None
    assert refusal_reason(before, before, AMT10) is None  # nothing changed: nothing to refuse


def test_adding_and_removing() -> None:
    before = motion()
    fewer = {**before, "items": before["items"][:1]}
    assert refusal_reason(None, before, CLERK_WHO) is None
    assert refusal_reason(None, before, AMT10) is not None and refusal_reason(None, before, READER_WHO) is not None
    reason = refusal_reason(before, fewer, AMT10)
    assert reason is not None and reason.render("en") == "a department does not add or remove items (item 2)"
    assert reason.render("de") == "ein Amt fügt keine Punkte hinzu und entfernt keine (Punkt 2)"
    hidden = motion(public=False)
    assert refusal_reason(hidden, changed(hidden, "items.1.status", "done"), READER_WHO) is not None


def test_field_refusal_is_what_the_dashboard_asks() -> None:
    doc = motion()
    assert field_refusal(doc, 1, "status", AMT10) is None
    assert field_refusal(doc, 2, "status", AMT10) is not None
    assert field_refusal(doc, None, "title", AMT10) is not None
    assert field_refusal(doc, 1, "department", AMT10) is not None
    assert field_refusal(doc, None, "title", CLERK_WHO) is None
    assert field_refusal(doc, 1, "status", READER_WHO) is not None


def test_roles_and_departments_are_checked() -> None:
    assert checked_role(DEPARTMENT, ["Amt 10", " Amt 10 ", "Amt 20"]) == (DEPARTMENT, ("Amt 10", "Amt 20"))
    assert checked_role(CLERK, []) == (CLERK, ())
    for role, departments in (("boss", []), (DEPARTMENT, []), (READER, ["Amt 10"]), (DEPARTMENT, [" "])):
        with pytest.raises(BadInput):
            checked_role(role, departments)
