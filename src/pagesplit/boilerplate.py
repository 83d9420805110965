"""Repeated labels, running heads, page credits and page furniture.

Looks at all pages of one issue at once (running heads recur across pages with only their
digits changed), plus an optional table of lines known to recur in a publication (so that a
one-page issue still benefits from what earlier nights saw).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from .text import REPORTER_START, SENTENCE_END, closes_open_bracket, ends_closed, fold, is_bare, is_cjk, normalize_start
from .types import Line, Removal

_DIGITS = re.compile(r"[0-9０-９一二三四五六七八九十〇零]+")
_WEEKDAY = re.compile(r"(星期|周)[一二三四五六日天]")
# A masthead line: an issue date together with a page number or weekday ("人民日报 2020年7月3日
# 星期五 第4版", "2020.07.19 第02版"). At a page edge that is furniture whatever else it says.
_DATE_IN_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}")
_PAGE_NUMBER_IN_LINE = re.compile(r"第\s*[0-9０-９]{1,3}\s*版")
_PAGE_IN_LINE = re.compile(r"第\s*[0-9０-９]{1,3}\s*版?|(?:星期|周)[一二三四五六日天]")

# The role words of page credits (the traditional forms last: other regions' and earlier decades' pages).
_CREDIT_ROLES = (
    "责任编辑|责编|总编辑|主编|编辑|美编|美术编辑|版式设计|版式|视觉设计|版面设计|"
    "校对|审校|审读|排版|组版|图片编辑|制图|照排|监制|"
    "責任編輯|責編|編輯|美編|校對"
)
# Page credits: a role word followed by a colon, as printed at the foot of Chinese pages.
_CREDIT = re.compile(rf"(?:本版|版)?(?:{_CREDIT_ROLES})\s*[:：]")
# ... or, without the colons, a line of nothing but two or more role words, each with its names set
# apart by spaces ("编辑 孙红 校对 周平", as metro and regional papers print it).
_NAME = "[\u4e00-\u9fff·]{2,4}"
_CREDIT_RUN = re.compile(rf"^(?:(?:本版)?(?:{_CREDIT_ROLES})\s+{_NAME}(?:[\s、]+{_NAME})*?\s*){{2,}}$")
# Page furniture standing alone on a line: page numbers, dates, weekday, edition labels.
_FURNITURE = [
    # a Chinese numeral alone ("一") numbers a list; as a page number it comes with 第…版
    ("page_number", re.compile(r"^(?:第\s*)?[A-Za-z]?\s*[0-9０-９]{1,3}\s*版?$")),
    ("page_number", re.compile(r"^第\s*[一二三四五六七八九十]{1,3}\s*版$")),
    ("page_number", re.compile(r"^[-—－–\s]*[0-9０-９]{1,3}[-—－–\s]*$")),
    ("page_number", re.compile(r"^(?:(?:星期|周)[一二三四五六日天])?第[0-9０-９]{1,3}版$")),
    (
        "date_line",
        re.compile(
            r"^(?:[0-9０-９]{4}\s*年\s*)?[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日"
            r"(?:\s*(?:星期|周)[一二三四五六日天])?(?:\s*[农丁甲乙丙戊己庚辛壬癸].{0,12})?$"
        ),
    ),
    ("date_line", re.compile(r"^[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}$")),
]


@dataclass(frozen=True)
class BoilerplateConfig:
    # A short line seen this often on one page is a label (a section name printed eighteen times), not content. Three is
    # the least count that no intertitle or slogan reaches by chance in our development pages.
    label_min_repeats: int = 3
    # A repeated line *inside* the article flow (body text on both sides) must repeat more before
    # it is removed: an intertitle or a quoted slogan may legitimately recur two or three times.
    label_min_repeats_inside: int = 6
    # ... unless at least this many of its copies stand outside the flow (in a run of labels, at
    # the page edge): then it is a label everywhere on the page.
    label_min_outside: int = 2
    # Labels, running heads and credits are short. Longer lines that repeat are duplicated blocks
    # (the dedup stage's business) or content.
    label_max_chars: int = 16
    running_head_max_chars: int = 60
    credit_max_chars: int = 160
    # Page furniture (numbers, dates) lives at the page edges: the first/last this many lines.
    # Inside the page a date or a number alone on a line is content (a diary entry, a list).
    edge_lines: int = 3
    # Running heads are the outermost lines: a fixed box label ("核心阅读") two or three lines
    # into the page recurs across pages too, but sits under a headline, not above everything.
    running_head_edge_lines: int = 2
    # The tail of a credit or masthead wrapped onto the next line: a name's last characters, "版".
    furniture_tail_chars: int = 6
    # Lines whose digit-normalized form is on at least this many pages of an issue are running
    # heads when they sit at a page edge.
    running_head_min_pages: int = 2
    # ... and on at least this share of the pages: a running head is on (nearly) every
    # page, while a kicker or box label ("核心阅读") recurs on a few.
    running_head_min_share: float = 0.3


# A credit's source in brackets at its end ("制图：李栋（新华社发）"): the bracket closes the line, not a
# sentence (training pages: 4 such credit lines, all furniture; dev 2).
_TRAILING_SOURCE = re.compile(r"[（(][^（）()]{1,12}[）)]$")


def _credits(folded: str, clean: str) -> bool:
    """A line of page credits: a role word with its colon and no sentence ended before it (a
    paragraph that ends with its editor's credit, a wire story's "…。」（編輯：王大同）1090801", is
    article text; a masthead's "7月19日,某某融媒体中心总编辑:林白" is a credit), or role words
    without colons, each with its names."""
    m = _CREDIT.search(folded)
    return (m is not None and not any(ch in SENTENCE_END for ch in folded[: m.start()])) or bool(_CREDIT_RUN.match(clean))


def line_key(clean: str) -> str:
    """Digit-insensitive comparison key: running heads keep their wording, change their numbers."""
    return _DIGITS.sub("0", _WEEKDAY.sub("星期0", fold(clean)))


def find_boilerplate(
    pages: Sequence[tuple[Line, ...]],
    *,
    known: frozenset[str] = frozenset(),
    paragraph_starts: Sequence[frozenset[int]] | None = None,
    config: BoilerplateConfig = BoilerplateConfig(),
) -> tuple[dict[int, Removal], ...]:
    """For each page, line index → Removal for its boilerplate lines.

    ``known`` holds line keys (see ``line_key``) that recur in this publication's earlier issues.
    ``paragraph_starts`` (per page; default: every line) tells which lines stand alone: labels and
    running heads do, while in wrapped layout a short line ending a paragraph ("副主任医师)")
    belongs to the text above it however often it recurs."""
    keys = [[line_key(ln.clean) for ln in lines] for lines in pages]
    pages_with_key: Counter[str] = Counter()
    for lines, page_keys in zip(pages, keys):
        pages_with_key.update(set(page_keys) | set(_edge_pair_keys(lines, config)))

    min_pages = max(config.running_head_min_pages, math.ceil(config.running_head_min_share * len(pages)))
    out = []
    for p, (lines, page_keys) in enumerate(zip(pages, keys)):
        starts = paragraph_starts[p] if paragraph_starts is not None else frozenset(ln.index for ln in lines)
        alone = frozenset(
            ln.index for i, ln in enumerate(lines)
            if ln.index in starts and (i + 1 == len(lines) or lines[i + 1].index in starts)
        )  # fmt: skip
        out.append(_page_boilerplate(lines, page_keys, pages_with_key, known, alone, min_pages, config))
    return tuple(out)


def _page_boilerplate(
    lines: tuple[Line, ...],
    keys: list[str],
    pages_with_key: Counter[str],
    known: frozenset[str],
    alone: frozenset[int],
    min_pages: int,
    config: BoilerplateConfig,
) -> dict[int, Removal]:
    found: dict[int, Removal] = {}
    n = len(lines)
    folded = [fold(ln.clean) for ln in lines]
    # A label is printed again word for word on one page; lines that only share their wording
    # with the digits changed ("用地面积约为25.6万平方米", "9:00"/"14:00") are a list or a timetable.
    counts = Counter(folded)
    outside = Counter(k for j, k in enumerate(folded) if not _inside_flow(lines, folded, j, k))

    # Pass 1, anywhere on the page: credits and repeated labels.
    for i, (ln, key) in enumerate(zip(lines, keys)):
        size = len(folded[i])
        if size == 0:
            continue
        if size <= config.credit_max_chars and _credits(folded[i], ln.clean) and not ends_closed(_TRAILING_SOURCE.sub("", ln.clean.rstrip("。"))):
            found[i] = Removal("boilerplate", "credits")
            continue
        if (
            size <= config.label_max_chars and sum(map(str.isalnum, key)) >= 2 and ln.index in alone
            and counts[folded[i]] >= config.label_min_repeats and not ends_closed(ln.clean)  # labels are not sentences
            and not REPORTER_START.match(normalize_start(folded[i]))  # one reporter's byline over several articles
        ):
            if counts[folded[i]] >= config.label_min_repeats_inside or outside[folded[i]] >= config.label_min_outside:
                found[i] = Removal("boilerplate", "repeated_label", detail=f"x{counts[folded[i]]}")

    # Pass 2, at the page edges — counted past the lines pass 1 removed (a masthead above the
    # credits and a column of labels is still at the bottom of the page).
    rest = [i for i in range(n) if i not in found and folded[i]]
    from_top = {i: r for r, i in enumerate(rest)}
    rank = {i: min(r, len(rest) - 1 - r) for i, r in from_top.items()}
    for i in rest:
        ln, key, f = lines[i], keys[i], folded[i]
        size = len(f)
        if size > config.running_head_max_chars:
            continue
        standalone = ln.index in alone
        words = sum(map(str.isalnum, key))
        if rank[i] < config.edge_lines:
            furniture = next((name for name, rx in _FURNITURE if rx.match(f)), None) if standalone else None
            if furniture:
                found[i] = Removal("boilerplate", furniture)
                continue
            if _masthead(f):
                found[i] = Removal("boilerplate", "running_head", detail="masthead")
                continue
        elif standalone and _PAGE_NUMBER_IN_LINE.search(f) and _masthead(f) and is_bare(ln.clean):
            # A complete masthead (date and "第N版") alone on its line is furniture wherever an
            # engine's reading order put it: training pages, 96 such lines inside the page, all
            # furniture (a decree's "…2019年12月4日国务院第73次" has no 版; dev 24 of 24).
            found[i] = Removal("boilerplate", "running_head", detail="masthead, inside the page")
            continue
        # A running head is above everything: a line under the page's first line (at the top edge),
        # when that line is kept text (a headline), is a box label inside the article ("核心阅读" right under its
        # headline recurs on many pages of an issue and in the publication's table). Dev pages: the
        # 13 such labels removed as running heads are kept, nothing else changes (boilerplate P
        # 0.988 -> 0.991, recall unchanged; on the seed-21 composition 0.981 -> 0.983).
        under_text = 0 < from_top[i] < config.running_head_edge_lines and rest[0] not in found
        if rank[i] < config.running_head_edge_lines and words >= 2 and not ln.heading and standalone and _standalone(lines, i) and not under_text:
            if pages_with_key[key] >= min_pages or key in known:
                found[i] = Removal("boilerplate", "running_head")
                continue
        # A masthead or running head wrapped over two printed lines at the page edge: read the
        # line with the next one ("人民日报 2020年7月14日 星期" + "二 第1版").
        j = i + 1
        if (
            rank[i] < config.edge_lines and j < n and j in rank and rank[j] < config.edge_lines and j not in found
            and not ln.heading and _standalone(lines, i) and not ends_closed(ln.clean)
            and size + len(folded[j]) <= config.running_head_max_chars
        ):
            pair = f + folded[j]
            pair_key = line_key(lines[i].clean + lines[j].clean)
            if (
                _masthead(pair) and not _masthead(folded[j])
                and all(any(ch.isdigit() for ch in x) for x in (f, folded[j]))  # both hold part of the date or page
            ):
                found[i] = found[j] = Removal("boilerplate", "running_head", detail="masthead, wrapped")
            elif rank[i] < config.running_head_edge_lines and (pages_with_key[pair_key] >= min_pages or pair_key in known):
                found[i] = found[j] = Removal("boilerplate", "running_head", detail="wrapped")
    # A credit or masthead wrapped onto a second printed line leaves a short tail there ("…版式设计：黄华"
    # + "超"): at the page edge, that tail is part of the furniture. A blank line ends the wrapped
    # line: what follows it is the page's first headline ("我家门前" under a complete masthead).
    # Training pages (2020-01..06): of the tails after a blank line 33 were article text, 13 stray
    # marks (the noise stage's), 1 furniture; of those without one 152 furniture, 14 marks, 3 text.
    # A line set as a heading or in bold is set in another type than the furniture: not its tail
    # (training 1, dev 1, both a column's headline under the masthead; no furniture).
    for i in sorted(found):
        j = i + 1
        if (
            j < n and j not in found and found[i].reason in ("credits", "running_head")
            and not lines[j].blank_before and not lines[j].heading and not lines[j].bold  # the next element
            and 0 < len(folded[j]) <= config.furniture_tail_chars
            and all(ch.isalnum() for ch in folded[j])  # a name's last characters, "版"; not "浙江杭州——"
            and rank.get(j, config.edge_lines) < config.edge_lines
            and not ends_closed(lines[i].clean)
        ):
            found[j] = Removal("boilerplate", found[i].reason, detail="wrapped tail")
    return found


def _masthead(folded: str) -> bool:
    return bool(_DATE_IN_LINE.search(folded) and _PAGE_IN_LINE.search(folded))


def _edge_pair_keys(lines: tuple[Line, ...], config: BoilerplateConfig) -> list[str]:
    """Keys of two consecutive lines read as one, at the page edges: a running head that a
    line-wrapping engine printed over two lines (its wrapping point varies from page to page)."""
    n = len(lines)
    edge = [i for i in range(n - 1) if i < config.edge_lines or i >= n - 1 - config.edge_lines]
    return [line_key(lines[i].clean + lines[i + 1].clean) for i in edge]


def find_noise(lines: tuple[Line, ...], starts: frozenset[int] | None = None) -> dict[int, Removal]:
    """Stray marks: lines of one character, or of symbols only, that rules, pictures and page
    ornaments leave in OCR output. A lone sentence-final mark may end a wrapped paragraph and stays;
    so does a lone Chinese character right after a line that ends mid-sentence (the last character
    of a wrapped paragraph: "…版式设计：黄华" + "超"), a lone closing mark that closes a bracket or
    quote left open in the lines right before it (a headline's "…（国际视点" + "）", a quoted
    paragraph's "”"), a character the engine printed as a heading or in bold (a section number
    "**二**": typeset text, not a rule or a picture's edge), and a lone numeral whose neighbour in
    the sequence the page also prints alone ("一" … "二" … "三": section numbers, ``_section_numbers``).
    Symbols that end a sentence right under a line that left it open ("…增长3.2" + "%。", "…的" + "。”")
    are the wrapped paragraph's last characters: dev pages, noise precision 0.924 -> 0.956 (recall
    unchanged; seed-21 composition 0.922 -> 0.959). With ``starts`` (the page's paragraph starts,
    ``blocks.paragraph_starts``), a lone box or rule mark (``BOX_MARKS``) after a line left open is
    the wrapped paragraph's last character only when the paragraph goes on onto it (the line above
    fills its column): after a short line (a head, a reporter's line) it is a stray."""
    found: dict[int, Removal] = {}
    numbers = _section_numbers(lines)
    for i, ln in enumerate(lines):
        f = fold(ln.clean)
        if not f or ln.heading or ln.bold or i in numbers:
            continue
        has_word = any(ch.isalnum() and ch not in RULE_MARKS for ch in f)
        if not ((len(f) == 1 and not ends_closed(f)) or not has_word and not all(ch in "。.!?！？…" for ch in f)):
            continue  # not a stray mark's shape (the exceptions below need not be read)
        if not ln.blank_before and closes_open_bracket(_paragraph_before(lines, i), ln.clean):
            continue
        after_open = i > 0 and not ln.blank_before and not ends_closed(lines[i - 1].clean)
        if len(f) == 1 and is_cjk(f) and f not in RULE_MARKS and after_open:
            if not (f in BOX_MARKS and starts is not None and ln.index in starts):
                continue
        if not has_word and after_open and (len(f) > 1 and f[-1] in _TAIL_END or all(ch in TEXT_MARKS for ch in f)):
            continue  # the wrapped end of the sentence above ("…增长3.2" + "%。", "…的" + "。”", "…保函" + "；")
        if len(f) == 1 and f.isascii() and f.isalnum() and not ln.blank_before and i > 0 and _ends_latin(lines[i - 1].clean):
            continue  # the wrapped end of an address or a number ("…@163.co" + "m", "…883119" + "0")
        if not has_word and not ln.blank_before and i > 0 and all(ch in _CLOSING_MARKS for ch in f):
            continue  # a quotation's closing mark under its last sentence ("…净化心灵。" + "”")
        found[ln.index] = Removal("noise", "stray_mark")
    return found


def _ends_latin(text: str) -> bool:
    """Ends with an ASCII letter, digit or full stop: a wrapped e-mail address, web address or number
    goes on on the next line (a lone ASCII letter or digit under such a line: training pages 5 times
    text, never a stray, dev 2 text; under other lines, training: 187 strays, 12 text)."""
    t = fold(text)
    return bool(t) and t[-1].isascii() and (t[-1].isalnum() or t[-1] == ".")


# Characters an engine reads a printed rule as, which running text does not use alone: "丨" (U+4E28,
# a dictionary radical) is a rule wherever it stands alone on a line, even after a line left open
# (on the composed training pages' gold, 190 lone "丨" lines, all noise; dev 38 of 38; the exception
# for a wrapped paragraph's last character kept 2 of the dev ones, one under a kicker "…——").
RULE_MARKS = frozenset("丨")
# Characters an engine reads a picture's box ("口" for □) or a short rule ("一") as, which are also
# text. Alone on a line after a line left open, on the composed training pages (2020-01..06): where
# the column-width rule starts a paragraph (the line above is short) 50 of 50 were strays; where
# it carries the paragraph on, 3 strays and no text (dev: 22 of 22 strays, and 1 "一" of text
# after a full line); the other characters alone where the rule starts a paragraph were text 14
# times, never a stray.
BOX_MARKS = frozenset("口一")
# What ends a wrapped paragraph's last line: a sentence's final mark, with a closing quote after it.
_TAIL_END = frozenset("。！？!?…”’」』")
# Marks that only punctuate text (no rule or ornament is read as them): alone on a line right under
# a line left open, the engine wrapped before the sentence's mark. Composed training pages
# (2020-01..06), such lines under an open line: "；" 10, "%" 27, "：" 5, "—" 24 (half of a "——"),
# "”" 189, all text; the ornaments ("-", "_", "|", "·", "■") there were strays 154 times of 154.
TEXT_MARKS = frozenset("，,、；;：:。.！!？?%％—…”’」』）)》")
# ... and those that close a sentence or a quotation, which also stand under a line that ended its
# sentence: "”" 147 times, "。" 66 (after "…大事”"), all text (the lookback of ``closes_open_bracket``
# misses a quotation opened more than _CLOSER_LOOKBACK lines up).
_CLOSING_MARKS = frozenset("。.…”’」』）)》！!？?")
_NUMERALS = {ch: n for n, ch in enumerate("一二三四五六七八九十", start=1)} | {str(n): n for n in range(1, 10)}


def _section_numbers(lines: tuple[Line, ...]) -> set[int]:
    """Positions of lone numeral lines ("一", "二", "3") that number an article's sections: the page
    prints the next or the previous number of the sequence alone too, in order. A lone "一" with no
    "二" after it is as likely a printed rule the engine read as a character."""
    lone = [(i, _NUMERALS[f]) for i, ln in enumerate(lines) if (f := fold(ln.clean)) in _NUMERALS]
    out = set()
    for k, (i, v) in enumerate(lone):
        if any(w == v + 1 for _, w in lone[k + 1 :]) or any(w == v - 1 for _, w in lone[:k]):
            out.add(i)
    return out


# Lines looked back over for the bracket a lone closing mark closes: a quoted paragraph wraps
# onto a few lines ("…“" + "俺算是认准了…！" + "”").
_CLOSER_LOOKBACK = 4


def _paragraph_before(lines: tuple[Line, ...], i: int) -> str:
    """The text of the lines right before line ``i`` up to a blank line (at most _CLOSER_LOOKBACK)."""
    parts: list[str] = []
    for j in range(i - 1, max(i - 1 - _CLOSER_LOOKBACK, -1), -1):
        parts.append(lines[j].clean)
        if lines[j].blank_before:
            break
    return "".join(reversed(parts))


def _standalone(lines: tuple[Line, ...], i: int) -> bool:
    """Not the continuation of a wrapped paragraph: the line before it (if any) ends a sentence, is
    blank-separated, or is much shorter than this one's paragraph would need."""
    if i == 0 or lines[i].blank_before:
        return True
    prev = lines[i - 1].clean
    return ends_closed(prev) or len(prev) < 0.5 * len(lines[i].clean) or not prev


def _inside_flow(lines: tuple[Line, ...], keys: list[str], i: int, key: str) -> bool:
    """True when line i sits between two lines of running text (not labels of its own kind)."""
    size = len(lines[i].clean)

    def texty(j: int) -> bool:
        return 0 <= j < len(lines) and keys[j] != key and len(lines[j].clean) >= 2 * size

    return texty(i - 1) and texty(i + 1)


# Removal reasons that mark page furniture worth remembering across issues of a publication.
RECURRING_REASONS = ("running_head", "credits", "page_number", "date_line")


