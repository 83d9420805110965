"""Search index over a fixture output: phrase hits, removed text unfindable, incremental updates."""

from __future__ import annotations

import dataclasses
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES, hand_result, write_output
from pagesplit.errors import UsageError
from pagesplit.search import build_index, search
from pagesplit.search.state import STATE_FILE

RAILWAY = "暑运首日铁路客流创新高"
PARK = "城市公园新增健身步道"


@pytest.fixture(scope="module")
def index(hand_output, tokenizer, tmp_path_factory):
    idx = tmp_path_factory.mktemp("idx") / "index"
    report = build_index(hand_output, idx, tokenizer=tokenizer)
    assert report.mode == "full" and report.n_docs == 2
    return idx


def test_phrase_from_inside_an_article_returns_it_first(index, tokenizer):
    hits = search(index, "临时旅客列车", tokenizer=tokenizer)
    assert hits, "no hit for a phrase that is in the railway article"
    top = hits[0]
    assert (top.headline, top.issue_date, top.page_no) == (RAILWAY, "2024-07-01", 2)
    assert top.source_path == "demo-daily/2024-07-01/p02.txt"
    assert "【临时旅客列车】" in top.marked()
    # the hit points back into the page: the segment holding the match, by page offsets
    page = (FIXTURES / "hand" / top.source_path).read_text(encoding="utf-8")
    seg = top.match_segment
    assert seg is not None and seg.role == "body"
    assert "临时旅客列车" in page[seg.char_start : seg.char_end]
    assert [s.segment_id for s in top.segments][0] == seg.segment_id.rsplit("#", 1)[0] + "#s000"


def test_removed_boilerplate_label_returns_nothing(index, tokenizer):
    assert search(index, "出行参考", tokenizer=tokenizer) == []
    assert search(index, "出行参考", match="all", tokenizer=tokenizer) == []
    # control: the label's first word is in an article, so the index does answer for it
    assert [h.headline for h in search(index, "出行", tokenizer=tokenizer)] == [RAILWAY]


def test_phrase_needs_adjacent_words_and_all_does_not(index, tokenizer):
    assert tokenizer.words("铁路列车") == ["铁路", "列车"]
    assert search(index, "铁路列车", tokenizer=tokenizer) == []
    assert [h.headline for h in search(index, "铁路列车", match="all", tokenizer=tokenizer)] == [RAILWAY]


def test_headline_words_are_searchable_and_ranked(index, tokenizer):
    hits = search(index, "城市公园", tokenizer=tokenizer)  # only in the park headline
    assert [h.headline for h in hits] == [PARK]


def test_index_records_what_it_was_built_from(index, hand_output):
    state = json.loads((index / STATE_FILE).read_text(encoding="utf-8"))
    assert state["output_dir"] == str(hand_output.resolve())
    assert state["runs"] == ["fixture-run-1"]
    assert (state["mode"], state["n_docs"]) == ("full", 2)
    assert state["reason"] == "no index yet"


def test_bad_queries_and_missing_index_raise_coded_errors(index, tmp_path, tokenizer):
    with pytest.raises(UsageError, match="E401"):
        search(index, " ，", tokenizer=tokenizer)
    with pytest.raises(UsageError, match="no pagesplit index"):
        search(tmp_path, "铁路", tokenizer=tokenizer)


def test_refuses_to_replace_a_foreign_directory(hand_output, tmp_path, tokenizer):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="not a pagesplit index"):
        build_index(hand_output, tmp_path, tokenizer=tokenizer)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def _write_changes(out, run_id, rows):
    (out / "_changes").mkdir(exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=pa.schema([("article_id", pa.string()), ("change", pa.string())]))
    pq.write_table(table, out / "_changes" / f"{run_id}.parquet")


def _rerun_without_park(out, tokenizer, run_id):
    """A second run: the railway headline changes, the park article is gone."""
    r = hand_result(tokenizer)
    railway, park = r.articles
    railway = dataclasses.replace(railway, headline="暑运首日客流再创新高")
    write_output(out, [dataclasses.replace(r, articles=(railway,))], FIXTURES / "hand", run_id=run_id)
    return railway.article_id, park.article_id


def test_incremental_update_from_the_change_feed(hand_output, copy_output, tmp_path, tokenizer):
    out = copy_output(hand_output)
    idx = tmp_path / "index"
    _write_changes(out, "fixture-run-1", [])
    assert build_index(out, idx, tokenizer=tokenizer).mode == "full"  # no index yet

    railway_id, park_id = _rerun_without_park(out, tokenizer, "run-2")
    _write_changes(out, "run-2", [{"article_id": railway_id, "change": "changed"},
                                  {"article_id": park_id, "change": "deleted"}])  # fmt: skip
    report = build_index(out, idx, tokenizer=tokenizer)
    assert (report.mode, report.n_docs, report.n_touched, report.n_added) == ("incremental", 1, 2, 1)
    assert search(idx, "健身步道", tokenizer=tokenizer) == []
    assert [h.headline for h in search(idx, "再创新高", tokenizer=tokenizer)] == ["暑运首日客流再创新高"]

    again = build_index(out, idx, tokenizer=tokenizer)
    assert (again.mode, again.n_docs) == ("unchanged", 1)


def test_run_without_change_file_means_full_rebuild(hand_output, copy_output, tmp_path, tokenizer):
    out = copy_output(hand_output)
    idx = tmp_path / "index"
    _write_changes(out, "fixture-run-1", [])
    build_index(out, idx, tokenizer=tokenizer)
    _rerun_without_park(out, tokenizer, "run-3")
    report = build_index(out, idx, tokenizer=tokenizer)
    assert (report.mode, report.n_docs) == ("full", 1)
    assert report.reason == "no change file for run(s) run-3"


def test_a_change_feed_that_misses_changes_is_caught(hand_output, copy_output, tmp_path, tokenizer):
    out = copy_output(hand_output)
    idx = tmp_path / "index"
    _write_changes(out, "fixture-run-1", [])
    build_index(out, idx, tokenizer=tokenizer)
    _rerun_without_park(out, tokenizer, "run-4")
    _write_changes(out, "run-4", [])  # claims nothing changed: wrong, the park article is gone
    report = build_index(out, idx, tokenizer=tokenizer)
    assert report.mode == "full"
    assert report.reason == "index held 2 articles after the update, output has 1"
    assert search(idx, "健身步道", tokenizer=tokenizer) == []
