"""The fields around the requested items: the dates, who writes to whom, the legal basis, the committee, the title."""

from __future__ import annotations

import re
from collections.abc import Sequence

from store.exchange.letter.dates import is_date_line
from store.exchange.letter.lines import (
    CLOSING,
    COLUMNS,
    SALUTATION,
    Layout,
    Line,
    find,
    is_prose,
    lead,
    span_words,
)

# --- Who writes to whom -----------------------------------------------------------------

# A group as letterheads and signatures name it: "Fraktion der CDU", "CDU-Fraktion",
# "SPD-Ratsfraktion", "Fraktion Bündnis 90/Die Grünen", "Gruppe FW". Not "Fraktionsvorsitzender".
_GROUP = re.compile(r"^(?:[\w/.‘’']+(?:[ -][\w/.‘’']+){0,3}-)?\w*(?:fraktion|Fraktion)\b|^Gruppe\b")
# A member with the group in brackets: "Stadtrat Jan Peters (FÜR Rurtal)", the bracket sometimes cut off.
_MEMBER = re.compile(r"^(?:[A-ZÄÖÜ][\w.-]*\s+){1,5}\((?P<group>[^()]{1,30}?)\)?\s*$")
# Where a group sits, which its name does without: "CDU-Fraktion im Rat der Stadt Wegberg".
_GROUP_PLACE = re.compile(r"\s+(?:im|in\s+der|in\s+dem|in)\s+.*$")
# The word for the group itself, which says nothing about which group it is ("kreistagsfraktion").
_GROUP_WORD = re.compile(r"\w*fraktion\b|\bgruppe\b")
# A word of a party's name: "cdu", "bündnis", "90/die".
_WORD = re.compile(r"[\w/]+")
# Lowercase words a group's name may hold; any other lowercase word makes the line prose.
_NAME_FILLERS = frozenset({"der", "die", "des", "im", "in", "und", "von"})
_ADDRESS = re.compile(r"^An(?:\s+(?:den|die|das))?(?:\s+(?P<rest>.*))?$")
# A form of address before the addressee's office or name.
_HONORIFIC = re.compile(r"^(?:Herrn?|Frau)\b\s*")
# An addressee by office when there is no "An den" line: "Herrn Bürgermeister", "Frau Landrätin Dr. Lindner".
_OFFICE = re.compile(
    r"^(?:Herrn?|Frau)\s+(?P<office>(?:Ober|Bezirks)?[Bb]ürgermeister(?:in)?|Landrat|Landrätin)\b"
    r"(?P<of>\s+(?:der|des)\s+.+)?"
)
# The copy list's label: "z. K.:", "nachrichtlich:", "Kopie an:", "Verteiler:".
COPY_LABEL = re.compile(
    r"^(?:z\.\s?K\.?\s*:?|(?:zur\s+Kenntnis(?:nahme)?|nachrichtlich|Kopie(?:\s+an)?|Verteiler|cc)\s*:)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Separators between the entries of a copy list written on one line.
_LIST_SEPARATOR = re.compile(r"\s*[,;]\s*|\s{3,}")
# A bullet before a copy list entry.
_BULLET = re.compile(r"^[-–•*·]\s+")


# A signature line naming the group: "für die CDU-Fraktion", "Vorsitzender der SPD-Ratsfraktion".
_SIGNATURE = re.compile(r"^(?:für\s+die|(?:Fraktions)?vorsitzende[rn]?\s+der)\s+(?P<group>.+)$", re.IGNORECASE)


def submitted_by(lines: Sequence[Line], layout: Layout) -> tuple[str, ...]:
    """The groups in the letterhead, then those that only sign; one name per group, the letterhead's."""
    skip = set(_block(lines, _ADDRESS, layout.header)) | set(_block(lines, COPY_LABEL, range(len(lines))))
    letterhead = [
        column
        for index in layout.header
        if index not in skip
        for column in _PARTY_AND_GROUP.split(lines[index].text)
        for column in COLUMNS.split(column)
    ]
    signed = [group for index in layout.after_items for group in signed_groups(lines[index])]
    # A member's group counts where no group line names it (a member of a group too small to be a "Fraktion").
    members = [match["group"].strip() for index in layout.header if (match := _MEMBER.match(lines[index].words))]
    groups: list[str] = []
    # "SPD-Ratsfraktion Wegberg" signs as "SPD-Fraktion": one group's key may add words (the
    # place) to another's. Every key seen and its beginnings are kept in sets, so a letterhead
    # of many names is not compared name by name with every other.
    keys: set[str] = set()
    beginnings: set[str] = set()
    request = [match["group"] for index in layout.body if (match := _GROUP_REQUESTS.search(lines[index].words))]
    labelled = [
        group
        for index in layout.header
        if (match := _GROUP_LABEL.match(lines[index].words) or _KIND_OF_GROUP.match(lines[index].words))
        and (group := match["group"] if match.re is _GROUP_LABEL else _group_name(match["group"]))
    ]
    for name in [*_letterhead_groups(letterhead), *labelled, *request, *signed, *members]:
        key = _group_key(name) if name else ""
        own = _beginnings(key)
        if key and key not in keys and key not in beginnings and keys.isdisjoint(own):
            groups.append(name)
            keys.add(key)
            beginnings.update(own)
    return tuple(groups)


# A group that requests in the text: "Die SPD-Fraktion beantragt", "die CDU-Gemeinderatsfraktion stellt folgenden Antrag".
_GROUP_REQUESTS = re.compile(
    r"\b[Dd]ie\s+(?P<group>[\w/.‘’']+(?:-[\w/.‘’']+)*-\w*[Ff]raktion)\s+(?:beantragt|stellt|bittet|möchte|fragt)\b"
)
# A group named after the paper's kind: "Antrag: SPD", "Anfrage: GRÜNE", "Antrag: CDU/FW" (a short name in capitals).
_GROUP_LABEL = re.compile(
    r"^(?:Antrag|Anfrage|Antragsteller(?:in)?)\s*:\s*(?P<group>[A-ZÄÖÜ]{2,}[\w/-]*(?:\s+\w+)?)\s*$"
)
# The paper's kind with its group: "Antrag der Fraktion DIE LINKE", "Anfrage der SPD-Fraktion: Thema".
_KIND_OF_GROUP = re.compile(r"^(?:[A-ZÄÖÜ]\w+\s+)?(?:Antrag|Anfrage)\s+der\s+(?P<group>[^:]+?)\s*(?::.*)?$")
# A party's name and its group set apart: "BÜNDNIS 90/DIE GRÜNEN / Fraktion im Kreistag".
_PARTY_AND_GROUP = re.compile(r"(?<!\s)\s+/\s+(?=\w*[Ff]raktion\b)")
# A group named by its word alone ("Fraktion im Kreistag"), the party on the line above it.
_BARE_GROUP = re.compile(r"^\w*[Ff]raktion\b")
# A party's name: a few words, the first a capital or digit: "BÜNDNIS 90/DIE GRÜNEN", "Die Linke".
_PARTY = re.compile(r"^[A-ZÄÖÜ0-9][\w/.‘’'-]*(?:\s+[\w/.‘’'-]+){0,3}$")


def _letterhead_groups(texts: list[str]) -> list[str]:
    """Each letterhead text's group; a bare "Fraktion im Kreistag" gives the party written above it."""
    names = []
    for number, text in enumerate(texts):
        name = _group_name(text)
        party = texts[number - 1].strip() if number else ""
        if not name and _BARE_GROUP.match(text.strip()) and _PARTY.match(party) and not _group_name(party):
            name = party
        names.append(name)
    return names


def _beginnings(key: str) -> list[str]:
    """The key's beginnings at word boundaries, itself not included: "spd wegberg" gives ["spd"]."""
    words = key.split(" ")
    return [" ".join(words[:count]) for count in range(1, len(words))]


def signed_groups(line: Line) -> list[str]:
    """The groups a signature line names ("für die CDU-Fraktion"), one per column; none for other lines."""
    matches = (_SIGNATURE.match(column) for column in COLUMNS.split(line.text))
    return [name for match in matches if match and (name := _group_name(match["group"]))]


def names_group(line: Line) -> bool:
    """Whether a line of the letterhead or a signature names a group ("SPD-Fraktion", "für die CDU-Fraktion")."""
    return any(_group_name(column) for column in COLUMNS.split(line.text)) or bool(signed_groups(line))


def _group_name(text: str) -> str:
    name = _GROUP_PLACE.sub("", " ".join(text.split()))
    words = name.split()
    is_name = 0 < len(words) <= 8 and all(word in _NAME_FILLERS or not word[0].islower() for word in words)
    return name if is_name and _GROUP.match(name) and _group_key(name) else ""


def _group_key(name: str) -> str:
    """The party in a group's name: "Fraktion der CDU" and "CDU-Fraktion" both give "cdu"."""
    words = _WORD.findall(_GROUP_WORD.sub(" ", name.casefold()))
    while words and words[0] in ("der", "die", "des", "von"):
        words.pop(0)
    return " ".join(words)


def _block(lines: Sequence[Line], label: re.Pattern[str], span: range) -> range:
    """The lines from the first in ``span`` matching ``label`` to a blank line or another part of the letter."""
    start = find(lines, label, span.start, span.stop)
    if start is None:
        return range(0)
    end = next((index for index in range(start + 1, len(lines)) if _ends_block(lines[index])), len(lines))
    return range(start, end)


def _ends_block(line: Line) -> bool:
    starts_part = (_ADDRESS, COPY_LABEL, SUBJECT, SALUTATION, CLOSING)
    return (
        not line.text
        or any(pattern.match(line.text) for pattern in starts_part)
        or bool(is_date_line(line) or is_prose(line))
    )


def _after_label(label: re.Pattern[str], text: str) -> str:
    """What follows the label on the line that :func:`_block` started at (so the label matches it)."""
    match = label.match(text)
    return (match["rest"] if match else None) or ""


def addressed_to(lines: Sequence[Line], header: range) -> str:
    block = _block(lines, _ADDRESS, header)
    if not block:
        office = next((match for index in header if (match := _OFFICE.match(lines[index].words))), None)
        return office["office"] + (office["of"] or "") if office else ""
    first = _after_label(_ADDRESS, lines[block.start].text)
    candidates = [first, *(lines[index].words for index in block[1:])]
    return next((office for office in (_HONORIFIC.sub("", text).strip() for text in candidates) if office), "")


def copy_list(lines: Sequence[Line]) -> range:
    """The lines of the copy list ("z. K.: ..."), which belong to the letterhead."""
    return _block(lines, COPY_LABEL, range(len(lines)))


def copy_to(lines: Sequence[Line]) -> tuple[str, ...]:
    block = _block(lines, COPY_LABEL, range(len(lines)))
    if not block:
        return ()
    texts = [_after_label(COPY_LABEL, lines[block.start].text), *(lines[index].text for index in block[1:])]
    entries = (_BULLET.sub("", entry).strip() for text in texts for entry in _LIST_SEPARATOR.split(text))
    return tuple(dict.fromkeys(" ".join(entry.split()) for entry in entries if entry))


# --- What the letter is about and where it goes -----------------------------------------------

# A paragraph of the rules of procedure or the municipal code: "§ 5 GeschO", "§ 24 Abs. 1 GO NRW",
# "§ 3 der Geschäftsordnung"; a second word only if it is an abbreviation such as "NRW".
_LEGAL = re.compile(
    r"§§?\s*\d+[a-z]?(?:\s*(?:,|und|Abs\.|Absatz|Satz|S\.|Nr\.)\s*\d+[a-z]?)*"
    r"\s+(?:der\s+|des\s+)?[A-ZÄÖÜ][\w.-]*(?:\s+[A-Z]{2,}\b)?"
)
# A paragraph sign and the blanks after it, to write "§5" and "§  5" as "§ 5".
_PARAGRAPH_SIGN = re.compile(r"(§+)\s*")
# The councils and committees a motion goes to, in the genitive ("des Kreisausschusses") or not;
# "Landrat" and "Referat" are no bodies. The remit follows "für": "Ausschuss für Umwelt, Klima und Mobilität".
_BODY = (
    r"(?P<body>(?:[A-ZÄÖÜ]\w*-\s+und\s+)?"
    r"(?:[A-ZÄÖÜ]\w*ausschuss|Ausschuss|Kreistag|Rat|Stadtrat|Gemeinderat|Ortschaftsrat|Integrationsrat"
    r"|[A-ZÄÖÜ]\w*beirat|Beirat|Stadtverordnetenversammlung|Gemeindevertretung"
    r"|Bezirksvertretung(?:\s+[A-ZÄÖÜ][\w-]*)?))"  # with the district: "Bezirksvertretung Nord"
    r"(?:es|s)?\b"
    r"(?P<remit>\s+für\s+[A-ZÄÖÜ][\w-]*(?:(?:,\s*|\s+und\s+)[A-ZÄÖÜ][\w-]*)*)?"
)
# The body whose meeting is asked for: "in der nächsten Sitzung des Kreisausschusses/Kreistages".
_SESSION_OF = re.compile(r"\bSitzung(?:en)?\s+(?:des|der)\s+" + _BODY)
# The same as one word: "in der nächsten Ratssitzung", "Kreistagssitzung".
_SESSION_WORD = re.compile(r"\b(?P<body>Rat|Kreistag|Stadtrat|Gemeinderat|[A-ZÄÖÜ]\w*ausschuss)s?sitzung")
# A body named in the request: "informiert den Kreisausschuss", "Der Rat möge beschließen".
_BODY_NAMED = re.compile(r"(?i:\b(?:im|in\s+den|in\s+dem|dem|den|des|der|an\s+den|vom))\s+" + _BODY)


def legal_basis(lines: Sequence[Line]) -> str:
    match = _LEGAL.search(span_words(lines, range(len(lines))))
    return _PARAGRAPH_SIGN.sub(r"\1 ", match.group()) if match else ""


def committee(lines: Sequence[Line], layout: Layout) -> str:
    """The first body whose meeting the letter names, else the first the request names."""
    sessions = span_words(lines, range(layout.items.stop))
    found = [match for pattern in (_SESSION_OF, _SESSION_WORD) if (match := pattern.search(sessions))]
    if not found:
        request = span_words(lines, range(layout.body.start, layout.items.stop))
        found = [match for match in [_BODY_NAMED.search(request)] if match]
    if not found:
        return ""
    first = min(found, key=lambda match: match.start())
    remit = first.groupdict().get("remit") or ""
    return first["body"] + remit


# --- Title and text ----------------------------------------------------------------------

# The subject line: "Betreff: ...", "Antrag: ...", "Antrag der SPD-Fraktion: ...", "Gemeinsamer Antrag: ...",
# "Dringlichkeitsantrag: ...". Not
# "Antrag gemäß § 5 GeschO zur Beratung ...", which says how, not what.
SUBJECT = re.compile(
    r"^(?:(?:[A-ZÄÖÜ]\w+\s+)?(?:Betreff|Antrag|Anfrage|Thema|Gegenstand)\b|[A-ZÄÖÜ]\w*(?:antrag|anfrage)\b|Betr\.)"
    r"[^:]{0,60}:\s*(?P<subject>.*)$"
)
# The longest title made from the request or an item; a longer one is cut at a word (a subject is kept whole).
_TITLE_LENGTH = 160
# Headings that name no subject: sections, the procedure, the sender, the salutation.
_GENERIC_HEADING = re.compile(
    r"§|fraktion\b|^(?:Antrag|Anfrage|Begründung|Beschlussvorschlag|Sachverhalt)\W*$|^Sehr\s+geehrte", re.IGNORECASE
)
# What a report request is about: "informiert ... über den aktuellen Stand folgender Projekte".
_ABOUT = re.compile(r"\büber\s+(?P<phrase>(?!folgende)\S.*)$")
# What a list request names: "folgende Maßnahmen zur Verkehrsberuhigung in der Südstraße umzusetzen",
# up to the verb; capitalised words with the articles and prepositions between them.
_FOLLOWING = re.compile(
    r"\b[Ff]olgende[nrs]?\s+(?P<phrase>[A-ZÄÖÜ][\w-]*"
    r"(?:\s+(?:(?:zur|zum|zu|im|in|für|von|vom|am|an|auf|bei|mit|und|der|des|die|den|dem)\s+)*[A-ZÄÖÜ0-9][\w./-]*)*)"
)
# Nouns that only say that a list follows: "folgende Punkte", "folgende Fragen".
_GENERIC_NOUN = re.compile(r"^(?:Punkte|Fragen|Antrag|Anträge|Beschluss|Beschlüsse)\b")
# An article with its adjectives, as after "über": "den aktuellen", "die bisherigen", "das neue".
_ARTICLE = re.compile(r"^(?P<article>den|die|das)\s+(?P<adjectives>(?:[a-zäöüß]+\s+)*)(?=[A-ZÄÖÜ])")
# Without the article the adjectives take the strong ending: "den aktuellen Stand" -> "aktueller Stand",
# "die bisherigen Ergebnisse" -> "bisherige Ergebnisse", "das neue Konzept" -> "neues Konzept".
_STRONG_ENDING = {"den": ("en", "er"), "die": ("en", "e"), "das": ("e", "es")}


def read_title(lines: Sequence[Line], layout: Layout, items: tuple[str, ...], unlabelled: str) -> str:
    """The subject line ("Betreff: ..."), a heading, the subject a form shows without a label (``unlabelled``);
    else what the request sentence names or the first item, cut at a word if long."""
    unlabelled = "" if _GENERIC_HEADING.search(unlabelled) else unlabelled  # "Antrag gemäß § 5 GeschO ..."
    title = _subject(lines, layout.header) or _heading(lines, layout.header) or unlabelled
    if not title:
        title = _from_request(lines, layout) or items[0]
        if len(title) > _TITLE_LENGTH:
            title = title[: _TITLE_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–") + "…"
    return title[:1].upper() + title[1:]


def _subject(lines: Sequence[Line], header: range) -> str:
    for index in header:
        match = SUBJECT.match(lines[index].text)
        if match and not _GROUP_LABEL.match(lines[index].words):  # "Antrag: SPD" names who, not what
            # "Betreff:" alone has the subject on the next line.
            following = next((lines[i].words for i in range(index + 1, header.stop) if lines[i].text), "")
            return " ".join(match["subject"].split()) or following
    return ""


def _heading(lines: Sequence[Line], header: range) -> str:
    headings = (lines[index] for index in header if lines[index].heading)
    return next((line.words for line in headings if not _GENERIC_HEADING.search(line.text)), "")


def _from_request(lines: Sequence[Line], layout: Layout) -> str:
    """A title from the sentence that leads to the items, e.g. "Aktueller Stand folgender Projekte"."""
    sentence = lead(lines, layout.items.start, layout.body.start).rstrip(" .:")
    about, following = _ABOUT.search(sentence), _FOLLOWING.search(sentence)
    if about:
        phrase = _nominative(_without_verb(about["phrase"]))
    elif following and not _GENERIC_NOUN.match(following["phrase"]):
        phrase = following["phrase"]
    else:
        return ""
    return phrase


def _without_verb(phrase: str) -> str:
    """The phrase without the verb and particles that end a request sentence: "... zu berichten"."""
    words = phrase.split()
    while words and words[-1][:1].islower():
        words.pop()
    return " ".join(words)


def _nominative(phrase: str) -> str:
    """The phrase without its article, the adjectives declined to match."""
    match = _ARTICLE.match(phrase)
    if not match:
        return phrase
    old, new = _STRONG_ENDING[match["article"]]
    adjectives = [word[: -len(old)] + new if word.endswith(old) else word for word in match["adjectives"].split()]
    return " ".join([*adjectives, phrase[match.end() :]])


# The paper's number after its label: "Vorlage Nr.: 2023/1090", "Drucksache 17/123", "Drucksachen-Nr. 0815/2021".
_REFERENCE = re.compile(
    r"\b(?:Vorlage|Drucksache|Drucksachen)(?:[\s-]*(?:Nr\.?|Nummer))?\s*:?\s*"
    r"(?P<reference>\d[\w]*(?:[/.-]\d[\w]*)+|\d{3,})\b"
)


def reference(lines: Sequence[Line], header: range) -> str:
    matches = (_REFERENCE.search(lines[index].words) for index in header)
    return next((match["reference"] for match in matches if match), "")
