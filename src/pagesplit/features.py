"""Features of a page's kept blocks for the role model: the block's shape, its neighbours' shapes, its words.

Two kinds, both pure functions of (blocks, words, joins, layout):

* ``shape_rows`` — one dense row of named numbers per block: length, final/initial punctuation, OCR
  markup (``#`` level, ``**``), character classes, dateline/credit patterns, a news lead's opening,
  position on the page, fragment joins, lexical cohesion across the block, a short block's overlap
  with the paragraph it heads and the one before it, and the same summary of the two blocks before
  and after it. Markup is a feature like any other: a page without it still has every other column.
* ``token_items`` — the block's pkuseg words as strings for a hashed bag (all words of a short
  block; the first and last few of a long one, which is where credits and datelines sit).

The column order is ``SHAPE_COLUMNS``; the model manifest records it, so a model trained on other
columns is refused rather than fed the wrong numbers.
"""

from __future__ import annotations

import bisect
import math
import re
from typing import Sequence

from .script import to_simplified
from .text import CJK_RE, CLAUSE, DATELINE_DATE, NEWS_DATE, NOT_A_DIAN_WORD, REPORTER_FORMS, REPORTER_START, TERMINAL, cjk_pairs, is_cjk, normalize_start
from .types import Block

_CAPTION_END = re.compile(r"(供图|摄|图)[）)]?\s*$")
_CAPTION_MARK = re.compile(r"[■▲□◆]")
_BYLINE_START = re.compile(f"^({REPORTER_FORMS}|特约评论员|本报评论员|新华社|本报讯)")
_DATELINE = re.compile(r"^(本报|新华社|人民网|中新社)?.{0,12}" + DATELINE_DATE + "(电" + NOT_A_DIAN_WORD + "|讯)")
_PAREN_ONLY = re.compile(r"^[（(][^（()）]{1,20}[）)]$")
# How a news report's first paragraph often opens: a time ("日前，", "7月14日，", "今年以来").
# Intertitles are followed by mid-story paragraphs, headlines by such leads. (Datelines and bylines
# have their own columns: with "本报"/"记者" here too, a model trained on it read a byline alone
# under a headline as body.)
_NEWS_LEAD = re.compile(
    r"^(日前|近日|近期|近年来|今年以来|今年[0-9０-９一二三四五六七八九十]{1,2}月|昨天|昨日|今天|当天|连日来|"
    + NEWS_DATE + "[，,])"
)
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+[、．.]|[0-9０-９]+[、．.]|第[一二三四五六七八九十0-9]+[，,、])")
# Line-wrapped OCR leaves stray spaces inside words ("本 报记者 刘明洋", "新华社北京7月1 日电"): the
# dateline and byline patterns are matched on the block's head with its whitespace taken out.
_WS_RE = re.compile(r"\s+")
HEAD_CHARS = 40


def compact_head(text: str) -> str:
    """The first HEAD_CHARS characters of ``text`` without whitespace and without the ornaments
    it opens with, traditional characters read as simplified (``script.to_simplified``; the
    pipeline reads a traditional page simplified already, other callers may not), for the start
    patterns (本報記者, 新華社…電, 通訊員)."""
    return to_simplified(normalize_start(_WS_RE.sub("", text[:HEAD_CHARS])))


_CREDIT_WORDS = ("记者", "通讯员", "责任编辑", "版式设计", "制图", "供图", "摄")
CLOSE_QUOTES = set("”’」』")

# Blocks this short are headline-sized (the longest People's Daily and seed headlines are ~40).
SHORT_CHARS = 40
# Words taken from each end of a long block for the token bag: credits, datelines and
# continuation words sit there.
EDGE_WORDS = 3
# A block up to this long contributes all its words.
ALL_WORDS_MAX_CHARS = 60
# Lexical cohesion across a block: the TF-IDF cosine of the paragraphs before it with those after
# it (paragraphs: blocks longer than SHORT_CHARS), the nearest one each side and up to this many.
# An intertitle sits inside one article (on 596 composed training pages, median cosine of three
# paragraphs each side 0.11), a headline between two (0.05).
COHESION_PARAGRAPHS = 3
# A head line's overlap with the paragraphs around it: the first paragraph within this many
# blocks after it (a headline sums up its lead, a kicker sets its scene, a subheadline adds a
# detail) and the nearest one before it (an intertitle goes on from its article's text).
LEAD_REACH = 4

_OWN = (
    "log_len", "len_le10", "len_le20", "len_le40", "len_le80", "n_lines", "heading", "heading2", "bold",
    "end_terminal", "end_clause", "end_colon", "end_quote", "end_cjk", "end_digit",
    "start_dash", "start_paren", "start_mark", "start_ordinal", "start_quote", "start_clause_punct",
    "n_comma", "n_period", "n_ideo_space", "n_space", "frac_cjk", "frac_digit", "frac_latin", "frac_punct",
    "caption_end", "caption_mark", "byline_start", "dateline", "paren_only", "credit_word", "core_box",
    "has_dash_inside", "has_colon", "n_words", "mean_word_len",
    "pos_rel", "pos_first", "pos_last", "pos_index", "n_kept", "removed_before", "removed_after",
    "is_continuation", "has_continuation", "wrapped", "cohesion_near", "cohesion_wide",
    "news_lead", "lead_overlap", "back_overlap",
)
_NEIGHBOUR = ("exists", "log_len", "len_le40", "end_terminal", "end_clause", "heading", "bold",
              "caption_end", "byline_start", "dateline", "is_continuation", "has_continuation",
              "credit_word", "news_lead", "lead_overlap")
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
SHAPE_COLUMNS: tuple[str, ...] = _OWN + tuple(
    f"{'p' if k < 0 else 'n'}{abs(k)}_{name}" for k in NEIGHBOUR_OFFSETS for name in _NEIGHBOUR
)


_REPORTER = REPORTER_START


def byline_shaped(text: str, max_chars: int) -> bool:
    """A reporter's line alone ("本报记者　赵六"): short, no dateline, no sentence punctuation."""
    t = text.strip()
    head = compact_head(t)
    return len(t) <= max_chars and bool(_REPORTER.match(head)) and "电" not in head and not any(ch in "。！？；，," for ch in t)


# The credits a reporter's line can hold, each before its names: a line of several ("文/本报记者 张晓东
# 通讯员 李明 图/本报记者 王强", as metro papers print them) runs longer than one reporter's.
_CREDIT_WORD = re.compile(f"{REPORTER_FORMS}|图[/／]|摄影[/／]?")


def credit_line(text: str, max_chars: int) -> bool:
    """``byline_shaped`` up to twice ``max_chars`` when the line holds two credits or more."""
    t = text.strip()
    return byline_shaped(t, 2 * max_chars) and len(_CREDIT_WORD.findall(compact_head(t))) >= 2


def own_shape(block: Block, words: Sequence[str]) -> dict[str, float]:
    """The block's own shape (no position or neighbours)."""
    t = block.text.strip()
    head = compact_head(t)
    n = len(t)
    last = t[-1] if t else ""
    first = t[0] if t else ""
    rest = CJK_RE.sub("", t)  # one regex pass for the (many) CJK characters, a loop for the rest
    counts = {"cjk": n - len(rest), "digit": 0, "latin": 0, "punct": 0}
    for ch in rest:
        if ch.isdigit():
            counts["digit"] += 1
        elif ch.isascii() and ch.isalpha():
            counts["latin"] += 1
        elif not ch.isspace() and not ch.isalnum():
            counts["punct"] += 1
    denom = max(n, 1)
    wl = [len(w) for w in words]
    return {
        "log_len": math.log1p(n),
        "len_le10": float(n <= 10),
        "len_le20": float(n <= 20),
        "len_le40": float(n <= SHORT_CHARS),
        "len_le80": float(n <= 80),
        "n_lines": float(min(len(block.lines), 30)),
        "heading": float(block.heading),
        "heading2": float(block.heading >= 2),
        "bold": float(block.bold),
        "end_terminal": float(last in TERMINAL and last not in CLOSE_QUOTES),
        "end_clause": float(last in CLAUSE),
        "end_colon": float(last in "：:"),
        "end_quote": float(last in CLOSE_QUOTES),
        "end_cjk": float(bool(last) and is_cjk(last)),
        "end_digit": float(last.isdigit()),
        "start_dash": float(t.startswith(("——", "—", "--", "－"))),
        "start_paren": float(first in "（("),
        "start_mark": float(bool(_CAPTION_MARK.match(t))),
        "start_ordinal": float(bool(_ORDINAL.match(t))),
        "start_quote": float(first in "“‘「『"),
        "start_clause_punct": float(first in "，,、。；;：:！？!?”’）)…的了着地得"),
        "n_comma": float(min(t.count("，") + t.count(","), 20)),
        "n_period": float(min(t.count("。"), 20)),
        "n_ideo_space": float(min(t.count("\u3000"), 10)),
        "n_space": float(min(t.count(" "), 10)),
        "frac_cjk": counts["cjk"] / denom,
        "frac_digit": counts["digit"] / denom,
        "frac_latin": counts["latin"] / denom,
        "frac_punct": counts["punct"] / denom,
        "caption_end": float(bool(_CAPTION_END.search(t))),
        "caption_mark": float(bool(_CAPTION_MARK.search(t))),
        "byline_start": float(bool(_BYLINE_START.match(head))),
        "dateline": float(bool(_DATELINE.match(head))),
        "news_lead": float(bool(_NEWS_LEAD.match(head))),
        "paren_only": float(bool(_PAREN_ONLY.match(t))),
        "credit_word": float(any(w in t[-12:] or w in t[:8] for w in _CREDIT_WORDS)),
        "core_box": float(t == "核心阅读"),
        "has_dash_inside": float("——" in t[1:]),
        "has_colon": float("：" in t or ":" in t),
        "n_words": float(min(len(words), 200)),
        "mean_word_len": sum(wl) / len(wl) if wl else 0.0,
    }


def shape_rows(
    blocks: Sequence[Block],
    words: dict[int, list[str]],
    joins: dict[int, int],
    layout: str,
) -> list[list[float]]:
    """One row per kept block of ``blocks`` (page order), columns ``SHAPE_COLUMNS``.

    ``blocks`` may include removed blocks: they are skipped, and only mark that something was
    removed between two kept blocks (a running head or a copy sits at an article boundary more
    often than inside one)."""
    kept = [b for b in blocks if b.kept]
    n = len(kept)
    lefts = set(joins.values())
    own = []
    for i, b in enumerate(kept):
        f = own_shape(b, words.get(b.index, ()))
        f["pos_rel"] = i / max(n - 1, 1)
        f["pos_first"] = float(i == 0)
        f["pos_last"] = float(i == n - 1)
        f["pos_index"] = float(min(i, 50))
        f["n_kept"] = float(min(n, 200))
        f["removed_before"] = float(i > 0 and kept[i - 1].index != b.index - 1)
        f["removed_after"] = float(i + 1 < n and kept[i + 1].index != b.index + 1)
        f["is_continuation"] = float(b.index in joins)
        f["has_continuation"] = float(b.index in lefts)
        f["wrapped"] = float(layout == "wrapped")
        own.append(f)
    _cohesion(kept, words, own)
    _overlaps(kept, own)
    rows = []
    for i in range(n):
        row = [own[i][c] for c in _OWN]
        for k in NEIGHBOUR_OFFSETS:
            j = i + k
            if 0 <= j < n:
                row.extend([1.0] + [own[j][c] for c in _NEIGHBOUR[1:]])
            else:
                row.extend([0.0] * len(_NEIGHBOUR))
        rows.append(row)
    return rows


def _cohesion(kept: Sequence[Block], words: dict[int, list[str]], own: list[dict[str, float]]) -> None:
    """``cohesion_near`` / ``cohesion_wide`` of each block: the cosine (idf over the page's blocks)
    of the nearest paragraph before it with the nearest after it, and of up to
    COHESION_PARAGRAPHS each side; 0 at the page's ends.

    The cosine of two sums of paragraphs is read off the paragraphs' pairwise dot products (each
    computed once: a page's windows overlap), not off merged bags."""
    from .links import Cohesion, word_bag  # noqa: PLC0415 - links imports this module

    bags = [word_bag(words.get(b.index, ())) for b in kept]
    coh = Cohesion(bags)
    paragraphs = [i for i, b in enumerate(kept) if len(b.text.strip()) > SHORT_CHARS]
    gram = coh.gram([bags[i] for i in paragraphs])  # every pair's dot product at once

    def dot(a: int, b: int) -> float:  # paragraph positions
        return float(gram[a, b])

    def sq(run: range) -> float:
        return sum(dot(a, b) * (1 if a == b else 2) for a in run for b in run if a <= b)

    for i in range(len(kept)):
        lo = bisect.bisect_left(paragraphs, i)  # paragraphs[lo] is the first at or after i
        hi = lo + (lo < len(paragraphs) and paragraphs[lo] == i)
        before = range(max(0, lo - COHESION_PARAGRAPHS), lo)
        after = range(hi, min(len(paragraphs), hi + COHESION_PARAGRAPHS))
        if not before or not after:
            own[i]["cohesion_near"] = own[i]["cohesion_wide"] = 0.0
            continue
        own[i]["cohesion_near"] = _cos(dot(lo - 1, hi), dot(lo - 1, lo - 1), dot(hi, hi))
        own[i]["cohesion_wide"] = _cos(sum(dot(a, b) for a in before for b in after), sq(before), sq(after))


def _overlaps(kept: Sequence[Block], own: list[dict[str, float]]) -> None:
    """``lead_overlap`` / ``back_overlap`` of each short block (0 for paragraphs): the share of its
    CJK character pairs found in the first paragraph within LEAD_REACH blocks after it / in the
    nearest one within LEAD_REACH blocks before it."""
    long = [len(b.text.strip()) > SHORT_CHARS for b in kept]
    memo: dict[int, set[str]] = {}

    def pairs(j: int) -> set[str]:
        if j not in memo:
            memo[j] = set(cjk_pairs(kept[j].text))
        return memo[j]

    n = len(kept)
    for i, b in enumerate(kept):
        own[i]["lead_overlap"] = own[i]["back_overlap"] = 0.0
        if long[i]:
            continue
        mine = pairs(i)
        if not mine:
            continue
        after = next((j for j in range(i + 1, min(n, i + 1 + LEAD_REACH)) if long[j]), None)
        before = next((j for j in range(i - 1, max(-1, i - 1 - LEAD_REACH), -1) if long[j]), None)
        if after is not None:
            own[i]["lead_overlap"] = len(mine & pairs(after)) / len(mine)
        if before is not None:
            own[i]["back_overlap"] = len(mine & pairs(before)) / len(mine)


def _cos(d: float, sq_a: float, sq_b: float) -> float:
    return d / math.sqrt(sq_a * sq_b) if d > 0 and sq_a > 0 and sq_b > 0 else 0.0


def token_items(block: Block, words: Sequence[str]) -> list[str]:
    """The block's words for the hashed bag: all of a short block's, the edges of a long one."""
    ws = [w for w in words if w.strip()]
    if len(block.text) <= ALL_WORDS_MAX_CHARS:
        items = [f"w={w}" for w in ws]
    else:
        items = []
    items += [f"f{k}={w}" for k, w in enumerate(ws[:EDGE_WORDS])]
    items += [f"l{k}={w}" for k, w in enumerate(reversed(ws[-EDGE_WORDS:]))]
    return items or ["<empty>"]
