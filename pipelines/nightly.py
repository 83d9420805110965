"""The nightly flow: one incremental run of ``pagesplit.runner.execute`` with its per-issue steps as
Prefect tasks (a scan task per issue whose files changed, a process task per issue to rebuild).

Run it with ``pagesplit run INPUT OUTPUT`` (or ``python -m pipelines.nightly INPUT OUTPUT``), or on a
schedule with ``pagesplit serve --cron "0 2 * * *" INPUT OUTPUT``. Without ``PREFECT_API_URL``
Prefect runs embedded (a temporary local server, nothing to start).

``workers >= 1`` or ``dask_address`` run the tasks on Dask (prefect-dask): a LocalCluster of
``workers`` single-threaded worker *processes* (each loads pkuseg once), or an existing cluster.
The task runner is built inside the flow from its parameters, so a served deployment (which loads
this file by entrypoint) scales out the same way as ``pagesplit run --workers``.
"""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from dataclasses import asdict

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

from prefect import flow, task  # noqa: E402
from prefect.artifacts import create_table_artifact  # noqa: E402

from pagesplit import runner  # noqa: E402
from pagesplit.errors import OutputError  # noqa: E402

FLOW_NAME = "pagesplit-nightly"


def _transient(task, task_run, state) -> bool:
    """Retry I/O hiccups (network filesystems, a full disk being cleaned), not bugs."""
    try:
        state.result()
    except (OSError, OutputError):
        return True
    except Exception:
        return False
    return False


@task(name="scan-issue", retries=2, retry_delay_seconds=5, retry_condition_fn=_transient)
def scan_task(input_root: str, batch: dict) -> dict:
    return runner.scan_issue(input_root, runner.IssueBatch.from_dict(batch)).to_dict()


@task(name="process-issue", retries=2, retry_delay_seconds=10, retry_condition_fn=_transient)
def issue_task(input_root: str, output_root: str, batch: dict, run_id: str, known: list[str]) -> dict:
    # run_tokenizer(): pkuseg, loaded once per worker process (lru_cache) on the first issue
    summary = runner.process_issue_batch(
        input_root, output_root, runner.IssueBatch.from_dict(batch), run_id, runner.run_tokenizer(), known=known
    )
    return asdict(summary)


def dask_task_runner(workers: int, dask_address: str | None):
    """A prefect-dask task runner, or None (workers = 0, no address): tasks run one after another
    in the flow's process."""
    if not dask_address and workers <= 0:
        return None
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    # processes, not threads: pkuseg holds the GIL, and each process loads the model once.
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})  # fmt: skip


@flow(name=FLOW_NAME)
def nightly(
    input_root: str,
    output_root: str,
    manifest: str | None = None,
    full: bool = False,
    rehash: bool = False,
    wait: float = 0.0,
    workers: int = 0,
    dask_address: str | None = None,
) -> dict:
    """Process what changed under input_root since the last successful run into output_root."""
    tr = dask_task_runner(workers, dask_address)

    with tr if tr is not None else nullcontext():

        def scan_map(root, batches):
            if tr is None:
                return [runner.IssueScan.from_dict(scan_task(str(root), b.to_dict())) for b in batches]
            futures = [tr.submit(scan_task, {"input_root": str(root), "batch": b.to_dict()}) for b in batches]
            return [runner.IssueScan.from_dict(f.result()) for f in futures]

        def process_map(root, out, items, run_id):
            if tr is None:
                for b, known in items:
                    yield runner.IssueSummary(**issue_task(str(root), str(out), b.to_dict(), run_id, list(known)))
                return
            params = lambda b, known: {"input_root": str(root), "output_root": str(out),  # noqa: E731
                                       "batch": b.to_dict(), "run_id": run_id, "known": list(known)}  # fmt: skip
            futures = [tr.submit(issue_task, params(b, k)) for b, k in items]
            for f in futures:  # summaries are small; futures are released as they are read
                yield runner.IssueSummary(**f.result())

        record = runner.execute(
            input_root, output_root, manifest=manifest, full=full, rehash=rehash, wait=wait,
            scan_map=scan_map, process_map=process_map,
        )  # fmt: skip
    record["workers"] = workers if not dask_address else f"dask {dask_address}"
    rows = record["issue_summaries"] or [{"publication": "-", "issue_date": "-", "pages": 0, "removed": {}}]
    create_table_artifact(
        key="pagesplit-run-summary",
        table=[{k: v for k, v in row.items() if k != "removed"} | {f"removed_{k}": v for k, v in row["removed"].items()}
               for row in rows],
        description=(
            f"pagesplit run {record['run_id']} ({record['mode']}): {record['issues']} issues processed, "
            f"{record['issues_skipped']} unchanged, {record['issues_deleted']} deleted; {record['pages']} pages, "
            f"{record['articles']} articles, {record['rejected']} rejected; changes {record['changes']}; "
            f"{record['seconds']} s"
        ),
    )
    return record


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python -m pipelines.nightly INPUT_DIR OUTPUT_DIR [MANIFEST]")
    nightly(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
