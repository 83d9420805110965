"""Rich tables of scores: side-by-side columns of systems, per-role figures, worst pages."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..types import ROLES

HEADLINE_METRICS = (
    "bcubed_p", "bcubed_r", "bcubed_f1",
    "boilerplate_p", "boilerplate_r", "boilerplate_f1",
    "duplicate_p", "duplicate_r", "duplicate_f1",
    "duplicate_exact_p", "duplicate_exact_r", "duplicate_exact_f1",
    "duplicate_noisy_p", "duplicate_noisy_r", "duplicate_noisy_f1",
    "duplicate_straddling_p", "duplicate_straddling_r", "duplicate_straddling_f1",
    "duplicate_untyped_fp",
    "noise_f1",
    "article_removed_boilerplate", "article_removed_duplicate", "article_removed_noise",
    "text_similarity", "exact_rate", "headline_accuracy", "role_accuracy",
    "join_p", "join_r", "join_f1",
    "pages", "articles", "unsegmented_chars",
)


def fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def side_by_side(columns: dict[str, dict], title: str) -> Table:
    """One row per metric, one column per (system, subset) metrics dict."""
    table = Table(title=title, show_lines=False)
    table.add_column("metric", no_wrap=True)
    for name in columns:
        table.add_column(name, justify="right")
    for key in HEADLINE_METRICS:
        table.add_row(key, *(fmt(m.get(key)) if m else "n/a" for m in columns.values()))
    return table


def roles_table(m: dict, title: str) -> Table:
    table = Table(title=title)
    for col in ("role", "p", "r", "f1", "gold chars"):
        table.add_column(col, justify="right" if col != "role" else "left")
    for role in ROLES:
        r = m["roles"][role]
        table.add_row(role, fmt(r["p"]), fmt(r["r"]), fmt(r["f1"]), str(r["gold_chars"]))
    return table


def worst_pages(result: dict, n: int = 10) -> Table:
    table = Table(title=f"worst {n} pages")
    for col in ("source_path", "layout", "score", "bcubed_f1", "boilerplate_f1", "duplicate_f1", "text_sim"):
        table.add_column(col)
    for p in result["pages"][:n]:
        table.add_row(p["source_path"], p["layout"], fmt(p["page_score"]), fmt(p["bcubed_f1"]),
                      fmt(p["boilerplate_f1"]), fmt(p["duplicate_f1"]), fmt(p["text_similarity"]))
    return table


def print_score(result: dict, console: Console | None = None) -> None:
    console = console or Console()
    cols = {"overall": result["overall"], **result["by_layout"]}
    console.print(side_by_side(cols, f"{result['gold_dir']} vs {result['output_dir']}"))
    console.print(roles_table(result["overall"], "roles (characters)"))
    console.print(worst_pages(result))
    if result["missing_pages"]:
        console.print(f"[red]{len(result['missing_pages'])} gold pages have no output[/red], e.g. {result['missing_pages'][:3]}")
