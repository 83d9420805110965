"""Command-line tools for the people downstream: ``index``, ``search``, ``review``.

``register(app)`` adds them to the main typer app (``pagesplit/cli.py``). Errors are printed with
their code and hint on stderr; the exit status is 2 for an error, 1 when ``review --all`` could
not render some pages (the others are written), 0 otherwise.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Optional

import typer

from .errors import PagesplitError, UsageError


def _fail(exc: PagesplitError) -> typer.Exit:
    typer.echo(f"error {exc}", err=True)
    return typer.Exit(2)


def index_cmd(
    output: Path = typer.Argument(..., help="Output directory of `pagesplit run`."),
    index_dir: Path = typer.Argument(..., help="Where the search index lives (created if needed)."),
    full: bool = typer.Option(False, "--full", help="Rebuild from scratch instead of applying the change feed."),
) -> None:
    """Build or update the full-text search index of an output's articles."""
    from .search import build_index

    try:
        r = build_index(output, index_dir, full=full)
    except PagesplitError as exc:
        raise _fail(exc) from exc
    extra = f", {r.n_touched} changed articles re-indexed" if r.mode == "incremental" else ""
    typer.echo(f"{r.mode} ({r.reason}): {r.n_docs} articles in {index_dir}{extra}")


def search_cmd(
    index_dir: Path = typer.Argument(..., help="Index built by `pagesplit index`."),
    query: str = typer.Argument(..., help="Words or a phrase, e.g. 公交新线路."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="Most hits to show."),
    all_words: bool = typer.Option(
        False, "--all-words", help="Match articles holding every word anywhere, not only the exact phrase."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per hit (for scripts)."),
) -> None:
    """Search the articles; hits come best first with a snippet and where they are on the page."""
    from .search import search

    try:
        hits = search(index_dir, query, limit, match="all" if all_words else "phrase")
    except PagesplitError as exc:
        raise _fail(exc) from exc
    for h in hits:
        if as_json:
            typer.echo(json.dumps(dataclasses.asdict(h), ensure_ascii=False))
            continue
        where = h.match_segment or (h.segments[0] if h.segments else None)
        offsets = f" chars {where.char_start}–{where.char_end}" if where else ""
        typer.echo(f"{h.score:6.2f}  {h.headline or '(no headline)'}")
        typer.echo(f"        {h.issue_date} {h.publication} p{h.page_no}  {h.source_path}{offsets}")
        typer.echo(f"        {h.marked()}")
    if not hits and not as_json:
        hint = "" if all_words else " (try --all-words: the words need not be adjacent)"
        typer.echo(f"no match{hint}", err=True)


def review_cmd(
    output: Path = typer.Argument(..., help="Output directory of `pagesplit run`."),
    page: Optional[str] = typer.Option(None, "--page", help="Page id, e.g. hohhot-daily/2024-07-19/p01."),
    all_pages: bool = typer.Option(False, "--all", help="Every page, plus an index.html."),
    out: Path = typer.Option(..., "-o", "--out", help="HTML file (--page) or directory (--all) to write."),
    input_root: Optional[Path] = typer.Option(
        None, "--input", help="Input directory of the run (default: from the run manifest)."
    ),
) -> None:
    """Write an HTML review showing how pages were split into articles and what was removed."""
    from .review import render_all, render_page

    try:
        if (page is None) == (not all_pages):
            raise UsageError("pass exactly one of --page PAGE_ID and --all", hint="e.g. --all -o review/")
        if page is not None:
            html = render_page(output, page, input_root=input_root)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(html, encoding="utf-8")
            typer.echo(f"wrote {out}")
            return
        report = render_all(output, out, input_root=input_root)
    except PagesplitError as exc:
        raise _fail(exc) from exc
    except OSError as exc:
        raise _fail(UsageError(f"cannot write {out}: {exc.strerror or exc}", hint="check the -o path")) from exc
    typer.echo(f"wrote {report.index} and {len(report.pages)} page(s)")
    for pid, why in report.failed.items():
        typer.echo(f"not rendered: {pid}: {why}", err=True)
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("index")(index_cmd)
    app.command("search")(search_cmd)
    app.command("review")(review_cmd)
