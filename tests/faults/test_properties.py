"""Properties on hostile page text (Hypothesis): odd line breaks and whitespace, huge lines,
many articles. Nothing lost, nothing invented, the same output twice."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pagesplit.pipeline import process_issue

from ..conftest import CharTokenizer
from ..test_invariants import LINE, _check_partition, _page

BREAK = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\r\n", "\u2028", "\x85", "\x0b", "\x0c"])
ODD_SPACE = st.sampled_from([" ", "\t", "\u3000", "\u00a0", "\u2003", "\u200b", "\ufeff", "\x1c", "\x1f"])
HUGE = st.integers(min_value=2_000, max_value=30_000).map(lambda n: ("经济发展，" * n)[:n])
HOSTILE_LINE = st.one_of(LINE, LINE, LINE, st.tuples(LINE, ODD_SPACE, LINE).map("".join), HUGE)


@st.composite
def hostile_page(draw):
    lines = draw(st.lists(HOSTILE_LINE, min_size=0, max_size=30))
    out = ""
    for ln in lines:
        out += ln + draw(BREAK)
    return out


def _kept_chars_come_from_the_page(result):
    page_chars = set(result.page.text)
    if page_chars & {"〈", "《"}:  # ``text.repair_brackets``: "〈一线见闻)" is read as the "（一线见闻）" it was printed as
        page_chars |= {"（", "）"}
    for a in result.articles:
        kept = "".join(x or "" for x in (a.kicker, a.headline, a.subheadline, a.byline)) + a.text
        assert set(kept) - {"\n", " "} <= page_chars


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pages=st.lists(hostile_page(), min_size=1, max_size=2))
@example(pages=["0《\u2028)\n"])  # a misread bracket pair: its repair is the one character change allowed
def test_hostile_pages_keep_every_character_once(pages):
    issue = [_page(p, n + 1) for n, p in enumerate(pages)]
    results = process_issue(issue, CharTokenizer())
    assert results == process_issue(issue, CharTokenizer())
    for r in results:
        _check_partition(r)
        _kept_chars_come_from_the_page(r)
