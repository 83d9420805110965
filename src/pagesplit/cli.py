"""The command line: ``pagesplit --help`` lists every command."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import one_math_thread
from .errors import PagesplitError, UsageError

one_math_thread()  # before any command imports numpy or scikit-learn

app = typer.Typer(
    help="Turn OCR'd newspaper pages into clean, searchable articles (Parquet).",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Turn OCR'd newspaper pages into clean, searchable articles (Parquet)."""


def _quiet_prefect() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")


@app.command()
def run(
    input_dir: Path = typer.Argument(..., help="Input root holding PUBLICATION/YYYY-MM-DD/NAME.txt pages."),
    output_dir: Path = typer.Argument(..., help="Output root: pages/, segments/, articles/, rejects/ (Parquet)."),
    manifest: Optional[Path] = typer.Option(None, help="CSV or JSONL manifest (path, publication, issue_date, page_no) instead of walking INPUT_DIR."),
    prefect: bool = typer.Option(True, "--prefect/--no-prefect", help="Run as the Prefect flow (embedded when PREFECT_API_URL is unset) or plainly in this process."),
    full: bool = typer.Option(False, "--full", help="Reprocess every issue, not only those whose pages (or furniture evidence) changed since the last successful run."),
    rehash: bool = typer.Option(False, "--rehash", help="Hash every page even when its size and mtime are unchanged (files rewritten in place within the filesystem's timestamp resolution)."),
    wait: float = typer.Option(0.0, "--wait", min=0, help="Seconds to wait for another run on OUTPUT_DIR to finish before refusing (E202)."),
    workers: int = typer.Option(0, "--workers", min=0, help="Dask worker processes (a LocalCluster via prefect-dask; each loads the models once, ~0.5 GB). 0: tasks run in this process."),
    dask_address: Optional[str] = typer.Option(None, "--dask-address", help="Run the tasks on an existing Dask cluster, e.g. tcp://10.0.0.5:8786."),
    fail_on_reject: bool = typer.Option(False, help="Exit with status 3 when any input was rejected."),
) -> None:
    """Process the pages under INPUT_DIR that are new or changed since the last successful run
    (all of them with --full) and update the Parquet tables in OUTPUT_DIR."""
    if prefect:
        _quiet_prefect()
        from pipelines.nightly import nightly

        record = nightly(str(input_dir), str(output_dir), str(manifest) if manifest else None,
                         full=full, rehash=rehash, wait=wait, workers=workers, dask_address=dask_address)  # fmt: skip
    else:
        if workers or dask_address:
            raise UsageError("--workers/--dask-address need the Prefect flow", hint="drop --no-prefect")
        from .runner import run as run_local

        from .progress import reporter

        bar = reporter()
        try:
            record = run_local(input_dir, output_dir, manifest=manifest, full=full, rehash=rehash, wait=wait, progress=bar)
        finally:
            bar.close()
    print_summary(record)
    if fail_on_reject and record["rejected"]:
        raise typer.Exit(3)


@app.command()
def changes(
    output_dir: Path = typer.Argument(..., help="Output root of `pagesplit run`."),
    since: Optional[str] = typer.Option(None, "--since", help="A run id: list what changed in the successful runs after it (default: since the beginning)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per article (for scripts)."),
) -> None:
    """Print the articles added, changed or deleted since a run (net of later runs), one a line."""
    import json

    from .feed import changes_since

    rows = changes_since(output_dir, since)
    for r in rows:
        typer.echo(json.dumps(r, ensure_ascii=False) if as_json else f"{r['change']:<8} {r['article_id']}  (run {r['run_id']})")
    counts = {k: sum(r["change"] == k for r in rows) for k in ("added", "changed", "deleted")}
    console.print(f"{len(rows)} article(s) changed since {since or 'the first run'}: {counts}")


@app.command()
def serve(
    input_dir: Path = typer.Argument(..., help="Input root (as for `run`)."),
    output_dir: Path = typer.Argument(..., help="Output root (as for `run`)."),
    cron: str = typer.Option("0 2 * * *", "--cron", help="When to run (cron, server time zone unless --timezone)."),
    timezone: Optional[str] = typer.Option(None, "--timezone", help="IANA time zone of --cron, e.g. Asia/Shanghai."),
    name: str = typer.Option("nightly", "--name", help="Deployment name."),
    manifest: Optional[Path] = typer.Option(None, help="Manifest to use on every run."),
    workers: int = typer.Option(0, "--workers", min=0, help="Dask worker processes per run (0: none)."),
    dask_address: Optional[str] = typer.Option(None, "--dask-address", help="Existing Dask cluster for the tasks."),
    wait: float = typer.Option(3600.0, "--wait", min=0, help="Seconds a scheduled run waits for a manual run on the same output."),
) -> None:
    """Register a scheduled deployment of the nightly flow with the Prefect server
    (PREFECT_API_URL) and serve it: this process starts the runs until stopped (Ctrl-C)."""
    _quiet_prefect()
    from .schedule import build_deployment, serve_deployment

    deployment = build_deployment(input_dir, output_dir, cron=cron, timezone=timezone, name=name, manifest=manifest,
                                  workers=workers, dask_address=dask_address, wait=wait)  # fmt: skip
    serve_deployment(deployment)


@app.command()
def bench(
    work: Path = typer.Option(Path("/tmp/pagesplit-bench"), "--work", help="Scratch directory for the pages and outputs."),
    pages: int = typer.Option(1000, "--pages", min=10, help="Pages for the throughput runs (0, 1 and 2 workers)."),
    big_pages: int = typer.Option(5000, "--big-pages", min=0, help="Pages for the larger runs: RSS with the most workers, and 2 vs 1 worker again (0: skip)."),
    workers: str = typer.Option("0,1,2", "--workers", help="Worker counts to compare, comma-separated (0: `pagesplit run`'s default, no Dask)."),
    json_out: Path = typer.Option(Path("bench.json"), "--json", help="Where to write the results."),
    corpus: Path = typer.Option(None, "--corpus", help="Compose whole issues from the research corpus (into --work) instead of the examples."),
    repeat: int = typer.Option(1, "--repeat", min=1, help="Repeat each throughput run; the median by wall time is kept."),
) -> None:
    """Measure end-to-end throughput (no Dask, 1 and 2 Dask workers) against bare spaCy+pkuseg
    tokenization of the same pages, and peak RSS per worker, on pages made from the bundled examples."""
    import json

    _quiet_prefect()
    from .bench import bench as run_bench, table

    res = run_bench(work, pages=pages, big_pages=big_pages, workers=tuple(int(w) for w in workers.split(",")), corpus=corpus, repeat=repeat)
    json_out.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(table(res))
    typer.echo(f"wrote {json_out}")


def print_summary(record: dict) -> None:
    """The end-of-run summary: one line per figure, readable in a terminal or a log."""
    t = Table(title=f"pagesplit run {record['run_id']}", show_header=False)
    t.add_column("figure")
    t.add_column("value", justify="right")
    rem = record["removed_chars"]
    ch = record.get("changes", {})
    rows = [
        ("mode", record.get("mode", "")),
        ("issues processed", record["issues"]),
        ("issues unchanged (skipped)", record.get("issues_skipped", 0)),
        ("issues deleted", record.get("issues_deleted", 0)),
        ("pages processed", record["pages"]),
        ("pages skipped", record.get("pages_skipped", 0)),
        ("articles written", record["articles"]),
        ("rejected inputs", record["rejected"]),
        ("removed chars: boilerplate", rem.get("boilerplate", 0)),
        ("removed chars: duplicate", rem.get("duplicate", 0)),
        ("removed chars: noise", rem.get("noise", 0)),
        ("articles added / changed / deleted", f"{ch.get('added', 0)} / {ch.get('changed', 0)} / {ch.get('deleted', 0)}"),
        ("seconds", record["seconds"]),
        ("output", record["output_root"]),
    ]
    for k, v in rows:
        t.add_row(k, str(v))
    Console().print(t)


_CORPUS_ARG = typer.Argument(..., help="The People's Daily corpus directory (e.g. ../shared/corpus).")


def _need_corpus(corpus: Path) -> None:
    if not corpus.is_dir():
        console.print(f"[bold red]error[/] corpus directory {corpus} not found (pass e.g. ../shared/corpus)")
        raise typer.Exit(2)


@app.command("train-junction")
def train_junction_cmd(
    corpus: Path = _CORPUS_ARG,
    out: Path = typer.Option(Path("models"), help="Where to write junction.npz and junction.json."),
) -> None:
    """Train the fragment-junction model on paragraphs of 2020-01..06 and write it to models/."""
    from .tokens import get_tokenizer
    from .train_junction import train

    _need_corpus(corpus)
    scores = train(corpus, out, words=get_tokenizer().words)
    Console().print(scores)


@app.command("train-paragraphs")
def train_paragraphs_cmd(
    corpus: Path = _CORPUS_ARG,
    out: Path = typer.Option(Path("models"), help="Where to write parabreaks.npz and parabreaks.json."),
) -> None:
    """Train the paragraph-break model (line-wrapped pages) on articles of 2020-01..06 and write it to models/."""
    from .parabreaks import train

    _need_corpus(corpus)
    manifest = train(corpus, out)
    Console().print(manifest["scores"])


def _register_commands() -> None:
    from . import downstream_cli
    from .evaluation import commands as evaluation_commands

    downstream_cli.register(app)
    evaluation_commands.register(app)


_register_commands()


def main() -> None:
    try:
        app()
    except PagesplitError as exc:
        console.print(f"[bold red]error[/] {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
