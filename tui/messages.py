"""German texts of the command line and the dashboard (the English is the message id)."""

from store.i18n import add_catalog

# The empty store's welcome, long enough to be named once.
WELCOME = (
    "No motions yet.\n\n"
    "n   add a motion\n"
    "B   add the example motion (Kreistag Heinsberg, 28.07.2020)\n"
    "^p  import a motion letter or OParl (command palette)\n\n"
    "On the command line:\n"
    "    sachstand add --title ... --item ...   add a motion\n"
    "    sachstand example                      add the example motion\n"
    "    sachstand import FILE                  import a motion letter\n\n"
    "?   all keys"
)


add_catalog(
    "de",
    {
        # sync
        "exchange changes with the sync server: pull, merge, push":
            "Änderungen mit dem Sync-Server austauschen: holen, zusammenführen, senden",
        "the sync server (default: remote from the config, or $SACHSTAND_REMOTE)":
            "der Sync-Server (Standard: remote aus der Konfiguration oder $SACHSTAND_REMOTE)",
        "the access token (default: token from the config, or $SACHSTAND_TOKEN)":
            "das Zugangs-Token (Standard: token aus der Konfiguration oder $SACHSTAND_TOKEN)",
        "a CA certificate bundle to verify the server with (default: the system's)":
            "CA-Zertifikate zur Prüfung des Servers (Standard: die des Systems)",
        "list the sync conflicts: what, mine, theirs": "die Sync-Konflikte auflisten: was, meins, ihres",
        "settle a sync conflict; the next sync sends the decision":
            "einen Sync-Konflikt entscheiden; der nächste Sync sendet die Entscheidung",
        "the item's number, or motion for the motion's own fields":
            "die Nummer des Punkts, oder motion für die Felder des Antrags selbst",
        "keep this copy's values": "die Werte dieser Kopie behalten",
        "take the server's values": "die Werte des Servers übernehmen",
        "Synced with {url}: {pulled} received, {pushed} sent.": "Abgeglichen mit {url}: {pulled} empfangen, {pushed} gesendet.",
        "{count} conflicts remain (sachstand conflicts, sachstand resolve):":
            "{count} Konflikte offen (sachstand conflicts, sachstand resolve):",
        "No conflicts.": "Keine Konflikte.",
        "Resolved {count} conflicts ({choice}); the next sync sends the decision.":
            "{count} Konflikte entschieden ({choice}); der nächste Sync sendet die Entscheidung.",
        "kept mine": "meins behalten",
        "took theirs": "ihres übernommen",
        "mine": "meins",
        "theirs": "ihres",
        "motion: {field}": "Antrag: {field}",
        "item {number}: {field}": "Punkt {number}: {field}",
        "item {number} (whole item)": "Punkt {number} (ganzer Punkt)",
        "error": "Fehler",
        # parser
        "the data file (default: from config, $SACHSTAND_DB, or the user data folder)":
            "die Datendatei (Standard: aus der Konfiguration, $SACHSTAND_DB oder dem Benutzerdatenordner)",
        "language of the output (de or en)": "Sprache der Ausgabe (de oder en)",
        "Sachstand: track council motions and the status of what they request.":
            "Sachstand: Anträge der Fraktionen und den Stand ihrer beantragten Punkte verfolgen.",
        "print the version and exit": "Version ausgeben und beenden",
        "add the example motion (Kreistag Heinsberg, 28.07.2020) and print its id":
            "den Beispielantrag (Kreistag Heinsberg, 28.07.2020) anlegen und seine ID ausgeben",
        "open the dashboard on a temporary store holding the example motion":
            "das Dashboard mit einem temporären Bestand öffnen, der den Beispielantrag enthält",
        "list motions": "Anträge auflisten",
        "only motions in this procedural status, or with an item in this item status":
            "nur Anträge in diesem Verfahrensstand oder mit einem Punkt in diesem Status",
        "print JSON": "JSON ausgeben",
        "show one motion with its items": "einen Antrag mit seinen Punkten zeigen",
        "an id, a unique id prefix or a reference number":
            "eine ID, ein eindeutiger ID-Anfang oder eine Drucksachen-Nr.",
        "add a motion and print its id": "einen Antrag anlegen und seine ID ausgeben",
        "the motion's title": "Titel des Antrags",
        "reference number (Drucksachen-Nr.)": "Drucksachen-Nr.",
        "date the motion was submitted": "Datum des Antrags",
        "submitting group(s)": "antragstellende Fraktion(en)",
        "addressee, e.g. the Landrat": "Adressat, z. B. der Landrat",
        "groups receiving a copy (z. K.)": "Fraktionen zur Kenntnis (z. K.)",
        "committee that deals with it": "zuständiges Gremium",
        "date of the target meeting": "Datum der vorgesehenen Sitzung",
        "legal basis, e.g. § 5 GeschO": "Rechtsgrundlage, z. B. § 5 GeschO",
        "the motion is dealt with in non-public session": "der Antrag wird nichtöffentlich beraten",
        "free text": "Freitext",
        "link to the source (letter, OParl paper)": "Verweis auf die Quelle (Schreiben, OParl-Drucksache)",
        "a requested item (repeat for each)": "ein beantragter Punkt (für jeden wiederholen)",
        "set the status of one item": "den Status eines Punktes setzen",
        "the item's number": "Nummer des Punktes",
        "open, in_progress, reported, done or deferred (German labels work too)":
            "offen, in Bearbeitung, berichtet, erledigt oder zurückgestellt (auch open, in_progress, reported, done, deferred)",
        "the status text (Sachstand)": "der Sachstand",
        "lead department (federführendes Amt)": "federführendes Amt",
        "person handling it": "zuständige Person",
        "follow-up date (Wiedervorlage); empty to clear": "Wiedervorlage; leer zum Löschen",
        "show what changed, when and by whom": "zeigen, was wann von wem geändert wurde",
        "only this motion": "nur dieser Antrag",
        "show the last N changes (0: all)": "die letzten N Änderungen zeigen (0: alle)",
        "undo your last change": "die eigene letzte Änderung rückgängig machen",
        "import a motion letter (text or Markdown) or a Sachstand JSON export":
            "ein Antragsschreiben (Text oder Markdown) oder einen Sachstand-JSON-Export importieren",
        "the letter or export file": "die Schreiben- oder Exportdatei",
        "save without asking": "ohne Rückfrage speichern",
        "import the motions (papers) of a council information system over OParl":
            "die Anträge (Drucksachen) eines Ratsinformationssystems über OParl importieren",
        "an OParl system or body URL": "eine OParl-System- oder -Körperschafts-URL",
        "paper types to import (default: oparl_types from the config, else Antrag; repeat for more)":
            "zu importierende Drucksachenarten (Standard: oparl_types aus der Konfiguration, sonst Antrag; für mehrere wiederholen)",
        "fetch everything, not only what changed since the last run":
            "alles abrufen, nicht nur, was sich seit dem letzten Lauf geändert hat",
        "write a status report (Markdown), a spreadsheet (CSV) or JSON":
            "einen Sachstandsbericht (Markdown), eine Tabelle (CSV) oder JSON schreiben",
        "md, csv or json (default: md)": "md, csv oder json (Standard: md)",
        "only motions with items of this department": "nur Anträge mit Punkten dieses Amtes",
        "only motions for the meeting on this date": "nur Anträge für die Sitzung an diesem Tag",
        "CSV with commas and ISO dates instead of the German spreadsheet format":
            "CSV mit Kommas und ISO-Daten statt des deutschen Tabellenformats",
        "write to FILE instead of the screen": "in DATEI schreiben statt auf den Bildschirm",
        "{count} motions in {path}:": "{count} Anträge in {path}:",
        "Nothing saved.": "Nichts gespeichert.",
        "Nothing saved: confirm with --yes when there is no terminal to ask.":
            "Nichts gespeichert: ohne Terminal zum Nachfragen mit --yes bestätigen.",
        "Save? [y/N] ": "Speichern? [j/N] ",
        "Imported: {added} new, {updated} updated, {unchanged} unchanged.":
            "Importiert: {added} neu, {updated} aktualisiert, {unchanged} unverändert.",
        "Kept your changes to {motion}: {fields}": "Eigene Änderungen an {motion} behalten: {fields}",
        "Wrote {count} motions to {path}.": "{count} Anträge nach {path} geschrieben.",
        "Warning: {text}": "Warnung: {text}",
        "papers": "Drucksachen",
        "source_deleted": "in der Quelle gelöscht",
        "fill an empty store with synthetic motions, for trying and measuring at scale":
            "einen leeren Bestand mit erfundenen Anträgen füllen, zum Ausprobieren und Messen im Großen",
        "how many motions": "wie viele Anträge",
        "the same seed gives the same motions": "derselbe Startwert ergibt dieselben Anträge",
        "{path} holds {count} motions already; generate fills only an empty store.":
            "{path} enthält schon {count} Anträge; generate füllt nur einen leeren Bestand.",
        "Generated {count} motions in {seconds:.1f} s.": "{count} Anträge in {seconds:.1f} s erzeugt.",
        # output
        "Added the example motion: {title}": "Beispielantrag angelegt: {title}",
        "The example motion is already there: {title}": "Der Beispielantrag ist schon vorhanden: {title}",
        "The dashboard needs a terminal; for scripts use the commands (sachstand --help).":
            "Das Dashboard braucht ein Terminal; für Skripte gibt es die Befehle (sachstand --help).",
        "No motions. Add one with `sachstand add` or the example with `sachstand example`.":
            "Keine Anträge. Mit `sachstand add` einen anlegen oder mit `sachstand example` den Beispielantrag.",
        "Added motion {title} with {count} items.": "Antrag {title} mit {count} Punkten angelegt.",
        "Nothing changed.": "Nichts geändert.",
        "No changes recorded yet.": "Noch keine Änderungen aufgezeichnet.",
        "Undone: {change}": "Rückgängig gemacht: {change}",
        "{done}/{total} done": "{done}/{total} erledigt",
        "Requested items:": "Beantragte Punkte:",
        "ID": "ID",
        "Reference": "Drucksache",
        "Submitted": "Datum",
        "Groups": "Fraktionen",
        "Progress": "Fortschritt",
        "Title": "Titel",
        "Submitted by": "Antragsteller",
        "Addressed to": "An",
        "Copy to": "z. K.",
        "Committee": "Gremium",
        "Meeting": "Sitzung",
        "Legal basis": "Rechtsgrundlage",
        "Public": "Öffentlich",
        "Procedure": "Verfahrensstand",
        "Source": "Quelle",
        "Updated": "Geändert",
        "yes": "ja",
        "no": "nein",
        "Department": "Amt",
        "Due": "Wiedervorlage",
        "Assignee": "Bearbeitung",
        "deleted": "gelöscht",
        "created": "angelegt",
        "undo": "rückgängig",
        "import": "Import",
        "At the source": "In der Quelle",
        "deleted at the source": "in der Quelle gelöscht",
        "item {number} added": "Punkt {number} hinzugefügt",
        "item {number} removed": "Punkt {number} entfernt",
        "item {number}": "Punkt {number}",
        # dashboard
        "Follow-up": "Wiedervorl.",
        "Add the example motion": "Beispielantrag anlegen",
        "Keys": "Tasten",
        "Everywhere": "Überall",
        "Lists": "Listen",
        "Editor": "Editor",
        "Next pane": "Nächster Bereich",
        "Previous pane": "Vorheriger Bereich",
        "Command palette": "Befehlspalette",
        "Go to the results": "Zu den Ergebnissen",
        "Clear the search": "Suche leeren",
        "Close": "Schließen",
        "Keys can be changed in the config file, section [keys]: see README.":
            "Tasten lassen sich in der Konfigurationsdatei ändern, Abschnitt [keys]: siehe README.",
        "Item {number}: status {status}": "Punkt {number}: Status {status}",
        "Item {number}: edit the Sachstand": "Punkt {number}: Sachstand bearbeiten",
        "Delete motion": "Antrag löschen",
        "Undo your last change": "Die eigene letzte Änderung zurücknehmen",
        "Search as you type": "Suche beim Tippen",
        "All keys": "Alle Tasten",
        "Open items": "Offene",
        "Meetings": "Sitzungen",
        "Back": "Zurück",
        "Motion list": "Antragsliste",
        "Items (in every view)": "Punkte (in jeder Ansicht)",
        "Open items, meeting": "Offene Punkte, Sitzung",
        "Open items by department": "Offene Punkte nach Amt",
        "Meeting view": "Sitzungsansicht",
        "(no department)": "(ohne Amt)",
        "Open items by department: {count}, {overdue} of them overdue":
            "Offene Punkte nach Amt: {count}, davon {overdue} überfällig",
        "No motion is scheduled for a meeting yet. Give a motion a committee and a meeting date "
        "(sachstand add --committee ... --meeting YYYY-MM-DD).":
            "Noch ist kein Antrag für eine Sitzung vorgesehen. Einem Antrag ein Gremium und ein Sitzungsdatum geben "
            "(sachstand add --committee ... --meeting JJJJ-MM-TT).",
        "Edit motion": "Antrag bearbeiten",
        "Import: check and correct": "Import: prüfen und berichtigen",
        "Editor, form": "Editor, Formular",
        "New motion": "Neuer Antrag",
        "Free text": "Freitext",
        "Requested items, one per line": "Beantragte Punkte, einer je Zeile",
        "ctrl+s saves · escape cancels · dates as 28.07.2020": "Strg+S speichert · Escape bricht ab · Daten wie 28.07.2020",
        "separated by commas": "durch Kommas getrennt",
        "Discard your changes to this motion?": "Änderungen an diesem Antrag verwerfen?",
        "Filter": "Filter",
        "Filter motions": "Anträge filtern",
        "Filter: {filter} (f)": "Filter: {filter} (f)",
        "Group": "Fraktion",
        "Overdue": "Überfällig",
        "overdue": "überfällig",
        "only motions with overdue items": "nur Anträge mit überfälligen Punkten",
        "ctrl+s applies · ctrl+r shows all · escape cancels": "Strg+S übernimmt · Strg+R zeigt alle · Escape bricht ab",
        "all": "alle",
        "Apply": "Übernehmen",
        "Show all": "Alle zeigen",
        "Import {count} motions from {path}?": "{count} Anträge aus {path} importieren?",
        "File to import (motion letter or Sachstand JSON):": "Zu importierende Datei (Antragsschreiben oder Sachstand-JSON):",
        "OParl system or body URL:": "OParl-System- oder -Körperschafts-URL:",
        "Write to file (e.g. sachstand.{suffix}):": "In Datei schreiben (z. B. sachstand.{suffix}):",
        "Fetching papers from {url}": "Drucksachen werden von {url} abgerufen",
        "{done} papers": "{done} Drucksachen",
        "escape cancels": "Escape bricht ab",
        "Import a motion letter or export": "Antragsschreiben oder Export importieren",
        "Text, Markdown or Sachstand JSON": "Text, Markdown oder Sachstand-JSON",
        "Import from OParl": "Aus OParl importieren",
        "Papers of a council information system": "Drucksachen eines Ratsinformationssystems",
        "Export: status report (Markdown)": "Export: Sachstandsbericht (Markdown)",
        "Export: spreadsheet (CSV)": "Export: Tabelle (CSV)",
        "Export: JSON": "Export: JSON",
        "The motions the list shows": "Die Anträge, die die Liste zeigt",
        "Motions: {shown} of {total}": "Anträge: {shown} von {total}",
        "loading …": "wird geladen …",
        "Motion": "Antrag",
        "Requested items": "Beantragte Punkte",
        "Item": "Punkt",
        "No.": "Nr.",
        "Done": "Erl.",
        "Status": "Status",
        "Sachstand": "Sachstand",
        "History": "Verlauf",
        "No status text yet (e to write one).": "Noch kein Sachstand (e zum Schreiben).",
        "Search: title, reference, group, item, Sachstand": "Suche: Titel, Drucksache, Fraktion, Punkt, Sachstand",
        WELCOME: "Noch keine Anträge.\n\n"
        "n   neuen Antrag anlegen\n"
        "B   Beispielantrag anlegen (Kreistag Heinsberg, 28.07.2020)\n"
        "^p  Antragsschreiben oder OParl importieren (Befehlspalette)\n\n"
        "Auf der Kommandozeile:\n"
        "    sachstand add --title ... --item ...   Antrag anlegen\n"
        "    sachstand example                      Beispielantrag anlegen\n"
        "    sachstand import DATEI                 Antragsschreiben importieren\n\n"
        "?   alle Tasten",
        "Undone": "Rückgängig gemacht",
        "New item for: {title}": "Neuer Punkt für: {title}",
        "Delete the motion {title}? (u undoes it)": "Den Antrag {title} löschen? (u macht es rückgängig)",
        "Discard your changes to this text?": "Änderungen an diesem Text verwerfen?",
        "ctrl+s saves · escape cancels": "Strg+S speichert · Escape bricht ab",
        "enter saves · escape cancels": "Enter speichert · Escape bricht ab",
        "Yes (y)": "Ja (j)",
        "No (n)": "Nein (n)",
        # key descriptions
        "Quit": "Beenden",
        "Help": "Hilfe",
        "Search": "Suche",
        "Undo": "Rückgängig",
        "Add item": "Punkt hinzufügen",
        "Delete": "Löschen",
        "Example": "Beispiel",
        "Down": "Runter",
        "Up": "Hoch",
        "Top": "Anfang",
        "Bottom": "Ende",
        "Next status": "Status weiter",
        "Edit Sachstand": "Sachstand",
        "escape closes this list": "Escape schließt diese Liste",
        "Save": "Speichern",
        "Cancel": "Abbrechen",
        "Yes": "Ja",
        "No": "Nein",
        "Status: open": "Status: offen",
        "Status: in progress": "Status: in Bearbeitung",
        "Status: reported": "Status: berichtet",
        "Status: done": "Status: erledigt",
        "Status: deferred": "Status: zurückgestellt",
        # field names in the history
        "title": "Titel",
        "status": "Status",
        "note": "Sachstand",
        "department": "Amt",
        "assignee": "Bearbeitung",
        "due": "Wiedervorlage",
        "reference": "Drucksache",
        "submitted": "Datum",
        "submitted_by": "Antragsteller",
        "addressed_to": "An",
        "copy_to": "z. K.",
        "committee": "Gremium",
        "legal_basis": "Rechtsgrundlage",
        "meeting": "Sitzung",
        "public": "öffentlich",
        "text": "Freitext",
        "source": "Quelle",
        # sync server and tokens
        "run the sync server on its own data file (--db)": "den Sync-Server auf seiner eigenen Datendatei (--db) starten",
        "the file of access tokens (see sachstand token)": "die Datei der Zugangs-Token (siehe sachstand token)",
        "address to listen on (default: 127.0.0.1)": "Adresse, auf der gelauscht wird (Standard: 127.0.0.1)",
        "port to listen on (default: 8750)": "Port, auf dem gelauscht wird (Standard: 8750)",
        "TLS certificate (with --keyfile: serve HTTPS)": "TLS-Zertifikat (mit --keyfile: HTTPS anbieten)",
        "TLS private key (with --certfile)": "privater TLS-Schlüssel (mit --certfile)",
        "manage the sync server's access tokens": "die Zugangs-Token des Sync-Servers verwalten",
        "the file of access tokens": "die Datei der Zugangs-Token",
        "make a token for a user and print it (shown only this once)":
            "ein Token für einen Benutzer erzeugen und ausgeben (wird nur dieses eine Mal gezeigt)",
        "the user the server records for this token": "der Benutzer, den der Server für dieses Token festhält",
        "list the tokens' names and when they were made": "die Namen der Token und ihr Erstelldatum auflisten",
        "revoke a token": "ein Token widerrufen",
        "the token's name": "der Name des Tokens",
        "{where}: the server needs its own data file.": "{where}: der Server braucht eine eigene Datendatei.",
        "{where}: give both --certfile and --keyfile, or neither.":
            "{where}: --certfile und --keyfile beide angeben oder keines von beiden.",
        "No tokens in {path} yet: nobody can connect. Make one with `sachstand token add NAME --tokens {path}`.":
            "Noch keine Token in {path}: niemand kann sich verbinden. Eines erzeugen mit `sachstand token add NAME --tokens {path}`.",
        "Serving {path} at {url} (Ctrl+C stops).": "{path} wird unter {url} bereitgestellt (Strg+C beendet).",
        "Token for {name} (shown only this once; the file keeps only its hash):":
            "Token für {name} (wird nur dieses eine Mal gezeigt; die Datei behält nur seinen Hash):",
        "No tokens in {path}.": "Keine Token in {path}.",
        "Revoked the token {name}.": "Token {name} widerrufen.",
        # sync in the dashboard
        "Sync": "Sync",
        "Sync conflicts": "Sync-Konflikte",
        "Keep mine": "Meins behalten",
        "Take theirs": "Ihres übernehmen",
        "Field": "Feld",
        "Mine": "Meins",
        "Theirs": "Ihres",
        "Sync conflicts: {count}": "Sync-Konflikte: {count}",
        "No conflicts. Everything the server sent was merged.": "Keine Konflikte. Alles vom Server ist zusammengeführt.",
        "Mine (m keeps it):": "Meins (m behält es):",
        "Theirs, from the server (t takes it):": "Ihres, vom Server (t übernimmt es):",
        "Sync off": "Sync aus",
        "Sync …": "Sync …",
        "Syncing…": "Sync läuft …",
        "Sync failed": "Sync fehlgeschlagen",
        "Never synced": "Noch nie synchronisiert",
        "Synced {time}": "Sync {time}",
        "{count} pending": "{count} ausstehend",
        "{count} conflict (C)": "{count} Konflikt (C)",
        "{count} conflicts (C)": "{count} Konflikte (C)",
        "Sync is off: no sync server is configured (remote and token in the config file, or SACHSTAND_REMOTE and SACHSTAND_TOKEN).":
            "Sync ist aus: kein Sync-Server eingerichtet (remote und token in der Konfigurationsdatei oder SACHSTAND_REMOTE und SACHSTAND_TOKEN).",
        "A sync is running already.": "Ein Sync läuft bereits.",
        "Synced: {pulled} received, {pushed} sent.": "Synchronisiert: {pulled} empfangen, {pushed} gesendet.",
        "{count} fields were changed here and on the server: press C to decide.":
            "{count} Felder wurden hier und auf dem Server geändert: C drücken, um zu entscheiden.",
        "Sync now": "Jetzt synchronisieren",
        "Pull and push the changes with the sync server": "Änderungen mit dem Sync-Server abgleichen",
        "Decide field by field: mine or theirs": "Feld für Feld entscheiden: meins oder ihres",
    },
)
