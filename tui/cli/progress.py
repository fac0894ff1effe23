"""A line of progress on the terminal, for the commands that take a while (import, oparl, sync)."""

from __future__ import annotations

from typing import TextIO


class ProgressBar:
    """A one-line progress bar on a terminal, drawn over itself; silent when the output is not one."""

    WIDTH = 30

    def __init__(self, stream: TextIO, unit: str = "") -> None:
        self.stream = stream
        self.unit = unit
        self.live = stream.isatty()
        self._drawn = 0  # the widest line drawn: what erase() blanks

    def update(self, done: int, total: int | None) -> None:
        if total:
            filled = min(self.WIDTH, self.WIDTH * done // max(total, 1))
            self.say(f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {self.unit}")
        else:
            self.say(f"{done} {self.unit} …")

    def say(self, text: str) -> None:
        """``text`` over what the line showed before, padded to blank the rest of a wider one."""
        if not self.live:
            return
        self.stream.write(f"\r{text.ljust(self._drawn)}")
        self.stream.flush()
        self._drawn = max(self._drawn, len(text))

    def finish(self, shown: bool = True) -> None:
        """The line kept, and what follows written below it."""
        if self.live and shown:
            self.stream.write("\n")

    def erase(self) -> None:
        """The line taken off again, and what follows written where it began."""
        if self.live and self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0
