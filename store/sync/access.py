"""Who may read and change what on the sync server: the roles of tokens, as pure rules.

- ``clerk``: reads and changes every motion of its body, public and non-public;
- ``department``: reads the public motions and the non-public ones that have an item of its departments;
  changes only those items' status, Sachstand (note), assignee and follow-up date: not an item's department
  or title, no motion field, no motion or item added or removed;
- ``reader``: reads the public motions; changes nothing.

The server applies them to every page of the feed and every pushed document (store/sync/server.py,
store/sync/backend.py); the dashboard asks the same rules before it offers an edit, so what it refuses
and what the server refuses are one thing. Documents are motions as ``Motion.to_dict()`` writes them,
plus ``"deleted"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from store import changes as changeset
from store.errors import BadInput
from store.i18n import Notice, add_catalog

CLERK, DEPARTMENT, READER = "clerk", "department", "reader"
ROLES = (CLERK, DEPARTMENT, READER)
# The item fields a department changes on its own items: status, Sachstand, assignee, follow-up date.
DEPARTMENT_FIELDS = frozenset({"status", "note", "assignee", "due"})

Doc = Mapping[str, Any]


@dataclass(frozen=True)
class Who:
    """A token's holder: the user the history records, the role, and (role department) its departments."""

    user: str
    role: str = CLERK
    departments: tuple[str, ...] = ()

    @property
    def changes_all(self) -> bool:
        """Whether it may change everything (a clerk): then no rule needs asking."""
        return self.role == CLERK

    def to_dict(self) -> dict[str, Any]:
        """As ``GET /api/v1/me`` answers."""
        return {"user": self.user, "role": self.role, "departments": list(self.departments)}


def checked_role(role: str, departments: Sequence[str], where: str = "--role") -> tuple[str, tuple[str, ...]]:
    """A role and its departments as a token keeps them; a department role needs one department at least,
    the others take none."""
    if role not in ROLES:
        raise BadInput(
            "{where}: expected one of {allowed}, got {value}.", where=where, allowed=", ".join(ROLES), value=repr(role)
        )
    cleaned = tuple(dict.fromkeys(department.strip() for department in departments))
    if any(not department or not department.isprintable() for department in cleaned):
        raise BadInput("{where}: a department is one line of text, not empty.", where="--department")
    if role == DEPARTMENT and not cleaned:
        raise BadInput("{where}: the role department needs at least one --department.", where="--department")
    if role != DEPARTMENT and cleaned:
        raise BadInput(
            "{where}: only the role department has departments (this token's role: {role}).",
            where="--department",
            role=role,
        )
    return role, cleaned


def may_read(doc: Doc, who: Who) -> bool:
    """Whether ``who`` may read the motion ``doc``."""
    if who.role == CLERK or doc.get("public", True):
        return True
    return who.role == DEPARTMENT and any(_own(item, who) for item in doc.get("items") or ())


def may_edit_item(doc: Doc, number: int, who: Who) -> bool:
    """Whether ``who`` may change the department fields (status, Sachstand, ...) of item ``number``."""
    if who.role == CLERK:
        return True
    item = changeset.value_at(doc, f"items.{number}")
    return who.role == DEPARTMENT and item is not None and _own(item, who)


def refusal_reason(before: Doc | None, after: Doc, who: Who) -> Notice | None:
    """Why ``who`` may not turn ``before`` (the server's document, None if it has none) into ``after``;
    None if it may. ``before`` is read as the base of the change: a push based on another revision is a
    conflict, decided before this is asked."""
    if who.role == CLERK:
        return None
    if before is not None and not may_read(before, who):
        return Notice("the token may not read this motion")
    if who.role == READER:
        return Notice("the role reader changes nothing")
    if before is None:
        return Notice("a department does not add motions")
    if bool(before.get("deleted")) != bool(after.get("deleted")):
        return Notice("a department does not delete or restore motions")
    return _department_refusal(before, changeset.diff(before, after), who)


def field_refusal(doc: Doc, number: int | None, field: str | None, who: Who) -> Notice | None:
    """Why ``who`` may not change ``field`` of item ``number`` (None: a field of the motion, or with field
    None too the motion's fields at all; field None: add or remove the item) in ``doc``; None if it may.
    What the dashboard asks before it offers an edit."""
    if who.role == CLERK:
        return None
    if who.role == READER:
        return Notice("the role reader changes nothing")
    if number is None and field is None:
        return Notice("a department does not change the motion's fields")
    path = field if number is None else f"items.{number}" + (f".{field}" if field else "")
    return _department_refusal(doc, [[str(path), None, None]], who)


def _department_refusal(before: Doc, changes: Iterable[Sequence[Any]], who: Who) -> Notice | None:
    for path, *_values in changes:
        number, name = changeset.split(path)
        if number is None:
            if name == "deleted":
                return Notice("a department does not delete or restore motions")
            return Notice("a department does not change the motion's fields ({field})", {"field": name})
        if name is None:
            return Notice("a department does not add or remove items (item {number})", {"number": number})
        item = changeset.value_at(before, f"items.{number}") or {}
        if not _own(item, who):
            return Notice(
                "item {number} belongs to {department}, not to {departments}",
                {
                    "number": number,
                    "department": item.get("department") or "-",
                    "departments": ", ".join(who.departments),
                },
            )
        if name not in DEPARTMENT_FIELDS:
            return Notice(
                "a department does not change an item's {field} (item {number})", {"field": name, "number": number}
            )
    return None


def _own(item: Doc, who: Who) -> bool:
    return bool(item.get("department")) and item.get("department") in who.departments


add_catalog(
    "de",
    {
        "{where}: expected one of {allowed}, got {value}.": "{where}: erwartet eines von {allowed}, erhalten: {value}.",
        "{where}: a department is one line of text, not empty.": "{where}: ein Amt ist eine Zeile Text, nicht leer.",
        "{where}: the role department needs at least one --department.": "{where}: die Rolle department braucht mindestens ein --department.",
        "{where}: only the role department has departments (this token's role: {role}).": "{where}: nur die Rolle department hat Ämter (die Rolle dieses Tokens: {role}).",
        "the token may not read this motion": "das Token darf diesen Antrag nicht lesen",
        "the role reader changes nothing": "die Rolle Lesen ändert nichts",
        "a department does not add motions": "ein Amt legt keine Anträge an",
        "a department does not delete or restore motions": "ein Amt löscht keine Anträge und stellt keine wieder her",
        "a department does not change the motion's fields ({field})": "ein Amt ändert keine Felder des Antrags ({field})",
        "a department does not change the motion's fields": "ein Amt ändert keine Felder des Antrags",
        "a department does not add or remove items (item {number})": "ein Amt fügt keine Punkte hinzu und entfernt keine (Punkt {number})",
        "item {number} belongs to {department}, not to {departments}": "Punkt {number} gehört zu {department}, nicht zu {departments}",
        "a department does not change an item's {field} (item {number})": "ein Amt ändert nicht das Feld {field} eines Punktes (Punkt {number})",
    },
)
