"""Fit and measure the role and link models on labelled pages (``training.LabelledPage``).

``fit_models`` returns the objects ``models.save`` writes; ``role_scores`` / ``link_scores`` measure
them on other pages (block-level figures; per-role precision/recall/F1 weighted by characters, as
``pagesplit eval`` weighs them). The Prefect flow ``pipelines/train.py`` calls these.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Sequence

import numpy as np

from . import articles as art
from . import links, rolemodel
from .joinmodel import JOIN_BAR
from .training import LabelledPage, first_answers, rival_table
from .types import ROLES, Block


def role_pages(pages: Sequence[LabelledPage]) -> list[tuple[rolemodel.PageInputs, list[int | None]]]:
    out = []
    for p in pages:
        if not p.blocks:
            continue
        inputs = rolemodel.page_inputs(p.blocks, p.words, p.joins, p.layout)
        out.append((inputs, [None if p.roles[b.index] is None else ROLES.index(p.roles[b.index]) for b in p.blocks]))
    return out


def gold_roles(p: LabelledPage) -> dict[int, str]:
    # blocks that are not article text (cleanup's misses) walk as body: that is how they will look
    return {b.index: p.roles[b.index] or "body" for b in p.blocks}


def _group_article(p: LabelledPage, members: list[int]) -> str | None:
    votes = Counter(p.articles[i] for i in members if p.articles.get(i) is not None)
    return votes.most_common(1)[0][0] if votes else None


def link_rows(pages: Sequence[LabelledPage]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, page) pair rows from walking each page with its gold roles, every body block sent to
    its gold article (teacher forcing); only decisions where some candidate is right are kept."""
    X, y, g = [], [], []
    for n, p in enumerate(pages):

        def choose(block: Block, rows: np.ndarray, cands: list[int], groups: list[list[int]], p=p, n=n) -> int:
            want = p.articles.get(block.index)
            labels = [int(want is not None and _group_article(p, groups[c]) == want) for c in cands]
            if not any(labels):
                return 0
            X.append(rows)
            y.extend(labels)
            g.extend([n] * len(labels))
            return labels.index(1)

        art.walk(p.blocks, gold_roles(p), p.joins, p.words, choose)
    if not X:
        return np.zeros((0, len(links.PAIR_COLUMNS))), np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return np.vstack(X), np.asarray(y), np.asarray(g)


def fit_models(pages: Sequence[LabelledPage], *, seed: int = 0) -> dict:
    """{'roles': the role model's estimators, 'links': the link classifier}."""
    # a page composed more than once (several renderings of one text) stays in one stacking fold
    roles = rolemodel.fit(role_pages(pages), seed=seed, groups=[p.source_path for p in pages if p.blocks])
    X, y, g = link_rows(pages)
    return {"roles": roles, "links": links.fit(X, y, seed=seed)}


def role_scores(predict: Callable[[LabelledPage], dict[int, str]], pages: Sequence[LabelledPage]) -> dict:
    """Per-role precision/recall/F1 over characters of article blocks, block accuracy, for
    ``predict`` (a page -> block index -> role)."""
    tp, pred, gold = Counter(), Counter(), Counter()
    ok = n = 0
    for p in pages:
        if not p.blocks:
            continue
        got = predict(p)
        for b in p.blocks:
            want = p.roles[b.index]
            size = sum(not ch.isspace() for ch in b.text)
            pred[got[b.index]] += size
            if want is None:
                continue
            gold[want] += size
            n += 1
            ok += got[b.index] == want
            if got[b.index] == want:
                tp[want] += size
    out = {"block_accuracy": ok / n if n else None, "roles": {}}
    for r in ROLES:
        p_ = tp[r] / pred[r] if pred[r] else None
        r_ = tp[r] / gold[r] if gold[r] else None
        f = 2 * p_ * r_ / (p_ + r_) if p_ and r_ else 0.0
        out["roles"][r] = {"p": p_, "r": r_, "f1": f, "gold_chars": gold[r]}
    return out


def link_scores(model: links.LinkModel, pages: Sequence[LabelledPage]) -> dict:
    """How often the link model picks the gold article among the candidates (gold roles, teacher
    forcing), against always keeping the open article."""
    X, y, g = link_rows(pages)
    decisions = right = open_right = 0
    start = 0
    while start < len(y):
        # rows of one decision are consecutive; the open article is the first row of each
        end = start + 1
        while end < len(y) and X[end, links.PAIR_COLUMNS.index("is_open")] == 0:
            end += 1
        decisions += 1
        right += y[start + model.choose(X[start:end])] == 1
        open_right += y[start] == 1
        start = end
    return {"decisions": decisions, "accuracy": right / decisions if decisions else None,
            "open_article_accuracy": open_right / decisions if decisions else None}


def join_scores(model, X: Sequence, y: Sequence) -> dict:
    """The join model's pairs taken (probability at its own bar, ``joinmodel.JOIN_BAR`` when a rival
    model decides after it) against the gold joins among the candidate pairs, each pair on its own
    (the repair stage also keeps each side to one pair)."""
    bar = model.bar if model.rivals is None else JOIN_BAR
    return _taken_scores(model.probabilities(X) if len(X) else np.zeros(0), bar, y)


def rival_scores(model, pairs) -> dict:
    """``join_scores`` of the rival model (``model.rivals``) over ``training.JoinPairs``: the join
    model's first answers as the pipeline reads them, then the rival model's at its bar."""
    p, rows = first_answers(pairs, model.probabilities)
    q = model.rival_probabilities(rival_table(pairs, p, rows))
    return _taken_scores(q, model.bar, pairs.labels)


def _taken_scores(p, bar: float, y: Sequence) -> dict:
    taken = np.asarray(p) >= bar
    gold = np.asarray(y, dtype=bool)
    tp = int((taken & gold).sum())
    return {"pairs": len(gold), "gold_joins": int(gold.sum()), "taken": int(taken.sum()),
            "p": tp / int(taken.sum()) if taken.any() else None, "r": tp / int(gold.sum()) if gold.any() else None}
