import json
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pagesplit.errors import UsageError
from pagesplit.evaluation import gold as G
from pagesplit.evaluation.compose import compose, compose_page, issue_furniture
from pagesplit.evaluation.corpus import load_issues

SEED_KEYS = {"source_path", "n_chars", "text", "spans"}
ARTICLE_SPAN_KEYS = {"start", "end", "label", "article", "role", "seq", "join"}


@pytest.fixture(scope="module")
def composed(corpus_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("composed")
    return out, compose(corpus_dir, out, months=("2020-07",), n_issues=2, seed=5)


def test_layout_and_gold_form(composed):
    out, rec = composed
    assert rec["issues"] == ["2020-07-01", "2020-07-02"] and rec["n_pages"] == 6
    for sp in rec["pages"]:
        text = (out / "pages" / sp).read_text(encoding="utf-8")
        data = json.loads((out / "gold" / G.gold_name(sp)).read_text(encoding="utf-8"))
        assert set(data) == SEED_KEYS and data["text"] == text and data["n_chars"] == len(text)
        assert data["source_path"] == sp and sp.startswith("rmrb/2020-07-0")
        for s in data["spans"]:
            other = {"start", "end", "label", "copy"} if s["label"] == "duplicate" else {"start", "end", "label"}
            assert set(s) == (ARTICLE_SPAN_KEYS if s["label"] == "article" else other)
        page = G.parse(data)
        assert G.coverage_errors(page.text, page.spans) == []
        assert "不应出现" not in text  # graphics and jump copies are skipped


def test_same_options_same_bytes(corpus_dir, composed, tmp_path):
    out, _ = composed
    again = compose(corpus_dir, tmp_path / "again", months=("2020-07",), n_issues=2, seed=5)
    for sp in again["pages"]:
        assert (tmp_path / "again" / "pages" / sp).read_bytes() == (out / "pages" / sp).read_bytes()
        assert (tmp_path / "again" / "gold" / G.gold_name(sp)).read_bytes() == (out / "gold" / G.gold_name(sp)).read_bytes()
    assert (tmp_path / "again" / "compose.json").read_text().replace(str(tmp_path / "again"), "") == (
        out / "compose.json"
    ).read_text().replace(str(out), "")


def test_recompose_replaces_and_refuses_foreign_dirs(corpus_dir, tmp_path):
    compose(corpus_dir, tmp_path / "c", months=("2020-07",), n_issues=2, seed=1)
    rec = compose(corpus_dir, tmp_path / "c", months=("2020-08",), n_issues=1, seed=1)
    assert sorted(p.parent.name for p in (tmp_path / "c" / "pages" / "rmrb").glob("*/*.txt")) == ["2020-08-03"] * 3
    assert rec["n_pages"] == 3
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "notes.txt").write_text("mine")
    with pytest.raises(UsageError):
        compose(corpus_dir, tmp_path / "foreign", months=("2020-07",), n_issues=1)


def test_running_head_wording_is_fixed_per_issue(composed):
    out, rec = composed
    heads: dict[str, set] = {}
    for sp, meta in rec["pages"].items():
        data = json.loads((out / "gold" / G.gold_name(sp)).read_text(encoding="utf-8"))
        for s in data["spans"]:
            piece = "".join(data["text"][s["start"]:s["end"]].split())
            if s["label"] == "boilerplate" and "人民日报" in piece:
                heads.setdefault(sp.split("/")[1], set()).add(re.sub(r"\d+版", "N版", piece))
    assert heads and all(len(v) == 1 for v in heads.values()), heads


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), page_idx=st.integers(0, 8))
def test_every_non_whitespace_character_in_exactly_one_span(corpus_dir, seed, page_idx):
    issues = load_issues(corpus_dir, ("2020-07", "2020-08"))
    pages = [p for d in sorted(issues) for p in issues[d]]
    page = pages[page_idx % len(pages)]
    furniture = issue_furniture(page.date, random.Random(seed))
    _, text, spans, meta = compose_page(page, furniture, ("图为河湾小镇的码头，渔船陆续靠岸。",), seed)
    parsed = G.parse({"source_path": "x", "text": text, "spans": spans})
    assert G.coverage_errors(text, parsed.spans) == []
    assert meta["layout"] in ("paragraph", "wrapped")
    # reading order: seq is 0..n-1 per article
    for art, sp in G.article_spans(parsed).items():
        assert [s.seq for s in sp] == list(range(len(sp)))


@pytest.mark.parametrize(
    "tags, error_rate, copy",
    [
        (("duplicate",), 0.0, "exact"),
        (("duplicate", "ocr_errors"), 0.015, "noisy"),
        (("duplicate", "mid_paragraph"), 0.0, "straddling"),
        (("duplicate", "mid_paragraph", "ocr_errors"), 0.015, "straddling"),  # straddling takes precedence
    ],
)
def test_duplicate_spans_carry_their_copy_type(tags, error_rate, copy):
    from pagesplit.evaluation.plan import Block
    from pagesplit.evaluation.render import span_dict

    span = span_dict(Block("复制的段落", "duplicate", tags=tags, error_rate=error_rate), 3, 8)
    assert span == {"start": 3, "end": 8, "label": "duplicate", "copy": copy}
    assert G.parse({"source_path": "", "text": "", "spans": [span]}).spans[0].copy == copy


def test_composed_duplicates_have_a_copy_type(composed):
    out, rec = composed
    dups = [s for sp in rec["pages"] for s in json.loads((out / "gold" / G.gold_name(sp)).read_text(encoding="utf-8"))["spans"] if s["label"] == "duplicate"]
    assert dups and all(s["copy"] in G.COPY_TYPES for s in dups)


def test_traditional_pages_are_the_same_pages_in_traditional_characters(corpus_dir):
    # compose --traditional: every draw the same, each character printed in its traditional form
    from pagesplit.script import to_simplified, to_traditional

    issues = load_issues(corpus_dir, ("2020-07",))
    page = issues[sorted(issues)[0]][0]
    args = (page, issue_furniture(page.date, random.Random(3)), ("图为河湾小镇的码头，渔船陆续靠岸。",), 3)
    sp, text, spans, meta = compose_page(*args)
    sp_t, text_t, spans_t, meta_t = compose_page(*args, traditional=True)
    assert (sp_t, spans_t) == (sp, spans) and text_t == to_traditional(text) != text
    assert to_simplified(text_t) == to_simplified(text) and meta_t["traditional"] and not meta["traditional"]
