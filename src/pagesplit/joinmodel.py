"""The join model: does a candidate pair of blocks make one paragraph cut by a column break?

A ``HistGradientBoostingClassifier`` over ``repair.JOIN_COLUMNS`` (the junction's evidence and the
two sides' shape), fitted by ``make train`` on every candidate pair ``repair.candidate_pairs`` finds on
the composed training pages, a pair labelled 1 when gold prints its right side as the join that
continues its left side's span (``training.join_rows``). The pipeline evaluates its trees with
``forest.Forest`` from ``compiled.npz`` (no scikit-learn in a worker); ``repair.find_joins`` takes the
pairs whose probability reaches ``JOIN_BAR``, best first, each side once.

With a model directory trained before this model existed (no ``joins`` entry) the repair stage
decides by its summed score, as it did.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

# The probability a pair needs. In-process on the dev pages (666 pages; role and link models of
# f2b3d56, a join model with unbounded trees fitted on the training composition's 121,817 pairs;
# one-off runs): exact rate 0.8435 with the summed score, 0.8504 at 0.25, 0.8468 at 0.5 (joins P/R 0.842/0.772 →
# 0.825/0.813 and 0.850/0.777); on a second composition (seed 21) 0.8607 → 0.8742 at 0.25, 0.8725
# at 0.35. A separate, higher bar for far pairs (a wrong far join garbles two articles) lost exact
# articles (0.6 or 0.7 beside 0.25 or 0.35: 0.8455, 0.8406, with a first labelling of the pairs): the
# pairs are taken best first, each side once, so a far pair's rival is often the wrong one.
# Line-wrapped pages alone: dev 0.772 → 0.771, seed 21 0.768 → 0.773 (the summed score's weights
# were swept on the dev pages; the model saw none of them). The committed model (six-level trees,
# ``fit``) at 0.25: dev 0.8497, seed 21 0.8748 (`make eval`; in-process).
JOIN_BAR = 0.25
# The rival model's bar (``repair.RIVAL_COLUMNS``). On the dev candidates (one-off, best first, each
# side once, pairs counted against gold): P/R/F1 0.877/0.826/0.851 with the join model alone at 0.25;
# with the committed rival model 0.855/0.861/0.858 at 0.25, 0.874/0.849/0.862 at 0.35, 0.898/0.826/0.861
# at 0.5. In the pipeline (in-process): dev exact 0.8510 at 0.35, 0.8487 at 0.5 (0.8497 with the join
# model alone); seed-21 composition 0.8769, 0.8785 (0.8748). Swept again for the rival model trained
# on two renderings (session 17, in-process; exact, joins P/R): dev 0.8523 0.821/0.834 at 0.35, 0.8530
# 0.827/0.832 at 0.4, 0.8543 0.834/0.829 at 0.45, 0.8543 0.838/0.822 at 0.5; seed 21 0.8765
# 0.811/0.832 at 0.35, 0.8758 0.820/0.824 at 0.45, 0.8762 0.825/0.818 at 0.5. At 0.45 join F1 rises on
# both compositions (0.827 → 0.831, 0.821 → 0.822) and precision, the target further off, most.
RIVAL_BAR = 0.45


class JoinModel:
    """The fitted classifier's trees as a ``forest.Forest``, with the bar a pair must reach; and the
    rival model's (``repair.RIVAL_COLUMNS``: a pair beside its rivals), which then decides, when the
    directory has one."""

    def __init__(self, forest, bar: float | None = None, rivals=None) -> None:
        self.forest = forest
        self.rivals = rivals
        # the bar of the model that decides
        self.bar = bar if bar is not None else (RIVAL_BAR if rivals is not None else JOIN_BAR)

    @classmethod
    def from_estimator(cls, estimator, rivals=None) -> "JoinModel":
        from .forest import Forest  # noqa: PLC0415

        return cls(Forest.from_estimator(estimator), rivals=Forest.from_estimator(rivals) if rivals is not None else None)

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """P(join) of each row (``repair.JOIN_COLUMNS``), one evaluation of the trees for all."""
        return _positive(self.forest, rows)

    def rival_probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """P(join) of each row of ``repair.RIVAL_COLUMNS`` (the rival model's)."""
        return _positive(self.rivals, rows)


def _positive(forest, rows) -> np.ndarray:
    if not len(rows):
        return np.zeros(0)
    return forest.predict_proba(np.asarray(rows, dtype=np.float64))[:, list(forest.classes_).index(1)]


def fit(X: np.ndarray, y: np.ndarray, *, seed: int = 0):
    from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: PLC0415

    # ~26 columns, ~120,000 pairs of which ~6% join. Trees six levels deep: the repair stage evaluates
    # them once a page, and a call's cost is its levels (numpy steps), not its ~100 rows: 1.24 ms a
    # call with unbounded depth (400 rounds at 0.05, 306 kept), 0.54 ms at depth 6 (0.1, 225 kept),
    # the dev candidates' P/R at the bar 0.782/0.869 against 0.778/0.867 (one-off fits).
    return HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, max_depth=6, early_stopping=True,
                                          validation_fraction=0.1, random_state=seed).fit(X, y)


def fit_rivals(X: np.ndarray, y: np.ndarray, *, seed: int = 0):
    """The rival model: the join model's columns, its answer and its rivals' (``repair.RIVAL_COLUMNS``),
    fitted on answers given out of fold (``training.rival_rows_out_of_fold``); the same trees."""
    return fit(X, y, seed=seed)


def join_model(models_dir=None) -> JoinModel | None:
    """The trained join model of ``models_dir`` (loaded once per process), None when the directory
    was trained without one."""
    from .models import default_dir  # noqa: PLC0415

    return _join_model(str(Path(models_dir or default_dir()).resolve()))


@lru_cache(maxsize=4)
def _join_model(directory: str) -> JoinModel | None:
    from .models import runtime_models  # noqa: PLC0415

    compiled = runtime_models(Path(directory))
    return JoinModel(compiled.joins, rivals=compiled.join_rivals) if compiled.joins is not None else None
