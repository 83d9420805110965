"""The composer's column-order accident (render.displace_lines) on invented blocks: the gold still covers
every character once and the article reads in order; the scorer counts a put-back line."""

from __future__ import annotations

import random

from pagesplit.evaluation import gold as G
from pagesplit.evaluation.plan import Block
from pagesplit.evaluation.render import PageStyle, render
from pagesplit.evaluation.score import _moved_lines

PARAS = [
    "今天上午，市图书馆新馆正式对外开放。新馆建筑面积三万平方米，设有少儿阅览区、古籍修复中心和数字体验区，藏书超过两百万册。",
    "开馆首日，不少市民一早就来排队，有的还带着孩子。馆长介绍，新馆每天可接待读者一万人次，周末延长开放时间到晚上九点。",
    "据悉，新馆还将定期举办讲座和展览，邀请作家、学者与读者面对面交流，让图书馆成为城市的公共客厅。",
]
STYLE = PageStyle(layout="wrapped", markdown=False, halfwidth=False, blank_separator=False, cjk_space=0.0, n_stray=0)


def _blocks():
    out = [Block("新馆开放", "article", "a1", "headline", seq=0)]
    out += [Block(p, "article", "a1", "body", seq=k + 1) for k, p in enumerate(PARAS)]
    return out


def _displaced_page():
    for seed in range(200):
        text, spans = render(_blocks(), STYLE, random.Random(1), order_rng=random.Random(seed))
        page = G.parse({"source_path": "x", "text": text, "spans": spans})
        if G.displaced_spans(page):
            return page
    raise AssertionError("no seed displaced a line")


def test_gold_covers_the_page_and_reads_in_order():
    page = _displaced_page()
    assert G.coverage_errors(page.text, page.spans) == []
    spans = G.article_spans(page)["a1"]
    assert [s.seq for s in spans] == list(range(len(spans)))
    assert G.body_text(page, spans) == "\n".join(PARAS)
    for x, prev, nxt in G.displaced_spans(page):
        assert x.join and prev.start > x.end and "\n" not in page.text[x.start : x.end]
        assert nxt is None or nxt.join


def test_without_the_accident_the_page_is_unchanged():
    plain = render(_blocks(), STYLE, random.Random(1))
    assert G.displaced_spans(G.parse({"source_path": "x", "text": plain[0], "spans": plain[1]})) == []
    # the accident's generator is its own: the other draws (line width, wrapping) are the same
    for seed in range(20):
        text, _ = render(_blocks(), STYLE, random.Random(1), order_rng=random.Random(seed))
        assert sorted(text.split("\n")) == sorted(plain[0].split("\n"))


def test_scorer_counts_a_put_back_line():
    from pagesplit.evaluation.output import PredPage, PredSegment

    page = _displaced_page()
    prefix = [0]
    for c in page.text:
        prefix.append(prefix[-1] + (not c.isspace()))
    segs = tuple(
        PredSegment(s.start, s.end, None, s.role, "a1", s.seq, s.join) for s in page.spans
    )
    n = len(G.displaced_spans(page))
    assert _moved_lines(page, PredPage(segs, {}), prefix) == (n, n, n, n)
    in_page_order = tuple(PredSegment(s.start, s.end, None, s.role, "a1", k, False) for k, s in enumerate(page.spans))
    assert _moved_lines(page, PredPage(in_page_order, {}), prefix) == (n, 0, 0, 0)


def test_indented_paragraphs_change_nothing_but_the_indents():
    # compose --indent-paragraphs: each body paragraph's first printed line two ideographic spaces
    # in (a continuation's is not), every draw the same, the gold still whole
    from dataclasses import replace

    from pagesplit.evaluation.render import PARAGRAPH_INDENT

    blocks = _blocks() + [Block("，藏书超过两百万册的新馆成为市民的好去处。", "article", "a1", "body", seq=len(PARAS) + 1, join=True)]
    plain, _ = render(blocks, STYLE, random.Random(1))
    text, spans = render(blocks, replace(STYLE, indent=True), random.Random(1))
    assert text.replace(PARAGRAPH_INDENT, "") == plain
    assert text.count(PARAGRAPH_INDENT) == len(PARAS)  # not the headline, not the continuation
    assert all(ln.startswith(PARAGRAPH_INDENT) == any(ln.lstrip().startswith(p[:8]) for p in PARAS) for ln in text.split("\n") if ln)
    page = G.parse({"source_path": "x", "text": text, "spans": spans})
    assert G.coverage_errors(page.text, page.spans) == []
    assert G.body_text(page, G.article_spans(page)["a1"]) == "\n".join(PARAS) + "，藏书超过两百万册的新馆成为市民的好去处。"
