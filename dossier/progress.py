"""A progress bar for long builds: on a terminal only, never with -q, never in logs.

The bar appears once a phase has run for a moment (short builds stay quiet), redraws
at most ten times a second on one line of stderr, and is erased when the phase ends,
so the build's one summary line is all that remains.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

DELAY = 0.5  # seconds before a bar appears
INTERVAL = 0.1  # seconds between redraws
WIDTH = 30  # characters of the bar itself


class Progress:
    """Counts finished steps of one phase and draws them as a bar when enabled."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None, enabled: bool = False):
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.visible = False

    def advance(self, steps: int = 1) -> None:
        """Note finished steps; redraw if it is time."""
        self.done += steps
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started >= DELAY and now - self.drawn_at >= INTERVAL:
            self.drawn_at = now
            self.draw()

    def line(self) -> str:
        """'Seiten  [#########·····]  1234/10000' style text of the current state."""
        share = self.done / self.total if self.total else 1.0
        filled = min(WIDTH, int(share * WIDTH))
        return f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total}"

    def draw(self) -> None:
        """Overwrite the current terminal line with the bar."""
        self.stream.write("\r" + self.line())
        self.stream.flush()
        self.visible = True

    def close(self) -> None:
        """Erase the bar, leaving the line free for the summary."""
        if self.visible:
            self.stream.write("\r" + " " * len(self.line()) + "\r")
            self.stream.flush()
            self.visible = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def summary(pages: int, written: int, unchanged: int, removed: int, seconds: float) -> str:
    """The build's one final line: '12 pages: 3 written, 9 unchanged, 0 removed in 0.21 s'."""
    return f"{pages} pages: {written} written, {unchanged} unchanged, {removed} removed in {seconds:.2f} s"


def wanted(quiet: bool, stream: TextIO | None = None) -> bool:
    """Whether to show bars: not asked to be quiet, and stderr is a terminal."""
    stream = stream or sys.stderr
    return not quiet and hasattr(stream, "isatty") and stream.isatty()
