"""Fixtures: a tiny invented corpus in the People's Daily corpus format, and a hand-made gold page.

All text here is written for the tests (no corpus text): a few sentences recombined per article.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

SENTENCES = (
    "清晨的河湾小镇刚刚醒来，码头上的渔船陆续靠岸，鱼贩们忙着把新鲜的鱼虾搬上三轮车。",
    "镇上新修的文化站里，几位老人正在排练秧歌，锣鼓声传出很远，引得路过的孩子驻足观看。",
    "今年以来，当地围绕特色种植、乡村旅游和电商物流三条主线，推出了一系列便民举措。",
    "合作社负责人告诉记者，去年果园亩产提高了两成，游客采摘收入已经占到全年收入的一半。",
    "为了让年轻人愿意回乡创业，县里设立了专门的服务窗口，贷款审批时间缩短到三个工作日。",
    "夜幕降临，广场上的灯光次第亮起，夜市摊位前人头攒动，烤玉米的香味飘满了整条街道。",
    "专家认为，小城镇的发展要立足本地资源禀赋，不能简单照搬大城市的做法，更要久久为功。",
    "记者在现场看到，新建的污水处理站已经投入运行，清澈的河水重新成为孩子们嬉戏的地方。",
)
HEADLINES = ("河湾小镇的新日子", "果园里的致富经", "夜市点亮小城烟火气", "污水处理站守护清水河", "回乡创业正当时")


def _article(date: str, page: int, idx: int, n_paras: int, **extra) -> dict:
    paras = [SENTENCES[(idx + k) % len(SENTENCES)] + SENTENCES[(idx + k + 3) % len(SENTENCES)] for k in range(n_paras)]
    rec = {
        "source": "人民日报", "date": date, "page": page, "page_label": f"第{page:02d}版", "article_idx": idx,
        "kicker": None, "headline": HEADLINES[idx % len(HEADLINES)], "subheadline": None, "byline": None,
        "dateline": None, "paragraphs": paras, "n_chars": sum(map(len, paras)),
        "jump_copy_of_page": None, "also_listed_on_pages": [],
    }
    rec.update(extra)
    return rec


def write_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    articles, pages = [], []
    for date in ("2020-07-01", "2020-07-02", "2020-08-03"):
        for page in (1, 2, 3):
            arts = [
                _article(date, page, 1, 5, kicker="小镇调查", subheadline="——一个镇的三年", byline="记者王小明"),
                _article(date, page, 2, 4, paragraphs=None),
                _article(date, page, 3, 6),
                # a graphic (n_chars < 50) and a jump copy: both must never be composed
                {**_article(date, page, 4, 1), "paragraphs": ["图表：某某制图"], "n_chars": 7, "headline": "图表不应出现"},
                {**_article(date, page, 5, 3), "headline": "转版副本不应出现", "jump_copy_of_page": 1},
            ]
            arts[1]["paragraphs"] = [SENTENCES[0] + SENTENCES[1], "乡村振兴的新答卷", SENTENCES[2] + SENTENCES[3], "版式设计：赵一"]
            arts[1]["n_chars"] = sum(map(len, arts[1]["paragraphs"]))
            articles += arts
            pages.append({"date": date, "page": page, "page_label": f"第{page:02d}版", "n_articles": 5,
                          "article_idx": [1, 2, 3, 4, 5], "jump_copy_idx": [5]})
    with gzip.open(root / "rmrb-test.articles.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(a, ensure_ascii=False) + "\n" for a in articles)
    with gzip.open(root / "rmrb-test.pages.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in pages)
    return root


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus")


# A hand-made page: markdown headline, two articles, a column-break fragment, a duplicate, boilerplate.
HAND_PAGE = (
    "人民日报 第4版\n\n"  # 0..8 boilerplate
    "# 小镇新貌\n\n"
    "清晨的河湾小镇刚刚醒来，码头上的渔船陆\n\n"
    "续靠岸，鱼贩们忙着搬运。\n\n"
    "## 夜市烟火\n\n"
    "夜幕降临，广场上的灯光次第亮起。\n\n"
    "码头上的渔船陆\n\n"
    "责任编辑：赵一"
)


def _span(text: str, piece: str, label: str, after: int = 0, **kw) -> dict:
    start = text.index(piece, after)
    return {"start": start, "end": start + len(piece), "label": label, **kw}


def hand_gold() -> dict:
    t = HAND_PAGE
    first_dup = t.index("码头上的渔船陆")
    spans = [
        _span(t, "人民日报 第4版", "boilerplate"),
        _span(t, "# 小镇新貌", "article", article="town", role="headline", seq=0, join=False),
        _span(t, "清晨的河湾小镇刚刚醒来，码头上的渔船陆", "article", article="town", role="body", seq=1, join=False),
        _span(t, "续靠岸，鱼贩们忙着搬运。", "article", article="town", role="body", seq=2, join=True),
        _span(t, "## 夜市烟火", "article", article="night", role="headline", seq=0, join=False),
        _span(t, "夜幕降临，广场上的灯光次第亮起。", "article", article="night", role="body", seq=1, join=False),
        _span(t, "码头上的渔船陆", "duplicate", after=first_dup + 1),
        _span(t, "责任编辑：赵一", "boilerplate"),
    ]
    return {"source_path": "rmrb/2020-07-01/p04.txt", "n_chars": len(t), "text": t, "spans": spans}


@pytest.fixture()
def hand_gold_dir(tmp_path) -> Path:
    d = tmp_path / "gold"
    d.mkdir()
    g = hand_gold()
    (d / "rmrb_2020-07-01_p04.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    pages = tmp_path / "pages" / "rmrb" / "2020-07-01"
    pages.mkdir(parents=True)
    (pages / "p04.txt").write_text(g["text"], encoding="utf-8")
    return d
