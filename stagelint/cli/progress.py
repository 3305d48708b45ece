"""Progress on stderr for runs that take longer than about a second, on a terminal only.

One line, rewritten in place (`\\r` and erase-line) at most ten times a second, and erased before the
report is printed. Nothing at all when stderr is not a terminal (pipes, CI logs, editors) or
TERM=dumb, with --quiet, or before the run has taken `STAGELINT_PROGRESS_DELAY` seconds (default 1;
the tests set 0 to see it on a short run).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from stagelint.cli.common import is_terminal

DEFAULT_DELAY = 1.0
INTERVAL = 0.1  # seconds between two redraws
ERASE_LINE = "\r\x1b[K"


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get("STAGELINT_PROGRESS_DELAY", DEFAULT_DELAY)))
    except ValueError:
        return DEFAULT_DELAY


class Progress:
    """A `progress(done, total)` callback for `lint()` that draws on a terminal's stderr."""

    def __init__(self, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and is_terminal(self.stream) and os.environ.get("TERM") != "dumb"
        self.delay = _delay()
        self.started = time.monotonic()
        self.drawn_at: float | None = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.delay or (self.drawn_at is not None and now - self.drawn_at < INTERVAL
                                                and done < total):
            return
        self.drawn_at = now
        percent = 100 * done // total if total else 100
        self.stream.write(f"{ERASE_LINE}stagelint: checked {done}/{total} files and modules ({percent}%)")
        self.stream.flush()

    def close(self) -> None:
        """Erase the line, so the report starts on a clean one."""
        if self.drawn_at is not None:
            self.stream.write(ERASE_LINE)
            self.stream.flush()
            self.drawn_at = None
