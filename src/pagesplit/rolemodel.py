"""The role model: three stacked scikit-learn classifiers over ``features``.

1. ``tok`` — logistic regression over the block's hashed pkuseg words (``features.token_items``):
   what the words say ("记者", "摄", "电", a headline's vocabulary).
2. ``stage1`` — gradient-boosted trees over the shape columns (own and neighbours') plus the word
   model's probabilities for the block and its two neighbours.
3. ``stage2`` — the same trees again with stage 1's predicted roles of the two blocks before and
   after added: the role context (a subheadline follows a headline, a kicker precedes one).

Training (``fit``) stacks with out-of-fold predictions grouped by page, so each later stage sees
the earlier stages' errors as they are on unseen pages. Prediction is a pure function of a page's
blocks, words and joins.

The two tree stages are evaluated with ``forest.Forest`` (numpy, all trees at once) and the word
model as a matrix product (``compiled.LinearSoftmax``): the same numbers as sklearn's
``predict_proba``, read from ``models/compiled.npz`` once per process (``role_model``) without
importing scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .features import SHAPE_COLUMNS, shape_rows, token_items
from .types import ROLES, Block

# Hashed word features: 2**13 buckets keep the word model under 0.5 MB with 7 classes; the words
# that matter (credit and dateline words, headline vocabulary) are far fewer than the buckets.
HASH_FEATURES = 2**13
# Leaf values of the tree stages are -gradient / (hessian + this). Without it a stage that fits its
# training rows almost perfectly divides by vanishing hessians: on 82 dev pages stage 1's training
# loss went 0.014 at round 20 -> 8.6 at round 30 and settled at 1.2 (train accuracy 0.82), and
# which retraining diverged depended on chance (block accuracy 0.885 vs 0.965 with 0.1 on the other
# half; 1.0 was no better). 0.1 keeps every leaf finite and barely shrinks the others.
L2_REGULARIZATION = 0.1
# No tree of a converged stage moves a class's log-odds by this much: at ±20 a probability is
# saturated (e^-20), so a larger leaf is a division by a vanishing hessian, not evidence. Diverged
# fits had leaves of 500–60,000; converged ones stay under 15.
MAX_LEAF = 20.0
CONTEXT_OFFSETS_TOK = (-1, 0, 1)
CONTEXT_OFFSETS_ROLE = (-2, -1, 1, 2)


def hashed_tokens(rows: Sequence[Sequence[str]]):
    """The word model's input: each row's items hashed into HASH_FEATURES columns (a sparse matrix;
    what ``FeatureHasher(n_features=HASH_FEATURES, input_type="string", alternate_sign=False)``
    makes, without importing scikit-learn)."""
    from .compiled import hash_rows  # noqa: PLC0415

    return hash_rows(rows, HASH_FEATURES)


def context(p: np.ndarray, offsets: Sequence[int]) -> np.ndarray:
    """Row i gets the probabilities of rows i+k for each k (zeros past the page's ends)."""
    n, k = p.shape
    out = np.zeros((n, k * len(offsets)))
    for j, off in enumerate(offsets):
        lo, hi = max(0, -off), min(n, n - off)
        if lo < hi:
            out[lo:hi, j * k : (j + 1) * k] = p[lo + off : hi + off]
    return out


def per_page_context(p: np.ndarray, cuts: np.ndarray, offsets: Sequence[int]) -> np.ndarray:
    """``context`` of rows stacked from several pages (``cuts``: the pages' row bounds), each page's
    rows seeing only their own page."""
    return np.vstack([context(p[lo:hi], offsets) for lo, hi in zip(cuts[:-1], cuts[1:])])


def proba(model, X) -> np.ndarray:
    """Probabilities in ``ROLES`` order (a class the model never saw gets 0) of any classifier with
    ``predict_proba`` and ``classes_`` (a fitted estimator, a ``Forest``, a ``LinearSoftmax``)."""
    p = model.predict_proba(X)
    out = np.zeros((X.shape[0], len(ROLES)))
    for j, c in enumerate(model.classes_):
        out[:, int(c)] = p[:, j]
    return out


@dataclass(frozen=True)
class PageInputs:
    shape: np.ndarray  # (n_kept, len(SHAPE_COLUMNS))
    tokens: list[list[str]]


def page_inputs(blocks: Sequence[Block], words: dict[int, list[str]], joins: dict[int, int], layout: str) -> PageInputs:
    kept = [b for b in blocks if b.kept]
    shape = np.asarray(shape_rows(blocks, words, joins, layout), dtype=float).reshape(len(kept), len(SHAPE_COLUMNS))
    return PageInputs(shape, [token_items(b, words.get(b.index, ())) for b in kept])


class RoleModel:
    """The three stages as run: the word model (``compiled.LinearSoftmax``) and the two tree stages
    (``forest.Forest``)."""

    def __init__(self, tok, stage1, stage2) -> None:
        self.tok, self.stage1, self.stage2 = tok, stage1, stage2

    @classmethod
    def from_estimators(cls, estimators: dict) -> "RoleModel":
        """From the fitted estimators (the dict ``fit`` returns, as stored in ``models/roles.skops``)."""
        from .compiled import LinearSoftmax  # noqa: PLC0415
        from .forest import Forest  # noqa: PLC0415

        return cls(LinearSoftmax.from_estimator(estimators["tok"]), Forest.from_estimator(estimators["stage1"]),
                   Forest.from_estimator(estimators["stage2"]))  # fmt: skip

    def probabilities(self, inputs: PageInputs) -> np.ndarray:
        return self.probabilities_many([inputs])[0]

    def probabilities_many(self, pages: Sequence[PageInputs]) -> list[np.ndarray]:
        """``probabilities`` of several pages, each stage evaluated once over all their rows (the
        same numbers: every row is computed on its own, context stays within its page)."""
        cuts = np.cumsum([0] + [p.shape.shape[0] for p in pages])
        if cuts[-1] == 0:
            return [np.zeros((0, len(ROLES))) for _ in pages]
        p_tok = proba(self.tok, hashed_tokens([t for p in pages for t in p.tokens]))
        x1 = np.hstack([np.vstack([p.shape for p in pages]), per_page_context(p_tok, cuts, CONTEXT_OFFSETS_TOK)])
        p1 = proba(self.stage1, x1)
        x2 = np.hstack([x1, per_page_context(p1, cuts, CONTEXT_OFFSETS_ROLE)])
        p2 = proba(self.stage2, x2)
        return [p2[lo:hi] for lo, hi in zip(cuts[:-1], cuts[1:])]

    def predict(self, blocks: Sequence[Block], words: dict[int, list[str]], joins: dict[int, int], layout: str) -> dict[int, str]:
        return self.predict_many([(blocks, words, joins, layout)])[0]

    def predict_many(self, pages: Sequence[tuple], reads_on: Callable[[str, str], bool] | None = None) -> list[dict[int, str]]:
        """``predict`` for several pages (``(blocks, words, joins, layout)`` each) at once, the head
        stacks settled by ``roles.settle_heads`` (``reads_on``: does a text go on from another
        mid-phrase, ``repair.reads_on``; without it two headlines in a row stay as predicted)."""
        from .roles import settle_heads  # noqa: PLC0415 - roles imports this module lazily too

        inputs = [page_inputs(*page) for page in pages]
        probs = self.probabilities_many(inputs)
        near = SHAPE_COLUMNS.index("cohesion_near")
        out = []
        for page, p, x in zip(pages, probs, inputs):
            roles = {b.index: ROLES[int(np.argmax(p[i]))] for i, b in enumerate(b for b in page[0] if b.kept)}
            out.append(settle_heads(page[0], roles, p, reads_on, cohesion=x.shape[:, near], joins=page[2]))
        return out


def role_model(models_dir: Path | None = None) -> RoleModel:
    """The trained role model of ``models_dir``, built once per process (like ``load_models``)."""
    from .models import default_dir  # noqa: PLC0415

    return _role_model(str(Path(models_dir or default_dir()).resolve()))


@lru_cache(maxsize=4)
def _role_model(directory: str) -> RoleModel:
    from .models import runtime_models  # noqa: PLC0415

    m = runtime_models(Path(directory))
    return RoleModel(m.tok, m.stage1, m.stage2)


def fit(
    pages: Sequence[tuple[PageInputs, list[int | None]]], *, folds: int = 5, seed: int = 0, groups: Sequence[str] | None = None,
) -> dict:
    """Fit the three stages on (inputs, role index per kept block or None) pages; returns the dict
    ``RoleModel`` takes. Rows with no role (not article text) are dropped after the context is built.

    ``groups`` (one key per page, e.g. its source path) keeps pages with the same key in the same
    fold of the stacking: the same newspaper page composed twice (two renderings of one text) must
    not predict itself, or the later stages learn to trust out-of-fold probabilities that were in
    fact in-sample. Default: every page its own group."""
    from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: PLC0415
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    shape = np.vstack([p.shape for p, _ in pages])
    tokens = [t for p, _ in pages for t in p.tokens]
    labels = np.array([-1 if r is None else r for _, rs in pages for r in rs])
    bounds = np.cumsum([0] + [p.shape.shape[0] for p, _ in pages])
    T = hashed_tokens(tokens)
    ok = labels >= 0
    cv = stacking_folds([p.shape.shape[0] for p, _ in pages], groups, folds)

    def oof(make, X) -> np.ndarray:
        out = np.zeros((X.shape[0], len(ROLES)))
        for tr, te in cv:
            tr = tr[ok[tr]]
            m = make().fit(X[tr], labels[tr])
            out[te] = proba(m, X[te])
        return out

    def make_tok():
        return LogisticRegression(C=2.0, max_iter=300)

    def make_hgb():
        # 120 rounds of 15-leaf trees per class: the interactions of length, punctuation and
        # neighbours, in a file of ~1 MB a stage (300 rounds of 31 leaves made 9 MB). No early
        # stopping: on a 10% split it stopped some stages after a few rounds, and those blocks'
        # probabilities then misled the next stage.
        return HistGradientBoostingClassifier(max_iter=120, learning_rate=0.1, max_leaf_nodes=15,
                                              early_stopping=False, random_state=seed, l2_regularization=L2_REGULARIZATION)

    p_tok = oof(make_tok, T)
    x1 = np.hstack([shape, per_page_context(p_tok, bounds, CONTEXT_OFFSETS_TOK)])
    p1 = oof(make_hgb, x1)
    x2 = np.hstack([x1, per_page_context(p1, bounds, CONTEXT_OFFSETS_ROLE)])
    return {
        "tok": make_tok().fit(T[ok], labels[ok]),
        "stage1": check_converged(make_hgb().fit(x1[ok], labels[ok]), "stage1"),
        "stage2": check_converged(make_hgb().fit(x2[ok], labels[ok]), "stage2"),
    }


def stacking_folds(rows: Sequence[int], groups: Sequence[str] | None, folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train rows, test rows) of each stacking fold over pages of ``rows`` rows each, a page's
    rows together and the pages of one group key together (``fit``)."""
    from sklearn.model_selection import GroupKFold  # noqa: PLC0415

    if groups is not None and len(groups) != len(rows):
        raise ValueError(f"{len(groups)} group keys for {len(rows)} pages")
    keys = {k: n for n, k in enumerate(dict.fromkeys(groups))} if groups is not None else None
    page_group = [keys[k] for k in groups] if keys is not None else range(len(rows))
    group = np.concatenate([np.full(n, g) for g, n in zip(page_group, rows)])
    return list(GroupKFold(n_splits=folds).split(np.zeros((len(group), 1)), groups=group))


def max_leaf(estimator) -> float:
    """The largest leaf value (log-odds one tree adds, learning rate included) of a fitted
    HistGradientBoosting model."""
    return max(
        float(np.abs(p.nodes["value"][p.nodes["is_leaf"].astype(bool)]).max())
        for trees in estimator._predictors for p in trees
    )


def check_converged(estimator, name: str):
    """``estimator`` unless a leaf exceeds MAX_LEAF (TrainingDiverged, E304)."""
    worst = max_leaf(estimator)
    if worst > MAX_LEAF:
        from .errors import TrainingDiverged  # noqa: PLC0415

        raise TrainingDiverged(
            f"the role model's {name} diverged while fitting: a tree adds {worst:.0f} to a class's log-odds",
            hint="raise rolemodel.L2_REGULARIZATION (or lower the learning rate) and train again",
        )
    return estimator
