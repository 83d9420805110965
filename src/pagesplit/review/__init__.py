"""Visual review of an output: one self-contained HTML page per OCR page, and an index of pages.

``render_page`` for one page, ``render_index`` for the list, ``render_all`` writes both for a whole
output (``index.html`` + ``pages/<publication>/<issue_date>/<page>.html``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OutputError
from ..io import read_table
from .data import PageView, iter_pages, load_page
from .index_html import page_href, render_index_html
from .page_html import render_page_html

__all__ = ["AllReport", "PageView", "page_href", "render_all", "render_index", "render_page"]


def render_page(output_dir: Path, page_id: str, *, input_root: Path | None = None) -> str:
    """The review of one page. The page text is read from ``input_root / source_path``;
    ``input_root`` defaults to that of the run that wrote the page (``_runs/<run_id>.json``),
    else of the latest run."""
    return render_page_html(load_page(output_dir, page_id, input_root=input_root))


def render_index(output_dir: Path, *, failed: dict[str, str] | None = None) -> str:
    """The list of every page of the output, with counts, linking to ``page_href(page_id)``."""
    return render_index_html(read_table(Path(output_dir), "pages").to_pylist(), failed)


@dataclass(frozen=True, slots=True)
class AllReport:
    index: Path
    pages: tuple[Path, ...]
    failed: dict[str, str] = field(default_factory=dict)  # page_id -> why it was not rendered


def _write(path: Path, html: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}", hint="check the -o directory") from exc


def render_all(output_dir: Path, out_dir: Path, *, input_root: Path | None = None) -> AllReport:
    """Write every page's review and the index into ``out_dir``; a page whose source cannot be read
    is listed in the index (and the report) instead of stopping the others."""
    out_dir = Path(out_dir)
    written, failed, pages = [], {}, []
    for page, view in iter_pages(output_dir, input_root=input_root):
        pages.append(page)
        if isinstance(view, PageView):
            path = out_dir / page_href(page["page_id"])
            _write(path, render_page_html(view))
            written.append(path)
        else:
            failed[page["page_id"]] = f"[{view.code}] {view.message}"
    index = out_dir / "index.html"
    _write(index, render_index_html(pages, failed))
    return AllReport(index, tuple(written), failed)
