"""Named points where a test can have a run kill itself (SIGKILL), to check crash recovery.

Production runs never set ``PAGESPLIT_TEST_CRASH_AT``; then ``reached`` is a dictionary lookup.
With ``PAGESPLIT_TEST_CRASH_AT=NAME`` (or ``NAME:N``, the N-th time, 1-based) the process sends
itself SIGKILL on reaching that point: no ``finally`` blocks, no flushing, as with ``kill -9`` or
the OOM killer.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "PAGESPLIT_TEST_CRASH_AT"
POINTS = (
    "issue_staged",  # an issue's four _tmp files written, none renamed
    "issue_renamed",  # one of an issue's four files renamed (N counts renames over the run)
    "issue_done",  # an issue written completely
    "feed_written",  # the run's change file written, state not yet committed
    "state_committed",  # the state pointer switched, run manifest not yet published
)
_seen: Counter = Counter()


def reached(name: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    target, _, nth = spec.partition(":")
    if target != name:
        return
    _seen[name] += 1
    if _seen[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
