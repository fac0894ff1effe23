"""What comes in and goes out: motion letters, OParl papers, import files, reports and exports,
and synthetic stores for trying things at scale."""

EXPORT_KINDS = ("md", "csv", "json")  # a status report, a spreadsheet, our JSON (re-importable)
