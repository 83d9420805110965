import random

import pytest

from pagesplit.evaluation import noise

TEXT = "今年以来，当地围绕特色种植（含果园）推出举措：贷款审批缩短到3个工作日！已经见效。"


def test_halfwidth_is_one_to_one():
    out = noise.halfwidth_punct(TEXT)
    assert len(out) == len(TEXT) and "，" not in out and "（" not in out and "。" in out


@pytest.mark.parametrize("width", [15, 22, 40])
def test_wrap_keeps_every_character(width):
    lines = noise.wrap(TEXT * 3, width, random.Random(1))
    assert "".join(lines) == TEXT * 3
    assert all(len(line) <= width + 1 for line in lines)


@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_space_cjk_only_adds_spaces(p):
    out = noise.space_cjk(TEXT, random.Random(2), p)
    assert out.replace(" ", "") == TEXT
    assert (out == TEXT) is (p == 0.0)


def test_confusables_and_errors_preserve_length():
    rng = random.Random(3)
    assert noise.confuse(TEXT, rng, 0.0) == TEXT
    swapped = noise.confuse("已经己未末" * 20, rng, 1.0)
    assert len(swapped) == 100 and all(a != b for a, b in zip(swapped, "已经己未末" * 20) if a in "己已未末")
    err = noise.char_errors(TEXT * 10, random.Random(4), 0.02)
    diff = sum(a != b for a, b in zip(err, TEXT * 10))
    assert len(err) == len(TEXT) * 10 and 0 < diff < len(TEXT)
