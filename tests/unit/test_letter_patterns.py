"""The patterns of real council letters, each on a small letter made up for it (the real ones: test_letter_sample.py)."""

from __future__ import annotations

from datetime import date

from store.exchange.letter import parse_letter

# A council's form: sender, the paper's number, a consultation table, then the subject without a label.
FORM = """Stadt Rurtal
Der Oberbürgermeister

ANTRAG

Stadträtin Eva Muster (SPD)
SPD-Gemeinderatsfraktion

vom 12. März 2023

Vorlage Nr.: 2023/1090

Mehr Bänke am Marktplatz
Gremium Termin TOP ö nö
Gemeinderat 25.04.2023 7 x

"""


def test_a_form_gives_subject_reference_group_and_own_date_not_the_meeting() -> None:
    found = parse_letter(FORM + "1. Die Stadt stellt zehn Bänke auf.\n2. Sie prüft Schattenplätze.\n")
    assert found.title == "Mehr Bänke am Marktplatz"
    assert found.reference == "2023/1090"
    assert found.submitted_by == ("SPD-Gemeinderatsfraktion",)
    assert found.submitted == date(2023, 3, 12)
    assert found.items == ("Die Stadt stellt zehn Bänke auf", "Sie prüft Schattenplätze")


def test_a_prose_request_gives_its_first_sentence_and_the_text_keeps_it_whole() -> None:
    request = "Die Stadt stellt am Marktplatz zehn Bänke auf. Dabei werden Schattenplätze bevorzugt."
    found = parse_letter(FORM + request + "\n\nDer Marktplatz hat 3 Bänke für 2.000 Besucher.\n")
    assert found.items == ("Die Stadt stellt am Marktplatz zehn Bänke auf",)
    assert request in found.text and "Der Marktplatz hat 3 Bänke" in found.text


def test_a_long_first_sentence_is_cut_at_a_word() -> None:
    found = parse_letter(FORM + "Die Stadt " + "prüft sehr gründlich " * 20 + "alles.\n")
    assert len(found.items[0]) <= 160 and found.items[0].endswith("…") and " gründl…" not in found.items[0]


def test_the_words_that_announce_a_request_lead_to_the_paragraph_after_them() -> None:
    for words in ("Die SPD-Fraktion beantragt:", "Die SPD-Fraktion stellt folgenden Antrag:", "Beschlussvorschlag:"):
        found = parse_letter(
            FORM + words + "\n\nDie Stadt stellt am Marktplatz zehn Bänke auf.\n\nBegründung:\nEs fehlen 12 Bänke.\n"
        )
        assert found.items == ("Die Stadt stellt am Marktplatz zehn Bänke auf",), words


def test_a_request_on_the_line_of_its_words() -> None:
    found = parse_letter(FORM + "Der Gemeinderat möge beschließen: Die Stadt stellt am Marktplatz zehn Bänke auf.\n")
    assert found.items == ("Die Stadt stellt am Marktplatz zehn Bänke auf",)


def test_a_list_in_the_reasoning_is_not_the_request() -> None:
    letter = (
        FORM + "Die Stadt stellt am Marktplatz zehn Bänke auf.\n\nBegründung:\n\n1. Es fehlen Bänke.\n2. Es ist heiß.\n"
    )
    assert parse_letter(letter).items == ("Die Stadt stellt am Marktplatz zehn Bänke auf",)


def test_arrival_stands_for_the_date_and_reasoning_dates_do_not() -> None:
    form = FORM.replace("vom 12. März 2023\n", "Eingang: 19.09.2023\n")
    found = parse_letter(form + "Die Stadt stellt am Marktplatz zehn Bänke auf, wie am 01.02.2023 besprochen.\n")
    assert found.submitted == date(2023, 9, 19)
    undated = parse_letter(FORM.replace("vom 12. März 2023\n", "") + "Die Stadt stellt am Marktplatz zehn Bänke auf.\n")
    assert undated.submitted is None  # the table's 25.04.2023 is the meeting


def test_a_joint_motion_names_each_group_once_without_people() -> None:
    head = FORM.replace(
        "SPD-Gemeinderatsfraktion\n",
        "SPD-Gemeinderatsfraktion\nCDU/FW-Ortschaftsratsfraktion Wettersbach\nStadtrat Jan Peters (FÜR Rurtal)\n",
    )
    found = parse_letter(head + "Die Stadt stellt am Marktplatz zehn Bänke auf.\n\nfür die SPD-Fraktion\nEva Muster\n")
    assert found.submitted_by == ("SPD-Gemeinderatsfraktion", "CDU/FW-Ortschaftsratsfraktion Wettersbach", "FÜR Rurtal")


def test_a_party_above_its_group_word_is_the_group() -> None:
    for head in ("BÜNDNIS 90/DIE GRÜNEN / Fraktion im Kreistag", "BÜNDNIS 90/DIE GRÜNEN\nFraktion im Kreistag"):
        found = parse_letter(head + "\n\nAntrag: Radwege\n\nDer Kreistag möge beschließen:\n\n1. Radwege bauen\n")
        assert found.submitted_by == ("BÜNDNIS 90/DIE GRÜNEN",), head


def test_the_group_that_requests_in_the_text_or_after_the_papers_kind() -> None:
    found = parse_letter("Die SPD-Fraktion beantragt:\n\nDie Stadt stellt am Marktplatz zehn Bänke auf.\n")
    assert found.submitted_by == ("SPD-Fraktion",)
    labelled = parse_letter("Antrag: GRÜNE\nVorlage: 2018/0170\n\nDie Stadt stellt am Marktplatz zehn Bänke auf.\n")
    assert labelled.submitted_by == ("GRÜNE",) and labelled.title != "GRÜNE"
    assert labelled.reference == "2018/0170"


def test_a_subject_right_above_the_request_without_a_blank_line() -> None:
    letter = FORM.replace("Mehr Bänke am Marktplatz\n", "").replace("x\n\n", "x\n\nMehr Bänke am Marktplatz\n")
    found = parse_letter(letter + "Die Stadt stellt am Marktplatz zehn Bänke auf.\n")
    assert found.title == "Mehr Bänke am Marktplatz"
    assert found.items == ("Die Stadt stellt am Marktplatz zehn Bänke auf",)


def test_a_subject_may_end_in_an_exclamation_mark() -> None:
    letter = FORM.replace("Mehr Bänke am Marktplatz", "Bänke für alle am Marktplatz, jetzt!")
    assert parse_letter(letter + "1. Die Stadt stellt Bänke auf.\n").title == "Bänke für alle am Marktplatz, jetzt!"


def test_a_list_that_continues_the_sentence_above_it() -> None:
    found = parse_letter(FORM + "Die Stadtverwaltung\n\n1. prüft Standorte für Bänke,\n2. stellt zehn Bänke auf.\n")
    assert found.title == "Mehr Bänke am Marktplatz"
    assert found.items == ("prüft Standorte für Bänke", "stellt zehn Bänke auf")


def test_a_drucksache_number_is_the_reference() -> None:
    letter = FORM.replace("Vorlage Nr.: 2023/1090", "Drucksache Nr. 17/123")
    assert parse_letter(letter + "1. Die Stadt stellt Bänke auf.\n").reference == "17/123"


# Letters in the styles other councils write, each as a whole.
CLASSIC = "SPD-Fraktion im Rat der Stadt Musterstadt\nRathausplatz 1, 12345 Musterstadt\n\nAn den Bürgermeister\nHerrn Max Mustermann\nRathaus\n\nMusterstadt, 04.01.2012\n\nAntrag zur Sitzung des Rates am 20.01.2012: Verkehrsberuhigung Hauptstraße\n\nSehr geehrter Herr Bürgermeister,\n\ndie SPD-Fraktion beantragt, in der Hauptstraße Tempo 30 einzuführen. Die Verwaltung möge hierzu ein Konzept vorlegen.\n\nBegründung:\nIn der Hauptstraße ereigneten sich 2011 insgesamt 12 Unfälle.\n\nMit freundlichen Grüßen\nHans Meier\nFraktionsvorsitzender\n"
PARTY_LETTERHEAD = "BÜNDNIS 90/DIE GRÜNEN\nFraktion im Kreistag\nKreishaus, Zimmer 12\n\nEingang: 19.09.2023\n\nKreistag des Landkreises Musterland\nBeratungsfolge: Kreisausschuss 10.10.2023, Kreistag 24.10.2023\n\nFörderung von Lastenrädern\n\nBeschlussvorschlag:\nDer Landkreis fördert die Anschaffung von Lastenrädern mit 500 Euro je Rad. Die Mittel werden im Haushalt 2024 bereitgestellt.\n\nSachverhalt:\nLastenräder ersetzen Autofahrten. Im Jahr 2022 wurden 1.200 Räder verkauft.\n\nFür die Fraktion\nPetra Grün, Fraktionsvorsitzende\n"
JOINT = "CDU-Fraktion                                   FDP-Fraktion\nim Gemeinderat Beispielhausen                  im Gemeinderat Beispielhausen\n\nBeispielhausen, 13. September 2013\n\nGemeinsamer Antrag: Sanierung des Hallenbads\n\nDer Gemeinderat möge beschließen:\nDie Verwaltung legt bis Ende 2013 ein Sanierungskonzept für das Hallenbad vor und beziffert die Kosten.\n\nBegründung\nDas Hallenbad wurde 1972 gebaut und seither nicht saniert.\n\ngez. Klaus Schwarz (CDU-Fraktionsvorsitzender)     gez. Fritz Gelb (FDP-Fraktionsvorsitzender)\n"


def test_a_classic_letter_with_a_prose_request_after_the_salutation() -> None:
    found = parse_letter(CLASSIC)
    assert (found.title, found.submitted, found.submitted_by) == (
        "Verkehrsberuhigung Hauptstraße",
        date(2012, 1, 4),
        ("SPD-Fraktion",),
    )
    assert found.items == ("die SPD-Fraktion beantragt, in der Hauptstraße Tempo 30 einzuführen",)
    assert found.meeting == date(2012, 1, 20)


def test_a_party_letterhead_a_decision_proposal_and_the_arrival() -> None:
    found = parse_letter(PARTY_LETTERHEAD)
    assert (found.title, found.submitted, found.submitted_by) == (
        "Förderung von Lastenrädern",
        date(2023, 9, 19),
        ("BÜNDNIS 90/DIE GRÜNEN",),
    )
    assert found.items == ("Der Landkreis fördert die Anschaffung von Lastenrädern mit 500 Euro je Rad",)


def test_a_joint_motion_in_two_columns() -> None:
    found = parse_letter(JOINT)
    assert (found.title, found.submitted, found.submitted_by) == (
        "Sanierung des Hallenbads",
        date(2013, 9, 13),
        ("CDU-Fraktion", "FDP-Fraktion"),
    )


UNLABELLED_SUBJECT = "Freie Wähler\nFraktion im Stadtrat Musterhausen\n\nStadt Musterhausen\nHerrn Oberbürgermeister Dr. Peter Klein\nMarktplatz 1\n12345 Musterhausen\n\nMusterhausen, 3. Februar 2021\n\nBarrierefreier Zugang zum Rathaus\n\nSehr geehrter Herr Oberbürgermeister,\n\nwir beantragen, den Haupteingang des Rathauses bis Ende 2021 barrierefrei umzubauen. Die Kosten sind im Haushalt 2022 einzuplanen.\n\nBegründung:\nDer Eingang hat 5 Stufen. 2019 gab es 3 Beschwerden.\n\nMit freundlichen Grüßen\n\nAnna Weiß\nFraktionsvorsitzende\n"
DECISION_FORM = "Antrag der Fraktion DIE LINKE\n\nDrucksache Nr. 0815/2021\n\nBetreff:\nKostenfreies Mittagessen an Grundschulen\n\nBeratungsfolge:\nSchulausschuss 12.05.2021\nRat der Stadt 01.06.2021\n\nBeschlussvorschlag:\nDie Verwaltung wird beauftragt, ab dem Schuljahr 2021/22 ein kostenfreies Mittagessen an allen Grundschulen anzubieten und die Kosten darzustellen.\n\nBegründung:\nViele Kinder kommen ohne Frühstück in die Schule. Laut Bericht vom 03.03.2021 sind es 20 %.\n\nGez. Maria Rot\nFraktionsvorsitzende DIE LINKE\n"


def test_an_unlabelled_subject_above_the_salutation_and_a_party_above_its_group() -> None:
    found = parse_letter(UNLABELLED_SUBJECT)
    assert (found.title, found.submitted, found.submitted_by) == (
        "Barrierefreier Zugang zum Rathaus",
        date(2021, 2, 3),
        ("Freie Wähler",),
    )
    assert found.items == ("wir beantragen, den Haupteingang des Rathauses bis Ende 2021 barrierefrei umzubauen",)


def test_a_decision_form_with_its_group_after_the_kind_and_no_date_of_its_own() -> None:
    found = parse_letter(DECISION_FORM)
    assert (found.title, found.reference, found.submitted_by) == (
        "Kostenfreies Mittagessen an Grundschulen",
        "0815/2021",
        ("Fraktion DIE LINKE",),
    )
    assert found.submitted is None  # the consultation's dates are meetings, the report's date is reasoning
    assert len(found.items) == 1 and found.items[0].startswith("Die Verwaltung wird beauftragt, ab dem Schuljahr")
