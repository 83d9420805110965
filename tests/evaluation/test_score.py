from __future__ import annotations

import json
from dataclasses import replace

import pytest

from pagesplit.evaluation import gold as G
from pagesplit.evaluation import oracle
from pagesplit.evaluation.baseline import write_results
from pagesplit.evaluation.score import infer_layout, prf, score
from pagesplit.types import Removal

from .conftest import _span, hand_gold


def _floats(m: dict) -> dict:
    return {k: v for k, v in m.items() if isinstance(v, float)}


def _write_variant(out, edit) -> None:
    """Oracle output of the hand page with ``edit(PageResult) -> PageResult`` applied."""
    result = edit(oracle.page_result(G.parse(hand_gold())))
    write_results([result], out, "test")


def test_perfect_output_scores_one_everywhere(hand_gold_dir, tmp_path):
    oracle.run_gold(hand_gold_dir, tmp_path / "out")
    r = score(hand_gold_dir, tmp_path / "out")
    floats = _floats(r["overall"])
    lost = {k: floats.pop(k) for k in list(floats) if k.startswith("article_removed_")}
    assert lost and all(v == 0.0 for v in lost.values()), lost  # no article text removed
    assert floats and all(v == 1.0 for v in floats.values()), floats
    assert {k: v["f1"] for k, v in r["overall"]["roles"].items() if v["gold_chars"]} == {"headline": 1.0, "body": 1.0}
    assert r["missing_pages"] == [] and r["overall"]["unsegmented_chars"] == 0


def test_everything_in_one_article_has_low_bcubed_precision(hand_gold_dir, tmp_path):
    def one_article(res):
        segs = tuple(replace(s, removal=None, role="body", article_id="one", article_seq=i) for i, s in enumerate(res.segments))
        return replace(res, segments=segs, articles=(replace(res.articles[0], article_id="one"),))

    _write_variant(tmp_path / "out", one_article)
    m = score(hand_gold_dir, tmp_path / "out")["overall"]
    assert m["bcubed_r"] == 1.0
    # 35 "town" and 20 "night" characters in one cluster: (35² + 20²) / 55 / 55 = 0.537
    assert m["bcubed_p"] == pytest.approx((35**2 + 20**2) / 55 / 55)
    assert m["boilerplate_r"] == 0.0 and m["duplicate_r"] == 0.0


def test_partial_boilerplate_and_markup_ignored(hand_gold_dir, tmp_path):
    def drop_credits(res):
        segs = tuple(
            replace(s, removal=None, role="body") if s.text.startswith("责任编辑") else s for s in res.segments
        )
        return replace(res, segments=segs)

    _write_variant(tmp_path / "out", drop_credits)
    m = score(hand_gold_dir, tmp_path / "out")["overall"]
    assert (m["boilerplate_p"], m["boilerplate_r"]) == (1.0, 0.5)  # 7 of 14 characters ("人民日报第4版")
    text = hand_gold()["text"]
    assert m["chars"] == sum(1 for c in text if not c.isspace() and c not in "#*")


def test_joins_and_headlines(hand_gold_dir, tmp_path):
    def wrong_join(res):
        segs = tuple(replace(s, joins_previous=s.text.startswith("清晨")) for s in res.segments)  # joined to the headline
        arts = tuple(replace(a, headline=" 小镇 新貌" if a.headline == "小镇新貌" else "别的标题") for a in res.articles)
        return replace(res, segments=segs, articles=arts)

    _write_variant(tmp_path / "out", wrong_join)
    m = score(hand_gold_dir, tmp_path / "out")["overall"]
    assert (m["join_p"], m["join_r"], m["join_f1"]) == (0.0, 0.0, 0.0)
    assert m["headline_accuracy"] == 0.5  # whitespace-insensitive match for one, wrong text for the other


def test_text_similarity_uses_the_most_overlapping_article(hand_gold_dir, tmp_path):
    def lose_fragment(res):
        arts = tuple(replace(a, text=a.text[:-12]) if "清晨" in a.text else a for a in res.articles)
        return replace(res, articles=arts)

    _write_variant(tmp_path / "out", lose_fragment)
    m = score(hand_gold_dir, tmp_path / "out")["overall"]
    assert 0.5 < m["text_similarity"] < 1.0 and m["exact_rate"] == 0.5


def test_missing_page_is_reported_and_scores_zero_recall(hand_gold_dir, tmp_path):
    extra = dict(hand_gold(), source_path="rmrb/2020-07-01/p05.txt")
    (hand_gold_dir / "rmrb_2020-07-01_p05.json").write_text(json.dumps(extra, ensure_ascii=False), encoding="utf-8")
    oracle.write([G.parse(hand_gold())], tmp_path / "out")
    r = score(hand_gold_dir, tmp_path / "out")
    assert r["missing_pages"] == ["rmrb/2020-07-01/p05.txt"]
    assert r["pages"][0]["source_path"] == "rmrb/2020-07-01/p05.txt"  # worst first
    assert r["pages"][0]["boilerplate_r"] == 0.0 and r["overall"]["boilerplate_r"] == 0.5


@pytest.mark.parametrize(
    "tp,pred,gold,expected",
    [
        (0, 0, 0, (None, None, None)),  # nothing to find, nothing found: not applicable
        (0, 3, 0, (0.0, None, 0.0)),  # false positives on a page without the phenomenon
        (0, 0, 4, (0.0, 0.0, 0.0)),  # missed everything
        (2, 4, 2, (0.5, 1.0, 2 / 3)),
    ],
)
def test_prf_conventions(tp, pred, gold, expected):
    assert prf(tp, pred, gold) == pytest.approx(expected) if expected[0] is not None else prf(tp, pred, gold) == expected


def test_bad_gold_is_refused(tmp_path):
    g = hand_gold()
    g["spans"] = g["spans"][1:]  # the running head is now in no span
    (tmp_path / "x.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(Exception, match="E401"):
        G.load_dir(tmp_path)


def test_layout_inference():
    assert infer_layout(hand_gold()["text"]) == "paragraph"
    assert infer_layout("\n".join(["一二三四五六七八九十一二三四五六七八"] * 30)) == "wrapped"


# Three copies of one page's paragraphs, one of each copy type, for the per-type duplicate scores.
COPY_PAGE = (
    "# 小镇新貌\n\n"
    "清晨的河湾小镇刚刚醒来，码头上的渔船陆续靠岸。\n\n"
    "夜幕降临，广场上的灯光次第亮起，夜市摊位前人头攒动。\n\n"
    "清晨的河湾小镇刚刚醒来，码头上的渔船陆续靠岸。\n\n"  # exact copy (12 + ... chars)
    "夜幕降临，广场上的灯光次第亮起，夜市摊位前人头撰动。\n\n"  # noisy copy (攒 → 撰)
    "码头上的渔船陆续靠岸。\n\n"  # straddling copy: starts mid-paragraph
    "专家认为，小城镇的发展要立足本地资源禀赋。\n\n"
    "记者在现场看到，新建的污水处理站已经投入运行。"
)


def _copy_gold(with_types: bool = True) -> dict:
    t = COPY_PAGE
    a, b = "清晨的河湾小镇刚刚醒来，码头上的渔船陆续靠岸。", "夜幕降临，广场上的灯光次第亮起，夜市摊位前人头攒动。"
    typed = (lambda k: {"copy": k}) if with_types else (lambda k: {})
    spans = [
        _span(t, "# 小镇新貌", "article", article="town", role="headline", seq=0, join=False),
        _span(t, a, "article", article="town", role="body", seq=1, join=False),
        _span(t, b, "article", article="town", role="body", seq=2, join=False),
        _span(t, a, "duplicate", after=t.index(a) + 1, **typed("exact")),
        _span(t, "夜幕降临，广场上的灯光次第亮起，夜市摊位前人头撰动。", "duplicate", **typed("noisy")),
        _span(t, "码头上的渔船陆续靠岸。", "duplicate", after=t.index("人头撰动"), **typed("straddling")),
        _span(t, "专家认为，小城镇的发展要立足本地资源禀赋。", "article", article="town", role="body", seq=3, join=False),
        _span(t, "记者在现场看到，新建的污水处理站已经投入运行。", "article", article="town", role="body", seq=4, join=False),
    ]
    return {"source_path": "rmrb/2020-07-01/p04.txt", "n_chars": len(t), "text": t, "spans": spans}


def _score_copy_variant(tmp_path, edit, with_types: bool = True) -> dict:
    g = _copy_gold(with_types)
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "rmrb_2020-07-01_p04.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    write_results([edit(oracle.page_result(G.parse(g)))], tmp_path / "out", "test")
    return score(gold_dir, tmp_path / "out")["overall"]


def test_copy_types_load_and_old_gold_without_them_still_loads():
    page = G.parse(_copy_gold())
    assert [s.copy for s in page.spans if s.label == "duplicate"] == ["exact", "noisy", "straddling"]
    old = G.parse(_copy_gold(with_types=False))
    assert [s.copy for s in old.spans if s.label == "duplicate"] == [None, None, None]
    assert G.coverage_errors(page.text, page.spans) == []
    bad = replace(page.spans[3], copy="fuzzy")
    assert G.coverage_errors(page.text, [*page.spans[:3], bad, *page.spans[4:]])  # unknown type refused


def test_duplicate_scores_per_copy_type(tmp_path):
    t = COPY_PAGE
    noisy_at = t.index("人头撰动")
    straddle_at = t.index("码头上的渔船陆续靠岸。", t.index("人头撰动"))
    tail_at = t.index("记者在现场")

    def edit(res):
        segs = []
        for s in res.segments:
            if s.start <= noisy_at < s.end:  # the noisy copy missed: kept as body
                s = replace(s, removal=None, role="body")
            if s.start == straddle_at:  # the straddling copy removed with the next paragraph's first 4 characters
                s = replace(s, end=s.end + 6)
            if s.start == straddle_at + 13:  # ... which the next paragraph's segment no longer holds
                s = replace(s, start=s.start + 6)
            if s.start == tail_at:  # a paragraph with no copy removed: an untyped false positive
                s = replace(s, removal=Removal("duplicate", "duplicate_of_span"), role="duplicate")
            segs.append(s)
        return replace(res, segments=tuple(segs))

    m = _score_copy_variant(tmp_path, edit)
    assert (m["duplicate_exact_p"], m["duplicate_exact_r"], m["duplicate_exact_f1"]) == (1.0, 1.0, 1.0)
    assert (m["duplicate_noisy_p"], m["duplicate_noisy_r"], m["duplicate_noisy_f1"]) == (0.0, 0.0, 0.0)
    # all 11 straddling characters found; the segment also took "专家认为" (article text)
    assert m["duplicate_straddling_r"] == 1.0 and m["duplicate_straddling_p"] == pytest.approx(11 / 15)
    assert m["duplicate_untyped_fp"] == len("记者在现场看到，新建的污水处理站已经投入运行。")
    assert m["duplicate_p"] < 1.0 and m["duplicate_r"] < 1.0


def test_old_gold_without_copy_types_has_no_per_type_figures(tmp_path):
    m = _score_copy_variant(tmp_path, lambda res: res, with_types=False)
    assert m["duplicate_f1"] == 1.0
    assert all(m[f"duplicate_{t}_{x}"] is None for t in G.COPY_TYPES for x in ("p", "r", "f1"))


def _merge(res, first: str, last: str):
    """One segment from the segment starting with ``first`` through the one starting with ``last``
    (kept, in the first one's article), as wrapped layout writes a paragraph that reads on."""
    segs = sorted(res.segments, key=lambda s: s.start)
    i = next(k for k, s in enumerate(segs) if s.text.lstrip("# ").startswith(first))
    j = next(k for k, s in enumerate(segs) if s.text.lstrip("# ").startswith(last))
    head, tail = segs[i], segs[j]
    merged = replace(head, end=tail.end, text=res.page.text[head.start : tail.end], joins_previous=False)
    gone = {s.segment_id for s in segs[i + 1 : j + 1]}
    segments = tuple(merged if s is head else s for s in segs if s.segment_id not in gone)
    arts = tuple(replace(a, segment_ids=tuple(x for x in a.segment_ids if x not in gone)) for a in res.articles)
    return replace(res, segments=segments, articles=arts)


@pytest.mark.parametrize(
    "merges, expected",
    [
        # both halves of the gold join in one segment: realised, not a miss
        ([("清晨", "续靠岸")], (1.0, 1.0)),
        # headline + both halves in one segment: the headline|body boundary is a false junction
        ([("小镇新貌", "续靠岸")], (0.5, 1.0)),
        # two paragraphs that do not join run together (the join itself still by joins_previous)
        ([("夜市烟火", "夜幕")], (0.5, 1.0)),
    ],
)
def test_joins_counted_inside_merged_segments(hand_gold_dir, tmp_path, merges, expected):
    def edit(res):
        for first, last in merges:
            res = _merge(res, first, last)
        return res

    _write_variant(tmp_path / "out", edit)
    m = score(hand_gold_dir, tmp_path / "out")["overall"]
    assert (m["join_p"], m["join_r"]) == expected


def test_join_to_the_wrong_segment_is_a_miss_and_a_false_positive(hand_gold_dir, tmp_path):
    def edit(res):
        # the continuation is not joined; the night article's body claims to continue its headline
        segs = tuple(replace(s, joins_previous=s.text.startswith("夜幕")) for s in res.segments)
        return replace(res, segments=segs)

    _write_variant(tmp_path / "out", edit)
    m = score(hand_gold_dir, tmp_path / "out")["overall"]
    assert (m["join_p"], m["join_r"]) == (0.0, 0.0)
