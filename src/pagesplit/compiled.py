"""The trained role and link models as the pipeline runs them: plain arrays, no scikit-learn.

``models/*.skops`` hold the fitted scikit-learn estimators (what ``make train`` fits and what
scikit-learn users can open). Deserializing them needs skops and scikit-learn, whose imports alone
cost ~2.5 s of every process's start (a Dask worker, ``pagesplit run``), for estimators the
pipeline never calls: it evaluates the trees with ``forest.Forest`` and the word model is one
matrix product. ``compiled.npz`` (beside them, its sha256 in the manifest's ``compiled`` entry)
holds exactly what prediction needs — the word model's coefficients, each forest's node arrays —
as numpy arrays, read with ``allow_pickle=False``. Prediction from it gives the same numbers as
the estimators (bit for bit; tests/test_models.py checks it on the committed models).

The word model's features are hashed here as scikit-learn's ``FeatureHasher(input_type="string",
alternate_sign=False)`` hashes them (signed 32-bit MurmurHash3 of the UTF-8 bytes, seed 0, column
``abs(h) % n``), so training and prediction share one hasher that needs no scikit-learn.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import ModelCorrupt
from .forest import Forest, softmax

COMPILED_FILE = "compiled.npz"
_FIT_HINT = "compile them again (`python -m pagesplit.compiled models/`) or restore models/ from git"


# --- hashing ---------------------------------------------------------------------------------

_C1, _C2, _MASK = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF


def murmurhash3_32(data: bytes, seed: int = 0) -> int:
    """MurmurHash3_x86_32 of ``data`` as a signed 32-bit integer (scikit-learn's
    ``murmurhash3_32(data, seed, positive=False)``)."""
    h = seed & _MASK
    n = len(data)
    tail = n - n % 4
    for i in range(0, tail, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * _C1) & _MASK
        k = ((k << 15) | (k >> 17)) & _MASK
        h ^= (k * _C2) & _MASK
        h = ((h << 13) | (h >> 19)) & _MASK
        h = (h * 5 + 0xE6546B64) & _MASK
    k = 0
    rest = n & 3
    if rest == 3:
        k ^= data[tail + 2] << 16
    if rest >= 2:
        k ^= data[tail + 1] << 8
    if rest >= 1:
        k ^= data[tail]
        k = (k * _C1) & _MASK
        k = ((k << 15) | (k >> 17)) & _MASK
        h ^= (k * _C2) & _MASK
    h ^= n
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h


@lru_cache(maxsize=1 << 18)  # the items are words: few distinct ones, each hashed once
def hashed_column(item: str, n_features: int) -> int:
    h = murmurhash3_32(item.encode("utf-8"))
    if h == -(1 << 31):  # FeatureHasher's definition of abs(-2**31) % n_features
        return (2147483647 - (n_features - 1)) % n_features
    return abs(h) % n_features


def hash_rows(rows: Sequence[Sequence[str]], n_features: int):
    """The rows' items as a CSR matrix of counts (``FeatureHasher.transform``'s matrix)."""
    from scipy.sparse import csr_matrix  # noqa: PLC0415

    indices = [hashed_column(item, n_features) for row in rows for item in row]
    indptr = np.cumsum([0] + [len(row) for row in rows])
    X = csr_matrix(
        (np.ones(len(indices)), np.asarray(indices, dtype=np.int32), indptr), shape=(len(rows), n_features)
    )
    X.sum_duplicates()
    return X


# --- the word model --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LinearSoftmax:
    """A multinomial logistic regression's prediction (``LogisticRegression.predict_proba`` with
    more than two classes: the decision function's softmax)."""

    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray  # (n_classes,)
    classes_: np.ndarray

    @classmethod
    def from_estimator(cls, est) -> "LinearSoftmax":
        if len(est.classes_) <= 2:
            raise ModelCorrupt("the word model has two classes; a role model has more", hint=_FIT_HINT)
        return cls(np.asarray(est.coef_, dtype=np.float64), np.asarray(est.intercept_, dtype=np.float64), np.asarray(est.classes_))

    def predict_proba(self, X) -> np.ndarray:
        return softmax(np.asarray(X @ self.coef.T) + self.intercept)


# --- the file ----------------------------------------------------------------------------------


def from_objects(objects: dict) -> "Compiled":
    """What prediction needs of the fitted estimators (``{'roles': {'tok', 'stage1', 'stage2'},
    'links': estimator, 'joins': estimator}``, as stored in the .skops files; ``joins`` optional)."""
    roles = objects["roles"]
    joins = Forest.from_estimator(objects["joins"]) if "joins" in objects else None
    rivals = Forest.from_estimator(objects["join_rivals"]) if "join_rivals" in objects else None
    return Compiled(LinearSoftmax.from_estimator(roles["tok"]), Forest.from_estimator(roles["stage1"]),
                    Forest.from_estimator(roles["stage2"]), Forest.from_estimator(objects["links"]), joins, rivals)  # fmt: skip


def arrays_of(objects: dict) -> dict[str, np.ndarray]:
    """``from_objects`` as the named arrays of the compiled file."""
    c = from_objects(objects)
    out = {"roles.tok.coef": c.tok.coef, "roles.tok.intercept": c.tok.intercept, "roles.tok.classes_": c.tok.classes_}
    for prefix, forest in (("roles.stage1", c.stage1), ("roles.stage2", c.stage2), ("links", c.links), ("joins", c.joins),
                           ("join_rivals", c.join_rivals)):
        if forest is not None:
            out.update({f"{prefix}.{k}": v for k, v in forest.arrays().items()})
    return out


def write(directory: Path, objects: dict) -> dict:
    """Write ``compiled.npz`` into ``directory``; returns its manifest entry."""
    path = Path(directory) / COMPILED_FILE
    np.savez_compressed(path, **arrays_of(objects))
    data = path.read_bytes()
    return {"file": COMPILED_FILE, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


@dataclass(frozen=True)
class Compiled:
    tok: LinearSoftmax
    stage1: Forest
    stage2: Forest
    links: Forest
    joins: Forest | None = None  # ``joinmodel.py``; None in directories trained before it existed
    join_rivals: Forest | None = None  # ``joinmodel.fit_rivals``; likewise


def read(directory: Path, entry: dict) -> Compiled:
    """Read the compiled models after checking the file's sha256 against its manifest ``entry``."""
    from .models import check_file  # noqa: PLC0415 - models imports this module

    path = Path(directory) / entry["file"]
    check_file(path, entry["sha256"], "compiled models", _FIT_HINT)
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (ValueError, OSError) as exc:
        raise ModelCorrupt(f"cannot read {path}: {exc}", hint=_FIT_HINT) from exc

    def part(prefix: str) -> dict[str, np.ndarray]:
        return {k[len(prefix) + 1 :]: v for k, v in arrays.items() if k.startswith(prefix + ".")}

    tok = part("roles.tok")
    try:
        word_model = LinearSoftmax(tok["coef"], tok["intercept"], tok["classes_"])
    except KeyError as exc:
        raise ModelCorrupt(f"{path} lacks the word model's {exc.args[0]!r}", hint=_FIT_HINT) from exc
    joins, rivals = part("joins"), part("join_rivals")
    return Compiled(word_model, Forest.from_arrays(part("roles.stage1")), Forest.from_arrays(part("roles.stage2")),
                    Forest.from_arrays(part("links")), Forest.from_arrays(joins) if joins else None,
                    Forest.from_arrays(rivals) if rivals else None)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """``python -m pagesplit.compiled MODELS_DIR``: (re)write a model directory's compiled file from
    its .skops estimators and record it in the manifest (for models trained before it existed)."""
    import sys  # noqa: PLC0415

    from .models import compile_dir  # noqa: PLC0415

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m pagesplit.compiled MODELS_DIR", file=sys.stderr)
        return 2
    entry = compile_dir(Path(args[0]))
    print(f"wrote {Path(args[0]) / entry['file']} ({entry['bytes']} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
