"""The oracle: gold pages written as pipeline output (pagesplit.schema tables via pagesplit.io).

It must score 1.0 on every figure; tests use it to check the scorer, and `oracle.run` on a composed set
checks that the gold and the output contract agree before a real system is blamed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..types import Article, Page, PageResult, Removal, Segment
from . import gold as G
from .baseline import page_ref, write_results

RUN_ID = "oracle"


def page_result(page: G.GoldPage) -> PageResult:
    ref = page_ref(page.source_path)
    pg = Page(ref, page.text, hashlib.sha256(page.text.encode("utf-8")).hexdigest())
    segments = []
    for i, s in enumerate(sorted(page.spans, key=lambda s: s.start)):
        sid = f"{pg.page_id}#s{i}"
        text = page.text[s.start : s.end]
        if s.label == "article":
            segments.append(Segment(sid, s.start, s.end, text, s.role, None, f"{pg.page_id}#{s.article}", s.seq, s.join))
        else:
            segments.append(Segment(sid, s.start, s.end, text, s.label, Removal(s.label, "gold")))
    articles = []
    for art, spans in G.article_spans(page).items():
        aid = f"{pg.page_id}#{art}"
        head = G.headline_text(page, spans)
        seg_ids = tuple(sg.segment_id for sg in sorted((sg for sg in segments if sg.article_id == aid), key=lambda sg: sg.article_seq))
        kind = "caption" if all(s.role == "caption" for s in spans) else "article"
        articles.append(Article(aid, pg.page_id, None, head, None, None, G.body_text(page, spans), seg_ids, kind=kind))
    return PageResult(pg, "paragraph", tuple(segments), tuple(articles))


def write(pages: list[G.GoldPage], output_root: Path) -> None:
    write_results([page_result(p) for p in pages], Path(output_root), RUN_ID)


def run_gold(gold_dir: Path, output_root: Path) -> None:
    write(G.load_dir(Path(gold_dir)), output_root)
