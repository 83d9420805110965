"""Segment roles: kicker, headline, subheadline, byline, intertitle, body, caption.

``predict`` is what the pipeline uses: the trained role model (``rolemodel.RoleModel``, loaded once
per process from ``models/``). ``classify`` is the earlier rule cascade, kept as a documented
reference the model is measured against (``pipelines/train.py`` reports both): a rule cascade over the block's own shape (length, final punctuation, OCR markup, dateline and
credit patterns) and its neighbours. Markup (``#``, ``##``, ``**``) decides when present; the
shape rules carry pages without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .text import CLAUSE, REPORTER_START, SENTENCE_END, ends_closed, is_bare, is_cjk, normalize_start
from .types import ROLES, Block

# Photo captions: a black square credit (■…供图), or a photographer's credit at the end.
_CAPTION = re.compile(
    r"(■|▲|□|◆).{0,30}(供图|摄|图)\s*$|[（(][^（()）]{0,30}摄[）)]\s*$|供图[）)]?\s*$|^图为|本报记者.{1,12}摄\s*$"
)
# Bylines and datelines standing on a line of their own.
_BYLINE = re.compile(
    r"^(?:本报记者|记者|通讯员|本报特约记者|特约评论员|本报评论员|新华社记者|新华社|本报讯|"
    r"本报.{1,12}电|.{0,10}(?:日|曰|月)电)"
)
_PAREN_BYLINE = re.compile(r"^[（(][^（()）]{1,16}[）)]$")


def is_caption(text: str, max_chars: int = 300) -> bool:
    """A photo caption: ends with a photographer's or supplier's credit."""
    return len(text) <= max_chars and bool(_CAPTION.search(text))


@dataclass(frozen=True)
class RoleConfig:
    # Headlines, kickers and intertitles are short; body paragraphs are rarely this short and
    # unpunctuated. 40 covers two-part headlines of the seed and People's Daily.
    heading_max_chars: int = 40
    kicker_max_chars: int = 30
    byline_max_chars: int = 40
    caption_max_chars: int = 300


def predict(
    blocks: Sequence[Block],
    joins: dict[int, int],
    words: dict[int, list[str]],
    layout: str,
    models_dir: Path | None = None,
) -> dict[int, str]:
    """Block index → role, for kept blocks, from the trained role model."""
    from .rolemodel import role_model  # noqa: PLC0415

    return role_model(models_dir).predict(blocks, words, joins, layout)


# A list (units, names with their titles) is printed as one item under its title: a run of at least
# this many entry-like blocks is one, and its entries open no article however headline-like one
# looks alone. A head stack (kicker, headline, subheadline, byline, each maybe on its own line) and
# the captions and briefs around it make runs too: with gold roles on 596 composed training pages,
# runs of >= 6 held 3 heads past their leading stack (2 article boundaries), >= 8 held one (a short
# headline, "建议", after a bulleted list of tips), >= 10 none; the 163 dev pages' runs of >= 8
# none (their award lists are runs of hundreds).
LIST_MIN_ENTRIES = 10
# An entry (a unit's name, a name with a title and a bracketed note) is up to this long and holds
# no sentence: no sentence punctuation anywhere. A paragraph of prose is longer or has one.
ENTRY_MAX_CHARS = 80
HEAD_ROLES = ("kicker", "headline", "subheadline")


def is_entry(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= ENTRY_MAX_CHARS and not any(ch in SENTENCE_END for ch in t)


def settle_lists(blocks: Sequence[Block], roles: dict[int, str], min_entries: int = LIST_MIN_ENTRIES) -> dict[int, str]:
    """``roles`` with the kickers, headlines and subheadlines inside a list read as body: in a run
    of ``min_entries`` or more consecutive entry-like kept blocks, every head past the run's
    leading head stack (the list's own title) — unless the OCR marked it as a heading (``#``)."""
    kept = [b for b in blocks if b.kept]
    out = dict(roles)
    i = 0
    while i < len(kept):
        j = i
        while j < len(kept) and is_entry(kept[j].text):
            j += 1
        if j - i >= min_entries:
            k = i
            while k < j and roles[kept[k].index] in HEAD_ROLES + ("byline",):
                k += 1  # the list's title (and its kicker, subtitle, byline)
            for b in kept[k:j]:
                if roles[b.index] in HEAD_ROLES and not b.heading:
                    out[b.index] = "body"
        i = max(j, i + 1)
    return out


def kicker_first(first, second) -> bool:
    """Is a two-line stack a kicker and its headline rather than a headline and its subheadline, by
    the role model's probabilities of its lines (rows in ``ROLES`` order)?"""
    k, h, s = ROLES.index("kicker"), ROLES.index("headline"), ROLES.index("subheadline")
    return first[k] * second[h] > first[h] * second[s]


def _squeezed(text: str) -> str:
    """A block's text without whitespace and the OCR's heading/bold markers."""
    return "".join(text.split()).strip("#*")


def _walked(blocks: Sequence[Block], joins: dict[int, int] | None) -> tuple[list[int], list[Block]]:
    """The kept blocks as the article walk reads them, without those that continue a paragraph
    elsewhere (``joins``: continuation block -> the block it continues), and each one's row among
    the kept blocks (the role model's ``probs``)."""
    walked = [(k, b) for k, b in enumerate(b for b in blocks if b.kept) if b.index not in (joins or {})]
    return [k for k, _ in walked], [b for _, b in walked]


def split_head_pairs(
    blocks: Sequence[Block], roles: dict[int, str], probs, reads_on: Callable[[str, str], bool],
    joins: dict[int, int] | None = None,
) -> dict[int, str]:
    """``roles`` with two consecutive headlines read as one stack: when the second does not go on
    from the first mid-phrase (``reads_on``: a headline wrapped onto two blocks does), they are a
    kicker and its headline or a headline and its subheadline, whichever the role model's
    probabilities (``probs``: a row per kept block, ``ROLES`` order) make likelier. Walking the
    page, two headlines in a row are otherwise one headline printed on two lines. "In a row" as the
    article walk reads the page: without the blocks that continue a paragraph elsewhere (``joins``:
    continuation block -> the block it continues), which an engine may have read between a stack's
    lines ("山西加强农村人才培养" + "…等6方面发挥积极作用。" + "17616名农村干部学历提升了": dev, 4 such
    stacks, each read as one headline of both lines)."""
    row, kept = _walked(blocks, joins)
    out = dict(roles)
    i = 0
    while i + 1 < len(kept):
        a, b = kept[i], kept[i + 1]
        pair = out[a.index] == "headline" and out[b.index] == "headline"
        pair = pair and (i == 0 or out[kept[i - 1].index] != "headline")
        if pair and (i + 2 >= len(kept) or out[kept[i + 2].index] != "headline") and not reads_on(a.text, b.text):
            if kicker_first(probs[row[i]], probs[row[i + 1]]):
                out[a.index] = "kicker"
            else:
                out[b.index] = "subheadline"
            i += 2
            continue
        i += 1
    return out


# The first line of a headline wrapped onto a second one is a full line of the headline's type:
# at least this long (a stack's kicker is often shorter; its line is not full).
WRAPPED_HEAD_MIN_CHARS = 15


def wrapped_headlines(blocks: Sequence[Block], roles: dict[int, str], reads_on: Callable[[str, str], bool]) -> dict[int, str]:
    """``roles`` with a kicker + headline or a headline + subheadline that are one headline printed
    on two lines ("…执法检查组举|行第二次全体会议", "…建制单位轮|换工作顺利完成"): a headline set wider
    than the body's column stands alone line by line, and the model takes its lines for a stack.
    Such a pair reads on mid-word (``reads_on``), its first line is full (WRAPPED_HEAD_MIN_CHARS)
    and longer than the rest, and neither has clause punctuation. A stack's lines read on by
    chance too (pkuseg joins "…明星赛|丁…"), but rarely with a full first line and a shorter bare
    rest: on the dev pages 3 such pairs were wrapped headlines, none a stack."""
    kept = [b for b in blocks if b.kept]
    out = dict(roles)
    for k, (a, b) in enumerate(zip(kept, kept[1:])):
        pair = (out[a.index], out[b.index])
        first, rest = a.text.strip(), b.text.strip()
        if b.index == a.index + 1 and not b.blank_before and _wrapped_head_tail(pair, first, rest):
            # a wrapped kicker's tail when a headline follows it ("…创新综合行政执法" + "改革" + headline)
            head_follows = k + 2 < len(kept) and out[kept[k + 2].index] == "headline"
            out[a.index] = out[b.index] = pair[0] if head_follows else "headline"
            continue
        if pair not in (("kicker", "headline"), ("headline", "subheadline")):
            continue
        if len(first) >= WRAPPED_HEAD_MIN_CHARS and len(rest) < len(first) and is_bare(first) and is_bare(rest) and reads_on(first, rest):
            out[a.index] = out[b.index] = "headline"
    return out


# The last characters of a headline wrapped alone onto a line ("…发生袭击事件致8人" + "死亡"): no
# head of its own is this short. Composed training pages (2020-01..06): a bare line of at most
# this many Chinese characters right under a bare head line of 8 or more, without a blank line, was
# the same head's end 174 times; a stack's next head ("…开幕" + "汪洋出席") only at 4 characters (2).
WRAPPED_HEAD_TAIL_MAX_CHARS = 3
# ... and the line it wrapped from is a head's line of at least this many characters: the counts
# above are of such lines (shorter ones were not measured).
WRAPPED_HEAD_TAIL_MIN_FIRST = 8
_HEAD_PAIR_ROLES = frozenset({"kicker", "headline", "subheadline", "intertitle"})


def _wrapped_head_tail(pair: tuple[str, str], first: str, rest: str) -> bool:
    """Two head blocks printed on consecutive lines, one of them read as the headline, the second
    a wrapped headline's tail."""
    return (
        "headline" in pair and set(pair) <= _HEAD_PAIR_ROLES
        and 0 < len(rest) <= WRAPPED_HEAD_TAIL_MAX_CHARS and all(is_cjk(ch) for ch in rest)
        and len(first) >= WRAPPED_HEAD_TAIL_MIN_FIRST and is_bare(first)
    )  # fmt: skip


def settle_heads(
    blocks: Sequence[Block], roles: dict[int, str], probs, reads_on: Callable[[str, str], bool] | None = None,
    *, cohesion=None, joins: dict[int, int] | None = None,
) -> dict[int, str]:
    """The role model's ``roles`` (``probs``: its probabilities, a row per kept block) with the
    head stacks settled: a dash-led block under a headline is its subheadline, as are a title's
    date in brackets and a line of who attended (``dash_subheadlines``), so is a short line between
    a headline and a summary box's label (``subheadlines_above_summary``); with ``reads_on``
    (``repair.reads_on``), two headlines in a row that do not read on are one stack
    (``split_head_pairs``; "in a row" as the article walk reads the page, without the blocks that
    continue a paragraph elsewhere, ``joins``), a stack whose full first line reads on into its
    rest is one headline on two lines (``wrapped_headlines``); of a two-line stack, the line that
    alone ends with a column label is the headline (``labelled_stacks``); a picture story's title
    is its headline (``picture_stories``); a kicker no headline follows is the headline
    (``promote_lone_kickers``); a list's entries are no heads (``settle_lists``); a
    reporter's line under a head is its byline (``bylines_under_heads``); with ``cohesion`` (each
    kept block's cohesion_near), a headline the model barely prefers between two paragraphs of one
    subject is an intertitle (``doubtful_heads_inside``); a stack an engine read after its
    article's dateline paragraph is a stack (``stacks_after_leads``)."""
    roles = subheadlines_above_summary(blocks, dash_subheadlines(blocks, roles, joins))
    if reads_on is not None:
        roles = split_head_pairs(blocks, roles, probs, reads_on, joins)
        roles = wrapped_headlines(blocks, roles, reads_on)
    roles = labelled_stacks(blocks, roles)
    if cohesion is not None:
        roles = doubtful_heads_inside(blocks, roles, probs, cohesion)
    roles = bylines_under_heads(blocks, settle_lists(blocks, promote_lone_kickers(blocks, picture_stories(blocks, roles, reads_on), joins)))
    return stacks_after_leads(blocks, roles, probs)


def put_back_is_body(roles: dict[int, str], pieces: frozenset[int]) -> dict[int, str]:
    """The pieces of paragraphs that column order cut and put back in reading order
    (``colorder.apply_moves``: a moved line, and the rest of each paragraph it was printed in or
    goes into) are running prose by construction: full lines, open ends, the sentence reading on
    across each junction. Body, however much one reads like a head alone (a moved 15-character
    line "执法船艇497艘次,现场查处非" standing between a headline and a paragraph was a headline)."""
    return {i: ("body" if i in pieces else r) for i, r in roles.items()}


# A headline the model barely prefers to an intertitle (probability margin below this), standing
# alone between two body paragraphs whose words go on across it (``features`` cohesion_near at
# least DOUBTFUL_MIN_COHESION), is an intertitle. On the 2,705 composed training pages, of the
# short bare lines between two paragraphs with that cohesion, 626 were intertitles and 82
# headlines. On the dev pages it changes little (headline F1 0.956 → 0.957, intertitle 0.934 →
# 0.935, exact 0.836 → 0.835); it steadies small pages, where the model's answer rests on little.
DOUBTFUL_MARGIN = 0.2
DOUBTFUL_MIN_COHESION = 0.15


def doubtful_heads_inside(blocks: Sequence[Block], roles: dict[int, str], probs, cohesion) -> dict[int, str]:
    """``roles`` with the doubtful headlines described above read as intertitles (``probs``: the role
    model's rows, ``cohesion``: each kept block's cohesion_near)."""
    kept = [b for b in blocks if b.kept]
    out = dict(roles)
    h, it = ROLES.index("headline"), ROLES.index("intertitle")
    for i in range(1, len(kept) - 1):
        b = kept[i]
        if out[b.index] != "headline" or out[kept[i - 1].index] != "body" or out[kept[i + 1].index] != "body":
            continue
        if probs[i][h] - probs[i][it] < DOUBTFUL_MARGIN and cohesion[i] >= DOUBTFUL_MIN_COHESION:
            out[b.index] = "intertitle"
    return out


# A reporter's line under a head: "本报记者　赵六" (with the OCR's spaces taken out), short and bare.
BYLINE_MAX_CHARS = 20


def bylines_under_heads(blocks: Sequence[Block], roles: dict[int, str]) -> dict[int, str]:
    """``roles`` with a short reporter's line right under a kicker, headline or subheadline read as
    the byline. The role model weighs such a line by its surroundings, and inside an article (under
    an intertitle, after body text: a roundup's sub-story) it is body as often as not; under a head
    it is the byline: on the 2,705 composed training pages, of the byline-shaped lines of at most
    BYLINE_MAX_CHARS under a gold head, 1,443 were bylines, 11 body and 1 a headline. On the dev
    pages the model reads nearly all of them right already (the rule changes one line, a roundup's
    reporter that gold keeps in the body); on a page of a few blocks it does not."""
    from .features import byline_shaped, credit_line  # noqa: PLC0415 - as the role model's imports, only when settling

    kept = [b for b in blocks if b.kept]
    out = dict(roles)
    for above, b in zip(kept, kept[1:]):
        shaped = byline_shaped(b.text, BYLINE_MAX_CHARS) or credit_line(b.text, BYLINE_MAX_CHARS)
        if out[above.index] in HEAD_ROLES and out[b.index] in ("body", "intertitle") and shaped:
            out[b.index] = "byline"
    return out


# A speech's or a document's date under its title, alone in brackets: "（2020年9月22日）",
# "(2020年9月21日,北京)". On the composed training pages 12 such lines were, all under a headline,
# its subheadline (the 13th an intertitle under an intertitle); the dev pages 9 of 9.
_DATED_TITLE = re.compile(r"^[（(]\d{4}年\d{1,2}月\d{1,2}日[^（()）]{0,12}[）)]$")
# Who attended or chaired, under a meeting's headline: "汪洋王沪宁韩正出席", "刘鹤同某某共同主持"
# (bare, at most ATTENDANCE_MAX_CHARS). On the composed training pages 86 of 87 such lines were
# subheadlines, 81 of them under the headline (3 after a stray, 2 after body; the other a kicker);
# dev 24 of 24. Not "会见": a headline ends with it as a noun ("…律师远程视频会见").
ATTENDANCE_MAX_CHARS = 30
_ATTENDANCE = re.compile(r"(出席|主持|出席会议|出席并讲话|主持会议)$")


def _subheadline_shaped(text: str) -> bool:
    """A dash-led line, a title's date in brackets, or who attended (see above)."""
    if text.lstrip().startswith("—"):
        return True
    t = _squeezed(text)
    return bool(_DATED_TITLE.match(t)) or (len(t) <= ATTENDANCE_MAX_CHARS and is_bare(t) and bool(_ATTENDANCE.search(t)))


# A dash-led line naming the report's kind ("——联合国人权理事会…两场“云上边会”综述", "——…引发热烈反响",
# "——…负责人答记者问") is a subheadline whatever the model read: on the composed training pages 134
# of 134, under their headline 127 times (the others after a stray or a copy); dev 45 of 45. The
# short bare line above it (a head's length: HEAD_MAX_CHARS) is then its headline, however the
# model read that.
REPORT_KIND = re.compile(r"(综述|纪实|侧记|述评|巡礼|速写|扫描|观察|见闻|简评|答记者问|反响|启示|札记)$")


def dash_subheadlines(blocks: Sequence[Block], roles: dict[int, str], joins: dict[int, int] | None = None) -> dict[int, str]:
    """``roles`` with a dash-led block right after a headline read as its subheadline ("——某某介绍
    某某情况"): on 2,705 composed training pages 814 such blocks were, 7 were body. A dash-led
    "headline" under a kicker is such a subheadline too, and the "kicker" its headline: on the
    training pages' gold no dash-led line follows a kicker, and of the two-line head stacks whose
    second line is dash-led, 409 are a headline and its subheadline, none a kicker and its headline.
    A title's date in brackets and a line of who attended (``_subheadline_shaped``) are read the
    same way; a dash-led report's kind (``REPORT_KIND``) also makes the short bare line above it,
    read as an intertitle or body, its headline. Lines as the article walk reads them
    (``_walked``)."""
    _, kept = _walked(blocks, joins)
    out = dict(roles)
    for a, b in zip(kept, kept[1:]):
        if not _subheadline_shaped(b.text):
            continue
        title = _squeezed(a.text)
        if (
            b.text.lstrip().startswith("—") and REPORT_KIND.search(_squeezed(b.text))
            and out[a.index] in ("intertitle", "body") and out[b.index] in ("body", "intertitle", "headline")
            and len(title) <= HEAD_MAX_CHARS and is_bare(title)
        ):  # fmt: skip
            out[a.index], out[b.index] = "headline", "subheadline"
        elif out[a.index] == "headline" and out[b.index] in ("body", "headline", "intertitle"):
            out[b.index] = "subheadline"
        elif out[a.index] == "kicker" and out[b.index] == "headline":
            out[a.index], out[b.index] = "headline", "subheadline"
    return out


def labelled_stacks(blocks: Sequence[Block], roles: dict[int, str]) -> dict[int, str]:
    """``roles`` with a two-line head stack turned round when only one of its lines ends with a
    column label ("…（权威发布）", ``blocks.ends_with_label``): that line is the headline. On the
    2,705 composed training pages' gold, of the two-line stacks whose first line alone ends with a
    label, 424 are a headline and its subheadline and none a kicker and its headline; whose second
    line alone does, 1,590 are a kicker and its headline and 7 a headline and its subheadline."""
    from .blocks import ends_with_label  # noqa: PLC0415 - blocks imports this module

    kept = [b for b in blocks if b.kept]
    out = dict(roles)
    for i, (a, b) in enumerate(zip(kept, kept[1:])):
        pair = (out[a.index], out[b.index])
        if pair not in (("kicker", "headline"), ("headline", "subheadline")):
            continue
        if (i > 0 and out[kept[i - 1].index] in HEAD_ROLES) or (i + 2 < len(kept) and out[kept[i + 2].index] in HEAD_ROLES):
            continue  # a stack of two lines only
        first, second = ends_with_label(a.text.strip()), ends_with_label(b.text.strip())
        if first and not second:
            out[a.index], out[b.index] = "headline", "subheadline"
        elif second and not first:
            out[a.index], out[b.index] = "kicker", "headline"
    return out


# The label of People's Daily's summary box ("核心阅读", then two or three sentences) sits right
# under an article's head stack.
SUMMARY_LABELS = frozenset({"核心阅读"})


def subheadlines_above_summary(blocks: Sequence[Block], roles: dict[int, str], max_chars: int = 40) -> dict[int, str]:
    """``roles`` with a short open line between a headline and a summary box's label
    (SUMMARY_LABELS) read as the subheadline: the label sits under the head stack, so what stands
    between it and the headline is the stack's last line ("多方呼吁通过协商化解分歧"). On the
    composed training pages' gold the line right above such a label is a headline 348 times, a
    subheadline 24 times and body twice; the role model, which sees few of them, reads some as body."""
    kept = [b for b in blocks if b.kept]
    out = dict(roles)
    for a, b, c in zip(kept, kept[1:], kept[2:]):
        label = c.text.strip().strip("*#").strip()
        if out[a.index] == "headline" and out[b.index] in ("body", "intertitle") and label in SUMMARY_LABELS:
            if len(b.text.strip()) <= max_chars and not ends_closed(b.text):
                out[b.index] = "subheadline"
    return out


# A picture story (图片新闻): a short title, a sentence or three about the photograph, the
# photographer's credit on its own line ("金秋果飘香" + "9月24日，…农民在收获秋桃。" + "刘满仓摄（影像中国）").
# Printed at the foot of another article's column, its title reads to the role model like that
# article's intertitle, and the story merges into it. The title is bare and at most
# PICTURE_TITLE_MAX_CHARS; the text between it and the credit is 1–PICTURE_TEXT_MAX_BLOCKS blocks
# of PICTURE_TEXT_MIN_CHARS–PICTURE_TEXT_MAX_CHARS characters (a photograph's few sentences; less
# is a wrapped fragment: "…划着菱" + "桶在水" + "中，…" + credit, dev). Over the pipeline's own
# roles on the dev pages, such a bare line read as intertitle or body was a headline 8 times in 8
# (on a second composition of the dev months, seed 21, 2 in 3: the third a photo's label; on the
# composed training pages 9 in 12, the others excluded below).
PICTURE_TITLE_MAX_CHARS = 20
PICTURE_TEXT_MIN_CHARS = 40
PICTURE_TEXT_MAX_CHARS = 300
PICTURE_TEXT_MAX_BLOCKS = 3
# A photographer's or agency's credit standing alone: "张三摄（人民视觉）", "新华社记者张三摄",
# "新华社发", "（张三摄）" (whitespace taken out).
_PHOTO_CREDIT = re.compile(
    r"^(?:[^。，,；;！!？?：:“”]{1,16}摄(?:影)?(?:[（(][^（）()]{2,10}[）)])?"
    r"|新华社发(?:[（(][^（）()]{2,12}[）)])?|[（(][^（）()]{1,20}摄[）)])$"
)


# A label under a photograph is no title ("资料图片": a photograph from the archive; seed-21 pages).
_PHOTO_LABELS = ("图片", "照片")


def picture_stories(
    blocks: Sequence[Block], roles: dict[int, str], reads_on: Callable[[str, str], bool] | None = None
) -> dict[int, str]:
    """``roles`` with a picture story's title (see PICTURE_TITLE_MAX_CHARS) read as its headline
    when the role model took it for an intertitle or body: the article walk then opens the story
    as an article of its own. No title is a reporter's line ("本报记者张三整理"), the agency the
    credit names ("人民视觉" over "…摄（人民视觉）") or, given ``reads_on``, a line that goes on from
    the one before mid-word ("…2号墩" + "间的一片编号")."""
    kept = [b for b in blocks if b.kept]
    out = dict(roles)
    for i, b in enumerate(kept):
        if out[b.index] not in ("intertitle", "body") or (i > 0 and out[kept[i - 1].index] in HEAD_ROLES):
            continue
        title = _squeezed(b.text)
        if not 2 <= len(title) <= PICTURE_TITLE_MAX_CHARS or not is_bare(title) or title[0] in "（(【■▲◆□":
            continue
        if _PHOTO_CREDIT.match(title) or title.endswith(_PHOTO_LABELS) or REPORTER_START.match(title):
            continue
        if i > 0 and reads_on is not None and reads_on(kept[i - 1].text, b.text):
            continue
        j, chars = i + 1, 0
        while j < len(kept) and j - i - 1 < PICTURE_TEXT_MAX_BLOCKS and out[kept[j].index] in ("body", "caption"):
            text = _squeezed(kept[j].text)
            if _PHOTO_CREDIT.match(text):
                break
            chars += len(text)
            j += 1
        if j == i + 1 or j >= len(kept) or not _PHOTO_CREDIT.match(_squeezed(kept[j].text)) or title in _squeezed(kept[j].text):
            continue
        if PICTURE_TEXT_MIN_CHARS <= chars <= PICTURE_TEXT_MAX_CHARS:
            out[b.index] = "headline"
    return out


def promote_lone_kickers(blocks: Sequence[Block], roles: dict[int, str], joins: dict[int, int] | None = None) -> dict[int, str]:
    """``roles`` with the last kicker of a run that no headline follows read as the headline: a
    kicker is the line above a headline (596 composed training pages: 855 of 874 kickers), so a
    stack without one (a kicker, then a subheadline, a byline or the body) has its headline
    misread as the kicker. The article walk already opens an article there; this names it.
    "Follows" as the walk reads the page (``_walked``: a paragraph's continuation an engine read
    between a kicker and its headline is no line of the stack)."""
    _, kept = _walked(blocks, joins)
    out = dict(roles)
    for i, b in enumerate(kept):
        nxt = out[kept[i + 1].index] if i + 1 < len(kept) else None
        if out[b.index] == "kicker" and nxt not in ("kicker", "headline"):
            out[b.index] = "headline"
    return out


def classify(
    blocks: Sequence[Block],
    joins: dict[int, int],
    config: RoleConfig = RoleConfig(),
) -> dict[int, str]:
    """Block index → role, for kept blocks."""
    kept = [b for b in blocks if b.kept]
    roles: dict[int, str] = {}
    for i, b in enumerate(kept):
        prev = kept[i - 1] if i > 0 else None
        nxt = kept[i + 1] if i + 1 < len(kept) else None
        roles[b.index] = _role(b, prev, nxt, roles, joins, config)
    # A kicker is the short line right above a headline.
    for i, b in enumerate(kept[:-1]):
        nxt = kept[i + 1]
        if roles[nxt.index] == "headline" and roles[b.index] in ("headline", "intertitle", "body"):
            if _kicker_shape(b, nxt, config):
                roles[b.index] = "kicker"
    return roles


def _role(b: Block, prev: Block | None, nxt: Block | None, roles: dict[int, str], joins, config: RoleConfig) -> str:
    text = b.text
    size = len(text)
    prev_role = roles.get(prev.index) if prev else None
    if b.index in joins or b.index in joins.values():
        return "body"  # a half of a cut paragraph
    if is_caption(text, config.caption_max_chars):
        return "caption"
    if b.heading:
        if b.heading >= 2 and prev_role in ("headline",) and not b.bold:
            return "subheadline"
        if text.startswith(("——", "—", "--")) and prev_role == "headline":
            return "subheadline"
        return "headline"
    if b.bold:
        return "intertitle"
    if size <= config.byline_max_chars and (_BYLINE.match(text) and not ends_closed(text) or _PAREN_BYLINE.match(text)):
        return "byline"
    if size <= config.heading_max_chars and not ends_closed(text) and text[-1] not in CLAUSE:
        if prev_role == "headline" and (text.startswith(("——", "—")) or _short_run(prev, b)):
            return "subheadline"
        if prev is None or prev_role in ("caption",) or _opens_article(nxt):
            return "headline"
        if prev_role == "body" and prev is not None and not ends_closed(prev.text):
            return "body"
        return "intertitle"
    return "body"


def _short_run(prev: Block | None, b: Block) -> bool:
    return prev is not None and not prev.heading and len(prev.text) <= 40


def _opens_article(nxt: Block | None) -> bool:
    """The next block starts an article: a dateline/byline, or another heading line."""
    if nxt is None:
        return False
    return bool(_BYLINE.match(nxt.text)) or nxt.heading > 0


def _kicker_shape(b: Block, headline: Block, config: RoleConfig) -> bool:
    if b.heading and b.heading <= headline.heading:
        return False
    t = b.text
    return len(t) <= config.kicker_max_chars and (t.endswith((":", "：")) or not ends_closed(t)) and not b.bold


# A reporter's credit in a dateline paragraph: "本报北京7月8日电（记者林某、王某）…".
_CREDIT = re.compile(r"[（(]\s*(?:本报|新华社)?(?:记者|通讯员|特约记者)\s*([^（()）]{2,30})[）)]")
_NAME_SPLIT = re.compile(r"[、，,\s\u3000]+")
# How far into a dateline paragraph its credit can sit ("本报乌鲁木齐7月8日电（记者…）": ~25 characters).
CREDIT_REACH = 60
# At most this many head lines (kicker, headline, subheadline) between a dateline paragraph and the
# byline that names its reporter, each at most HEAD_MAX_CHARS long (RoleConfig.heading_max_chars).
LEAD_STACK_MAX = 3
HEAD_MAX_CHARS = 40
# A dateline paragraph the engine cut into pieces (blank lines between its lines) is up to this many
# blocks more.
LEAD_PIECES_MAX = 2


def _names(text: str) -> set[str]:
    return {n for n in _NAME_SPLIT.split(text) if 2 <= len(n) <= 4}


def _same_name(a: str, b: str) -> bool:
    """Two readings of one name: equal, or of 3-4 characters with one misread ("林晓涵"/"林晓函")."""
    return a == b or (len(a) == len(b) >= 3 and sum(x == y for x, y in zip(a, b)) == len(a) - 1)


def displaced_leads(blocks: Sequence[Block], roles: dict[int, str]) -> dict[tuple[int, ...], tuple[int, ...]]:
    """Dateline paragraphs an engine read before their own article's head stack: (the paragraph's
    blocks) → (the stack's blocks). The paragraph opens with a dateline and a reporter's credit and
    goes on in up to LEAD_PIECES_MAX more body blocks while each before the last ends open (pieces
    of one paragraph the engine cut); right after it come one to LEAD_STACK_MAX short bare lines
    (stray characters aside), then a reporter's line (``features.byline_shaped``) naming the
    credit's reporter ("本报北京7月8日电（记者林晓涵）…" + "全市新建口袋公园120个" + "社区公园占七成"
    + "记者林晓涵"). Tesseract reads a page so when a head set across the columns sits lower in
    its box than the top of the first column (`pagesplit eval-ocr`). In print a dateline paragraph
    is an article's first and comes after its stack: on the 2,705 composed training pages' gold such
    a paragraph (pieces as described) stands right before a head 73 times, always the end of the
    article before, and the byline of the stack after it never names its reporter (dev: 14, never
    either; allowing closed paragraphs between, 7 and 5 times it does: one reporter's two stories)."""
    from .features import _DATELINE, compact_head  # noqa: PLC0415 - as the role model's imports

    kept = [b for b in blocks if b.kept]
    out: dict[tuple[int, ...], tuple[int, ...]] = {}
    for i, d in enumerate(kept):
        if roles.get(d.index) != "body" or not _DATELINE.match(compact_head(d.text)):
            continue
        credit = _CREDIT.search(d.text[:CREDIT_REACH])
        if credit is None:
            continue
        names = _names(credit.group(1))
        lead = [d]
        for stack_at in range(i + 1, min(len(kept), i + 2 + LEAD_PIECES_MAX)):
            stack = _stack_naming(kept[stack_at : stack_at + 2 * LEAD_STACK_MAX + 1], names)
            if stack:
                out[tuple(b.index for b in lead)] = stack
                break
            nxt = kept[stack_at]
            if roles.get(nxt.index) != "body" or ends_closed(lead[-1].text) or len(lead) > LEAD_PIECES_MAX:
                break
            lead.append(nxt)
    return out


def _stack_naming(following: Sequence[Block], names: set[str]) -> tuple[int, ...]:
    """The blocks of a head stack that opens ``following`` and ends with a reporter's line naming
    one of ``names`` (stray characters left out), or ()."""
    from .features import byline_shaped, compact_head  # noqa: PLC0415 - as the role model's imports

    stack: list[int] = []
    for b in following:
        t = b.text.strip()
        if byline_shaped(t, BYLINE_MAX_CHARS):
            # the names after the reporter's form, apart ("本报记者　张三、李四") or run together
            named = _names(REPORTER_START.sub("", normalize_start(t)).strip()) | _names(REPORTER_START.sub("", compact_head(t)))
            return (*stack, b.index) if stack and any(_same_name(a, n) for a in names for n in named) else ()
        if len(t) <= 1:
            continue  # a stray character (a rule or a picture read as text) is no head line
        if len(t) > HEAD_MAX_CHARS or not is_bare(t) or len(stack) == LEAD_STACK_MAX:
            return ()
        stack.append(b.index)
    return ()


def stacks_after_leads(blocks: Sequence[Block], roles: dict[int, str], probs) -> dict[int, str]:
    """``roles`` with each stack of ``displaced_leads`` read as one: its reporter's line the
    byline, one line the headline, two a kicker and its headline or a headline and its subheadline
    (whichever the role model's ``probs`` make likelier: ``kicker_first``), three a kicker, a
    headline and a subheadline. (The model reads such a stack by its neighbours, a paragraph of its
    own article before it, as intertitles or body.)"""
    leads = displaced_leads(blocks, roles)
    if not leads:
        return roles
    row = {b.index: i for i, b in enumerate(b for b in blocks if b.kept)}
    out = dict(roles)
    for stack in leads.values():
        *heads, byline = stack
        out[byline] = "byline"
        if len(heads) == 1:
            names = ("headline",)
        elif len(heads) == 2:
            first = kicker_first(probs[row[heads[0]]], probs[row[heads[1]]])
            names = ("kicker", "headline") if first else ("headline", "subheadline")
        else:
            names = ("kicker", "headline", "subheadline")
        out.update(zip(heads, names))
    return out
