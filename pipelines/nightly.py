"""The nightly flow: plan the issues under an input root, process one issue per task, record the run.

Run it with ``pagesplit run INPUT OUTPUT`` (or ``python -m pipelines.nightly INPUT OUTPUT``).
Without ``PREFECT_API_URL`` Prefect runs embedded (a temporary local server, nothing to start).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import asdict

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

from prefect import flow, task  # noqa: E402
from prefect.artifacts import create_table_artifact  # noqa: E402

from pagesplit import runner  # noqa: E402
from pagesplit.errors import OutputError  # noqa: E402
from pagesplit.ingest import Reject  # noqa: E402


def _transient(task, task_run, state) -> bool:
    """Retry I/O hiccups (network filesystems, a full disk being cleaned), not bugs."""
    try:
        state.result()
    except (OSError, OutputError):
        return True
    except Exception:
        return False
    return False


@task(name="plan", retries=2, retry_delay_seconds=5, retry_condition_fn=_transient)
def plan_task(input_root: str, manifest: str | None) -> tuple[list[dict], list[dict]]:
    batches, rejects = runner.plan(input_root, manifest)
    return [b.to_dict() for b in batches], [r.as_row() for r in rejects]


@task(name="process-issue", retries=2, retry_delay_seconds=10, retry_condition_fn=_transient)
def issue_task(input_root: str, output_root: str, batch: dict, run_id: str) -> dict:
    from pagesplit.tokens import get_tokenizer  # loaded once per process (cached)

    summary = runner.process_issue_batch(input_root, output_root, runner.IssueBatch.from_dict(batch), run_id, get_tokenizer())
    return asdict(summary)


@flow(name="pagesplit-nightly")
def nightly(input_root: str, output_root: str, manifest: str | None = None) -> dict:
    t0 = time.perf_counter()
    run_id = runner.new_run_id()
    batches, reject_rows = plan_task(input_root, manifest)
    summaries = [runner.IssueSummary(**issue_task(input_root, output_root, b, run_id)) for b in batches]
    plan_rejects = [Reject(**r) for r in reject_rows]
    runner.write_plan_rejects(output_root, plan_rejects, run_id)
    record = runner.summarize(run_id, input_root, output_root, summaries, plan_rejects, time.perf_counter() - t0)
    runner.write_run_manifest(output_root, run_id, record)
    create_table_artifact(
        key="pagesplit-run-summary",
        table=[{k: v for k, v in row.items() if k != "removed"} | {f"removed_{k}": v for k, v in row["removed"].items()}
               for row in record["issue_summaries"]],
        description=f"pagesplit run {run_id}: {record['pages']} pages, {record['articles']} articles, "
        f"{record['rejected']} rejected, {record['seconds']} s",
    )
    return record


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python -m pipelines.nightly INPUT_DIR OUTPUT_DIR [MANIFEST]")
    nightly(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
