"""The first page of the council's status report (PDF) as a PNG, for the README.

    .venv/bin/python screenshots/report_shot.py [OUT_DIR]     (python3 dev.py screenshots runs it too)

The report is the showcase's (tui.showcase), of TODAY, written by the real export; pdftoppm (Debian's
poppler-utils) turns its first page into report.png. Without pdftoppm it says so and exits 1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's store/ and tui/, whatever is installed

from store.exchange.workflows import ReportSetup, write_report  # noqa: E402
from tui.showcase import TODAY, build_showcase  # noqa: E402

COMMITTEE = "Kreisausschuss"  # the example motion's: every status, Sachstand texts, an overdue item


def report_page(out: Path) -> Path | None:
    """report.png in ``out``; None (and why, on stderr) when pdftoppm is not installed."""
    converter = shutil.which("pdftoppm")
    if converter is None:
        print(
            "screenshots/report_shot.py: pdftoppm not found (apt-get install poppler-utils): no report.png",
            file=sys.stderr,
        )
        return None
    with tempfile.TemporaryDirectory(prefix="sachstand-report-") as tmp, build_showcase(Path(tmp) / "s.json") as store:
        motions = [motion for motion in store.motions() if motion.committee == COMMITTEE]
        pdf = Path(tmp) / "bericht.pdf"
        write_report(store, pdf, motions, "pdf", "de", TODAY, setup=ReportSetup(body="Kreis Heinsberg"))
        stem = out / "report"
        subprocess.run(
            [converter, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True
        )
    return stem.with_suffix(".png")


if __name__ == "__main__":
    written = report_page(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    if written is None:
        sys.exit(1)
    print(written)
