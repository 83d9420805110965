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
  lines (label 'noise') between blocks.

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


@dataclass(frozen=True, slots=True)
class PageStyle:
    layout: str  # 'paragraph' | 'wrapped'
    markdown: bool
    halfwidth: bool
    blank_separator: bool
    cjk_space: float
    n_stray: int


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


def render(blocks: list[Block], style: PageStyle, rng: random.Random) -> tuple[str, list[dict]]:
    """The page text and its gold spans (dicts in the seed's JSON form), in page order."""
    blocks = list(blocks)
    if style.n_stray:
        for _ in range(style.n_stray):
            blocks.insert(rng.randint(0, len(blocks)), Block(noise.stray_glyph(rng), "noise"))
    first_article = next((b.article for b in blocks if b.role == "headline"), None)
    widths: dict[str | None, int] = {}
    parts: list[str] = []
    spans: list[dict] = []
    pos = 0
    for k, b in enumerate(blocks):
        if k:
            if style.layout == "paragraph":
                sep = "\n" if rng.random() < SINGLE_NEWLINE_RATE else "\n\n"
            else:
                sep = "\n\n" if style.blank_separator else "\n"
            parts.append(sep)
            pos += len(sep)
        text = _content(b, style, rng)
        if style.layout == "paragraph":
            printed = _markup(replace(b, text=text), first_article, rng) if style.markdown else text
        else:
            width = widths.setdefault(b.article, rng.randint(*LINE_WIDTH))
            lines = noise.wrap(text, width, rng)
            printed = "\n".join(s for s in (noise.space_cjk(ln, rng, style.cjk_space).strip() for ln in lines) if s)
        printed = printed.strip()
        if not printed:
            continue
        parts.append(printed)
        spans.append(span_dict(b, pos, pos + len(printed)))
        pos += len(printed)
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
