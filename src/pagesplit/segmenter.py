"""pkuseg's word segmentation, computed in bulk: the same words as pkuseg, several times sooner.

pkuseg (``spacy_pkuseg``, the segmenter inside spaCy's ``zh`` tokenizer) spends ~97 % of its time
building each character's feature list: ~70 feature names a character (``'ww.l.' + word + '*' +
word`` and the like) assembled as strings and looked up one by one in a 2.6 M-entry dict, every
word window of 2..6 characters cut four times over. Its Viterbi decoder is fast.

``Segmenter`` reads the same model (``features.pkl`` + ``weights.npz``) into sorted lookup tables
once (``build_tables``; kept in the disk cache, ``diskcache``, keyed by the model file's sha256): the
feature index of each character, character pair, word (by a 64-bit hash of its characters, every
hit verified character by character) and pair of words. A batch of texts is then one array of
character codes, and each character's 69 feature slots are filled with a few numpy operations, in
pkuseg's order (``get_node_features_idx``), 0 where a feature is absent. The node scores are summed
along that order (``cumsum``, adding an absent feature's 0.0 changes no sum), so every score is the
very float pkuseg's ``getLogYY`` computes; pkuseg's own compiled ``run_viterbi`` picks the tags and
pkuseg's own post-processing merges dictionary words (skipped, unchanged, for a text with no
dictionary word across its words: no merge could happen). Tests compare the words with spaCy's
``zh`` tokenizer on our fixtures; ``python -m pagesplit.segmenter DIR`` compares every line of every
``*.txt`` under DIR.

What the tables rely on, checked when they are built: no feature name holds ``**noWord`` or an
empty side (the word-pair features exist only between two words), and no feature holds the
separator character put between texts of a batch.
"""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

import numpy as np

from .diskcache import cache_dir, cached_arrays

# the formats of the disk cache's entries (``diskcache``): 3 = a directory of .npy files (2 was one .npz)
TABLES_VERSION = 3
WEIGHTS_VERSION = 1
# pkuseg normalises digits and full-width letters to these classes (feature_extractor.pyx); one
# private-use character stands for each class, so that every node of the text is one character.
# A text that itself holds one of them goes through pkuseg's own (slow) path.
NUM_CHAR = "\U000f0000"
LETTER_CHAR = "\U000f0001"
# Between two texts of a batch: two characters no feature mentions, so that no character feature,
# pair or word window of one text reaches into the next (pkuseg looks two characters each way).
SEPARATOR = "\x00\x00"
_NODE = re.compile(r"\*\*Num|\*\*Letter|[^*]")
_PAIR = re.compile(r"(\*\*Num|\*\*Letter|[^*.])\.(\*\*Num|\*\*Letter|[^*.])")
# pkuseg's word windows: wordMax..wordMin characters, longest first (its feature order).
LENGTHS = (6, 5, 4, 3, 2)
_CHAR_SLOTS = {"c": 0, "c-1": 1, "c1": 2, "c-2": 3, "c2": 4}
_PAIR_SLOTS = {"c-1c": 0, "cc1": 1, "c-2c-1": 2}
_HASH_MUL = np.uint64(0x9E3779B97F4A7C15)
# Characters whose features are built at once (memory: ~6 KB a character while its scores are
# summed); a batch of texts is cut into chunks of this size.
BATCH_CHARS = 8192
# The post-processing's dictionary words are looked up by growing prefixes of this many characters
# at most; a longer run of words is always checked (pkuseg's procedure decides).
PREFIX_CHARS = 4


def _node_string(name: str) -> str | None:
    """A feature's text (``'**Num年'``) as one character per node, or None if no text produces it
    (a stray ``*``: pkuseg renames ``*`` in the text to ``&``)."""
    nodes = _NODE.findall(name)
    if "".join(nodes) != name:
        return None
    return "".join(NUM_CHAR if n == "**Num" else LETTER_CHAR if n == "**Letter" else n for n in nodes)


def _codes(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)


def _lookup(keys: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``q`` is in the sorted ``keys`` (clipped to a valid index) and whether it is."""
    i = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
    return i, keys[i] == q


def _fold(h: np.ndarray, length: int) -> np.ndarray:
    """A window's hash (uint64 arithmetic wraps) told apart by its length."""
    return (h ^ np.uint64(length)) * _HASH_MUL


def build_tables(feature_to_idx: dict, unigram, tag_to_idx: dict) -> dict[str, np.ndarray]:
    """pkuseg's feature dictionary as sorted arrays (see the module docstring)."""
    from spacy_pkuseg.config import config

    if not (config.numLetterNorm and config.wordFeature and (config.wordMin, config.wordMax) == (2, 6)):
        raise ValueError("spacy_pkuseg's configuration differs from the one the segmenter reproduces")
    word_id: dict[str, int] = {}
    for w in unigram:
        s = _node_string(w)
        if s is not None and 2 <= len(s) <= 6:
            word_id.setdefault(s, len(word_id) + 1)  # from 1: 0 is "no word"
    n_words = len(word_id) + 1
    char: dict[int, list] = {}
    pair: dict[int, list] = {}
    w_prev = np.zeros(n_words, np.int32)
    w_next = np.zeros(n_words, np.int32)
    ww = {"l": ([], []), "r": ([], [])}
    for name, idx in feature_to_idx.items():
        if "\x00" in name or "noWord" in name:
            raise ValueError(f"unexpected pkuseg feature {name!r}: the segmenter would differ")
        kind, _, rest = name.partition(".")
        if kind in _CHAR_SLOTS:
            s = _node_string(rest)
            if s is not None and len(s) == 1:
                char.setdefault(ord(s), [0] * 5)[_CHAR_SLOTS[kind]] = idx
        elif kind in _PAIR_SLOTS:
            m = _PAIR.fullmatch(rest)
            if m:
                key = (ord(_node_string(m[1])) << 21) | ord(_node_string(m[2]))
                pair.setdefault(key, [0] * 3)[_PAIR_SLOTS[kind]] = idx
        elif kind in ("w-1", "w1"):
            w = word_id.get(_node_string(rest))
            if w:
                (w_prev if kind == "w-1" else w_next)[w] = idx
        elif kind == "ww":
            side, _, words = rest.partition(".")
            a, star, b = words.partition("*")
            if not (a and b and star) or side not in ww:
                raise ValueError(f"unexpected pkuseg feature {name!r}: the segmenter would differ")
            wa, wb = word_id.get(_node_string(a)), word_id.get(_node_string(b))
            if wa and wb:
                ww[side][0].append(wa * n_words + wb)
                ww[side][1].append(idx)
        elif name != "$$" or idx != 0:
            raise ValueError(f"unexpected pkuseg feature {name!r}: the segmenter would differ")
    t: dict[str, np.ndarray] = {"version": np.array([TABLES_VERSION]), "n_words": np.array([n_words])}
    # a character's row in char_ids (row 0: no feature), indexed by its code point
    t["char_index"] = np.zeros(0x110000, np.int32)
    t["char_index"][np.array(sorted(char), np.int64)] = np.arange(1, len(char) + 1)
    t["char_ids"] = np.array([[0] * 5] + [char[k] for k in sorted(char)], np.int32)
    keys = np.array(sorted(pair), np.uint64)
    t["pair_keys"], t["pair_ids"] = keys, np.array([pair[int(k)] for k in keys], np.int32).reshape(-1, 3)
    t["w_prev"], t["w_next"] = w_prev, w_next
    for side, (k, v) in ww.items():
        order = np.argsort(np.array(k, np.uint64), kind="stable")
        t[f"ww_{side}_keys"] = np.array(k, np.uint64)[order]
        t[f"ww_{side}_ids"] = np.array(v, np.int32)[order]
    # every word of 2..6 characters: its characters (padded with 0), length and id, sorted by a
    # hash of its characters folded with its length (a text window is looked up the same way)
    words = sorted(word_id.items(), key=lambda kv: kv[1])
    codes = np.zeros((len(words), 6), np.uint64)
    lengths = np.array([len(w) for w, _ in words], np.int64)
    for k, (w, _) in enumerate(words):
        codes[k, : len(w)] = _codes(w)
    hashes = np.zeros(len(words), np.uint64)
    for ln in LENGTHS:
        rows = np.flatnonzero(lengths == ln)
        h = codes[rows, 0].copy()
        for k in range(1, ln):
            h = h * _HASH_MUL + codes[rows, k]
        hashes[rows] = _fold(h, ln)
    if len(np.unique(hashes)) != len(hashes):
        raise ValueError("two pkuseg words share a hash: the segmenter cannot index them")
    order = np.argsort(hashes, kind="stable")
    t["word_hash"], t["word_codes"] = hashes[order], codes[order]
    t["word_len"] = lengths[order]
    t["word_ids"] = np.array([i for _, i in words], np.int32)[order]
    begin = [False] * len(tag_to_idx)
    for tag, i in tag_to_idx.items():
        begin[i] = "B" in tag
    t["tag_begin"] = np.array(begin)
    return t


def _build_from_model(model_dir: Path) -> dict[str, np.ndarray]:
    print(f"pagesplit: building pkuseg's lookup tables once (~12 s), cached in {cache_dir()}", file=sys.stderr)
    with open(model_dir / "features.pkl", "rb") as f:
        data = pickle.load(f)
    return build_tables(data["feature_to_idx"], data["unigram"], data["tag_to_idx"])


def load_tables(model_dir: Path, features_sha256: str) -> dict[str, np.ndarray]:
    """The lookup tables of the model in ``model_dir``: from the disk cache (``diskcache``,
    memory-mapped), else built (~12 s and ~1.5 GB, reading the 2.6 M-entry ``features.pkl``) and
    cached. Processes starting together (Dask workers on a first run) build them once. A model
    that cannot be read raises what reading it raised (``Tokenizer`` makes that a coded error)."""
    return cached_arrays(f"pkuseg-tables-{features_sha256[:16]}-v{TABLES_VERSION}", lambda: _build_from_model(model_dir))


def load_weights(model_dir: Path, weights_sha256: str) -> dict[str, np.ndarray]:
    """pkuseg's weights as the segmenter reads them, from the disk cache (memory-mapped: the
    workers of a machine share one copy of the 105 MB of node weights), else read from
    ``weights.npz`` (~0.6 s) and cached: ``node_w`` (feature x tag, float64) and ``edges`` (the
    tag-to-tag scores, as pkuseg's getLogYY builds them)."""
    return cached_arrays(f"pkuseg-weights-{weights_sha256[:16]}-v{WEIGHTS_VERSION}", lambda: _read_weights(model_dir))


def _read_weights(model_dir: Path) -> dict[str, np.ndarray]:
    from spacy_pkuseg import inference

    with np.load(model_dir / "weights.npz") as npz:
        n_tag, n_feature = (int(x) for x in npz["sizes"])
        w = npz["w"]
    if w.shape[0] != n_tag * (n_feature + n_tag):
        raise ValueError(f"the pkuseg weights in {model_dir} do not match their sizes")
    return {"node_w": w[: n_feature * n_tag].reshape(n_feature, n_tag),
            "edges": np.asarray(inference.getLogYY([], n_tag, n_feature * n_tag, w, 1.0)[1])}  # fmt: skip


class Segmenter:
    """``spacy_pkuseg.pkuseg(model_dir).cut`` (the default user dictionary), in bulk."""

    def __init__(self, model_dir: Path, tables: dict[str, np.ndarray], weights: dict[str, np.ndarray]) -> None:
        import spacy_pkuseg
        from spacy_pkuseg import inference
        from spacy_pkuseg.feature_extractor import FeatureExtractor as fe

        self._inference = inference
        self._node_w = weights["node_w"]  # read-only (memory-mapped)
        self._n_tag = self._node_w.shape[1]
        self._edges = np.array(weights["edges"])  # a writable copy: pkuseg's run_viterbi asks for one
        self._t = tables
        self._n_words = int(tables["n_words"][0])
        # pkuseg's normalize_text: keyword_rename first, then the digit and letter classes
        table = {ord(c): "&" for c in fe.keywords}
        for c in fe.num:
            table.setdefault(ord(c), NUM_CHAR)
        for c in fe.letter:
            table.setdefault(ord(c), LETTER_CHAR)
        self._table = table
        dicts = Path(spacy_pkuseg.__file__).parent / "dicts" / "default.pkl"
        self._post = spacy_pkuseg.Postprocesser(None, [str(dicts)])
        self._slow = None  # pkuseg itself, loaded only for a text holding a class stand-in
        self._model_dir = model_dir
        # every dictionary word's first 2..PREFIX_CHARS characters (a shorter word is its own):
        # what ``_dictionary_runs`` asks of two or more words together, never of one character
        words = self._post.other_words
        self._prefixes = {w[:k] for w in words for k in range(2, PREFIX_CHARS + 1)}

    def cut(self, text: str) -> list[str]:
        return self.cut_many([text])[0]

    def cut_many(self, texts: list[str]) -> list[list[str]]:
        """The words of each text, as ``pkuseg.cut`` gives them (split at whitespace first)."""
        pieces: list[tuple[int, str]] = []  # (text number, piece)
        for n, text in enumerate(texts):
            pieces.extend((n, p) for p in text.split())
        out: list[list[str]] = [[] for _ in texts]
        batch: list[tuple[int, str]] = []
        size = 0
        for n, p in pieces:
            if NUM_CHAR in p or LETTER_CHAR in p:
                self._flush(batch, out)
                batch, size = [], 0
                out[n].extend(self._slow_cut(p))
                continue
            batch.append((n, p))
            size += len(p) + len(SEPARATOR)
            if size >= BATCH_CHARS:
                self._flush(batch, out)
                batch, size = [], 0
        self._flush(batch, out)
        return out

    def _slow_cut(self, piece: str) -> list[str]:
        if self._slow is None:
            import spacy_pkuseg

            self._slow = spacy_pkuseg.pkuseg(str(self._model_dir))
        return self._slow.cut(piece)

    def _flush(self, batch: list[tuple[int, str]], out: list[list[str]]) -> None:
        if not batch:
            return
        norm = SEPARATOR + SEPARATOR.join(p for _, p in batch).translate(self._table) + SEPARATOR
        node = self.node_scores(norm)
        start = len(SEPARATOR)
        run_viterbi, begin = self._inference.run_viterbi, self._t["tag_begin"]
        for n, p in batch:
            end = start + len(p)
            tags = run_viterbi(node[start:end], self._edges)[1]
            cuts = (np.flatnonzero(begin[tags[1:]]) + 1).tolist()
            words = [p[i:j] for i, j in zip([0, *cuts], [*cuts, len(p)])]
            out[n].extend(self._post_process(words))
            start = end + len(SEPARATOR)

    def _post_process(self, words: list[str]) -> list[str]:
        """pkuseg's ``Postprocesser.post_process`` (check_seperated, no common words), the same
        merges found from the dictionary words actually present: for each run length m from 7 down
        to 2, pkuseg scans left to right and merges a run of m words that spells a dictionary word
        unless each of its words is one itself, then goes on after the merged word."""
        other = self._post.other_words
        runs = self._dictionary_runs(words)
        for m in range(7, 1, -1):
            starts = runs.get(m)
            if not starts:
                continue
            merged: list[str] = []
            pos = 0
            for i in starts:
                if i < pos or all(w in other for w in words[i:i + m]):
                    continue
                merged.extend(words[pos:i])
                merged.append("".join(words[i:i + m]))
                pos = i + m
            if pos:
                words = merged + words[pos:]
                runs = self._dictionary_runs(words)
        return words

    def _dictionary_runs(self, words: list[str]) -> dict[int, list[int]]:
        """{m: starts of the runs of m words (2..7) that spell a dictionary word}, grown word by
        word while the spelling is still a dictionary word's beginning."""
        other, prefixes, n = self._post.other_words, self._prefixes, len(words)
        runs: dict[int, list[int]] = {}
        # a run can only start where two words together still begin a dictionary word
        starts = [i for i, (a, b) in enumerate(zip(words, words[1:])) if (a + b)[:PREFIX_CHARS] in prefixes]
        for i in starts:
            s = words[i]
            for j in range(i + 1, i + 7 if i + 7 < n else n):
                s += words[j]
                if s in other:
                    runs.setdefault(j - i + 1, []).append(i)
                elif s[:PREFIX_CHARS] not in prefixes:
                    break
        return runs

    def features(self, norm: str) -> np.ndarray:
        """Each character's 69 feature slots in pkuseg's order, 0 where absent (slot 0 is pkuseg's
        ``$$``, feature 0, present everywhere). ``norm`` is normalised text (pkuseg's renaming and
        classes applied) whose ends pkuseg sees as the text's ends."""
        t = self._t
        c = _codes(norm)
        n = len(c)
        f = np.zeros((n, 69), np.int32)

        ch = t["char_ids"][t["char_index"][c]]
        i, found = _lookup(t["pair_keys"], (c[:-1] << np.uint64(21)) | c[1:])
        pr = np.where(found[:, None], t["pair_ids"][i], 0)
        f[:, 1] = ch[:, 0]  # c.     the character
        f[1:, 2] = ch[:-1, 1]  # c-1.   the one before
        f[1:, 3] = pr[:, 0]  # c-1c.  (before, this)
        f[:-1, 4] = ch[1:, 2]  # c1.    the one after
        f[:-1, 5] = pr[:, 1]  # cc1.   (this, after)
        f[2:, 6] = ch[:-2, 3]  # c-2.
        f[2:, 7] = pr[:-1, 2]  # c-2c-1.
        f[:-2, 8] = ch[2:, 4]  # c2.
        # win[k][j]: the id of the word of LENGTHS[k] characters starting at j (0: none)
        win = np.zeros((len(LENGTHS), n + 8), np.int64)
        hashes, starts, ks = [], [], []
        h = c.copy()
        for ln in range(2, 7):
            if n < ln:
                break
            h = h[:-1] * _HASH_MUL + c[ln - 1:]  # windows of ln characters, one fewer than before
            hashes.append(_fold(h, ln))
            starts.append(np.arange(len(h)))
            ks.append(np.full(len(h), LENGTHS.index(ln)))
        if hashes:
            js, kq = np.concatenate(starts), np.concatenate(ks)
            i, found = _lookup(t["word_hash"], np.concatenate(hashes))
            hit = np.flatnonzero(found)
            if len(hit):  # verify each hit character by character
                i, j, k = i[hit], js[hit], kq[hit]
                span = np.arange(6)
                chars = c[np.minimum(j[:, None] + span, n - 1)]
                same = ((chars == t["word_codes"][i]) | (span >= t["word_len"][i][:, None])).all(axis=1)
                win[k[same], j[same]] = t["word_ids"][i[same]]
        idx = np.arange(n)
        lens = np.array(LENGTHS)[:, None]
        pre_in = np.where(idx >= lens - 1, win[np.arange(5)[:, None], np.maximum(idx - lens + 1, 0)], 0)
        post_in = win[:, :n]
        pre_ex = np.where(idx >= lens, win[np.arange(5)[:, None], np.maximum(idx - lens, 0)], 0)
        post_ex = win[:, 1: n + 1]
        f[:, 9:14] = t["w_prev"][pre_in].T  # w-1.  words ending here, longest first
        f[:, 14:19] = t["w_next"][post_in].T  # w1.   words starting here
        nw = np.int64(self._n_words)
        for base, (a, b, side) in ((19, (pre_ex, post_in, "l")), (44, (pre_in, post_ex, "r"))):
            # ww: (word before, word after) for every pair of lengths, the left one's length major
            key = a.T[:, :, None] * nw + b.T[:, None, :]  # (n, 5, 5)
            both = (a.T[:, :, None] > 0) & (b.T[:, None, :] > 0)
            pos = np.flatnonzero(both.reshape(-1))
            if len(pos):
                j, found = _lookup(t[f"ww_{side}_keys"], key.reshape(-1)[pos].astype(np.uint64))
                block = np.zeros(n * 25, np.int32)
                block[pos] = np.where(found, t[f"ww_{side}_ids"][j], 0)
                f[:, base: base + 25] = block.reshape(n, 25)
        return f

    def node_scores(self, norm: str) -> np.ndarray:
        """pkuseg's node scores (``getLogYY``) of every character of ``norm``, bit for bit; in
        chunks of BATCH_CHARS (a character's features look at most 6 characters each way)."""
        out = np.empty((len(norm), self._n_tag))
        margin = 8
        for start in range(0, len(norm), BATCH_CHARS):
            lo, hi = max(0, start - margin), min(len(norm), start + BATCH_CHARS + margin)
            f = self.features(norm[lo:hi])
            rows, slots = np.nonzero(f)  # row by row, each row's slots in order
            total = np.repeat(self._node_w[:1], len(f), axis=0)  # slot 0: pkuseg's "$$", feature 0
            # then each present feature, a row's in slot order: ufunc.at adds one index after the other
            np.add.at(total, rows, self._node_w[f[rows, slots]])
            out[start: min(len(norm), start + BATCH_CHARS)] = total[start - lo: start - lo + BATCH_CHARS]
        return out


def _compare(root: Path) -> int:
    """Every line of every ``*.txt`` under ``root`` through spaCy's zh tokenizer's pkuseg and the
    segmenter (a tool to check the tables on pages of your own)."""
    from .tokens import get_tokenizer

    tok = get_tokenizer()
    seg = tok.pkuseg()
    lines = [ln for p in sorted(root.rglob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()]
    fast = tok.segmenter.cut_many(lines)
    diff = 0
    for line, words in zip(lines, fast):
        if words != seg.cut(line):
            diff += 1
            print(f"differs: {line[:60]!r}")
    print(f"{len(lines)} lines, {sum(map(len, lines))} characters, {diff} differ")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(_compare(Path(sys.argv[1])))
