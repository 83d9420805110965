"""Duplicated blocks: text an OCR engine captured twice, on one page or across an issue's pages.

Works on characters (Chinese has no spaces): every line is cut into overlapping character
shingles of its folded form; a later line whose characters are mostly covered by shingles seen
in earlier *kept* lines is a copy. Coverage, not exact equality, so that a copy with a few OCR
character errors (each error spoils at most ``shingle`` shingles) or one that starts in the
middle of a paragraph and runs across the next still matches. The first copy is kept; the later
one points at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .text import fold
from .types import Line, Removal


@dataclass(frozen=True)
class DedupConfig:
    # 8 characters: long enough that phrases a newspaper repeats on purpose ("铸牢中华民族共同体意识"
    # is 11, but the 8-grams *around* it differ) rarely cover most of a paragraph; short enough that
    # a 2% character-error rate (one error per 50 chars spoils 8 shingles) still leaves ~85% coverage.
    shingle: int = 8
    # Share of a line's characters covered by earlier shingles for it to be a copy.
    min_coverage: float = 0.7
    # A copy shorter than a sentence is not a duplicated block (short quotes and slogans recur).
    min_chars: int = 20
    # A single isolated copied line shorter than this, with unduplicated text on both sides, is
    # more likely a statement quoted in two articles than a block captured twice: keep it.
    quote_max_chars: int = 60
    # In a run of copied lines (a wrapped paragraph), edge lines may be only partly covered.
    run_edge_coverage: float = 0.5


@dataclass(frozen=True, slots=True)
class LineRef:
    page: int
    line: int


def find_duplicates(
    pages: Sequence[tuple[Line, ...]],
    removed: Sequence[dict[int, Removal]],
    config: DedupConfig = DedupConfig(),
) -> tuple[dict[int, LineRef], ...]:
    """For each page, line index → the earlier line (page, line) it duplicates.

    Lines already in ``removed`` (boilerplate) are neither candidates nor sources."""
    k = config.shingle
    index: dict[int, LineRef] = {}
    result: list[dict[int, LineRef]] = []
    for p, lines in enumerate(pages):
        coverage: dict[int, tuple[float, LineRef | None, int]] = {}
        for ln in lines:
            if ln.index in removed[p]:
                continue
            f = fold(ln.clean)
            cov, src = _coverage(f, index, k)
            coverage[ln.index] = (cov, src, len(f))
            if cov < config.min_coverage:
                # Not a copy by itself: its text becomes a source for later lines. (A partly covered
                # edge line of a copied run may still be judged a copy below; a later copy of it then
                # points at it, and the pipeline follows such chains to the first copy.)
                ref = LineRef(p, ln.index)
                for i in range(len(f) - k + 1):
                    index.setdefault(hash(f[i : i + k]), ref)
        result.append(_decide(lines, coverage, config))
    return tuple(result)


def _coverage(f: str, index: dict[int, LineRef], k: int) -> tuple[float, LineRef | None]:
    n = len(f)
    if n < k:
        return 0.0, None
    covered = bytearray(n)
    votes: dict[LineRef, int] = {}
    for i in range(n - k + 1):
        ref = index.get(hash(f[i : i + k]))
        if ref is not None:
            covered[i : i + k] = b"\x01" * k
            votes[ref] = votes.get(ref, 0) + 1
    if not votes:
        return 0.0, None
    src = min(votes, key=lambda r: (-votes[r], r.page, r.line))
    return sum(covered) / n, src


def _decide(
    lines: tuple[Line, ...], coverage: dict[int, tuple[float, LineRef | None, int]], config: DedupConfig
) -> dict[int, LineRef]:
    hits = {i for i, (cov, src, _) in coverage.items() if src is not None and cov >= config.min_coverage}
    # Edge lines of a run of copies may be partly covered (a wrapped copy that starts mid-line).
    grown = set(hits)
    for i in sorted(hits):
        for j in (i - 1, i + 1):
            c = coverage.get(j)
            if c and c[1] is not None and c[0] >= config.run_edge_coverage:
                grown.add(j)
    out: dict[int, LineRef] = {}
    run_chars = _run_chars(grown, coverage)
    for i in sorted(grown):
        cov, src, size = coverage[i]
        if run_chars[i] < config.min_chars:
            continue
        isolated = (i - 1) not in grown and (i + 1) not in grown
        if isolated and size < config.quote_max_chars and _texty(coverage, i - 1) and _texty(coverage, i + 1):
            continue
        assert src is not None
        out[i] = src
    return out


def _run_chars(grown: set[int], coverage) -> dict[int, int]:
    """For each copied line, the characters in the run of consecutive copied lines holding it
    (one pass over the runs: linear in the number of copied lines)."""
    out: dict[int, int] = {}
    for i in sorted(grown):
        if i - 1 in grown:
            continue  # not the first line of its run: counted with the run
        hi = i
        while hi + 1 in grown:
            hi += 1
        total = sum(coverage[j][2] for j in range(i, hi + 1))
        for j in range(i, hi + 1):
            out[j] = total
    return out


def _texty(coverage, j: int) -> bool:
    c = coverage.get(j)
    return bool(c) and c[2] > 20
