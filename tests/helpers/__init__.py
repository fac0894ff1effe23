"""What the tests share that is not a fixture: servers, worker scripts, readers of stored files.

Test modules import from here (``from helpers.sync import serving``), never from one another. The two
paths below are the only places that know where the tests sit in the checkout.
"""

from __future__ import annotations

from pathlib import Path

HELPERS = Path(__file__).resolve().parent
ROOT = HELPERS.parent.parent  # the checkout: store/, tui/, benchmarks/
