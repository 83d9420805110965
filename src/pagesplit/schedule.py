"""The nightly flow as a scheduled Prefect deployment (``pagesplit serve``).

``build_deployment`` describes it (flow, cron schedule, parameters with absolute paths);
``serve_deployment`` registers it with the Prefect server named by ``PREFECT_API_URL`` and runs
its scheduled runs in this process until stopped.

A missed night (the serving process or the server was down at 02:00) is not replayed run by run:
Prefect marks the late run and the next run that does start is an ordinary incremental run, which
processes everything changed since the last *successful* run — the state the output records —
however many nights that spans. Two runs never overlap on one output: a scheduled run queues
behind a manual one for up to ``wait`` seconds (the output's lock), then fails with E202.
"""

from __future__ import annotations

from pathlib import Path


def build_deployment(
    input_dir: Path,
    output_dir: Path,
    *,
    cron: str = "0 2 * * *",
    timezone: str | None = None,
    name: str = "nightly",
    manifest: Path | None = None,
    workers: int = 0,
    dask_address: str | None = None,
    wait: float = 3600.0,
):
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    from pipelines.nightly import nightly

    parameters = {
        "input_root": str(Path(input_dir).resolve()),
        "output_root": str(Path(output_dir).resolve()),
        "manifest": str(Path(manifest).resolve()) if manifest else None,
        "workers": workers,
        "dask_address": dask_address,
        "wait": wait,
    }
    schedule = Cron(cron, timezone=timezone) if timezone else Cron(cron)
    return nightly.to_deployment(
        name=name,
        schedules=[schedule],
        parameters=parameters,
        description=f"pagesplit: incremental run of {parameters['input_root']} into {parameters['output_root']}",
        tags=["pagesplit"],
        entrypoint_type=EntrypointType.MODULE_PATH,  # the installed package, whatever the cwd
    )


def serve_deployment(deployment) -> None:  # pragma: no cover - blocks until interrupted
    from prefect import serve

    serve(deployment)
