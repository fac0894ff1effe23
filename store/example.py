"""The example motion the product ships with (Kreistag Heinsberg, 28.07.2020)."""

from __future__ import annotations

import json
import uuid
from importlib import resources

from store.model import Motion

# Fixed, so that adding the example twice finds the first one.
EXAMPLE_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://sachstand.invalid/examples/antrag-2020-07-28-digitalisierung"))
LETTER = "antrag-2020-07-28-digitalisierung.txt"


def example_motion() -> Motion:
    data = json.loads(resources.files("store.data").joinpath("example-motion.json").read_text("utf-8"))
    return Motion.from_dict({"id": EXAMPLE_ID, **data}, where="example-motion.json")


def example_letter() -> str:
    return resources.files("store.data").joinpath(LETTER).read_text("utf-8")
