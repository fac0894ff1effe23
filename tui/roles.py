"""The dashboard and its token's role (store/sync/access.py): what the role may not do is offered
disabled, with the reason.

The role is what the sync server last said of the token (``GET /me``, kept in the store, so it holds
offline too); without a sync server, or before the first sync, nothing is held back: the server decides
in the end, and a change it refuses shows in the sync conflicts. A widget or screen whose keys change
data answers :meth:`Gated.refusal`; its ``check_action`` then shows the key disabled in the footer and
the palette, and the app says the reason when the key is pressed anyway (:func:`explain`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from textual.actions import parse as parse_action

from store import Motion, Notice, Refusal, SachstandError, Who, add_catalog, field_refusal, plural, refusal_reason

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tui.app import SachstandApp


class Gated:
    """Mixin, before the Textual class among the bases: keys whose action the role may not make are
    shown disabled."""

    def refusal(self, action: str, parameters: tuple[object, ...]) -> Notice | None:
        """Why the role may not do ``action`` here and now; None if it may."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # With no role to ask (no sync server, not known yet, a clerk) nothing is refused, and no motion is read
        # for it: the footer checks every key at each redraw, and a read on the app's thread would take a whole
        # write there, ahead of the worker that reads it (tui/following.py).
        if who(cast(Any, self).app) is not None and self.refusal(action, parameters) is not None:
            return None  # shown, but disabled
        return super().check_action(action, parameters)  # type: ignore[misc]


def who(app: SachstandApp) -> Who | None:
    """Who the token is, as the server last said, if the rules may hold anything back; None: no sync
    server, not known yet, or a clerk (who may do everything). As the header's view has it: every key's check
    asks, and a read of the store here would read a whole write on the app's thread (tui/following.py)."""
    found = app.sync_view.who
    return None if found is None or found.changes_all else found


def item_refusal(app: SachstandApp, items: Iterable[tuple[str, int]], field: str | None) -> Notice | None:
    """Why the role may not change ``field`` of these items (None: the item form's fields at all)."""
    holder = who(app)
    if holder is None:
        return None
    for motion_id, number in items:
        try:
            doc = app.store.get(motion_id).to_dict()
        except SachstandError:
            continue
        found = field_refusal(doc, number, field or "status", holder)
        if found is not None:
            return found
    return None


def motion_refusal(app: SachstandApp, action: str, motion: Motion | None) -> Notice | None:
    """Why the role may not ``action`` ("add", "edit", "add_item", "delete") the motion."""
    holder = who(app)
    if holder is None:
        return None
    doc: dict[str, Any] = {} if motion is None else {**motion.to_dict(), "deleted": False}
    if action == "add":
        return refusal_reason(None, doc, holder)
    if action == "delete":
        return refusal_reason(doc, {**doc, "deleted": True}, holder)
    if action == "add_item":
        return field_refusal(doc, len(doc.get("items", ())) + 1, None, holder)
    return field_refusal(doc, None, None, holder)


def explain(app: SachstandApp, action: str, namespace: DOMNode | None) -> None:
    """A key whose action did not run: if the role is why, say so."""
    prefix, name, parameters = parse_action(action)
    target = app if prefix == "app" else app.screen if prefix == "screen" else namespace
    reason = target.refusal(name, parameters) if isinstance(target, Gated) else None
    if reason is not None:
        app.notify(refused_text(app, reason), severity="warning")


def tell_refused(app: SachstandApp, refused: Sequence[Refusal], automatic: bool) -> None:
    """After a sync: the changes the server refused, said when the user asked for the sync (an automatic
    one would repeat it every time; the header counts them with the conflicts)."""
    if refused and not automatic:
        first = refused[0]
        app.notify(
            app.t(
                plural(
                    "The server refused {count} change ({motion}: {reason}): press C to drop it.",
                    "The server refused {count} changes ({motion}: {reason}, ...): press C to drop them.",
                    len(refused),
                ),
                count=len(refused),
                motion=first.motion,
                reason=first.reason,
            ),
            severity="warning",
            timeout=12,
        )


def refused_text(app: SachstandApp, reason: Notice) -> str:
    """What the dashboard says of an edit the role may not make."""
    return app.t("Your role may not do this: {reason}", reason=reason.render(app.lang))


add_catalog(
    "de",
    {
        "Your role may not do this: {reason}": "Das darf Ihre Rolle nicht: {reason}",
        "The server refused {count} change ({motion}: {reason}): press C to drop it.": (
            "Der Server hat {count} Änderung abgelehnt ({motion}: {reason}): C drücken, um sie zu verwerfen."
        ),
        "The server refused {count} changes ({motion}: {reason}, ...): press C to drop them.": (
            "Der Server hat {count} Änderungen abgelehnt ({motion}: {reason}, ...): C drücken, um sie zu verwerfen."
        ),
    },
)
