"""`sachstand remind` against a real SMTP server on 127.0.0.1 (aiosmtpd), and the departments' answers back in.

Each test starts its own server on a free port, stopped when the test ends; the command line runs
in-process with the environment pinned (a config file in tmp_path, user anna, German).
"""

from __future__ import annotations

import csv
import io
import time
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from store import ConfigError, ItemStatus, Motion, Store, load_config, new_items
from store.mail.remind import plan, send
from tui.cli import main

from helpers.smtp import Mailbox, self_signed, silent_server, smtp_server
from helpers.stored import stored_files
from helpers.sync import ENV_VARIABLES

USER = "anna"
TODAY = date.today()
SCHOOL, TREASURY = "schulamt@kreis.example", "kaemmerei@kreis.example"
ID = "abcd1111-0000-4000-8000-000000000001"
OTHER = "abcd2222-0000-4000-8000-000000000002"


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def configure(folder: Path, port: int, *, security: str = "none", timeout: float = 5, extra: str = "") -> None:
    (folder / "config.toml").write_text(
        f"""remind_days = 14
[smtp]
host = "127.0.0.1"
port = {port}
security = "{security}"
from = "buero@kreis.example"
timeout = {timeout}
[departments]
"Amt 40" = "{SCHOOL}"
"Amt 10" = "{TREASURY}"
{extra}""",
        encoding="utf-8",
    )


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two motions: Amt 40 has an overdue item, one due in 5 days, one in 60 days and one done; Amt 10
    one due in 3 days."""
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("SACHSTAND_USER", USER)
    monkeypatch.setenv("SACHSTAND_LANG", "de")
    path = tmp_path / "data" / "sachstand.json"
    monkeypatch.setenv("SACHSTAND_DB", str(path))
    path.parent.mkdir()
    with Store(path, user=USER) as store:
        items = new_items(["WLAN", "Tablets", "Fortbildung", "Server"])
        store.add_motion(Motion(id=ID, title="Digitalisierung", reference="DS 1/2026", items=items))
        store.add_motion(Motion(id=OTHER, title="Haushalt", reference="DS 2/2026", items=new_items(["Mittel"])))
        store.set_item(ID, 1, department="Amt 40", due=TODAY - timedelta(days=10), note="Angebote liegen vor")
        store.set_item(ID, 2, department="Amt 40", due=TODAY + timedelta(days=5))
        store.set_item(ID, 3, department="Amt 40", due=TODAY + timedelta(days=60))
        store.set_item(ID, 4, department="Amt 40", due=TODAY - timedelta(days=3), status=ItemStatus.DONE)
        store.set_item(OTHER, 1, department="Amt 10", due=TODAY + timedelta(days=3))
    return path


def attachment(message: EmailMessage) -> list[dict[str, str]]:
    (part,) = list(message.iter_attachments())
    assert part.get_filename().endswith(".csv")
    content = part.get_payload(decode=True)
    assert isinstance(content, bytes)
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_one_message_per_department_with_its_due_items_and_the_list_attached(db: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        configure(db.parent.parent, port)
        code, out, err = call("remind")
    assert code == 0, err
    assert len(mailbox.messages) == 2
    (school,) = mailbox.to(SCHOOL)
    body = school.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert school["Subject"] == "Wiedervorlage: 2 Punkte von Amt 40"
    assert body.index("1. WLAN") < body.index("2. Tablets")  # overdue first
    assert "überfällig" in body and "Angebote liegen vor" in body
    assert "Fortbildung" not in body and "Server" not in body  # due later; done
    rows = attachment(school)
    assert [(row["Drucksache"], row["Nr."], row["Status"]) for row in rows] == [
        ("DS 1/2026", "1", "offen"),
        ("DS 1/2026", "2", "offen"),
    ]
    (treasury,) = mailbox.to(TREASURY)
    assert [row["Punkt"] for row in attachment(treasury)] == ["Mittel"]
    assert f"Amt 40: 2 Punkte an {SCHOOL} gesendet." in out

    with Store(db, user=USER) as store:  # recorded: in the history, with whom it went to
        entries = [entry for entry in store.history(ID) if entry.action == "remind"]
    assert len(entries) == 1 and entries[0].source == f"Amt 40 <{SCHOOL}>"
    assert {change.path for change in entries[0].changes} == {"items.1.reminded", "items.2.reminded"}

    # A second run sends nothing and writes nothing.
    written = stored_files(db)
    with smtp_server(mailbox) as port:
        configure(db.parent.parent, port)
        code, out, err = call("remind")
    assert code == 0 and "Nichts zu erinnern." in err
    assert len(mailbox.messages) == 2
    assert stored_files(db) == written


def test_a_moved_follow_up_date_reminds_again(db: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        configure(db.parent.parent, port)
        assert call("remind")[0] == 0
        with Store(db, user=USER) as store:
            store.set_item(ID, 2, due=TODAY + timedelta(days=7))
        code, _out, err = call("remind")
    assert code == 0, err
    assert len(mailbox.messages) == 3
    again = mailbox.messages[-1][1]
    assert [row["Punkt"] for row in attachment(again)] == ["Tablets"]


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(db: Path) -> None:
    mailbox = Mailbox()
    written = stored_files(db)
    with smtp_server(mailbox) as port:
        configure(db.parent.parent, port)
        code, out, _err = call("remind", "--dry-run")
    assert code == 0
    assert f"Amt 40 → {SCHOOL}: 2 Punkte" in out and "DS 1/2026: 1. WLAN (überfällig seit" in out
    assert not mailbox.messages and stored_files(db) == written


def test_all_sends_every_open_item_and_department_chooses_one(db: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        configure(db.parent.parent, port)
        assert call("remind")[0] == 0
        code, _out, err = call("remind", "--all", "--department", "amt 40")
    assert code == 0, err
    assert len(mailbox.messages) == 3
    assert [row["Punkt"] for row in attachment(mailbox.messages[-1][1])] == ["WLAN", "Tablets", "Fortbildung"]


def test_a_refused_recipient_marks_nothing_for_its_department_and_the_others_go_out(db: Path) -> None:
    mailbox = Mailbox(refuse=frozenset({TREASURY}))
    with smtp_server(mailbox) as port:
        configure(db.parent.parent, port)
        code, out, _err = call("remind")
    assert code == 1
    assert (
        "Amt 10 (1): nicht gesendet: der Server hat den Empfänger abgelehnt: " in out
        and "550" in out
        and "mailbox unavailable" in out
    )
    assert [recipients for recipients, _message in mailbox.messages] == [[SCHOOL]]
    # The next run, the server taking it now, sends Amt 10's and only that.
    mailbox.refuse = frozenset()
    with smtp_server(mailbox) as port:
        configure(db.parent.parent, port)
        code, out, _err = call("remind")
    assert code == 0
    assert [recipients for recipients, _message in mailbox.messages] == [[SCHOOL], [TREASURY]]


def test_a_server_that_hangs_fails_in_bounded_time_and_marks_nothing(db: Path) -> None:
    written = stored_files(db)
    with silent_server() as port:
        configure(db.parent.parent, port, timeout=1)
        started = time.monotonic()
        code, out, _err = call("remind")
    assert code == 1
    assert time.monotonic() - started < 10  # two departments, a second each
    assert out.count("der Server hat nicht binnen 1 s geantwortet") == 2
    assert stored_files(db) == written


def test_a_department_without_an_address_is_reported(db: Path) -> None:
    with Store(db, user=USER) as store:
        store.set_item(ID, 3, department="Amt 66", due=TODAY)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        configure(db.parent.parent, port)
        code, out, _err = call("remind")
    assert code == 1
    assert "Amt 66 (1): keine Adresse: in [departments] der Konfiguration eintragen" in out
    assert len(mailbox.messages) == 2


def test_starttls_with_a_self_signed_certificate(db: Path, tmp_path: Path) -> None:
    server_context, client_context = self_signed(tmp_path)
    mailbox = Mailbox()
    with smtp_server(mailbox, tls=server_context) as port:
        configure(db.parent.parent, port, security="starttls")
        config = load_config()
        assert config.smtp is not None
        with Store(db, user=USER) as store:
            reminders = plan(store, config.departments, TODAY, config.remind_days)
            # Not trusted: the certificate is refused, nothing sent, nothing recorded.
            refused = send(store, reminders, config.smtp, "en", TODAY)
            assert all(outcome.error for outcome in refused) and not mailbox.messages
            assert "TLS failed: CERTIFICATE_VERIFY_FAILED" in refused[0].error.render("en")  # type: ignore[union-attr]
            sent = send(
                store, plan(store, config.departments, TODAY, 14), config.smtp, "en", TODAY, context=client_context
            )
    assert not any(outcome.error for outcome in sent)
    assert len(mailbox.messages) == 2
    assert mailbox.to(SCHOOL)[0]["Subject"] == "Follow-up: 2 items of Amt 40"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # it is TLS: aiosmtpd cannot tell
def test_ssl_from_the_first_byte_with_a_login_whose_password_comes_from_the_environment(
    db: Path, tmp_path: Path
) -> None:
    server_context, client_context = self_signed(tmp_path)
    mailbox = Mailbox()
    with smtp_server(mailbox, server_context, implicit=True, login=("buero", "geheim")) as port:
        configure(db.parent.parent, port, security="ssl", extra="")
        text = (db.parent.parent / "config.toml").read_text(encoding="utf-8")
        (db.parent.parent / "config.toml").write_text(text.replace("[smtp]\n", '[smtp]\nuser = "buero"\n'))
        config = load_config()
        assert config.smtp is not None and config.smtp.user == "buero"
        with Store(db, user=USER) as store:
            reminders = plan(store, config.departments, TODAY, config.remind_days)
            with pytest.raises(ConfigError, match="set the password in SACHSTAND_SMTP_PASSWORD"):
                send(store, reminders, config.smtp, "en", TODAY, environ={}, context=client_context)
            environ = {"SACHSTAND_SMTP_PASSWORD": "falsch"}
            wrong = send(store, reminders, config.smtp, "en", TODAY, environ=environ, context=client_context)
            assert len(wrong) == 2 and all(outcome.error for outcome in wrong) and not mailbox.messages
            assert all("535" in outcome.error.render("en") for outcome in wrong if outcome.error)
            environ = {"SACHSTAND_SMTP_PASSWORD": "geheim"}
            sent = send(store, reminders, config.smtp, "en", TODAY, environ=environ, context=client_context)
    assert not any(outcome.error for outcome in sent)
    assert len(mailbox.messages) == 2


def test_a_wrong_smtp_table_is_said(db: Path) -> None:
    configure(db.parent.parent, 25, security="tls")
    code, _out, err = call("remind")
    assert code == 2 and "unbekannte Sicherheit 'tls'" in err


# --- the answers back in ---------------------------------------------------------------------------


def _sent_list(db: Path) -> str:
    """Remind Amt 40 and return the list it was sent, as text."""
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        configure(db.parent.parent, port)
        assert call("remind")[0] == 0
    (part,) = list(mailbox.to(SCHOOL)[0].iter_attachments())
    content = part.get_payload(decode=True)
    assert isinstance(content, bytes)
    return content.decode("utf-8-sig")


def _filled(text: str, changes: dict[str, dict[str, str]], path: Path) -> Path:
    """The list with cells changed (by item number), written as a spreadsheet saves it."""
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    head = rows[0]
    for row in rows[1:]:
        for column, value in changes.get(row[head.index("Nr.")], {}).items():
            row[head.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def test_a_filled_in_list_imports_with_the_department_as_source(db: Path, tmp_path: Path) -> None:
    answer = _filled(
        _sent_list(db), {"1": {"Status": "erledigt", "Sachstand": "WLAN ist in Betrieb"}}, tmp_path / "antwort.csv"
    )
    code, out, err = call("import", str(answer), "--yes")
    assert code == 0, err
    assert "1 aktualisiert, 0 im Konflikt (nicht übernommen), 1 unverändert" in out
    with Store(db, user=USER) as store:
        item = store.get(ID).items[0]
        entry = store.history(ID)[-1]
    assert (item.status, item.note) == (ItemStatus.DONE, "WLAN ist in Betrieb")
    assert (entry.action, entry.source) == ("answer", "Amt 40")


def test_a_row_changed_here_since_it_was_sent_is_a_conflict_not_applied(db: Path, tmp_path: Path) -> None:
    sent = _sent_list(db)
    with Store(db, user=USER) as store:
        store.set_item(ID, 2, note="Bestellung läuft")
    answer = _filled(
        sent,
        {"1": {"Status": "in Bearbeitung"}, "2": {"Sachstand": "Tablets geliefert"}},
        tmp_path / "antwort.csv",
    )
    code, out, _err = call("import", str(answer), "--yes")
    assert code == 3
    assert "Zeile 3: DS 1/2026, Punkt 2, Sachstand: hier „Bestellung läuft“ – Antwort „Tablets geliefert“" in out
    with Store(db, user=USER) as store:
        motion = store.get(ID)
    assert motion.items[0].status is ItemStatus.IN_PROGRESS  # the other row applied
    assert motion.items[1].note == "Bestellung läuft"


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"2": {"Status": "fertig"}}, "Zeile 3: Status: unbekannter Status 'fertig'"),
        ({"1": {"ID": "abcd9999-0000-4000-8000-000000000009"}}, "Zeile 2: kein Antrag mit der ID"),
        ({"2": {"Nr.": "9"}}, "Zeile 3: Antrag DS 1/2026 hat keinen Punkt 9."),
    ],
)
def test_a_broken_answer_list_changes_nothing(db: Path, tmp_path: Path, changes: dict, said: str) -> None:
    sent = _sent_list(db)
    answer = _filled(sent, {"1": {"Status": "erledigt"}, **changes}, tmp_path / "antwort.csv")
    written = stored_files(db)
    code, _out, err = call("import", str(answer), "--yes")
    assert code == 2 and said in err, err
    assert stored_files(db) == written


def test_a_spreadsheet_file_is_refused_with_the_advice_to_save_it_as_csv(db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "antwort.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really a workbook")
    written = stored_files(db)
    code, _out, err = call("import", str(sheet), "--yes")
    assert code == 2 and "eine Tabellenkalkulationsdatei; die Antwortliste als CSV speichern" in err
    assert stored_files(db) == written


def test_a_csv_that_is_no_answer_list_is_refused(db: Path, tmp_path: Path) -> None:
    wrong = tmp_path / "liste.csv"
    wrong.write_text("Name;Wert\nA;1\n", encoding="utf-8")
    written = stored_files(db)
    code, _out, err = call("import", str(wrong), "--yes")
    assert code == 2 and "keine Liste zum Beantworten: nötig sind die Spalten ID, Nr. und Status" in err
    assert stored_files(db) == written


# --- the dashboard --------------------------------------------------------------------------------


async def test_the_palette_previews_then_sends_and_the_item_detail_shows_the_reminder(db: Path) -> None:
    from tui.app import SachstandApp
    from tui.components.confirm import ConfirmModal
    from tui.components.details import ItemDetail

    from helpers.dashboard import plain, to_item, until

    mailbox = Mailbox()
    with smtp_server(mailbox) as port, Store(db, user=USER) as store:
        configure(db.parent.parent, port)
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause(0.3)
            await pilot.press(*"Ämter erinnern")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
            question = app.screen.question  # type: ignore[attr-defined]
            assert f"Amt 40 → {SCHOOL}: 2 Punkte" in question and "1. WLAN (überfällig seit" in question
            assert not mailbox.messages  # the preview sends nothing
            await pilot.press("y")
            await until(pilot, lambda: len(mailbox.messages) == 2)
            await until(pilot, lambda: any("gesendet" in str(note.message) for note in app._notifications))
            await to_item(pilot, app, ID, 1)
            detail = plain(app.main.query_one(ItemDetail).content)
    assert f"Erinnerung an Amt 40 <{SCHOOL}>" in " ".join(detail.split()), detail


async def test_the_dashboard_imports_an_answer_list_after_showing_its_conflicts(db: Path, tmp_path: Path) -> None:
    from textual.widgets import Input

    from tui.app import SachstandApp
    from tui.components.confirm import ConfirmModal
    from tui.components.prompt import PromptModal

    from helpers.dashboard import until

    sent = _sent_list(db)
    with Store(db, user=USER) as store:
        store.set_item(ID, 2, note="Bestellung läuft")
    answer = _filled(
        sent, {"1": {"Status": "erledigt"}, "2": {"Sachstand": "Tablets geliefert"}}, tmp_path / "antwort.csv"
    )
    with Store(db, user=USER) as store:
        app = SachstandApp(store, "de", today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            app.action_import_file()
            await until(pilot, lambda: isinstance(app.screen, PromptModal) and bool(app.screen.query(Input)))
            app.screen.query_one(Input).value = str(answer)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
            question = app.screen.question  # type: ignore[attr-defined]
            assert "1 zu aktualisieren, 1 im Konflikt" in question and "hier „Bestellung läuft“" in question
            await pilot.press("y")
            await until(pilot, lambda: store.get(ID).items[0].status is ItemStatus.DONE)
        assert store.get(ID).items[1].note == "Bestellung läuft"


def test_a_corrected_second_answer_to_the_same_list_applies(db: Path, tmp_path: Path) -> None:
    sent = _sent_list(db)
    first = _filled(sent, {"1": {"Sachstand": "Ausschreibung läuft"}}, tmp_path / "antwort-1.csv")
    assert call("import", str(first), "--yes")[0] == 0
    second = _filled(sent, {"1": {"Sachstand": "Auftrag vergeben"}}, tmp_path / "antwort-2.csv")
    code, _out, err = call("import", str(second), "--yes")
    assert code == 0, err
    with Store(db, user=USER) as store:
        assert store.get(ID).items[0].note == "Auftrag vergeben"


def test_an_answer_list_in_english_with_commas_imports(db: Path, tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"  # not .csv: told by its columns
    answer.write_text(f"ID,No.,Status,Sachstand\n{OTHER},1,in progress,Funds requested\n", encoding="utf-8")
    code, out, err = call("--lang", "en", "import", str(answer), "--yes")
    assert code == 0, err
    assert "answers saved: 1 updated, 0 in conflict (not applied), 0 unchanged." in out
    with Store(db, user=USER) as store:
        item = store.get(OTHER).items[0]
        entry = store.history(OTHER)[-1]
    assert (item.status, item.note) == (ItemStatus.IN_PROGRESS, "Funds requested")
    assert (entry.action, entry.source) == ("answer", str(answer))  # never reminded, no department column


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ('[smtp]\nhost = "x"\nfrom = "a@b.example"\npassword = "geheim"\n', "unbekannter Schlüssel 'password'"),
        ('[smtp]\nfrom = "a@b.example"\n', "smtp: host und from (eine Adresse) sind nötig."),
        ('[smtp]\nhost = "x"\nfrom = "a@b.example"\nport = 70000\n', "smtp.port: ein Port von 1 bis 65535 erwartet"),
        ('[smtp]\nhost = "x"\nfrom = "a@b.example"\ntimeout = 0\n', "smtp.timeout: Sekunden, mehr als 0 erwartet"),
        ('[departments]\n"Amt 40" = "kein-at"\n', "departments.Amt 40: eine E-Mail-Adresse erwartet"),
        ("remind_days = -1\n", "remind_days: eine ganze Zahl von Tagen von 0 bis 366 erwartet"),
    ],
)
def test_wrong_mail_settings_are_said_and_the_password_is_never_read_from_the_file(
    db: Path, table: str, said: str
) -> None:
    (db.parent.parent / "config.toml").write_text(table, encoding="utf-8")
    code, _out, err = call("remind", "--dry-run")
    assert code == 2 and said in err, err


def test_the_reminders_outlast_edits_undo_and_a_sync_and_stay_on_this_copy(db: Path, tmp_path: Path) -> None:
    from store.mail.record import record_of

    from helpers.sync import model, run_sync, serving

    _sent_list(db)
    (tmp_path / "server").mkdir()
    with serving(tmp_path / "server") as server:
        assert run_sync(db, server).code == 0
        other = tmp_path / "other.json"  # a colleague's copy: gets the motion, not this copy's reminders
        assert run_sync(other, server).code == 0
        with Store(other, user="bernd") as colleague:
            colleague.set_item(ID, 3, note="vom Kollegen")
        assert run_sync(other, server).code == 0
        with Store(db, user=USER) as store:
            store.set_item(ID, 1, note="hier geändert")
            store.undo()
        assert run_sync(db, server).code == 0
        with Store(other, user="bernd") as colleague:
            assert record_of(colleague.documents()[ID], 1) is None
    assert model(db)[ID]["items"][2]["note"] == "vom Kollegen"
    with Store(db, user=USER) as store:
        record = record_of(store.documents()[ID], 1)
    assert record is not None and record["to"] == SCHOOL and record["due"] == (TODAY - timedelta(days=10)).isoformat()
