"""Fragment joins as a choice among candidates (hand-written fixtures, no corpus text)."""

import pytest

from pagesplit import junction
from pagesplit.blocks import build_blocks, read_lines
from pagesplit.repair import RepairConfig, find_joins, pair_score

PARA = "这是一段足够长的正文，用来说明段落的样子，里面有逗号也有句号。"
LEFT = "各级党组织聚焦重点任务，坚持问题导向，把推进现代化建设作为述职评议考"
RIGHT = "核的硬指标，推动基层党组织发挥战斗堡垒作用。"


@pytest.fixture(scope="module")
def model():
    return junction.load()


def _joins(lines, tokenizer, model, layout="paragraph"):
    blocks = build_blocks(read_lines("\n".join(lines)), {}, "paragraph")
    return blocks, find_joins(blocks, tokenizer.words, model=model, layout=layout)


def test_a_right_side_is_taken_once_by_the_left_it_fits_best(tokenizer, model):
    # two open left sides, one continuation: the word across (考|核) decides
    other = "记者在采访中了解到，当地群众普遍反映，新建的文化广场已经成为大家"
    blocks, joins = _joins([other, PARA, LEFT, RIGHT], tokenizer, model)
    assert joins == {3: 2}
    assert len(set(joins.values())) == len(joins)


def test_the_continuation_after_another_paragraph_is_found(tokenizer, model):
    # the next block starts a paragraph of its own; the rest of the cut sentence comes later (the
    # junction model alone gave 考|下一步 p=0.36 against 考|核的 0.59 and pkuseg reads 考下 as a
    # word; the character pair statistics tell 考核 from 考下)
    blocks, joins = _joins([LEFT, "下一步，全市将继续推进基层治理体系建设，确保各项任务落到实处。", PARA, RIGHT], tokenizer, model)
    assert joins == {3: 0}


def test_evidence_adds_up(tokenizer, model):
    words = tokenizer.words
    cut = pair_score(LEFT, RIGHT, True, words, model=model)
    assert pair_score(LEFT, RIGHT, False, words, model=model) < cut  # position next door counts
    dangling = pair_score("会议强调，全体干部要在各自岗位上聚焦发力，共同", "谱写团结进步新篇章。", True, words, model=model)
    assert dangling >= RepairConfig().min_score_adjacent
    comma = pair_score("为方便游客前往草原游玩，", "间短途旅客出行需求，加开城际列车两对。", True, words, model=model)
    assert comma < RepairConfig().min_score_adjacent  # an orphaned continuation's neighbour


def test_a_short_heading_with_a_comma_is_not_a_cut_paragraph(tokenizer, model):
    # an intertitle of two parallel phrases ends open and has a clause comma (so it reads as prose),
    # and the paragraph under it reads on well enough: only its shortness argues against the join
    heads = [("搭建线上平台，拓宽销售渠道", "合作社负责人介绍，今年以来，线上订单已占到总销量的一半。"),
             ("优化营商环境，激发市场活力", "企业开办时间压缩到一个工作日以内，办事群众普遍点赞。")]
    for head, para in heads:
        blocks = build_blocks(read_lines("\n".join([PARA, head, para])), {}, "paragraph")
        assert find_joins(blocks, tokenizer.words, model=model) == {}
        no_rule = RepairConfig(short_left_penalty=0.0)
        assert find_joins(blocks, tokenizer.words, no_rule, model=model) == {2: 1}  # what the rule prevents
    # a long cut side is untouched by it
    assert len(LEFT) > RepairConfig().short_left_chars


def test_a_dateline_opens_prose_before_its_first_comma(tokenizer, model):
    # the story's first line has no clause punctuation yet (dateline, then a name of a meeting cut
    # mid-word): it is prose, not a headline, and the cut is joined
    dated = "新华社杭州9月3日电　浙江省第十四届人民代表大会常务委员会第二十次会"
    rest = "议3日在杭州闭幕，会议表决通过了多项地方性法规。"
    blocks, joins = _joins([PARA, dated, rest], tokenizer, model)
    assert joins == {2: 1}
    # a byline standing alone is not a story's first line
    blocks, joins = _joins([PARA, "本报记者　王晓慧", "与多家银行签署战略合作协议，在未来五年内共提供三千亿元贷款支持。"], tokenizer, model)
    assert joins == {}


def test_a_quote_left_open_reads_as_prose(tokenizer, model):
    # a quoted statement's first line, cut before its first comma, its rest after another
    # paragraph: the open quote says the sentence goes on (a headline leaves no quote open)
    quoted = "“新航线的开通进一步完善了这座城市面向东南亚的国际航空运输网"
    blocks, joins = _joins([PARA, quoted, PARA, "络，为当地企业走出去提供了更多便利。”"], tokenizer, model)
    assert joins == {3: 1}


def test_wrapped_pages_need_more_evidence():
    config = RepairConfig()
    assert config.wrapped_min_score_adjacent > config.min_score_adjacent
    assert config.wrapped_min_score_far >= config.min_score_far


def test_batched_segmentation_gives_the_same_joins(tokenizer, model):
    """With ``words_many`` the junctions are segmented in two batches and ``words`` is not called
    one text at a time; the joins are those of the one-at-a-time path."""
    lines = ["记者在采访中了解到，当地群众普遍反映，新建的文化广场已经成为大家", PARA, LEFT,
             "下一步，全市将继续推进基层治理体系建设，确保各项任务落到实处。", RIGHT, "休闲健身的好去处。"]
    blocks = build_blocks(read_lines("\n".join(lines)), {}, "paragraph")
    single: list[str] = []
    batches: list[list[str]] = []

    def words(text):
        single.append(text)
        return tokenizer.words(text)

    def words_many(texts):
        batches.append(list(texts))
        return tokenizer.words_many(texts)

    one_by_one = find_joins(blocks, words, model=model)
    assert single
    single.clear()
    assert find_joins(blocks, words, model=model, words_many=words_many) == one_by_one
    assert single == [] and len(batches) == 2 and one_by_one
    # a caller's memo (the pipeline shares one per page with column order) batches the same way
    batches.clear()
    assert find_joins(blocks, junction.WordMemo(words, words_many), model=model) == one_by_one
    assert single == [] and len(batches) == 2


# --- the learned decision (joinmodel.py) ------------------------------------------------------------

class _Constant:
    """A join model that gives every pair the same probability."""

    rivals = None  # no rival model: the first answer decides

    def __init__(self, p: float, bar: float = 0.25):
        self.p, self.bar = p, bar

    def probabilities(self, rows):
        import numpy as np

        return np.full(len(rows), self.p)


def _model_joins(lines, tokenizer, model, join_model, layout="paragraph"):
    page_lines = read_lines("\n".join(lines))
    blocks = build_blocks(page_lines, {}, "paragraph")
    return find_joins(blocks, tokenizer.words, model=model, layout=layout, join_model=join_model, lines=page_lines)


def test_the_join_model_decides_on_paragraph_pages(tokenizer, model):
    head, para = "搭建线上平台，拓宽销售渠道", "合作社负责人介绍，今年以来，线上订单已占到总销量的一半。"
    # the summed score refuses the heading-sized left side; a model sure of the pair takes it
    assert _model_joins([PARA, head, para], tokenizer, model, None) == {}
    assert _model_joins([PARA, head, para], tokenizer, model, _Constant(0.9)) == {2: 1}
    # and a model that refuses a pair refuses even the plainest cut
    assert _model_joins([PARA, LEFT, RIGHT], tokenizer, model, None) == {2: 1}
    assert _model_joins([PARA, LEFT, RIGHT], tokenizer, model, _Constant(0.1)) == {}
    # best first, each side once: one left side and two candidates of equal probability -> the nearer
    other = "下一步，全市将继续推进基层治理体系建设，确保各项任务落到实处。"
    assert _model_joins([LEFT, other, RIGHT], tokenizer, model, _Constant(0.9)) == {1: 0}


def test_a_quote_closed_on_the_right_is_taken_among_the_sides_the_model_left_free(tokenizer, model):
    left = "各地坚持问题导向，推动基层形成“发现问题、整改落实"
    right = "跟踪问效”的工作闭环，切实提高整改工作的实际效果。"
    # (next door, block building reads the two as one paragraph already: the test is a far pair)
    assert _model_joins([PARA, left, PARA, right], tokenizer, model, _Constant(0.0)) == {3: 1}
    # a side the model joined elsewhere stays where the model put it
    assert _model_joins([PARA, left, PARA, right], tokenizer, model, _Constant(0.9)) == {2: 1}


def test_the_join_model_decides_on_wrapped_pages_too(tokenizer, model):
    head, para = "搭建线上平台，拓宽销售渠道", "合作社负责人介绍，今年以来，线上订单已占到总销量的一半。"
    assert _model_joins([PARA, head, para], tokenizer, model, _Constant(0.9), "wrapped") == {2: 1}
    assert _model_joins([PARA, LEFT, RIGHT], tokenizer, model, _Constant(0.1), "wrapped") == {}


class _OnlyCandidate(_Constant):
    """A join model whose rival model takes a pair when its left side has no other candidate."""

    rivals = True

    def __init__(self, p: float):
        super().__init__(p, bar=0.5)
        self.asked = []

    def rival_probabilities(self, rows):
        import numpy as np

        from pagesplit.repair import RIVAL_COLUMNS

        self.asked.extend(rows)
        alone = RIVAL_COLUMNS.index("left_candidates")
        return np.array([0.9 if row[alone] == 0 else 0.1 for row in rows])


def test_a_rival_model_decides_with_each_pairs_rivals_in_view(tokenizer, model):
    from pagesplit.repair import RIVAL_COLUMNS

    nxt = "下一步，全市将继续推进基层治理体系建设，确保各项任务落到实处。"
    one = _OnlyCandidate(0.3)
    assert _model_joins([PARA, LEFT, RIGHT], tokenizer, model, one) == {2: 1}
    assert one.asked and all(len(row) == len(RIVAL_COLUMNS) for row in one.asked)
    assert {row[RIVAL_COLUMNS.index("p")] for row in one.asked} == {0.3}  # the first answers, as given
    # the same cut with other candidates beside it: the rival model (not the first answer) refuses
    assert _model_joins([LEFT, nxt, PARA, RIGHT], tokenizer, model, _OnlyCandidate(0.3)) == {}
    assert _model_joins([LEFT, nxt, PARA, RIGHT], tokenizer, model, _Constant(0.3)) == {1: 0}


def test_rival_rows_read_each_pairs_rivals():
    from pagesplit.repair import RIVAL_COLUMNS, rival_rows

    col = {c: i for i, c in enumerate(RIVAL_COLUMNS)}
    # left 1 has candidates 2 and 3; right 3 has lefts 1 and 0
    sides, p = [(1, 2), (1, 3), (0, 3)], [0.2, 0.7, 0.4]
    rows = rival_rows(sides, [[float(k)] * (col["p"]) for k in range(3)], p)
    assert [r[: col["p"]] for r in rows] == [[0.0] * col["p"], [1.0] * col["p"], [2.0] * col["p"]]
    first = dict(zip(RIVAL_COLUMNS[col["p"] :], rows[0][col["p"] :]))
    assert first == {"p": 0.2, "left_rival": 0.7, "right_rival": 0.0, "left_candidates": 1.0, "right_candidates": 0.0,
                     "left_better": 1.0, "right_better": 0.0}
    second = dict(zip(RIVAL_COLUMNS[col["p"] :], rows[1][col["p"] :]))
    assert second == {"p": 0.7, "left_rival": 0.2, "right_rival": 0.4, "left_candidates": 1.0, "right_candidates": 1.0,
                      "left_better": 0.0, "right_better": 0.0}


def test_the_committed_join_model_joins_a_cut_sentence_and_not_a_new_paragraph(tokenizer, model):
    from pagesplit.joinmodel import join_model

    learned = join_model()
    assert learned is not None
    assert _model_joins([PARA, LEFT, RIGHT], tokenizer, model, learned) == {2: 1}
    # the next block starts a paragraph of its own; the rest of the cut sentence comes later
    nxt = "下一步，全市将继续推进基层治理体系建设，确保各项任务落到实处。"
    assert _model_joins([LEFT, nxt, PARA, RIGHT], tokenizer, model, learned) == {3: 0}


def test_an_issues_pages_asked_at_once_get_their_own_answers(tokenizer, model):
    from pagesplit.joinmodel import join_model
    from pagesplit.repair import learned_joins_many

    learned = join_model()
    nxt = "下一步，全市将继续推进基层治理体系建设，确保各项任务落到实处。"
    pages = [[PARA, LEFT, RIGHT], [LEFT, nxt, PARA, RIGHT], [PARA, nxt], [LEFT, PARA]]
    one_by_one, together = [], []
    for text in pages:
        page_lines = read_lines("\n".join(text))
        blocks = build_blocks(page_lines, {}, "paragraph")
        one_by_one.append(find_joins(blocks, tokenizer.words, model=model, join_model=learned, lines=page_lines))
        together.append((blocks, junction.WordMemo(tokenizer.words), "paragraph", page_lines))
    assert learned_joins_many(together, RepairConfig(), model, learned) == one_by_one
    assert one_by_one[:2] == [{2: 1}, {3: 0}]
