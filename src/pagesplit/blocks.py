"""Page text → physical lines (with markup read off) → blocks (paragraphs).

Two layouts occur in OCR exports:

* ``paragraph``: one paragraph per text line (often blank-line separated), as the seed page.
* ``wrapped``: one *printed* line per text line, 15–40 characters in a Chinese column, paragraphs
  separated by a blank line, or by nothing at all (then a paragraph ends at final punctuation
  on a line shorter than the column).

Lists are read entry by entry in wrapped layout: rows of a name list (``某　某（女）　某医院院长``)
each start a paragraph, and a long run of bare lines (no clause or sentence punctuation: units,
titles) is cut after every line that does not fill the list's column, and after a line that fills
it but ends the way the list's own complete entries end (党委, 公司); a name list's section heads
("山西省") stand alone.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from .columns import split_columns
from .features import _CAPTION_END, byline_shaped, compact_head
from .roles import BYLINE_MAX_CHARS, REPORT_KIND
from .text import (
    DATELINE_DATE, LIST_ROW, NEWS_DATE, NOT_A_DIAN_WORD, REPORTER_START, closes_open_bracket, drop_cjk_spaces, ends_closed, is_bare,
    LATIN_TAIL_CHARS, ORNAMENT_CHARS, join_wrapped, leading_unmatched_closer, normalize_start, repair_brackets,
)
from .types import Block, Line, Removal

# (the paragraph so far, the text of the lines from the next one) -> does the paragraph end before it?
Breaks = Callable[[str, str], bool]

# Width of a half-width (ASCII) character in full-width cells. Print sets digits and Latin letters
# in about half a cell, but OCR line breaks of composed pages count characters; 1.0 measured better
# on the development pages (wrapped text similarity 0.581 vs 0.574 at 0.5).
ASCII_CELL = 1.0

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_HEADING = re.compile(r"^(#{1,6})\s*")
_BOLD = re.compile(r"^\*\*(.+?)\*\*$", re.S)
# A news dateline ("本报北京7月3日电", "新华社北京7月6日电", "本报讯", "本报电") opens its article's
# first paragraph: a line that starts with one never goes on from the line before, however full that
# line is (a headline or a subheadline wrapped to the column's width). The paper or agency and the
# "电" after a date keep it apart from a multi-city dateline's wrapped tail ("…约|翰内斯堡7月26日电")
# and from a credit ("新华社记者 程兰建摄"). On 2,693 pages composed from the training months with
# seed 14 (another rendering than `make train`'s), 1,071 wrapped lines start with 本报/新华社/中新社
# … 日电 or 本报讯, every one a paragraph's first, and the width rule had run 19 of them on (dev: 4
# of 344); the other papers' and sites' forms and 本报电 start 164 more lines (54 of them wrapped),
# every one a paragraph's first.
_DATELINE = re.compile(
    r"^(?:本报讯|本报电(?![子视])|本刊讯|(?:本报|本刊|新华社|中新社|中新网|人民网|新华网|央视网|[\u4e00-\u9fff]{2,4}日报)"
    r"[^，。,；;]{0,12}?" + DATELINE_DATE + "电" + NOT_A_DIAN_WORD + ")"
)


@dataclass(frozen=True)
class LayoutConfig:
    # A page is 'wrapped' when its typical line is column-sized and most lines end mid-sentence.
    # Column lines of Chinese papers are 15–40 characters; paragraph-per-line pages have a median
    # line of 80+ characters (the seed page: ~150), so 45 separates the two with a wide margin.
    wrapped_max_median: int = 45
    # In paragraph layout almost every line ends closed; in wrapped layout most lines end open
    # (only a paragraph's last line is closed: ~1 in 4 for 4-line paragraphs). Counted over the
    # lines at least as long as the median: a paragraph page's open lines are its short heads,
    # bylines and credits, which on a page of few paragraphs outnumber them. On the 4,016 composed
    # training, dev and seed-21 pages, 41 paragraph pages were read as wrapped counting every line,
    # 21 counting these (tiny pages and name lists), every wrapped page still wrapped (lowest share
    # 0.62).
    wrapped_min_open_share: float = 0.5
    # In wrapped layout, a line shorter than this share of the column width ends its paragraph
    # (justified column text fills the line; 0.9 leaves room for a hanging punctuation mark and
    # for OCR dropping a character or two).
    last_line_ratio: float = 0.9
    # ...and a line that ends a sentence (final punctuation) ends its paragraph unless it fills the
    # column. A paragraph's last line is closed and a line inside one rarely ends exactly on a
    # sentence's end: on the dev pages' wrapped body lines, closed lines at 0.90–0.97 of the local
    # column ended their paragraph 274 times against 80, closed full lines (≥ 0.97) 156 against
    # 1004; open lines at 0.90–0.97 went on 3556 against 183 (hence two bars). On 163 dev pages
    # join precision 0.60 → 0.67 at 0.97, 0.69 at 1.0 (which lost exact articles).
    closed_line_ratio: float = 0.97
    # Lines each side of a line that measure its column's width (a page mixes column widths).
    width_window: int = 4
    # No newspaper column is narrower than this (cells); a run of short labels is not a column.
    min_column: float = 8.0
    # A line this much wider than its column is set across columns: a headline.
    overlong_ratio: float = 1.15
    # Lines from the next one on that ``breaks`` reads (the next sentence's opening: a column line
    # holds 15-40 characters, the model reads up to ``parabreaks.NEXT_CHARS`` = 60).
    break_next_lines: int = 3
    # A list row starts its own paragraph when another row is this close (lines): one row alone
    # may be a prose line whose first gap the OCR filled with an ideographic space.
    list_window: int = 3
    # This many bare lines in a row (no clause or sentence punctuation), of unequal widths, are a
    # list of entries (units, names), a line each. Prose lines carry a comma every dozen characters
    # or so, and the lines of a paragraph fill the column: both fail together only by accident. A
    # head of an article (kicker, a headline and a subheadline wrapped onto two lines each, a
    # byline) is up to six or seven bare lines: hence eight.
    bare_run: int = 8
    # ...and "unequal" means the longest and the shortest differ by at least this (cells).
    bare_spread: float = 3.0
    # An entry filling the list's column to within this (cells) was wrapped: it goes on (a wrapped
    # line may be a cell short or over: jitter; an entry two cells short of the column is whole).
    bare_wrap_slack: float = 1.0
    # A list is wrapped at a column when this share of its widest quarter of lines (at least
    # column_sample lines) is within a cell of one width (dev lists: 0.97 and 0.99 wrapped, 0.42
    # an entry per line).
    list_column_share: float = 0.6
    column_sample: int = 4
    # An entry may fill the column exactly and still be whole ("河东区大直沽街道汇贤里社区党委" in
    # a 15-cell column): a line filling the column ends its entry when it ends the way at least
    # list_ending_min of the list's plainly complete entries (their last line short of the column)
    # end, over their last list_ending_chars characters. Units end in a few words (党委, 党支部,
    # 公司, 医院, 中心); a wrapped line ends mid-name ("…京港澳高速|窦店公安检查站党支部").
    list_ending_chars: int = 2
    list_ending_min: int = 2
    # ...unless the next line is a tail of at most this many cells that ends entries more often
    # ("…奥城社区|党委": 社区 ends some entries, 党委 many more): an entry that short is rare.
    list_tail_cells: float = 3.0
    # Some exports put a blank line between paragraphs (and nowhere else): a page whose width-rule
    # paragraph ends are followed by a blank line this often is read that way, a line without one
    # going on from the line before. On 596 composed training pages the share is bimodal (0.00 or
    # 0.88–1.00); on such pages lines the width rule would cut without a blank line continued
    # their paragraph 248 times against 14.
    blank_delimited_share: float = 0.7
    # ... measured over at least this many width-rule paragraph ends (a few are no evidence).
    blank_delimited_min: int = 5
    # An export that puts a blank line after (nearly) every line says nothing with them: above
    # this share of lines they are ignored and the width rule alone reads the paragraphs.
    blank_every_line_share: float = 0.9
    # Paragraph indents (``_indented``): two ideographic spaces are 4 half-width columns, as are four
    # ASCII spaces; 2..8 admits one to two characters either way. Wider leading space centres a
    # headline or right-aligns a credit.
    indent_min: int = 2
    indent_max: int = 8
    # ... a page indents its paragraphs when at least this many lines are so indented (a stray
    # leading space or two is no layout) ...
    indent_min_lines: int = 3
    # ... and at most this share of its lines (more is a margin: a page of one-line paragraphs
    # indented throughout reads by its lines anyway).
    indent_max_share: float = 0.6


def read_lines(text: str) -> tuple[Line, ...]:
    """Every non-blank physical line, with offsets of its non-space extent and its markup; rows an
    engine read across columns are cut into their columns' cells, in column order
    (``columns.split_columns``)."""
    out: list[Line] = []
    pos = 0
    blank = True
    for m in _LINE.finditer(text):
        chunk = m.group(0)
        if not chunk:
            break
        body = chunk.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            blank = True
            pos += len(chunk)
            continue
        lead = len(body) - len(body.lstrip())
        start = pos + lead
        end = start + len(stripped)
        heading = 0
        bold = False
        inner = stripped
        hm = _HEADING.match(inner)
        if hm:
            heading = len(hm.group(1))
            inner = inner[hm.end():]
        bm = _BOLD.match(inner.strip())
        if bm:
            bold = True
            inner = bm.group(1)
        clean = drop_cjk_spaces(repair_brackets(inner.replace("**", "").strip()))
        out.append(
            Line(
                index=len(out),
                start=start,
                end=end,
                raw=stripped,
                clean=clean,
                heading=heading,
                bold=bold,
                blank_before=blank,
                indent=sum(2 if ch == "\u3000" else 4 if ch == "\t" else 1 for ch in body[:lead]),
            )
        )
        blank = False
        pos += len(chunk)
    return split_columns(text, out)


def detect_layout(lines: tuple[Line, ...], config: LayoutConfig = LayoutConfig()) -> str:
    body = [ln for ln in lines if len(ln.clean) >= 8 and not ln.heading and not ln.bold]
    if len(body) < 4:
        return "paragraph"
    median = statistics.median(len(ln.clean) for ln in body)
    full = [ln for ln in body if len(ln.clean) >= median]
    open_share = sum(not ends_closed(ln.clean) for ln in full) / len(full)
    if median <= config.wrapped_max_median and open_share >= config.wrapped_min_open_share:
        return "wrapped"
    return "paragraph"


def build_blocks(
    lines: tuple[Line, ...],
    removals: dict[int, Removal],
    layout: str,
    config: LayoutConfig = LayoutConfig(),
    *,
    starts: frozenset[int] | None = None,
) -> tuple[Block, ...]:
    """Group lines into blocks. A removed line is a block of its own (consecutive removed lines of
    the same kind and reason are one block in wrapped layout); kept lines form paragraphs."""
    starts = paragraph_starts(lines, layout, config) if starts is None else starts
    groups: list[list[Line]] = []
    group_removal: list[Removal | None] = []
    for ln in lines:
        rem = removals.get(ln.index)
        if groups:
            prev_rem = group_removal[-1]
            if rem is not None or prev_rem is not None:
                same = (
                    layout == "wrapped"
                    and rem is not None
                    and prev_rem is not None
                    and rem.kind == prev_rem.kind
                    and rem.reason == prev_rem.reason
                    and rem.duplicate_of == prev_rem.duplicate_of
                    and not ln.blank_before
                )
                if same:
                    groups[-1].append(ln)
                    continue
            elif ln.index not in starts:
                groups[-1].append(ln)
                continue
        groups.append([ln])
        group_removal.append(rem)

    blocks = []
    for i, (group, rem) in enumerate(zip(groups, group_removal)):
        text = _join_lines([ln.clean for ln in group])
        blocks.append(
            Block(
                index=i,
                start=group[0].start,
                end=group[-1].end,
                text=text,
                lines=tuple(ln.index for ln in group),
                heading=group[0].heading,
                bold=group[0].bold,
                removal=rem,
                blank_before=group[0].blank_before,
            )
        )
    return tuple(blocks)


def paragraph_starts(
    lines: tuple[Line, ...], layout: str, config: LayoutConfig = LayoutConfig(), *, breaks: Breaks | None = None
) -> frozenset[int]:
    """Indices of the lines that begin a paragraph (every line, in paragraph layout).

    In wrapped layout a paragraph goes on while its lines fill the column. The column width is
    measured *locally* (pages mix wide and narrow columns): the second-longest line among the
    neighbours, in display width (half-width characters count half, OCR spaces nothing). A page
    whose blank lines fall where the width rule ends paragraphs is read by its blank lines instead
    (headings and short lines inside a paragraph then stay whole); blank lines after nearly every
    line are ignored. ``breaks`` (``parabreaks.BreakModel.ends_paragraph``) decides where a full
    line ends a sentence, on pages that do not indent their paragraphs (an indent tells, and its
    absence says the paragraph goes on)."""
    if layout != "wrapped":
        # a line that closes the bracket the line right before it left open goes on from it (on
        # 596 composed training pages it did every time: 3 of 3 in paragraph layout, 2,405 of
        # 2,405 in wrapped layout, where the width rule below misses those of a head or a short
        # line). Across a blank line it is a column break's continuation (74 times) or the
        # continuation of a copy of the paragraph (the seed's line 139 + 141): repair's to join.
        return frozenset(
            ln.index for i, ln in enumerate(lines) if i == 0 or not _closes_previous(lines[i - 1], ln)
        )  # fmt: skip
    widths = [display_width(ln.clean) for ln in lines]
    listed = set(_list_starts(lines, widths, config))
    indented = _indented(lines, config)
    if indented:
        breaks = None
    blanks = {ln.index for ln in lines[1:] if ln.blank_before}
    if not blanks or (
        len(blanks) > config.blank_every_line_share * (len(lines) - 1) and len(lines) > config.blank_delimited_min
    ):
        # no blank lines, or one after every line: the width rule
        return _width_starts(lines, widths, listed, config, use_blanks=False, breaks=breaks) | indented
    by_width = _width_starts(lines, widths, listed, config, use_blanks=False)
    ends = by_width - {lines[0].index}
    if len(ends) >= config.blank_delimited_min and len(ends & blanks) >= config.blank_delimited_share * len(ends):
        return frozenset(
            ln.index for i, ln in enumerate(lines)
            if i == 0 or ln.index in listed or ln.blank_before or _marked_or_repeated(lines[i - 1], ln)
        ) | indented  # fmt: skip
    return _width_starts(lines, widths, listed, config, use_blanks=True, breaks=breaks) | indented


def _indented(lines: tuple[Line, ...], config: LayoutConfig) -> frozenset[int]:
    """The lines a page indents as its paragraphs' first lines, when it indents them: the exports
    that keep a printed page's layout put the first line of every paragraph two characters in, which
    tells a paragraph that ends at the end of a full line from one that goes on (the width rule
    cannot). An indent is measured from the page's own margin (its least indented line) and is
    ``indent_min``..``indent_max`` half-width columns; a page indents its paragraphs when at least
    ``indent_min_lines`` of its lines are so indented and at most ``indent_max_share`` (a margin)."""
    if len(lines) < config.indent_min_lines:
        return frozenset()
    margin = min(ln.indent for ln in lines)
    out = frozenset(ln.index for ln in lines if config.indent_min <= ln.indent - margin <= config.indent_max)
    if len(out) < config.indent_min_lines or len(out) > config.indent_max_share * len(lines):
        return frozenset()
    return out


def _marked_or_repeated(prev: Line, ln: Line) -> bool:
    """A line that starts a paragraph whatever the page's blank lines say: heading markup either
    side, a dash-led line, a label printed again."""
    return bool(ln.heading or ln.bold or prev.heading or prev.bold or ln.clean.startswith("——") or ln.clean == prev.clean)


def _width_starts(
    lines: tuple[Line, ...], widths: list[float], listed: set[int], config: LayoutConfig, *, use_blanks: bool,
    breaks: Breaks | None = None,
) -> frozenset[int]:
    """Paragraph starts by the column-width rule (``_continues``); blank lines start a paragraph
    when ``use_blanks``. Where a line the rule runs on ends a sentence, ``breaks(paragraph so far,
    the next lines)`` may still end the paragraph there (``parabreaks``)."""
    starts = set()
    group_width = 0.0  # widest line of the paragraph being read (once it has two lines)
    group_lines = 0
    group_text: list[str] = []  # the paragraph's lines so far (for ``breaks``)
    for i, ln in enumerate(lines):
        if i > 0 and ln.index not in listed:
            width = group_width if group_lines >= 2 else _local_width(lines, widths, i - 1, config)
            prev = lines[i - 1]
            if _continues(prev, ln, widths[i - 1], widths[i], width, config, use_blanks=use_blanks) and not (
                breaks is not None
                and _sentence_ends_at_line_end(prev, ln)
                and breaks("".join(group_text), "".join(x.clean for x in lines[i : i + config.break_next_lines]))
            ):
                group_width = max(group_width, widths[i])
                group_lines += 1
                group_text.append(ln.clean)
                continue
        starts.add(ln.index)
        group_width, group_lines, group_text = widths[i], 1, [ln.clean]
    return frozenset(starts)


def _sentence_ends_at_line_end(prev: Line, ln: Line) -> bool:
    """``prev`` ends a sentence and nothing in ``ln`` says it goes on from it (closing its bracket,
    opening with punctuation): the one place the width rule cannot tell a paragraph's end."""
    return ends_closed(prev.clean) and not _closes_previous(prev, ln) and not _GOES_ON_START.match(ln.clean)


def _list_starts(lines: tuple[Line, ...], widths: list[float], config: LayoutConfig) -> list[int]:
    """Lines that start an entry of a list: rows of a name list (a row wrapped onto a second line
    keeps it), and in a run of bare lines of unequal widths, each line after one that does not
    fill the list's column."""
    # rows of a name list ("刘　筠（女）　某医院副院长"): text.LIST_ROW on the raw line with the OCR's
    # ASCII spaces taken out, so that only typeset (ideographic) spaces separate the name
    rows = [i for i, ln in enumerate(lines) if LIST_ROW.match(ln.raw.replace(" ", ""))]
    out = [
        lines[i].index for k, i in enumerate(rows)
        if (k > 0 and i - rows[k - 1] <= config.list_window) or (k + 1 < len(rows) and rows[k + 1] - i <= config.list_window)
    ]  # fmt: skip
    named = set(out)  # a name list's rows (their wrapped second lines follow them as usual)
    out.extend(_headers_after_rows(lines, widths, [i for i in rows if lines[i].index in named], config))
    run: list[int] = []
    for i in range(len(lines) + 1):
        if (
            i < len(lines) and not lines[i].heading and not lines[i].bold and lines[i].index not in named
            and is_bare(lines[i].clean)
        ):  # fmt: skip
            run.append(i)
            continue
        ranked = sorted((widths[j] for j in run), reverse=True)
        if len(run) >= config.bare_run and ranked[0] - ranked[-1] >= config.bare_spread:
            # An entry filling the list's column goes on into the next line, a shorter one is complete.
            column, widest = _list_column(ranked, config)
            # A list printed an entry per line has no column: its widest lines differ.
            wrapped = sum(abs(w - column) <= 1 for w in widest) >= config.list_column_share * len(widest)
            full = [widths[j] >= column - config.bare_wrap_slack for j in run]
            endings = _entry_endings(lines, run, full, config) if wrapped else Counter()
            out.extend(
                lines[j].index for k, j in enumerate(run[1:]) if not wrapped or not full[k]
                or _ends_entry(lines, j - 1, widths[j], endings, config)
            )
        run = []
    return out


def _list_column(ranked: list[float], config: LayoutConfig) -> tuple[float, list[float]]:
    """A list's column and the widths it was read from: the commonest width among the widest
    quarter of its lines (``ranked``: their widths, widest first; wrapped entries fill the column, a
    running head or a title in the list is wider, but alone)."""
    widest = ranked[: max(config.column_sample, len(ranked) // 4)]
    top = Counter(widest)
    return max(top, key=lambda w: (top[w], w)), widest


def _ending(lines: tuple[Line, ...], i: int, config: LayoutConfig) -> str:
    """The last ``list_ending_chars`` characters of the entry whose text line ``i`` ends (reaching
    back into the line before when line ``i`` is shorter: a wrapped entry's last character alone)."""
    tail = lines[i].clean.replace(" ", "")
    if len(tail) < config.list_ending_chars and i > 0:
        tail = lines[i - 1].clean.replace(" ", "") + tail
    return tail[-config.list_ending_chars :]


_CLAUSE_OPEN = tuple("，,、；;：:")


def _headers_after_rows(lines: tuple[Line, ...], widths: list[float], rows: list[int], config: LayoutConfig) -> list[int]:
    """Section heads of a name list ("山西省" after "…居委会主任"): a short bare line after a row
    that is short of the list's column, or fills it and ends the way the list's plainly complete
    rows end (the width rule alone measures the column among the neighbours, short rows too)."""
    if len(rows) < config.bare_run:
        return []
    # a row's last line: the line before the next row (the row itself or its wrapped second line)
    last = [r - 1 for r in rows[1:] if r - 1 >= 0]
    column, _ = _list_column(sorted((widths[i] for i in rows), reverse=True), config)
    full = [widths[i] >= column - config.bare_wrap_slack for i in last]
    endings = _entry_endings(lines, last, full, config)
    is_row = set(rows)
    return [
        lines[i + 1].index for i in rows
        if i + 1 < len(lines) and (i + 1) not in is_row and is_bare(lines[i + 1].clean)
        and not lines[i].clean.endswith(_CLAUSE_OPEN)  # "…副院长，|副主任医师" goes on
        and widths[i + 1] < column - config.bare_wrap_slack
        and _ends_entry(lines, i, widths[i + 1], endings, config, short=widths[i] < column - config.bare_wrap_slack)
    ]  # fmt: skip


def _ends_entry(
    lines: tuple[Line, ...], i: int, next_width: float, endings: Counter, config: LayoutConfig, *, short: bool = False
) -> bool:
    """Does the list line ``i`` end its entry? A line short of the column does; one filling it does
    when its ending is one of the list's complete-entry endings. Either way, when the next line is a
    tail of a few characters ("党委" after "…奥城社区", "医师" after "…主任，主任"), only if line ``i``
    ends more like an entry than that tail would end it."""
    own = endings[_ending(lines, i, config)]
    if not short and own < config.list_ending_min:
        return False
    return next_width > config.list_tail_cells or own > endings[_ending(lines, i + 1, config)]


def _entry_endings(lines: tuple[Line, ...], run: list[int], full: list[bool], config: LayoutConfig) -> Counter:
    """How the list's plainly complete entries end (those whose last line is short of the column):
    the list's own vocabulary of endings (\"党委\", \"公司\", \"主任\"), counted afresh on every list."""
    return Counter(_ending(lines, j, config) for j, f in zip(run, full) if not f)


_WHITESPACE = re.compile(r"\s+")
_ASCII_CHARS = re.compile(r"[\x00-\x7f]+")


def display_width(text: str) -> float:
    """Printed width in full-width character cells."""
    # Counted with two regex passes (\s is exactly str.isspace); equal to adding the cells one by
    # one while ASCII_CELL is a multiple of a power of two like 1.0 or 0.5 (every sum is exact).
    t = _WHITESPACE.sub("", text)
    n_wide = len(_ASCII_CHARS.sub("", t))
    return n_wide * 1.0 + (len(t) - n_wide) * ASCII_CELL


def _local_width(lines: tuple[Line, ...], widths: list[float], i: int, config: LayoutConfig) -> float:
    lo, hi = max(0, i - config.width_window), min(len(lines), i + config.width_window + 1)
    near = sorted((widths[j] for j in range(lo, hi) if not lines[j].heading and not lines[j].bold), reverse=True)
    if len(near) < 3:
        return max(near[0] if near else 0.0, config.min_column)
    return max(near[1], config.min_column)


# A bare line ending with a bracketed label that is no credit, no dateline and no "简称"
# definition: a column's name closing its headline ("（国际视点）", "（一线行走）").
_COLUMN_LABEL = re.compile(r"[（(]([^（()）]{2,16})[）)]$")
_NOT_A_LABEL = re.compile(r"记者|电|摄|通讯员|供图|新华社|本报|简称")


def _ends_with_column_label(text: str) -> bool:
    m = _COLUMN_LABEL.search(text)
    return m is not None and is_bare(text) and not _NOT_A_LABEL.search(m.group(1))


# A line opening with an ornament (geometric shapes, stars, bullets).
_ORNAMENT_START = re.compile(f"^[{ORNAMENT_CHARS}]")


# A line that is a photographer's credit with the photo agency's name in brackets, whitespace taken
# out: "张三摄（人民视觉）", "新华社记者李四摄(影像中国)" — no sentence before it on the line (a caption's
# last words and its credit on one line go on in the caption's paragraph).
_AGENCY_CREDIT = re.compile(r"^[^。，,；;！!？?：:“”]{1,12}摄[（(][^（）()]{2,10}[）)]$")


# A numbered section or entry's first line.
_ORDINAL_START = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[，,、])")
# What never opens a paragraph: a comma, an enumeration comma, a semicolon, a colon, a full stop,
# a closing quote or bracket, an exclamation or question mark.
_GOES_ON_START = re.compile(r"^[，,、；;：:。”’）)！？!?]")
# A news lead's opening date ("7月6日，", "2019年10月24日上午,"), whitespace taken out.
_DATE_LEAD = re.compile(r"^(?:[0-9０-９]{4}年)?" + NEWS_DATE + r"(?:上午|下午|晚|晚间|凌晨|清晨|中午|夜间)?[，,]")
# An article of a law or regulation printed in full ("第五十六条　共产主义青年团……").
_LAW_ARTICLE_START = re.compile(r"^第[一二三四五六七八九十百零〇]{1,6}条")


# Text before a column label on a line that is a whole headline (see ``_continues``).
LABELLED_HEAD_MIN_CHARS = 6


def _ends_with_label(text: str) -> bool:
    """A column label after LABELLED_HEAD_MIN_CHARS of text, whatever the text's punctuation."""
    m = _COLUMN_LABEL.search(text)
    return (
        m is not None and m.start() >= LABELLED_HEAD_MIN_CHARS and not _NOT_A_LABEL.search(m.group(1))
        and leading_unmatched_closer(text) is None
    )


def _ends_with_dash(text: str) -> bool:
    return "".join(text.split()).endswith("——")


ends_with_label = _ends_with_label  # public: roles.labelled_stacks reads it


def _is_labelled_headline(text: str) -> bool:
    return _ends_with_label(text) and is_bare(text)


def _names_someone(text: str) -> bool:
    """A reporter's form followed by a name ("本报记者　张三"), not the form alone ("记者")."""
    head = compact_head(text)
    m = REPORTER_START.match(head)
    return m is not None and m.end() < len(head)


def _continues(prev: Line, ln: Line, prev_w: float, w: float, width: float, config: LayoutConfig, *, use_blanks: bool = True) -> bool:
    """In wrapped layout: does ``ln`` continue the paragraph that ``prev`` is in?

    A full column line goes on into the next line; a line clearly shorter than the column is the
    last line of its paragraph (or a headline/label standing alone), whatever its punctuation. A
    line clearly wider than the column is a headline set across columns: it stands alone. A line
    that closes the bracket ``prev`` left open goes on from it, whatever the widths."""
    if _closes_previous(prev, ln):
        return True
    if (use_blanks and ln.blank_before) or ln.heading or ln.bold or prev.heading or prev.bold:
        return False
    if _GOES_ON_START.match(ln.clean):
        # a line opening with punctuation that ends or continues a clause ("…华为云认为" + "，私有云是…",
        # "…避免这种情况。" + "”据介绍，…") goes on from the line before, however short that one (the
        # engine wrapped before the mark): on the training pages' wrapped lines (no blank line or
        # heading markup between) such a line went on 16,643 times in 16,655, and the width rule had
        # cut 160 of those (dev: 39, 7 of them rows of a list, which keep their own rule). The
        # particle 的 would qualify too (的确 aside), but moving it here cost dev two exact articles
        # (lines the engine read out of column order).
        return True
    if ln.clean.startswith(("——", "—— ")):
        return False  # a subheadline or a dash-led line starts anew
    if prev.clean.startswith("—") and REPORT_KIND.search("".join(prev.clean.split())):
        # ... and ends where it names the report's kind ("——西藏和四省涉藏州县干部群众决战决胜脱贫攻坚综述"
        # + "穿过一片云雾缭绕的原始森林，…"), however full its line: on the wrapped lines of the dev and
        # training pages, 4 of the 4 lines the width rule ran on after such a line began a span.
        return False
    if _DATELINE.match(normalize_start(ln.clean)):
        return False
    if w < config.last_line_ratio * width and is_bare(prev.clean) and byline_shaped(ln.clean, BYLINE_MAX_CHARS) and _names_someone(ln.clean):
        # a reporter's line under a head ("…论坛开幕" + "本报记者　张晓东"): a full headline line
        # would otherwise go on into it. Short: a full line opening with "新华社记者张三对本报说"
        # goes on in its paragraph. On the dev pages' wrapped lines, 83 of 86 byline-shaped lines
        # after a bare line begin a new span (the others: "记者" + a sentence cut mid-clause, and
        # a list row's job title "记者" wrapped alone onto its line).
        return False
    if ln.clean == prev.clean:
        return False  # a label printed again and again is not one paragraph
    if _ORNAMENT_START.match(ln.clean) and not _CAPTION_END.search(ln.clean):
        # a line opening with an ornament ("■当前和今后一个时期，…", "◆记者手记") opens a section,
        # an entry or a box, however full the line before; a caption's credit ("…。■县委宣传部供图")
        # is left to the rules below. On the training pages' wrapped lines 143 of 155 ornament-led
        # lines began a span, 11 of the 12 others being such credits
        return False
    if _LAW_ARTICLE_START.match(ln.clean) and ends_closed(prev.clean) and not prev.clean.rstrip().endswith("》"):
        # an article of a law printed in full starts a paragraph after the one before ends: on the
        # training pages' wrapped lines 1,213 such lines began a span and the width rule ran 47 of
        # them on; the 2 that went on followed a law's title ("…实施细则》" + "第二十二条第一款中的…")
        return False
    if is_bare(prev.clean) and _DATE_LEAD.match("".join(ln.clean.split())):
        # a head's line, however full, and a news lead's date under it ("…扩建项目主体工程完工" + "7月6日，…"):
        # on the training pages' wrapped lines such a line after a line without punctuation began a
        # span 151 times in 151 (the width rule ran 3 on; dev 23 of 23, 1 run on)
        return False
    if _is_agency_credit(ln.clean):
        # a photo's credit line under its caption ("…图为村民将收割机打下的稻谷装袋。" + "张三摄（人民视觉）")
        # stands alone, however full the caption's last line: on the wrapped lines of the composed
        # training pages 232 of 232 such lines began a span (dev 63 of 63), and the width rule ran
        # 4 (dev 2) of them on into the caption. (Other credit lines, "本报记者李四摄", "■县委宣传部供图",
        # go on in the caption's paragraph 23 times in 113 after a sentence's end: left to the width rule.)
        return False
    if _ORDINAL_START.match(ln.clean) and (ends_closed(prev.clean) or is_bare(prev.clean)):
        # a numbered section or list entry ("一、…", "（二）…", "第三，…") after a sentence's end or a
        # head: on the training pages' wrapped lines 581 of 587 such lines began a new span (dev:
        # 25 of 26), however full the line before
        return False
    if _is_labelled_headline(ln.clean):
        # ... and begins its own block: a kicker printed to the column's width ran on into it
        # ("…近三年推进改造396个项目，" + "瞧！老旧小区有了崭新的模样（深度观察）"). A line ending with
        # a label after at least LABELLED_HEAD_MIN_CHARS of text (not a headline's wrapped tail
        # "客”（话说新农村）", not a list row's bracket): on the dev pages' wrapped lines it began a new
        # span 124 times in 125, on the training pages' 551 in 563 (the others: prose ending with
        # an abbreviation's expansion "CUBA（中国大学生篮球联赛）" or "(草案)")
        return False
    if (ends_closed(prev.clean) or _ends_with_dash(prev.clean)) and _ends_with_label(ln.clean):
        # ... and so does a line ending with a column label after a sentence's end or a kicker's dash,
        # however much punctuation it has ("援鄂医疗队队员明宗娟——" + "“使命所在,职责所在”(来自疫情
        # 防控一线的报道)", "…季整个常规赛的票房收入。" + "追梦路上，坚强意志不能少（体坛观澜）"): on
        # the training pages' wrapped lines 44 of 44 such lines began a span (dev 12 of 12), where
        # after an open line they go on about as often as not (a bracket closing a sentence's aside)
        return False
    if _ends_with_column_label(prev.clean):
        # a headline closed by its column's label ("…经济刺激计划（国际视点）") is whole, however wide:
        # on the wrapped lines of the dev pages (of 596 training pages), a line after such a bare
        # line began a new span 177 times (837) and went on 10 times (22: list rows naming an
        # institution and its branch in brackets)
        return False
    if prev_w > config.overlong_ratio * width or w > config.overlong_ratio * width:
        return False
    if ends_closed(prev.clean):
        if w < config.last_line_ratio * width and is_bare(ln.clean) and not ends_closed(ln.clean):
            # a short bare line after a sentence's end is a label or a head ("核心阅读", the next
            # article's kicker), not the last line of a paragraph (that ends a sentence): on 596
            # composed training pages 36 such lines began a paragraph, 8 went on (column cuts
            # that repair joins)
            return False
        return prev_w >= config.closed_line_ratio * width
    return prev_w >= config.last_line_ratio * width


def _is_agency_credit(text: str) -> bool:
    return bool(_AGENCY_CREDIT.match("".join(text.split())))


def _closes_previous(prev: Line, ln: Line) -> bool:
    """``ln`` closes the bracket or quote ``prev`` left open, right after it (no blank line between;
    neither is a marked heading)."""
    return not (ln.blank_before or ln.heading or ln.bold or prev.heading or prev.bold) and closes_open_bracket(
        prev.clean, ln.clean
    )


def _join_lines(parts: list[str]) -> str:
    """``join_wrapped`` over the parts, left to right, in linear time: it reads only the last
    LATIN_TAIL_CHARS of its left side, so the text so far is kept as pieces and a tail."""
    out: list[str] = []
    tail = ""
    for p in parts:
        joined = join_wrapped(tail, p)
        if not joined.startswith(tail):  # the tail's hyphen was dropped ("end-" + "ing")
            out[-1] = out[-1][:-1]
            tail = tail[:-1]
        out.append(joined[len(tail) :])
        tail = (tail + out[-1])[-LATIN_TAIL_CHARS:]
    return "".join(out)


join_lines = _join_lines  # public: a block's text from its lines' clean texts (colorder.py cuts blocks)
