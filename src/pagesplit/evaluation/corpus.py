"""Read the People's Daily corpus (``rmrb-*.articles.jsonl.gz`` / ``.pages.jsonl.gz``) into frozen records.

Only what composing needs is kept. Articles shorter than ``MIN_ARTICLE_CHARS`` (graphics whose only text is
a credit) and jump copies (an article continued on a later page, listed there again with its full text)
are dropped here, so no later stage can place them on a page.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputMissing

ARTICLES_GLOB = "*.articles.jsonl.gz"
PAGES_GLOB = "*.pages.jsonl.gz"

# The corpus README: articles under 50 characters are graphics whose only text is a credit.
MIN_ARTICLE_CHARS = 50


@dataclass(frozen=True, slots=True)
class CorpusArticle:
    date: str
    page: int
    article_idx: int
    kicker: str | None
    headline: str
    subheadline: str | None
    byline: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CorpusPage:
    date: str
    page: int
    articles: tuple[CorpusArticle, ...]  # in article_idx order, short articles and jump copies removed


def _one(corpus_dir: Path, pattern: str) -> Path:
    found = sorted(Path(corpus_dir).glob(pattern))
    if not found:
        raise InputMissing(
            f"no {pattern} in {corpus_dir}",
            hint="pass the directory holding the People's Daily corpus, e.g. ../shared/corpus",
        )
    return found[0]


def keep_article(record: dict) -> bool:
    """False for graphics (n_chars < MIN_ARTICLE_CHARS) and jump copies."""
    return record.get("n_chars", 0) >= MIN_ARTICLE_CHARS and record.get("jump_copy_of_page") is None


def to_article(record: dict) -> CorpusArticle:
    return CorpusArticle(
        date=record["date"],
        page=int(record["page"]),
        article_idx=int(record["article_idx"]),
        kicker=record.get("kicker") or None,
        headline=record.get("headline") or "",
        subheadline=record.get("subheadline") or None,
        byline=record.get("byline") or None,
        paragraphs=tuple(p for p in record.get("paragraphs") or () if p.strip()),
    )


def load_issues(corpus_dir: Path, months: tuple[str, ...]) -> dict[str, tuple[CorpusPage, ...]]:
    """date -> the issue's pages (page order), for every date whose YYYY-MM is in ``months``.

    Pages left without articles after filtering are dropped.
    """
    pages_path = _one(corpus_dir, PAGES_GLOB)
    articles_path = _one(corpus_dir, ARTICLES_GLOB)
    wanted = set(months)
    page_keys: set[tuple[str, int]] = set()
    with gzip.open(pages_path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["date"][:7] in wanted:
                page_keys.add((rec["date"], int(rec["page"])))
    by_page: dict[tuple[str, int], list[CorpusArticle]] = defaultdict(list)
    with gzip.open(articles_path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            key = (rec["date"], int(rec["page"]))
            if rec["date"][:7] in wanted and key in page_keys and keep_article(rec):
                by_page[key].append(to_article(rec))
    issues: dict[str, list[CorpusPage]] = defaultdict(list)
    for (date, page), arts in sorted(by_page.items()):
        arts.sort(key=lambda a: a.article_idx)
        issues[date].append(CorpusPage(date=date, page=page, articles=tuple(arts)))
    return {d: tuple(p) for d, p in sorted(issues.items())}
