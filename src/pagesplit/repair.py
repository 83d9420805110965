"""Broken paragraphs: a block cut by a column break, joined with the block that continues it.

An open-ended body paragraph (running prose that stops without final punctuation) almost always
continues somewhere: next door most often, or a few blocks later (the tail of a column printed
after another article), or its continuation was lost. So joins are a *choice among candidates*:
every open left side is paired with each kept block within reach, each pair is scored by how well
the two sides read on, and pairs are taken best first, each left and each right side once.

The score of a pair adds up:

* position: the next kept block (nothing but removed blocks between) is where a column continues;
* the junction model (``junction.py``): how the characters across the junction read on, as a
  log-odds, so it ranks the candidates and argues against a right side that reads as a paragraph
  start;
* a word that crosses the junction (``考|核`` → pkuseg reads ``考核``), stronger next door;
* an open quote or bracket on the left closed on the right (``“形成一督|一评价一销号”``), or a
  closer on the right with nothing open on the left (against);
* the right side starting with punctuation or a particle (it cannot start a sentence);
* a dangling word ending the left side (``共同|谱写``);
* against: a left side ending on a clause comma (how an orphaned continuation's neighbour looks);
* against: a left side short enough to be a heading, with no sentence end and no quote left open.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from .features import compact_head
from .junction import JunctionModel, WordMemo, edges, word_across
from .roles import is_caption
from .text import CLAUSE, LIST_ROW, NEWS_DATE, SENTENCE_END, closes_open_bracket, ends_closed, first_unmatched_closer, is_bare, open_quotes
from .types import Block

# Characters that do not begin a sentence in Chinese news prose: they attach to what precedes.
# Not 地 and 得: as the first character of a word they begin sentences often (地铁, 地区, 得益于),
# and the junction model weighs them from data (163 dev pages: paragraph-layout join P/R
# 0.906/0.746 -> 0.911/0.750 without them; the conjunctions here cost wrapped articles when dropped).
_NO_START = set("的了着过吗呢吧啊之其而及与和或并且但即") | set("，,、。；;：:！？!?”’」』）)】》…")


@dataclass(frozen=True)
class RepairConfig:
    # How many kept blocks after a cut paragraph may hold its continuation. Column tails land
    # within a few blocks (dev: 2–7); beyond that a fit is more likely chance than layout.
    max_distance: int = 12
    # Blocks shorter than this are labels or headlines, never halves of a cut paragraph.
    min_chars: int = 8
    # Score a pair needs: next door, position already argues for it; further away the
    # junction itself has to (a word across or a confident model). Set on the dev pages' trade-off
    # (scripted sweep over these weights): next door the model must not argue against the join
    # (log-odds ≳ −0.5 with no other evidence), far away a word across (+2) and p ≳ 0.6, or
    # p ≳ 0.92 alone.
    # Re-swept once junctions read without OCR spaces (163 dev pages, paragraph layout): far bar
    # 3.0 → join P/R 0.911/0.750, 2.5 → 0.901/0.784 (exact 0.803 → 0.816), 2.0 → 0.869/0.802;
    # next door 1.5 / 2.5 traded P for R at the same exact rate.
    min_score_adjacent: float = 2.0
    min_score_far: float = 2.5
    # Line-wrapped pages: blocks are the line-wrap reading's paragraphs, and lists of entries
    # (names and titles, each ending open) are common there; a line that ends open is much weaker
    # evidence of a cut, so both bars are one point higher.
    wrapped_min_score_adjacent: float = 3.0
    wrapped_min_score_far: float = 4.0
    # Next door with nothing but removed blocks between, the left side not ending on a comma.
    adjacent_bonus: float = 2.5
    # Weight of the junction model's log-odds, clipped to ±model_clip: the model was trained at a
    # 1:1 prior between "reads on" and "starts a paragraph / another text", so its log-odds is
    # evidence to add, not a decision; the clip keeps one confident n-gram from outvoting layout.
    model_weight: float = 1.0
    model_clip: float = 4.0
    # Weight of the PMI of the character pair across the junction (``charstats.py``), clipped to
    # [pmi_min, pmi_max]. Fitted beside the model's log-odds on composed training pages (a logistic
    # regression with both as inputs; AUC 0.90 -> 0.96 for far candidates, 0.86 -> 0.95 next door):
    # 0.94 of the model's weight for far candidates, 2.3 next door; 1.0 takes the far one (most
    # candidates are far, and next door the adjacency bonus already speaks). Pairs of running text
    # sit around +2, unseen pairs of common characters below −3.
    pmi_weight: float = 1.0
    # A rare pair is weaker evidence against than a common one is for: a sentence cut between two
    # words of an uncommon phrase ("形成一督|一评价一销号", the seed's 107 → 141: 督一 −2.3) still
    # reads on. At −3 that pair lost to the paragraph start next door; −1 keeps it and found as
    # many joins on the dev pages.
    pmi_min: float = -1.0
    pmi_max: float = 6.0
    # A word across the junction. Next door it mostly repeats what the model's character pairs
    # already say; far away it is the main evidence beside the model.
    word_bonus_adjacent: float = 1.0
    word_bonus_far: float = 2.0
    # The right side starts with what cannot start a sentence.
    no_start_bonus: float = 2.0
    # An opener on the left closed on the right (+), a closer on the right with none open (−):
    # the quote's own words on both sides, strong enough to carry a far pair with a neutral model.
    quote_bonus: float = 3.0
    # The left side ends on a word that needs what follows (DANGLING_WORDS; half of it far away):
    # a sentence cannot stop there, whatever the model makes of the characters (seed: 共同|谱写).
    dangling_bonus: float = 3.0
    # The left side ends on a clause comma: a cut column rarely ends exactly there, while the
    # neighbour of an orphaned continuation (its beginning lost) does.
    clause_penalty: float = 1.0
    # Characters each side of the junction handed to the word segmenter.
    junction_window: int = 6
    # A far right side this short without clause or sentence punctuation is a headline or a
    # label (corpus intertitles and headlines run up to ~40 characters), not a sentence's tail.
    heading_max_chars: int = 40
    # A left side this short with no sentence end in it reads as a heading: an intertitle or kicker
    # of two parallel phrases ("搭建线上平台，拓宽销售渠道") ends open too and has the clause
    # comma that makes it prose, and the paragraph under it then looked like its continuation. A
    # column cut leaves so short a piece rarely, so such a left side needs that much more evidence.
    # A left side with a quote still open is exempt (a heading leaves none open; the seed's
    # "形成一督|一评价一销号”" is such a cut). In-process on the dev pages (2020-07..09, seed 13; 666
    # pages): join P/R 0.818/0.757 -> 0.834/0.756, exact 0.836 -> 0.838; on another composition of
    # those months (seed 21, 645 pages, 16 of its 40 issues shared) 0.770/0.748 -> 0.785/0.745,
    # exact 0.851 -> 0.853. 30 characters or a penalty of 3 bought a little more precision for
    # more recall.
    short_left_chars: int = 24
    short_left_penalty: float = 2.0


# A dateline or byline opens an article's first paragraph: never the second half of another one.
_DATELINE = re.compile(r"^(?:本报讯|本报记者|新华社|中新社|本报.{0,12}电|.{0,12}(?:月\d{1,2}[日曰]|[日曰])电)")  # 曰: OCR's 日
# ... and the datelines a story follows on the same line ("本报讯", "…8月25日电"; not a byline such
# as "本报记者　王浩", which may stand alone).
_STORY_DATELINE = re.compile(r"^(?:本报讯|.{0,16}[日曰]电)")

# Words that cannot end a Chinese sentence: adverbs, prepositions, conjunctions and auxiliaries
# that need what follows them ("…在七个方面聚焦发力，共同|谱写…"). A left side ending on one was cut
# mid-sentence, and its neighbour is the first place to look for the rest.
DANGLING_WORDS = frozenset(
    "共同 进一步 不断 积极 全面 深入 持续 加快 努力 切实 认真 大力 充分 继续 逐步 有效 更加 "
    "把 将 对 为 在 从 向 与 和 及 以及 并 而 或 但 却 被 让 使 由 给 跟 同 以 于 按照 根据 通过 围绕 "
    "更 最 很 也 都 还 又 再 就 才 已 正 要 会 能 可 应 须 需 必须 应当 已经 正在 将要 是 的 之 其 各 每".split()
)

WordSplitter = Callable[[str], list[str]]


def find_joins(
    blocks: Sequence[Block],
    words: WordSplitter | None = None,
    config: RepairConfig = RepairConfig(),
    *,
    model: JunctionModel | None = None,
    layout: str = "paragraph",
    words_many: Callable[[list[str]], list[list[str]]] | None = None,
    join_model=None,
    lines: Sequence | None = None,
) -> dict[int, int]:
    """Map continuation block index → the block index it continues (its left side).

    ``model`` (the trained junction model) weighs each candidate junction on top of the rule
    evidence; without it, the rules alone decide. ``layout`` ``"wrapped"`` raises the bars
    (``RepairConfig.wrapped_min_score_*``). ``words_many`` (the batch form of ``words``; or pass
    a ``junction.WordMemo`` as ``words``) segments the left sides' tails, then the junctions that
    could decide a pair, in two batches. With a ``join_model`` (``joinmodel.JoinModel``), ``model``,
    ``words`` and the page's ``lines``, the join model decides instead of the summed score (see
    "the learned decision" below)."""
    need_adjacent, need_far = _bars(config, layout)
    if words is not None:
        # a left side's tail is asked for with every candidate; a caller's memo (with its batch form) is shared
        words = words if isinstance(words, WordMemo) else WordMemo(words, words_many)
    pairs_in_reach = candidate_pairs(blocks, config)
    if join_model is not None and words is not None and model is not None and lines is not None:
        return _learned_joins(pairs_in_reach, words, config, model, join_model, layout, lines)
    candidates = [(left, right, adjacent, need_adjacent if adjacent else need_far) for left, right, adjacent, _ in pairs_in_reach]
    if words is not None:
        words.prefetch(edges(left.text, "", config.junction_window)[0] for left, _, _, _ in candidates)
    scored = [(pair_parts(left.text, right.text, adjacent, words, config, model=model), left, right, need)
              for left, right, adjacent, need in candidates]  # fmt: skip
    # only the junctions of pairs that could reach their bar whatever pkuseg reads are segmented
    if words is not None:
        words.prefetch_junctions(((left.text, right.text) for (score, evidence), left, right, need in scored
                                  if score + max(evidence.values()) >= need), config.junction_window)  # fmt: skip
    pairs: list[tuple[float, int, int]] = []
    for (score, evidence), left, right, need in scored:
        score = pair_total(left.text, right.text, score, evidence, words, config, need=need)
        if score >= need:
            pairs.append((score, left.index, right.index))
    return _best_first(pairs)


def _bars(config: RepairConfig, layout: str) -> tuple[float, float]:
    """The summed score a pair needs next door and further away (higher on line-wrapped pages)."""
    if layout == "wrapped":
        return config.wrapped_min_score_adjacent, config.wrapped_min_score_far
    return config.min_score_adjacent, config.min_score_far


Candidate = tuple[Block, Block, bool, int]  # left, right, adjacent, distance (kept blocks)


def candidate_pairs(blocks: Sequence[Block], config: RepairConfig = RepairConfig()) -> list[Candidate]:
    """Every pair a join may be made of: an open prose left side and a kept block within reach
    that could go on from it (not a dateline, a second row of a list, or a heading further down)."""
    kept = [b for b in blocks if b.kept and not b.heading and not b.bold and not is_caption(b.text)]
    out: list[Candidate] = []
    for i, left in enumerate(kept):
        if not _open_prose(left.text, config):
            continue
        left_row = bool(LIST_ROW.match(left.text))
        for dist, right in enumerate(kept[i + 1 : i + 1 + config.max_distance], start=1):
            if len(right.text.strip()) < config.min_chars or _DATELINE.match(compact_head(right.text.lstrip())):
                continue
            if left_row and LIST_ROW.match(right.text):
                continue  # two rows of a list: each ends open, neither continues the other
            adjacent = dist == 1 and _nothing_between(blocks, left, right)
            if not adjacent and _heading_like(right.text, config):
                continue  # a headline or label further down is not where a cut sentence goes on
            out.append((left, right, adjacent, dist))
    return out


def _best_first(pairs: list[tuple[float, int, int]]) -> dict[int, int]:
    """Best first, each side once; ties go to the nearer pair, then page order (deterministic)."""
    pairs.sort(key=lambda p: (-p[0], p[2] - p[1], p[1]))
    joins: dict[int, int] = {}
    lefts: set[int] = set()
    for _, left_i, right_i in pairs:
        if left_i in lefts or right_i in joins:
            continue
        joins[right_i] = left_i
        lefts.add(left_i)
    return dict(sorted(joins.items()))


# --- the learned decision ----------------------------------------------------------------------
#
# The evidence above, summed with hand-set weights and bars, mixes badly with the page's shape: a
# long left side ending open on a paragraph page is a cut whatever its last two characters make of
# it, a wrapped left side whose last line is full length was stopped by the column, not by its
# sentence. The join model (``joinmodel.py``, gradient-boosted trees fitted on the composed training
# pages' candidate pairs, labelled from gold) reads the same evidence as separate columns beside the
# sides' shape and answers with a probability (figures in ``joinmodel.JOIN_BAR``'s comment).

JOIN_COLUMNS = (
    "adjacent", "wrapped", "left_ends_clause", "short_left", "right_no_start", "quote",
    "pmi", "junction_logodds", "word_across", "dangling",
    "left_chars", "right_chars", "left_has_sentence_end", "right_has_sentence_end", "right_lede", "distance",
    "left_ends_digit", "right_starts_digit", "left_open_quotes", "right_lines", "left_lines",
    "left_last_line_share", "right_first_line_share", "line_before_right_share",
    "right_first_clause_chars", "right_starts_quote",
)  # fmt: skip
# The junction model's log-odds and the character pair's PMI are clipped here: beyond, a text's rare
# n-grams speak, not the junction.
JOIN_LOGODDS_CLIP = 8.0
JOIN_PMI_CLIP = 6.0
# How far into the right side to look for a sentence end (a continuation ends its sentence soon).
RIGHT_SENTENCE_WINDOW = 60
# A news paragraph's opening words: a date ("7月6日，"), "近日", "据…" — a paragraph start, not a tail.
_LEDE = re.compile(f"^(?:{NEWS_DATE}|近日|日前|近年来|目前|今年|去年|据|在|当)")
_CLAUSE_SPLIT = re.compile(r"[，,。；;：:！？!?、]")
_OPENS_TEXT = frozenset("“‘「『《（(")
# Lines shorter than this (labels, page numbers, stray characters) are left out of a page's median
# line length, the measure of a full line.
SHAPE_MIN_LINE = 10


def _median_line(lines: Sequence) -> int:
    lengths = sorted(len(ln.clean) for ln in lines if len(ln.clean) >= SHAPE_MIN_LINE)
    return lengths[len(lengths) // 2] if lengths else 0


def _clipped_logodds(p: float, clip: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return max(-clip, min(clip, math.log(p / (1 - p))))


def _left_part(left_b: Block, lines: Sequence, scale: float, words: WordSplitter, config: RepairConfig) -> dict:
    """What a row reads of its left side alone (the same for each of the side's candidates)."""
    left = left_b.text.rstrip()
    last = left[-1]
    tail = words(edges(left, "", config.junction_window)[0])
    opened = open_quotes(left)
    sentence_end = any(ch in SENTENCE_END for ch in left)
    return {
        "left_ends_clause": float(last in CLAUSE),
        "short_left": float(len(left) <= config.short_left_chars and not sentence_end and not opened),
        "dangling": float(bool(tail) and tail[-1] in DANGLING_WORDS),
        "left_chars": float(len(left)), "left_has_sentence_end": float(sentence_end),
        "left_ends_digit": float(last.isdigit()), "left_open_quotes": float(len(opened)), "left_lines": float(len(left_b.lines)),
        "left_last_line_share": len(lines[left_b.lines[-1]].clean) / scale,
    }  # fmt: skip


def _right_part(right_b: Block, lines: Sequence, scale: float) -> dict:
    """What a row reads of its right side alone."""
    right = right_b.text.lstrip()
    first = right[0]
    first_line = right_b.lines[0]
    return {
        "right_no_start": float(first in _NO_START), "right_chars": float(len(right)),
        "right_has_sentence_end": float(any(ch in SENTENCE_END for ch in right[:RIGHT_SENTENCE_WINDOW])),
        "right_lede": float(bool(_LEDE.match(right))), "right_starts_digit": float(first.isdigit()),
        "right_lines": float(len(right_b.lines)), "right_first_line_share": len(lines[first_line].clean) / scale,
        "line_before_right_share": (len(lines[first_line - 1].clean) if first_line > 0 else 0) / scale,
        "right_first_clause_chars": float(len(_CLAUSE_SPLIT.split(right, 1)[0])), "right_starts_quote": float(first in _OPENS_TEXT),
    }  # fmt: skip


def _rows_both(candidates: Sequence[Candidate], words: WordMemo, config: RepairConfig, model: JunctionModel, layout: str,
               lines: Sequence) -> list[tuple[list[float], list[float]]]:
    """The ``JOIN_COLUMNS`` of each candidate pair as if pkuseg read a word across the junction,
    and as if it read none (they differ in those two columns). ``lines``: the page's lines
    (``blocks.read_lines``). Each side's own columns are read once (a left side has up to
    ``max_distance`` candidates), the junction model asked once for the page."""
    scale = _median_line(lines) or 1
    words.prefetch(edges(left.text, "", config.junction_window)[0] for left, _, _, _ in candidates)
    lefts = {c[0].index: c[0] for c in candidates}
    rights = {c[1].index: c[1] for c in candidates}
    left_parts = {i: _left_part(b, lines, scale, words, config) for i, b in lefts.items()}
    right_parts = {i: _right_part(b, lines, scale) for i, b in rights.items()}
    probs = model.probability_both_many([(left.text, right.text, adjacent) for left, right, adjacent, _ in candidates])
    # the characters that meet at each side (``pair_pmi`` of two single characters reads them as they are)
    last = {i: edges(b.text, "", 1)[0] for i, b in lefts.items()}
    first = {i: edges("", b.text, 1)[1] for i, b in rights.items()}
    wrapped = float(layout == "wrapped")
    out = []
    for (left_b, right_b, adjacent, dist), both_p in zip(candidates, probs):
        left, right = left_b.text.rstrip(), right_b.text.lstrip()
        pmi = model.pair_pmi(last[left_b.index], first[right_b.index])
        quote = 1.0 if closes_open_bracket(left, right) else (-1.0 if not open_quotes(left) and first_unmatched_closer(right) is not None else 0.0)
        values = left_parts[left_b.index] | right_parts[right_b.index] | {
            "adjacent": float(adjacent), "wrapped": wrapped, "quote": quote,
            "pmi": math.nan if pmi is None else max(-JOIN_PMI_CLIP, min(JOIN_PMI_CLIP, pmi)), "distance": float(dist),
        }  # fmt: skip
        both = []
        for across, p in zip((True, False), both_p):
            values["junction_logodds"] = _clipped_logodds(p, JOIN_LOGODDS_CLIP)
            values["word_across"] = float(across)
            both.append([values[c] for c in JOIN_COLUMNS])
        out.append((both[0], both[1]))
    return out


def _readings(candidates: Sequence[Candidate], ask: Sequence[bool], words: WordMemo, config: RepairConfig) -> list[bool | None]:
    """Whether pkuseg reads a word across each asked candidate's junction (None: not asked), the
    junctions segmented in one batch."""
    sides = [(c[0].text.rstrip(), c[1].text.lstrip()) for c in candidates]
    words.prefetch_junctions([side for side, a in zip(sides, ask) if a], config.junction_window)
    return [word_across(left, right, words, config.junction_window) if a else None for (left, right), a in zip(sides, ask)]


def learned_rows_both(
    candidates: Sequence[Candidate], words: WordMemo, config: RepairConfig, model: JunctionModel, layout: str, lines: Sequence,
) -> tuple[list[tuple[list[float], list[float]]], list[bool]]:
    """Each candidate's ``JOIN_COLUMNS`` rows under both readings of its junction, and pkuseg's
    reading (the join models' training examples: ``training.join_rows``)."""
    both = _rows_both(candidates, words, config, model, layout, lines)
    return both, [bool(a) for a in _readings(candidates, [True] * len(candidates), words, config)]


def _learned_joins(candidates, words, config, model, join_model, layout, lines) -> dict[int, int]:
    return _learned_joins_many([(candidates, words, layout, lines)], config, model, join_model)[0]


def learned_joins_many(
    pages: Sequence[tuple[Sequence[Block], WordMemo, str, Sequence]], config: RepairConfig, model: JunctionModel, join_model,
) -> list[dict[int, int]]:
    """``find_joins`` with the join model for several pages (``(blocks, words, layout, lines)``
    each: an issue), the trees evaluated once for all of them (a call costs its levels' numpy steps
    as well as its rows: 308 calls for the 332 pages of 20 dev issues took 0.27 s, one an issue
    0.19 s; profiled, one-off) — the same answers as page by page."""
    return _learned_joins_many([(candidate_pairs(blocks, config), words, layout, lines) for blocks, words, layout, lines in pages],
                               config, model, join_model)  # fmt: skip


def _learned_joins_many(questions, config, model, join_model) -> list[dict[int, int]]:
    """The join model's pairs of each page (then ``_quotes_closed``). Both readings of every junction
    are scored; only the junctions of pairs that could matter are segmented (``seen_probabilities``).
    With a rival model, each pair is read again beside its rivals (``rival_rows``) and that answer
    decides."""
    both = [_rows_both(candidates, words, config, model, layout, lines) for candidates, words, layout, lines in questions]
    flat = [b for page in both for b in page]
    p = join_model.probabilities([b[0] for b in flat] + [b[1] for b in flat])
    p_across, p_not = p[: len(flat)], p[len(flat) :]
    ask_at = RIVAL_ASK if join_model.rivals is not None else join_model.bar
    seen, at = [], 0
    for (candidates, words, _, _), page in zip(questions, both):
        pa, pn = p_across[at : at + len(page)], p_not[at : at + len(page)]
        at += len(page)
        across = _readings(candidates, worth_reading(pa, pn, ask_at), words, config)
        seen.append((across, seen_probabilities(pa, pn, across)))
    if join_model.rivals is not None:
        rows = [r for (candidates, _, _, _), page, (across, ps) in zip(questions, both, seen)
                for r in rival_rows([(c[0].index, c[1].index) for c in candidates], [b[0] if a else b[1] for b, a in zip(page, across)], ps)]  # fmt: skip
        q = join_model.rival_probabilities(rows)
        decided, at = [], 0
        for page in both:
            decided.append(q[at : at + len(page)])
            at += len(page)
    else:  # the first answer, under pkuseg's reading (a pair not asked cannot reach the bar)
        decided = [np.where([a is not None for a in across], ps, 0.0) for across, ps in seen]
    out = []
    for (candidates, words, layout, _), q in zip(questions, decided):
        pairs = [(float(x), c[0].index, c[1].index) for c, x in zip(candidates, q) if x >= join_model.bar]
        joins = _best_first(pairs)
        out.append(joins | _quotes_closed(candidates, joins, words, config, model, layout))
    return out


# --- the second look: each pair beside its rivals ----------------------------------------------
#
# The join model reads a pair on its own; best first, each side once, then settles who wins. But how
# good a pair's rivals are is evidence too: a pair at 0.2 whose left side has no other candidate worth
# the name is not the same question as one whose left side also reaches 0.6 further on. The rival
# model (``joinmodel.fit_rivals``) reads a pair's columns with its first answer and its rivals'
# (fitted on answers out of fold: ``training.rival_rows_out_of_fold``); figures in
# ``joinmodel.RIVAL_BAR``'s comment.
RIVAL_COLUMNS = JOIN_COLUMNS + (
    "p", "left_rival", "right_rival", "left_candidates", "right_candidates", "left_better", "right_better",
)  # fmt: skip
# Junctions segmented when a rival model decides: a pair whose first answer is under this under
# either reading keeps the higher of the two (its reading hardly moves it, and its rivals see it).
RIVAL_ASK = 0.05


def worth_reading(p_across, p_apart, floor: float) -> list[bool]:
    """Which junctions pkuseg is asked about: those whose pair reaches ``floor`` under either reading."""
    return list(np.maximum(p_across, p_apart) >= floor)


def seen_probabilities(p_across, p_apart, across: Sequence[bool | None]) -> np.ndarray:
    """Each pair's first answer as the rivals see it: under pkuseg's reading where it was asked
    (``across`` True or False), else the higher of its two readings."""
    return np.array([float(a if r else b) if r is not None else float(max(a, b)) for a, b, r in zip(p_across, p_apart, across)])


def rival_rows(sides: Sequence[tuple[int, int]], rows: Sequence[Sequence[float]], p: Sequence[float]) -> list[list[float]]:
    """``RIVAL_COLUMNS`` of a page's candidate pairs (``sides``: left and right block index of
    each): each pair's ``JOIN_COLUMNS`` row (``rows``), its first answer ``p``, and its rivals' — the
    best other pair of its left side and of its right side, how many each side has and how many of
    them answered higher."""
    by_left: dict[int, list[int]] = {}
    by_right: dict[int, list[int]] = {}
    for k, (left, right) in enumerate(sides):
        by_left.setdefault(left, []).append(k)
        by_right.setdefault(right, []).append(k)
    out = []
    for k, (left, right) in enumerate(sides):
        mine = float(p[k])
        lefts = [float(p[j]) for j in by_left[left] if j != k]
        rights = [float(p[j]) for j in by_right[right] if j != k]
        out.append([*rows[k], mine, max(lefts, default=0.0), max(rights, default=0.0), float(len(lefts)), float(len(rights)),
                    float(sum(x > mine for x in lefts)), float(sum(x > mine for x in rights))])  # fmt: skip
    return out


def _quotes_closed(candidates, joins, words, config, model, layout) -> dict[int, int]:
    """Pairs whose right side closes the quote or bracket the left side left open, among the sides
    the join model left free, taken when the summed score takes them (``quote_bonus``: the quote's
    own words on both sides). The model learned how far on a tail stands from the composed pages,
    where few stand more than four blocks on; the seed's 107 → 141 (ten blocks on) it gave 0.012."""
    need_adjacent, need_far = _bars(config, layout)
    lefts = set(joins.values())
    pairs = []
    for left, right, adjacent, _ in candidates:
        if left.index in lefts or right.index in joins or not closes_open_bracket(left.text.rstrip(), right.text.lstrip()):
            continue
        need = need_adjacent if adjacent else need_far
        score = pair_score(left.text, right.text, adjacent, words, config, model=model, need=need)
        if score >= need:
            pairs.append((score, left.index, right.index))
    return _best_first(pairs)


def _open_prose(text: str, config: RepairConfig) -> bool:
    """A left side worth a continuation: long enough, ending open, reading as prose (a headline,
    label or byline also ends without punctuation but has no clause punctuation inside). Cut
    before its first comma, a side is still prose when it leaves a quote or bracket open (a
    headline closes what it opens) or opens with a dateline ("新华社北京8月25日电　…": a dateline is
    followed by the story, not by a heading)."""
    return (len(text.strip()) >= config.min_chars and not ends_closed(text)
            and (_prose(text) or bool(open_quotes(text)) or bool(_STORY_DATELINE.match(compact_head(text.lstrip())))))  # fmt: skip


def pair_score(
    left: str,
    right: str,
    adjacent: bool,
    words: WordSplitter | None,
    config: RepairConfig = RepairConfig(),
    *,
    model: JunctionModel | None = None,
    need: float | None = None,
) -> float:
    """How well ``right`` reads on from ``left`` (the sum described in the module docstring).

    With ``need`` (the score a pair must reach to be taken), a pair that could not reach it
    whatever pkuseg reads across the junction is not segmented: the returned score is then an
    upper bound below ``need``, and the pair is refused exactly as with the full score. Most
    candidates of an open paragraph are far and foreign, and segmenting each junction costs as
    much pkuseg time per character as the page itself."""
    score, evidence = pair_parts(left, right, adjacent, words, config, model=model)
    return pair_total(left, right, score, evidence, words, config, need=need)


def pair_parts(
    left: str, right: str, adjacent: bool, words: WordSplitter | None, config: RepairConfig = RepairConfig(),
    *, model: JunctionModel | None = None,
) -> tuple[float, dict[bool, float] | None]:
    """The score of a pair without what pkuseg reads across the junction, and that reading's
    evidence for either answer (None without a word segmenter: the score is then whole)."""
    left, right = left.rstrip(), right.lstrip()
    last, first = left[-1], right[0]
    score = 0.0
    if adjacent and last not in CLAUSE:
        score += config.adjacent_bonus
    if last in CLAUSE:
        score -= config.clause_penalty
    if len(left) <= config.short_left_chars and not any(ch in SENTENCE_END for ch in left) and not open_quotes(left):
        score -= config.short_left_penalty  # heading-sized (a heading leaves no quote open)
    if first in _NO_START:
        score += config.no_start_bonus
    if closes_open_bracket(left, right):
        score += config.quote_bonus
    elif not open_quotes(left) and first_unmatched_closer(right) is not None:
        score -= config.quote_bonus
    pmi = model.pair_pmi(left, right) if model is not None else None
    if pmi is not None:  # the character pair across the junction (``charstats.py``)
        score += config.pmi_weight * max(config.pmi_min, min(config.pmi_max, pmi))
    if words is None:
        return score + _model_score(model, left, right, None, adjacent, config), None
    # The word evidence and the model's reading, for either answer of pkuseg across the junction.
    evidence = {a: _word_bonus(left, adjacent, words, config, across=a) + _model_score(model, left, right, a, adjacent, config)
                for a in (True, False)}  # fmt: skip
    return score, evidence


def pair_total(
    left: str, right: str, score: float, evidence: dict[bool, float] | None, words: WordSplitter | None,
    config: RepairConfig = RepairConfig(), *, need: float | None = None,
) -> float:
    """``pair_parts``'s score with the evidence of what pkuseg reads across the junction."""
    if evidence is None:
        return score
    best = score + max(evidence.values())
    if need is not None and best < need:
        return best  # refused whatever pkuseg reads: spare the segmenter
    # The model was trained on pkuseg's own reading of the junction. Skipping junctions no word of
    # the page's text could span (a former shortcut) missed words pkuseg forms from characters seen
    # nowhere else on the page and lost a fifth of the joins found on the dev pages, so every
    # junction that could matter is segmented.
    return score + evidence[word_across(left.rstrip(), right.lstrip(), words, config.junction_window)]


def _model_score(
    model: JunctionModel | None, left: str, right: str, across: bool | None, adjacent: bool, config: RepairConfig
) -> float:
    """The junction model's clipped, weighted log-odds (0 without a model); next door it answers
    "continuation or paragraph start?" (``JunctionModel.weights_next``)."""
    if model is None:
        return 0.0
    p = model.probability(left, right, across=across, adjacent=adjacent)
    p = min(max(p, 1e-9), 1 - 1e-9)
    return config.model_weight * max(-config.model_clip, min(config.model_clip, math.log(p / (1 - p))))


def _word_bonus(left: str, adjacent: bool, words: WordSplitter, config: RepairConfig, *, across: bool) -> float:
    """What the words add: a word across the junction (if ``across``) and a dangling tail (known
    from the left side alone); nothing when the left side ends on a clause comma."""
    last = left[-1]
    if last in CLAUSE:
        return 0.0
    bonus = (config.word_bonus_adjacent if adjacent else config.word_bonus_far) if across else 0.0
    tail = words(edges(left, "", config.junction_window)[0])
    if tail and tail[-1] in DANGLING_WORDS:
        bonus += config.dangling_bonus if adjacent else config.dangling_bonus / 2
    return bonus


def reads_on(left: str, right: str, words: WordSplitter, config: RepairConfig = RepairConfig()) -> bool:
    """Does ``right`` go on from ``left`` mid-phrase: a word across the junction (``考|核``) or a
    dangling word ending ``left`` (``共同|谱写``)? A headline wrapped onto two blocks does; a
    headline and its subheadline, or a kicker and its headline, never do (596 composed training
    pages: 7 of 10 two-block headlines, 0 of 336 headline/subheadline pairs)."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return False
    if word_across(left, right, words, config.junction_window):
        return True
    tail = words(edges(left, "", config.junction_window)[0])
    return bool(tail) and tail[-1] in DANGLING_WORDS


def _nothing_between(blocks: Sequence[Block], left: Block, right: Block) -> bool:
    """Only removed blocks (boilerplate, copies, noise) lie between left and right."""
    return all(not b.kept for b in blocks[left.index + 1 : right.index])


def _prose(text: str) -> bool:
    return any(ch in "，,。；;、" for ch in text)


def _heading_like(text: str, config: RepairConfig) -> bool:
    """Short, without clause or sentence punctuation (brackets aside): a headline or a label."""
    t = text.strip()
    return len(t) <= config.heading_max_chars and is_bare(t)


def merge_neighbours(
    blocks: Sequence[Block], joins: dict[int, int], words: dict[int, list[str]]
) -> tuple[tuple[Block, ...], dict[int, int], dict[int, list[str]]]:
    """Join pairs whose halves are neighbours on the page (only whitespace between) become one
    block: in wrapped layout such a pair is a paragraph the line-wrap reading split, not a column
    break, and a segment is contiguous text anyway. Returns renumbered blocks, joins and words."""
    merged_into: dict[int, int] = {}  # old right index -> old left index it is merged into
    for right, left in joins.items():
        if right == left + 1 and blocks[left].kept and blocks[right].kept:
            merged_into[right] = merged_into.get(left, left)
    if not merged_into:
        return tuple(blocks), joins, words
    new_index: dict[int, int] = {}
    out: list[Block] = []
    out_words: dict[int, list[str]] = {}
    for b in blocks:
        root = merged_into.get(b.index)
        if root is not None:
            i = new_index[root]
            head = out[i]
            out[i] = replace(head, end=b.end, text=head.text + b.text, lines=head.lines + b.lines)
            out_words[i] = out_words.get(i, []) + words.get(b.index, [])
            new_index[b.index] = i
            continue
        i = len(out)
        new_index[b.index] = i
        out.append(replace(b, index=i))
        if b.index in words:
            out_words[i] = list(words[b.index])
    new_joins = {new_index[r]: new_index[l] for r, l in joins.items() if r not in merged_into}
    return tuple(out), new_joins, out_words
