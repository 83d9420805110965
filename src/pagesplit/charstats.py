"""Character bigram statistics of news prose: how much more often two characters stand next to each
other than chance would put them there (pointwise mutual information).

A cut paragraph reads on across its junction: the last character of the left side and the first of
the right are a pair of running text ("让丽江|古城获得重生": 江古, "建成后|将成为": 后将), while a cut
text followed by another paragraph's start pairs two characters at random. The junction model sees
such pairs too, but only the few tens of thousands of junctions it was trained on; counted over
every pair of the training months' text (15 M characters), the evidence covers the pairs no
training junction had. On composed training pages, adding the PMI of the junction pair to the
junction model's log-odds raised the AUC of "continuation or not" from 0.86 to 0.95 for the next
block and from 0.90 to 0.96 for blocks further away (``repair.RepairConfig.pmi_weight``).

Counted by ``pagesplit train-junction`` over the same months as the junction model (whitespace
removed, bigrams seen at least MIN_COUNT times kept) and stored as sorted 64-bit keys and counts
in ``models/charstats.npz`` (a model file like the others: no text, its sha256 in
``models/junction.json``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

import numpy as np

# Bigrams seen once are mostly names and numbers; dropping them halves the file (435 K of 742 K
# distinct bigrams in 2020-01..06 remain) and a pair seen once reads as unseen.
MIN_COUNT = 2
# Added to the observed and to the expected count of a pair: an unseen pair of common characters
# (expected hundreds of times) gets a strongly negative PMI, one of rare characters (expected less
# than once: its absence says nothing) a PMI near 0, never minus infinity.
SMOOTHING = 0.5


@dataclass(frozen=True, eq=False)
class CharStats:
    bigram_keys: np.ndarray  # uint64, sorted: ord(a) << 32 | ord(b)
    bigram_counts: np.ndarray  # uint32
    char_keys: np.ndarray  # uint32, sorted code points
    char_counts: np.ndarray  # uint32
    n_chars: int
    n_bigrams: int

    def pmi(self, a: str, b: str) -> float:
        """log P(ab) / (P(a) P(b)) of two characters (natural log), as observed over expected
        count of the pair, both smoothed (``SMOOTHING``)."""
        ab = _lookup(self.bigram_keys, self.bigram_counts, (ord(a) << 32) | ord(b))
        ca, cb = self._chars.get(ord(a), 0), self._chars.get(ord(b), 0)
        expected = ca * cb * self.n_bigrams / (self.n_chars * self.n_chars)
        return math.log((ab + SMOOTHING) / (expected + SMOOTHING))

    @cached_property
    def _chars(self) -> dict[int, int]:
        """Character counts by code point (a few thousand: a dict, built once)."""
        return dict(zip(self.char_keys.tolist(), self.char_counts.tolist()))

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "bigram_keys": self.bigram_keys, "bigram_counts": self.bigram_counts,
            "char_keys": self.char_keys, "char_counts": self.char_counts,
            "totals": np.array([self.n_chars, self.n_bigrams], dtype=np.int64),
        }  # fmt: skip

    @classmethod
    def from_arrays(cls, z) -> "CharStats":
        n_chars, n_bigrams = (int(x) for x in z["totals"])
        return cls(z["bigram_keys"], z["bigram_counts"], z["char_keys"], z["char_counts"], n_chars, n_bigrams)


def _lookup(keys: np.ndarray, counts: np.ndarray, key: int) -> int:
    # the key as the array's own type: a Python int against uint64 keys makes numpy convert the
    # whole array (~65 µs a lookup instead of ~1)
    i = int(keys.searchsorted(keys.dtype.type(key)))
    return int(counts[i]) if i < len(keys) and int(keys[i]) == key else 0


def count(texts: Iterable[str], min_count: int = MIN_COUNT) -> CharStats:
    """Character and adjacent-pair counts of ``texts`` (whitespace removed; no pair spans two texts)."""
    chars: dict[int, int] = {}
    pairs: dict[int, int] = {}
    n_chars = n_bigrams = 0
    for text in texts:
        codes = [ord(ch) for ch in "".join(text.split())]
        for c in codes:
            chars[c] = chars.get(c, 0) + 1
        for a, b in zip(codes, codes[1:]):
            k = (a << 32) | b
            pairs[k] = pairs.get(k, 0) + 1
        n_chars += len(codes)
        n_bigrams += max(0, len(codes) - 1)
    kept = sorted((k, v) for k, v in pairs.items() if v >= min_count)
    ck = sorted(chars.items())
    return CharStats(
        np.array([k for k, _ in kept], dtype=np.uint64), np.array([v for _, v in kept], dtype=np.uint32),
        np.array([k for k, _ in ck], dtype=np.uint32), np.array([v for _, v in ck], dtype=np.uint32),
        n_chars, n_bigrams,
    )  # fmt: skip
