"""The review's HTML without a browser: escaping, where the page text comes from, warnings,
and the whole-output rendering."""

from __future__ import annotations

import dataclasses
import re
import shutil
from urllib.parse import unquote

import pytest

from conftest import FIXTURES, hand_result, write_output
from pagesplit.errors import InputMissing, UsageError
from pagesplit.review import page_href, render_all, render_index, render_page

PAGE = "demo-daily/2024-07-01/p02"


def test_everything_from_the_data_is_escaped(tmp_path, tokenizer):
    r = hand_result(tokenizer)
    evil = '<img src=x onerror="alert(1)">铁路'
    railway = dataclasses.replace(r.articles[0], headline=evil, article_id='a"><b>x')
    segs = tuple(dataclasses.replace(s, article_id='a"><b>x') if s.article_id == r.articles[0].article_id else s
                 for s in r.segments)  # fmt: skip
    out = write_output(tmp_path / "out", [dataclasses.replace(r, articles=(railway, r.articles[1]), segments=segs)],
                       FIXTURES / "hand")  # fmt: skip
    html = render_page(out, PAGE)
    assert "<img" not in html and "<b>x" not in html and '<script>alert("x")' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;铁路" in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert html.count("<script>") == 1


def test_removed_spans_say_why(hand_output):
    html = render_page(hand_output, PAGE)
    dels = re.findall(r'<del data-removed="(\w+)" data-segment="[^"]+" title="([^"]+)">', html)
    assert sorted(k for k, _ in dels) == ["boilerplate"] * 4 + ["duplicate"]
    dup = next(t for k, t in dels if k == "duplicate")
    assert dup == f"duplicate_of_span · duplicate of {PAGE}#s002"
    assert html.count('data-join="previous"') == 1


def test_input_root_comes_from_the_run_manifest_or_the_option(hand_output, copy_output, tmp_path):
    out = copy_output(hand_output)
    shutil.rmtree(out / "_runs")
    with pytest.raises(InputMissing, match=r"E101.*no --input.*pass --input ROOT"):
        render_page(out, PAGE)
    assert "暑运首日铁路客流创新高" in render_page(out, PAGE, input_root=FIXTURES / "hand")
    with pytest.raises(InputMissing, match="cannot read the source"):
        render_page(out, PAGE, input_root=tmp_path)


def test_a_changed_source_is_flagged(hand_output, tmp_path):
    src = tmp_path / "demo-daily/2024-07-01/p02.txt"
    src.parent.mkdir(parents=True)
    src.write_text("# 另一篇\n", encoding="utf-8")
    html = render_page(hand_output, PAGE, input_root=tmp_path)
    assert "changed since the run (sha256 differs)" in html
    assert "the text has 6 characters, the run saw 322" in html
    assert "runs past the text" in html  # segments beyond the new text are clipped, and said so


def test_unknown_page_is_a_usage_error(hand_output):
    with pytest.raises(UsageError, match="E401.*no page 'nope/2024-01-01/p9'"):
        render_page(hand_output, "nope/2024-01-01/p9")


def test_render_all_writes_every_page_and_lists_failures(hand_output, seed_gold_output, tmp_path, tokenizer):
    from conftest import seed_result

    out = write_output(tmp_path / "out", [hand_result(tokenizer), seed_result(tokenizer)], FIXTURES / "hand")
    report = render_all(out, tmp_path / "review")
    # the seed page's source is not under the hand fixture root: listed, not fatal
    assert list(report.failed) == ["hohhot-daily/2024-07-19/p01"]
    assert report.pages == (tmp_path / "review" / page_href(PAGE),)
    index = report.index.read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', index)
    assert [(report.index.parent / unquote(h)).exists() for h in hrefs] == [True]
    assert "not rendered: [E101]" in index
    assert render_index(out, failed=report.failed) == index
    # counts in the index are the pages table's
    row = re.search(r'<tr data-page="demo-daily/2024-07-01/p02">(.*?)</tr>', index).group(1)
    assert re.findall(r'<td class="n">(\d+)</td>', row) == ["2", "2", "12", "49", "41", "0"]
