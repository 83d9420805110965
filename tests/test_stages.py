"""Each stage on small hand-written inputs: (input, expected) tables."""

import pytest

from pagesplit.blocks import build_blocks, detect_layout, paragraph_starts, read_lines
from pagesplit.boilerplate import find_boilerplate, find_noise
from pagesplit import dedup
from pagesplit.dedup import find_duplicates
from pagesplit import junction
from pagesplit.repair import find_joins
from pagesplit.roles import classify
from pagesplit.text import drop_cjk_spaces, join_wrapped, repair_brackets

PARA = "这是一段足够长的正文，用来说明段落的样子，里面有逗号也有句号。"


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("中 国 人 民 银 行 今 天 宣 布", "中国人民银行今天宣布"),
        ("压紧压实政治责任 全面提高工作质效", "压紧压实政治责任 全面提高工作质效"),
        ("New  York 时报", "New York 时报"),
        # prose (clause punctuation): the engine's spaces between CJK characters go, Latin spacing stays
        ("表决通过了常务委 员会关于增加香港 特别行政区的决定，New York 时报", "表决通过了常务委员会关于增加香港特别行政区的决定，New York 时报"),
        # names inside brackets and a title's halves stay apart
        ("本报讯（记者 耿欣 通讯员 米功） 近年 来，展览《多元汇聚 北疆干城》开 幕", "本报讯（记者 耿欣 通讯员 米功） 近年来，展览《多元汇聚 北疆干城》开幕"),
        # a list row's typeset ideographic spaces stay (as one space each)
        ("张　萍（女）　 解放军原第三〇二医院药剂科副主任，", "张 萍（女） 解放军原第三〇二医院药剂科副主任，"),
    ],
)
def test_cjk_spaces(raw, clean):
    assert drop_cjk_spaces(raw) == clean


@pytest.mark.parametrize(
    "read, printed",
    [
        # Tesseract's readings of a full-width round pair: "（" as "〈" or "《", "）" as ")"
        ("老街改造 留住乡愁 〈一线见闻)", "老街改造 留住乡愁 （一线见闻）"),
        ("让城市更有温度《时评)", "让城市更有温度（时评）"),
        ("本报某市7月2日电 〈记者 周小川） 为促进", "本报某市7月2日电 （记者 周小川） 为促进"),
        # pairs as printed stay, a title's inner title among them; so does a pair of mixed widths
        ("《关于〈档案法〉的说明》(2020)（新论）", "《关于〈档案法〉的说明》(2020)（新论）"),
        ("《通知》(以下简称《通知》)", "《通知》(以下简称《通知》)"),
        ("老街新貌 旧巷新生（城市更新纵横谈)", "老街新貌 旧巷新生（城市更新纵横谈)"),
        # a span longer than a column tag or a credit is left as read
        ("〈" + "很" * 31 + ")", "〈" + "很" * 31 + ")"),
    ],
)
def test_misread_bracket_pairs_are_written_as_printed(read, printed):
    assert repair_brackets(read) == printed
    (ln,) = read_lines(read)
    assert ln.clean == drop_cjk_spaces(printed)


@pytest.mark.parametrize(
    "line, heading, bold, clean",
    [
        ("# 标题在这里", 1, False, "标题在这里"),
        ("## ——副题在这里", 2, False, "——副题在这里"),
        ("**小标题在这里**", 0, True, "小标题在这里"),
        ("普通的一行", 0, False, "普通的一行"),
    ],
)
def test_markup_is_read_off_lines(line, heading, bold, clean):
    (ln,) = read_lines("\n" + line + "\n")
    assert (ln.heading, ln.bold, ln.clean) == (heading, bold, clean)
    assert ln.start == 1 and ln.end == 1 + len(line)


def test_crlf_and_cr_offsets():
    text = "第一行文字\r\n第二行文字\r第三行文字"
    lines = read_lines(text)
    assert [text[ln.start:ln.end] for ln in lines] == ["第一行文字", "第二行文字", "第三行文字"]


def test_layout_detection():
    paragraph_page = "\n\n".join([PARA * 3] * 6)
    wrapped = "\n".join((PARA * 12)[i : i + 18] for i in range(0, 18 * 20, 18))
    assert detect_layout(read_lines(paragraph_page)) == "paragraph"
    assert detect_layout(read_lines(wrapped)) == "wrapped"
    # a paragraph page of two short stories: its heads, bylines and credits (open, short) outnumber
    # its paragraphs (closed, long)
    small = "\n\n".join([
        "城区新增三座口袋公园", "市民家门口就能遛弯赏景", "本报记者 张晓东",
        "记者昨日从市园林局获悉，今年以来城区新建口袋公园三座，预计本月底全部开放。",
        "三座口袋公园均按照“小而精”的思路设计，设置了健身步道和休闲座椅。",
        "市区明起实行错峰供暖", "本报记者 赵丽",
        "记者从市住建局了解到，市区供暖企业将于明日起实行错峰供暖。", "新华社记者 王强摄",
    ])
    assert detect_layout(read_lines(small)) == "paragraph"


def test_wrapped_lines_become_paragraphs_at_short_lines():
    p1 = "第一段讲的是春耕生产的进展情况全县组织了二十支服务队深入田间地头为农户提供良种。"
    p2 = "第二段讲的是图书馆新馆开放首日接待读者超过一万人次很多市民排队。"
    text = "\n".join([p1[0:18], p1[18:36], p1[36:], p2[0:18], p2[18:]])
    assert len(p1[36:]) < 16 and len(p2[18:]) < 16  # the last lines are short
    lines = read_lines(text)
    blocks = build_blocks(lines, {}, "wrapped")
    assert [b.text for b in blocks] == [p1, p2]


def test_wrapped_lines_join_numbers_and_latin_words_as_typeset():
    # CJK typesetting breaks a line inside a number or an embedded Latin word: nothing goes
    # between the halves; Latin prose breaks between words (a space) or hyphenates a word
    p = "据统计，今年上半年全省共接待游客1280万人次，各景区还将推出一批新的旅游线路和优惠措施。"
    text = "\n".join(p[i : i + 18] for i in range(0, len(p), 18))
    assert p[17:19] == "28"  # the first break falls inside "1280"
    assert [b.text for b in build_blocks(read_lines(text), {}, "wrapped")] == [p]
    assert join_wrapped("发邮件至abcd@example.c", "om咨询") == "发邮件至abcd@example.com咨询"
    assert join_wrapped("the council voted to approve a", "$1.2 billion budget") == "the council voted to approve a $1.2 billion budget"
    assert join_wrapped("for the coming fiscal year, end-", "ing months of debate") == "for the coming fiscal year, ending months of debate"
    assert join_wrapped("cases of COVID-", "19 fell") == "cases of COVID-19 fell"
    assert join_wrapped("据 New York", "Times报道") == "据 New York Times报道"
    assert join_wrapped("同比增长 3.5", "%，") == "同比增长 3.5%，"
    # a block's lines are joined the same way, in linear time (pieces and a tail, not a growing string)
    import functools

    from pagesplit.blocks import join_lines

    parts = ["the council voted to", "approve a", "$1.2 billion budget for the year, end-", "ing months", "of debate", "第2", "3条", "COVID-", "19"]
    assert join_lines(parts) == functools.reduce(join_wrapped, parts, "")


def test_a_reporters_line_under_a_full_headline_line_starts_a_block():
    body = "第一段讲的是春耕生产的进展情况全县组织了二十支服务队深入田间地头为农户提供良种和技术指导。"
    head = "国际军事比赛暨军队论坛在京隆重开幕了"
    assert len(head) == 18
    for credit in ("本报记者　张晓东", "木报记者　张晓东"):  # OCR's 木 for 本
        text = "\n".join([head, credit, *(body[i : i + 18] for i in range(0, len(body), 18))])
        blocks = build_blocks(read_lines(text), {}, "wrapped")
        assert [b.text for b in blocks][:2] == [head, credit.replace("\u3000", " ")], credit
    # a list row's job title wrapped alone onto its line stays in the row
    row = "张三丰　某某市融媒体新闻中心副主任兼"
    text = "\n".join([row, "记者", *(body[i : i + 18] for i in range(0, len(body), 18))])
    assert build_blocks(read_lines(text), {}, "wrapped")[0].text.endswith("兼记者")


def test_paragraph_indents_end_paragraphs_that_fill_their_last_line():
    # exports that keep a page's layout indent each paragraph's first line: a paragraph whose last
    # sentence ends exactly at the end of a full line is told from one that goes on by it alone
    paras = [
        "第一段讲的是春耕生产的进展情况全县组织了二十支服务队深入田间地头为农户提供良种。",
        "第二段讲的是图书馆新馆开放首日接待读者超过一万人次很多市民排队等候入馆参观阅读。",
        "第三段讲的是公交新线路开通运营高峰时段发车间隔不超过八分钟方便市民出行和上下班。",
    ]

    def page(indent: str, margin: str = "") -> str:
        return "\n".join(margin + ln for p in paras for ln in ([indent + p[:20], p[20:]] if len(p) == 40 else []))

    assert all(len(p) == 40 for p in paras)
    plain = read_lines(page(""))
    assert [ln.indent for ln in plain] == [0] * 6
    assert len(build_blocks(plain, {}, "wrapped", starts=paragraph_starts(plain, "wrapped"))) == 1  # run together
    for indent in ("\u3000\u3000", "    "):
        lines = read_lines(page(indent))
        assert [ln.indent for ln in lines] == [4, 0, 4, 0, 4, 0]
        blocks = build_blocks(lines, {}, "wrapped", starts=paragraph_starts(lines, "wrapped"))
        assert [b.text for b in blocks] == paras, repr(indent)
    # a margin before every line is no indent; nor is a headline centred far in
    lines = read_lines(page("", margin="  "))
    assert len(build_blocks(lines, {}, "wrapped", starts=paragraph_starts(lines, "wrapped"))) == 1
    centred = read_lines("\n".join(["            市图书馆新馆正式开放", *page("").split("\n")]))
    assert paragraph_starts(centred, "wrapped") == {0, 1}  # the headline, then one run-together paragraph


def test_a_headline_closed_by_its_column_label_stands_alone_however_wide():
    body = "第一段讲的是春耕生产的进展情况全县组织了二十支服务队深入田间地头为农户提供良种和技术指导。"
    body_lines = [body[i : i + 18] for i in range(0, len(body), 18)]
    head = "春耕备耕服务队走进田间地头（一线行走）"
    sub = "全县二十支服务队为农户送去良种和技术，"
    blocks = build_blocks(read_lines("\n".join([head, sub, *body_lines])), {}, "wrapped")
    assert blocks[0].text == head
    # a kicker printed to the column's width does not run into its labelled headline
    kicker = "北京近三年推进老旧小区改造三百多个项目，"
    head2 = "瞧老旧小区有了崭新的模样（深度观察）"
    blocks = build_blocks(read_lines("\n".join([kicker, head2, *body_lines])), {}, "wrapped")
    assert [b.text for b in blocks][:2] == [kicker, head2]
    # after a kicker's dash or a sentence's end, a labelled headline with punctuation of its own
    for before in ("援鄂医疗队队员明宗娟讲述抗疫故事——", "全县二十支服务队为农户送去良种。"):
        head3 = "“使命所在，职责所在”（一线行走）"
        blocks = build_blocks(read_lines("\n".join([before, head3, *body_lines])), {}, "wrapped")
        assert [b.text for b in blocks][:2] == [before, head3], before
    # ... where after an open line a bracket at the end of a prose line is its sentence's aside
    aside = build_blocks(read_lines("\n".join(["在河北邢台市村里的大喇叭有效弥补了信", "息传播的薄弱环节，各县（市、区）", *body_lines])), {}, "wrapped")
    assert aside[0].text.startswith("在河北邢台市村里的大喇叭有效弥补了信息传播")
    # ... but a wrapped headline's tail or a list row's bracket is no headline of its own
    tail = build_blocks(read_lines("\n".join(["消费扶贫让头回客变成回头客的故事一", "则（话说新农村）", *body_lines])), {}, "wrapped")
    assert tail[0].text == "消费扶贫让头回客变成回头客的故事一则（话说新农村）"
    # a dateline's credit and a definition in brackets are no column label: the line goes on
    for line in ("本报南昌三月二十二日电（记者张小三）", "省里近日出台多项措施（简称《措施》）"):
        assert len(line) == 18
        text = "\n".join([line, "全县组织二十支服务队深入田间地头为", "农户提供良种。"])
        assert len(build_blocks(read_lines(text), {}, "wrapped")) == 1, line


def test_a_numbered_section_starts_its_own_block_after_a_full_line():
    intro = "公示名单如下，请社会各界予以监督。全省共评选出优秀共产党员一百余名。"
    assert len(intro) == 34
    items = "一、全省优秀共产党员拟表彰对象名单按姓氏笔画为序排列"
    text = "\n".join([intro[:17], intro[17:], items[:17], items[17:]])
    got = [b.text for b in build_blocks(read_lines(text), {}, "wrapped")]
    assert got == [intro, items]
    # a line opening with an ornament opens a section
    section = "■当前和今后一个时期，做好各项工作要坚持稳中求进。"
    text3 = "\n".join([intro[:17], intro[17:], section[:17], section[17:]])
    assert [b.text for b in build_blocks(read_lines(text3), {}, "wrapped")] == [intro, section]
    # inside a sentence ("…，分为" + "一、二、三等奖") the line goes on
    text2 = "\n".join(["本次比赛的奖项设置，共分为几个等级", "一、二、三等奖和优秀奖各若干名。"])
    assert len(build_blocks(read_lines(text2), {}, "wrapped")) == 1


def test_a_photo_credit_with_its_agency_stands_alone_under_a_full_caption_line():
    caption = "图为村民在田间抢收早稻，一台收割机正在作业。图为志愿者帮助农户把稻谷装进袋子里。"
    assert len(caption) == 40
    for credit in ("王小明摄（人民视觉）", "新华社记者 李 四 摄(影像中国)"):
        text = "\n".join([caption[:20], caption[20:], credit])
        got = [b.text for b in build_blocks(read_lines(text), {}, "wrapped")]
        assert got == [caption, credit], credit
    # a caption's last words and its credit on one line go on in the caption
    cut = "图为村民在田间抢收早稻，一台收割机正在田间作业，志愿者帮助农户把稻谷"
    assert len(cut) == 34
    text = "\n".join([cut[:17], cut[17:], "装袋。王小明摄（人民视觉）"])
    assert len(build_blocks(read_lines(text), {}, "wrapped")) == 1
    # prose that mentions a photographer does not end like a credit line
    text = "\n".join([caption[:20], caption[20:], "这张照片由王小明摄于（去年秋天）的田野上"])
    assert len(build_blocks(read_lines(text), {}, "wrapped")) == 1


def test_an_article_of_a_law_starts_its_own_block_after_a_full_line():
    first = "第二条本条例所称公共图书馆，是指向社会公众免费开放的各级各类图书馆。"
    second = "第十三条公共图书馆应当按照国家规定向读者免费提供借阅、查询等服务的。"
    assert len(first) == len(second) == 34
    text = "\n".join([first[:17], first[17:], second[:17], second[17:]])
    assert [b.text for b in build_blocks(read_lines(text), {}, "wrapped")] == [first, second]
    # after a law's title the article is cited, not printed: the sentence goes on
    lines = ["各地应当加强对公共图书馆监督检查，", "依照《公共图书馆管理条例实施细则》", "第二十二条第一款的规定予以处罚。"]
    assert [len(line) for line in lines] == [17, 17, 16]
    assert len(build_blocks(read_lines("\n".join(lines)), {}, "wrapped")) == 1


def test_a_news_lead_under_a_full_head_line_starts_its_own_block():
    head = "全市首条跨江隧道主体工程今天正式完工通车"
    lead = "7月6日，记者从市交通运输局获悉，全市首条跨江隧道主体工程已经完工。"
    assert len(head) == 20 and len(lead) == 34
    text = "\n".join([head, lead[:20], lead[20:]])
    assert [b.text for b in build_blocks(read_lines(text), {}, "wrapped")] == [head, lead]
    # a date that goes on a sentence (the line before has punctuation) is left to the width rule
    text = "\n".join(["据悉，全市首条跨江隧道主体工程完工的时间是", "7月6日，记者从市交通运输局获悉了这一消息。"])
    assert len(build_blocks(read_lines(text), {}, "wrapped")) == 1


def test_a_line_opening_with_a_comma_goes_on_from_a_short_line():
    # the engine wrapped before the comma: by width alone the short line would end its paragraph
    lines = ["今年以来，全县新建各类农村公路一百多公里。", "县交通局负责人认为", "，路修好了，产业才能跟上来。", "下一步将继续完善养护机制。"]
    got = [b.text for b in build_blocks(read_lines("\n".join(lines)), {}, "wrapped")]
    assert got[0] == lines[0] and "县交通局负责人认为，路修好了" in "".join(got[1].split())
    for mark in ("、", "；", "：", "。", "”", "）", "？"):
        text = "\n".join([lines[0], "县交通局负责人认为", mark + "路修好了，产业才能跟上来。"])
        blocks = build_blocks(read_lines(text), {}, "wrapped")
        assert [b.text[:3] for b in blocks][-1] == "县交通", mark


def _wrapped_paragraphs(paras, width=18):
    return ["\n".join(p[i : i + width] for i in range(0, len(p), width)) for p in paras]


def test_a_page_that_puts_blank_lines_between_paragraphs_is_read_by_them():
    paras = [(PARA * 3)[: 18 * 3 + 5 + k] + "。" for k in range(6)]
    # a kicker wrapped onto two lines (the first shorter than the body's column) and a body line
    # the OCR ended a few characters early: by width alone both would end a paragraph
    kicker = "小微企业和个体工商户面临哪些新\n问题？如何化解？"
    early = paras[2][:18] + "\n" + paras[2][18:33] + "\n" + paras[2][33:]
    chunks = [kicker] + _wrapped_paragraphs(paras[:2]) + [early] + _wrapped_paragraphs(paras[3:])
    blocks = build_blocks(read_lines("\n\n".join(chunks)), {}, "wrapped")
    assert [b.text for b in blocks] == [kicker.replace("\n", "")] + paras
    # the same page without blank lines is read by the width rule
    dense = build_blocks(read_lines("\n".join(chunks)), {}, "wrapped")
    assert [b.text for b in dense][:2] == ["小微企业和个体工商户面临哪些新", "问题？如何化解？"]


def test_a_short_bare_line_after_a_sentence_end_is_a_label():
    para = (PARA * 2)[:35] + "。"  # two full column lines, the second ending a sentence
    body = [PARA[i : i + 18] for i in range(0, len(PARA), 18)]
    text = "\n".join([para[:18], para[18:], "核心阅读", *body])
    assert len(para[18:]) == 18
    got = [b.text for b in build_blocks(read_lines(text), {}, "wrapped")]
    assert got[:2] == [para, "核心阅读"]


def test_a_dateline_opens_a_paragraph_after_a_full_head_line():
    # a headline wrapped to the column's width, then the lead's dateline: by width alone the
    # headline would run on into the lead (invented text)
    head = "全县二十支农技服务队走进田间地头帮助农户备耕"
    lead = "本报南昌三月二日电（记者张三）连日来，全县组织二十支服务队深入田间地头，为农户送去良种。"
    assert len(head) == 22 and len(lead) == 44
    text = "\n".join([head[:11], head[11:], lead[:11], lead[11:22], lead[22:33], lead[33:]])
    got = [b.text for b in build_blocks(read_lines(text), {}, "wrapped")]
    assert got == [head, lead]
    # another paper's dateline and a brief's "本报电" open the lead the same way
    for other in ("光明日报南昌三月二日电（记者张三）", "本报电　连日来，全县新建的十所学校",
                  "新华社南昌二日电　（记者张三）"):  # the wire's form within the month: the day alone
        lead2 = other + lead[15:]
        text2 = "\n".join([head[:11], head[11:]] + [lead2[i : i + 11] for i in range(0, len(lead2), 11)])
        assert [b.text for b in build_blocks(read_lines(text2), {}, "wrapped")][0] == head, other
    # a line that only mentions the paper or the agency goes on from the line before
    said = "新华社记者张三对本报说道：" + lead[15:]
    mention = "\n".join(said[i : i + 11] for i in range(0, 44, 11))
    assert len(said) == 42 and len(build_blocks(read_lines(text.split("本报")[0] + mention), {}, "wrapped")) == 1


def test_blank_lines_after_every_line_say_nothing():
    paras = [(PARA * 3)[: 18 * 2 + 5 + k] + "。" for k in range(6)]
    text = "\n\n".join("\n\n".join(p[i : i + 18] for i in range(0, len(p), 18)) for p in paras)
    assert [b.text for b in build_blocks(read_lines(text), {}, "wrapped")] == paras


def test_brackets_of_mixed_widths_match():
    from pagesplit.text import leading_unmatched_closer, unbalanced_openers

    # OCR reads one bracket of a pair full-width and the other half-width
    assert unbalanced_openers("本报北京7月27日电　（记者张三) 近日，") == []
    assert unbalanced_openers("“他说(对") == ["“", "("]
    assert leading_unmatched_closer("（记者张三) 近日，市里") is None
    assert leading_unmatched_closer("张三）近日，市里") == "）"


def test_a_line_that_closes_the_previous_lines_bracket_goes_on_from_it():
    text = PARA * 2
    body = [text[i : i + 18] for i in range(0, len(text), 18)]
    # a headline wrapped inside its column tag, then a body paragraph (the head is shorter than
    # the column: the width rule alone would cut it after its first line)
    head = ["推动城市更新走深走实（城市新", "观察·街巷里的变化（3））"]
    blocks = build_blocks(read_lines("\n".join(head + body)), {}, "wrapped")
    assert [b.text for b in blocks] == ["".join(head), text]
    # the tag's closing bracket alone on the next line is the headline's end, not a stray mark
    lines = read_lines("\n".join(["新馆开放迎来首批读者（文化视点", "）", *body]))
    assert find_noise(lines) == {}
    assert [b.text for b in build_blocks(lines, {}, "wrapped")] == ["新馆开放迎来首批读者（文化视点）", text]
    # across a blank line it is no evidence (a copy of an open paragraph, then its continuation)
    para = read_lines("会议提出，要实现“形成一督\n\n一评价一销号”的闭环管理。")
    assert len(build_blocks(para, {}, "paragraph")) == 2


def _bp(pages):
    lines = [read_lines(p) for p in pages]
    return lines, find_boilerplate(lines)


@pytest.mark.parametrize(
    "page, reasons",
    [
        ("\n".join([PARA, "图片新闻", PARA, "图片新闻", "图片新闻", "图片新闻"]), {1: "repeated_label", 3: "repeated_label", 4: "repeated_label", 5: "repeated_label"}),
        # one reporter's byline over several short items is no label, in other papers' forms too
        ("\n".join(["见习记者　孙八", PARA, "见习记者　孙八", PARA, "见习记者　孙八", "见习记者　孙八", PARA]), {}),
        ("\n".join([PARA, "责任编辑：张三 李四  版式设计：王五"]), {1: "credits"}),
        ("\n".join([PARA, "責任編輯：張三　校對：李四"]), {1: "credits"}),  # traditional characters
        ("\n".join([PARA, "视觉设计：王五"]), {1: "credits"}),
        ("\n".join([PARA, "制图：李四（新华社发）"]), {1: "credits"}),  # its source in brackets closes no sentence
        # role words without colons, each with its names set apart, as metro papers print them
        ("\n".join([PARA, "编辑 孙红 校对 周平"]), {1: "credits"}),
        ("\n".join([PARA, "本版编辑 刘一二、陈三四 版式设计 赵五"]), {1: "credits"}),
        # ... but not a line of text that starts with one, nor one role word alone
        ("\n".join([PARA, "编辑部主任校对稿件", PARA, "编辑 孙红"]), {}),
        # a paragraph that ends with its editor's credit is article text
        ("\n".join([PARA, "乘客李先生说：“以前转车要半个多小时，现在二十分钟就到公司了。”（编辑：王大同）1090801"]), {}),
        ("\n".join(["第3版", PARA, "2024年3月5日 星期二"]), {0: "page_number", 2: "date_line"}),
        # a masthead a line-wrapping engine printed over two lines at the top of the page
        ("\n".join(["人 民 日 报 2020年7月7日 星", "期 二 第14版", PARA, PARA]), {0: "running_head", 1: "running_head"}),
        ("\n".join(["晨报\u30002024.03.05\u3000第", "4版\u3000要闻", PARA, PARA]), {0: "running_head", 1: "running_head"}),
        # a short headline after a blank line under the masthead is no wrapped tail of it
        ("\n".join(["晨报 2024年3月5日 第4版", "", "春到江南", "", PARA]), {0: "running_head"}),
        ("\n".join([PARA, "", "责任编辑：张三 版式设计：王五", "", "文化长廊"]), {1: "credits"}),
        ("\n".join(["晨报 2024年3月5日 第4版", "# 春到江南", PARA]), {0: "running_head"}),  # a heading: another type
        # ... while the tail on the very next line is the furniture's
        ("\n".join([PARA, "", "责任编辑：张三 版式设计：王", "五", "", PARA]), {1: "credits", 2: "credits"}),
        # a complete masthead read into the middle of the page is furniture there too...
        ("\n".join([PARA, PARA, PARA, "晨报 2024年3月5日 星期二 第4版", PARA, PARA, PARA]), {3: "running_head"}),
        # ... a date and an ordinal in a decree's line are not one
        ("\n".join([PARA, PARA, PARA, "《某某条例》已经2024年3月5日国务院第73次", PARA, PARA, PARA]), {}),
        # ... but a caption line above a complete masthead stays
        ("\n".join([PARA, PARA, "新华社记者\u3000王五摄", "人民日报 2020年7月7日 星期二 第14版"]), {3: "running_head"}),
        # a list whose lines differ only in their numbers is not a label
        ("\n".join([PARA, "用地面积约为25.6万平方米", PARA, "用地面积约为14.3万平方米", PARA, "用地面积约为13.7万平方米", PARA]), {}),
        # a slogan quoted twice inside an article is not a label
        ("\n".join([PARA, "绿水青山就是金山银山", PARA * 2, "绿水青山就是金山银山", PARA * 2, "绿水青山就是金山银山", PARA]), {}),
    ],
)
def test_page_boilerplate(page, reasons):
    _, (found,) = _bp([page])
    assert {i: r.reason for i, r in found.items()} == reasons


def test_running_head_recurs_across_pages_with_other_digits():
    pages = [f"晨报 2024年3月5日 第{n}版\n{PARA}\n{PARA}" for n in (1, 2)]
    _, found = _bp(pages)
    assert all(f[0].reason in ("running_head", "date_line") for f in found)


def test_a_box_label_under_a_headline_is_not_a_running_head():
    # the label recurs on every page, but under each page's headline: inside the article's flow
    heads = ["乡村振兴的新路子（一线观察）", "城市更新走深走实（一线观察）", "老工业区焕发新活力（一线观察）"]
    pages = [f"{head}\n要点速览\n{head[:6]}{PARA}\n{PARA}{head[:6]}\n{head[2:8]}{PARA}" for head in heads]
    _, found = _bp(pages)
    assert all(1 not in f for f in found)
    # a running footer on the second-to-last line is still furniture
    pages = [f"{head}\n{head[:6]}{PARA}\n{PARA}{head[:6]}\n{head[2:8]}{PARA}\n晨报要闻版\n{head[:5]}等地供稿。"
             for head in heads]  # a line of text under it: the two lines read as one differ
    _, found = _bp(pages)
    assert all(f.get(4) is not None and f[4].reason == "running_head" for f in found)
    # under a masthead (furniture) it is the section's running head
    pages = [f"晨报 2024年3月5日 第{n}版\n要点速览\n{PARA}\n{PARA}" for n in (1, 2, 3)]
    _, found = _bp(pages)
    assert all(f[1].reason == "running_head" for f in found)


def test_known_keys_catch_a_one_page_issue():
    from pagesplit.boilerplate import line_key

    page = f"本地新闻周刊 第12期\n{PARA}\n{PARA}"
    lines = [read_lines(page)]
    assert find_boilerplate(lines)[0] == {}
    found = find_boilerplate(lines, known=frozenset({line_key("本地新闻周刊 第99期")}))
    assert found[0][0].reason == "running_head"


@pytest.mark.parametrize("line, noise", [("|", True), ("—", True), ("■", True), ("。", False), ("好", True), ("好的", False)])
def test_stray_marks(line, noise):
    lines = read_lines(f"{PARA}\n{line}\n{PARA}")
    assert (1 in find_noise(lines)) is noise


def test_a_wrapped_sentence_end_is_not_a_stray_mark():
    # the last characters of a wrapped paragraph: symbols only, ending the sentence the line above left open
    for tail in ("%。", "。”", "！”"):
        lines = read_lines("\n".join([PARA, "上半年全市规模以上工业增加值同比增长3.2", tail, PARA]))
        assert find_noise(lines) == {}, tail
    # after a blank line or a closed line the same marks are strays
    assert set(find_noise(read_lines("\n".join([PARA, "%。", PARA])))) == {1}
    assert set(find_noise(read_lines("上半年全市规模以上工业增加值同比增长3.2\n\n%。"))) == {1}


@pytest.mark.parametrize(
    "above, mark",
    [
        ("经营者未提供金融机构保函的", "；"),  # the sentence's mark wrapped alone
        ("今年上半年复工率超过40", "%"),
        ("依法追究其法律责任", "："),
        ("他是永远铭刻在人们记忆中的英雄—", "—"),  # the second half of "——"
        ("欢迎来信：news1234@163.co", "m"),  # a wrapped address
        ("咨询电话：010-6536849", "5"),
    ],
)
def test_text_punctuation_wrapped_alone_is_text(above, mark):
    assert find_noise(read_lines("\n".join([PARA, above, mark, PARA]))) == {}
    # ... while an ornament there is a stray
    assert set(find_noise(read_lines("\n".join([PARA, above, "■", PARA])))) == {2}


def test_a_closing_quote_under_a_long_quotation_is_text():
    quote = ["“" + PARA, PARA, PARA, PARA, PARA, "大家的日子一定会越过越好。"]
    assert find_noise(read_lines("\n".join([*quote, "”", PARA]))) == {}
    # after a blank line it stands apart: a stray
    assert set(find_noise(read_lines("\n".join([*quote, "", "”", PARA])))) == {6}


def test_a_rule_read_as_a_radical_is_a_stray_even_after_an_open_line():
    # a lone Chinese character right after a line left open is that paragraph's last character...
    assert find_noise(read_lines("\n".join([PARA, "全市规模以上工业增加值同比增", "长", PARA]))) == {}
    # ... but "丨" is a printed rule, here under a kicker's dash
    assert set(find_noise(read_lines("\n".join([PARA, "本市西城区——", "丨", "老街坊的新日子", PARA])))) == {2}


def test_a_box_read_as_a_character_under_a_short_line_is_a_stray():
    # a line-wrapped column: full lines of 16 cells, a short head line left open, then "口" (a
    # picture's box the engine read as a character) or "一" (a rule)
    col = ["各地加快推进老旧小区改造工作取得", "明显成效居民生活条件不断改善提升", "今年以来全市新开工改造小区数量持", "续增长群众获得感幸福感明显增强。"]
    for mark in "口一":
        lines = read_lines("\n".join([*col, "老街坊的新日子", mark, *col]))
        starts = paragraph_starts(lines, detect_layout(lines))
        assert set(find_noise(lines, starts)) == {5}, mark
        # without the page's paragraph starts the lone character stays (it may end a wrapped paragraph)
        assert find_noise(lines) == {}
        # after a full line that the paragraph goes on from, it is the paragraph's last character
        lines = read_lines("\n".join([*col[:3], "续增长群众获得感幸福感明显增强统", mark, *col]))
        assert find_noise(lines, paragraph_starts(lines, detect_layout(lines))) == {}, mark


def test_lone_section_numbers_in_sequence_are_text():
    # "一", "二", "三" alone between paragraphs number an article's sections; a lone "一" with no
    # "二" after it may be a printed rule the engine read as a character
    lines = read_lines("\n".join(["一", PARA, "二", PARA, "三", PARA]))
    assert find_noise(lines) == {}
    assert set(find_noise(read_lines("\n".join([PARA, "2", PARA, "3", PARA])))) == set()
    assert set(find_noise(read_lines("\n".join([PARA, "一", PARA])))) == {1}
    assert set(find_noise(read_lines("\n".join([PARA, "三", PARA, "一", PARA])))) == {1, 3}  # not in order


A = "第一段讲的是春耕生产的进展情况，全县组织了二十支服务队深入田间地头，为农户提供良种、农机和技术指导，确保不误农时。"
B = "第二段讲的是图书馆新馆开放，首日接待读者超过一万人次，很多市民早早排起长队，少儿阅读区里坐满了跟着家长来看书的孩子。"
C = "第三段讲的是公交新线路开通运营，高峰时段发车间隔不超过八分钟，市交通运输局还将根据客流情况适时调整线路走向和发车频次。"


def test_duplicate_copies_exact_noisy_and_straddling():
    noisy = B.replace("图书馆", "图书管").replace("一万", "一方")
    straddle = A[len(A) // 2 :] + B[: len(B) // 2]
    page = "\n".join([A, B, C, A, noisy, straddle])
    dups = find_duplicates([read_lines(page)], [{}])[0]
    assert {i: r.line for i, r in dups.items()} == {3: 0, 4: 1, 5: 0}


def test_a_block_captured_three_or_four_times_in_a_row():
    # copies 2..m of a block printed m times in a row are one run along the diagonal of the
    # block's length, overlapping its own source: each later copy is still a copy of the first
    for m in (3, 4):
        page = "\n".join([C, *([A, B] * m), "本版稿件如有转载请注明出处，欢迎读者来信来电提出意见和建议。"])
        dups = find_duplicates([read_lines(page)], [{}])[0]
        assert {i: r.line for i, r in dups.items()} == {1 + 2 * k + j: 1 + j for k in range(1, m) for j in (0, 1)}, m
        one = "\n".join([C, *([B] * m)])
        assert {i: r.line for i, r in find_duplicates([read_lines(one)], [{}])[0].items()} == {k: 1 for k in range(2, m + 1)}


D = "第四段讲的是老旧小区改造，加装电梯的楼栋已经有三十多个，居民们说上下楼方便多了，社区还修好了停车位和健身场地。"


def test_noisy_copy_with_errors_at_its_last_characters():
    # two OCR errors seven characters before the end: no 8-character shingle matches the tail
    noisy_tail = B + D[:-9] + "孑孒" + D[-7:]
    page = "\n".join([A, B + D, C, noisy_tail, PARA])
    dups = find_duplicates([read_lines(page)], [{}])[0]
    assert {i: r.line for i, r in dups.items()} == {3: 1}


def test_wrapped_repeat_inside_a_paragraph_is_not_a_copy():
    # a long passage repeated inside a wrapped paragraph, starting on a printed line whose
    # previous line reads on into it ("…习近平" + "强调，…"): the prose's own repetition
    quoted = A + B + C
    lines = [quoted[i : i + 20] for i in range(0, len(quoted), 20)]
    lead = "新华社北京七月一日电会议由中共中央总书记国家主席习近平主持会议并发表了讲话习近平"
    assert len(lead) == 40
    wrapped = [lead[:20], lead[20:]] + lines + ["会议还研究了其他事项。"]
    page = "\n".join(lines + ["", PARA, ""] + wrapped)
    ls = read_lines(page)
    from pagesplit.blocks import paragraph_starts

    starts = paragraph_starts(ls, "wrapped")
    dups = find_duplicates([ls], [{}], paragraph_starts=[starts])[0]
    assert dups == {}


def test_copy_of_a_source_with_a_line_out_of_column_order():
    # wrapped source: its third printed line was read three lines early (column order), so the
    # later copy, printed in order, holds a line's worth of text the source lacks at that place
    text = A + B + D
    rows = [text[i : i + 20] for i in range(0, len(text), 20)]
    source = rows[:1] + rows[3:4] + rows[1:3] + rows[4:]
    copy = rows  # the same paragraphs captured again, in order
    page = "\n".join(source + ["", C, ""] + copy + ["", PARA])
    ls = read_lines(page)
    from pagesplit.blocks import paragraph_starts

    dups = find_duplicates([ls], [{}], paragraph_starts=[paragraph_starts(ls, "wrapped")])[0]
    first = len(source) + 1  # the copy's first printed line (after the source and C)
    assert {i: r.line for i, r in dups.items()} == {first + k: {1: 2, 2: 3, 3: 1}.get(k, k) for k in range(len(copy))}


def test_natural_repetition_is_not_a_copy():
    # a lead repeating a sentence of the summary, inside a longer paragraph
    lead = "本报北京7月1日电（记者 张三）" + A + "会议还研究了其他事项。"
    assert find_duplicates([read_lines("\n".join([A, C, lead]))], [{}])[0] == {}


def test_a_reprint_in_the_middle_of_another_page_is_content():
    pages = [read_lines("\n".join([A, B, C])), read_lines("\n".join([C[::-1], B, A[::-1]]))]
    assert find_duplicates(pages, [{}, {}])[1] == {}


def test_short_repeat_and_quote_in_two_articles_are_kept():
    quote = "他说要把好事办好把实事办实。"
    page = "\n".join([PARA, quote, "甲方的观点很多，这里不一一列举，只说最要紧的几条。", "另一篇报道的开头，讲的是别的事情，文字完全不同。", quote, "这一篇的后文继续写下去，也与前文没有关系。"])
    assert find_duplicates([read_lines(page)], [{}])[0] == {}


def test_duplicates_across_pages_of_an_issue():
    pages = [read_lines(f"{PARA}\n{A}"), read_lines(f"{A}\n{PARA}2")]
    dups = find_duplicates(pages, [{}, {}])
    assert dups[0] == {} and dups[1][0].page == 0


def test_shingle_index_finds_earlier_occurrences_across_pages():
    index = dedup._ShingleIndex(4)
    assert [a.tolist() for a in index.add("甲乙丙丁戊甲乙丙丁", 0)] == [[5], [0], [1]]  # within the page
    where, first, count = index.add("𠀀甲乙丙丁𠀀", 9)  # an astral character is one position
    assert where.tolist() == [1]  # "甲乙丙丁" at page position 1, seen at issue positions 0 and 5
    assert index.positions[first[0] : first[0] + count[0]].tolist() == [0, 5]
    many = dedup._ShingleIndex(4)
    where, first, count = many.add("重复文字" * 12, 0)
    assert count.max() == dedup.MAX_OCCURRENCES  # a formula recurring often keeps its first sources


@pytest.mark.parametrize(
    "left, right, between, joined",
    [
        ("各级党组织聚焦重点任务，把推进现代化作为评议考", "核的硬指标，推动基层党组织发挥作用。", [], True),  # word across
        ("会议提出，要实现审议意见“形成一督", "一评价一销号”的闭环管理，切实增强实效。", [PARA, PARA], True),  # quote closes far away
        ("为方便游客前往草原游玩，", "间短途旅客出行需求，加开城际列车两对。", [], False),  # orphaned continuation
        ("会议强调，全体干部要在各自岗位上聚焦发力，共同", "谱写团结进步新篇章。立法促善治，筑牢法治基石。", [], True),  # mid-phrase, adjacent
        (PARA, PARA, [], False),  # closed paragraph
    ],
)
def test_fragment_joins(left, right, between, joined, tokenizer):
    text = "\n".join([left, *between, right])
    blocks = build_blocks(read_lines(text), {}, "paragraph")
    joins = find_joins(blocks, tokenizer.words, model=junction.default_model())  # loaded once
    assert (joins.get(len(blocks) - 1) == 0) is joined


@pytest.mark.parametrize(
    "page, roles",
    [
        ("# 大标题\n## ——副标题\n" + PARA, ["headline", "subheadline", "body"]),
        ("引题在这里：\n# 大标题\n" + PARA, ["kicker", "headline", "body"]),
        (PARA + "\n**小标题**\n" + PARA, ["body", "intertitle", "body"]),
        ("参加活动的学生在公园里合影留念，笑容满面。■实习生 张三供图", ["caption"]),
        ("一场大雪过后的村庄。（本报记者 李四摄）", ["caption"]),
        ("标题没有标记\n本报讯（记者 王五）" + PARA, ["headline", "body"]),
        ("标题\n本报记者 赵六\n" + PARA, ["headline", "byline", "body"]),
    ],
)
def test_roles(page, roles):
    blocks = build_blocks(read_lines(page), {}, "paragraph")
    found = classify(blocks, {})
    assert [found[b.index] for b in blocks] == roles


def test_short_copy_cut_from_the_middle_of_a_source_paragraph():
    # a sentence-long copy (under min_chars) starting mid-word in its source and ending with it:
    # a stretch captured twice; the same sentence starting at a word of its own is prose
    cut = A.index("全县") + 1  # "县组织了…": inside the word 全县
    page = "\n".join([A, B, C, A[cut:], PARA])
    assert 20 <= len(A) - cut < 60
    assert {i: r.line for i, r in find_duplicates([read_lines(page)], [{}])[0].items()} == {3: 0}
    quoted = A[A.index("全县") :]
    page = "\n".join([A, B, C, quoted, PARA])
    assert find_duplicates([read_lines(page)], [{}])[0] == {}


def test_a_formulaic_list_is_not_a_copy_of_itself():
    # rows that repeat one formula match the row before them along one diagonal; a copy never
    # overlaps the text it copies
    places = "甲乙丙丁戊己庚辛壬癸"
    nums = "一二三四五六七八九十"
    rows = [f"城南医院感染{n}科{k}病区（{p}地联勤保障中心支援城南医院医疗队）" for n, k, p in zip(nums, nums[::-1], places)]
    text = "\n".join(rows[i][j : j + 18] for i in range(len(rows)) for j in range(0, len(rows[i]), 18))
    lines = read_lines(text)
    starts = paragraph_starts(lines, "wrapped")
    assert find_duplicates([lines], [{}], paragraph_starts=[starts]) == ({},)


def test_a_dash_led_line_naming_the_report_s_kind_ends_its_subheadline_however_full():
    body = "穿过一片云雾缭绕的原始森林，便是地处高原深处、群山环抱中的小村。村里这几年修通了路，建起了学校。"
    body_lines = [body[i : i + 20] for i in range(0, len(body), 20)]
    sub = "——某某省干部群众决战决胜脱贫攻坚综述"
    assert len(sub) == len(body_lines[0]) - 1  # near the column's width: the width rule alone runs it on
    lines = read_lines("\n".join(["小村脱贫记", sub, *body_lines]))
    blocks = build_blocks(lines, {}, "wrapped", starts=paragraph_starts(lines, "wrapped"))
    assert [b.text for b in blocks] == ["小村脱贫记", sub, body]
