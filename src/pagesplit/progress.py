"""Progress of a run: a live bar on a terminal, plain log lines elsewhere (cron, CI, files).

``reporter()`` returns a callback ``(issues_done, issues_total, pages_done, pages_total)`` and a
``close()``; the runner calls it each time an issue (or a group of issues) is written.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Callable, TextIO

# Without a terminal, a line at most this often (a nightly log stays short) — and always at the end.
LOG_EVERY_SECONDS = 30.0

Callback = Callable[[int, int, int, int], None]


def _eta(done: int, total: int, elapsed: float) -> str:
    if done <= 0 or elapsed <= 0:
        return "?"
    left = (total - done) * elapsed / done
    return f"{int(left // 60)}m{int(left % 60):02d}s"


@dataclass
class LogLines:
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    every: float = LOG_EVERY_SECONDS
    start: float = field(default_factory=time.monotonic)
    last: float | None = None  # when the last line was shown (None: none yet)

    def __call__(self, issues: int, issues_total: int, pages: int, pages_total: int) -> None:
        now = time.monotonic()
        # the first line always shows: the monotonic clock starts at boot, so "0.0" as "never" hid
        # the first line for an hour on a freshly started machine (a new container, a CI runner)
        if self.last is not None and now - self.last < self.every and issues < issues_total:
            return
        self.last = now
        elapsed = now - self.start
        rate = pages / elapsed if elapsed > 0 else 0.0
        print(
            f"pagesplit: {issues}/{issues_total} issues, {pages}/{pages_total} pages, "
            f"{rate:.1f} pages/s, ETA {_eta(pages, pages_total, elapsed)}",
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        pass


class Bar:
    """A rich progress bar over pages, with the issue count in its description."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("pages · {task.fields[rate]:.1f}/s"), TimeRemainingColumn(),
            transient=False,
        )  # fmt: skip
        self._task = None
        self._start = time.monotonic()
        self._progress.start()

    def __call__(self, issues: int, issues_total: int, pages: int, pages_total: int) -> None:
        elapsed = time.monotonic() - self._start
        if self._task is None:
            self._task = self._progress.add_task("", total=pages_total, rate=0.0)
        self._progress.update(
            self._task, completed=pages, total=pages_total,
            description=f"issues {issues}/{issues_total}", rate=pages / elapsed if elapsed > 0 else 0.0,
        )  # fmt: skip

    def close(self) -> None:
        self._progress.stop()


def reporter(stream: TextIO | None = None):
    """A bar when ``stream`` (stderr) is a terminal, log lines otherwise."""
    stream = stream or sys.stderr
    if stream.isatty():
        return Bar()
    return LogLines(stream)
