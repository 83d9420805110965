"""The seed page comes out as its hand annotation says — checked from the Parquet output.

The expectations are read from the gold file (tests/fixtures/seed/*.json); nothing here names
the page's strings."""

import json
from collections import defaultdict

import pytest

from pagesplit import io

from .conftest import FIXTURES

GOLD = json.loads((FIXTURES / "seed" / "hohhot-daily_2024-07-19_p01.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed(examples_output):
    out, _ = examples_output
    segs = [s for s in io.read_table(out, "segments").to_pylist() if s["source_path"] == GOLD["source_path"]]
    arts = [a for a in io.read_table(out, "articles").to_pylist() if a["source_path"] == GOLD["source_path"]]
    return segs, arts


def _segment_of(segs, span):
    """The predicted segment that holds the gold span's non-whitespace characters (exactly one)."""
    text = GOLD["text"]
    positions = [i for i in range(span["start"], span["end"]) if not text[i].isspace()]
    owners = {s["segment_id"] for s in segs for i in positions if s["char_start"] <= i < s["char_end"]}
    assert len(owners) == 1, f"gold span {span['start']}-{span['end']} split over {len(owners)} segments"
    return next(s for s in segs if s["segment_id"] in owners)


def test_every_gold_span_is_one_segment_with_the_gold_label(seed):
    segs, _ = seed
    for span in GOLD["spans"]:
        seg = _segment_of(segs, span)
        if span["label"] == "article":
            assert seg["removed"] is None, span
            assert seg["role"] == span["role"], (span, seg["role"])
            assert seg["joins_previous"] == span["join"], span
        else:
            assert seg["removed"] == span["label"], span
            assert seg["article_id"] is None
            if span["label"] == "duplicate":
                assert seg["duplicate_of"] is not None
                first = next(s for s in segs if s["segment_id"] == seg["duplicate_of"])
                assert first["removed"] is None and first["char_start"] < seg["char_start"]


def test_articles_group_and_order_as_annotated(seed):
    segs, arts = seed
    by_gold = defaultdict(list)
    for span in GOLD["spans"]:
        if span["label"] == "article":
            by_gold[span["article"]].append(span)
    assert len(arts) == len(by_gold) == 5
    predicted_ids = set()
    for name, spans in by_gold.items():
        spans.sort(key=lambda s: s["seq"])
        mine = [_segment_of(segs, s) for s in spans]
        ids = {s["article_id"] for s in mine}
        assert len(ids) == 1, f"gold article {name} split over {len(ids)} predicted articles"
        predicted_ids |= ids
        assert [s["article_seq"] for s in mine] == sorted(s["article_seq"] for s in mine), f"{name}: reading order"
        art = next(a for a in arts if a["article_id"] in ids)
        assert art["segment_ids"] == [s["segment_id"] for s in mine], f"{name}: exactly the gold segments"
    assert len(predicted_ids) == 5


def _clean(s: str) -> str:
    s = s.strip()
    while s.startswith("#"):
        s = s[1:]
    return s.replace("**", "").strip()


def test_article_fields_follow_the_gold_text(seed):
    segs, arts = seed
    text = GOLD["text"]
    by_gold = defaultdict(list)
    for span in GOLD["spans"]:
        if span["label"] == "article":
            by_gold[span["article"]].append(span)
    for name, spans in by_gold.items():
        spans.sort(key=lambda s: s["seq"])
        art = next(a for a in arts if a["article_id"] == _segment_of(segs, spans[0])["article_id"])
        for role in ("kicker", "headline", "subheadline"):
            want = [_clean(text[s["start"]:s["end"]]) for s in spans if s["role"] == role]
            assert art[role] == (" ".join(want) if want else None), (name, role)
        body_role = "caption" if all(s["role"] == "caption" for s in spans) else "body"
        paragraphs: list[str] = []
        for s in spans:
            if s["role"] != body_role:
                continue
            piece = _clean(text[s["start"]:s["end"]])
            if s["join"]:
                paragraphs[-1] += piece
            else:
                paragraphs.append(piece)
        assert art["text"] == "\n".join(paragraphs), name
        words = lambda t: "".join(ch for ch in t if ch.isalnum())  # noqa: E731 (tokens drop punctuation)
        assert words(art["tokens"]).startswith(words(art["headline"] or ""))
        assert words(art["tokens"]) == words((art["headline"] or "") + art["text"])
