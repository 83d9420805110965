"""One writer per output: an exclusive OS file lock on ``OUTPUT/_lock``.

``fcntl.flock`` locks belong to the open file: the kernel releases them when the process exits,
however it exits (SIGKILL included), so a crashed run never leaves a stale lock behind. The file's
text (pid, host, run id, start time) is only for the message a refused run prints.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputLocked
from .io import output_errors

LOCK_FILE = "_lock"
# How often a waiting run retries the lock: short enough that the wait ends soon after the other
# run does, long enough not to spin.
POLL_SECONDS = 0.2


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
    except (OSError, ValueError):
        return "another run"
    if not info:
        return "another run"
    return f"run {info.get('run_id')} (pid {info.get('pid')} on {info.get('host')}, started {info.get('started_at')})"


@contextmanager
def output_lock(output_root: Path, *, wait: float = 0.0, run_id: str = ""):
    """Hold the output's write lock for the ``with`` block; wait up to ``wait`` seconds for it,
    then raise ``OutputLocked`` (E202)."""
    root = Path(output_root)
    path = root / LOCK_FILE
    with output_errors(f"the lock file {path}"):
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + max(0.0, wait)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputLocked(
                        f"{root} is being written by {_holder(fd)}",
                        hint="runs against one output never overlap: wait for that run to finish, "
                        "or pass --wait SECONDS to queue behind it",
                    ) from None
                time.sleep(POLL_SECONDS)
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "run_id": run_id,
            "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
