"""The junction model: verified loading, sane probabilities on hand-made junctions."""

import shutil

import pytest

from pagesplit import junction
from pagesplit.errors import ModelCorrupt, ModelMissing

from .conftest import damage


def test_loads_the_committed_model():
    model = junction.load()
    assert model.weights.shape == (junction.N_FEATURES,)


def test_a_damaged_model_is_refused_with_a_code(tmp_path):
    shutil.copy(junction.MODEL_DIR / junction.MODEL_FILE, tmp_path / junction.MODEL_FILE)
    shutil.copy(junction.MODEL_DIR / junction.MANIFEST_FILE, tmp_path / junction.MANIFEST_FILE)
    shutil.copy(junction.MODEL_DIR / junction.STATS_FILE, tmp_path / junction.STATS_FILE)
    shutil.copy(junction.MODEL_DIR / junction.GROUPS_FILE, tmp_path / junction.GROUPS_FILE)
    damage(tmp_path / junction.MODEL_FILE)
    with pytest.raises(ModelCorrupt) as exc:
        junction.load(tmp_path)
    assert exc.value.code == "E302" and exc.value.hint


def test_a_missing_model_says_how_to_get_it(tmp_path):
    with pytest.raises(ModelMissing, match="junction"):
        junction.load(tmp_path)


def test_a_word_cut_in_two_reads_on_better_than_a_new_paragraph(tokenizer):
    model = junction.load()
    left = "各级党组织聚焦重点任务，把推进现代化作为述职评议考"
    cut = model.probability(left, "核的硬指标，推动基层党组织发挥作用。", tokenizer.words)
    new = model.probability(left, "本报讯（记者 王五）今天上午，全市春季植树活动启动。", tokenizer.words)
    assert 0.0 <= new < cut <= 1.0


def test_the_next_block_question_uses_its_own_weights_and_both_survive_a_round_trip(tmp_path):
    import numpy as np

    b = junction.vector(["b"])[0]
    general, nxt = np.zeros(junction.N_FEATURES, np.float32), np.zeros(junction.N_FEATURES, np.float32)
    general[b], nxt[b] = -2.0, 2.0
    model = junction.JunctionModel(general, nxt)
    assert model.probability("一段没有说完的话", "接着说下去。") < 0.5 < model.probability("一段没有说完的话", "接着说下去。", adjacent=True)
    model.save(tmp_path, {"model": "junction"})
    loaded = junction.load(tmp_path)
    assert np.array_equal(loaded.weights, general) and np.array_equal(loaded.weights_next, nxt)
    # a model saved before the next-block weights existed answers both questions with one vector
    junction.JunctionModel(general).save(tmp_path, {"model": "junction"})
    old = junction.load(tmp_path)
    assert old.weights_next is None
    assert old.probability("一段没有说完的话", "接着说下去。", adjacent=True) == old.probability("一段没有说完的话", "接着说下去。")


def test_the_committed_model_carries_next_block_weights():
    assert junction.load().weights_next is not None


# --- character pair statistics ------------------------------------------------------------------

def test_pair_pmi_counts_and_smoothing():
    from pagesplit import charstats

    stats = charstats.count(["春风又绿江南岸", "春风吹又生", "春 风"], min_count=2)
    assert stats.n_chars == 14 and stats.n_bigrams == 11  # whitespace removed, no pair across texts
    assert list(stats.bigram_keys) == [(ord("春") << 32) | ord("风")]  # seen 3 times; the rest once
    assert stats.pmi("春", "风") > 0 > stats.pmi("风", "春")  # a pair of running text vs one never seen
    assert stats.pmi("龘", "龘") == 0.0  # characters never seen: no evidence either way


def test_character_groups_counted_stored_and_read_across_a_junction(tmp_path):
    import numpy as np

    from pagesplit import charstats

    stats = charstats.count(["今天我们去北京开会", "我们去北京开会了", "北京开 会"], min_count=2)
    assert stats.group_level("我们去北", "京开会") == 5  # 我们去北京 / 去北京开会, seen twice
    assert stats.group_level("今天", "北京开会") == 0  # 天北京开 never printed
    assert stats.group_level("北", "京 开会") == 4  # 北京开会 three times (whitespace is not read)
    texts = ["我们去北", "京开会", "今天", "北京开会"]
    levels = stats.group_levels(texts, 2)  # every junction within two lines, in one pass
    assert levels.shape == (4, 5) and levels[0, 1 + 2] == 5 and levels[2, 1 + 2] == 0 and levels[3, -2 + 2] == 0
    assert all(levels[a, b - a + 2] == stats.group_level(texts[a], texts[b]) for a in range(4) for b in range(max(0, a - 2), min(4, a + 3)))
    np.savez_compressed(tmp_path / "s.npz", **stats.arrays())
    np.savez_compressed(tmp_path / "g.npz", **stats.group_arrays())
    with np.load(tmp_path / "s.npz") as z, np.load(tmp_path / "g.npz") as g:
        again = charstats.CharStats.from_arrays(z, g)
    assert np.array_equal(again.group_keys, stats.group_keys) and again.group_keys.dtype == np.uint32


@pytest.mark.parametrize("keys", [[], [0], [5, 1023, 1024, 1025, 4_000_000_000, 2**32 - 1]])
def test_rice_coded_keys_round_trip(keys):
    import numpy as np

    from pagesplit import charstats

    k = np.array(keys, dtype=np.uint32)
    assert np.array_equal(charstats.unpack_sorted(charstats.pack_sorted(k)), k)


def test_the_committed_statistics_load_verified_and_read_running_text(tmp_path):
    model = junction.load()
    assert model.stats is not None and len(model.stats.bigram_keys) > 100_000
    assert model.stats.group_level("全国人民代", "表大会常务委员会") == 5 and model.stats.group_level("全国人", "。另据报道") == 0
    assert model.pair_pmi("全国人", "民代表大会") > 2.0 > model.pair_pmi("全国人", "。另据报道")
    assert model.pair_pmi("", "开头") is None
    files = (junction.MODEL_FILE, junction.MANIFEST_FILE, junction.STATS_FILE, junction.GROUPS_FILE)
    for stats_file in (junction.STATS_FILE, junction.GROUPS_FILE):
        for name in files:
            shutil.copy(junction.MODEL_DIR / name, tmp_path / name)
        damage(tmp_path / stats_file)
        with pytest.raises(ModelCorrupt):
            junction.load(tmp_path)
        (tmp_path / stats_file).unlink()
        with pytest.raises(ModelMissing):
            junction.load(tmp_path)


def test_the_junction_model_follows_the_models_directory(tmp_path, monkeypatch):
    for name in (junction.MODEL_FILE, junction.MANIFEST_FILE, junction.STATS_FILE, junction.GROUPS_FILE):
        shutil.copy(junction.MODEL_DIR / name, tmp_path / name)
    monkeypatch.setenv("PAGESPLIT_MODELS", str(tmp_path))
    assert junction.default_model() is junction._cached(str(tmp_path.resolve()))


def test_both_readings_at_once_are_the_two_probabilities_bit_for_bit():
    model = junction.load()
    for left, right in (("各级党组织把推进现代化建设作为述职评议考", "核的硬指标。"), ("会议强调，", "（记者张三)"), ("abc", "“引号")):
        for adjacent in (True, False):
            assert model.probability_both(left, right, adjacent=adjacent) == (
                model.probability(left, right, across=True, adjacent=adjacent),
                model.probability(left, right, across=False, adjacent=adjacent),
            )


def test_many_pairs_at_once_read_as_each_pair_alone():
    model = junction.load()
    lefts = ("各级党组织把推进现代化建设作为述职评议考", "他说：“这是", "会议强调，", "（国际视点")
    rights = ("核的硬指标。", "我们的责任。”", "）", "“引号", "abc")
    pairs = [(left, right, (i + j) % 2 == 0) for i, left in enumerate(lefts) for j, right in enumerate(rights)]
    assert model.probability_both_many(pairs) == [
        (model.probability(left, right, across=True, adjacent=adj), model.probability(left, right, across=False, adjacent=adj))
        for left, right, adj in pairs
    ]
    assert model.probability_both_many([]) == []
