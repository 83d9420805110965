"""Column order: a lone printed line the OCR engine read ahead of its column (wrapped layout).

Engines that write one printed line per text line often read the first line of every column before
the rest of the first column, so a line sits a few lines before the place its sentence continues:

    P  新馆建筑面积三万平方米，设有少儿阅览        ← reads on into N
    X  。开馆首日，不少市民一早就来排队，有        ← reads on into neither
    N  区和古籍修复中心。馆长介绍，新馆藏书
    T  超过两百万册，每天可接待读者一万人次        ← reads on into X
    T' 的还带着孩子，一起感受书香氛围。            ← X reads on into it

(invented text, as in tests/test_colorder.py)

``find_moves`` puts X back after T when the reading P→N, T→X, X→T' reads on clearly better than the
printed one P→X, X→N, T→T'. Each junction is weighed by how the sentence reads across it:

* a character group across the junction (2–4 characters, at least one from each side) that the
  issue prints elsewhere inside a line — running text repeats its words and phrases (``经|济``,
  ``主要|负责同志``), a junction between two unrelated sentences rarely forms one;
* how often the two characters across the junction stand together in news prose (PMI from the
  training months' character pair counts, ``charstats.py``), by a log-likelihood table measured on
  the printed lines of composed training pages;
* the training months' character groups (``charstats.group_level``: a 4- or 5-character group of
  news prose across the junction), read jointly with the issue's own groups (``joint_llr``);
* the junction model (``junction.py``: character pairs, punctuation and quote state, a pkuseg word
  across), weakly: it was trained on paragraph breaks and separates single printed lines poorly.

Only lines that read on into neither neighbour are candidates (cheap set look-ups); the junction
model is asked about the few the groups bring near the bar (``model_reach``). ``apply_moves`` cuts
the blocks at the moved lines: a moved line becomes a block of its own that continues T's block,
the rest of each cut paragraph continues its predecessor (``joins``: continuation block → block it
continues), every segment keeps its own offsets; the order is expressed through the joins
(``article_seq``, ``joins_previous``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

import numpy as np

from .charstats import Junctions, group_keys64, in_sorted
from .text import LIST_ROW, ends_closed
from .types import Block, Line


ReadsOn = Callable[[str, str], float]  # probability that ``right`` continues the sentence of ``left``
# An answer for each junction between lines a and a + d, |d| <= reach, of (squeezed) lines: array
# [lines, 2 * reach + 1], column d + reach (charstats.CharStats.group_levels, .pmi_levels).
NearLevels = Callable[[Sequence[str], int], np.ndarray]
_CORPUS_COLUMN = {0: 0, 4: 1, 5: 2}  # a corpus group length -> ColumnOrderConfig.joint_llr column


@dataclass(frozen=True)
class ColumnOrderConfig:
    # A printed column line holds 15–40 characters; a displaced line is a full one, as are the lines
    # around it. Shorter lines are headlines, labels or a paragraph's last line.
    min_chars: int = 12
    # How many lines after the lone line its sentence may continue. The issue's phenomenon is "a few
    # lines"; the farther the search, the more chance fits compete with the right one.
    max_ahead: int = 12
    # Log-likelihood ratio (continuation vs unrelated sentence) of the longest character group across a
    # junction found elsewhere in the issue, by its length (0: none). Measured on composed wrapped
    # pages (2020-07..09): no group at 26% of continuations vs 80% of foreign junctions, 2 characters
    # 21% vs 16%, 3 characters 16% vs 5%, 4 characters 37% vs 0% of 108 (capped at 3.0, as if 1%).
    group_llr: tuple[float, float, float, float, float] = (-1.1, -1.1, 0.3, 1.3, 3.0)
    # With the training months' character groups (``charstats.group_level``: the longest 4- or
    # 5-character group of news prose across the junction, 0 if none), the log-likelihood ratio by
    # (issue group length 0/2/3/4 as above, corpus group 0/4/5), measured on the wrapped pages of
    # composed June 2020 issues (27,667 line breaks inside a paragraph against 16,856 junctions with
    # a line of another article) with groups counted over January–May: neither kind of group 16%
    # vs 79%; a 4-character issue group and a 5-character corpus group 22% vs 0.5%. The two kinds
    # overlap (an issue repeats the paper's phrases), hence a joint table, not a sum.
    joint_llr: tuple[tuple[float, float, float], ...] = (
        (-1.59, 0.93, 2.21), (-0.24, 1.48, 2.44), (0.82, 1.67, 2.44), (2.78, 3.09, 3.76),
    )  # fmt: skip
    # Log-likelihood ratio (continuation vs a foreign line) of the PMI of the character pair across a
    # printed-line junction (``charstats.py``), by PMI bucket: measured on the wrapped pages of the
    # composed *training* set (2020-01..06; 33,482 line breaks inside a paragraph against as many
    # junctions with a random line of another text): below −1 5.5% vs 56%, 4 and above 23% vs 0.2%.
    pmi_edges: tuple[float, ...] = (-1.0, 0.0, 1.0, 2.0, 3.0, 4.0)
    pmi_llr: tuple[float, ...] = (-2.31, -0.53, 0.48, 1.41, 2.32, 3.50, 4.88)
    # ... weighted: the pair statistics and the character groups both read the characters across
    # the junction, so their evidence overlaps (1.0 moved 31 lines, 6 wrong, at a gain of 8).
    pmi_weight: float = 0.5
    # Weight of the junction model's log-odds: it separates printed lines weakly (median probability
    # 0.47 across a continuing line break vs 0.40 across a foreign one), so it ranks, never decides.
    model_weight: float = 0.3
    # Lines that read on into a neighbour this well are not candidates: a 4-character group across
    # (a 3-character one forms by chance often enough to hide displaced lines: on 163 dev pages 5 of
    # 61 displaced lines read on into their neighbour by one; with the corpus groups allowing them
    # moved 3 more lines, none wrong).
    max_group_candidate: int = 3
    # The new reading must beat the printed one by this log-likelihood ratio (about three junctions'
    # worth of 4-character groups). A wrong move garbles an article, a missed one leaves a line out
    # of place, so precision comes first: on 184 composed pages (54 displaced lines) 8.0 moved 12
    # lines, 10 right (the 2 wrong: rows of a name list); 7.0 moved 15 (3 wrong), 6.0 moved 14 (7 wrong).
    # With the pair statistics (above) every junction of running text gains about a point: on the
    # 666 dev pages (230 displaced lines) 9.0 moved 92 lines, 3 wrong; 10.0 moved 87, 1 wrong
    # (8.0 had moved 56, 1 wrong, without them).
    # With the training months' character groups (``joint_llr``) the scale changes: on 163 dev
    # pages (61 displaced lines) 12.0 moved 26 lines, all right (10.0: 27 of 29; 8.0: 30 of 33),
    # against 22 of 22 without them.
    # The gain alone decides: a floor on each new junction (no group across it: place refused) also
    # refused right places whose junction crosses a word the issue prints nowhere else ("就|怕把孩子")
    # and bought no precision at this gain. Without it, on the 666 dev pages moved lines P/R
    # 0.991/0.470 -> 0.992/0.517 (exact 0.8403 -> 0.8419); seed-21 composition 0.966/0.426 ->
    # 0.960/0.492 (exact 0.8573 -> 0.8604). 10.0 then: dev 0.950/0.574, seed-21 0.917/0.564.
    min_gain: float = 10.0
    min_gain_corpus: float = 12.0
    # ... and beat the second-best place for the line by this much: an ambiguous place is left alone
    # (2.0 let one more wrong move through at the same gain).
    min_margin: float = 3.0
    # The junction model is asked (pkuseg segments each junction) only where the groups alone bring
    # a reading within this much of the bar: on the 666 dev pages the model moved the gain of a
    # reading that then cleared it by -4.1 to +7.1 (median +1.4). 15,579 candidate lines, 636 asked,
    # the same lines moved as asking about all (which segmented a fifth more characters than the
    # pages' own text needs).
    model_reach: float = 8.0


@dataclass(frozen=True, slots=True)
class Move:
    line: int  # Line.index of the displaced line
    after: int  # Line.index of the line its sentence continues (T)
    gain: float  # log-likelihood ratio of the new reading over the printed one


class Groups:
    """The character groups (2–4 characters) printed inside a line of the issue: the evidence that a
    group across a junction is running text. Kept as 64-bit hashes of the groups (numpy over the
    issue's text at once: a Python set of strings cost a third of pkuseg's time on the same text)."""

    __slots__ = ("_keys",)

    def __init__(self, keys: np.ndarray):
        self._keys = keys  # uint64, sorted, unique

    def __bool__(self) -> bool:
        return bool(len(self._keys))

    def levels(self, texts: Sequence[str], reach: int) -> np.ndarray:
        """Length of the longest group (at least one character from each side) across every
        junction between ``texts[a]`` and ``texts[a + d]``, |d| <= reach, that the issue prints
        inside a line, or 0: int8 array [len(texts), 2 * reach + 1] (column d + reach)."""
        near = Junctions(texts, reach, GROUP_LENGTHS[-1] - 1)
        level = np.zeros(len(near.a), dtype=np.int8)
        if len(self._keys) and len(near.a):
            splits = [(n, k) for n in GROUP_LENGTHS for k in range(1, n)]  # ascending n: longer overwrites
            hashes, oks = zip(*(near.hashes(n, k) for n, k in splits))
            found = in_sorted(self._keys, np.concatenate(hashes))
            for m, ((n, _), ok) in enumerate(zip(splits, oks)):
                level[ok & found[m * len(near.a) : (m + 1) * len(near.a)]] = n
        return near.matrix(level)


GROUP_LENGTHS = (2, 3, 4)


def issue_groups(texts: Iterable[str]) -> Groups:
    """Groups of every line of ``texts`` (whitespace dropped; no group spans two lines)."""
    texts = list(texts)
    return Groups(np.unique(np.concatenate([np.empty(0, dtype=np.uint64)] + [group_keys64(texts, n) for n in GROUP_LENGTHS])))


def find_moves(
    lines: Sequence[Line],
    blocks: Sequence[Block],
    groups: Groups,
    reads_on: ReadsOn | None = None,
    config: ColumnOrderConfig = ColumnOrderConfig(),
    pmi_levels: NearLevels | None = None,
    prefetch: Callable[[list[tuple[str, str]]], None] | None = None,
    corpus_levels: NearLevels | None = None,
) -> tuple[Move, ...]:
    """Lines printed out of column order and the line each continues (see the module docstring).
    ``prefetch`` is told every junction ``reads_on`` will be asked about before it is asked (to
    segment them in one batch). ``pmi_levels`` (the PMI of the character pair across each junction)
    and ``corpus_levels`` (the training months' longest group across each junction; it refines the
    issue's group evidence, ``ColumnOrderConfig.joint_llr``) answer for all junctions near each
    other at once (``charstats.CharStats.pmi_levels``/``group_levels``; ``pairwise`` makes one from
    a function of one junction)."""
    body = {li for b in blocks if b.kept and not b.heading and not b.bold for li in b.lines}
    seq = [ln for ln in lines if ln.index in body]
    text = [ln.clean for ln in seq]
    squeezed = ["".join(t.split()) for t in text]
    # Every junction asked about lies between a line and one at most ``reach`` lines away (a line and
    # the one after its new place): the evidence is computed for all of them at once, with numpy.
    reach = config.max_ahead + 1
    issue_levels = groups.levels(squeezed, reach)
    evidence: list[np.ndarray] = []  # computed at the first question (pages without candidates never ask)

    def level(a: int, b: int) -> int:
        return int(issue_levels[a, b - a + reach])

    def grp(a: int, b: int) -> float:
        if not evidence:
            evidence.append(_evidence(squeezed, issue_levels, reach, config, pmi_levels, corpus_levels))
        return float(evidence[0][a, b - a + reach])

    model_cache: dict[tuple[int, int], float] = {}

    def model(a: int, b: int) -> float:
        if reads_on is None:
            return 0.0
        if (a, b) not in model_cache:
            p = min(max(reads_on(text[a], text[b]), 1e-6), 1 - 1e-6)
            model_cache[(a, b)] = config.model_weight * math.log(p / (1 - p))
        return model_cache[(a, b)]

    def full(i: int) -> bool:
        return len(text[i]) >= config.min_chars

    def continues(a: int, b: int) -> bool:
        return level(a, b) > config.max_group_candidate

    bar = config.min_gain if corpus_levels is None else config.min_gain_corpus
    candidates: list[tuple[int, int, int, list[tuple[float, int]]]] = []
    for i in range(1, len(seq) - 2):
        p, n = i - 1, i + 1
        if not (full(p) and full(i)) or ends_closed(text[p]) or ends_closed(text[i]):
            continue
        if continues(p, i) or continues(i, n):
            continue  # it reads on into a neighbour: where it is printed is where it belongs
        if sum(bool(LIST_ROW.match(text[j])) for j in (p, i, n)) >= 2:
            continue  # rows of a list (OCR's stray spaces put one in a prose line's first gaps rarely twice)
        printed = grp(p, i) + grp(i, n)
        joined = grp(p, n)
        places: list[tuple[float, int]] = []
        for t in range(n, min(len(seq) - 1, i + 1 + config.max_ahead)):
            t2 = t + 1
            if ends_closed(text[t]) or not full(t):
                continue
            places.append((joined + grp(t, i) + grp(i, t2) - printed - grp(t, t2), t))
        places.sort(reverse=True)
        if places and places[0][0] >= bar - config.model_reach:
            candidates.append((i, p, n, places))
    # The model ranks the two best places and may veto: asked only there (pkuseg is the costly part).
    if reads_on is not None and prefetch is not None:
        prefetch([(text[a], text[b]) for i, p, n, places in candidates for _, t in places[:2]
                  for a, b in ((p, n), (t, i), (i, t + 1), (p, i), (i, n), (t, t + 1))])  # fmt: skip
    found: list[Move] = []
    for i, p, n, places in candidates:
        scored = []
        for g, t in places[:2]:
            t2 = t + 1
            g += model(p, n) + model(t, i) + model(i, t2) - model(p, i) - model(i, n) - model(t, t2)
            scored.append((g, t))
        scored.sort(reverse=True)
        best, t = scored[0]
        second = max([scored[1][0] if len(scored) > 1 else -math.inf] + [g for g, _ in places[2:3]])
        if best >= bar and best - second >= config.min_margin:
            found.append(Move(seq[i].index, seq[t].index, round(best, 6)))
    # Overlapping moves (a line both moved and next to another move): keep the stronger.
    used: set[int] = set()
    out = []
    for m in sorted(found, key=lambda m: (-m.gain, m.line)):
        k = next(j for j, ln in enumerate(seq) if ln.index == m.line)
        t = next(j for j, ln in enumerate(seq) if ln.index == m.after)
        involved = {seq[j].index for j in (k - 1, k, k + 1, t, t + 1)}
        if involved & used:
            continue
        used |= involved
        out.append(m)
    return tuple(sorted(out, key=lambda m: m.line))


def _evidence(
    squeezed: list[str], issue_levels: np.ndarray, reach: int, config: ColumnOrderConfig,
    pmi_levels: NearLevels | None, corpus_levels: NearLevels | None,
) -> np.ndarray:
    """Log-likelihood ratio that each near junction reads on, from the characters across it: the
    issue's groups (with the training months' groups: ``joint_llr``) plus the weighted pair PMI."""
    if corpus_levels is None:
        out = np.asarray(config.group_llr, dtype=np.float64)[issue_levels]
    else:
        column = np.zeros(max(_CORPUS_COLUMN) + 1, dtype=np.int64)
        for length, c in _CORPUS_COLUMN.items():
            column[length] = c
        rows = np.maximum(issue_levels.astype(np.int64) - 1, 0)  # issue level 0 or 2..4 -> row 0..3
        out = np.asarray(config.joint_llr, dtype=np.float64)[rows, column[corpus_levels(squeezed, reach)]]
    if pmi_levels is not None and config.pmi_weight != 0:
        pmi = pmi_levels(squeezed, reach)
        llr = np.asarray(config.pmi_llr, dtype=np.float64)[np.searchsorted(config.pmi_edges, np.nan_to_num(pmi), side="right")]
        out = out + np.where(np.isnan(pmi), 0.0, config.pmi_weight * llr)
    return out


def pairwise(fn: Callable[[str, str], "float | int | None"], dtype=np.float64) -> NearLevels:
    """A ``NearLevels`` from a function of one junction (None: no answer, NaN in a float array)."""

    def levels(texts: Sequence[str], reach: int) -> np.ndarray:
        out = np.full((len(texts), 2 * reach + 1), np.nan if np.dtype(dtype).kind == "f" else 0, dtype=dtype)
        for a in range(len(texts)):
            for b in range(max(0, a - reach), min(len(texts), a + reach + 1)):
                x = fn(texts[a], texts[b])
                if x is not None:
                    out[a, b - a + reach] = x
        return out

    return levels


def apply_moves(
    blocks: Sequence[Block], lines: Sequence[Line], moves: Sequence[Move], join_lines: Callable[[list[str]], str]
) -> tuple[tuple[Block, ...], dict[int, int]]:
    """Blocks cut at the moved lines (renumbered, page order, own offsets) and the joins the moves
    make: moved line → block ending with T, the block after T → moved line, the block after the moved
    line's printed place → the block before it."""
    if not moves:
        return tuple(blocks), {}
    by_index = {ln.index: ln for ln in lines}
    cut_before: set[int] = set()
    for m in moves:
        nxt_x = _next_kept_line(blocks, m.line)
        nxt_t = _next_kept_line(blocks, m.after)
        cut_before |= {m.line} | {x for x in (nxt_x, nxt_t) if x is not None}
    out: list[Block] = []
    piece_of: dict[int, int] = {}  # line index -> new block index
    for b in blocks:
        runs: list[list[int]] = [[]]
        for li in b.lines:
            if runs[-1] and li in cut_before and b.kept:
                runs.append([])
            runs[-1].append(li)
        for run in runs:
            ls = [by_index[li] for li in run]
            text = b.text if len(runs) == 1 else join_lines([ln.clean for ln in ls])
            nb = replace(b, index=len(out), start=ls[0].start, end=ls[-1].end, text=text, lines=tuple(run),
                         heading=ls[0].heading if len(runs) > 1 else b.heading, bold=ls[0].bold if len(runs) > 1 else b.bold,
                         blank_before=ls[0].blank_before if len(runs) > 1 else b.blank_before)
            for li in run:
                piece_of[li] = nb.index
            out.append(nb)
    joins: dict[int, int] = {}
    for m in moves:
        prev_x = _prev_kept_line(blocks, m.line)
        nxt_x = _next_kept_line(blocks, m.line)
        nxt_t = _next_kept_line(blocks, m.after)
        joins[piece_of[m.line]] = piece_of[m.after]
        if nxt_t is not None:
            joins[piece_of[nxt_t]] = piece_of[m.line]
        if prev_x is not None and nxt_x is not None:
            joins[piece_of[nxt_x]] = piece_of[prev_x]
    return tuple(out), joins


def _kept_lines(blocks: Sequence[Block]) -> list[int]:
    return [li for b in blocks if b.kept and not b.heading and not b.bold for li in b.lines]


def _next_kept_line(blocks: Sequence[Block], line: int) -> int | None:
    kept = _kept_lines(blocks)
    k = kept.index(line)
    return kept[k + 1] if k + 1 < len(kept) else None


def _prev_kept_line(blocks: Sequence[Block], line: int) -> int | None:
    kept = _kept_lines(blocks)
    k = kept.index(line)
    return kept[k - 1] if k > 0 else None


def with_moves(joins: dict[int, int], forced: dict[int, int]) -> dict[int, int]:
    """The repair stage's joins with the moves' joins on top: a block the moves continue or that
    continues a move keeps the moves' reading; a repair join that would close a cycle is dropped."""
    if not forced:
        return joins
    lefts = set(forced.values())
    out = {r: l for r, l in joins.items() if r not in forced and l not in lefts}
    out.update(forced)
    # A cycle (a chain of continuations returning to its start) would lose its blocks: break it at
    # a repair join (the moves' own joins form chains that go forward in reading order).
    for start in list(out):
        seen, cur = set(), start
        while cur in out and cur not in seen:
            seen.add(cur)
            cur = out[cur]
        if cur in seen:
            for r in list(seen):
                if r not in forced:
                    out.pop(r, None)
                    break
            else:
                return joins
    return out
