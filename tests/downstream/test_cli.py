"""The downstream commands through typer, as the main CLI registers them."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from pagesplit.downstream_cli import register

app = typer.Typer()
register(app)
runner = CliRunner()


def test_index_then_search(hand_output, tmp_path, tokenizer):
    idx = tmp_path / "idx"
    r = runner.invoke(app, ["index", str(hand_output), str(idx)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("full (no index yet): 2 articles")
    r = runner.invoke(app, ["search", str(idx), "临时旅客列车", "--limit", "1"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].endswith("暑运首日铁路客流创新高")
    assert "2024-07-01 demo-daily p2  demo-daily/2024-07-01/p02.txt chars 73–114" in lines[1]
    assert "【临时旅客列车】" in lines[2]
    r = runner.invoke(app, ["search", str(idx), "城市公园", "--json"])
    hit = json.loads(r.output.splitlines()[0])
    assert (hit["headline"], hit["snippet"], hit["highlights"]) == ("城市公园新增健身步道",) * 2 + ([[0, 4]],)
    assert hit["match_segment"] == {"segment_id": "demo-daily/2024-07-01/p02#s005", "role": "headline",
                                    "char_start": 148, "char_end": 160}  # fmt: skip
    r = runner.invoke(app, ["search", str(idx), "出行参考"])
    assert r.exit_code == 0 and "no match (try --all-words" in r.output


def test_errors_exit_2_with_code_and_hint(hand_output, tmp_path):
    r = runner.invoke(app, ["search", str(tmp_path), "铁路"])
    assert r.exit_code == 2 and "[E401] no pagesplit index" in r.output and "pagesplit index OUTPUT" in r.output
    r = runner.invoke(app, ["review", str(hand_output), "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 2 and "exactly one of --page" in r.output


def test_review_page_and_all(hand_output, tmp_path):
    page = tmp_path / "p.html"
    r = runner.invoke(app, ["review", str(hand_output), "--page", "demo-daily/2024-07-01/p02", "-o", str(page)])
    assert r.exit_code == 0, r.output
    assert page.read_text(encoding="utf-8").count('data-removed="boilerplate"') == 4
    r = runner.invoke(app, ["review", str(hand_output), "--all", "-o", str(tmp_path / "all")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "all" / "index.html").exists()
    assert (tmp_path / "all" / "pages" / "demo-daily" / "2024-07-01" / "p02.html").exists()
    r = runner.invoke(app, ["review", str(hand_output), "--all", "-o", str(tmp_path / "b"), "--input", str(tmp_path)])
    assert r.exit_code == 1 and "not rendered: demo-daily/2024-07-01/p02: [E101]" in r.output
