"""How well two texts read on across a junction: the probability that ``right`` continues the
sentence ``left`` was cut in (a column break), rather than starting a paragraph of its own or
continuing some other cut text.

A logistic regression over hashed character features of the junction — the last characters of
the left side, the first of the right, the pairs across the junction, punctuation and quote
state, whether pkuseg reads a word across it — trained on People's Daily paragraphs of
2020-01..06 (``pagesplit train-junction``). The weights are a plain ``.npz`` (no pickle) whose
sha256 is checked on load against ``models/junction.json``.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .charstats import CharStats, unpack_sorted
from .diskcache import cached_arrays
from .errors import ModelCorrupt, ModelMissing
from .models import check_file, default_dir
from .text import CLAUSE, OPENERS, TERMINAL, closes_open_bracket, first_unmatched_closer, is_cjk, open_quotes, tight

N_FEATURES = 1 << 18
MODEL_DIR = Path(__file__).resolve().parent.parent.parent / "models"
MODEL_FILE = "junction.npz"
MANIFEST_FILE = "junction.json"
STATS_FILE = "charstats.npz"
GROUPS_FILE = "chargroups.npz"  # the character groups of the statistics (kept apart: each file stays small)
_HINT = "restore models/ from the repository or retrain: make train CORPUS=../shared/corpus"
# Characters each side of the junction handed to the word segmenter.
WORD_WINDOW = 6

WordSplitter = Callable[[str], list[str]]


def _cls(ch: str) -> str:
    if ch in TERMINAL:
        return "T"
    if ch in CLAUSE:
        return "C"
    if ch in OPENERS:
        return "O"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "A"
    if is_cjk(ch):
        return "H"
    return "P"


def word_across(left: str, right: str, words: WordSplitter, window: int = WORD_WINDOW) -> bool:
    a, b = edges(left, right, window)
    pos = 0
    for w in words(a + b):
        if pos < len(a) < pos + len(w):
            return True
        pos += len(w)
        if pos >= len(a):
            break
    return False


class WordMemo:
    """``words`` with a memory, filled in batches by ``words_many`` when there is one: a page's
    junctions are segmented at once (a segmenter call has a fixed cost, a junction is ~12 characters)."""

    def __init__(self, words: WordSplitter, words_many: Callable[[list[str]], list[list[str]]] | None = None) -> None:
        self._words, self._many, self._seen = words, words_many, {}

    def prefetch(self, texts) -> None:
        todo = list(dict.fromkeys(t for t in texts if t not in self._seen))
        if todo and self._many is not None:
            self._seen.update(zip(todo, self._many(todo)))

    def prefetch_junctions(self, pairs, window: int = WORD_WINDOW) -> None:
        """What ``word_across`` will ask about each (left, right)."""
        self.prefetch("".join(edges(left, right, window)) for left, right in pairs)

    def __call__(self, text: str) -> list[str]:
        got = self._seen.get(text)
        if got is None:
            got = self._seen[text] = self._words(text)
        return got


def edges(left: str, right: str, n: int) -> tuple[str, str]:
    """The last ``n`` characters of ``left`` and the first ``n`` of ``right``, read ``tight`` (OCR
    spaces between CJK characters are not text: the model and pkuseg see the characters meet)."""
    left, right = left.rstrip(), right.lstrip()
    # 3n characters hold n once the spaces go (the engine puts one at most between two characters)
    return tight(left[-3 * n :])[-n:], tight(right[: 3 * n])[:n]


def features(left: str, right: str, across: bool | None) -> list[str]:
    """Named features of one junction (hashed later)."""
    left, right = left.rstrip(), right.lstrip()
    f = list(_side_features(left, right))
    if across is not None:
        f.extend(_across_features(left, across))
    return f


def _across_features(left: str, across: bool) -> tuple[str, str]:
    """The features of ``features`` that say whether pkuseg reads a word across (left stripped)."""
    return f"W={across}", f"W|CC={across}|{_cls(left[-1]) if left else '-'}"


@lru_cache(maxsize=8)  # ``probability`` is asked for both pkuseg answers of a pair in a row
def _side_vector(left: str, right: str) -> np.ndarray:
    return np.array(vector(list(_side_features(left, right))), dtype=np.intp)


def _side_features(left: str, right: str) -> tuple[str, ...]:
    """The features of ``features`` that do not depend on ``across`` (sides already stripped)."""
    return _in_order(_BIAS, _left_names(left), _right_names(right), _cross_names(left, right))


def _in_order(bias, lefts: Sequence, rights: Sequence, crosses: Sequence) -> tuple:
    """A junction's side features (names or their hashes) from the bias, the left side's own, the
    right side's own and the pair's, in the order the weights are added (``JunctionModel._side_sum``)."""
    return (bias, *lefts[:3], *rights[:3], *crosses[:3],
            lefts[3], rights[3], crosses[3], lefts[4], rights[4], crosses[4])  # fmt: skip


def _left_names(left: str) -> tuple[str, ...]:
    return _left_from(edges(left, "", 3)[0], left)


def _left_from(l3: str, left: str) -> tuple[str, ...]:
    return f"L1={l3[-1:]}", f"L2={l3[-2:]}", f"L3={l3}", f"LC={''.join(_cls(c) for c in l3)}", f"LL={min(len(left) // 20, 8)}"


def _right_names(right: str) -> tuple[str, ...]:
    return _right_from(edges("", right, 3)[1], right)


def _right_from(r3: str, right: str) -> tuple[str, ...]:
    return f"R1={r3[:1]}", f"R2={r3[:2]}", f"R3={r3}", f"RC={''.join(_cls(c) for c in r3)}", f"RL={min(len(right) // 20, 8)}"


def _cross_names(left: str, right: str) -> tuple[str, ...]:
    l3, r3 = edges(left, right, 3)
    return _cross_from(l3, r3, left, right)


def _cross_from(l3: str, r3: str, left: str, right: str) -> tuple[str, ...]:
    """The pair's own features from the sides' edges (``edges(left, right, 3)``) and texts."""
    opened = bool(open_quotes(left))
    return (f"X11={l3[-1:]}|{r3[:1]}", f"X21={l3[-2:]}|{r3[:1]}", f"X12={l3[-1:]}|{r3[:2]}",
            f"CC={_cls(l3[-1]) if l3 else '-'}{_cls(r3[0]) if r3 else '-'}",
            f"Q={opened}|{first_unmatched_closer(right) is not None}|{closes_open_bracket(left, right)}")  # fmt: skip


_BIAS = "b"


@lru_cache(maxsize=1 << 16)  # feature names repeat across junctions ("b", "CC=HH", common characters)
def _hash(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little") % N_FEATURES


def vector(names: Sequence[str]) -> list[int]:
    return [_hash(n) for n in names]


_BIAS_HASH = _hash(_BIAS)


def _side_indices(pairs: Sequence[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_side_vector`` of many (stripped) pairs as rows, and the hashes ``_reading`` adds for a word
    across the junction and for none (two columns each): each side's own features read once."""
    lefts: dict[str, tuple] = {}
    rights: dict[str, tuple] = {}
    rows, across, apart = [], [], []
    for left, right in pairs:
        ls = lefts.get(left)
        if ls is None:
            l3 = edges(left, "", 3)[0]
            ls = lefts[left] = (l3, vector(_left_from(l3, left)), vector(_across_features(left, True)),
                                vector(_across_features(left, False)))  # fmt: skip
        rs = rights.get(right)
        if rs is None:
            r3 = edges("", right, 3)[1]
            rs = rights[right] = (r3, vector(_right_from(r3, right)))
        rows.append(_in_order(_BIAS_HASH, ls[1], rs[1], vector(_cross_from(ls[0], rs[0], left, right))))
        across.append(ls[2])
        apart.append(ls[3])
    shape = (len(rows), -1)
    return (np.array(rows, dtype=np.intp).reshape(shape), np.array(across, dtype=np.intp).reshape(shape),
            np.array(apart, dtype=np.intp).reshape(shape))  # fmt: skip


@dataclass(frozen=True)
class JunctionModel:
    """Two weight vectors over the same features (bias folded into feature "b"):

    * ``weights``: continuation against both alternatives — a paragraph start (or a heading's
      first paragraph) and the tail of some other cut text. For a candidate anywhere on the page.
    * ``weights_next``: continuation against a paragraph start only. For the block right after an
      open paragraph, the alternative *is* a paragraph start (another cut text's tail lands there
      only as an orphan); trained on that question, the model stops discounting every true
      continuation that is cut at a word boundary ("碧水|保卫战") as a possible foreign tail.
      None in models trained before it existed: ``weights`` then answers both questions."""

    weights: np.ndarray  # float32[N_FEATURES]
    weights_next: np.ndarray | None = None
    # Character bigram statistics of the training months (``charstats.py``), for ``pair_pmi``;
    # None in model directories written before them.
    stats: CharStats | None = None

    def pair_pmi(self, left: str, right: str) -> float | None:
        """PMI of the character pair across the junction (spaces between CJK characters not read),
        or None without statistics or without a character on one side."""
        if self.stats is None:
            return None
        a, b = edges(left, right, 1)
        return self.stats.pmi(a, b) if a and b else None

    def pmi_levels(self) -> "Callable[[Sequence[str], int], np.ndarray] | None":
        """``CharStats.pmi_levels`` (``pair_pmi`` of many junctions at once), None without statistics."""
        return self.stats.pmi_levels if self.stats is not None else None

    def corpus_groups(self) -> "Callable[[Sequence[str], int], np.ndarray] | None":
        """``CharStats.group_levels`` (for column order) when the statistics hold character
        groups, else None."""
        return self.stats.group_levels if self.stats is not None and len(self.stats.group_keys) else None

    def probability(
        self, left: str, right: str, words: WordSplitter | None = None, *, across: bool | None = None, adjacent: bool = False
    ) -> float:
        """``across`` (whether a word spans the junction) when the caller knows it; else from ``words``.
        ``adjacent``: ``right`` is the next block after ``left`` (see the class docstring)."""
        if across is None and words is not None:
            across = word_across(left, right, words)
        w, left, side = self._side_sum(left, right, adjacent)
        return _reading(w, left, side, across)

    def probability_both(self, left: str, right: str, *, adjacent: bool = False) -> tuple[float, float]:
        """``probability`` with a word across the junction and without: the same two numbers, the
        sides' features summed once."""
        return self.probability_both_many([(left, right, adjacent)])[0]

    def probability_both_many(self, pairs: Sequence[tuple[str, str, bool]]) -> list[tuple[float, float]]:
        """``probability_both`` of many ``(left, right, adjacent)`` at once: each side's own
        features hashed once, the weights gathered and summed in one numpy call a weight vector
        (a page's candidate pairs share their sides: a left side has up to ``max_distance``)."""
        stripped = [(left.rstrip(), right.lstrip()) for left, right, _ in pairs]
        if not pairs:
            return []
        idx, h_across, h_apart = _side_indices(stripped)
        z_across = np.zeros(len(pairs), dtype=np.float32)
        z_apart = np.zeros(len(pairs), dtype=np.float32)
        use_next = np.array([adjacent and self.weights_next is not None for _, _, adjacent in pairs], dtype=bool)
        for w, rows in ((self.weights, ~use_next), (self.weights_next, use_next)):
            if rows.any():
                # float32 weights added one after another along each row (cumsum is sequential), then
                # pkuseg's two features one after the other: the order of ``_side_sum`` and ``_reading``
                side = np.cumsum(w[idx[rows]], axis=1)[:, -1]
                z_across[rows] = (side + w[h_across[rows, 0]]) + w[h_across[rows, 1]]
                z_apart[rows] = (side + w[h_apart[rows, 0]]) + w[h_apart[rows, 1]]
        return [(_sigmoid(a), _sigmoid(b)) for a, b in zip(z_across.tolist(), z_apart.tolist())]

    def _side_sum(self, left: str, right: str, adjacent: bool):
        """(weights, left stripped, the sum of the side features' weights)."""
        w = self.weights_next if adjacent and self.weights_next is not None else self.weights
        # float32 weights added one after another in the order of ``features`` (cumsum is
        # sequential, and so is adding the two pkuseg features after it: ``_reading``)
        left, right = left.rstrip(), right.lstrip()
        return w, left, np.cumsum(w[_side_vector(left, right)])[-1]

    def save(self, directory: Path, manifest: dict) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / MODEL_FILE
        arrays = {"weights": self.weights.astype(np.float32)}
        if self.weights_next is not None:
            arrays["weights_next"] = self.weights_next.astype(np.float32)
        np.savez_compressed(path, **arrays)
        manifest = dict(manifest, file=MODEL_FILE, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
        if self.stats is not None:
            stats_path, groups_path = directory / STATS_FILE, directory / GROUPS_FILE
            np.savez_compressed(stats_path, **self.stats.arrays())
            np.savez_compressed(groups_path, **self.stats.group_arrays())
            manifest["charstats"] = {"file": STATS_FILE, "sha256": hashlib.sha256(stats_path.read_bytes()).hexdigest(),
                                     "bigrams": int(len(self.stats.bigram_keys)), "chars_counted": self.stats.n_chars,
                                     "groups_file": GROUPS_FILE, "groups_sha256": hashlib.sha256(groups_path.read_bytes()).hexdigest(),
                                     "groups": int(len(self.stats.group_keys))}  # fmt: skip
        (directory / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path


def _reading(w: np.ndarray, left: str, side, across: bool | None) -> float:
    """The probability from the side features' sum and pkuseg's reading (``across``, None: unknown)."""
    z = side
    if across is not None:
        for h in vector(_across_features(left, across)):
            z = z + w[h]
    return _sigmoid(float(z))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load(directory: Path | None = None) -> JunctionModel:
    """Load and verify the junction model (sha256 from its manifest) of ``directory`` (default:
    ``models.default_dir()``, i.e. ``$PAGESPLIT_MODELS`` or the checkout's models/)."""
    if directory is None:
        directory = default_dir()
    path, manifest_path = Path(directory) / MODEL_FILE, Path(directory) / MANIFEST_FILE
    if not path.exists() or not manifest_path.exists():
        raise ModelMissing(
            f"no junction model in {directory} ({MODEL_FILE} + {MANIFEST_FILE})",
            hint=_HINT,
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    check_file(path, manifest.get("sha256"), "junction model", _HINT)
    try:
        with np.load(path, allow_pickle=False) as z:
            weights = z["weights"].astype(np.float32)
            weights_next = z["weights_next"].astype(np.float32) if "weights_next" in z.files else None
    except (ValueError, KeyError, OSError) as exc:
        raise ModelCorrupt(f"cannot read {path}: {exc}", hint="restore it from the repository or retrain") from exc
    for w in (weights, weights_next):
        if w is not None and w.shape != (N_FEATURES,):
            raise ModelCorrupt(f"{path} has {w.shape} weights, expected ({N_FEATURES},)", hint="retrain")
    stats = None
    entry = manifest.get("charstats")
    if entry is not None:
        stats_path = Path(directory) / entry["file"]
        check_file(stats_path, entry.get("sha256"), "character statistics", _HINT)
        groups_path = Path(directory) / entry["groups_file"] if "groups_file" in entry else None
        if groups_path is not None:
            check_file(groups_path, entry.get("groups_sha256"), "character groups", _HINT)
        path = stats_path
        try:
            with np.load(stats_path, allow_pickle=False) as z:
                if groups_path is None:
                    stats = CharStats.from_arrays(z)
                else:
                    path = groups_path
                    stats = CharStats.from_arrays(z, group_keys=_group_keys(groups_path, entry["groups_sha256"]))
        except (ValueError, KeyError, OSError) as exc:
            raise ModelCorrupt(f"cannot read {path}: {exc}", hint="restore it from the repository or retrain") from exc
    return JunctionModel(weights, weights_next, stats)


def _group_keys(path: Path, sha256: str) -> np.ndarray:
    """The character groups of ``path`` unpacked (~0.8 s from their Rice code), kept in the disk
    cache (``diskcache``, memory-mapped) under the file's verified sha256."""

    def unpack() -> dict[str, np.ndarray]:
        with np.load(path, allow_pickle=False) as g:
            return {"keys": unpack_sorted(g)}

    return cached_arrays(f"chargroups-{sha256[:16]}-v1", unpack)["keys"]


def default_model() -> JunctionModel:
    """The junction model of ``models.default_dir()``, loaded once per process and directory."""
    return _cached(str(Path(default_dir()).resolve()))


@lru_cache(maxsize=4)
def _cached(directory: str) -> JunctionModel:
    return load(Path(directory))
