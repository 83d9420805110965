"""The bulk segmenter must give pkuseg's words exactly: same node scores (bit for bit), same
post-processing merges, same words on our fixtures (``test_tokens`` compares with spaCy's Doc)."""

import random
from pathlib import Path

import numpy as np
import pytest

from pagesplit import segmenter

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed"


def _texts():
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.txt"))]
    return texts + [
        "2024年1月1日，ＡＢＣ公司（ａｂｃ）营收增长１２％。", "a-b.c_d,e|f/g*h:i", "考核", "一", "",
        "全面建成小康社会" * 3, "第1版 要闻 责任编辑：王明", "\U000f0000数字", "表情😀符号\x00空字符\ud800半个代理",
    ]


def test_node_scores_bit_for_bit(tokenizer):
    """Each character's scores equal pkuseg's getLogYY over pkuseg's own feature lists."""
    from spacy_pkuseg import inference

    seg, fast = tokenizer.pkuseg(), tokenizer.segmenter
    fe, model = seg.feature_extractor, seg.model
    pieces = [p for t in _texts()[:6] for p in t.split()][:300]
    assert pieces
    for piece in pieces:
        if segmenter.NUM_CHAR in piece or segmenter.LETTER_CHAR in piece:
            continue
        nodes = list(fe.normalize_text(piece))
        feats = [fe.get_node_features_idx(i, nodes) for i in range(len(nodes))]
        expected, _ = inference.getLogYY(feats, model.n_tag, model.n_feature * model.n_tag, model.w, 1.0)
        ours = fast.node_scores(piece.translate(fast._table))
        assert np.array_equal(ours, expected), piece[:30]


def test_words_equal_pkuseg_cut(tokenizer):
    seg = tokenizer.pkuseg()
    texts = _texts()
    assert tokenizer.words_many(texts) == [seg.cut(t) for t in texts]
    assert [tokenizer.words(t) for t in texts] == [seg.cut(t) for t in texts]


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed not beside the repository")
def test_seed_page_words(tokenizer):
    lines = [ln for p in sorted(SEED.glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()]
    assert tokenizer.words_many(lines) == [tokenizer.pkuseg().cut(ln) for ln in lines]


def test_long_text_crosses_chunks(tokenizer, monkeypatch):
    """Node scores are built in chunks with margins: a text longer than a chunk scores the same."""
    text = "".join(t.replace("\n", "") for t in _texts()[:3])[:3000]
    whole = tokenizer.segmenter.node_scores(text.translate(tokenizer.segmenter._table))
    monkeypatch.setattr(segmenter, "BATCH_CHARS", 257)
    assert np.array_equal(tokenizer.segmenter.node_scores(text.translate(tokenizer.segmenter._table)), whole)


def test_post_processing_matches_pkuseg():
    """Merging runs of words that spell a dictionary word, on random word lists over a tiny
    dictionary: every merge level (7..2 words), overlaps, runs whose words are all words."""
    from spacy_pkuseg import Postprocesser

    class Tiny(segmenter.Segmenter):
        def __init__(self, words):  # only what post-processing uses
            self._post = Postprocesser.__new__(Postprocesser)
            self._post.do_process, self._post.common_words, self._post.other_words = True, set(), set(words)
            self._prefixes = {w[:k] for w in words for k in range(1, min(len(w), segmenter.PREFIX_CHARS) + 1)}

    rng = random.Random(3)
    alphabet = "abcde"
    dictionary = {"".join(rng.choice(alphabet) for _ in range(rng.randint(2, 9))) for _ in range(60)} | {"ab", "abc"}
    tiny = Tiny(dictionary)
    merged = 0
    for _ in range(3000):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 14))]
        expected = tiny._post(list(words))
        assert tiny._post_process(list(words)) == expected, words
        merged += expected != words
    assert merged > 300  # the dictionary is small enough that merges are common


def test_tables_and_weights_come_from_the_disk_cache(tmp_path, monkeypatch):
    """Built once, then read back memory-mapped (read-only) under the model file's sha256."""
    from pagesplit import diskcache

    monkeypatch.setenv(diskcache.CACHE_ENV, str(tmp_path))
    built = []

    def fake_build(model_dir):
        built.append(model_dir)
        return {"version": np.array([segmenter.TABLES_VERSION]), "x": np.arange(3)}

    monkeypatch.setattr(segmenter, "_build_from_model", fake_build)
    assert list(segmenter.load_tables(tmp_path, "ab" * 32)["x"]) == [0, 1, 2]
    again = segmenter.load_tables(tmp_path, "ab" * 32)
    assert built == [tmp_path] and list(again["x"]) == [0, 1, 2] and not again["x"].flags.writeable
    assert (tmp_path / f"pkuseg-tables-{'ab' * 8}-v{segmenter.TABLES_VERSION}" / "x.npy").exists()


def test_cached_weights_score_as_pkuseg_reads_them(tokenizer, tmp_path, monkeypatch):
    """The weights read from weights.npz and those read back from the cache are the same arrays."""
    from pagesplit import diskcache

    monkeypatch.setenv(diskcache.CACHE_ENV, str(tmp_path))
    direct = segmenter._read_weights(tokenizer.model_dir)
    cached = segmenter.load_weights(tokenizer.model_dir, "ef" * 32)
    again = segmenter.load_weights(tokenizer.model_dir, "ef" * 32)
    for k in ("node_w", "edges"):
        assert np.array_equal(direct[k], again[k]) and direct[k].dtype == again[k].dtype
        assert np.array_equal(cached[k], again[k])
