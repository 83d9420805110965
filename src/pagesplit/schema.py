"""The on-disk contract: Arrow schemas of the four tables, versioned, and the only place that
converts in-memory results into Arrow.

Downstream indexers rely on these column names. Adding a column bumps the minor version;
renaming or removing one bumps the major version.
"""

from __future__ import annotations

from typing import Iterable

import pyarrow as pa

from .types import PageResult

SCHEMA_VERSION = "1.0"
TABLES = ("pages", "segments", "articles", "rejects")
PARTITION_COLUMNS = ("publication", "issue_date")

_META = {b"pagesplit.schema_version": SCHEMA_VERSION.encode()}

PAGES = pa.schema(
    [
        ("page_id", pa.string()),
        ("publication", pa.string()),
        ("issue_date", pa.string()),
        ("page_no", pa.int32()),
        ("source_path", pa.string()),
        ("sha256", pa.string()),
        ("encoding", pa.string()),
        ("layout", pa.string()),
        ("n_chars", pa.int64()),
        ("n_segments", pa.int32()),
        ("n_articles", pa.int32()),
        ("chars_removed_boilerplate", pa.int64()),
        ("chars_removed_duplicate", pa.int64()),
        ("chars_removed_noise", pa.int64()),
        ("run_id", pa.string()),
    ],
    metadata=_META,
)

SEGMENTS = pa.schema(
    [
        ("page_id", pa.string()),
        ("publication", pa.string()),
        ("issue_date", pa.string()),
        ("source_path", pa.string()),
        ("segment_id", pa.string()),
        ("seq", pa.int32()),  # position on the page
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
        ("text", pa.string()),
        ("role", pa.string()),
        ("removed", pa.string()),
        ("removal_reason", pa.string()),
        ("duplicate_of", pa.string()),
        ("article_id", pa.string()),
        ("article_seq", pa.int32()),
        ("joins_previous", pa.bool_()),
        ("run_id", pa.string()),
    ],
    metadata=_META,
)

ARTICLES = pa.schema(
    [
        ("article_id", pa.string()),
        ("page_id", pa.string()),
        ("publication", pa.string()),
        ("issue_date", pa.string()),
        ("page_no", pa.int32()),
        ("source_path", pa.string()),
        ("kind", pa.string()),  # 'article' or 'caption'
        ("kicker", pa.string()),
        ("headline", pa.string()),
        ("subheadline", pa.string()),
        ("byline", pa.string()),
        ("text", pa.string()),
        ("tokens", pa.string()),
        ("n_chars", pa.int64()),
        ("segment_ids", pa.list_(pa.string())),
        ("run_id", pa.string()),
    ],
    metadata=_META,
)

REJECTS = pa.schema(
    [
        ("source_path", pa.string()),
        ("publication", pa.string()),
        ("issue_date", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("run_id", pa.string()),
    ],
    metadata=_META,
)

SCHEMAS = {"pages": PAGES, "segments": SEGMENTS, "articles": ARTICLES, "rejects": REJECTS}


def _removed_chars(result: PageResult, kind: str) -> int:
    return sum(
        sum(1 for c in s.text if not c.isspace())
        for s in result.segments
        if s.removal is not None and s.removal.kind == kind
    )


def pages_table(results: Iterable[PageResult], run_id: str) -> pa.Table:
    rows = []
    for r in results:
        ref = r.page.ref
        rows.append(
            {
                "page_id": r.page.page_id,
                "publication": ref.publication,
                "issue_date": ref.issue_date,
                "page_no": ref.page_no,
                "source_path": ref.source_path,
                "sha256": r.page.sha256,
                "encoding": r.page.encoding,
                "layout": r.layout,
                "n_chars": len(r.page.text),
                "n_segments": len(r.segments),
                "n_articles": len(r.articles),
                "chars_removed_boilerplate": _removed_chars(r, "boilerplate"),
                "chars_removed_duplicate": _removed_chars(r, "duplicate"),
                "chars_removed_noise": _removed_chars(r, "noise"),
                "run_id": run_id,
            }
        )
    return pa.Table.from_pylist(rows, schema=PAGES)


def segments_table(results: Iterable[PageResult], run_id: str) -> pa.Table:
    rows = []
    for r in results:
        ref = r.page.ref
        for i, s in enumerate(r.segments):
            rows.append(
                {
                    "page_id": r.page.page_id,
                    "publication": ref.publication,
                    "issue_date": ref.issue_date,
                    "source_path": ref.source_path,
                    "segment_id": s.segment_id,
                    "seq": i,
                    "char_start": s.start,
                    "char_end": s.end,
                    "text": s.text,
                    "role": s.role,
                    "removed": s.removal.kind if s.removal else None,
                    "removal_reason": s.removal.reason if s.removal else None,
                    "duplicate_of": s.removal.duplicate_of if s.removal else None,
                    "article_id": s.article_id,
                    "article_seq": s.article_seq,
                    "joins_previous": s.joins_previous,
                    "run_id": run_id,
                }
            )
    return pa.Table.from_pylist(rows, schema=SEGMENTS)


def articles_table(results: Iterable[PageResult], run_id: str) -> pa.Table:
    rows = []
    for r in results:
        ref = r.page.ref
        for a in r.articles:
            rows.append(
                {
                    "article_id": a.article_id,
                    "page_id": a.page_id,
                    "publication": ref.publication,
                    "issue_date": ref.issue_date,
                    "page_no": ref.page_no,
                    "source_path": ref.source_path,
                    "kind": a.kind,
                    "kicker": a.kicker,
                    "headline": a.headline,
                    "subheadline": a.subheadline,
                    "byline": a.byline,
                    "text": a.text,
                    "tokens": a.tokens,
                    "n_chars": sum(1 for c in a.text if not c.isspace()),
                    "segment_ids": list(a.segment_ids),
                    "run_id": run_id,
                }
            )
    return pa.Table.from_pylist(rows, schema=ARTICLES)


def rejects_table(rejects: Iterable[dict], run_id: str) -> pa.Table:
    rows = [
        {
            "source_path": r["source_path"],
            "publication": r.get("publication"),
            "issue_date": r.get("issue_date"),
            "reason": r["reason"],
            "detail": r.get("detail", ""),
            "run_id": run_id,
        }
        for r in rejects
    ]
    return pa.Table.from_pylist(rows, schema=REJECTS)
