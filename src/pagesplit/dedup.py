"""Duplicated blocks: text an OCR engine captured twice, on one page or across an issue's pages.

Works on characters (Chinese has no spaces). The kept lines of an issue are folded (NFKC, no
whitespace) and laid end to end as one stream; every position whose 8-character shingle occurred
earlier is a match at some *diagonal* (source position − copy position). A copy made by the OCR
engine is one long run on a single diagonal — character errors only punch short gaps in it, and
it may run across the source's paragraph boundaries — while the repetition that news prose has by
nature (a lead repeating the headline, a summary repeating a sentence) is pieced together from
several places or covers only part of a line.

Runs are extended character by character over OCR errors at their ends (within their printed
line), chained only along one diagonal, and a chain is a duplicated block when a part of it at
least two sentences long is *aligned with the page's blocks*: it starts at the start of a
paragraph and ends at the end of one (the engine captured whole blocks twice; a repeated sentence
inside a paragraph starts and ends wherever the sentence does). In wrapped layout a copy may
instead align with printed lines whose neighbours end a sentence. A shorter copy (about a
sentence) counts when it touches other copies or was cut mid-word out of its source paragraph.
Lines covered by such copies are removed; the first copy is kept and named.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .text import ends_closed, fold, is_cjk
from .types import Line, Removal


@dataclass(frozen=True)
class DedupConfig:
    # 8 characters: a 2% character-error rate (one error per 50 chars) spoils 8 shingles in 50,
    # leaving long matched stretches, while 8-grams that two different sentences share by chance
    # are rare in Chinese prose.
    shingle: int = 8
    # Matched positions on one diagonal this close together belong to one run: an OCR character
    # error leaves a gap of `shingle` unmatched positions; two errors close together a bit more.
    max_gap: int = 14
    # Adjacent runs whose diagonals differ by at most this much are one copy with an inserted or
    # dropped character between them.
    max_drift: int = 3
    # A matched run shorter than this is a shared phrase, not evidence of copying; longer runs
    # that touch are chained into one copy (see `_chains`).
    min_run_chars: int = 16
    # A copy shorter than this is not a duplicated block: about two sentences. Shorter repeats are
    # mostly the prose's own (a lead repeating the headline, a law's clauses restated); measured on
    # the development pages, 20 → 60 raised duplicate precision from 0.44 to 0.74 at equal recall.
    min_chars: int = 60
    # ... but a copy right next to another accepted copy (a stretch of blocks captured twice whose
    # sources lie apart) need only be about a sentence long.
    min_adjacent_chars: int = 20
    # How far from a line's start/end a run may begin/end and still be aligned with it (an OCR
    # error within the first or last characters of a line delays the first matched shingle).
    edge_slack: int = 4
    # A copy this long need only align with printed lines (in wrapped layout its first line may
    # follow a full line and so not look like a paragraph start), provided the line before it and
    # its own last line end a sentence (see `_select`). With that proviso 60 (= min_chars) took
    # wrapped recall on the development pages from 0.953 to 0.962 at equal precision (120 before).
    long_copy_chars: int = 60
    # Share of a copy's positions whose shingle matched. Each OCR character error spoils at most
    # `shingle` shingles, so 0.7 admits error rates up to ~4%; the prose's own near-repeats (a
    # clause restated with other words every dozen characters) fall well below.
    min_density: float = 0.7
    # ... and of a copy cut out of a periodic chain (a block captured three or more times in a
    # row, see `_select`): near-exact (up to ~1% character errors), as a repeated capture of one
    # image region is, and unlike a list's rows that repeat a formula around different names.
    periodic_min_density: float = 0.9
    # Extending a run's ends character by character along its diagonal (an OCR error within the
    # last `shingle` characters of a copy leaves them unmatched by any shingle): a match scores +1,
    # a mismatch -2, and the extension stops once the score falls this far below its best, so two
    # errors in a row are crossed when matching text follows and unrelated text is never taken in.
    extend_xdrop: int = 5
    # ... and never further than this: the extension only has to cover what an error near a
    # copy's end kept the shingles from (under `shingle` characters, a few more with two errors).
    # Uncapped, a periodic text (a 1 MB line repeating one sentence) extends every one of its many
    # runs across the whole line: quadratic.
    extend_max: int = 24
    # Runs are chained into one copy only when their diagonals differ by at most this much: the
    # engine dropped or inserted a few characters or a phrase (the seed's copy at line 135 skips a
    # 20-character phrase of its source), or a line was removed on one side only. Runs on far
    # diagonals that merely touch are the prose's own repetitions next to a copy (on the dev pages
    # hundreds of characters away), and chaining them moved the copy's ends off its boundaries.
    chain_drift: int = 40
    # (A copy never overlaps its source: a block captured twice is printed once more after the
    # whole of it. A stretch matching itself one entry further back is formulaic text — the rows
    # of an award list, "…(某某联勤保障中心支援火神山医院医疗队)", match the row before them on one
    # diagonal — so a copy whose source ends past its own start, by more than OCR jitter at the
    # edges, is refused in `_select`. And a run continues a chain on a diagonal further back
    # only when the copy has room for the text its source lacks: the unmatched gap between the
    # two runs is at least the diagonal's step back (in such a list each row also matches the
    # list's first row, one row's length further back, right after the previous row's match).)
    # Share of a line covered by aligned runs for the line to be a copy.
    line_coverage: float = 0.8
    # A single copied paragraph shorter than this with unduplicated text on both sides is more
    # likely a statement quoted in two articles than a block captured twice: keep it.
    quote_max_chars: int = 40


# Occurrences of one shingle remembered as sources. Phrases recurring more often than this are
# formulas of the paper; the first few occurrences are enough to follow any copy through them.
MAX_OCCURRENCES = 8
# Runs on diagonals with no match for `max_gap` positions are closed every this many positions
# (a bound on the open diagonals a long periodic text keeps).
_CLOSE_EVERY = 64


@dataclass(frozen=True, slots=True)
class LineRef:
    page: int
    line: int


@dataclass(frozen=True, slots=True)
class _Run:
    start: int  # stream position (page-local)
    end: int
    diagonal: int  # global source position − global copy position
    longest: int = 0  # for a chain: the length of its longest single run
    matched: int = 0  # positions whose shingle matched
    core_start: int = -1  # the shingle-matched extent, before extension (-1: start/end)
    core_end: int = -1


def find_duplicates(
    pages: Sequence[tuple[Line, ...]],
    removed: Sequence[dict[int, Removal]],
    config: DedupConfig = DedupConfig(),
    *,
    paragraph_starts: Sequence[frozenset[int]] | None = None,
) -> tuple[dict[int, LineRef], ...]:
    """For each page, line index → the earlier line (page, line) it duplicates.

    Lines already in ``removed`` (boilerplate, noise) are neither copies nor sources.
    ``paragraph_starts`` (per page, the lines that begin a paragraph; default: every line) are the
    boundaries a copied block must align with: in wrapped layout a printed line boundary is no
    evidence, a paragraph boundary is."""
    k = config.shingle
    index = _ShingleIndex(k)  # the shingles seen so far in the issue (see _runs)
    owners: list[tuple[int, int, int]] = []  # (global start, page, line), in stream order
    line_global: set[int] = set()  # the owners' global starts
    base = 0
    texts: list[str] = []  # folded kept text of the pages before
    para_global: list[int] = []  # paragraph starts (and page ends) in issue stream positions
    result: list[dict[int, LineRef]] = []
    for p, lines in enumerate(pages):
        kept = [ln for ln in lines if ln.index not in removed[p]]
        parts = [fold(ln.clean) for ln in kept]
        stream = "".join(parts)
        starts: list[int] = []
        bounds: list[int] = []
        pos = 0
        para = paragraph_starts[p] if paragraph_starts is not None else None
        for ln, part in zip(kept, parts):
            starts.append(pos)
            if para is None or ln.index in para:
                bounds.append(pos)
            owners.append((base + pos, p, ln.index))
            line_global.add(base + pos)
            if para is None or ln.index in para:
                para_global.append(base + pos)
            pos += len(part)

        issue_text = "".join(texts) + stream  # the folded kept text of the issue up to this page's end
        runs = [_extend(r, issue_text, base, starts + [len(stream)], config) for r in _runs(stream, base, index, config)]
        edges = _Edges(bounds, starts, [ends_closed(ln.clean) for ln in kept], len(stream))
        para_global.append(base + len(stream))
        split = lambda r: r.start in edges.bounds and _cut_from_source(r, issue_text, base, para_global, line_global, config)  # noqa: E731
        chains = _accepted(_chains(runs, config), edges, base, config, split)
        dups: dict[int, LineRef] = {}
        for j, ln in enumerate(kept if chains else ()):  # no accepted copy: no line to look at
            lo, hi = starts[j], starts[j] + len(parts[j])
            if hi == lo:
                continue
            covering = [r for r in chains if r.start < hi and r.end > lo]
            if _union(covering, lo, hi) >= config.line_coverage * (hi - lo):
                # name the source of the line's first copied character, by the single run that
                # covers most of the line inside an accepted copy (a chain may join copies of
                # different places; a copy cut out of a periodic run holds only part of it)
                def overlap(r: _Run) -> tuple[int, int]:
                    return max(min(hi, r.end, c.end) - max(lo, r.start, c.start) for c in covering), -r.diagonal

                inside = [r for r in runs if r.start < hi and r.end > lo and overlap(r)[0] > 0]
                best = max(inside, key=overlap) if inside else max(covering, key=overlap)
                dups[ln.index] = _owner(owners, base + max(lo, best.start) + best.diagonal)
        dups = _drop_quotes(kept, parts, dups, config)
        result.append(dups)
        texts.append(stream)
        base += len(stream)
    return tuple(result)


class _ShingleIndex:
    """The 8-character shingles of the issue's stream so far, as two arrays sorted by (hash,
    position): shingle hash and stream position. Adding a page merges its sorted shingles in
    (two sorted runs: a linear merge), and every shingle of the page that occurred before is found
    with its earlier occurrences in one pass of numpy, not a dictionary lookup per character."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.hashes = np.empty(0, dtype=np.uint64)
        self.positions = np.empty(0, dtype=np.int64)

    def add(self, stream: str, base: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Index ``stream`` (issue positions from ``base``); return, for each of its shingles that
        occurred earlier in the issue, in stream order: its page-local position, and the slice
        [first, first + count) of ``self.positions`` holding its earliest earlier occurrences (at
        most ``MAX_OCCURRENCES``, in position order)."""
        h = _shingle_hashes(stream, self.k)
        local = np.arange(len(h), dtype=np.int64)
        order = np.argsort(h, kind="stable")  # equal hashes keep stream order
        hashes = np.concatenate([self.hashes, h[order]])
        positions = np.concatenate([self.positions, base + local[order]])
        merged = np.argsort(hashes, kind="stable")  # timsort: a linear merge of the two sorted runs
        self.hashes, self.positions = hashes[merged], positions[merged]
        # each entry's rank among the equal hashes before it (earlier positions come first)
        new_group = np.ones(len(self.hashes), dtype=bool)
        new_group[1:] = self.hashes[1:] != self.hashes[:-1]
        group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(self.hashes)), 0))
        rank = np.arange(len(self.hashes)) - group_start
        seen = np.flatnonzero((self.positions >= base) & (rank > 0))
        seen = seen[np.argsort(self.positions[seen], kind="stable")]
        return self.positions[seen] - base, group_start[seen], np.minimum(rank[seen], MAX_OCCURRENCES)


_HASH_BASE = np.uint64(0x100000001B3)  # odd: the polynomial hash keeps every character's bits


def _shingle_hashes(stream: str, k: int) -> np.ndarray:
    """A 64-bit polynomial hash of every ``k``-character window of ``stream`` (uint64, wrapping).
    Two different windows share a hash by accident about once in 2^64 pairs; a false match would
    still have to run on along one diagonal for ``min_run_chars`` to count."""
    n = len(stream) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    codes = np.frombuffer(stream.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for t in range(k):
            h = h * _HASH_BASE + codes[t : t + n]
    return h


def _runs(stream: str, base: int, index: _ShingleIndex, config: DedupConfig) -> list[_Run]:
    """Maximal diagonal matches of ``stream`` against everything indexed before each position.
    Indexes the stream's own shingles on the way.

    A shingle may occur in several earlier places (a phrase the paper repeats); every occurrence
    proposes a diagonal, and each diagonal's run is followed on its own, so a common phrase
    inside a copied block does not cut the copy's run. Only positions whose shingle occurred
    before are visited (most shingles of a page are new)."""
    k = config.shingle
    active: dict[int, list[int]] = {}  # diagonal -> [start, last, matched positions]
    runs: list[_Run] = []

    def close(d: int) -> None:
        start, last, matched = active.pop(d)
        if last + k - start >= config.min_run_chars:
            runs.append(_Run(start, last + k, d, last + k - start, matched))

    def close_stale(i: int) -> None:
        for d in [d for d, (_, last, _) in active.items() if i - last > config.max_gap]:
            close(d)

    drifts = range(-config.max_drift, config.max_drift + 1)
    where, first, count = index.add(stream, base)
    # every (position, earlier occurrence) pair as its diagonal, in stream order; an occurrence
    # overlapping the position itself (periodic text) is no source
    pair_of = np.repeat(np.arange(len(where)), count)
    within = np.arange(len(pair_of)) - np.repeat(np.cumsum(count) - count, count)  # 0, 1, … per position
    source = index.positions[first[pair_of] + within]
    diagonal = source - (base + where[pair_of])
    keep = diagonal <= -k
    done = 0  # stale diagonals are closed at every multiple of _CLOSE_EVERY positions
    at = -1
    for i, d in zip(where[pair_of[keep]].tolist(), diagonal[keep].tolist()):
        if i != at:
            if active and (i - 1) // _CLOSE_EVERY * _CLOSE_EVERY >= done:
                close_stale((i - 1) // _CLOSE_EVERY * _CLOSE_EVERY)
            done = at = i
        if d in active:
            hit = d
        else:
            hit = None
            for x in drifts:
                if d + x in active:
                    hit = d + x
                    break
        if hit is not None and i - active[hit][1] <= config.max_gap:
            active[hit][1] = i
            active[hit][2] += 1
        else:
            if hit is not None:
                close(hit)
            active[d] = [i, i, 1]
    last_position = len(stream) - k
    if active and last_position >= 0 and last_position // _CLOSE_EVERY * _CLOSE_EVERY >= done:
        close_stale(last_position // _CLOSE_EVERY * _CLOSE_EVERY)
    for d in list(active):
        close(d)
    return runs


def _extend(run: _Run, text: str, base: int, lines: list[int], config: DedupConfig) -> _Run:
    """The run with its ends pushed outward along its diagonal over characters that still agree
    (X-drop: see ``DedupConfig.extend_xdrop``), each end within its own printed line (``lines``:
    the page's line starts and its size, stream positions): the extension only reaches a
    line's edge that an OCR error kept the shingles from."""
    d = run.diagonal
    lo = lines[max(bisect_right(lines, run.start) - 1, 0)]
    hi = lines[min(bisect_right(lines, run.end - 1), len(lines) - 1)]

    def reach(pos: int, step: int, stop: int) -> int:
        best = score = 0
        best_pos = pos
        limit = pos + step * config.extend_max
        while pos != stop and pos != limit and 0 <= pos + d < len(text):
            score += 1 if text[pos] == text[pos + d] else -2
            pos += step
            if score > best:
                best, best_pos = score, pos
            elif best - score >= config.extend_xdrop:
                break
        return best_pos

    end = reach(base + run.end, 1, base + hi) - base if run.end < hi else run.end
    start = reach(base + run.start - 1, -1, base + lo - 1) - base + 1 if run.start > lo else run.start
    return _Run(start, end, d, run.longest, run.matched, run.start, run.end)


def _chains(runs: list[_Run], config: DedupConfig) -> list[list[_Run]]:
    """Runs that touch or overlap on (nearly) one diagonal form one copy: a character error cuts a
    run, a dropped character shifts its diagonal a little. Runs on other diagonals beside it are
    other chains (the prose repeating a phrase next to a copy)."""
    chains: list[list[_Run]] = []
    open_: list[tuple[int, list[_Run]]] = []  # (end, chain) of chains still reachable
    for r in sorted(runs, key=lambda r: (r.start, -r.end)):
        open_ = [(e, c) for e, c in open_ if r.start <= e + config.max_gap + config.chain_drift]
        for n, (e, c) in enumerate(open_):
            back = c[-1].diagonal - r.diagonal  # > 0: text in the copy that its source lacks
            gap = r.start - e
            if abs(back) > config.chain_drift:
                continue
            # the copy's unmatched gap is OCR errors (up to max_gap) or, when the source lacks text
            # here, that text (a printed line the source's engine read out of column order, a
            # dropped phrase): at least the step back, and at most the step back plus errors
            if gap <= config.max_gap if back <= config.max_drift else back - config.max_drift <= gap <= back + config.max_gap:
                c.append(r)
                open_[n] = (max(e, r.end), c)
                break
        else:
            chains.append([r])
            open_.append((r.end, chains[-1]))
    return chains


@dataclass(frozen=True, slots=True)
class _Edges:
    """A page's boundaries in stream positions: paragraph starts, printed line starts, and whether
    each printed line ends a sentence."""

    bounds: list[int]  # paragraph starts
    starts: list[int]  # printed line starts
    closed: list[bool]  # per printed line: ends with sentence-final punctuation
    size: int


def _accepted(chains: list[list[_Run]], edges: _Edges, base: int, config: DedupConfig, cut_from_source=None) -> list[_Run]:
    """The chains that are duplicated blocks. A copy shorter than ``min_chars`` (but at least
    ``min_adjacent_chars``, about a sentence) counts when the copies touching it make a stretch of
    ``min_chars`` together (the engine captured several blocks twice whose sources lie apart), or
    when ``cut_from_source(run)`` says it was cut out of its source mid-word."""
    found = sorted((r for ch in chains for r in _select(ch, edges, base, config, config.min_adjacent_chars)), key=lambda r: r.start)
    reach = config.edge_slack + config.max_gap
    out: list[_Run] = []
    group: list[_Run] = []
    for r in [*found, None]:
        if r is not None and (not group or r.start <= max(g.end for g in group) + reach):
            group.append(r)
            continue
        if group and _union(group, group[0].start, max(g.end for g in group)) >= config.min_chars:
            out.extend(group)
        elif cut_from_source is not None:
            out.extend(g for g in group if cut_from_source(g))
        group = [r] if r is not None else []
    return out


def _select(chain: list[_Run], edges: _Edges, base: int, config: DedupConfig, min_chars: int) -> list[_Run]:
    """The widest part of a chain that is a duplicated block (none, or the copies of a periodic
    chain): from a run start aligned with a block boundary to a run end aligned with one, long and
    dense enough.

    Boundaries are paragraph starts; a long copy (``long_copy_chars``) may instead align with
    printed lines, provided the line before it ends a sentence or a paragraph (or the page) and so
    does its own last line — a passage the prose repeats inside a wrapped paragraph starts after
    text that reads on into it."""
    k = config.shingle
    bounds_all = edges.bounds + [edges.size]
    lines_all = edges.starts + [edges.size]
    para = set(bounds_all)

    def line_edge_ok(pos: int) -> bool:
        """Near a printed line boundary after which a new block may begin."""
        j = _nearest(lines_all, pos, config.edge_slack)
        return j is not None and (j == 0 or lines_all[j] in para or edges.closed[j - 1])

    def judge(start: int, end: int, strict: bool, density: float, whole: bool = False) -> _Run | None:
        """[start, end) as a copy, or None; ``whole``: its density is over all of it, not only
        over the part the shingles matched."""
        inside = [r for r in chain if r.start < end and r.end > start]
        lo = start if whole else max(start, min(r.core_start for r in inside))
        hi = end if whole else min(end, max(r.core_end for r in inside))
        # matched shingles of the runs, in proportion to the part of each inside [start, end)
        matched = sum(r.matched * (min(end, r.end) - max(start, r.start)) / (r.end - r.start) for r in inside)
        size = end - start
        if (
            size >= (min_chars if strict else max(min_chars, config.long_copy_chars))
            and matched >= density * (hi - lo - k + 1)
            and (not _cross_page(inside[0], base) or start <= config.edge_slack or end >= edges.size - config.edge_slack)
            and not overlaps_source(start, end)
        ):
            best = max(inside, key=lambda r: r.end - r.start)
            return _Run(start, end, best.diagonal, best.end - best.start, round(matched))
        return None

    def overlaps_source(start: int, end: int) -> bool:
        last = max((r for r in chain if r.start < end and r.end > start), key=lambda r: r.end)
        return end + last.diagonal > start + config.edge_slack + config.max_drift

    for strict in (True, False):
        ok = (lambda pos: _near(bounds_all, pos, config.edge_slack)) if strict else line_edge_ok
        cands_s = [r.start for r in chain if ok(r.start)]
        if not cands_s:
            continue
        start = min(cands_s)
        ends = sorted({r.end for r in chain if ok(r.end) and r.end > start}, reverse=True)
        found = judge(start, ends[0], strict, config.min_density) if ends else None
        if found is not None:
            return [found]
        if overlaps_source(start, max(r.end for r in chain)):
            # A block captured three or more times in a row (an engine looping over a region)
            # is one chain on the diagonal of one copy's length — copies 2..m of copies 1..m-1,
            # often a single run — overlapping its own source. Each period of it, ending one
            # diagonal's length after it starts (at a boundary there), is a copy of the one
            # before. Only near-exact ones, matched over their whole length: a list's rows sharing
            # a long formula match the row before them on one diagonal too, their names unmatched.
            pieces: list[_Run] = []
            at = start
            while True:
                here = min((r for r in chain if r.end > at), key=lambda r: r.start, default=None)
                if here is None:
                    break
                edges_here = bounds_all if strict else lines_all
                near = _nearest(edges_here, at - here.diagonal, config.edge_slack + config.max_drift)
                end = edges_here[near] if near is not None else None
                if end is None or end <= at or not ok(end) or overlaps_source(at, end):
                    break
                piece = judge(at, end, strict, config.periodic_min_density, whole=True)
                if piece is None:
                    break
                pieces.append(piece)
                at = end
            if pieces:
                return pieces
    return []


def _cut_from_source(
    run: _Run, text: str, base: int, para_global: list[int], line_global: set[int], config: DedupConfig
) -> bool:
    """The copy (starting exactly at a paragraph start of its page) begins in the middle of a word
    of its source, not at a printed line, and ends where a source paragraph ends: a stretch of the
    page the engine captured twice from the middle of a paragraph on (seed line 135). A sentence
    the prose repeats or quotes starts at a word of its own, after punctuation or at a line start."""
    src = base + run.start + run.diagonal
    if not (0 < src < len(text)) or not (is_cjk(text[src - 1]) and is_cjk(text[src])):
        return False
    if src in line_global:
        return False
    return _near(para_global, base + run.end + run.diagonal, config.edge_slack)


def _nearest(bounds: list[int], pos: int, slack: int) -> int | None:
    """Index of a boundary within ``slack`` of ``pos`` (the closest), or None."""
    j = bisect_right(bounds, pos)
    near = [i for i in (j - 1, j) if 0 <= i < len(bounds) and abs(bounds[i] - pos) <= slack]
    return min(near, key=lambda i: abs(bounds[i] - pos)) if near else None


def _cross_page(run: _Run, base: int) -> bool:
    """The run's source lies on an earlier page of the issue.

    Such a copy is an OCR artefact only at the page's top or bottom (a scan overlapping the
    neighbouring page); the same text elsewhere on another page was printed twice (a list, a
    continued article's full reprint) and is content."""
    return base + run.start + run.diagonal < base


def _near(bounds: list[int], pos: int, slack: int) -> bool:
    j = bisect_right(bounds, pos)
    return any(0 <= i < len(bounds) and abs(bounds[i] - pos) <= slack for i in (j - 1, j))


def _union(runs: list[_Run], lo: int, hi: int) -> int:
    """Characters of [lo, hi) covered by at least one run."""
    total, reach = 0, lo
    for r in sorted(runs, key=lambda r: r.start):
        a, b = max(r.start, reach), min(r.end, hi)
        if b > a:
            total += b - a
            reach = b
    return total


def _owner(owners: list[tuple[int, int, int]], position: int) -> LineRef:
    i = bisect_right(owners, (position, float("inf"), 0)) - 1
    _, page, line = owners[max(i, 0)]
    return LineRef(page, line)


def _drop_quotes(kept: list[Line], parts: list[str], dups: dict[int, LineRef], config: DedupConfig) -> dict[int, LineRef]:
    """Keep an isolated short copied line between unduplicated text: a quoted statement."""
    out = dict(dups)
    for j, ln in enumerate(kept):
        if ln.index not in dups or len(parts[j]) >= config.quote_max_chars:
            continue
        before = j > 0 and kept[j - 1].index not in dups and len(parts[j - 1]) > 20
        after = j + 1 < len(kept) and kept[j + 1].index not in dups and len(parts[j + 1]) > 20
        if before and after:
            del out[ln.index]
    return out
