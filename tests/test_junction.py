"""The junction model: verified loading, sane probabilities on hand-made junctions."""

import shutil

import pytest

from pagesplit import junction
from pagesplit.errors import ModelCorrupt, ModelMissing


def test_loads_the_committed_model():
    model = junction.load()
    assert model.weights.shape == (junction.N_FEATURES,)


def test_a_damaged_model_is_refused_with_a_code(tmp_path):
    shutil.copy(junction.MODEL_DIR / junction.MODEL_FILE, tmp_path / junction.MODEL_FILE)
    shutil.copy(junction.MODEL_DIR / junction.MANIFEST_FILE, tmp_path / junction.MANIFEST_FILE)
    data = bytearray((tmp_path / junction.MODEL_FILE).read_bytes())
    data[100] ^= 0xFF
    (tmp_path / junction.MODEL_FILE).write_bytes(bytes(data))
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
