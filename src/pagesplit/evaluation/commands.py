"""Typer commands of the evaluation: ``compose``, ``eval``, ``eval-dev``, ``eval-ocr``.

``pagesplit.cli`` calls ``register(app)``. Exit codes: 0 ok; 1 a figure is below its floor; 2 bad usage
or missing input (with the coded message and a hint).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..errors import PagesplitError
from . import floors as F

EXIT_BELOW_FLOOR = 1
EXIT_USAGE = 2
MIN_TABLE_WIDTH = 130


def _fail(console: Console, exc: PagesplitError) -> None:
    console.print(f"[red]{exc}[/red]")
    raise typer.Exit(EXIT_USAGE)


def _need_dir(console: Console, path: Path, what: str) -> None:
    if not path.is_dir():
        console.print(f"[red]{what} {path} not found[/red] (is the path right? e.g. ../shared/corpus)")
        raise typer.Exit(EXIT_USAGE)


def _months(text: str) -> tuple[str, ...]:
    return tuple(m.strip() for m in text.split(",") if m.strip())


def register(app: typer.Typer) -> None:
    console = Console()
    # Side-by-side tables have nine columns: never squeeze them below a readable width (CI logs are 80).
    console.width = max(console.width, MIN_TABLE_WIDTH)

    @app.command("compose")
    def compose_cmd(
        corpus: Path = typer.Argument(..., help="directory with rmrb-*.articles.jsonl.gz and .pages.jsonl.gz"),
        out: Path = typer.Argument(..., help="where pages/, gold/ and compose.json go (outside the repo)"),
        months: str = typer.Option("2020-07,2020-08,2020-09", help="comma-separated YYYY-MM"),
        n_issues: int = typer.Option(40, help="number of whole issues to compose"),
        seed: int = typer.Option(13, help="same seed, same bytes"),
        indent_paragraphs: bool = typer.Option(
            False, "--indent-paragraphs", help="the same pages, with each wrapped paragraph's first line indented (an export that keeps the layout)"
        ),
        traditional: bool = typer.Option(False, "--traditional", help="the same pages printed in traditional characters"),
    ) -> None:
        """Compose OCR-like pages with gold from the People's Daily corpus."""
        from .compose import compose

        _need_dir(console, corpus, "corpus directory")
        try:
            rec = compose(corpus, out, months=_months(months), n_issues=n_issues, seed=seed, indent_paragraphs=indent_paragraphs,
                          traditional=traditional)
        except PagesplitError as exc:
            _fail(console, exc)
        console.print(f"{rec['n_pages']} pages of {len(rec['issues'])} issues -> {out}")
        console.print(json.dumps(rec["totals"], ensure_ascii=False))

    @app.command("eval")
    def eval_cmd(
        gold_dir: Path = typer.Argument(..., help="directory of gold *.json"),
        output_dir: Path = typer.Argument(..., help="output root of `pagesplit run`"),
        json_out: Optional[Path] = typer.Option(None, "--json", help="write the full scores here"),
    ) -> None:
        """Score pipeline output against gold pages."""
        from .report import print_score
        from .score import score

        try:
            result = score(gold_dir, output_dir)
        except PagesplitError as exc:
            _fail(console, exc)
        print_score(result, console)
        if json_out:
            json_out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")

    @app.command("eval-dev")
    def eval_dev_cmd(
        corpus: Path = typer.Argument(..., help="the People's Daily corpus directory"),
        work: Path = typer.Option(..., "--work", help="scratch directory outside the repo (composed pages, outputs, eval.json)"),
        pin: bool = typer.Option(False, "--pin", help="raise floors to the reached figures (never lowers them)"),
        floors: Path = typer.Option(F.DEFAULT_PATH, "--floors", help="floors file"),
        n_issues: int = typer.Option(40, help="issues to compose (>= 40 for the dev set)"),
        months: str = typer.Option("2020-07,2020-08,2020-09", help="comma-separated YYYY-MM to draw issues from"),
    ) -> None:
        """Compose the dev set, run pipeline and baseline, score both and the seed page, check floors."""
        from .devset import eval_dev

        _need_dir(console, corpus, "corpus directory")
        try:
            result = eval_dev(corpus, work, floors_path=floors, pin=pin, n_issues=n_issues, months=_months(months), console=console)
        except PagesplitError as exc:
            _fail(console, exc)
        console.print(f"scores: {work / 'eval.json'}")
        if result.failures:
            console.print("[red]below floor:[/red]")
            for f in result.failures:
                console.print(f"  {f}")
            raise typer.Exit(EXIT_BELOW_FLOOR)
        console.print("[green]all floors met[/green]")

    @app.command("eval-ocr")
    def eval_ocr_cmd(
        corpus: Path = typer.Argument(..., help="the People's Daily corpus directory"),
        work: Path = typer.Option(..., "--work", help="scratch directory outside the repo (rendered pages, OCR text, output)"),
        pages: int = typer.Option(12, "--pages", min=1, help="pages to render (~20 s each, once: a finished rendering is reused)"),
        seed: int = typer.Option(5, help="which corpus pages"),
    ) -> None:
        """Render corpus articles as newspaper pages, OCR them with Tesseract, run the pipeline, score each article."""
        from .realocr import eval_ocr

        _need_dir(console, corpus, "corpus directory")
        try:
            result = eval_ocr(corpus, work, n_pages=pages, seed=seed)
        except PagesplitError as exc:
            _fail(console, exc)
        for name, row in [("all", result["overall"]), *result["by_layout"].items()]:
            console.print(f"{name:14s} " + "  ".join(f"{k} {v}" for k, v in row.items()))
        console.print(f"scores: {work / 'ocr_eval.json'}")
