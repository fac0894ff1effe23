"""Shared test set-up: a fixed time zone so times print the same everywhere."""

from __future__ import annotations

import os
import time

os.environ["TZ"] = "UTC"
time.tzset()
