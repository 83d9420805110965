"""The change feed: which articles each run added, changed or deleted.

Layout (read here, written by the pipeline): Parquet files under ``<output>/_changes/``, with
columns ``article_id`` and ``change`` (one of CHANGE_KINDS). The run a row belongs to is its
``run_id`` column if present, else a ``run_id=<id>`` directory in its path, else the file stem —
so ``_changes/<run_id>.parquet`` and ``_changes/run_id=<id>/part-0.parquet`` both work.

A run that touched nothing should still write an empty file: consumers treat a run without a
change file as "unknown changes" and fall back to a full rebuild.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from .errors import OutputError

CHANGES_DIR = "_changes"
CHANGE_KINDS = ("added", "changed", "deleted")


def _run_id_of(path: Path, root: Path) -> str:
    for part in path.relative_to(root).parts[:-1]:
        if part.startswith("run_id="):
            return part[len("run_id=") :]
    return path.stem


def read_changes(output_dir: Path) -> dict[str, dict[str, set[str]]] | None:
    """``{run_id: {change_kind: {article_id, …}}}``, or None when the output has no change feed."""
    root = Path(output_dir) / CHANGES_DIR
    if not root.is_dir():
        return None
    feed: dict[str, dict[str, set[str]]] = {}
    for path in sorted(root.rglob("*.parquet")):
        if path.name.startswith("_tmp-"):
            continue
        try:
            table = pq.read_table(path)
        except OSError as exc:
            raise OutputError(
                f"cannot read change file {path}: {exc}",
                hint="delete it (the next index build then falls back to a full rebuild)",
            ) from exc
        missing = {"article_id", "change"} - set(table.column_names)
        if missing:
            raise OutputError(
                f"change file {path} lacks column(s) {sorted(missing)}",
                hint="the change feed needs columns article_id and change",
            )
        default_run = _run_id_of(path, root)
        run_ids = (
            table.column("run_id").to_pylist() if "run_id" in table.column_names else None
        )
        for i, (aid, kind) in enumerate(
            zip(table.column("article_id").to_pylist(), table.column("change").to_pylist())
        ):
            if kind not in CHANGE_KINDS:
                raise OutputError(
                    f"change file {path}: unknown change {kind!r}",
                    hint=f"expected one of {', '.join(CHANGE_KINDS)}",
                )
            run = (run_ids[i] if run_ids else None) or default_run
            feed.setdefault(run, defaultdict(set))[kind].add(aid)
        feed.setdefault(default_run, defaultdict(set))  # an empty file still records its run
    return {run: dict(kinds) for run, kinds in feed.items()}
