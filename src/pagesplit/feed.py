"""Reading the change feed as a consumer: which articles changed since a given run.

``changes_since(output, run_id)`` folds the change files of every successful run after ``run_id``
(oldest first) into one net change per article: added then deleted is no change at all, deleted
then added again is "changed", anything else keeps the first and last change in mind.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from .changes import CHANGES_DIR
from .errors import UsageError
from .runs import list_runs


def _net(first: str, last: str) -> str | None:
    if first == "added":
        return None if last == "deleted" else "added"
    if last == "deleted":
        return "deleted"
    return "changed"


def changes_since(output_dir: Path, since: str | None) -> list[dict]:
    """Net changes (article_id, change, publication, issue_date, run_id of the last change) of the
    successful runs after ``since`` (all runs when None), sorted by article_id."""
    runs = [r for r, m in list_runs(output_dir).items() if m.get("status", "succeeded") == "succeeded"]
    if since is not None:
        if since not in runs:
            latest = ", ".join(runs[-3:]) or "none"
            raise UsageError(f"no successful run {since!r} in {output_dir}", hint=f"latest runs: {latest}")
        runs = runs[runs.index(since) + 1 :]
    seen: dict[str, dict] = {}
    for run in runs:
        path = Path(output_dir) / CHANGES_DIR / f"{run}.parquet"
        if not path.exists():
            raise UsageError(
                f"run {run} has no change file {path}",
                hint="it predates the change feed: consumers must rebuild from the tables",
            )
        for row in pq.read_table(path).to_pylist():
            entry = seen.setdefault(row["article_id"], {"first": row["change"]})
            entry.update(last=row["change"], publication=row.get("publication"),
                         issue_date=row.get("issue_date"), run_id=run)  # fmt: skip
    out = []
    for aid, e in sorted(seen.items()):
        change = _net(e["first"], e["last"])
        if change:
            out.append({"article_id": aid, "change": change, "publication": e["publication"],
                        "issue_date": e["issue_date"], "run_id": e["run_id"]})  # fmt: skip
    return out
