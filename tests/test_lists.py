"""Lists in line-wrapped OCR text: each entry is its own paragraph (blocks.paragraph_starts), and
repair never joins two rows of a name list. Fixtures are written here (invented names)."""

from pagesplit.blocks import build_blocks, paragraph_starts, read_lines
from pagesplit.repair import find_joins

PROSE = [
    "今年以来，本市持续推进老旧小区改造工作，聚焦群众",
    "急难愁盼问题，通过加装电梯、改造管网、完善停车设",
    "施等方式，让居民生活更加便利舒适。市住房城乡建设",
    "委员会有关负责人介绍，下一步将继续扩大改造范围。",
]


def texts(text: str) -> list[str]:
    lines = read_lines(text)
    return [b.text for b in build_blocks(lines, {}, "wrapped")]


def test_name_list_rows_wrapped_onto_a_second_line_are_one_entry_each():
    # a column of 20 cells: rows longer than that run on into a short second line
    rows = [
        "张　伟\u3000东海市第一人民医院呼吸内科主任，主任",
        "医师",
        "李晓红（女）\u3000东海市疾控中心副主任，副主",
        "任医师",
        "王建国\u3000西山县人民医院院长",
        "赵　敏（女）\u3000南湖区卫生服务中心护士长，副",
        "主任护师",
    ]
    assert texts("\n".join(rows)) == [
        "张 伟 东海市第一人民医院呼吸内科主任，主任医师",
        "李晓红（女） 东海市疾控中心副主任，副主任医师",
        "王建国 西山县人民医院院长",
        "赵 敏（女） 南湖区卫生服务中心护士长，副主任护师",
    ]


def test_a_list_printed_an_entry_per_line_splits_at_every_line():
    rows = ["东海市第一人民医院党委", "西山县疾病预防控制中心党支部", "南湖区青石街道白塔社区居民委员会党委", "南湖区人民医院",
            "东海港务集团有限公司党委", "北岭市公安局交通警察支队第三大队", "西山县人民医院", "北岭市急救中心"]
    assert texts("\n".join(rows)) == rows


def test_a_list_wrapped_at_its_column_keeps_wrapped_entries_whole():
    # column 12: entries longer than that run on into a short line
    lines = ["东海市第一人民医院急诊科党", "支部", "西山县疾控中心", "南湖区青石街道白塔社区居民",
             "委员会", "东海港务集团党委", "北岭市公安局交通警察支队党", "委", "西山县人民医院"]
    assert texts("\n".join(lines)) == ["东海市第一人民医院急诊科党支部", "西山县疾控中心", "南湖区青石街道白塔社区居民委员会",
                                       "东海港务集团党委", "北岭市公安局交通警察支队党委", "西山县人民医院"]


def test_a_list_entry_that_fills_the_column_exactly_ends_where_the_lists_entries_end():
    # column 13: "东海市南湖区青石街道白塔社区党委" fills it and is whole (it ends as four short
    # entries do, in 党委); "北岭市公安局交通警察支队第三" fills it and goes on ("第三" ends none)
    lines = ["东海市第一人民医院急诊科党委", "西山县疾控中心党委", "南湖区青石街道白塔社区党委",
             "东海港务集团党委", "北岭市公安局交通警察支队第三", "大队党支部", "西山县人民医院党委",
             "北岭市急救中心党支部", "东海市南湖区白塔街道办党委", "北岭市第二中学"]
    assert texts("\n".join(lines)) == [
        "东海市第一人民医院急诊科党委", "西山县疾控中心党委", "南湖区青石街道白塔社区党委", "东海港务集团党委",
        "北岭市公安局交通警察支队第三大队党支部", "西山县人民医院党委", "北岭市急救中心党支部",
        "东海市南湖区白塔街道办党委", "北岭市第二中学",
    ]


def test_a_tail_that_ends_entries_stays_with_a_full_line_whose_ending_is_rarer():
    # "…白塔社区" fills the column and 社区 ends one entry, but 党委 ends three: "党委" is its tail
    lines = ["东海市第一人民医院急诊科党委", "西山县疾控中心党委", "南湖区青石街道白塔社区党委",
             "北岭市新华街道金桥社区", "东海港务集团党委", "北岭市长安区青石街道白塔社区", "党委",
             "西山县人民医院", "北岭市急救中心党支部"]
    got = texts("\n".join(lines))
    assert "北岭市长安区青石街道白塔社区党委" in got and "党委" not in got


def test_section_heads_of_a_name_list_stand_alone():
    # a province head after a row that fills the column and ends as the list's short rows end
    rows = [
        "张　伟\u3000东海市第一人民医院呼吸内科主任，主任医师",
        "李晓红（女）\u3000东海市疾控中心副主任，主任医师",
        "王建国\u3000西山县人民医院办公室主任",
        "赵　敏（女）\u3000南湖区白塔社区居委会主任",
        "周　强\u3000北岭市青石街道白塔社区党委书记、居委会主任",
        "西山省",
        "吴　刚\u3000西山省人民医院院长，主任医师",
        "郑　丽（女）\u3000西山省疾控中心主任，主任医师",
        "孙　涛\u3000西山省肿瘤医院呼吸内科副院长，副主任",
        "医师",
        "钱　进\u3000西山省第二人民医院院长，主任医师",
    ]
    got = texts("\n".join(rows))
    assert "西山省" in got  # the head alone, not run into the row above
    assert "孙 涛 西山省肿瘤医院呼吸内科副院长，副主任医师" in got  # a row's tail is not a head


def test_prose_lines_are_not_a_list():
    lines = read_lines("\n".join(PROSE))
    assert len(paragraph_starts(lines, "wrapped")) == 1


def test_repair_does_not_join_two_rows_of_a_name_list():
    rows = "\n\n".join([
        "张　伟\u3000东海市第一人民医院呼吸内科主任",
        "李晓红（女）\u3000东海市疾病预防控制中心副主任",
        "王建国\u3000西山县人民医院院长",
    ])
    blocks = build_blocks(read_lines(rows), {}, "wrapped")
    assert find_joins(blocks, layout="wrapped") == {}


ROWS = [
    "张　明（女）　某市第一人民医院感染科主任，主任医师",
    "李　强　某区疾病预防控制中心副主任",
    "王建国　某市公安局交通管理支队一大队大队长",
    "赵　丽（女）　某县人民医院护理部主任（某医科大学附属医院护士长）",
    "陈小平　某街道社区党委书记、居委会主任",
    "刘　洋　某市急救中心调度科科长",
    "周　杰（回族）　某市传染病医院重症医学科主治医师",
    "吴　敏（女）　某区卫生健康委员会副主任",
    "郑　华　某集团有限公司副总经理",
    "孙　伟　某市第二人民医院呼吸内科主任，副主任医师",
    "钱　芳（女）　某社区卫生服务中心主任",
    "冯　军　某市消防救援支队特勤站站长",
]


def _settle(texts_, roles, heading=()):
    from pagesplit.roles import settle_lists
    from pagesplit.types import Block

    blocks = [Block(index=i, start=i, end=i + 1, text=t, lines=(i,), heading=int(i in heading)) for i, t in enumerate(texts_)]
    return settle_lists(blocks, dict(enumerate(roles)))


def test_a_list_entry_that_looks_like_a_headline_opens_no_article():
    texts_ = ["抗击疫情先进个人名单（12名）"] + ROWS + ["本报北京9月8日电　全国表彰大会今天在京举行，会议表彰了先进个人和集体。"]
    roles = ["headline"] + ["body"] * 4 + ["headline"] + ["body"] * 5 + ["kicker", "body", "body"]
    got = _settle(texts_, roles)
    assert got[0] == "headline"  # the list's own title
    assert got[5] == "body" and got[11] == "body"  # rows read as heads inside the list
    # a row the OCR marked as a heading keeps its role
    assert _settle(texts_, roles, heading={5})[5] == "headline"


def test_a_head_stack_is_no_list():
    # kicker, headline, subheadline, byline, then the article and the next one's head: short runs
    texts_ = ["改革开放再出发", "某市推出便民服务新举措", "——群众办事更省心", "本报记者　张明",
              "今年以来，某市持续优化政务服务，推出一批便民举措。", "新馆开放迎来首批读者", "本报记者　李强",
              "图书馆新馆昨日开放，首日接待读者逾万人次。"]
    roles = ["kicker", "headline", "subheadline", "byline", "body", "headline", "byline", "body"]
    assert _settle(texts_, roles) == dict(enumerate(roles))


def test_two_headlines_in_a_row_are_one_head_stack_unless_one_reads_on():
    import numpy as np

    from pagesplit.roles import split_head_pairs
    from pagesplit.types import ROLES

    texts_ = ["某市推出便民服务新举措", "群众办事更省心", "今年以来，某市持续优化政务服务。"]
    blocks = _blocks(texts_)
    roles = {0: "headline", 1: "headline", 2: "body"}

    def probs(first: dict, second: dict):
        p = np.zeros((3, len(ROLES)))
        for row, d in ((0, first), (1, second)):
            for r, v in d.items():
                p[row, ROLES.index(r)] = v
        p[2, ROLES.index("body")] = 1.0
        return p

    never = lambda left, right: False  # noqa: E731
    sub = probs({"headline": 0.6, "kicker": 0.3}, {"headline": 0.5, "subheadline": 0.4})
    assert split_head_pairs(blocks, roles, sub, never) == {0: "headline", 1: "subheadline", 2: "body"}
    kick = probs({"headline": 0.5, "kicker": 0.45}, {"headline": 0.8, "subheadline": 0.1})
    assert split_head_pairs(blocks, roles, kick, never) == {0: "kicker", 1: "headline", 2: "body"}
    # a headline wrapped onto two blocks mid-word stays one headline
    assert split_head_pairs(blocks, roles, sub, lambda left, right: True) == roles


def test_reads_on_finds_a_word_or_a_dangling_word_across(tokenizer):
    from pagesplit.repair import reads_on

    assert reads_on("全市组织开展年度干部考", "核评价工作", tokenizer.words)
    assert reads_on("各方携手努力，共同", "推动合作迈上新台阶", tokenizer.words)
    assert not reads_on("某市推出便民服务新举措", "群众办事更省心", tokenizer.words)


def _blocks(texts_: list[str]):
    """One block a line, as the settle rules see a page's kept blocks."""
    from pagesplit.types import Block

    return [Block(index=i, start=i, end=i + 1, text=t, lines=(i,)) for i, t in enumerate(texts_)]


def test_a_kicker_no_headline_follows_is_the_headline():
    from pagesplit.roles import promote_lone_kickers

    texts_ = ["某省开展技能提升行动", "高校毕业生可免费参加培训", "本报记者　张明", "正文第一段，讲述了培训的安排。",
              "改革开放再出发", "某市推出便民服务新举措", "今年以来，某市持续优化政务服务。"]
    blocks = _blocks(texts_)
    roles = dict(enumerate(["kicker", "subheadline", "byline", "body", "kicker", "headline", "body"]))
    got = promote_lone_kickers(blocks, roles)
    assert got[0] == "headline" and got[4] == "kicker"
    assert {k: v for k, v in got.items() if k not in (0,)} == {k: v for k, v in roles.items() if k != 0}


def test_a_dash_led_block_after_a_headline_is_its_subheadline():
    from pagesplit.roles import dash_subheadlines

    texts_ = ["必须坚持斗争精神", "——论学习贯彻某次重要讲话精神的体会和认识，以及在新形势下如何落实", "正文第一段。",
              "——这是正文里以破折号开头的一句话。"]
    blocks = _blocks(texts_)
    roles = dict(enumerate(["headline", "body", "body", "body"]))
    assert dash_subheadlines(blocks, roles) == {0: "headline", 1: "subheadline", 2: "body", 3: "body"}
    # read as a kicker and its headline, the stack is a headline and its subheadline
    roles = dict(enumerate(["kicker", "headline", "body", "body"]))
    assert dash_subheadlines(blocks, roles) == {0: "headline", 1: "subheadline", 2: "body", 3: "body"}
    # a kicker over a headline that is not dash-led stays
    roles = dict(enumerate(["kicker", "headline", "body", "body"]))
    assert dash_subheadlines(_blocks(["必须坚持斗争精神", "论学习贯彻某次重要讲话精神", "正文第一段。", "正文。"]), roles) == roles
    # a speech's date in brackets under its title: read as the headline, it is the subheadline
    speech = _blocks(["在某某座谈会上的讲话", "（2020年9月22日）", "今天，我们召开座谈会。", "正文。"])
    assert dash_subheadlines(speech, roles) == {0: "headline", 1: "subheadline", 2: "body", 3: "body"}
    with_place = _blocks(["在某某峰会上的讲话", "## (2020年9月21日, 北京)", "主席先生，", "正文。"])
    assert dash_subheadlines(with_place, dict(enumerate(["headline", "body", "body", "body"])))[1] == "subheadline"
    # who attended or chaired, under a meeting's headline
    meeting = _blocks(["第八次某某高层对话举行", "某某同某某共同主持", "新华社北京7月28日电　对话在北京举行。", "正文。"])
    assert dash_subheadlines(meeting, roles) == {0: "headline", 1: "subheadline", 2: "body", 3: "body"}
    # ... but a sentence that ends so, or a long line, is none
    said = _blocks(["某某会议召开", "会议由市委副书记某某主持，各区负责同志出席", "正文。", "正文。"])
    assert dash_subheadlines(said, roles) == roles
    # a dash-led report's kind makes the short line above it the headline, however read
    report = _blocks(["上一篇文章的最后一段。", "“某地各方面发展成就有目共睹”", "——某国际会议两场线上边会综述", "7月13日，会议举行。"])
    read = {0: "body", 1: "intertitle", 2: "body", 3: "body"}
    assert dash_subheadlines(report, read) == {0: "body", 1: "headline", 2: "subheadline", 3: "body"}
    # ... with a paragraph's continuation an engine read between them (joins: it goes with block 0)
    between = _blocks(["上一篇文章的最后一段讲到", "凝聚力量 齐心战疫", "秩序，坚决打赢这场硬仗。", "——各地某某中心发挥积极作用纪实", "正文。"])
    got = dash_subheadlines(between, {0: "body", 1: "body", 2: "body", 3: "body", 4: "body"}, {2: 0})
    assert (got[1], got[2], got[3]) == ("headline", "body", "subheadline")
    # a long line above it is no title (the report's headline is elsewhere)
    long_above = _blocks(["上一篇文章的最后一段，" * 5, "——各地某某中心发挥积极作用纪实", "正文。"])
    assert dash_subheadlines(long_above, {0: "body", 1: "body", 2: "body"}) == {0: "body", 1: "body", 2: "body"}
    # a date inside a sentence in brackets is no title's date
    aside = _blocks(["某某条例", "（2020年9月22日国务院第100次常务会议通过，现予公布）", "正文。", "正文。"])
    assert dash_subheadlines(aside, roles) == roles


def test_a_short_line_between_a_headline_and_the_summary_label_is_the_subheadline():
    from pagesplit.roles import subheadlines_above_summary

    texts_ = ["某国港口扩建引发争议（国际视点）", "多方呼吁通过协商化解分歧", "**核心阅读**", "两国在港口问题上的分歧由来已久。"]
    roles = dict(enumerate(["headline", "body", "intertitle", "body"]))
    assert subheadlines_above_summary(_blocks(texts_), roles) == {0: "headline", 1: "subheadline", 2: "intertitle", 3: "body"}
    # a closed sentence there is text, not a head; so is a line under an intertitle, or above another label
    for texts2, roles2 in ((texts_[:1] + ["多方呼吁通过协商化解分歧。"] + texts_[2:], roles),
                           (texts_, dict(enumerate(["intertitle", "body", "intertitle", "body"]))),
                           (texts_[:2] + ["**编者按**"] + texts_[3:], roles)):
        assert subheadlines_above_summary(_blocks(texts2), roles2) == roles2


def test_a_reporters_line_under_a_head_is_its_byline():
    from pagesplit.roles import bylines_under_heads

    page = [("城市书房开到了家门口", "headline"), ("本报记者　赵　六", "body"), ("正文第一段，讲述了书房的安排。", "body"),
            ("**读者说**", "headline"), ("本报记者　钱七", "byline"), ("新华社北京7月3日电　国务院任免", "body"),
            ("正文第二段，讲述了读者的感受。", "body")]
    got = bylines_under_heads(_blocks([t for t, _ in page]), {i: r for i, (_, r) in enumerate(page)})
    # under the headline a reporter's line is the byline; a dateline with its text is no reporter's line
    assert [got[i] for i in range(len(page))] == ["headline", "byline", "body", "headline", "byline", "body", "body"]
    # under an intertitle a reporter's line keeps the model's answer
    page[3], page[4] = ("**读者说**", "intertitle"), ("本报记者　钱七", "body")
    assert bylines_under_heads(_blocks([t for t, _ in page]), {i: r for i, (_, r) in enumerate(page)})[4] == "body"
    # other papers' credits under a headline: a trainee's line, a metro paper's "文/"
    for credit in ("见习记者　孙八", "文/本报记者　周九　图/吴十", "□本报记者　林小雨", "■记者　陈晨　通讯员　李强",
                   "文/本报记者 张晓东 通讯员 李明 图/本报记者 王强",  # several credits: longer than one reporter's line
                   "【本報訊】記者林美玲／新竹報導"):  # a Hong Kong or Taiwan paper's credit line
        page2 = [("城市书房开到了家门口", "headline"), (credit, "body"), ("正文第一段，讲述了书房的安排。", "body")]
        assert bylines_under_heads(_blocks([t for t, _ in page2]), {i: r for i, (_, r) in enumerate(page2)})[1] == "byline", credit


def test_a_doubtful_headline_between_cohesive_paragraphs_is_an_intertitle():
    import numpy as np

    from pagesplit.roles import doubtful_heads_inside
    from pagesplit.types import ROLES

    texts_ = ["正文第一段，讲述了书房的安排。", "书香满城", "正文第二段，讲述了书房的读者。"]
    blocks = _blocks(texts_)
    roles = {0: "body", 1: "headline", 2: "body"}
    probs = np.zeros((3, len(ROLES)))
    probs[:, ROLES.index("body")] = 1.0
    probs[1] = 0.0
    probs[1, ROLES.index("headline")], probs[1, ROLES.index("intertitle")] = 0.55, 0.45
    assert doubtful_heads_inside(blocks, roles, probs, np.array([0.0, 0.3, 0.0]))[1] == "intertitle"
    assert doubtful_heads_inside(blocks, roles, probs, np.array([0.0, 0.05, 0.0]))[1] == "headline"  # no cohesion
    probs[1, ROLES.index("headline")], probs[1, ROLES.index("intertitle")] = 0.8, 0.2
    assert doubtful_heads_inside(blocks, roles, probs, np.array([0.0, 0.3, 0.0]))[1] == "headline"  # sure enough


def test_a_headline_wrapped_onto_two_lines_is_one_headline_not_a_stack(char_tokenizer):
    from pagesplit.repair import reads_on
    from pagesplit.roles import wrapped_headlines

    def words(t):  # pkuseg's reading, as far as this test needs it: 举行 and 赛事 are words
        out, i = [], 0
        while i < len(t):
            two = t[i : i + 2]
            out.append(two if two in ("举行", "赛事") else t[i])
            i += len(out[-1])
        return out

    on = lambda left, right: reads_on(left, right, words)  # noqa: E731
    # a full first line cut mid-word ("举|行"), its shorter rest: the model's kicker + headline
    page = ["全国人大常委会土壤污染防治法执法检查组举", "行第二次全体会议", "本报记者　张三", "正文第一段，讲述了会议的安排。"]
    roles = {0: "kicker", 1: "headline", 2: "byline", 3: "body"}
    assert wrapped_headlines(_blocks(page), roles, on) == {0: "headline", 1: "headline", 2: "byline", 3: "body"}
    # a stack whose kicker happens to read on ("…赛|事"): a short kicker line is no full line
    page2 = ["国际象棋明星赛", "事事顺利圆满落幕", "正文第一段，讲述了比赛的情况。"]
    roles2 = {0: "kicker", 1: "headline", 2: "body"}
    assert on(page2[0], page2[1]) and wrapped_headlines(_blocks(page2), roles2, on) == roles2
    # a kicker that does not read on stays one
    page3 = ["全国人大常委会土壤污染防治法执法检查组", "举行第二次全体会议", "正文第一段。"]
    assert wrapped_headlines(_blocks(page3), {0: "kicker", 1: "headline", 2: "body"}, on)[0] == "kicker"


# A page as Tesseract reads one whose head stack is set across the columns: the first paragraph of
# the second article (its dateline, its reporter's credit) comes out before the stack.
LEAD_FIRST = [
    "城市书房开到了家门口",
    "本报记者　赵六",
    "本报北京7月8日电（记者赵六）日前，某市新建城市书房二十家，市民借阅更方便了。",
    "书房里，读者们安静地读书，不少家长带着孩子前来，周末更是座无虚席。",
    "本报北京7月8日电（记者林晓涵）记者今天从某市园林部门获悉：上半年全市新建口袋公园120个，其中社区公园85个。",
    "全市新建口袋公园120个",
    "社区公园占七成",
    "记者林晓函",  # the engine misread one character of the name
    "口袋公园建设有以下几个特点：一是选址贴近居民，二是设计注重实用。",
]


def test_a_dateline_paragraph_read_before_its_stack_is_found_by_its_reporter():
    from pagesplit.roles import displaced_leads

    roles = dict(enumerate(["headline", "byline", "body", "body", "body", "intertitle", "body", "body", "body"]))
    assert displaced_leads(_blocks(LEAD_FIRST), roles) == {(4,): (5, 6, 7)}
    # the paragraph cut in two pieces by the engine, the first ending open: both lead
    cut = LEAD_FIRST[:4] + ["本报北京7月8日电（记者林晓涵）记者", "今天从某市园林部门获悉：上半年全市新建口袋公园120个。"] + LEAD_FIRST[5:]
    roles_cut = dict(enumerate(["headline", "byline", "body", "body", "body", "body", "intertitle", "body", "body", "body"]))
    assert displaced_leads(_blocks(cut), roles_cut) == {(4, 5): (6, 7, 8)}
    # no lead: the byline names another reporter (an article after one with a dateline), a closed
    # paragraph stands between (one reporter's two stories), a line of the "stack" is prose
    for texts_ in (LEAD_FIRST[:7] + ["本报记者　王五"] + LEAD_FIRST[8:],
                   LEAD_FIRST[:5] + ["另一段正文，讲述了公园的用途。"] + LEAD_FIRST[5:],
                   LEAD_FIRST[:5] + ["在听取有关部门介绍后，林"] + LEAD_FIRST[7:]):
        r = {i: ("body" if i > 1 else roles[i]) for i in range(len(texts_))}
        assert displaced_leads(_blocks(texts_), r) == {}, texts_


def test_an_article_read_after_its_first_paragraph_gets_it_back(char_tokenizer):
    import hashlib

    from pagesplit.pipeline import process_issue
    from pagesplit.types import Page, PageRef

    text = "\n\n".join(LEAD_FIRST) + "\n"
    page = Page(PageRef("p/2020-07-09/p10.txt", "p", "2020-07-09", 10), text, hashlib.sha256(text.encode()).hexdigest())
    (res,) = process_issue([page], char_tokenizer)
    arts = {a.headline: a for a in res.articles if a.headline}
    second = arts["全市新建口袋公园120个"]
    assert (second.subheadline, second.byline) == ("社区公园占七成", "记者林晓函")
    assert second.text.startswith("本报北京7月8日电（记者林晓涵）") and second.text.endswith("二是设计注重实用。")
    assert "林晓涵" not in arts["城市书房开到了家门口"].text
    # the segments keep their offsets: printed before the stack, read as the article's first paragraph
    mine = sorted((s for s in res.segments if s.article_id == second.article_id), key=lambda s: s.article_seq)
    assert [s.role for s in mine] == ["headline", "subheadline", "byline", "body", "body"]
    assert mine[3].text.startswith("本报北京7月8日电") and mine[3].start < mine[0].start


def test_the_line_of_a_two_line_stack_that_ends_with_a_column_label_is_its_headline():
    from pagesplit.roles import labelled_stacks

    body = "本报某市7月16日电（记者周小川）某市老街改造近日完工，沿街店铺陆续开业。"
    page = _blocks(["城市更新 留住烟火气（走进社区）", "某市老街改造完工", body])
    assert labelled_stacks(page, {0: "kicker", 1: "headline", 2: "body"}) == {0: "headline", 1: "subheadline", 2: "body"}
    page = _blocks(["记者走访城郊菜市场——", "摊位满了 菜价稳了（走基层）", body])
    assert labelled_stacks(page, {0: "headline", 1: "subheadline", 2: "body"}) == {0: "kicker", 1: "headline", 2: "body"}
    # both or neither labelled, or a third head line: the stack stays as read
    for texts_, roles in ((["城市更新 留住烟火气（走进社区）", "某市老街改造完工（城市）", body], {0: "kicker", 1: "headline", 2: "body"}),
                          (["城市更新 留住烟火气", "某市老街改造完工", body], {0: "kicker", 1: "headline", 2: "body"}),
                          (["某地", "城市更新 留住烟火气（走进社区）", "某市老街改造完工", body],
                           {0: "kicker", 1: "kicker", 2: "headline", 3: "body"})):
        assert labelled_stacks(_blocks(texts_), roles) == roles


def test_a_headline_s_last_characters_wrapped_alone_end_the_headline():
    from dataclasses import replace

    from pagesplit.roles import wrapped_headlines

    never = lambda left, right: False  # noqa: E731 - no word across "8人|死亡": the tail's length tells
    page = ["某国西南部发生袭击事件致8人", "死亡", "新华社某地8月10日电　当地官员说，袭击发生在一个村庄。"]
    blocks = _blocks(page)
    printed_under = [blocks[0], replace(blocks[1], blank_before=False), blocks[2]]
    roles = {0: "kicker", 1: "headline", 2: "body"}
    assert wrapped_headlines(printed_under, roles, never) == {0: "headline", 1: "headline", 2: "body"}
    # after a blank line a short line is a head of its own ("…等地" + "" + "村民")
    assert wrapped_headlines(blocks, roles, never) == roles
    # a kicker's tail when the headline follows it
    page2 = ["某区创新综合行政执法", "改革", "一支队伍管执法城市治理更高效", "正文第一段，讲述了改革的做法。"]
    b2 = _blocks(page2)
    b2 = [b2[0], replace(b2[1], blank_before=False), *b2[2:]]
    roles2 = {0: "kicker", 1: "headline", 2: "headline", 3: "body"}
    assert wrapped_headlines(b2, roles2, never) == {0: "kicker", 1: "kicker", 2: "headline", 3: "body"}


def test_a_picture_story_s_title_is_its_headline():
    from pagesplit.roles import picture_stories

    tail = "当地有关部门表示，下一步将继续完善配套设施，让群众生活更加便利。"
    story = ["秋田丰收", "9月20日，某县某镇农民在田间收割水稻。", "金秋时节，当地农民抢抓农时，忙碌在田间地头。", "张明摄（影像中国）"]
    roles = {0: "body", 1: "intertitle", 2: "body", 3: "body", 4: "intertitle"}
    assert picture_stories(_blocks([tail, *story]), roles)[1] == "headline"
    body_read = {**roles, 1: "body"}
    assert picture_stories(_blocks([tail, *story]), body_read)[1] == "headline"
    # an intertitle whose section runs longer than a photograph's few sentences stays
    long_section = [tail, story[0], "某县" + "持续推进农业现代化，" * 30 + "取得明显成效。", story[3]]
    assert picture_stories(_blocks(long_section), {0: "body", 1: "intertitle", 2: "body", 3: "intertitle"})[1] == "intertitle"
    # no credit after the text: an intertitle
    no_credit = [tail, *story[:3], "正文继续讲述当地的做法，村民收入稳步增长。"]
    assert picture_stories(_blocks(no_credit), {0: "body", 1: "intertitle", 2: "body", 3: "body", 4: "body"})[1] == "intertitle"
    # a wrapped fragment between two pieces of a caption is no title ("…划着菱" + "桶在水" + "中。" + credit)
    fragment = ["村民划着菱", "桶在水", "中采摘菱角。", "张明摄（影像中国）"]
    assert picture_stories(_blocks(fragment), {0: "body", 1: "body", 2: "body", 3: "intertitle"})[1] == "body"
    # a photo's label ("资料图片") is no title; nor is a line under a head
    label = [tail, "资料图片", story[1], story[3]]
    assert picture_stories(_blocks(label), {0: "body", 1: "intertitle", 2: "body", 3: "intertitle"})[1] == "intertitle"
    under_head = ["某地秋收", *story]
    assert picture_stories(_blocks(under_head), {0: "headline", **{k: v for k, v in roles.items() if k}})[1] == "intertitle"
    # a reporter's line, the agency the credit names, a line going on from the one before mid-word
    reporter = [tail, "本报记者张明整理", story[1], story[2], story[3]]
    assert picture_stories(_blocks(reporter), roles)[1] == "intertitle"
    agency = [tail, "人民视觉", story[1], story[2], "张明摄（人民视觉）"]
    assert picture_stories(_blocks(agency), roles)[1] == "intertitle"
    cut = ["大桥主墩", "间的一片编号", story[1], story[2], story[3]]
    reads_on = lambda left, right: left.endswith("墩") and right.startswith("间")  # noqa: E731 - "墩|间" one word
    assert picture_stories(_blocks(cut), {**roles, 0: "body"}, reads_on)[1] == "intertitle"
    assert picture_stories(_blocks([tail, *story]), roles, reads_on)[1] == "headline"


def test_a_paragraph_s_continuation_read_between_a_stack_s_lines_does_not_break_the_stack():
    import numpy as np

    from pagesplit.roles import promote_lone_kickers, split_head_pairs
    from pagesplit.types import ROLES

    # an engine read the tail of the article before ("…发挥积极作用。", continuing block 0's
    # paragraph) between the two lines of the next article's head stack
    texts_ = ["正文讲述了当地的做法，老干部在党建、经济发展、脱贫攻坚等", "某省加强农村人才培养", "6方面发挥积极作用。",
              "某县农村干部学历提升了", "本报某地7月19日电　近日，记者从某大学获悉。"]
    blocks = _blocks(texts_)
    joins = {2: 0}
    roles = {0: "body", 1: "headline", 2: "body", 3: "headline", 4: "body"}
    p = np.zeros((5, len(ROLES)))
    for row, d in ((0, {"body": 1.0}), (1, {"headline": 0.5, "kicker": 0.45}), (2, {"body": 1.0}),
                   (3, {"headline": 0.8, "subheadline": 0.1}), (4, {"body": 1.0})):
        for r, v in d.items():
            p[row, ROLES.index(r)] = v
    never = lambda left, right: False  # noqa: E731
    assert split_head_pairs(blocks, roles, p, never, joins) == {**roles, 1: "kicker"}
    # ... and its kicker is followed by its headline, as the article walk reads the page
    kicked = {**roles, 1: "kicker"}
    assert promote_lone_kickers(blocks, kicked, joins) == kicked
    # without the joins the tail stands between them: no pair, and a kicker no headline follows
    assert split_head_pairs(blocks, roles, p, never) == roles
    assert promote_lone_kickers(blocks, kicked)[1] == "headline"
