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

It also keeps the character groups of four and five characters that the training months print at
least MIN_COUNT times (as 32-bit hashes, ``group_level``): a printed line read out of column order
(``colorder.py``) is placed where a group runs across the junction ("与挥|舞国旗": 与挥舞国), and
a 4- or 5-character group of news prose across a junction between unrelated lines is rare (measured
on composed June pages against May's counts: a 5-character group across 40% of line breaks inside
a paragraph vs 2% of junctions with a foreign line).

Counted by ``pagesplit train-junction`` over the same months as the junction model (whitespace
removed, bigrams seen at least MIN_COUNT times kept) and stored as sorted 64-bit keys and counts
in ``models/charstats.npz`` and the groups in ``models/chargroups.npz`` (model files like the
others: no text, their sha256 in ``models/junction.json``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Sequence

import numpy as np

# Bigrams seen once are mostly names and numbers; dropping them halves the file (435 K of 742 K
# distinct bigrams in 2020-01..06 remain) and a pair seen once reads as unseen.
MIN_COUNT = 2
# Added to the observed and to the expected count of a pair: an unseen pair of common characters
# (expected hundreds of times) gets a strongly negative PMI, one of rare characters (expected less
# than once: its absence says nothing) a PMI near 0, never minus infinity.
SMOOTHING = 0.5
# Character groups kept by length: 4 and 5 characters (1.4 M and 1.2 M groups seen twice in
# 2020-01..05). Three-character groups across a junction barely tell a line break inside a
# paragraph from a foreign line (19% vs 16% of junctions), and six would double the file.
GROUP_LENGTHS = (4, 5)
_MULT = 1_000_003
_MASK64 = 0xFFFF_FFFF_FFFF_FFFF


def _poly(chars: str) -> int:
    k = 0
    for ch in chars:
        k = (k * _MULT + ord(ch)) & _MASK64
    return k


def group_hash(group: str) -> int:
    """32-bit hash of a character group (a polynomial over its code points seeded with its length,
    folded): equal to ``_group_hashes`` over a text holding the group."""
    n = len(group)
    return int(_fold(np.uint64((n * pow(_MULT, n, 1 << 64) + _poly(group)) & _MASK64)))


def _fold(h):
    """64-bit polynomial hashes (numpy uint64) folded to the 32 bits stored."""
    return ((h ^ (h >> np.uint64(32))) & np.uint64(0xFFFF_FFFF)).astype(np.uint32)


def group_keys64(texts: Iterable[str], n: int) -> np.ndarray:
    """The 64-bit polynomial (``group_hash`` before folding) of every n-character group inside one
    text of ``texts`` (whitespace removed), with numpy over all of them at once."""
    joined = "\n".join("".join(t.split()) for t in texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    m = len(codes) - n + 1
    if m <= 0:
        return np.empty(0, dtype=np.uint64)
    breaks = np.concatenate(([0], np.cumsum(codes == 10)))
    with np.errstate(over="ignore"):
        k = np.full(m, n, dtype=np.uint64)
        for j in range(n):
            k = k * np.uint64(_MULT) + codes[j : j + m]
    return k[breaks[n : n + m] - breaks[:m] == 0]  # no line break (text boundary) inside


def _group_hashes(texts: Iterable[str], n: int) -> np.ndarray:
    """group_hash of every n-character group inside one text of ``texts``."""
    return _fold(group_keys64(texts, n))


def count_groups(texts: list[str], min_count: int = MIN_COUNT) -> np.ndarray:
    """Sorted hashes of the GROUP_LENGTHS groups seen at least ``min_count`` times in ``texts``."""
    kept = []
    for n in GROUP_LENGTHS:
        keys, counts = np.unique(_group_hashes(texts, n), return_counts=True)
        kept.append(keys[counts >= min_count])
    return np.unique(np.concatenate(kept)) if kept else np.empty(0, dtype=np.uint32)


@dataclass(frozen=True, eq=False)
class CharStats:
    bigram_keys: np.ndarray  # uint64, sorted: ord(a) << 32 | ord(b)
    bigram_counts: np.ndarray  # uint32
    char_keys: np.ndarray  # uint32, sorted code points
    char_counts: np.ndarray  # uint32
    n_chars: int
    n_bigrams: int
    # uint32, sorted: group_hash of each 4- and 5-character group seen MIN_COUNT times (empty in
    # model directories written before them: group_level is then always 0)
    group_keys: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint32))

    def group_level(self, left: str, right: str) -> int:
        """Length of the longest group in GROUP_LENGTHS across the junction (at least one
        character from each side; whitespace is not read) that the training months print, or 0."""
        a, b = "".join(left.split())[-(GROUP_LENGTHS[-1] - 1) :], "".join(right.split())[: GROUP_LENGTHS[-1] - 1]
        keys = self.group_keys
        if not len(keys):
            return 0
        for n in reversed(GROUP_LENGTHS):
            for k in range(1, n):
                if len(a) >= k and len(b) >= n - k:
                    h = keys.dtype.type(group_hash(a[-k:] + b[: n - k]))
                    i = int(keys.searchsorted(h))
                    if i < len(keys) and keys[i] == h:
                        return n
        return 0

    def group_levels(self, texts: Sequence[str], reach: int) -> np.ndarray:
        """``group_level`` of every junction between ``texts[a]`` and ``texts[a + d]``, |d| <= reach,
        at once: int8 array [len(texts), 2 * reach + 1] (column d + reach; 0 where a + d is outside).
        One numpy pass instead of a lookup per junction (column order asks for thousands a page)."""
        near = Junctions(texts, reach, GROUP_LENGTHS[-1] - 1)
        level = np.zeros(len(near.a), dtype=np.int8)
        if len(self.group_keys) and len(near.a):
            splits = [(n, k) for n in GROUP_LENGTHS for k in range(1, n)]  # ascending n: longer overwrites
            hashes, oks = zip(*(near.hashes(n, k) for n, k in splits))
            h = np.concatenate(hashes)
            found = in_sorted(self.group_keys, _fold(h))
            for m, ((n, _), ok) in enumerate(zip(splits, oks)):
                level[ok & found[m * len(near.a) : (m + 1) * len(near.a)]] = n
        return near.matrix(level)

    def pmi_levels(self, texts: Sequence[str], reach: int) -> np.ndarray:
        """``pmi`` of the character pair across every junction of ``group_levels``' shape (float;
        NaN where a side has no character or a + d is outside)."""
        near = Junctions(texts, reach, 1)
        nb, nc = float(self.n_bigrams), float(self.n_chars)
        with np.errstate(over="ignore"):
            last, first = near.tail[1][near.a], near.head[1][near.b]  # code points (the poly of one character)
        ab = _counts(self.bigram_keys, self.bigram_counts, (last << np.uint64(32)) | first)
        ca = _counts(self.char_keys.astype(np.uint64), self.char_counts, last)
        cb = _counts(self.char_keys.astype(np.uint64), self.char_counts, first)
        expected = ca * cb * nb / (nc * nc)
        pmi = np.log((ab + SMOOTHING) / (expected + SMOOTHING))
        pmi[(near.lengths[near.a] < 1) | (near.lengths[near.b] < 1)] = np.nan
        return near.matrix(pmi, fill=np.nan)

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

    def group_arrays(self) -> dict[str, np.ndarray]:
        """The group hashes, Rice-coded (``pack_sorted``): stored in a file of their own."""
        return pack_sorted(self.group_keys)

    @classmethod
    def from_arrays(cls, z, groups=None, *, group_keys: np.ndarray | None = None) -> "CharStats":
        """From ``arrays()`` and, when given, ``group_arrays()`` (or the group keys unpacked)."""
        n_chars, n_bigrams = (int(x) for x in z["totals"])
        if group_keys is not None:
            keys = group_keys
        else:
            keys = unpack_sorted(groups) if groups is not None else np.empty(0, dtype=np.uint32)
        return cls(z["bigram_keys"], z["bigram_counts"], z["char_keys"], z["char_counts"], n_chars, n_bigrams, keys)


# Rice code of the gaps between sorted 32-bit hashes: 2**RICE_BITS is about the mean gap times
# ln 2 (3.1 M hashes spread over 2**32: gaps of ~1,400), which makes the code near its shortest —
# ~12.4 bits a hash instead of 32 (random hashes do not compress otherwise).
RICE_BITS = 10


def pack_sorted(keys: np.ndarray) -> dict[str, np.ndarray]:
    """Sorted unique uint32 keys as a Rice code of their gaps: each gap's quotient by
    2**RICE_BITS in unary (zeros closed by a one) and its remainder in RICE_BITS bits."""
    gaps = np.diff(keys.astype(np.int64), prepend=0)
    q, r = gaps >> RICE_BITS, gaps & ((1 << RICE_BITS) - 1)
    ones = np.cumsum(q + 1) - 1  # where each gap's closing one falls
    unary = np.zeros(int(ones[-1]) + 1 if len(ones) else 0, dtype=bool)
    unary[ones] = True
    bits = ((r[:, None] >> np.arange(RICE_BITS - 1, -1, -1)) & 1).astype(bool)
    return {
        "n": np.array([len(keys)], dtype=np.int64),
        "unary": np.packbits(unary),
        "remainder": np.packbits(bits.ravel()),
    }


def unpack_sorted(z) -> np.ndarray:
    n = int(z["n"][0])
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    ones = np.flatnonzero(np.unpackbits(z["unary"]))[:n]
    q = np.diff(ones, prepend=-1) - 1
    # each remainder's bits, left-padded to 16 and read as a big-endian 16-bit number: no
    # n x RICE_BITS int64 matrix (250 MB and ~0.3 s for the 3 M groups, paid by every worker)
    padded = np.zeros((n, 16), dtype=np.uint8)
    padded[:, 16 - RICE_BITS :] = np.unpackbits(z["remainder"], count=n * RICE_BITS).reshape(n, RICE_BITS)
    r = np.packbits(padded, axis=1).view(">u2").ravel()
    return np.cumsum((q << RICE_BITS) + r).astype(np.uint32)


class Junctions:
    """Every junction between a text and the texts up to ``reach`` before or after it, with the
    polynomial (``group_hash`` without its seed) of each side's last / first 1..``top`` characters,
    to hash the character groups across all junctions with numpy."""

    def __init__(self, texts: Sequence[str], reach: int, top: int):
        squeezed = ["".join(t.split()) for t in texts]
        n_texts, width = len(squeezed), 2 * reach + 1
        self.shape = (n_texts, width)
        self.lengths = np.array([len(t) for t in squeezed], dtype=np.int64)
        self.tail = np.zeros((top + 1, n_texts), dtype=np.uint64)
        self.head = np.zeros((top + 1, n_texts), dtype=np.uint64)
        for i, t in enumerate(squeezed):
            for k in range(1, min(top, len(t)) + 1):
                self.tail[k, i] = _poly(t[-k:])
                self.head[k, i] = _poly(t[:k])
        a = np.repeat(np.arange(n_texts), width)
        d = np.tile(np.arange(-reach, reach + 1), n_texts)
        inside = (a + d >= 0) & (a + d < n_texts)
        self.a, self.b, self.cols = a[inside], (a + d)[inside], (d + reach)[inside]
        self.top = top

    def hashes(self, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Hashes of the n-character group across each junction taking k characters from the left
        (the rest from the right), and whether both sides have that many."""
        j = n - k
        ok = (self.lengths[self.a] >= k) & (self.lengths[self.b] >= j) & (k <= self.top) & (j <= self.top)
        mult = np.uint64(_MULT)
        with np.errstate(over="ignore"):
            h = (
                np.uint64(n) * mult ** np.uint64(n)
                + self.tail[min(k, self.top)][self.a] * mult ** np.uint64(j)
                + self.head[min(j, self.top)][self.b]
            )
        return h, ok

    def matrix(self, values: np.ndarray, fill=0) -> np.ndarray:
        out = np.full(self.shape, fill, dtype=values.dtype)
        out[self.a, self.cols] = values
        return out


def in_sorted(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """values found in the sorted array keys (looked up in sorted order: numpy's binary search
    starts from the last answer, which saves most cache misses in a large array)."""
    if not len(keys) or not len(values):
        return np.zeros(len(values), dtype=bool)
    order = np.argsort(values, kind="stable")
    found = np.empty(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(keys, values[order]), len(keys) - 1)
    found[order] = keys[pos] == values[order]
    return found


def _counts(keys: np.ndarray, counts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """counts[i] where keys[i] == value, else 0 (float64)."""
    if not len(keys):
        return np.zeros(len(values))
    pos = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return np.where(keys[pos] == values, counts[pos], 0).astype(np.float64)


def _lookup(keys: np.ndarray, counts: np.ndarray, key: int) -> int:
    # the key as the array's own type: a Python int against uint64 keys makes numpy convert the
    # whole array (~65 µs a lookup instead of ~1)
    i = int(keys.searchsorted(keys.dtype.type(key)))
    return int(counts[i]) if i < len(keys) and int(keys[i]) == key else 0


def count(texts: Iterable[str], min_count: int = MIN_COUNT) -> CharStats:
    """Character and adjacent-pair counts of ``texts`` (whitespace removed; no pair spans two
    texts) and the groups seen ``min_count`` times (``count_groups``)."""
    texts = list(texts)
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
        n_chars, n_bigrams, count_groups(texts, min_count),
    )  # fmt: skip
