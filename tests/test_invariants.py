"""Properties that hold on any page text (Hypothesis): nothing is lost, nothing is invented (but
the full-width round brackets of a misread pair, ``text.repair_brackets``), the same input gives
the same output."""

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pagesplit.pipeline import process_issue
from pagesplit.types import Page, PageRef

from .conftest import CharTokenizer

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
PUNCT = st.sampled_from(list("，。、；：？！“”（）《》,.;:!?()"))
ASCII = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
WORD = st.text(st.one_of(CJK, CJK, CJK, PUNCT, ASCII), min_size=1, max_size=60)
LINE = st.one_of(
    WORD,
    WORD.map(lambda w: "# " + w),
    WORD.map(lambda w: "## " + w),
    WORD.map(lambda w: "**" + w + "**"),
    st.sampled_from(["图片新闻", "责任编辑：某某", "第3版", "|", "", "", "  ", "\u3000\u3000"]),
    WORD.map(lambda w: " ".join(w)),
)
# rows an engine read across columns (columns.py): prose cells between runs of spaces or a rule
CELL = st.text(st.one_of(CJK, CJK, CJK, CJK, PUNCT), min_size=6, max_size=24)
ROW = st.lists(CELL, min_size=2, max_size=3).flatmap(
    lambda cells: st.sampled_from(["    ", "\t", "  “|  ", "     |"]).map(lambda gap: gap.join(cells))
)
ROWS = st.lists(ROW, min_size=3, max_size=6).map(lambda rows: "\n".join(rows))
PAGE = st.lists(st.one_of(LINE, LINE, LINE, ROWS), min_size=0, max_size=40).map(lambda ls: "\n".join(ls))
NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])


def _page(text: str, n: int = 1) -> Page:
    return Page(PageRef(f"pub/2024-01-01/p{n:02d}.txt", "pub", "2024-01-01", n), text, hashlib.sha256(text.encode()).hexdigest())


def _check_partition(result):
    text = result.page.text
    owner = [None] * len(text)
    for seg in result.segments:
        assert 0 <= seg.start < seg.end <= len(text)
        for i in range(seg.start, seg.end):
            if not text[i].isspace():
                assert owner[i] is None, f"char {i} in two segments"
                owner[i] = seg.segment_id
    missing = [i for i, c in enumerate(text) if not c.isspace() and owner[i] is None]
    assert not missing, f"chars {missing[:5]} in no segment"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages=st.lists(PAGE, min_size=1, max_size=3), nl=NEWLINE)
def test_every_char_in_exactly_one_segment_and_nothing_invented(pages, nl):
    issue = [_page(p.replace("\n", nl), n + 1) for n, p in enumerate(pages)]
    results = process_issue(issue, CharTokenizer())
    for r in results:
        _check_partition(r)
        page_chars = set(r.page.text)
        if page_chars & {"〈", "《"}:  # a misread pair "〈…)" is written as the pair printed, "（…）" (text.repair_brackets)
            page_chars |= {"（", "）"}
        seg_ids = {s.segment_id for s in r.segments}
        for a in r.articles:
            assert set(a.text) - {"\n", " "} <= page_chars
            assert set(a.segment_ids) <= seg_ids
        for s in r.segments:
            assert (s.removal is None) == (s.article_id is not None)
            if s.removal is not None and s.removal.kind == "duplicate":
                assert s.removal.duplicate_of is not None


@settings(max_examples=40, deadline=None)
@given(pages=st.lists(PAGE, min_size=1, max_size=3))
def test_deterministic(pages):
    issue = [_page(p, n + 1) for n, p in enumerate(pages)]
    assert process_issue(issue, CharTokenizer()) == process_issue(issue, CharTokenizer())
