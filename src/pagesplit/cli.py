"""The command line: ``pagesplit --help`` lists every command."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import PagesplitError

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


@app.command()
def run(
    input_dir: Path = typer.Argument(..., help="Input root holding PUBLICATION/YYYY-MM-DD/NAME.txt pages."),
    output_dir: Path = typer.Argument(..., help="Output root: pages/, segments/, articles/, rejects/ (Parquet)."),
    manifest: Optional[Path] = typer.Option(None, help="CSV or JSONL manifest (path, publication, issue_date, page_no) instead of walking INPUT_DIR."),
    prefect: bool = typer.Option(True, "--prefect/--no-prefect", help="Run as the Prefect flow (embedded when PREFECT_API_URL is unset) or plainly in this process."),
    fail_on_reject: bool = typer.Option(False, help="Exit with status 3 when any input was rejected."),
) -> None:
    """Process every page under INPUT_DIR and write the Parquet tables to OUTPUT_DIR."""
    if prefect:
        _quiet_prefect()
        from pipelines.nightly import nightly

        record = nightly(str(input_dir), str(output_dir), str(manifest) if manifest else None)
    else:
        from .runner import run as run_local

        record = run_local(input_dir, output_dir, manifest=manifest)
    print_summary(record)
    if fail_on_reject and record["rejected"]:
        raise typer.Exit(3)


def print_summary(record: dict) -> None:
    """The end-of-run summary: one line per figure, readable in a terminal or a log."""
    t = Table(title=f"pagesplit run {record['run_id']}", show_header=False)
    t.add_column("figure")
    t.add_column("value", justify="right")
    rem = record["removed_chars"]
    rows = [
        ("issues", record["issues"]),
        ("pages", record["pages"]),
        ("articles", record["articles"]),
        ("rejected inputs", record["rejected"]),
        ("removed chars: boilerplate", rem.get("boilerplate", 0)),
        ("removed chars: duplicate", rem.get("duplicate", 0)),
        ("removed chars: noise", rem.get("noise", 0)),
        ("seconds", record["seconds"]),
        ("output", record["output_root"]),
    ]
    for k, v in rows:
        t.add_row(k, str(v))
    Console().print(t)


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
