from __future__ import annotations

import json
from dataclasses import replace

import pytest

from pagesplit.evaluation import gold as G
from pagesplit.evaluation import oracle
from pagesplit.evaluation.baseline import write_results
from pagesplit.evaluation.score import infer_layout, prf, score

from .conftest import hand_gold


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
