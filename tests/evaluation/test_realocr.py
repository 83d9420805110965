"""The real-OCR evaluation's scoring and its tool check (no rendering, no corpus: invented text)."""

import json

import pytest

from pagesplit import runner
from pagesplit.errors import UsageError
from pagesplit.evaluation import realocr

from ..conftest import CharTokenizer

HEAD = "城市新添一座图书馆"
PARAS = ["新馆建筑面积三万平方米，设有少儿阅览区和古籍修复中心。", "馆长介绍，新馆藏书超过两百万册，每天可接待读者一万人次。"]


def _run(tmp_path, text):
    rel = f"{realocr.PUBLICATION}/2020-07-01/p01.txt"
    (tmp_path / "in" / rel).parent.mkdir(parents=True)
    (tmp_path / "in" / rel).write_text(text, encoding="utf-8")
    runner.run(tmp_path / "in", tmp_path / "out", tokenizer=CharTokenizer())
    return rel


def test_score_finds_each_article_and_its_headline(tmp_path):
    rel = _run(tmp_path, "# " + HEAD + "\n\n" + "\n\n".join(PARAS) + "\n")
    truth = [{"page": rel, "layout": "gutter70", "articles": [{"headline": HEAD, "paragraphs": PARAS}]}]
    got = realocr.score(truth, tmp_path / "out")
    assert got["overall"] == {"articles": 1, "mean_sim": 1.0, "near": 1.0, "exact": 1.0, "headline_found": 1.0}
    # an article the output lacks scores zero, not an error
    truth[0]["articles"].append({"headline": "另一篇", "paragraphs": ["完全不同的一段文字，与上面没有关系。"]})
    got = realocr.score(truth, tmp_path / "out")
    assert got["overall"]["articles"] == 2 and got["overall"]["near"] == 0.5 and got["by_layout"]["gutter40-rule"]["articles"] == 0


def test_missing_tools_are_named_with_the_install_command(monkeypatch):
    monkeypatch.setattr(realocr.shutil, "which", lambda exe: None)
    with pytest.raises(UsageError) as err:
        realocr.check_tools()
    assert "apt-get install" in err.value.hint and "tesseract-ocr-chi-sim" in err.value.hint


def test_a_finished_rendering_is_reused_only_for_the_same_seed_and_size(tmp_path, monkeypatch):
    pages = [{"page": "p", "layout": "gutter70", "articles": []}]
    (tmp_path / "truth.json").write_text(json.dumps({"seed": 5, "n_pages": 1, "pages": pages}), encoding="utf-8")
    assert realocr.render(tmp_path / "no-corpus", tmp_path, n_pages=1, seed=5) == pages
    monkeypatch.setattr(realocr.shutil, "which", lambda exe: None)  # another seed renders anew: tools needed
    with pytest.raises(UsageError):
        realocr.render(tmp_path / "no-corpus", tmp_path, n_pages=1, seed=6)
