"""Column order (colorder.py): a printed line read ahead of its column is put back where its sentence
continues; offsets stay, the order is carried by joins. Invented text, no corpus."""

from __future__ import annotations

import hashlib

import numpy as np

from pagesplit.blocks import build_blocks, join_lines, read_lines
from pagesplit.colorder import Move, apply_moves, find_moves, issue_groups, pairwise, with_moves
from pagesplit.pipeline import process_issue
from pagesplit.types import Page, PageRef

from .conftest import CharTokenizer

# One paragraph in reading order, a printed line per text line (invented).
LINES = [
    "今天上午，市图书馆新馆正式对外开放，",  # 0
    "新馆建筑面积三万平方米，设有少儿阅览",  # 1  P
    "区和古籍修复中心。馆长介绍，新馆藏书",  # 2  N
    "超过两百万册，每天可接待读者一万人次",  # 3  T
    "。开馆首日，不少市民一早就来排队，有",  # 4  X (read ahead of its column)
    "的还带着孩子，一起感受书香氛围。",  # 5  T'
]
PRINTED = [LINES[i] for i in (0, 1, 4, 2, 3, 5)]
# Elsewhere in the issue: the phrases the right reading forms across its junctions.
ISSUE_TEXT = ["少儿阅览区是新馆最受欢迎的地方", "每天约一万人次。开馆以来", "有的还带着老人"]


def _blocks(text):
    lines = read_lines(text)
    return lines, build_blocks(lines, {}, "wrapped", starts=frozenset({0}))


def test_line_read_ahead_is_put_back_after_the_line_it_continues():
    text = "\n".join(PRINTED)
    lines, blocks = _blocks(text)
    groups = issue_groups(ISSUE_TEXT + [ln.clean for ln in lines])
    moves = find_moves(lines, blocks, groups)
    assert [(m.line, m.after) for m in moves] == [(2, 4)]  # printed line 2 (LINES[4]) goes after printed 4 (LINES[3])


def test_lines_in_order_are_left_alone():
    lines, blocks = _blocks("\n".join(LINES))
    assert find_moves(lines, blocks, issue_groups(ISSUE_TEXT + LINES)) == ()


def test_without_evidence_elsewhere_nothing_moves():
    lines, blocks = _blocks("\n".join(PRINTED))
    assert find_moves(lines, blocks, issue_groups(PRINTED)) == ()


def test_character_pair_statistics_are_evidence_of_their_own():
    # the issue prints none of the phrases elsewhere; pair statistics that know the junctions of the
    # right reading (览|区, 次|。, 有|的) and not those of the printed one put the line back
    lines, blocks = _blocks("\n".join(PRINTED))
    groups = issue_groups(PRINTED)
    right = {("览", "区"), ("次", "。"), ("有", "的")}

    def pmi(left, right_text):
        return 5.0 if (left[-1], right_text[0]) in right else -2.0

    assert [(m.line, m.after) for m in find_moves(lines, blocks, groups, pmi_levels=pairwise(pmi))] == [(2, 4)]
    assert find_moves(lines, blocks, groups, pmi_levels=pairwise(lambda a, b: 0.5)) == ()  # no evidence either way


def test_corpus_groups_refine_the_issue_evidence():
    # the issue prints none of the phrases elsewhere; the training months' groups across the right
    # reading's junctions (and none across the printed one's) put the line back
    lines, blocks = _blocks("\n".join(PRINTED))
    groups = issue_groups(PRINTED)
    right = {("阅览", "区和"), ("人次", "。开"), ("，有", "的还")}

    def level(left, right_text):
        return 5 if (left[-2:], right_text[:2]) in right else 0


    def pmi(left, right_text):  # pairs that lean the right way, too weakly to move a line alone
        return 1.5 if (left[-2:], right_text[:2]) in right else -0.5

    assert find_moves(lines, blocks, groups, pmi_levels=pairwise(pmi)) == ()
    assert [(m.line, m.after) for m in find_moves(lines, blocks, groups, pmi_levels=pairwise(pmi), corpus_levels=pairwise(level, np.int8))] == [(2, 4)]
    assert find_moves(lines, blocks, groups, pmi_levels=pairwise(pmi), corpus_levels=pairwise(lambda a, b: 0, np.int8)) == ()  # no group anywhere


def test_a_junction_no_group_crosses_does_not_veto_a_strong_reading():
    # the right reading forms a known group across two of its junctions and none across the third
    # (the line's own first words, printed nowhere else): the reading as a whole decides
    lines, blocks = _blocks("\n".join(PRINTED))
    groups = issue_groups(PRINTED)
    right = {("阅览", "区和"), ("，有", "的还")}

    def level(left, right_text):
        return 5 if (left[-2:], right_text[:2]) in right else 0

    def pmi(left, right_text):
        return 5.0 if (left[-2:], right_text[:2]) in right else 0.0 if right_text.startswith("。开") else -2.0

    moves = find_moves(lines, blocks, groups, pmi_levels=pairwise(pmi), corpus_levels=pairwise(level, np.int8))
    assert [(m.line, m.after) for m in moves] == [(2, 4)]


def test_apply_moves_cuts_blocks_keeps_offsets_and_joins_in_reading_order():
    text = "\n".join(PRINTED)
    lines, blocks = _blocks(text)
    new, joins = apply_moves(blocks, lines, [Move(2, 4, 10.0)], join_lines)
    assert [b.text for b in new] == [PRINTED[0] + PRINTED[1], PRINTED[2], PRINTED[3] + PRINTED[4], PRINTED[5]]
    for b in new:
        assert text[b.start : b.end].replace("\n", "") == b.text
    assert joins == {1: 2, 3: 1, 2: 0}  # moved line after block 2; the rest of the paragraph after it
    order, cur = [0], 0
    children = {left: right for right, left in joins.items()}
    while cur in children:
        cur = children[cur]
        order.append(cur)
    assert "".join(new[i].text for i in order) == "".join(LINES)


def test_with_moves_overrides_repair_joins_on_the_same_blocks():
    assert with_moves({3: 2, 5: 4}, {1: 2, 3: 1, 2: 0}) == {5: 4, 1: 2, 3: 1, 2: 0}
    assert with_moves({3: 2}, {}) == {3: 2}


class _FavourModel:
    """A stand-in junction model: every junction reads on (moves then rest on the groups)."""

    def probability(self, left, right, words=None, *, across=None, adjacent=False):  # JunctionModel.probability's signature
        return 0.9

    def probability_both(self, left, right, *, adjacent=False):  # JunctionModel.probability_both's
        return 0.9, 0.9

    def probability_both_many(self, pairs):  # JunctionModel.probability_both_many's
        return [(0.9, 0.9)] * len(pairs)

    def pair_pmi(self, left, right):  # no character statistics
        return None

    def pmi_levels(self):
        return None

    def corpus_groups(self):
        return None


def test_pipeline_keeps_every_character_once_and_orders_the_article():
    body = "\n".join(PRINTED)
    other = "\n".join(ISSUE_TEXT)
    pages = [
        Page(PageRef(f"pub/2024-01-01/p0{n}.txt", "pub", "2024-01-01", n), t, hashlib.sha256(t.encode()).hexdigest())
        for n, t in ((1, body), (2, other))
    ]
    # Several wrapped lines so the page reads as wrapped layout.
    res = process_issue(pages, CharTokenizer(), junction_model=_FavourModel())[0]
    assert res.layout == "wrapped"
    owner = {}
    for s in res.segments:
        for i in range(s.start, s.end):
            if not body[i].isspace():
                assert i not in owner
                owner[i] = s.segment_id
    assert len(owner) == sum(not c.isspace() for c in body)
    moved = [s for s in res.segments if s.text == LINES[4]]
    assert moved and moved[0].joins_previous
    art = [s for s in sorted(res.segments, key=lambda s: s.article_seq or 0) if s.article_id == moved[0].article_id]
    assert "".join(s.text for s in art).endswith("".join(LINES[1:]))


def test_rows_of_a_list_are_never_moved():
    rows = [
        "王小明 某某市第一人民医院重症医学科主任，主任医师",
        "李某某（女） 某某县某某街道某某社区党委书记、居委会主任",
        "张大伟 某某大学附属医院呼吸科主任，教授",
        "赵某某 某某市疾病预防控制中心副主任，研究员",
        "陈某某（女） 某某区某某街道某某社区党委书记、主任",
        "刘某某 某某省人民医院党委书记、院长",
    ]
    lines, blocks = _blocks("\n".join(rows))
    # even when the issue prints the junctions of another order (row 1 after row 3) elsewhere
    joined = ["".join(r.split()) for r in rows]
    groups = issue_groups([joined[a][-3:] + joined[b][:3] for a, b in ((0, 2), (3, 1), (1, 4))])
    assert find_moves(lines, blocks, groups) == ()
    prose = [r.replace(" ", "") for r in rows]  # the same evidence without the list shape moves the row
    lines, blocks = _blocks("\n".join(prose))
    assert [(m.line, m.after) for m in find_moves(lines, blocks, groups)] == [(1, 3)]


def test_junctions_are_announced_before_the_model_is_asked():
    """``prefetch`` hears of every junction ``reads_on`` is then asked about (so that the pipeline
    segments them in one batch); the moves are those found without it."""
    lines, blocks = _blocks("\n".join(PRINTED))
    groups = issue_groups(ISSUE_TEXT + [ln.clean for ln in lines])
    announced: list[tuple[str, str]] = []
    asked: list[tuple[str, str]] = []

    def reads_on(left, right):
        asked.append((left, right))
        return 0.6

    plain = find_moves(lines, blocks, groups, reads_on)
    asked.clear()
    moves = find_moves(lines, blocks, groups, reads_on, prefetch=announced.extend)
    assert moves == plain and [(m.line, m.after) for m in moves] == [(2, 4)]
    assert asked and set(asked) <= set(announced)


def test_the_model_is_asked_only_about_readings_the_groups_bring_near_the_bar():
    """pkuseg segments every junction the model is asked about: a reading whose character evidence
    leaves it far below the bar (no phrase across any junction, neutral pair statistics) is not put
    to the model, one the issue's groups support is."""
    lines, blocks = _blocks("\n".join(PRINTED))
    asked: list[tuple[str, str]] = []

    def reads_on(left, right):
        asked.append((left, right))
        return 0.99

    neutral = pairwise(lambda a, b: 0.5)
    assert find_moves(lines, blocks, issue_groups(PRINTED), reads_on, pmi_levels=neutral) == ()
    assert asked == []
    moves = find_moves(lines, blocks, issue_groups(ISSUE_TEXT + PRINTED), reads_on, pmi_levels=neutral)
    assert asked and [(m.line, m.after) for m in moves] == [(2, 4)]


def test_pieces_put_back_are_body_whatever_the_role_model_says(monkeypatch):
    """A line column order put back, and the rest of the paragraph it was printed in, are running
    prose by construction: body even where the role model reads them as heads."""
    from pagesplit import pipeline

    class _AllHeads:
        def predict_many(self, pages, reads_on=None):
            return [{b.index: "headline" for b in page[0] if b.kept} for page in pages]

    monkeypatch.setattr(pipeline, "role_model", lambda models_dir=None: _AllHeads())
    body = "\n".join(PRINTED)
    pages = [
        Page(PageRef(f"pub/2024-01-01/p0{n}.txt", "pub", "2024-01-01", n), t, hashlib.sha256(t.encode()).hexdigest())
        for n, t in ((1, body), (2, "\n".join(ISSUE_TEXT)))
    ]
    res = process_issue(pages, CharTokenizer(), junction_model=_FavourModel())[0]
    roles = {s.text: s.role for s in res.segments if s.removal is None}
    assert roles[LINES[4]] == "body"  # the moved line
    assert roles[LINES[2] + LINES[3]] == "body"  # the rest of the paragraph it was printed in
    assert roles[LINES[5]] == "body"  # the rest of the paragraph it goes into
    assert roles[LINES[0] + LINES[1]] == "headline"  # not put back: the model's answer stands
