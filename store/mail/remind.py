"""``sachstand remind``: each department one e-mail with its items that are due, the list attached to fill in.

:func:`plan` chooses (overdue or due within ``remind_days``, or every open item with ``every``; an item
reminded for its present follow-up date already is left out, unless ``every``); :func:`compose` writes one
message per department; :func:`send` delivers each over its own SMTP connection and records it as sent only
once the server took it (store/mail/record.py), so a department whose delivery failed is reminded next run.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from store.config import SMTP_PASSWORD, Smtp
from store.errors import ConfigError, SachstandError
from store.exchange.export import export_csv
from store.i18n import Msg, Notice, add_catalog, plural, translate
from store.mail.record import record_sent, reminded
from store.model import Motion
from store.queries import ItemOf, open_items_by_department
from store.store import Store
from store.values import day_text, label


@dataclass(frozen=True)
class Reminder:
    """One department's message: its items (overdue first) and where it goes (None: no address configured)."""

    department: str
    address: str | None
    pairs: list[ItemOf]


def plan(
    store: Store,
    departments: Mapping[str, str],
    today: date,
    days: int,
    *,
    every: bool = False,
    department: str | None = None,
) -> list[Reminder]:
    """The messages to send today, a department at a time in alphabetical order (items of no department last)."""
    documents = store.documents()
    until = today + timedelta(days=days)
    addresses = {_folded(name): address for name, address in departments.items()}
    wanted = _folded(department) if department is not None else None
    reminders = []
    for name, pairs in open_items_by_department(store.motions(), today):
        if wanted is not None and _folded(name) != wanted:
            continue
        due = [
            (motion, item)
            for motion, item in pairs
            if every or (item.due is not None and item.due <= until and not reminded(documents.get(motion.id), item))
        ]
        if due:
            reminders.append(Reminder(name, addresses.get(_folded(name)) if name else None, due))
    return reminders


def _folded(department: str) -> str:
    return " ".join(department.split()).casefold()


def compose(reminder: Reminder, sender: str, lang: str, today: date) -> EmailMessage:
    """The message to one department: a line per item, the list attached as the export's German CSV."""
    assert reminder.address is not None
    t = translate
    message = EmailMessage()
    message["From"] = sender
    message["To"] = reminder.address
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    count = len(reminder.pairs)
    message["Subject"] = t(
        plural("Follow-up: {count} item of {department}", "Follow-up: {count} items of {department}", count),
        lang,
        count=count,
        department=reminder.department,
    )
    message.set_content(_body(reminder, lang, today))
    name = "-".join(re.findall(r"[\w]+", reminder.department.casefold(), re.ASCII)) or "items"
    message.add_attachment(
        export_csv(_chosen(reminder.pairs), lang),
        maintype="text",
        subtype="csv",
        filename=f"{t('follow-up', lang)}-{name}-{today.isoformat()}.csv",
    )
    return message


def _body(reminder: Reminder, lang: str, today: date) -> str:
    def t(msgid: str, **params: object) -> str:
        return translate(msgid, lang, **params)

    lines = [t("Dear colleagues,"), "", t("please report the status of these items by their follow-up date:"), ""]
    for motion, item in reminder.pairs:
        due = day_text(item.due, lang) if item.due else "–"
        overdue = f" ({t('overdue')})" if item.is_overdue(today) else ""
        head = f"{motion.reference} – {motion.title}" if motion.reference else motion.title
        lines += [
            f"* {head}",
            f"  {item.number}. {item.title}",
            f"  {t('Status')}: {label(item.status, lang)} · {t('Follow-up date')}: {due}{overdue}",
            f"  {t('Sachstand')}: {' '.join(item.note.split()) or '–'}",
            "",
        ]
    lines += [t("Fill in the columns Status and Sachstand of the attached list and send it back."), ""]
    return "\n".join(lines)


def _chosen(pairs: Sequence[ItemOf]) -> list[Motion]:
    """The motions with only the items chosen, in the order they first come (overdue first)."""
    chosen: dict[str, Motion] = {}
    for motion, item in pairs:
        kept = chosen.get(motion.id)
        chosen[motion.id] = replace(motion, items=(*(kept.items if kept else ()), item))
    return list(chosen.values())


@dataclass(frozen=True)
class Outcome:
    """What became of one department's message: sent, or why not (error)."""

    reminder: Reminder
    error: Notice | None = None


def send(
    store: Store,
    reminders: Sequence[Reminder],
    smtp: Smtp,
    lang: str,
    today: date,
    *,
    environ: Mapping[str, str] | None = None,
    context: ssl.SSLContext | None = None,
) -> list[Outcome]:
    """Send each reminder over a connection of its own and record it once the server took it; a failure
    (no address, refused, a server that hangs past smtp.timeout) leaves that department unrecorded."""
    password = (os.environ if environ is None else environ).get(SMTP_PASSWORD) or ""
    if smtp.user and not password:
        raise ConfigError(
            "[smtp] logs in as {user}: set the password in {variable}.", user=smtp.user, variable=SMTP_PASSWORD
        )
    outcomes = []
    for reminder in reminders:
        if reminder.address is None:
            outcomes.append(Outcome(reminder, _no_address(reminder)))
            continue
        try:
            _deliver(compose(reminder, smtp.sender, lang, today), smtp, password, context)
        except (OSError, smtplib.SMTPException) as error:
            outcomes.append(Outcome(reminder, Notice("not sent: {reason}", {"reason": _reason(error, smtp)})))
            continue
        try:
            record_sent(store, reminder.department, reminder.address, reminder.pairs)
        except SachstandError as error:  # the file locked too long, say: sent, and sent again next time
            outcomes.append(
                Outcome(reminder, Notice("sent, but not recorded (sent again next time): {reason}", {"reason": error}))
            )
            continue
        outcomes.append(Outcome(reminder))
    return outcomes


def no_server(config_file: object) -> ConfigError:
    """The error when ``remind`` would send but the config has no [smtp]."""
    return ConfigError("No mail server configured: add an [smtp] table with host and from to {path}.", path=config_file)


def preview(reminders: Sequence[Reminder], today: date) -> list[Notice]:
    """What would be sent, for ``--dry-run`` and the dashboard: a line per department, one per item under it."""
    lines = []
    for reminder in reminders:
        count = len(reminder.pairs)
        if reminder.address is None:
            lines.append(Notice("{department} ({count}): {reason}", _head(reminder, _no_address(reminder))))
        else:
            message = plural("{department} → {address}: {count} item", "{department} → {address}: {count} items", count)
            lines.append(
                Notice(message, {"department": reminder.department, "address": reminder.address, "count": count})
            )
        for motion, item in reminder.pairs:
            due = Notice("overdue since {date}" if item.is_overdue(today) else "due {date}", {"date": _Day(item.due)})
            name = motion.reference or motion.title
            lines.append(
                Notice(
                    "  {motion}: {number}. {item} ({due})",
                    {"motion": name, "number": item.number, "item": item.title, "due": due},
                )
            )
    return lines


def outcome_notices(outcomes: Sequence[Outcome]) -> list[Notice]:
    """A line per department: sent, or why not."""
    lines = []
    for outcome in outcomes:
        reminder = outcome.reminder
        if outcome.error is None:
            message = plural(
                "{department}: sent {count} item to {address}.",
                "{department}: sent {count} items to {address}.",
                len(reminder.pairs),
            )
            lines.append(
                Notice(
                    message,
                    {"department": reminder.department, "address": reminder.address, "count": len(reminder.pairs)},
                )
            )
        else:
            lines.append(Notice("{department} ({count}): {reason}", _head(reminder, outcome.error)))
    return lines


@dataclass(frozen=True)
class _Day:
    """A follow-up date as a message's parameter, in the reader's language."""

    value: date | None

    def render(self, lang: str) -> str:
        return day_text(self.value, lang) if self.value else "–"


def _head(reminder: Reminder, reason: Notice) -> dict[str, object]:
    return {"department": reminder.department or Msg("(no department)"), "count": len(reminder.pairs), "reason": reason}


def _no_address(reminder: Reminder) -> Notice:
    if not reminder.department:
        return Notice("items without a department: give each one a department")
    return Notice("no address: add it to [departments] in the config")


def _deliver(message: EmailMessage, smtp: Smtp, password: str, context: ssl.SSLContext | None) -> None:
    """One connection, one message; every wait on the server bounded by smtp.timeout."""
    context = context or ssl.create_default_context()
    client: smtplib.SMTP
    if smtp.security == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    with client:
        if smtp.security == "starttls":
            client.starttls(context=context)
        if smtp.user:
            client.login(smtp.user, password)
        refused = client.send_message(message)
        if refused:  # some recipients taken, some not: with one recipient a refusal raises instead
            raise smtplib.SMTPRecipientsRefused(refused)


def _reason(error: BaseException, smtp: Smtp) -> Notice:
    """Why a delivery failed, in the server's words where it gave some."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(f"{who}: {code} {_text(text)}" for who, (code, text) in error.recipients.items())
        return Notice("the server refused the recipient: {reply}", {"reply": replies})
    if isinstance(error, smtplib.SMTPResponseException):
        return Notice("the server said: {reply}", {"reply": f"{error.smtp_code} {_text(error.smtp_error)}"})
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
        return Notice("the server did not answer within {seconds} s", {"seconds": f"{smtp.timeout:g}"})
    if isinstance(error, smtplib.SMTPException):  # e.g. a login the server does not offer
        return Notice("the server said: {reply}", {"reply": str(error)})
    if isinstance(error, ssl.SSLError):
        return Notice("TLS failed: {detail}", {"detail": error.reason or str(error)})
    detail = (error.strerror if isinstance(error, OSError) else None) or str(error) or type(error).__name__
    return Notice(
        "cannot reach the server {host}:{port}: {detail}", {"host": smtp.host, "port": smtp.port, "detail": detail}
    )


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


add_catalog(
    "de",
    {
        "Follow-up: {count} item of {department}": "Wiedervorlage: {count} Punkt von {department}",
        "Follow-up: {count} items of {department}": "Wiedervorlage: {count} Punkte von {department}",
        "follow-up": "wiedervorlage",
        "Dear colleagues,": "Liebe Kolleginnen und Kollegen,",
        "please report the status of these items by their follow-up date:": "bitte teilen Sie uns den Sachstand "
        "dieser Punkte zur Wiedervorlage mit:",
        "Fill in the columns Status and Sachstand of the attached list and send it back.": "Tragen Sie Status und "
        "Sachstand in die angehängte Liste ein und senden Sie sie zurück.",
        "No mail server configured: add an [smtp] table with host and from to {path}.": "Kein Mailserver "
        "eingerichtet: eine Tabelle [smtp] mit host und from in {path} eintragen.",
        "not sent: {reason}": "nicht gesendet: {reason}",
        "[smtp] logs in as {user}: set the password in {variable}.": "[smtp] meldet sich als {user} an: das "
        "Passwort in {variable} setzen.",
        "sent, but not recorded (sent again next time): {reason}": "gesendet, aber nicht vermerkt (wird beim "
        "nächsten Mal erneut gesendet): {reason}",
        "the server refused the recipient: {reply}": "der Server hat den Empfänger abgelehnt: {reply}",
        "the server said: {reply}": "der Server antwortete: {reply}",
        "the server did not answer within {seconds} s": "der Server hat nicht binnen {seconds} s geantwortet",
        "TLS failed: {detail}": "TLS gescheitert: {detail}",
        "cannot reach the server {host}:{port}: {detail}": "Server {host}:{port} nicht erreichbar: {detail}",
        "{department} → {address}: {count} item": "{department} → {address}: {count} Punkt",
        "{department} → {address}: {count} items": "{department} → {address}: {count} Punkte",
        "{department} ({count}): {reason}": "{department} ({count}): {reason}",
        "overdue since {date}": "überfällig seit {date}",
        "due {date}": "Wiedervorlage {date}",
        "  {motion}: {number}. {item} ({due})": "  {motion}: {number}. {item} ({due})",
        "{department}: sent {count} item to {address}.": "{department}: {count} Punkt an {address} gesendet.",
        "{department}: sent {count} items to {address}.": "{department}: {count} Punkte an {address} gesendet.",
        "Nothing to remind.": "Nichts zu erinnern.",
        "items without a department: give each one a department": "Punkte ohne Amt: jedem ein Amt geben",
        "no address: add it to [departments] in the config": "keine Adresse: in [departments] der Konfiguration "
        "eintragen",
    },
)
