"""The text-segmentation peer: TextTiling (Hearst 1997, NLTK's implementation) over pkuseg tokens.

What a reader of the literature would try first for "split a page into stories": cut the page's
text where lexical cohesion between neighbouring windows drops. Units are the page's non-blank
lines (a paragraph per line in paragraph layout, a printed line in wrapped layout); TextTiling puts
its boundaries between units; every tile is one article. Within a tile, the first short unit
without final punctuation is the headline (as in the naive baseline); every other unit is body.
Exact repeats of a unit are duplicates; nothing is boilerplate, nothing is joined.

It writes the same Parquet tables as the pipeline, so the same scorer reads it: the peer column
of ``make eval``. Tokens come from the same pkuseg model as the pipeline's (one load per process).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from ..blocks import detect_layout, read_lines
from ..errors import InputMissing
from ..types import Article, Page, PageResult, Removal, Segment
from . import gold as G
from .baseline import FINAL_PUNCT, SHORT_LINE_MAX, read_page, write_results

RUN_ID = "texttiling"
# NLTK's defaults (pseudo-sentence of w = 20 tokens, block comparison over k = 10 of them) were set
# for English essays; a news article is 300–2,000 pkuseg tokens, so the defaults fit as they are.
W, K = 20, 10
# Four pseudo-sentences: with fewer there is hardly a gap to score, and the page is one tile.
MIN_TOKENS = 4 * W

Words = Callable[[str], list[str]]
_PARA = re.compile(r"\n\s*\n")


def tiles(units: list[str], words: Words) -> list[int]:
    """Index of the first unit of each tile (always starts with 0)."""
    from nltk.tokenize.texttiling import TextTilingTokenizer  # noqa: PLC0415 - eval-only dependency

    # NLTK's tokenizer keeps only [a-z'-] (it was written for English): each distinct pkuseg word
    # becomes a letters-only code, so block comparison counts the same words it would in Chinese.
    codes: dict[str, str] = {}
    token_units = [" ".join(codes.setdefault(w, _code(len(codes))) for w in words(u) if w.strip() and _is_word(w)) for u in units]
    if sum(len(t.split()) for t in token_units) < MIN_TOKENS or len(units) < 3:
        return [0]
    text = "\n\n".join(t if t else "wnone" for t in token_units)
    try:
        # stopwords=[]: NLTK's default list is English and would need a download.
        chunks = TextTilingTokenizer(w=W, k=K, stopwords=[]).tokenize(text)
    except ValueError:  # too short for its windows, or no paragraph break: one tile
        return [0]
    starts, seen = [], 0
    for chunk in chunks:
        n = len([p for p in _PARA.split(chunk) if p.strip()])
        if n:
            starts.append(seen)
            seen += n
    return starts or [0]


def _code(n: int) -> str:
    out = "w"
    while True:
        n, r = divmod(n, 26)
        out += chr(ord("a") + r)
        if not n:
            return out


def _is_word(w: str) -> bool:
    """Content words only: punctuation goes (NLTK drops it in English too) and one-character words
    (的 了 在 是 和 …) stand in for the stopword list NLTK applies in English."""
    return len(w) > 1 and any(ch.isalnum() for ch in w)


def split_page(page: Page, words: Words) -> PageResult:
    lines = read_lines(page.text)
    wrapped = detect_layout(lines) == "wrapped"
    joiner = "" if wrapped else "\n"
    segments: list[Segment] = []
    units: list[tuple[int, int, str]] = []  # kept units: (line index, segment slot, clean text)
    seen: dict[str, str] = {}
    for i, ln in enumerate(lines):
        raw = page.text[ln.start : ln.end]
        clean = G.squeeze(raw)
        sid = f"{page.page_id}#s{i}"
        if not clean:
            segments.append(Segment(sid, ln.start, ln.end, raw, "noise", Removal("noise", "markup_only")))
        elif clean in seen:
            segments.append(Segment(sid, ln.start, ln.end, raw, "duplicate", Removal("duplicate", "exact_repeat", seen[clean])))
        else:
            seen[clean] = sid
            units.append((i, len(segments), clean))
            segments.append(None)  # type: ignore[arg-type]  # filled once tiles are known
    starts = set(tiles([u[2] for u in units], words))
    articles: list[Article] = []
    current: dict | None = None

    def close(a: dict | None) -> None:
        if a is not None:
            articles.append(Article(a["id"], page.page_id, None, a["headline"], None, None, joiner.join(a["body"]), tuple(a["segs"])))

    for k, (i, slot, clean) in enumerate(units):
        ln = lines[i]
        if k in starts or current is None:
            close(current)
            current = {"id": f"{page.page_id}#a{len(articles)}", "headline": None, "body": [], "segs": []}
        is_head = current["headline"] is None and not current["body"] and len(clean) <= SHORT_LINE_MAX and clean[-1] not in FINAL_PUNCT
        sid = f"{page.page_id}#s{i}"
        if is_head:
            current["headline"] = clean
        else:
            current["body"].append(clean)
        segments[slot] = Segment(sid, ln.start, ln.end, page.text[ln.start : ln.end], "headline" if is_head else "body", None,
                                 current["id"], len(current["segs"]))  # fmt: skip
        current["segs"].append(sid)
    close(current)
    return PageResult(page, "wrapped" if wrapped else "paragraph", tuple(segments), tuple(articles))


def run(input_root: Path, output_root: Path, words: Words | None = None) -> int:
    """Tile every ``*.txt`` under ``input_root``; returns the number of pages written."""
    input_root = Path(input_root)
    paths = sorted(input_root.rglob("*.txt"))
    if not paths:
        raise InputMissing(f"no *.txt pages under {input_root}", hint="pass the pages/ directory written by `pagesplit compose`")
    if words is None:
        from ..tokens import get_tokenizer  # noqa: PLC0415 - loads pkuseg (~3 s)

        words = get_tokenizer().words
    results = [split_page(read_page(input_root, p), words) for p in paths]
    write_results(results, Path(output_root), RUN_ID)
    return len(results)
