"""The link model: which article a body block belongs to — the open one, or one printed before it.

Walking the page in order, a body block (not a joined fragment, which follows its left side) is by
default part of the article last opened by a headline. It may instead be the tail of an earlier
article, printed after the next one. For each body block the candidates are the open article and
the ``MAX_BACK`` articles opened before it; a gradient-boosted classifier scores each (block,
candidate) pair from lexical cohesion (TF-IDF cosine of character pairs, computed over the page's
blocks), where the block sits in the open article (tails are its
last blocks, right before the next headline) and what the block looks like (a dateline opens an
article's body; a block starting with a comma continues something). The highest-scoring candidate
wins.

Training pairs come from gold groupings walked the same way (``pair_rows`` with the gold article
of each block), so the classifier sees the articles' word bags as they are at that point of the walk.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from .features import _DATELINE, _BYLINE_START, compact_head
from .text import cjk_pairs, ends_closed
from .types import Block

# Tails land after the next article or two (the seed's sits after an article and a caption); three
# articles back cover them. How far back a candidate is is deliberately *not* a feature: the
# composed training pages only ever put a tail after the very next article, so a learned distance
# would refuse every other one.
MAX_BACK = 3
PAIR_COLUMNS = (
    "is_open", "cos", "cos_open", "cos_diff", "cos_rank", "cos_head", "cos_max_other",
    "open_n_body", "to_next_head", "next_is_head", "block_log_len", "block_dateline", "block_byline",
    "block_starts_punct", "block_closed", "cand_n_body", "cand_last_closed", "prev_went_here",
    "prev_went_back", "cand_has_head", "cos_open_full", "cos_last",
)


# Words shorter than this carry no topic (particles, single characters).
MIN_WORD_CHARS = 2


def word_bag(words: Sequence[str]) -> Counter:
    """A block's pkuseg words of two characters or more: the role model's cohesion features
    (``features._cohesion``). Character pairs (``bag``) served the role model no better (dev,
    retrained: subheadline F1 0.880 against 0.887, article exact 0.827 against 0.825) and cost more."""
    return Counter(w for w in words if len(w) >= MIN_WORD_CHARS and any(ch.isalnum() for ch in w))


def bag(words: Sequence[str]) -> Counter:
    """A block's topic terms: the pairs of adjacent CJK characters of its text (``words`` joined).

    Pairs rather than pkuseg's words: the segmenter cuts one name differently in different
    sentences ("向|雪飞" here, "向|雪|飞年" in "向雪飞年仅41岁"), and a word bag then misses the name
    that ties a paragraph to its article; every pair of the name's characters is there each time.
    On 163 composed dev pages (gold roles) the link model trained on pair bags found 41 of 61
    tails printed after another article, 6 wrong, against 38, 6 wrong, with word bags; on the full
    dev set (models retrained) article exact 0.821 → 0.825."""
    return Counter(cjk_pairs("".join(words)))


@dataclass
class OpenArticle:
    """An article during the walk: its word bag, head words and body count."""

    head: Counter = field(default_factory=Counter)
    body: Counter = field(default_factory=Counter)
    n_body: int = 0
    last_closed: bool = True
    last: Counter = field(default_factory=Counter)  # the words of its last body block
    has_head: bool = False
    # The whole bag (body + head) and the squared TF-IDF norms of it and of the head, kept up to
    # date word by word once asked for: every body block asks again, an article's bag grows to
    # hundreds of words, and summing them all again for each block was a tenth of the page's time.
    _coh: "Cohesion | None" = field(default=None, repr=False, compare=False)
    _whole: dict = field(default_factory=dict, repr=False, compare=False)
    _sq: float = 0.0
    _head_sq: float = 0.0

    def add_head(self, words: Counter) -> None:
        if self._coh is not None:
            self._head_sq = self._grow(self.head, words, self._head_sq)
            self._sq = self._grow(self._whole, words, self._sq)
        else:
            self.head.update(words)

    def add_body(self, words: Counter) -> None:
        self.last = words
        self.body.update(words)
        if self._coh is not None:
            self._sq = self._grow(self._whole, words, self._sq)
        self.n_body += 1

    def _grow(self, bag: dict, words: Counter, sq: float) -> float:
        idf2 = self._coh._idf2
        for w, v in words.items():
            old = bag.get(w, 0)
            bag[w] = old + v
            sq += ((old + v) ** 2 - old**2) * idf2.get(w, 1.0)
        return sq

    def profile(self, coh: "Cohesion") -> tuple[dict, float, float]:
        """(whole bag, its norm, the head's norm) under ``coh``'s idf."""
        if self._coh is not coh:
            self._coh = coh
            self._whole = _merged(self.body, self.head)
            self._sq, self._head_sq = coh.norm(self._whole) ** 2, coh.norm(self.head) ** 2
        return self._whole, math.sqrt(max(self._sq, 0.0)), math.sqrt(max(self._head_sq, 0.0))


class Cohesion:
    """TF-IDF cosine with idf over the page's blocks."""

    def __init__(self, bags: Sequence[Counter]) -> None:
        df: Counter = Counter()
        for b in bags:
            df.update(b.keys())
        n = len(bags)
        self.idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}
        # idf squared, once per word (the same floats as squaring inside each dot product)
        self._idf2 = {w: v ** 2 for w, v in self.idf.items()}
        # the blocks' bags are asked for their norm again and again (a candidate's last block at
        # every decision): remembered by identity (never changed after they are made), the bags
        # held here so that no id is reused
        self._bags = list(bags)
        self._ids = frozenset(id(b) for b in self._bags)
        self._norms: dict[int, float] = {}

    def norm(self, a: dict) -> float:
        known = self._norms.get(id(a))
        if known is not None:
            return known
        idf = self.idf
        out = math.sqrt(sum([(v * idf.get(w, 1.0)) ** 2 for w, v in a.items()]))
        if id(a) in self._ids:
            self._norms[id(a)] = out
        return out

    def dot(self, a: dict, b: dict) -> float:
        """The idf²-weighted dot product of two bags (summed over the smaller one)."""
        if len(b) < len(a):
            a, b = b, a
        idf2, b_get = self._idf2, b.get
        return sum([v * b_get(w, 0) * idf2.get(w, 1.0) for w, v in a.items()])

    def gram(self, bags: Sequence[dict]) -> np.ndarray:
        """The idf²-weighted dot products of every pair of ``bags`` (``dot``), as one sparse product."""
        from scipy.sparse import csr_matrix  # noqa: PLC0415 - imported when first needed (~0.2 s)

        index: dict[str, int] = {}
        cols: list[int] = []
        vals: list[float] = []
        ptr = [0]
        idf = self.idf
        for b in bags:
            for w, v in b.items():
                cols.append(index.setdefault(w, len(index)))
                vals.append(v * idf.get(w, 1.0))
            ptr.append(len(cols))
        m = csr_matrix((np.asarray(vals, dtype=np.float64), np.asarray(cols, dtype=np.int64), np.asarray(ptr)), shape=(len(bags), len(index)))
        return (m @ m.T).toarray()

    def cos_without(self, a: dict, whole: dict, whole_sq: float, na: float) -> float:
        """Cosine of ``a`` with ``whole - a`` (``a`` is part of ``whole``; ``whole_sq``: the squared
        norm of ``whole``, ``na``: the norm of ``a``), without building the difference."""
        if not a or na <= 0:
            return 0.0
        d = self.dot(a, whole)
        rest_sq = whole_sq - 2 * d + na * na
        if rest_sq <= 1e-12:
            return 0.0
        return (d - na * na) / (na * math.sqrt(rest_sq))

    def cos(self, a: dict, b: dict, na: float | None = None, nb: float | None = None) -> float:
        """Cosine of two bags; ``na``/``nb``: their norms when the caller has them."""
        if not a or not b:
            return 0.0
        dot = self.dot(a, b)
        if dot == 0:
            return 0.0
        na = self.norm(a) if na is None else na
        nb = self.norm(b) if nb is None else nb
        return dot / (na * nb)


def _merged(body: Counter, head: Counter) -> dict:
    """``body + head`` (all counts positive) as a plain dict with Counter's key order, without
    Counter's per-key checks."""
    out = dict(body)
    for w, v in head.items():
        out[w] = out.get(w, 0) + v
    return out


def pair_features(
    block: Block, block_bag: Counter, cands: list[int], arts: list[OpenArticle], open_idx: int,
    coh: Cohesion, to_next_head: int, next_is_head: bool, prev_choice: int | None,
    section: tuple[dict, float] | None = None,
) -> np.ndarray:
    """One row per candidate article (``cands``: indices into ``arts``, the open one first).
    ``section``: the words of the page from the open article's head to the next head, this block
    included, with their squared norm (the open article as printed, its later paragraphs too: a
    tail printed at its end reads unlike all of them, a paragraph of its own like them)."""
    t = block.text.strip()
    head = compact_head(t)
    nblock = coh.norm(block_bag)
    profiles = {c: arts[c].profile(coh) for c in {*cands, open_idx}}
    coss = [coh.cos(block_bag, profiles[c][0], nblock, profiles[c][1]) for c in cands]
    order = sorted(range(len(cands)), key=lambda k: -coss[k])
    rank = {k: r for r, k in enumerate(order)}
    # the open article is the first candidate (``candidates``): its cosine is already computed
    cos_open = coss[0] if cands[0] == open_idx else coh.cos(block_bag, profiles[open_idx][0], nblock, profiles[open_idx][1])
    cos_full = coh.cos_without(block_bag, section[0], section[1], nblock) if section is not None else cos_open
    rows = []
    for k, c in enumerate(cands):
        a = arts[c]
        others = [coss[j] for j in range(len(cands)) if j != k]
        rows.append([
            float(c == open_idx), coss[k], cos_open, coss[k] - cos_open, float(rank[k]),
            coh.cos(block_bag, a.head, nblock, profiles[c][2]), max(others, default=0.0),
            float(min(arts[open_idx].n_body, 30)), float(min(to_next_head, 10)), float(next_is_head),
            math.log1p(len(t)), float(bool(_DATELINE.match(head))), float(bool(_BYLINE_START.match(head))),
            float(bool(t) and t[0] in "，,、。；;：:！？!?”’）)…的了着地得"), float(ends_closed(t)),
            float(min(a.n_body, 30)), float(a.last_closed), float(prev_choice == c),
            float(prev_choice is not None and prev_choice != open_idx and prev_choice == c), float(a.has_head),
            cos_full, coh.cos(block_bag, a.last, nblock),
        ])
    return np.asarray(rows, dtype=float)


def candidates(open_idx: int, arts: list[OpenArticle], is_article: list[bool]) -> list[int]:
    """The open article, then up to MAX_BACK earlier articles (captions are never candidates)."""
    out = [open_idx]
    j = open_idx - 1
    while j >= 0 and len(out) <= MAX_BACK:
        if is_article[j]:
            out.append(j)
        j -= 1
    return out


class LinkModel:
    """The fitted classifier's trees as a ``forest.Forest`` (one walk of all trees per decision,
    the same numbers as sklearn's ``predict_proba``)."""

    def __init__(self, forest) -> None:
        self.forest = forest
        self.positive = list(forest.classes_).index(1)

    @classmethod
    def from_estimator(cls, estimator) -> "LinkModel":
        from .forest import Forest  # noqa: PLC0415

        return cls(Forest.from_estimator(estimator))

    def __call__(self, block: Block, rows: np.ndarray, cands: list[int], groups) -> int:
        """``articles.walk``'s chooser."""
        return self.choose(rows)

    def choose(self, rows: np.ndarray) -> int:
        p = self.forest.predict_proba(rows)[:, self.positive]
        return int(np.argmax(p))  # ties: the first, i.e. the open article

    def choose_many(self, questions: Sequence[np.ndarray]) -> list[int]:
        """``choose`` for several decisions (candidate rows each) in one evaluation of the trees:
        the same answers (each row's probability is computed on its own)."""
        p = self.forest.predict_proba(np.vstack(questions))[:, self.positive]
        out, at = [], 0
        for rows in questions:
            out.append(int(np.argmax(p[at : at + len(rows)])))
            at += len(rows)
        return out


def walk_pages(pages: Sequence[tuple], model: LinkModel | None) -> list[list]:
    """``articles.walk`` over several pages (each ``(blocks, roles, joins, words)``) with ``model`` as
    the chooser, walked side by side so that each round of questions, one a page, is answered by
    one evaluation of the trees instead of one per question (most of the link stage's time was the
    per-call cost of the tree evaluator)."""
    from .articles import walk_steps  # noqa: PLC0415 - articles imports this module

    walks = [walk_steps(*page, ask=model is not None) for page in pages]
    results: list = [None] * len(walks)
    asked: dict[int, tuple] = {}

    def advance(k: int, answer: int | None) -> None:
        try:
            asked[k] = next(walks[k]) if answer is None else walks[k].send(answer)
        except StopIteration as done:
            asked.pop(k, None)
            results[k] = done.value

    for k in range(len(walks)):
        advance(k, None)
    while asked:
        ks = list(asked)
        for k, answer in zip(ks, model.choose_many([asked[k][1] for k in ks])):
            advance(k, answer)
    return results


def fit(X: np.ndarray, y: np.ndarray, *, seed: int = 0):
    from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: PLC0415

    # Few columns, clear interactions (cosine margin × position): shallow trees, early stopping.
    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, max_leaf_nodes=15,
                                          early_stopping=True, validation_fraction=0.1,
                                          random_state=seed).fit(X, y)


def link_chooser(models_dir=None) -> LinkModel:
    """The trained link model of ``models_dir`` (loaded and built once per process)."""
    from .models import default_dir  # noqa: PLC0415

    return _link_model(str(Path(models_dir or default_dir()).resolve()))


@lru_cache(maxsize=4)
def _link_model(directory: str) -> LinkModel:
    from .models import runtime_models  # noqa: PLC0415

    return LinkModel(runtime_models(Path(directory)).links)
