"""Does a paragraph end where a sentence ends at the end of a full column line?

In a line-wrapped OCR export without indentation, a paragraph's last line is shorter than the
column, except when the paragraph's text happens to fill it: then nothing on the page tells the
paragraph's end from a sentence's end inside it (``blocks._continues`` read them all as going on).
About 3 in 10 such lines end a paragraph (dev pages: 337 of 1,119; People's Daily paragraphs of
2020-01..06: 28% of sentence ends are a paragraph's). What is left to go on is the text itself: how
long the paragraph already is, how its last sentence ends, how the next sentence opens ("会议指出",
a date, a quote) and whether it goes on with the same words.

A logistic regression over hashed features of the paragraph so far and the text after the line
(``features``), trained on every sentence end of the People's Daily articles of 2020-01..06
(``pagesplit train-paragraphs``; a sentence's end in a paragraph: 0, a paragraph's end: 1). The
weights are a plain ``.npz`` (no pickle) whose sha256 is checked on load against
``models/parabreaks.json``. No word segmenter: the line stage runs before tokenization.
"""

from __future__ import annotations

import json
import math
import random
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .errors import ModelCorrupt, ModelMissing
from .junction import N_FEATURES, vector
from .models import check_file, default_dir, sha256_file
from .text import TERMINAL

MODEL_FILE = "parabreaks.npz"
MANIFEST_FILE = "parabreaks.json"
TRAIN_MONTHS = ("2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06")
_HINT = "restore models/ from the repository or retrain: make train CORPUS=../shared/corpus"
# The probability at which a sentence's end at a full line is read as the paragraph's end. 0.5: the
# bar that maximises accuracy (both errors cost about the same: two paragraphs run together lose a
# paragraph break, one cut in two adds one). On the dev pages' 1,119 such lines (a prototype with the
# same features, one-off): accuracy 0.699 (always going on) -> 0.79 at 0.5, 0.787 at 0.4, 0.772 at
# 0.6. In the pipeline (dev pages, in-process; exact rate, joins P/R): without the model 0.8604,
# 0.837/0.829; at 0.4 0.8614, 0.879/0.829; at 0.5 0.8624, 0.871/0.830; at 0.6 0.8621, 0.862/0.830.
# (The joins score counts two paragraphs run together, not one cut in two: 0.4 looks better there.)
BREAK_BAR = 0.5
# Characters of the text after the line the features read (its first clause and sentence).
NEXT_CHARS = 60
_HALF = tuple(zip(",;:?!()", "，；：？！（）"))
_SENTENCE_END = "。！？"
_SENTENCE_END_ANY_WIDTH = "。！？!?"
_CLAUSE_END = "，。：；！？"


def _full_width(s: str) -> str:
    """Half-width marks as full-width (``str.translate`` costs more on the short CJK strings read here)."""
    for half, full in _HALF:
        if half in s:
            s = s.replace(half, full)
    return s


def _norm(s: str) -> str:
    return _full_width("".join(s.split()))


def _bucket(n: int) -> int:
    """A length on a half-octave scale (0, 1, 2, 3, 4, 6, 8, 11, 16, 22, 32 …)."""
    return min(int(math.log2(n + 1) * 2), 24)


def features(para: str, nxt: str) -> list[str]:
    """Feature names of a sentence end: ``para`` the paragraph up to it, ``nxt`` the text after it."""
    # whitespace out, half-width marks read as full-width (``_norm``); the paragraph, which can be
    # long, is only counted and searched, and just its last sentence translated
    para, nxt = "".join(para.split()), _norm(nxt[: 2 * NEXT_CHARS])[:NEXT_CHARS]
    sentences = sum(para.count(c) for c in _SENTENCE_END_ANY_WIDTH)
    last_end = max(para.rfind(c, 0, len(para) - 1) for c in _SENTENCE_END_ANY_WIDTH)
    clause = next((i for i, c in enumerate(nxt) if c in _CLAUSE_END), len(nxt))
    sentence = next((i for i, c in enumerate(nxt) if c in _SENTENCE_END), len(nxt))
    last = _full_width(para[last_end + 1 :])
    last_pairs = {last[i : i + 2] for i in range(len(last) - 1)}
    next_pairs = [nxt[:sentence][i : i + 2] for i in range(max(0, min(sentence, 40) - 1))]
    shared = sum(p in last_pairs for p in next_pairs) / max(1, len(next_pairs))
    names = [
        "b",
        f"plen={_bucket(len(para))}",
        f"nsent={min(sentences, 8)}",
        f"plen_nsent={_bucket(len(para))}_{min(sentences, 5)}",
        f"last={_bucket(len(last))}",
        f"e1={last[-1:]}",
        f"e2={_full_width(para[-2:])}",
        f"n1={nxt[:1]}",
        f"n2={nxt[:2]}",
        f"n3={nxt[:3]}",
        f"n4={nxt[:4]}",
        f"clause={min(clause, 20)}",
        f"clause_end={nxt[clause:clause + 1]}",
        f"sentence={_bucket(sentence)}",
        f"shared={int(shared * 10)}",
    ]
    names.extend(f"nb={nxt[i:i + 2]}" for i in range(min(clause, 8) - 1))
    return names


class BreakModel:
    """The fitted weights (hashed features) and the bar a paragraph end needs."""

    def __init__(self, weights: np.ndarray, bar: float = BREAK_BAR) -> None:
        self.weights = weights
        self.bar = bar

    def probability(self, para: str, nxt: str) -> float:
        z = float(self.weights[vector(features(para, nxt))].sum(dtype=np.float64))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def ends_paragraph(self, para: str, nxt: str) -> bool:
        """Is the sentence end after ``para`` (the paragraph so far) the paragraph's end?"""
        return self.probability(para, nxt) >= self.bar

    def save(self, directory: Path, manifest: dict) -> dict:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / MODEL_FILE
        np.savez_compressed(path, weights=self.weights.astype(np.float32))
        manifest = {**manifest, "file": MODEL_FILE, "sha256": sha256_file(path), "bar": self.bar}
        (directory / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return manifest


def load(directory: Path | None = None) -> BreakModel:
    """Load and verify the model (sha256 from its manifest) of ``directory`` (default
    ``models.default_dir()``)."""
    directory = Path(directory or default_dir())
    path, manifest_path = directory / MODEL_FILE, directory / MANIFEST_FILE
    if not path.exists() or not manifest_path.exists():
        raise ModelMissing(f"no paragraph-break model in {directory} ({MODEL_FILE} + {MANIFEST_FILE})", hint=_HINT)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    check_file(path, manifest.get("sha256"), "paragraph-break model", _HINT)
    try:
        with np.load(path, allow_pickle=False) as z:
            weights = z["weights"].astype(np.float32)
    except (ValueError, KeyError, OSError) as exc:
        raise ModelCorrupt(f"cannot read {path}: {exc}", hint=_HINT) from exc
    if weights.shape != (N_FEATURES,):
        raise ModelCorrupt(f"{path} has {weights.shape} weights, expected ({N_FEATURES},)", hint=_HINT)
    return BreakModel(weights, float(manifest.get("bar", BREAK_BAR)))


def break_model(models_dir: Path | None = None) -> BreakModel | None:
    """The model of ``models_dir`` (default ``models.default_dir()``), loaded once per process; None
    for a directory trained before it existed (no ``parabreaks.json``: the width rule alone)."""
    return _cached(str(Path(models_dir or default_dir()).resolve()))


@lru_cache(maxsize=4)
def _cached(directory: str) -> BreakModel | None:
    if not (Path(directory) / MANIFEST_FILE).exists():
        return None
    return load(Path(directory))


# --- training ------------------------------------------------------------------------------


def sentence_ends(paragraphs: Sequence[str]) -> Iterable[tuple[str, str, int]]:
    """(paragraph so far, text after, 1 if the paragraph ends there) at every sentence end of an
    article's body but its last: where a full column line can end, each equally likely."""
    paras = [_norm(p) for p in paragraphs if p.strip()]
    for k, para in enumerate(paras):
        for i, c in enumerate(para):
            if c not in TERMINAL or (i + 1 < len(para) and para[i + 1] in TERMINAL):
                continue
            if i + 1 == len(para):
                if k + 1 < len(paras):
                    yield para, paras[k + 1][:NEXT_CHARS], 1
                continue
            nxt = para[i + 1 : i + 1 + NEXT_CHARS]
            if len(nxt) < NEXT_CHARS and k + 1 < len(paras):
                nxt += paras[k + 1][: NEXT_CHARS - len(nxt)]
            yield para[: i + 1], nxt, 0


def _matrix(rows: Sequence[tuple[str, str, int]]):
    from scipy.sparse import csr_matrix  # noqa: PLC0415

    indptr, indices = [0], []
    for para, nxt, _ in rows:
        indices.extend(sorted(set(vector(features(para, nxt)))))
        indptr.append(len(indices))
    return csr_matrix((np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int32),
                       np.asarray(indptr, dtype=np.int32)), shape=(len(rows), N_FEATURES))  # fmt: skip


def train(corpus_dir: Path, out_dir: Path, *, months: tuple[str, ...] = TRAIN_MONTHS, seed: int = 7) -> dict:
    """Fit on the sentence ends of ``months``' articles (a tenth of the issues held out for the
    scores), refit on all, save to ``out_dir``; returns the manifest."""
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415
    from sklearn.metrics import roc_auc_score  # noqa: PLC0415

    from .evaluation.corpus import load_issues  # noqa: PLC0415

    issues = load_issues(Path(corpus_dir), months)
    dates = sorted(issues)
    held = set(random.Random(seed).sample(dates, max(1, len(dates) // 10)))
    train_rows, test_rows = [], []
    for date in dates:
        rows = test_rows if date in held else train_rows
        for page in issues[date]:
            for article in page.articles:
                rows.extend(sentence_ends(article.paragraphs))

    def fit(rows) -> np.ndarray:
        # C 0.3: 0.1 and 1.0 gave the same dev accuracy within 0.006 (prototype, one-off)
        clf = LogisticRegression(C=0.3, solver="liblinear", max_iter=2000)
        clf.fit(_matrix(rows), np.array([r[2] for r in rows]))
        w = clf.coef_[0].astype(np.float32)
        w[vector(["b"])[0]] += float(clf.intercept_[0])
        return w

    held_model = BreakModel(fit(train_rows))
    y = np.array([r[2] for r in test_rows])
    p = np.array([held_model.probability(a, b) for a, b, _ in test_rows])
    pred = p >= held_model.bar
    tp = int((pred & (y == 1)).sum())
    scores = {
        "examples": len(train_rows) + len(test_rows), "held_out": len(test_rows),
        "held_out_issues": len(held), "paragraph_end_share": round(float(y.mean()), 4),
        "auc": round(float(roc_auc_score(y, p)), 4), "accuracy": round(float((pred == y).mean()), 4),
        f"precision@{BREAK_BAR}": round(tp / max(1, int(pred.sum())), 4), f"recall@{BREAK_BAR}": round(tp / max(1, int(y.sum())), 4),
    }  # fmt: skip
    model = BreakModel(fit(train_rows + test_rows))
    return model.save(Path(out_dir), {
        "model": "parabreaks", "version": 1, "months": list(months), "seed": seed,
        "command": "pagesplit train-paragraphs CORPUS (make train CORPUS=…)",
        "features": "hashed n-grams of the paragraph so far and the text after, 2^18", "scores": scores,
    })  # fmt: skip
