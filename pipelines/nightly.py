"""The nightly flow: one incremental run of ``pagesplit.runner.execute`` with its per-issue steps as
Prefect tasks: scan tasks over the issues whose files changed, process tasks over the issues to
rebuild, each task a group of consecutive issues (``runner.task_groups``: ~100 pages, at least four
tasks per worker). An issue is still written on its own (its four tables together), so a retried
task only redoes issues whose output is a function of their input.

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

from pagesplit import one_math_thread  # noqa: E402

one_math_thread()  # before prefect, numpy or scikit-learn load

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.artifacts import create_table_artifact  # noqa: E402

from pagesplit import progress, runner  # noqa: E402
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


# The tasks write (an issue's partitions, the scan's hashes feed the run's state): not a function of
# their inputs to cache. NO_CACHE also spares each task run the hashing of its parameters (the
# default policy keys every run by them), and nothing of theirs is persisted: the flow needs only
# the small summaries they return.
@task(name="scan-issues", retries=2, retry_delay_seconds=5, retry_condition_fn=_transient, cache_policy=NO_CACHE,
      persist_result=False)
def scan_task(input_root: str, batches: list[dict]) -> list[dict]:
    return [runner.scan_issue(input_root, runner.IssueBatch.from_dict(b)).to_dict() for b in batches]


@task(name="process-issues", retries=2, retry_delay_seconds=10, retry_condition_fn=_transient, cache_policy=NO_CACHE,
      persist_result=False)
def issue_task(input_root: str, output_root: str, items: list[tuple[dict, list[str]]], run_id: str) -> list[dict]:
    # run_tokenizer(): pkuseg, loaded once per worker process (lru_cache) on the first issue
    tokenizer = runner.run_tokenizer()
    return [
        asdict(runner.process_issue_batch(input_root, output_root, runner.IssueBatch.from_dict(b), run_id, tokenizer, known=known))
        for b, known in items
    ]


def dask_task_runner(workers: int, dask_address: str | None):
    """A prefect-dask task runner, or None (workers = 0, no address): tasks run one after another
    in the flow's process."""
    if not dask_address and workers <= 0:
        return None
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    keep_malloc_defaults()
    no_worker_profiler()
    # processes, not threads: pkuseg holds the GIL, and each process loads the model once. The
    # workers report task runs to this flow's API: without PREFECT_API_URL each worker process
    # would start a temporary server of its own (a second uvicorn + SQLite writer per worker,
    # ~15 % of the CPU of a 1,000-page run on 2 cores).
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None, "env": {"PREFECT_API_URL": api_url()}})  # fmt: skip


def keep_malloc_defaults() -> None:
    """Spawn Dask's worker processes with glibc's own malloc trimming.

    Dask's nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (config
    ``distributed.nanny.pre-spawn-environ``) to hand freed memory back to the OS early. pkuseg
    allocates and frees numpy arrays for every sentence: with that setting the same words cost
    ~40 % more CPU (measured: 5 tokenizations of a page, 0.16 s in a plain process, 0.23-0.24 s in a
    Dask worker or in a plain process started with the variable; a 1,000-page run with one worker
    took 1.34x the CPU of the same run without Dask). Memory stays flat without it (the pages of
    an issue are freed as a whole). A variable set in the environment still wins."""
    import dask

    dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})


def no_worker_profiler() -> None:
    """Start the LocalCluster's workers without Dask's statistical profiler.

    A worker samples its running thread's stack every 10 ms for the dashboard's profile page; the
    flow's cluster has no dashboard, and the sampling holds the GIL the word segmenter and the models
    need (one worker over the 1,014 bench pages, ``pagesplit run --workers 1 --full``, two runs each,
    one-off: 66.7 and 65.2 s wall with it, 64.2 and 64.3 s without). An existing cluster
    (``--dask-address``) keeps its own configuration."""
    import dask

    dask.config.set({"distributed.worker.profile.enabled": False})


def api_url() -> str:
    """The API this flow run reports to: the configured one, else the temporary local server this
    process already started for the flow run."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()  # the process's one temporary server (started once)
        server.start()
        url = server.api_url
    return url


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

        # workers to spread tasks over; an existing cluster's size is not known here: assume 8
        n = max(workers, 1) if not dask_address else max(workers, 8)

        def scan_map(root, batches):
            groups = runner.task_groups(batches, lambda b: len(b.pages), per_task=runner.PAGES_PER_SCAN_TASK, workers=n)
            params = [{"input_root": str(root), "batches": [b.to_dict() for b in g]} for g in groups]
            results = [scan_task(**p) for p in params] if tr is None else [f.result() for f in [tr.submit(scan_task, p) for p in params]]
            return [runner.IssueScan.from_dict(d) for r in results for d in r]

        def process_map(root, out, items, run_id):
            groups = runner.task_groups(items, lambda it: len(it[0].pages), per_task=runner.PAGES_PER_PROCESS_TASK,
                                        workers=n, per_worker=runner.TASKS_PER_WORKER)  # fmt: skip
            params = [{"input_root": str(root), "output_root": str(out), "run_id": run_id,
                       "items": [(b.to_dict(), list(known)) for b, known in g]} for g in groups]  # fmt: skip
            if tr is None:
                for p in params:
                    yield from (runner.IssueSummary(**d) for d in issue_task(**p))
                return
            futures = [tr.submit(issue_task, p) for p in params]
            for f in futures:  # summaries are small; futures are released as they are read
                yield from (runner.IssueSummary(**d) for d in f.result())

        bar = progress.reporter()  # a bar on a terminal, log lines in cron/CI
        try:
            record = runner.execute(
                input_root, output_root, manifest=manifest, full=full, rehash=rehash, wait=wait,
                scan_map=scan_map, process_map=process_map, progress=bar,
            )  # fmt: skip
        finally:
            bar.close()
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
