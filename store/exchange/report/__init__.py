"""The status report the council takes as a paper (Sachstandsbericht), as Word (DOCX) or PDF.

:mod:`.model` declares the report's content once (title lines, a table per motion, the annex of
items done since the last recorded report); :mod:`.docx` and :mod:`.pdf` each lay it out;
:mod:`.lights` is the traffic light per status (``[report] traffic_lights``). The writers load
python-docx and fpdf2, so only :mod:`store.exchange.workflows` imports them, when a report is made.
"""
