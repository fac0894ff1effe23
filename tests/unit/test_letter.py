"""Reading motion letters: the shipped example and the letters in tests/unit/letters/ (written for these tests)."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from store import BadInput, example_letter
from store.exchange.letter import LETTER_LIMIT, LetterFindings, parse_letter
from store.i18n import has_translation

LETTERS = Path(__file__).resolve().parent / "letters"


def _letter(name: str) -> LetterFindings:
    return parse_letter((LETTERS / name).read_text("utf-8"), where=name)


# --- The example letter -----------------------------------------------------------------


def test_the_example_letter() -> None:
    found = parse_letter(example_letter(), where="antrag-2020-07-28-digitalisierung.txt")
    assert found.submitted == date(2020, 7, 28)
    assert found.submitted_by == ("Fraktion der CDU", "Fraktion der FDP")
    assert found.addressed_to == "Landrat des Kreises Heinsberg"
    assert found.copy_to == (
        "SPD-Fraktion",
        "Fraktion Bündnis 90/Die Grünen",
        "Fraktion FW",
        "Fraktion Die Linke",
        "AfD-Fraktion",
    )
    assert found.legal_basis == "§ 5 GeschO"
    assert found.committee == "Kreisausschuss"
    assert found.meeting is None
    assert found.items == (
        "Einrichtung eines interkommunalen Bürgerportals",
        "Digitale Dienstleistungen und Verfahrensabwicklung",
        "Ausstattung der Schulen über das Förderprogramm Digitalpakt",
        "Umsetzung von Digitalisierungsmaßnahmen innerhalb der Kreisverwaltung",
        "Weiterer flächendeckender Ausbau des Glasfasernetzes",
    )
    assert found.title == "Aktueller Stand folgender Digitalisierungsprojekte"


def test_the_example_text_is_request_and_reasoning_without_artefacts() -> None:
    text = parse_letter(example_letter()).text
    assert text.startswith("die aktuelle Corona-Pandemie hat gezeigt")
    assert "Es wird daher Folgendes beantragt:" in text
    assert (
        "Die Verwaltung informiert den Kreisausschuss über den aktuellen Stand folgender Digitalisierungsprojekte:"
        in text
    )
    assert text.endswith(
        "4. Umsetzung von Digitalisierungsmaßnahmen innerhalb der Kreisverwaltung\n"
        "5. Weiterer flächendeckender Ausbau des Glasfasernetzes"
    )
    for left_out in (
        "**",
        "Sehr geehrter",
        "Valkenburger",
        "z. K.",
        "für die CDU-Fraktion",
        "Dahlmann",
        "\n\n\n",
        " \n",
    ):
        assert left_out not in text


def test_windows_line_ends_no_break_spaces_and_tabs_change_nothing() -> None:
    letter = example_letter()
    converted = (
        letter.replace("\n", "\r\n")
        .replace("§ 5", "§\u00a05")
        .replace("- 2. ", "-\t2.\u00a0")
        .replace("Fraktion der FDP", "Fraktion\u00a0der FDP\u200b")
    )
    assert parse_letter(converted) == parse_letter(letter)


# --- The letters written for these tests ------------------------------------------------------

EXPECTED = {
    "ratsfraktion-spielplaetze.txt": LetterFindings(
        title="Sanierung der Spielplätze im Stadtgebiet",
        reference="",
        submitted=date(2022, 1, 12),
        submitted_by=("SPD-Ratsfraktion Rurtal",),
        addressed_to="Bürgermeister der Stadt Rurtal",
        copy_to=(),
        legal_basis="§ 24 GO NRW",
        committee="Ausschuss für Jugend, Familie und Soziales",
        meeting=None,
        items=(
            (
                "Die Verwaltung erstellt bis zum 30.06. eine Bestandsaufnahme aller öffentlichen Spielplätze "
                "mit Angaben zu Zustand und Sanierungsbedarf"
            ),
            "Für die Spielplätze an der Gartenstraße und am Mühlenweg wird ein Sanierungskonzept mit Kostenschätzung vorgelegt",
            "Im Haushalt 2023 werden ausreichende Mittel für die Sanierung eingeplant",
        ),
        text="",
    ),
    "kreistag-schulbus.md": LetterFindings(
        title="Verlässlicher Schulbusverkehr im Kreisgebiet",
        reference="",
        submitted=date(2021, 3, 3),
        submitted_by=("Fraktion Bündnis 90/Die Grünen",),
        addressed_to="Landrätin des Kreises Rurland",
        copy_to=(),
        legal_basis="",
        committee="Schul- und Bildungsausschuss",
        meeting=None,
        items=(
            "mit den Verkehrsunternehmen zusätzliche Verstärkerfahrten zu Schulbeginn zu vereinbaren",
            "die Haltestellen vor den weiterführenden Schulen mit digitalen Anzeigen auszustatten",
            "dem Ausschuss halbjährlich über Ausfälle und Verspätungen zu berichten",
        ),
        text="",
    ),
    "gemeinde-beleuchtung.txt": LetterFindings(
        title="Umrüstung der Straßenbeleuchtung auf LED",
        reference="",
        submitted=date(2022, 1, 12),
        submitted_by=("CDU-Fraktion", "UWG-Fraktion"),
        addressed_to="Bürgermeisterin der Gemeinde Selfkantheide",
        copy_to=("SPD-Fraktion", "Fraktion Bündnis 90/Die Grünen", "FDP-Fraktion"),
        legal_basis="§ 3 der Geschäftsordnung",
        committee="Rat",
        meeting=date(2022, 3, 14),
        items=(
            (
                "Die Verwaltung legt bis zur Sitzung des Bau- und Planungsausschusses ein Konzept für die Umrüstung "
                "aller Straßenleuchten auf LED-Technik vor"
            ),
            "Fördermittel aus der Kommunalrichtlinie werden beantragt",
            "Die Umrüstung beginnt in den Wohngebieten Am Bruch und Kirchfeld",
        ),
        text="",
    ),
    "kreistag-pflege.txt": LetterFindings(
        title="Umsetzung der kommunalen Pflegeplanung",
        reference="",
        submitted=date(2021, 11, 15),
        submitted_by=("CDU-Kreistagsfraktion", "FDP-Kreistagsfraktion"),
        addressed_to="Landrat des Kreises Rurland",
        copy_to=("Fraktionen im Kreistag", "Pflegekonferenz des Kreises Rurland"),
        legal_basis="§ 11 Abs. 2 GeschO",
        committee="Ausschuss für Soziales und Gesundheit",
        meeting=None,
        items=(
            (
                "Wie viele Kurzzeitpflegeplätze stehen im Kreis derzeit zur Verfügung, und wie hat sich ihre Zahl "
                "seit 2019 entwickelt?"
            ),
            "Welche Träger planen neue Tagespflegeeinrichtungen?",
            "Wie weit ist die Pflegeberatung in den Städten und Gemeinden ausgebaut?",
        ),
        text="",
    ),
    "stadtrat-radverkehr.txt": LetterFindings(
        title="Sichere Radwege in der Innenstadt",
        reference="",
        submitted=date(2022, 5, 9),
        submitted_by=("Fraktion DIE LINKE",),
        addressed_to="Bürgermeister der Stadt Rurtal",
        copy_to=(),
        legal_basis="",
        committee="Rat",
        meeting=date(2022, 6, 30),
        items=(
            "Auf der Hauptstraße zwischen Marktplatz und Bahnhof wird ein geschützter Radfahrstreifen eingerichtet",
            "an allen Schulen werden überdachte Fahrradabstellanlagen gebaut",
            "die Ampelschaltungen an der B 221 werden für den Radverkehr optimiert",
        ),
        text="",
    ),
    "kreistag-klimaschutz.txt": LetterFindings(
        title="Klimaschutzkonzept des Kreises – Zwischenbericht",
        reference="",
        submitted=date(2021, 10, 7),
        submitted_by=("FDP-Fraktion",),
        addressed_to="Landrat des Kreises Rurland",
        copy_to=("CDU-Fraktion", "SPD-Fraktion", "Fraktion Bündnis 90/Die Grünen"),
        legal_basis="§ 5 GeschO",
        committee="Ausschuss für Klimaschutz und Mobilität",
        meeting=None,
        items=(
            (
                "einen Zwischenbericht zur Umsetzung des Klimaschutzkonzepts mit a) den bisher umgesetzten Maßnahmen, "
                "b) den dafür verausgabten Mitteln"
            ),
            "eine Übersicht der für 2022 geplanten Maßnahmen",
            "eine Einschätzung, ob das Ziel der Klimaneutralität bis 2040 erreichbar ist",
        ),
        text="",
    ),
    "bezirksvertretung-freibad.txt": LetterFindings(
        title="Parksituation rund um das Freibad Nord",
        reference="",
        submitted=date(2022, 5, 9),
        submitted_by=("Fraktion der CDU",),
        addressed_to="Bezirksbürgermeisterin Nord",
        copy_to=(),
        legal_basis="",
        committee="Bezirksvertretung Nord",
        meeting=date(2022, 5, 24),
        items=(
            "Wie viele Parkplätze stehen am Freibad zur Verfügung?",
            "Wurden an Wochenenden Kontrollen durch das Ordnungsamt durchgeführt, und mit welchem Ergebnis?",
            "Ist ein Shuttlebus vom Bahnhof Rurtal-Nord möglich?",
        ),
        text="",
    ),
}


def test_every_letter_is_covered() -> None:
    assert sorted([*EXPECTED, "ohne-liste.txt"]) == sorted(path.name for path in LETTERS.iterdir() if path.is_file())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_letter_gives_its_fields(name: str) -> None:
    assert replace(_letter(name), text="") == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_text_holds_request_and_reasoning_but_not_letterhead_or_signature(name: str) -> None:
    found = _letter(name)
    numbered = "\n".join(f"{number}. {item}" for number, item in enumerate(found.items, start=1))
    assert numbered in found.text
    for left_out in ("**", "#", "Sehr geehrte", "Grüßen", "\n\n\n", "\r", "\u00a0"):
        assert left_out not in found.text
    assert not re.search(
        r"^für die|Fraktionsvorsitz|Landrat des|Bürgermeisterin? der|Betreff|Datum", found.text, re.MULTILINE
    )


def test_numbered_points_in_the_reasoning_are_not_items() -> None:
    found = _letter("ratsfraktion-spielplaetze.txt")
    assert len(found.items) == 3 and not any("Spielgeräte" in item for item in found.items)
    assert "Begründung:\n\nViele Spielplätze" in found.text
    assert "1. Auf dem Spielplatz Gartenstraße sind zwei Spielgeräte seit Monaten gesperrt." in found.text
    assert found.text.endswith("verteilt die Kosten auf mehrere Haushaltsjahre.")


def test_a_dash_list_in_the_reasoning_is_not_items() -> None:
    found = _letter("stadtrat-radverkehr.txt")
    assert len(found.items) == 3
    assert "- 2021 gab es dort 14 Unfälle mit Radfahrenden," in found.text


def test_a_meeting_before_the_letter_is_a_past_one() -> None:
    found = _letter("gemeinde-beleuchtung.txt")
    assert "in der Sitzung des Rates am 09.12.2021" in found.text
    assert found.meeting == date(2022, 3, 14)


def test_a_request_in_prose_is_one_item_and_stays_in_the_text() -> None:
    found = _letter("ohne-liste.txt")
    assert found.items == (
        "die Verwaltung wird gebeten, bis zur Sitzung des Rates am 12.05.2021 ein Konzept für öffentliche "
        "Toiletten in der Innenstadt vorzulegen",
    )
    assert found.title == "Öffentliche Toiletten in der Innenstadt"
    assert "Dabei sollen auch die Öffnungszeiten der Gastronomie berücksichtigt werden." in found.text


def test_a_letter_that_requests_nothing_names_the_file() -> None:
    with pytest.raises(BadInput) as error:
        parse_letter("Fraktion der FDP\nim Rat der Stadt Rurtal\n\nRurtal, 3. März 2021\n", where="leer.txt")
    assert str(error.value) == (
        "leer.txt: no requested items found; number them 1., 2., ... or list them with - after the request."
    )
    assert error.value.render("de").startswith("leer.txt: keine beantragten Punkte gefunden")


# --- Items in every style -------------------------------------------------------------------

LETTERHEAD = """Fraktion der CDU
im Kreistag Heinsberg
Valkenburger Str. 45
52525 Heinsberg

Heinsberg, den 12. Januar 2022

Antrag gemäß § 5 GeschO

Sehr geehrter Herr Landrat,

es wird beantragt:

"""
CLOSING = "\n\nMit freundlichen Grüßen\n\nfür die CDU-Fraktion\nErwin Beispiel\n"


def _items(body: str) -> tuple[str, ...]:
    return parse_letter(LETTERHEAD + body + CLOSING).items


@pytest.mark.parametrize(
    "markers",
    [
        ("1.", "2.", "3."),
        ("1)", "2)", "3)"),
        ("(1)", "(2)", "(3)"),
        ("a.", "b.", "c."),
        ("a)", "b)", "c)"),
        ("A)", "B)", "C)"),
        ("-", "-", "-"),
        ("–", "–", "–"),
        ("•", "•", "•"),
        ("*", "*", "*"),
        ("- 1.", "- 2.", "- 3."),
        ("* 1)", "* 2)", "* 3)"),
        ("1.", "1.", "1."),
    ],
)
def test_every_numbering_style(markers: tuple[str, str, str]) -> None:
    body = "\n".join(f"{marker} Punkt {word}" for marker, word in zip(markers, ("eins", "zwei", "drei")))
    assert _items(body) == ("Punkt eins", "Punkt zwei", "Punkt drei")


def test_indented_markers_and_blank_lines_between_items() -> None:
    assert _items("   1. Punkt eins\n\n   2. Punkt zwei\n\n   3. Punkt drei") == (
        "Punkt eins",
        "Punkt zwei",
        "Punkt drei",
    )


def test_conversion_artefacts_are_removed_from_items() -> None:
    body = "**1. Punkt __eins__**\n2. Punkt\u00a0*zwei*;\n3\\. Punkt drei, und\n4. Punkt vier.**"
    assert _items(body) == ("Punkt eins", "Punkt zwei", "Punkt drei", "Punkt vier")


def test_a_final_period_stays_after_an_abbreviation_or_a_date() -> None:
    assert _items("- Bericht bis zum 30.06.\n- Radwege, Gehwege usw.\n- Schulen, Kitas etc.") == (
        "Bericht bis zum 30.06.",
        "Radwege, Gehwege usw.",
        "Schulen, Kitas etc.",
    )


def test_wrapped_lines_belong_to_the_item_above() -> None:
    body = (
        "1. Die Verwaltung prüft die Einrichtung einer\nFahrradstraße in der Schulstraße.\n"
        "2. Die Umsetzung von Digitalisierungs-\n   maßnahmen wird beschleunigt.\n"
        "3. Bus- und Bahn-\nverkehr sowie E-\nAkte und Bus-\nund Bahnverkehr."
    )
    assert _items(body) == (
        "Die Verwaltung prüft die Einrichtung einer Fahrradstraße in der Schulstraße",
        "Die Umsetzung von Digitalisierungsmaßnahmen wird beschleunigt",
        "Bus- und Bahnverkehr sowie E-Akte und Bus- und Bahnverkehr",
    )


def test_a_paragraph_after_the_list_ends_it() -> None:
    body = "- Punkt eins\n- Punkt zwei\n\nDie Kosten trägt der Kreis.\n- kein Punkt"
    assert _items(body) == ("Punkt eins", "Punkt zwei")


def test_rules_and_signature_lines_are_no_items() -> None:
    assert _items("- Punkt eins\n- Punkt zwei\n\n---\n\n***\n\n______________\n") == ("Punkt eins", "Punkt zwei")


def test_a_list_that_opens_the_text_is_the_items() -> None:
    found = parse_letter("Fraktion der CDU\n\nSehr geehrter Herr Landrat,\n\n1. Punkt eins\n2. Punkt zwei\n")
    assert found.items == ("Punkt eins", "Punkt zwei")


def test_a_long_title_is_cut_at_a_word() -> None:
    item = "sehr " * 60 + "langer Punkt"
    title = parse_letter(f"Der Rat möge beschließen:\n- {item}\n").title
    assert title.startswith("Sehr sehr ") and title.endswith("sehr…") and len(title) <= 160


def test_a_list_before_the_request_is_not_the_items() -> None:
    letter = "Verteiler:\n- SPD-Fraktion\n- FDP-Fraktion\n\nWir beantragen:\n\n1. Punkt eins\n2. Punkt zwei\n"
    found = parse_letter(letter)
    assert found.items == ("Punkt eins", "Punkt zwei")
    assert found.copy_to == ("SPD-Fraktion", "FDP-Fraktion")


# --- Dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Heinsberg, den 28.07.2020", date(2020, 7, 28)),
        ("12. Januar 2022", date(2022, 1, 12)),
        ("Rurtal, 3. März 2021", date(2021, 3, 3)),
        ("Bad Honnef, den 3. Mär. 2021", date(2021, 3, 3)),
        ("Wien, 3. Jänner 2021", date(2021, 1, 3)),
        ("Rurtal, den 3. Maerz 2021", date(2021, 3, 3)),
        ("12.1.2022", date(2022, 1, 12)),
        ("2022-01-12", date(2022, 1, 12)),
        ("Datum: 28.07.20", date(2020, 7, 28)),
        ("Heinsberg, den 31.02.2022", None),
        ("Heinsberg, im Januar 2022", None),
    ],
)
def test_the_letters_date(line: str, expected: date | None) -> None:
    assert parse_letter(f"Fraktion der CDU\n\n{line}\n\nWir beantragen:\n- Punkt eins\n").submitted == expected


def test_dates_in_the_reasoning_are_not_the_letters_date() -> None:
    letter = "Der Rat hat am 12.05.2021 beschlossen.\n\nWir beantragen:\n- Punkt eins\n\nSeit dem 1. März 2021 gilt die neue Satzung.\n"
    assert parse_letter(letter).submitted is None


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\r\n\t\n", "\u00a0\u200b\n"])
def test_an_empty_letter(text: str) -> None:
    with pytest.raises(BadInput, match=r"^antrag\.txt: the letter is empty\.$") as error:
        parse_letter(text, where="antrag.txt")
    assert error.value.render("de") == "antrag.txt: der Antrag ist leer."


@pytest.mark.parametrize("text", ["Wir beantragen:\n- Punkt\x00 eins\n", b"Wir beantragen:\n- Punkt eins\n"])
def test_not_text(text: str) -> None:
    with pytest.raises(BadInput, match=r"^antrag\.pdf: not plain text; save the letter as a text or Markdown file\.$"):
        parse_letter(text, where="antrag.pdf")  # type: ignore[arg-type]


def test_numbers_in_letterhead_dates_and_paragraphs_are_not_items() -> None:
    letter = (
        LETTERHEAD
        + "die Verwaltung berichtet über § 5 GeschO.\n\n12. Januar 2022\n52525 Heinsberg\n28.07.2020\n"
        + CLOSING
    )
    assert parse_letter(letter).items == ("die Verwaltung berichtet über § 5 GeschO",)


def test_every_message_has_a_german_text() -> None:
    for msgid in (
        "{where}: not plain text; save the letter as a text or Markdown file.",
        "{where}: the letter is empty.",
        "{where}: no requested items found; number them 1., 2., ... or list them with - after the request.",
    ):
        assert has_translation(msgid, "de")


def test_a_list_in_the_reasoning_before_the_request_is_not_the_items() -> None:
    letter = (
        "Sehr geehrter Herr Landrat,\n\n"
        "seit 2019 wurde die Verwaltung mehrfach gebeten, die Lage zu prüfen. Bisher ist geschehen:\n\n"
        "1. eine Verkehrszählung im Mai 2020,\n2. ein Ortstermin im Juni 2021.\n\n"
        "Wir beantragen daher:\n\n1. Punkt eins\n2. Punkt zwei\n"
    )
    found = parse_letter(letter)
    assert found.items == ("Punkt eins", "Punkt zwei")
    assert "1. eine Verkehrszählung im Mai 2020," in found.text


@pytest.mark.parametrize(
    "lead, title",
    [
        ("Die Verwaltung berichtet über den aktuellen Stand der Planungen:", "Aktueller Stand der Planungen"),
        ("Die Verwaltung wird gebeten, über die bisherigen Ergebnisse zu berichten:", "Bisherige Ergebnisse"),
        ("Die Verwaltung informiert im Ausschuss über das neue Parkraumkonzept:", "Neues Parkraumkonzept"),
        (
            "Die Verwaltung wird beauftragt, folgende Maßnahmen zur Verkehrsberuhigung in der Südstraße umzusetzen:",
            "Maßnahmen zur Verkehrsberuhigung in der Südstraße",
        ),
        ("Wir bitten um Beantwortung folgender Fragen:", "Punkt eins"),
        ("Die Verwaltung berichtet über Stand und Perspektiven der Planung:", "Stand und Perspektiven der Planung"),
        ("Der Rat möge beschließen:", "Punkt eins"),
    ],
)
def test_a_title_from_the_request_sentence(lead: str, title: str) -> None:
    assert parse_letter(f"Sehr geehrte Damen und Herren,\n\n{lead}\n\n- punkt eins\n- Punkt zwei\n").title == title


def test_an_addressee_without_an_address_line() -> None:
    letter = "Herrn Bürgermeister\nThomas Kessler\nRathaus\n\nWir beantragen:\n- Punkt eins\n"
    assert parse_letter(letter).addressed_to == "Bürgermeister"


# --- Size: reading time grows linearly, and a letter beyond the limit is refused -------------------


def _grown_letter(size: int) -> str:
    """The example letter grown to about ``size`` characters in the shapes that once made reading
    quadratic: a letterhead of many groups, a heading with a long run of blanks, and as more
    requested items one wrapped over many lines (some hyphenated), one with a long word of dots
    before its last, one line without breaks; then its body repeated."""
    letter = example_letter()
    last_item = "- 5. Weiterer flächendeckender Ausbau des Glasfasernetzes.**\n"
    assert last_item in letter
    part = size // 6
    groups = "".join(f"Fraktion Partei{n}\n" for n in range(part // 20))
    heading = f"# Antrag{' ' * part}x\n"
    wrapped = "".join(f"Digitalisierungs-\nmaßnahme {n} am Rathaus\n" for n in range(part // 40))
    items = f"- 6. Erster Punkt\n{wrapped}- 7. {'a.' * (part // 2)} Ende.\n- 8. {'x' * part}\n"
    grown = groups + heading + letter.replace(last_item, last_item + items)
    return grown + letter * max(0, (size - len(grown)) // len(letter))


def _reading_time(text: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        parse_letter(text)
        times.append(time.perf_counter() - start)
    return min(times)


def test_reading_time_grows_linearly_with_the_letter() -> None:
    small, large = _grown_letter(100_000), _grown_letter(400_000)
    assert len(parse_letter(large).items) == 8 and len(large) <= LETTER_LIMIT
    ratio = _reading_time(large) / _reading_time(small)
    assert ratio < 8, f"4x the letter took {ratio:.1f}x the time (quadratic would be 16x)"


def test_a_letter_beyond_the_limit_is_refused_with_the_limit() -> None:
    with pytest.raises(BadInput) as raised:
        parse_letter("1. x\n" * (LETTER_LIMIT // 5 + 1), where="riesig.txt")
    assert str(raised.value) == f"riesig.txt: longer than {LETTER_LIMIT} characters; a motion letter is a few pages."


def test_the_envelope_gives_date_and_group_when_the_letter_names_none() -> None:
    letter = "Antrag: Bänke am Marktplatz\n\nDer Rat möge beschließen:\n\n1. Am Marktplatz werden Bänke aufgestellt.\n"
    found = parse_letter(letter, sent=date(2023, 9, 19), sender="SPD-Fraktion")
    assert found.submitted == date(2023, 9, 19)
    assert found.submitted_by == ("SPD-Fraktion",)
    own = parse_letter(example_letter(), sent=date(2023, 9, 19), sender="Someone Else")
    assert own.submitted == date(2020, 7, 28)
    assert own.submitted_by == ("Fraktion der CDU", "Fraktion der FDP")
