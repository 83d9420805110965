"""The naive baseline: what a page looks like to someone with ten minutes and no model.

Blocks are the runs of text between blank lines. A block whose text (markup and whitespace removed) was
already seen on the page is a duplicate; a short block without final punctuation starts a new article as
its headline; every other block is body of the current article. Nothing is boilerplate, nothing is joined.
It writes the same Parquet tables as the pipeline (through pagesplit.schema and pagesplit.io), so the
same scorer reads it; its scores are the figure the pipeline must beat.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path

from .. import io, schema
from ..errors import InputMissing
from ..types import Article, Page, PageRef, PageResult, Removal, Segment
from . import gold as G

RUN_ID = "baseline"
# A headline in the seed and corpus is at most ~40 characters; body paragraphs are longer or end in
# punctuation.
SHORT_LINE_MAX = 40
FINAL_PUNCT = "。！？!?…；;：:，,、”」）)"
BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


def page_ref(source_path: str) -> PageRef:
    parts = source_path.split("/")
    publication = parts[0] if len(parts) > 1 else "unknown"
    issue_date = parts[1] if len(parts) > 2 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", parts[1]) else "unknown"
    digits = re.findall(r"\d+", parts[-1])
    return PageRef(source_path, publication, issue_date, int(digits[-1]) if digits else 0)


def blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each blank-line-separated block, trimmed of surrounding whitespace."""
    out, pos = [], 0
    for m in list(BLANK_LINE.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((pos + lead, pos + len(chunk.rstrip())))
        pos = m.end() if m else pos
    return out


def reader_text(raw: str) -> str:
    return "".join(G.strip_markup(line).strip() for line in raw.split("\n"))


def split_page(page: Page) -> PageResult:
    seen: dict[str, str] = {}
    segments: list[Segment] = []
    arts: list[dict] = []
    for i, (start, end) in enumerate(blocks(page.text)):
        raw = page.text[start:end]
        clean = G.squeeze(raw)
        sid = f"{page.page_id}#s{i}"
        if clean in seen:
            segments.append(Segment(sid, start, end, raw, "duplicate", Removal("duplicate", "exact_repeat", seen[clean])))
            continue
        if clean:
            seen[clean] = sid
        if not clean:
            segments.append(Segment(sid, start, end, raw, "noise", Removal("noise", "markup_only")))
            continue
        is_head = len(clean) <= SHORT_LINE_MAX and clean[-1] not in FINAL_PUNCT
        if is_head or not arts:
            arts.append({"id": f"{page.page_id}#a{len(arts)}", "headline": clean if is_head else None, "body": [], "segs": []})
        art = arts[-1]
        art["segs"].append(sid)
        if not is_head:
            art["body"].append(reader_text(raw))
        segments.append(Segment(sid, start, end, raw, "headline" if is_head else "body", None, art["id"], len(art["segs"]) - 1))
    articles = tuple(
        Article(a["id"], page.page_id, None, a["headline"], None, None, "\n".join(a["body"]), tuple(a["segs"]))
        for a in arts
    )
    return PageResult(page, "paragraph", tuple(segments), articles)


def read_page(input_root: Path, path: Path) -> Page:
    data = path.read_bytes()
    source_path = path.relative_to(input_root).as_posix()
    return Page(page_ref(source_path), data.decode("utf-8", errors="replace"), hashlib.sha256(data).hexdigest())


def write_results(results: list[PageResult], output_root: Path, run_id: str) -> None:
    by_issue: dict[tuple[str, str], list[PageResult]] = defaultdict(list)
    for r in results:
        by_issue[(r.page.ref.publication, r.page.ref.issue_date)].append(r)
    for (pub, date), rs in sorted(by_issue.items()):
        io.write_partition(output_root, "pages", schema.pages_table(rs, run_id), pub, date)
        io.write_partition(output_root, "segments", schema.segments_table(rs, run_id), pub, date)
        io.write_partition(output_root, "articles", schema.articles_table(rs, run_id), pub, date)


def run(input_root: Path, output_root: Path) -> int:
    """Split every ``*.txt`` under ``input_root``; returns the number of pages written."""
    input_root = Path(input_root)
    paths = sorted(input_root.rglob("*.txt"))
    if not paths:
        raise InputMissing(f"no *.txt pages under {input_root}", hint="pass the pages/ directory written by `pagesplit compose`")
    results = [split_page(read_page(input_root, p)) for p in paths]
    write_results(results, Path(output_root), RUN_ID)
    return len(results)
