"""Blocks -> page text + gold spans, in one of two layouts, with the page's OCR style.

Style choices, drawn once per page (rates are ours; see docs/evaluation.md):

* layout: 'wrapped' (one printed line of 15-40 characters per text line) on WRAPPED_RATE of pages,
  else 'paragraph' (a paragraph per line, as the seed);
* paragraph pages: markdown markers (``#``/``##`` headlines, ``##`` subheadlines, ``**intertitle**``) on
  MARKDOWN_RATE of them (= about half of all pages); half-width punctuation on HALFWIDTH_RATE; blocks
  separated by a blank line, by a bare newline SINGLE_NEWLINE_RATE of the time;
* wrapped pages: never markdown; line width drawn per article; paragraphs separated by a blank line on
  BLANK_SEPARATOR_RATE of pages, else by nothing; spaces between CJK characters on none / some / all
  gaps (CJK_SPACE_MODES); confusable characters swapped at CONFUSABLE_RATE; 0-4 stray one-character
  lines (label 'noise') between blocks; column order: on COLUMN_ORDER_RATE of them 1-3 inner lines of
  body paragraphs printed 2-8 lines earlier (``displace_lines``), the gold cutting the pieces into spans
  that join in reading order.

Spans cover a block's printed text from its first to its last non-whitespace character, markers
included (as in the seed gold); everything between spans is whitespace.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from . import noise
from .plan import Block

WRAPPED_RATE = 1 / 3
MARKDOWN_RATE = 0.75  # of paragraph pages: 0.75 * 2/3 = half of all pages
HALFWIDTH_RATE = 0.5
SINGLE_NEWLINE_RATE = 0.05
BLANK_SEPARATOR_RATE = 0.5
LINE_WIDTH = (15, 40)
# (probability of a space in a CJK-CJK gap, share of wrapped pages): Tesseract spaces every gap on
# some pages, a few on others.
CJK_SPACE_MODES = ((0.0, 0.5), (0.08, 0.3), (1.0, 0.2))
CONFUSABLE_RATE = 0.05  # per confusable character (己, 未, 大, ...): about 1 in 500 characters overall
STRAY_LINES = (0, 4)
# Column order (wrapped pages): engines that read the first line of every column before the rest of
# the first column print a lone line a few lines before its paragraph goes on. On this share of
# wrapped pages, 1-COLUMN_ORDER_MAX_LINES inner lines of body paragraphs are printed
# COLUMN_ORDER_BACK lines (2-8) earlier, inside another body paragraph. Drawn from a generator of the
# page's own (seed/date/page/column-order), so the other accidents' draws are unchanged.
COLUMN_ORDER_RATE = 0.5
COLUMN_ORDER_MAX_LINES = 3
COLUMN_ORDER_BACK = (2, 8)


PARAGRAPH_INDENT = "\u3000\u3000"


@dataclass(frozen=True, slots=True)
class PageStyle:
    layout: str  # 'paragraph' | 'wrapped'
    markdown: bool
    halfwidth: bool
    blank_separator: bool
    cjk_space: float
    n_stray: int
    # Wrapped pages only, and never drawn (``compose --indent-paragraphs`` sets it on every page, the
    # other draws unchanged): each body paragraph's first printed line starts two ideographic spaces
    # in, as in exports that keep a printed page's layout. A continuation (``join``) is no first line.
    indent: bool = False


def choose_style(rng: random.Random) -> PageStyle:
    wrapped = rng.random() < WRAPPED_RATE
    r, acc, space = rng.random(), 0.0, 0.0
    for p, share in CJK_SPACE_MODES:
        acc += share
        if r < acc:
            space = p
            break
    return PageStyle(
        layout="wrapped" if wrapped else "paragraph",
        markdown=not wrapped and rng.random() < MARKDOWN_RATE,
        halfwidth=rng.random() < HALFWIDTH_RATE,
        blank_separator=rng.random() < BLANK_SEPARATOR_RATE if wrapped else True,
        cjk_space=space if wrapped else 0.0,
        n_stray=rng.randint(*STRAY_LINES) if wrapped else 0,
    )


def _markup(b: Block, first_article: str | None, rng: random.Random) -> str:
    if b.role == "headline":
        return ("# " if b.article == first_article or rng.random() < 0.5 else "## ") + b.text
    if b.role == "subheadline":
        return "## " + b.text
    if b.role == "intertitle":
        return f"**{b.text}**"
    return b.text


def _content(b: Block, style: PageStyle, rng: random.Random) -> str:
    text = b.text
    if style.halfwidth:
        text = noise.halfwidth_punct(text)
    if b.error_rate:
        text = noise.char_errors(text, rng, b.error_rate)
    if style.layout == "wrapped" and b.label != "boilerplate":
        text = noise.confuse(text, rng, CONFUSABLE_RATE)
    return text


def render(
    blocks: list[Block], style: PageStyle, rng: random.Random, *, order_rng: random.Random | None = None
) -> tuple[str, list[dict]]:
    """The page text and its gold spans (dicts in the seed's JSON form), in page order.

    ``order_rng`` (wrapped pages only) draws the column-order accident (``displace_lines``); it is a
    generator of its own so that pages without the accident keep every other draw unchanged."""
    blocks = list(blocks)
    if style.n_stray:
        for _ in range(style.n_stray):
            blocks.insert(rng.randint(0, len(blocks)), Block(noise.stray_glyph(rng), "noise"))
    first_article = next((b.article for b in blocks if b.role == "headline"), None)
    widths: dict[str | None, int] = {}
    items: list[_Line] = []  # printed lines in page order (a paragraph-layout block is one line)
    sep = ""
    for k, b in enumerate(blocks):
        if k:
            if style.layout == "paragraph":
                sep += "\n" if rng.random() < SINGLE_NEWLINE_RATE else "\n\n"
            else:
                sep += "\n\n" if style.blank_separator else "\n"
        text = _content(b, style, rng)
        if style.layout == "paragraph":
            printed = [_markup(replace(b, text=text), first_article, rng) if style.markdown else text]
        else:
            width = widths.setdefault(b.article, rng.randint(*LINE_WIDTH))
            lines = noise.wrap(text, width, rng)
            printed = [s for s in (noise.space_cjk(ln, rng, style.cjk_space).strip() for ln in lines) if s]
        printed = [ln.strip() for ln in printed if ln.strip()]
        if not printed:
            continue
        if style.indent and style.layout == "wrapped" and b.role == "body" and not b.join:
            printed[0] = PARAGRAPH_INDENT + printed[0]
        for n, ln in enumerate(printed):
            items.append(_Line(sep if n == 0 else "\n", k, n, ln))
        sep = ""
    if style.layout == "wrapped" and order_rng is not None:
        items = displace_lines(items, blocks, order_rng)
    return _emit(items, blocks)


@dataclass(frozen=True, slots=True)
class _Line:
    sep: str  # whitespace printed before the line
    block: int  # index into the page's blocks
    n: int  # line number within its block
    text: str


def _inner_body(items: list[_Line], blocks: list[Block], i: int) -> bool:
    """Is the gap before items[i] inside a body paragraph (between two of its consecutive lines)?"""
    if not 0 < i < len(items):
        return False
    a, b = items[i - 1], items[i]
    blk = blocks[b.block]
    return a.block == b.block and a.n + 1 == b.n and blk.label == "article" and blk.role == "body"


def displace_lines(items: list[_Line], blocks: list[Block], rng: random.Random) -> list[_Line]:
    """Column order: on COLUMN_ORDER_RATE of wrapped pages, 1-COLUMN_ORDER_MAX_LINES inner lines of
    body paragraphs (the top line of a later column) are printed COLUMN_ORDER_BACK lines earlier, inside
    another stretch of body text, as engines that read the first line of every column first do."""
    if rng.random() >= COLUMN_ORDER_RATE:
        return items
    items = list(items)
    locked: set[tuple[int, int]] = set()  # (block, n) of moved lines and of lines next to a move
    for _ in range(rng.randint(1, COLUMN_ORDER_MAX_LINES)):
        cands = [i for i in range(1, len(items) - 1) if _inner_body(items, blocks, i) and _inner_body(items, blocks, i + 1)
                 and not {(x.block, x.n) for x in items[i - 1 : i + 2]} & locked]
        rng.shuffle(cands)
        for i in cands:
            backs = list(range(COLUMN_ORDER_BACK[0], COLUMN_ORDER_BACK[1] + 1))
            rng.shuffle(backs)
            dest = next((i - d for d in backs if _inner_body(items, blocks, i - d)
                         and not {(x.block, x.n) for x in items[i - d - 1 : i - d + 1]} & locked), None)
            if dest is None:
                continue
            line = items.pop(i)
            items.insert(dest, replace(line, sep="\n"))
            locked |= {(x.block, x.n) for x in items[dest - 1 : dest + 2]} | {(x.block, x.n) for x in items[i : i + 2]}
            break
    return items


def _emit(items: list[_Line], blocks: list[Block]) -> tuple[str, list[dict]]:
    """Text and spans: a span per run of consecutive lines of one block. A block cut into pieces (a
    line moved out of it or into it) gets a span per piece; pieces after its first in reading order
    join their predecessor, and every article's seq is renumbered in reading order (block seq, line)."""
    parts: list[str] = []
    pieces: list[list] = []  # [block, first line n, start, end]
    pos = 0
    for k, it in enumerate(items):
        parts.append(it.sep)
        pos += len(it.sep)
        prev = items[k - 1] if k else None
        if prev is not None and prev.block == it.block and prev.n + 1 == it.n:
            pieces[-1][3] = pos + len(it.text)
        else:
            pieces.append([it.block, it.n, pos, pos + len(it.text)])
        parts.append(it.text)
        pos += len(it.text)
    spans = []
    for b, n, start, end in pieces:
        blk = blocks[b]
        spans.append(span_dict(replace(blk, join=blk.join if n == 0 else True), start, end))
    order: dict[str, list[tuple[tuple[int, int], dict]]] = {}
    for (b, n, _, _), s in zip(pieces, spans):
        if s["label"] == "article":
            order.setdefault(s["article"], []).append(((blocks[b].seq, n), s))
    for arts in order.values():
        for seq, (_, s) in enumerate(sorted(arts, key=lambda t: t[0])):
            s["seq"] = seq
    return "".join(parts), spans


def copy_type(b: Block) -> str:
    """The gold copy type of a duplicate block (gold.COPY_TYPES, in that order of precedence)."""
    if "mid_paragraph" in b.tags:
        return "straddling"
    return "noisy" if b.error_rate else "exact"


def span_dict(b: Block, start: int, end: int) -> dict:
    if b.label == "duplicate":
        return {"start": start, "end": end, "label": b.label, "copy": copy_type(b)}
    if b.label != "article":
        return {"start": start, "end": end, "label": b.label}
    return {"start": start, "end": end, "label": "article", "article": b.article, "role": b.role, "seq": b.seq, "join": b.join}
