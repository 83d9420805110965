"""A fitted ``HistGradientBoostingClassifier`` evaluated with numpy, all trees over all rows at once.

scikit-learn's ``predict_proba`` walks the trees one ``TreePredictor`` call at a time (a Python
call per tree: ~118 for the link model, 840 per role stage), which costs far more than the tree
arithmetic for the few rows the link model scores per decision. ``Forest`` copies the trees'
node arrays once into flat arrays (children of a node stored next to each other, so one step is
``node = first_child[node] + went_right``) and steps every (tree, row) pair down one level per
iteration. Trees are kept deepest first, so level ``L`` only steps the first ``active[L]`` trees
(those deeper than ``L``; the others already sit on a leaf): ~8 levels of work per tree instead of
the deepest tree's 14. Leaves step to themselves.

It is the same function as sklearn's, not an approximation: the same ``value <= num_threshold``
test on float64, NaN following ``missing_go_to_left``, and the leaf values added to the baseline
one iteration after another in sklearn's order (``np.cumsum`` is a sequential sum), then the same
link as sklearn's loss (``expit`` for a binary model, sklearn's softmax steps otherwise). Results
match bit for bit.

``arrays``/``from_arrays`` write and read a forest as plain arrays (``compiled.py``), so that a
process running the pipeline never imports scikit-learn.

Categorical splits (bitsets) are not supported: ``Forest`` refuses such a model (E303) rather
than evaluate it wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .errors import ModelCorrupt, ModelUnsupported


# Rows evaluated together. Every (tree, row) pair holds a few 8-byte arrays while the rows step
# down (node, feature value, threshold, child, leaf value): with a role stage's 840 trees, 40,000
# rows (an issue of many dense pages, or one page of stray one-character lines) took 1.3 GB at
# once. A chunk keeps each of those arrays within CHUNK_BYTES, a core's 2 MB L2 (and its share of
# the L3 that two workers share): a role stage (840 trees) steps 312 rows at a time, the join model
# (300 trees) 873. Measured on the role stage over 400 bench pages (20 issues, one-off, in one
# process): 3.92 s of CPU at 2,048 rows, 3.64 at 512, 3.51 at 256, 3.47 at 64; with a second
# process doing the same beside it 4.26-4.34 s at 2,048 and 3.67-3.69 at 256 — the cache traffic two
# processes contend for is what slows two Dask workers. A fixed 256 rows for every forest cost the
# smaller forests' many chunks (the cleanup stages, which hold the join model, 7.69 → 7.95 s of CPU
# on the 1,014 bench pages).
CHUNK_BYTES = 2 * 2**20
ROWS_PER_CHUNK_MIN = 64


@dataclass(frozen=True, eq=False)
class Forest:
    """The trees of one fitted classifier as flat node arrays (tree ``t`` = iteration ``t // K``,
    class ``t % K``; ``K`` = trees per iteration, 1 for a binary model)."""

    roots: np.ndarray  # (n_trees,) int64: each tree's root in the flat arrays, deepest tree first
    tree_of: np.ndarray  # (n_trees,) int64: the model's tree number of each entry of ``roots``
    active: tuple[int, ...]  # active[L]: how many trees (a prefix of ``roots``) are deeper than L
    feature: np.ndarray  # (n_nodes,) int64: column tested (0 at leaves)
    threshold: np.ndarray  # (n_nodes,) float64: go left when value <= threshold (+inf at leaves)
    missing_left: np.ndarray  # (n_nodes,) bool: where NaN goes (left at leaves)
    first_child: np.ndarray  # (n_nodes,) int64: left child; the right one is next to it (self at leaves)
    value: np.ndarray  # (n_nodes,) float64: leaf value (0 at inner nodes)
    baseline: np.ndarray  # (K,) float64
    n_iter: int
    n_per_iter: int
    depth: int  # deepest leaf: the number of steps that brings every row to a leaf
    n_features: int
    classes_: np.ndarray  # the estimator's class labels, in its column order

    @classmethod
    def from_estimator(cls, est) -> "Forest":
        if getattr(est, "is_categorical_", None) is not None and np.any(est.is_categorical_):
            raise ModelUnsupported(
                f"{type(est).__name__} has categorical features, which the numpy tree evaluator does not support",
                hint="fit the model on numeric columns only (no categorical_features)",
            )
        K = int(est.n_trees_per_iteration_)
        trees = [pred.nodes for it in est._predictors for pred in it]
        roots, feature, threshold, missing_left, first_child, value, depths = [], [], [], [], [], [], []
        offset = 0
        for nodes in trees:
            if np.any(nodes["is_categorical"]):
                raise ModelUnsupported("a tree of the model splits on a categorical feature, which the numpy "
                                   "tree evaluator does not support", hint="fit the model on numeric columns only")
            order = _children_adjacent(nodes)  # new position -> old node index
            new_of = np.empty(len(nodes), dtype=np.int64)
            new_of[order] = np.arange(len(nodes)) + offset
            n = nodes[order]
            leaf = n["is_leaf"].astype(bool)
            roots.append(offset)
            feature.append(np.where(leaf, 0, n["feature_idx"]).astype(np.int64))
            threshold.append(np.where(leaf, np.inf, n["num_threshold"]).astype(np.float64))
            missing_left.append(np.where(leaf, True, n["missing_go_to_left"].astype(bool)))
            first_child.append(np.where(leaf, np.arange(len(n)) + offset, new_of[n["left"].astype(np.int64)]))
            value.append(np.where(leaf, n["value"], 0.0).astype(np.float64))
            depths.append(int(n["depth"][leaf].max()))
            offset += len(nodes)
        tree_of = np.argsort(-np.asarray(depths), kind="stable")
        depth = max(depths, default=0)
        return cls(
            roots=np.asarray(roots, dtype=np.int64)[tree_of], tree_of=tree_of,
            active=tuple(int(sum(d > level for d in depths)) for level in range(depth)),
            feature=np.concatenate(feature), threshold=np.concatenate(threshold),
            missing_left=np.concatenate(missing_left), first_child=np.concatenate(first_child),
            value=np.concatenate(value),
            baseline=np.asarray(est._baseline_prediction, dtype=np.float64).reshape(K),
            n_iter=len(est._predictors), n_per_iter=K, depth=depth,
            n_features=int(est.n_features_in_), classes_=np.asarray(est.classes_),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """The forest as named arrays (``from_arrays`` reads them back)."""
        return {f.name: np.asarray(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "Forest":
        try:
            values = {f.name: arrays[f.name] for f in fields(cls)}
        except KeyError as exc:
            raise ModelCorrupt(f"a compiled forest lacks its {exc.args[0]!r} array", hint="compile the models again") from exc
        for name in ("n_iter", "n_per_iter", "depth", "n_features"):
            values[name] = int(values[name])
        values["active"] = tuple(int(a) for a in values["active"])
        return cls(**values)

    def raw(self, X) -> np.ndarray:
        """The raw scores (n_rows, K), as sklearn's ``_raw_predict``; ``rows_per_chunk()`` rows at a time."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected rows of {self.n_features} features, got shape {X.shape}")
        rows = self.rows_per_chunk()
        if X.shape[0] <= rows:
            return self._raw(X)
        return np.asfortranarray(np.concatenate([self._raw(X[i : i + rows]) for i in range(0, X.shape[0], rows)]))

    def rows_per_chunk(self) -> int:
        """How many rows ``raw`` steps down together: each (tree, row) array within CHUNK_BYTES."""
        return max(ROWS_PER_CHUNK_MIN, CHUNK_BYTES // (8 * max(len(self.roots), 1)))

    def _raw(self, X: np.ndarray) -> np.ndarray:
        n = X.shape[0]
        K = self.n_per_iter
        if n == 0:
            return np.zeros((0, K))
        flat = np.ascontiguousarray(X.T).ravel()  # flat[f * n + row]
        rows = np.arange(n)
        node = np.repeat(self.roots[:, None], n, axis=1)  # (n_trees, n), deepest tree first
        has_nan = bool(np.isnan(flat).any())
        for m in self.active:
            at = node[:m]
            x = flat[self.feature[at] * n + rows]
            go_left = x <= self.threshold[at]
            if has_nan:
                go_left |= np.isnan(x) & self.missing_left[at]
            node[:m] = self.first_child[at] + ~go_left
        leaf = np.empty((len(self.roots), n))
        leaf[self.tree_of] = self.value[node]  # back to the model's tree order
        leaf = leaf.reshape(self.n_iter, K, n)
        steps = np.empty((self.n_iter + 1, K, n))
        steps[0] = self.baseline[:, None]
        steps[1:] = leaf
        return np.asfortranarray(np.cumsum(steps, axis=0)[-1].T)

    def predict_proba(self, X) -> np.ndarray:
        raw = self.raw(X)
        if self.n_per_iter > 1:
            return softmax(raw)
        from scipy.special import expit  # noqa: PLC0415 - sklearn's LogitLink.inverse

        proba = np.empty((raw.shape[0], 2), dtype=raw.dtype)
        proba[:, 1] = expit(raw[:, 0])
        proba[:, 0] = 1 - proba[:, 1]
        return proba


def softmax(raw: np.ndarray) -> np.ndarray:
    """Row-wise softmax with the steps of ``sklearn.utils.extmath.softmax`` (the same numbers)."""
    X = np.array(raw, dtype=np.float64, copy=True)
    X -= np.max(X, axis=1).reshape((-1, 1))
    np.exp(X, out=X)
    X /= np.sum(X, axis=1).reshape((-1, 1))
    return X


def _children_adjacent(nodes: np.ndarray) -> np.ndarray:
    """A breadth-first order of the tree's nodes in which each node's right child directly follows
    its left one (root first)."""
    order = [0]
    k = 0
    while k < len(order):
        i = order[k]
        if not nodes["is_leaf"][i]:
            order.append(int(nodes["left"][i]))
            order.append(int(nodes["right"][i]))
        k += 1
    if len(order) != len(nodes):
        raise ModelCorrupt(f"a tree has {len(nodes)} nodes but {len(order)} are reachable from its root",
                           hint="the model file is damaged; rebuild it")
    return np.asarray(order, dtype=np.int64)
