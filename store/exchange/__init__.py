"""What comes in and goes out: motion letters, OParl papers, import files, reports and exports,
and synthetic stores for trying things at scale."""

# a status report, a spreadsheet, our JSON (re-importable), the council's report as Word and PDF
EXPORT_KINDS = ("md", "csv", "json", "docx", "pdf")
REPORT_KINDS = ("docx", "pdf")  # the council's report (store/exchange/report/): files, perhaps recorded
