"""forest.Forest reproduces HistGradientBoostingClassifier.predict_proba (bit for bit) on small
random fits with NaNs, and on the committed models."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from pagesplit import models
from pagesplit.errors import ModelUnsupported
from pagesplit.forest import Forest


def _data(rng, n, n_features, n_classes):
    X = rng.normal(size=(n, n_features))
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(int) + (n_classes > 2) * (X[:, 3] > 0.5).astype(int)
    X[rng.random(X.shape) < 0.1] = np.nan  # NaNs at fit: learned missing directions
    X[:, 4] = np.round(X[:, 4], 1)  # ties on thresholds exercise ``<=``
    return X, y


@pytest.mark.parametrize("n_classes", [2, 3])
def test_matches_sklearn_on_random_fit(n_classes):
    rng = np.random.default_rng(n_classes)
    X, y = _data(rng, 400, 6, n_classes)
    est = HistGradientBoostingClassifier(max_iter=25, max_leaf_nodes=7, early_stopping=False, random_state=0).fit(X, y)
    f = Forest.from_estimator(est)
    Xt, _ = _data(rng, 200, 6, n_classes)
    Xt[:3] = np.nan  # a row of NaNs only
    assert np.array_equal(f.predict_proba(Xt), est.predict_proba(Xt))
    assert np.array_equal(f.predict_proba(Xt[:1]), est.predict_proba(Xt[:1]))
    assert f.predict_proba(Xt[:0]).shape == (0, est.n_trees_per_iteration_ if n_classes > 2 else 2)


def test_refuses_categorical():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.integers(0, 4, 200), rng.normal(size=200)])
    y = (X[:, 0] == 2).astype(int)
    est = HistGradientBoostingClassifier(max_iter=3, categorical_features=[0]).fit(X, y)
    with pytest.raises(ModelUnsupported):
        Forest.from_estimator(est)


def test_wrong_width_is_refused():
    rng = np.random.default_rng(1)
    X, y = _data(rng, 100, 6, 2)
    f = Forest.from_estimator(HistGradientBoostingClassifier(max_iter=2).fit(X, y))
    with pytest.raises(ValueError):
        f.predict_proba(X[:, :5])


def test_matches_sklearn_on_committed_models():
    objs = models.load_models().objects
    rng = np.random.default_rng(7)
    for est in (objs["roles"]["stage1"], objs["roles"]["stage2"], objs["links"]):
        X = rng.normal(scale=2.0, size=(300, est.n_features_in_))
        X[:100] = np.abs(X[:100]).round()  # small counts and flags, as the feature columns are
        assert np.array_equal(Forest.from_estimator(est).predict_proba(X), est.predict_proba(X))


def test_rows_are_evaluated_in_bounded_chunks(monkeypatch):
    """Many rows (an issue of dense pages) go through in chunks of ``rows_per_chunk()`` (each
    (tree, row) array within CHUNK_BYTES), so that memory is bounded whatever the issue's size; the
    scores are the same, in row order."""
    from pagesplit import forest

    rng = np.random.default_rng(3)
    X, y = _data(rng, 400, 6, 3)
    est = HistGradientBoostingClassifier(max_iter=10, max_leaf_nodes=7, early_stopping=False, random_state=0).fit(X, y)
    f = Forest.from_estimator(est)
    Xt, _ = _data(rng, 301, 6, 3)
    seen = []
    real = Forest._raw
    assert f.rows_per_chunk() == forest.CHUNK_BYTES // (8 * len(f.roots))  # 30 trees: 8,738 rows
    monkeypatch.setattr(forest, "CHUNK_BYTES", 64 * 8 * len(f.roots))
    monkeypatch.setattr(Forest, "_raw", lambda self, X: seen.append(len(X)) or real(self, X))
    assert np.array_equal(f.predict_proba(Xt), est.predict_proba(Xt))
    assert seen == [64, 64, 64, 64, 45]
