"""Train the junction model (``junction.py``) from People's Daily paragraphs.

Examples, all with a left side that ends open (the only kind the repair stage asks about):

* continuation (1): a paragraph cut at a random character — ``(p[:c], p[c:])``;
* paragraph start (0): a paragraph cut at random, then what is printed after it — the next
  paragraph of the article (an intertitle too), after the last one another article's kicker or
  headline; an article's headline / subheadline / kicker, then its first paragraph; an
  intertitle (a short paragraph ending open), then the paragraph after it;
* wrong continuation (0): a paragraph cut at random, then the tail of a paragraph of another article
  cut at random — mid-sentence on both sides, but not the same sentence.

Two weight vectors are fitted (``JunctionModel``): ``weights`` on all examples, ``weights_next`` on
continuations against paragraph starts only (the question asked about the next block).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from . import charstats
from .evaluation.corpus import load_issues
from .junction import N_FEATURES, JunctionModel, features, vector, word_across
from .text import ends_closed

TRAIN_MONTHS = ("2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06")
# Cuts leave at least this many characters each side (a column line holds 15–40).
MIN_SIDE = 6
# Paragraphs this short that end without punctuation are intertitles or box labels.
INTERTITLE_MAX = 40


def articles_of(corpus_dir: Path, months=TRAIN_MONTHS) -> list:
    return [a for pages in load_issues(Path(corpus_dir), tuple(months)).values() for p in pages for a in p.articles]


def texts(articles) -> list[str]:
    """Every text of the articles (heads and paragraphs), for the character statistics."""
    return [t for a in articles for t in (a.kicker, a.headline, a.subheadline, *a.paragraphs) if t]


def examples(corpus_dir: Path, *, months=TRAIN_MONTHS, limit: int = 60000, seed: int = 7):
    rng = random.Random(seed)
    articles = articles_of(corpus_dir, months)
    rng.shuffle(articles)
    paras = [p for a in articles for p in a.paragraphs if len(p) >= 2 * MIN_SIDE + 2]
    out: list[tuple[str, str, int, str]] = []  # (left, right, label, kind: cont / start / other)

    def cut(p: str) -> tuple[str, str] | None:
        for _ in range(5):
            c = rng.randint(MIN_SIDE, len(p) - MIN_SIDE)
            if not ends_closed(p[:c]):
                return p[:c], p[c:]
        return None

    for k, a in enumerate(articles):
        if len(out) >= limit:
            break
        ps = [p for p in a.paragraphs if len(p) >= 2 * MIN_SIDE + 2]
        # what is printed after a paragraph: the next one (an intertitle too), after the last one
        # the head of another article (a cut text's real continuation may be a column away)
        after = {p: nxt for p, nxt in zip(a.paragraphs, a.paragraphs[1:]) if len(nxt.strip()) >= 2}
        following = articles[(k + 1) % len(articles)]
        head_next = next((h for h in (following.kicker, following.headline) if h and h.strip()), None)
        for p in ps:
            pair = cut(p)
            if pair is None:
                continue
            out.append((pair[0], pair[1], 1, "cont"))
            nxt = after.get(p, head_next if p is ps[-1] else None)
            if nxt is not None:
                out.append((pair[0], nxt, 0, "start"))
            other = cut(rng.choice(paras))
            if other is not None:
                out.append((pair[0], other[1], 0, "other"))
        for head in (a.kicker, a.headline, a.subheadline):
            if head and ps and not ends_closed(head):
                out.append((head, ps[0], 0, "start"))
        # intertitles and box labels: short paragraphs that end open, then the paragraph they head
        for p, nxt in zip(a.paragraphs, a.paragraphs[1:]):
            if len(p) <= INTERTITLE_MAX and not ends_closed(p) and len(nxt) >= 2 * MIN_SIDE:
                out.append((p, nxt, 0, "start"))
    return out


# Enough junctions that the character pairs across them ("同|谱") recur; ~4 min on 2 cores.
TRAIN_EXAMPLES = 300_000


def train(corpus_dir: Path, out_dir: Path, *, words=None, limit: int = TRAIN_EXAMPLES, epochs: int = 4, seed: int = 7) -> dict:
    from sklearn.linear_model import SGDClassifier
    from scipy.sparse import csr_matrix

    data = examples(corpus_dir, limit=limit, seed=seed)
    rng = random.Random(seed)
    rng.shuffle(data)
    split = int(0.9 * len(data))

    def matrix(rows):
        indptr, indices = [0], []
        for left, right, *_ in rows:
            across = word_across(left, right, words) if words is not None else None
            idx = sorted(set(vector(features(left, right, across))))
            indices.extend(idx)
            indptr.append(len(indices))
        return csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), N_FEATURES))

    def fit(x, y) -> np.ndarray:
        clf = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=epochs * 5, random_state=seed, tol=None)
        clf.fit(x, y)
        w = clf.coef_[0].astype(np.float32)
        w[vector(["b"])[0]] += float(clf.intercept_[0])
        return w

    train_rows, test_rows = data[:split], data[split:]
    x_train, y_train = matrix(train_rows), np.array([r[2] for r in train_rows])
    next_rows = np.array([r[3] != "other" for r in train_rows])
    model = JunctionModel(fit(x_train, y_train), fit(x_train[next_rows], y_train[next_rows]),
                          charstats.count(texts(articles_of(corpus_dir))))  # fmt: skip

    def prf(rows, adjacent: bool) -> dict:
        y = np.array([r[2] for r in rows])
        pred = np.array([model.probability(l, r, words, adjacent=adjacent) >= 0.5 for l, r, *_ in rows])
        tp = int(((pred == 1) & (y == 1)).sum())
        return {"precision@0.5": round(tp / max(1, int(pred.sum())), 4), "recall@0.5": round(tp / max(1, int(y.sum())), 4),
                "accuracy": round(float((pred == y).mean()), 4)}  # fmt: skip

    scores = {"examples": len(data), "held_out": len(test_rows), **prf(test_rows, False),
              "next": prf([r for r in test_rows if r[3] != "other"], True)}  # fmt: skip
    model.save(Path(out_dir), {
        "model": "junction", "version": 1, "months": list(TRAIN_MONTHS), "seed": seed,
        "command": "pagesplit train-junction CORPUS (make train CORPUS=…)", "examples": limit, "features": "hashed junction n-grams, 2^18",
        "scores": scores, "uses_word_segmenter": words is not None,
    })  # fmt: skip
    return scores
