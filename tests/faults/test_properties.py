"""Properties on hostile page text (Hypothesis): odd line breaks and whitespace, huge lines,
many articles. Nothing lost, nothing invented, the same output twice; and the incremental tail
search of ``articles`` decides exactly as the from-scratch definition it replaced."""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pagesplit import articles as art
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
    for a in result.articles:
        kept = "".join(x or "" for x in (a.kicker, a.headline, a.subheadline, a.byline)) + a.text
        assert set(kept) - {"\n", " "} <= page_chars


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pages=st.lists(hostile_page(), min_size=1, max_size=2))
def test_hostile_pages_keep_every_character_once(pages):
    issue = [_page(p, n + 1) for n, p in enumerate(pages)]
    results = process_issue(issue, CharTokenizer())
    assert results == process_issue(issue, CharTokenizer())
    for r in results:
        _check_partition(r)
        _kept_chars_come_from_the_page(r)


# --- the tail search against its from-scratch definition -------------------------------------

def _reference_best_tail(i, body, groups, articles, joins, words, idf, config):
    """The definition (the code before it was made incremental): every bag recomputed per k."""
    def bag(ids):
        return art._bag(ids, joins, words, config)

    def cos(a, b):
        weight = {w: v * v for w, v in idf.items()}
        return art._cosine(art._dot(a, b, weight), art._norm2(a, weight), art._norm2(b, weight), bool(a) and bool(b))

    best = None
    for k in range(1, len(body)):
        tail, rest = body[-k:], body[:-k]
        tail_bag = bag(tail)
        own = cos(tail_bag, bag(rest))
        target, sim = None, 0.0
        for j in articles:
            if j == i or min(groups[j]) > tail[0]:
                continue
            s = cos(tail_bag, bag(groups[j]))
            if s > sim:
                target, sim = j, s
        if target is None or sim < config.move_min_similarity or sim < config.move_ratio * own:
            continue
        first_bag = bag(tail[:1])
        if cos(first_bag, bag(groups[target])) <= cos(first_bag, bag(rest)):
            continue
        best = (k, target)
    return best


def _reference_move_tails(groups, kinds, roles, joins, words, config):
    articles = [i for i, k in enumerate(kinds) if k == "article" and groups[i]]
    if len(articles) < 2:
        return groups
    idf = art._idf([art._bag(groups[i], joins, words, config) for i in articles])
    groups = [list(g) for g in groups]
    for i in articles:
        body = [b for b in groups[i] if roles[b] == "body"]
        move = _reference_best_tail(i, body, groups, articles, joins, words, idf, config)
        if move is None:
            continue
        k, target = move
        tail = body[-k:]
        for b in tail:
            groups[i].remove(b)
        groups[target].extend(tail)
        heads = art._heads(groups[target], roles)
        groups[target].sort(key=lambda b: (b not in heads, b))
    return groups


VOCAB = ["经济", "发展", "市场", "改革", "球队", "比赛", "冠军", "教练", "天气", "降雨", "气温", "花园"]


@st.composite
def article_layout(draw):
    """Articles of a few body blocks over a small vocabulary, so that tails do move."""
    n_articles = draw(st.integers(2, 6))
    groups, kinds, roles, words = [], [], {}, {}
    b = 0
    for _ in range(n_articles):
        g = [b]
        roles[b], words[b] = "headline", draw(st.lists(st.sampled_from(VOCAB), max_size=3))
        b += 1
        for _ in range(draw(st.integers(1, 5))):
            g.append(b)
            roles[b], words[b] = "body", draw(st.lists(st.sampled_from(VOCAB), min_size=0, max_size=12))
            b += 1
        groups.append(g)
        kinds.append("article")
    return groups, kinds, roles, words


@settings(max_examples=300, deadline=None)
@given(layout=article_layout())
def test_incremental_tail_search_equals_its_definition(layout):
    groups, kinds, roles, words = layout
    config = art.ArticleConfig()
    got = art._move_tails([list(g) for g in groups], kinds, roles, {}, words, config)
    want = _reference_move_tails([list(g) for g in groups], kinds, roles, {}, words, config)
    assert got == want


def test_a_tail_does_move():
    """The equivalence above is not vacuous: the last paragraph of article A, printed after
    article B (so grouped with B), moves back to A."""
    groups = [[0, 1, 2], [3, 4, 5, 6]]
    kinds = ["article", "article"]
    roles = {0: "headline", 1: "body", 2: "body", 3: "headline", 4: "body", 5: "body", 6: "body"}
    words = {0: ["球队"], 1: ["球队", "比赛", "冠军"], 2: ["比赛", "教练"],
             3: ["天气"], 4: ["天气", "降雨", "气温"], 5: ["降雨", "花园", "气温"], 6: ["球队", "比赛", "冠军", "教练"]}
    config = art.ArticleConfig()
    moved = art._move_tails(groups, kinds, roles, {}, words, config)
    assert moved == [[0, 1, 2, 6], [3, 4, 5]]
    assert moved == _reference_move_tails(groups, kinds, roles, {}, words, config)
