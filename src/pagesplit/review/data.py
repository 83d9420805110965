"""What a page review shows, gathered from an output: the page's row, its segments and articles,
and the page text as the OCR gave it (re-read from the input, checked against the recorded hash
and length so that misaligned offsets are flagged rather than silently shown)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyarrow.compute as pc

from ..errors import InputMissing, UsageError
from ..io import read_table
from ..partitions import list_partitions, read_partition
from ..runs import input_root_of


@dataclass(frozen=True, slots=True)
class PageView:
    page: dict  # the ``pages`` row
    text: str  # the decoded page text the offsets refer to
    segments: tuple[dict, ...]  # ``segments`` rows, by char_start
    articles: tuple[dict, ...]  # ``articles`` rows, in the order their first segment appears
    warnings: tuple[str, ...] = ()


def resolve_input_root(output_dir: Path, input_root: Path | None, run_id: str | None) -> Path:
    root = Path(input_root) if input_root else input_root_of(output_dir, run_id)
    if root is None:
        raise InputMissing(
            f"cannot tell where the page texts of {output_dir} are: no --input and no run manifest "
            "with an input_root in _runs/",
            hint="pass --input ROOT, the input directory the run read",
        )
    return root


def read_source(page: dict, input_root: Path) -> tuple[str, list[str]]:
    """The page text as the pipeline saw it, and warnings when it no longer matches the output."""
    path = Path(input_root) / page["source_path"]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputMissing(
            f"cannot read the source of page {page['page_id']}: {path} ({exc.strerror or exc})",
            hint="pass --input ROOT, the input directory the run read",
        ) from exc
    warnings = []
    encoding = page.get("encoding") or "utf-8"
    try:
        text = raw.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        text = raw.decode(encoding if _known(encoding) else "utf-8", errors="replace")
        warnings.append(f"{path} does not decode as {encoding}; undecodable bytes shown as �")
    if page.get("n_chars") is not None and len(text) != page["n_chars"] and "\r" in text:
        text = text.replace("\r\n", "\n")  # the pipeline may have normalized line endings
    digests = {hashlib.sha256(raw).hexdigest(), hashlib.sha256(text.encode("utf-8")).hexdigest()}
    if page.get("sha256") and page["sha256"] not in digests:
        warnings.append(f"{path} changed since the run (sha256 differs): offsets may not line up")
    if page.get("n_chars") is not None and len(text) != page["n_chars"]:
        warnings.append(f"the text has {len(text)} characters, the run saw {page['n_chars']}")
    return text, warnings


def _known(encoding: str) -> bool:
    try:
        "".encode(encoding)
        return True
    except LookupError:
        return False


def _view(page: dict, segments: list[dict], articles: list[dict], input_root: Path | None,
          output_dir: Path) -> PageView:  # fmt: skip
    root = resolve_input_root(output_dir, input_root, page.get("run_id"))
    text, warnings = read_source(page, root)
    segs = sorted(segments, key=lambda s: (s["char_start"], s["seq"]))
    first = {}
    for i, s in enumerate(segs):
        if s["article_id"] is not None:
            first.setdefault(s["article_id"], i)
    arts = sorted(articles, key=lambda a: first.get(a["article_id"], len(segs)))
    return PageView(page, text, tuple(segs), tuple(arts), tuple(warnings))


def _rows(output_dir: Path, table: str, page_id: str) -> list[dict]:
    parts = page_id.rsplit("/", 2)
    if len(parts) == 3:  # page ids are publication/issue_date/stem: read that partition only
        data = read_partition(output_dir, table, parts[0], parts[1])
        return data.filter(pc.equal(data.column("page_id"), page_id)).to_pylist()
    return read_table(output_dir, table, filter=pc.field("page_id") == page_id).to_pylist()


def load_page(output_dir: Path, page_id: str, *, input_root: Path | None = None) -> PageView:
    output_dir = Path(output_dir)
    pages = _rows(output_dir, "pages", page_id)
    if not pages:
        raise UsageError(
            f"no page {page_id!r} in {output_dir}",
            hint="page ids look like publication/YYYY-MM-DD/p01; `pagesplit review OUTPUT --all` lists them",
        )
    segments = _rows(output_dir, "segments", page_id)
    articles = _rows(output_dir, "articles", page_id)
    return _view(pages[0], segments, articles, input_root, output_dir)


def iter_pages(output_dir: Path, *, input_root: Path | None = None) -> Iterator[tuple[dict, PageView | InputMissing]]:
    """Every page of the output, one issue in memory at a time: ``(pages row, view or the error
    that kept it from being read)``."""
    output_dir = Path(output_dir)
    for pub, date in list_partitions(output_dir, "pages"):
        pages = read_partition(output_dir, "pages", pub, date).to_pylist()
        segs: dict[str, list[dict]] = {}
        for s in read_partition(output_dir, "segments", pub, date).to_pylist():
            segs.setdefault(s["page_id"], []).append(s)
        arts: dict[str, list[dict]] = {}
        for a in read_partition(output_dir, "articles", pub, date).to_pylist():
            arts.setdefault(a["page_id"], []).append(a)
        for page in sorted(pages, key=lambda p: (p["page_no"], p["page_id"])):
            pid = page["page_id"]
            try:
                yield page, _view(page, segs.get(pid, []), arts.get(pid, []), input_root, output_dir)
            except InputMissing as exc:
                yield page, exc
