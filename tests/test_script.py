"""Pages in traditional characters (script.py): read in simplified ones, written in their own."""

import hashlib
import json

from pagesplit.pipeline import process_issue
from pagesplit.script import restore, restore_words, to_simplified, to_traditional
from pagesplit.types import Page, PageRef

from .conftest import FIXTURES, CharTokenizer

SEED = json.loads((FIXTURES / "seed" / "hohhot-daily_2024-07-19_p01.json").read_text(encoding="utf-8"))


def test_traditional_characters_read_as_simplified_one_for_one():
    assert to_simplified("本報訊（記者　王小明）攝") == "本报讯（记者　王小明）摄"
    assert to_traditional("本报讯（记者　王小明）摄") == "本報訊（記者　王小明）攝"
    # characters simplified text prints as they are stay: a simplified page reads as it is
    assert to_simplified("覆盖乾隆年间的资料") == "覆盖乾隆年间的资料"
    assert to_simplified("新華社北京7月1日電") == "新华社北京7月1日电"
    assert to_simplified("他說：「『小康』不是口號。」") == "他说：“‘小康’不是口号。”"
    assert to_traditional("他说：“‘小康’不是口号。”") == "他說：「『小康』不是口號。」"


def test_restore_writes_the_source_characters_back():
    source = "## 經濟 發展\n　　穩中向好，"
    derived = "经济发展稳中向好，"  # markup, the OCR's space, the line break and the indent dropped
    assert restore(derived, source) == "經濟發展穩中向好，"
    assert restore("经济 发展", source) == "經濟 發展"  # a separator put between stays
    assert restore_words(["经济", "发展", "稳中向好"], source) == ["經濟", "發展", "穩中向好"]
    assert restore("经济发展", "经济发展") == "经济发展"  # simplified source: nothing to do


def _page(text: str) -> Page:
    return Page(PageRef("hohhot-daily/2024-07-19/p01.txt", "hohhot-daily", "2024-07-19", 1), text, hashlib.sha256(text.encode()).hexdigest())


def test_a_page_in_traditional_characters_comes_out_as_its_simplified_twin_in_its_own():
    simp = process_issue([_page(SEED["text"])], CharTokenizer())[0]
    trad_text = to_traditional(SEED["text"])
    assert trad_text != SEED["text"] and len(trad_text) == len(SEED["text"])
    trad = process_issue([_page(trad_text)], CharTokenizer())[0]

    def shape(res):
        return [(s.start, s.end, s.role, s.removal and s.removal.kind, s.article_id, s.joins_previous) for s in res.segments]

    assert shape(trad) == shape(simp)
    # the patterns matter on this page: a caption's credit, the page credits
    assert any(s.role == "caption" for s in simp.segments) and any(s.role == "boilerplate" for s in simp.segments)
    for t, s in zip(trad.segments, simp.segments):
        assert t.text == to_traditional(s.text)
    for t, s in zip(trad.articles, simp.articles):
        assert (t.article_id, t.segment_ids) == (s.article_id, s.segment_ids)
        assert (t.headline, t.text, t.tokens) == tuple(to_traditional(x) if x else x for x in (s.headline, s.text, s.tokens))


def test_a_page_read_with_misread_brackets_comes_out_as_printed():
    """Tesseract reads a full-width round pair "（…）" as "〈…)" or "《…)": the page comes out as the
    page printed with "（…）" does, segment for segment (column tags, credits, "党委(党组)")."""
    import re

    pairs = re.compile(r"\(([^()\n]{1,30})\)")
    printed = pairs.sub(r"（\1）", SEED["text"])
    seen = iter(range(len(SEED["text"])))  # the pairs in turn read with "〈" and with "《"
    misread = pairs.sub(lambda m: ("〈" if next(seen) % 2 else "《") + m.group(1) + ")", SEED["text"])
    assert len(misread) == len(printed) and misread.count("〈") >= 5 and misread.count("《") >= 5
    a = process_issue([_page(printed)], CharTokenizer())[0]
    b = process_issue([_page(misread)], CharTokenizer())[0]
    assert [(s.start, s.end, s.text, s.role, s.article_id) for s in b.segments] == [
        (s.start, s.end, s.text, s.role, s.article_id) for s in a.segments
    ]
    assert [(x.headline, x.subheadline, x.byline, x.text) for x in b.articles] == [
        (x.headline, x.subheadline, x.byline, x.text) for x in a.articles
    ]
    assert any("（党组）" in (x.subheadline or "") for x in b.articles)
