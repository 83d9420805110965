"""``Tokenizer.words`` calls pkuseg directly: it must give exactly the non-space tokens of spaCy's Doc."""

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

EDGE_CASES = [
    "", " ", "\n\n", "a  b\u3000c\t\td", "  前后  ", "中 国 人 民", "2024年1月1日 星期一", "\u00a0x\u00a0",
    "考核\u200b通知", "第一行\r\n第二行\r\n", "ABC１２３％，“引号”（括号）", "责任编辑：王明 校对：李华",
]


def _samples():
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.txt"))]
    out = list(texts) + EDGE_CASES
    for t in texts:  # junction-sized and block-sized cuts, at odd offsets
        out += [t[i : i + n] for n in (3, 12, 40) for i in range(0, len(t), 397)]
    return out


def test_words_equal_spacy_doc_tokens(tokenizer):
    for text in _samples():
        assert tokenizer.words(text) == tokenizer.spacy_words(text), repr(text[:40])


@pytest.mark.parametrize("text", ["考核" * 15_000, "。".join(["今天天气很好"] * 6_000)])
def test_long_text_in_pieces(tokenizer, text):
    assert "".join(tokenizer.words(text)) == "".join(text.split())


def test_a_runs_tokenizer_comes_with_the_models_loaded_and_frozen(monkeypatch):
    import gc

    from pagesplit import runner
    from pagesplit.tokens import get_tokenizer

    monkeypatch.delenv(runner.TEST_TOKENIZER_ENV, raising=False)
    freezes, freeze = [], gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (freezes.append(1), freeze()))
    runner._loaded_tokenizer.cache_clear()
    gc.unfreeze()
    try:
        assert runner.run_tokenizer() is get_tokenizer()
        assert gc.get_freeze_count() > 0  # the loaded models out of the collector's sight
        assert runner.run_tokenizer() is get_tokenizer() and freezes == [1]  # once a process
    finally:
        gc.unfreeze()
