"""Compose whole issues of OCR-like pages, with gold, from the People's Daily corpus.

``compose(corpus_dir, out_dir)`` picks ``n_issues`` dates of ``months`` (seeded), and for every page of each
issue lays out its articles (plan.py), prints them in an OCR style (render.py) and writes

    OUT/pages/rmrb/YYYY-MM-DD/pNN.txt      the page text
    OUT/gold/rmrb_YYYY-MM-DD_pNN.json      its gold, in the seed's JSON form
    OUT/compose.json                       options, per-page style + phenomenon counts, totals

Determinism: every page draws from its own ``random.Random(f"{seed}/{date}/{page}")`` (string seeds hash
with SHA-512, stable across runs and platforms), so the same options give byte-identical files, and
adding an issue does not change the others. Phenomena and their rates: plan.py and render.py docstrings,
summarised in docs/evaluation.md.

Research use only: composed pages contain People's Daily text; never commit them.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

from ..errors import UsageError
from ..script import to_traditional
from . import gold
from .corpus import CorpusPage, load_issues
from .plan import IssueFurniture, plan_page
from .render import choose_style, render

PUBLICATION = "rmrb"
WEEKDAYS = "一二三四五六日"
# Issue furniture templates: one of each is drawn per issue, so wording is fixed within an issue.
RUNNING_HEADS = (
    "人民日报 {y}年{m}月{d}日 星期{w} 第{p}版",
    "{y}年{m}月{d}日\u3000星期{w}\u3000第{p2}版\u3000人民日报",
    "人民日报\u3000{y}.{m2}.{d2}\u3000第{p2}版",
)
CREDITS = (
    "责任编辑：{a}\u3000{c}\u3000版式设计：{b}",
    "本版责编：{a}\u3000{c}\u3000版式设计：{b}",
    "责任编辑：{a} 美编：{b} 校对：{c}",
)
CAPTION_CREDITS = ("\u3000■{org}供图", "（新华社记者\u3000{name}摄）", "\u3000\u3000本报记者\u3000{name}摄", "（{name}摄）")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红志文斌辉建国晓宁波鹏飞"
SECTIONS = ("要闻", "要闻", "要闻", "要闻", "评论", "经济", "政治", "社会", "文化", "国际", "国际", "体育",
            "理论", "视点", "生态", "科技", "副刊", "健康", "法治", "教育")
# Captions are sentences of articles from dates not composed, so no caption repeats a page's text.
CAPTION_CHARS = (25, 90)
CAPTION_POOL_SIZE = 2000


def issue_furniture(date: str, rng: random.Random) -> IssueFurniture:
    y, m, d = date.split("-")
    from datetime import date as _date

    w = WEEKDAYS[_date(int(y), int(m), int(d)).weekday()]
    fields = {"y": y, "m": str(int(m)), "d": str(int(d)), "m2": m, "d2": d, "w": w}
    head = rng.choice(RUNNING_HEADS)
    for k, v in fields.items():
        head = head.replace("{" + k + "}", v)
    names = tuple(sorted({rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))) for _ in range(40)}))
    sections = SECTIONS[:4] + tuple(rng.sample(SECTIONS[4:], len(SECTIONS) - 4))
    return IssueFurniture(head, rng.choice(CREDITS), names, sections, CAPTION_CREDITS)


def caption_pool(issues: dict[str, tuple[CorpusPage, ...]], exclude: set[str], seed: int) -> tuple[str, ...]:
    sentences = []
    for date, pages in issues.items():
        if date in exclude:
            continue
        for p in pages:
            for a in p.articles:
                for para in a.paragraphs[1:2]:
                    m = re.match(r"[^。！？]*。", para)
                    if m and CAPTION_CHARS[0] <= len(m.group()) <= CAPTION_CHARS[1]:
                        sentences.append(m.group())
    rng = random.Random(f"{seed}/captions")
    return tuple(rng.sample(sentences, min(CAPTION_POOL_SIZE, len(sentences))))


def compose_page(
    page: CorpusPage, furniture: IssueFurniture, captions: tuple[str, ...], seed: int, *, indent_paragraphs: bool = False,
    traditional: bool = False,
) -> tuple[str, str, list[dict], dict]:
    """(source_path, text, gold spans, metadata) of one page; ``indent_paragraphs``: wrapped pages
    indent their paragraphs' first lines (``render.PageStyle.indent``), every other draw the same;
    ``traditional``: the same page printed in traditional characters (``script.to_traditional``,
    one for one: the spans hold)."""
    rng = random.Random(f"{seed}/{page.date}/{page.page}")
    style = choose_style(rng)
    if indent_paragraphs:
        style = replace(style, indent=True)
    blocks, counts = plan_page(page, furniture, captions, rng)
    # The column-order accident draws from a generator of its own: pages without it stay as they were.
    text, spans = render(blocks, style, rng, order_rng=random.Random(f"{seed}/{page.date}/{page.page}/column-order"))
    if traditional:
        text = to_traditional(text)
    source_path = f"{PUBLICATION}/{page.date}/p{page.page:02d}.txt"
    parsed = gold.parse({"source_path": source_path, "text": text, "spans": spans})
    errs = gold.coverage_errors(text, parsed.spans)
    if errs:
        raise AssertionError(f"composer bug on {source_path}: {errs}")
    counts["noise"] = sum(s["label"] == "noise" for s in spans)
    counts["column_order"] = len(gold.displaced_spans(parsed))
    meta = {"layout": style.layout, "markdown": style.markdown, "halfwidth": style.halfwidth, "indent": style.indent,
            "blank_separator": style.blank_separator, "cjk_space": style.cjk_space, "traditional": traditional,
            "n_articles": len({s["article"] for s in spans if s["label"] == "article"}), "phenomena": counts}
    return source_path, text, spans, meta


def _prepare(out_dir: Path) -> None:
    """Refuse to write into a directory that holds anything but an earlier composition (which is replaced)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ours = out_dir / "compose.json"
    if not ours.exists():
        if any(out_dir.iterdir()):
            raise UsageError(f"{out_dir} is not empty and holds no compose.json", hint="compose into an empty directory")
        return
    for sub in ("pages", "gold"):
        shutil.rmtree(out_dir / sub, ignore_errors=True)
    ours.unlink()


def compose(
    corpus_dir: Path,
    out_dir: Path,
    *,
    months: tuple[str, ...] = ("2020-07", "2020-08", "2020-09"),
    n_issues: int = 40,
    seed: int = 13,
    indent_paragraphs: bool = False,
    traditional: bool = False,
) -> dict:
    """Compose ``n_issues`` whole issues; returns (and writes) the compose.json record.
    ``indent_paragraphs``: the same pages, their wrapped paragraphs' first lines indented;
    ``traditional``: the same pages in traditional characters."""
    out_dir = Path(out_dir)
    issues = load_issues(Path(corpus_dir), tuple(months))
    if not issues:
        raise UsageError(f"no issues for months {months} in {corpus_dir}", hint="pick months the corpus covers (2020-01..2020-09)")
    dates = sorted(random.Random(f"{seed}/issues").sample(sorted(issues), min(n_issues, len(issues))))
    captions = caption_pool(issues, set(dates), seed)
    _prepare(out_dir)
    pages_meta: dict[str, dict] = {}
    totals: Counter = Counter()
    for date in dates:
        furniture = issue_furniture(date, random.Random(f"{seed}/{date}/furniture"))
        for page in issues[date]:
            source_path, text, spans, meta = compose_page(page, furniture, captions, seed, indent_paragraphs=indent_paragraphs, traditional=traditional)
            target = out_dir / "pages" / source_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            gold_path = out_dir / "gold" / gold.gold_name(source_path)
            gold_path.parent.mkdir(parents=True, exist_ok=True)
            gold_path.write_text(gold.to_json(source_path, text, spans), encoding="utf-8")
            pages_meta[source_path] = meta
            totals.update(meta["phenomena"])
            totals[f"layout_{meta['layout']}"] += 1
            totals["markdown_pages"] += meta["markdown"]
            totals["halfwidth_pages"] += meta["halfwidth"]
    record = {
        "options": {"corpus_dir": str(corpus_dir), "months": list(months), "n_issues": n_issues, "seed": seed,
                    "indent_paragraphs": indent_paragraphs, "traditional": traditional},
        "issues": dates,
        "n_pages": len(pages_meta),
        "totals": dict(sorted(totals.items())),
        "pages": pages_meta,
    }
    (out_dir / "compose.json").write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return record
