"""Getting motions in and reports out, declared once for both front ends: the command line and the dashboard.

Each workflow works on a :class:`store.Store` and plain files or URLs and returns plain results;
what it has to tell the user comes back as :class:`Notice` objects (a message id and its
parameters), so both front ends say the same thing in the user's language. Loaded lazily by the
front ends, since OParl pulls in httpx.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from store.errors import BadInput
from store.exchange import EXPORT_KINDS, REPORT_KINDS
from store.exchange.documents import IMPORT_SUFFIXES
from store.exchange.export import export_csv, export_json, export_markdown
from store.exchange.files import read_import_file, write_file
from store.exchange.importers import OPARL_FIELDS, motions_from_papers
from store.exchange.report.lights import DEFAULT_LIGHTS
from store.exchange.report.model import CouncilReport, committees_of, council_report
from store.fields import MOTION_FIELDS
from store.i18n import Msg, Msgs, Notice, add_catalog, plural
from store.mail.answers import AnswerRow, answer_file
from store.model import Motion
from store.reports import RecordedReport, record_reports, recorded_reports
from store.store import ImportResult, Store
from store.values import ItemStatus, day_text, now

Progress = Callable[[int, int | None], None]  # done, total (None while unknown)

# --- import of files: motion letters (text, PDF, Word, OpenDocument, e-mail) or our own JSON export ----


@dataclass(frozen=True)
class ImportFile:
    """What a file holds, read but not yet saved: the front end shows it and asks first."""

    path: Path
    motions: list[Motion]
    managed: tuple[str, ...]  # the fields a re-import may update
    answers: list[AnswerRow] | None = None  # a department's answer list instead (store/mail/answers.py)


@dataclass(frozen=True)
class Refused:
    """A file that cannot be imported, and why (the error names the file)."""

    path: Path
    error: BadInput


def read_import(path: Path | str) -> ImportFile:
    """Read a letter or an export file; :class:`store.BadInput` names the file if it cannot be used."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise BadInput(
            "{path}: a folder without files to import ({suffixes}).", path=path, suffixes=" ".join(IMPORT_SUFFIXES)
        )
    answers = answer_file(path)
    if answers is not None:
        return ImportFile(path, [], (), answers)
    motions, managed = read_import_file(path)
    return ImportFile(path, motions, managed)


def import_paths(names: Iterable[Path | str]) -> list[Path]:
    """The files to import: each file named, and for a folder the files in it of a kind import reads,
    sorted by name (hidden files left out). A folder without any stays itself, to be refused by name."""
    paths = []
    for name in names:
        path = Path(name).expanduser()
        inside = sorted(_importable(path)) if path.is_dir() else []
        paths += inside or [path]
    return paths


def _importable(folder: Path) -> Iterable[Path]:
    try:
        children = list(folder.iterdir())
    except OSError as error:
        raise BadInput("{path}: cannot read the file: {detail}.", path=folder, detail=error.strerror) from None
    for child in children:
        if not child.name.startswith(".") and child.suffix.lower() in IMPORT_SUFFIXES and child.is_file():
            yield child


def read_imports(paths: Sequence[Path], progress: Progress | None = None) -> list[ImportFile | Refused]:
    """Each file read, in order; one that cannot be read is refused and the others are read all the same."""
    read: list[ImportFile | Refused] = []
    for done, path in enumerate(paths):
        if progress:
            progress(done, len(paths))
        try:
            read.append(read_import(path))
        except BadInput as error:
            read.append(Refused(path, error))
    if progress:
        progress(len(paths), len(paths))
    return read


def save_import(store: Store, motions: Sequence[Motion], managed: Sequence[str]) -> ImportResult:
    """Merge the motions into the store: new ones added, known ones updated in ``managed`` fields only."""
    return store.import_motions(list(motions), managed=tuple(managed))


def save_imports(store: Store, files: Sequence[ImportFile]) -> tuple[ImportResult, list[Notice]]:
    """Save what several files hold, a write per kind (letters, exports) rather than per file; what the
    import did in all, and a line per file saying what it did with that file's motions."""
    result = ImportResult()
    files = [file for file in files if file.answers is None]  # answers are saved by store.mail.answers
    for managed in dict.fromkeys(file.managed for file in files):
        motions = [motion for file in files if file.managed == managed for motion in file.motions]
        part = save_import(store, motions, managed)
        result.added += part.added
        result.updated += part.updated
        result.kept += part.kept
        result.unchanged += part.unchanged
    added, updated = {m.id for m in result.added}, {m.id for m in result.updated}
    lines = []
    for file in files:
        ids = [motion.id for motion in file.motions]
        new, changed = sum(i in added for i in ids), sum(i in updated for i in ids)
        added -= set(ids)  # the same letter in a later file (a PDF and its Word original) is not new again
        updated -= set(ids)
        lines.append(
            Notice(
                "{path}: imported: {added} new, {updated} updated, {unchanged} unchanged ({items} items).",
                {
                    "path": file.path,
                    "added": new,
                    "updated": changed,
                    "unchanged": len(ids) - new - changed,
                    "items": sum(len(motion.items) for motion in file.motions),
                },
            )
        )
    return result, lines


def import_notices(result: ImportResult) -> list[Notice]:
    """What an import did, line by line: the counts, then each motion where a person's changes were kept."""
    notices = [
        Notice(
            "Imported: {added} new, {updated} updated, {unchanged} unchanged.",
            {"added": len(result.added), "updated": len(result.updated), "unchanged": result.unchanged},
        )
    ]
    notices += [
        Notice(
            "Kept your changes to {motion}: {fields}",
            {"motion": m.reference or m.title, "fields": Msgs(MOTION_FIELDS[name].label for name in fields)},
        )
        for m, fields in result.kept
    ]
    return notices


# --- import over OParl ---------------------------------------------------------------------------


@dataclass
class OParlImport:
    """One OParl run: :meth:`begin` reads the cursor, :meth:`fetch` (network only, any thread) gets the
    papers changed since, :meth:`save` merges them and moves the cursor to when the run began."""

    source: str
    since: datetime | None
    started: datetime
    papers: list[Any] = field(default_factory=list)

    @classmethod
    def begin(cls, store: Store, source: str, *, full: bool = False) -> OParlImport:
        source = source.strip()
        cursor = None if full else store.import_cursor(source)
        return cls(source, datetime.fromisoformat(cursor) if cursor else None, now())

    def fetch(
        self, paper_types: Iterable[str], warn: Callable[[Notice], None], progress: Progress | None = None
    ) -> list[Any]:
        """The papers changed since the last run; each warning (a paper skipped, say) goes to ``warn``."""
        from store.exchange.oparl import OParlWarning, fetch_papers

        def warned(warning: OParlWarning) -> None:
            warn(Notice("Warning: {text}", {"text": warning}))

        self.papers = list(
            fetch_papers(
                self.source,
                paper_types=tuple(paper_types),
                modified_since=self.since,
                progress=progress,
                warn=warned,
            )
        )
        return self.papers

    def save(self, store: Store, today: date) -> ImportResult:
        motions = motions_from_papers(self.papers, {motion.id: motion for motion in store.motions()}, today)
        cursor = self.started.astimezone(UTC).isoformat()
        return store.import_motions(motions, managed=OPARL_FIELDS, source=self.source, cursor=cursor)


# --- reports out -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSetup:
    """What the council's report (docx, pdf) takes beside the motions: the body's name and the traffic
    lights from the config, the reports recorded before (for the annex and what drops off), the meeting."""

    body: str = ""
    lights: Mapping[ItemStatus, str] = field(default_factory=lambda: DEFAULT_LIGHTS)
    records: Sequence[RecordedReport] = ()
    meeting: date | None = None


def report_setup(store: Store, body: str, lights: Mapping[ItemStatus, str], meeting: date | None) -> ReportSetup:
    return ReportSetup(body, lights, recorded_reports(store), meeting)


def _council(motions: Sequence[Motion], lang: str, today: date, public: bool, setup: ReportSetup) -> CouncilReport:
    return council_report(
        motions,
        lang=lang,
        today=today,
        body=setup.body,
        lights=setup.lights,
        records=setup.records,
        meeting=setup.meeting,
        public=public,
    )


def _laid_out(report: CouncilReport, kind: str) -> bytes:
    # python-docx and fpdf2 are loaded only when such a report is made.
    if kind == "docx":
        from store.exchange.report.docx import report_docx

        return report_docx(report)
    from store.exchange.report.pdf import report_pdf

    return report_pdf(report)


def export_content(
    motions: Sequence[Motion],
    kind: str,
    lang: str,
    today: date,
    *,
    plain: bool = False,
    public: bool = False,
    setup: ReportSetup | None = None,
) -> bytes:
    """The motions as a status report (md), a spreadsheet (csv; ``plain``: commas and ISO dates), JSON, or
    the council's report (docx, pdf). ``public``: for publication (store/exchange/publication.py)."""
    if kind == "md":
        return export_markdown(motions, lang, today, public=public).encode("utf-8")
    if kind == "csv":
        return export_csv(motions, lang, dialect="plain" if plain else "excel-de", public=public)
    if kind == "json":
        return export_json(motions, public=public)
    if kind in REPORT_KINDS:
        return _laid_out(_council(motions, lang, today, public, setup or ReportSetup()), kind)
    raise BadInput(
        "{where}: unknown export format {value}; known: {known}.",
        where="format",
        value=repr(kind),
        known=", ".join(EXPORT_KINDS),
    )


def write_export(
    store: Store,
    path: Path | str,
    motions: Sequence[Motion],
    kind: str,
    lang: str,
    today: date,
    *,
    plain: bool = False,
    public: bool = False,
    setup: ReportSetup | None = None,
) -> Notice:
    """Write the export to a file whole or not at all; the notice says what was written where."""
    content = export_content(motions, kind, lang, today, plain=plain, public=public, setup=setup)
    return _write(store, path, content, len(motions))


def write_exported(
    store: Store,
    path: Path | str,
    motions: Sequence[Motion],
    kind: str,
    lang: str,
    today: date,
    *,
    public: bool = False,
    plain: bool = False,
    record: bool = False,
    body: str = "",
    lights: Mapping[ItemStatus, str] = DEFAULT_LIGHTS,
    meeting: date | None = None,
) -> list[Notice]:
    """What both front ends write: the council's report (docx, pdf) of ``body`` with its ``lights``, or
    any other export; ``record`` remembers a report (and is refused for the others)."""
    if kind in REPORT_KINDS or record:
        setup = report_setup(store, body, lights, meeting)
        return write_report(store, path, motions, kind, lang, today, setup=setup, public=public, record=record)
    return [write_export(store, path, motions, kind, lang, today, plain=plain, public=public)]


def write_report(
    store: Store,
    path: Path | str,
    motions: Sequence[Motion],
    kind: str,
    lang: str,
    today: date,
    *,
    setup: ReportSetup,
    public: bool = False,
    record: bool = False,
) -> list[Notice]:
    """Write the council's report (docx, pdf); with ``record``, once the file is written, remember it in
    the store (store/reports.py), a record per committee. The notices say what was written and recorded."""
    if kind not in REPORT_KINDS:
        raise BadInput("{where}: only the council's report ({kinds}) is recorded.", where="--record", kinds="docx, pdf")
    report = _council(motions, lang, today, public, setup)
    notices = [_write(store, path, _laid_out(report, kind), len(motions))]
    if record:
        sections = [(section.committee, section.reported()) for section in report.sections]
        notices += [
            recorded_notice(done, lang) for done in record_reports(store, sections, today, setup.meeting, public)
        ]
    return notices


def _write(store: Store, path: Path | str, content: bytes, count: int) -> Notice:
    """Never over the store's own files: written there, a report would destroy or split it."""
    target = Path(path).expanduser()
    if store.files.holds(target):
        raise BadInput(
            "{path}: this is a file of the store ({store}); write the export to another file.",
            path=path,
            store=store.path,
        )
    write_file(target, content)
    message = plural("Wrote {count} motion to {path}.", "Wrote {count} motions to {path}.", count)
    return Notice(message, {"count": count, "path": os.path.abspath(target)})  # to find it from anywhere


def recorded_notice(record: RecordedReport, lang: str) -> Notice:
    """A recorded report in a line: its day, committee, items, and who recorded it."""
    message = plural(
        "Report {number} of {date} to {committee}: {count} item, {done} done, recorded by {by}{public}.",
        "Report {number} of {date} to {committee}: {count} items, {done} done, recorded by {by}{public}.",
        len(record.items),
    )
    return Notice(
        message,
        {
            "number": record.number,
            "date": day_text(record.day, lang),
            "committee": record.committee or Msg("(without a committee)"),
            "count": len(record.items),
            "done": sum(status is ItemStatus.DONE for _motion, _number, status in record.items),
            "by": record.by,
            "public": Msg(" (for publication)") if record.public else "",
        },
    )


def of_committee(motions: Sequence[Motion], committee: str, known: Sequence[Motion]) -> list[Motion]:
    """The motions of ``committee`` (case and blanks around it ignored); BadInput naming the committees
    of ``known`` (the store's motions) if none of them has it."""
    wanted = " ".join(committee.split()).casefold()
    names = committees_of(known)
    if wanted not in {" ".join(name.split()).casefold() for name in names}:
        raise BadInput(
            "{where}: no motion of the committee {value}; committees: {known}.",
            where="--committee",
            value=repr(committee),
            known=", ".join(name for name in names if name) or "–",
        )
    return [motion for motion in motions if " ".join(motion.committee.split()).casefold() == wanted]


def of_department(motions: Sequence[Motion], department: str, kind: str) -> list[Motion]:
    """The motions with items of ``department`` (case and blanks around it ignored). A report or a
    spreadsheet (md, csv) lists only those items; JSON keeps each motion whole, as an import needs it."""
    wanted = " ".join(department.split()).casefold()
    chosen = []
    for motion in motions:
        items = tuple(item for item in motion.items if " ".join(item.department.split()).casefold() == wanted)
        if items:
            chosen.append(motion if kind == "json" else replace(motion, items=items))
    return chosen


add_catalog(
    "de",
    {
        "Imported: {added} new, {updated} updated, {unchanged} unchanged.": "Importiert: {added} neu, {updated} aktualisiert, {unchanged} unverändert.",
        "Kept your changes to {motion}: {fields}": "Eigene Änderungen an {motion} behalten: {fields}",
        "Wrote {count} motion to {path}.": "{count} Antrag nach {path} geschrieben.",
        "{where}: only the council's report ({kinds}) is recorded.": "{where}: nur der Bericht an das Gremium ({kinds}) wird festgehalten.",
        "Report {number} of {date} to {committee}: {count} item, {done} done, recorded by {by}{public}.": "Bericht {number} vom {date} an {committee}: {count} Punkt, {done} erledigt, festgehalten von {by}{public}.",
        "Report {number} of {date} to {committee}: {count} items, {done} done, recorded by {by}{public}.": "Bericht {number} vom {date} an {committee}: {count} Punkte, {done} erledigt, festgehalten von {by}{public}.",
        " (for publication)": " (zur Veröffentlichung)",
        "{where}: no motion of the committee {value}; committees: {known}.": "{where}: kein Antrag des Gremiums {value}; Gremien: {known}.",
        "Wrote {count} motions to {path}.": "{count} Anträge nach {path} geschrieben.",
        "{path}: this is a file of the store ({store}); write the export to another file.": "{path}: eine Datei des Bestands ({store}); den Export in eine andere Datei schreiben.",
        "Warning: {text}": "Warnung: {text}",
        "{path}: a folder without files to import ({suffixes}).": "{path}: ein Ordner ohne Dateien zum Importieren ({suffixes}).",
        "{path}: imported: {added} new, {updated} updated, {unchanged} unchanged ({items} items).": "{path}: importiert: {added} neu, {updated} aktualisiert, {unchanged} unverändert ({items} Punkte).",
    },
)
