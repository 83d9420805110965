"""The index schema and the conversion of an ``articles`` row into a tantivy document.

Chinese search without a Chinese analyzer: ``tokens`` holds the article's pkuseg words separated by
spaces (the ``articles.tokens`` column), lower-cased here and indexed with tantivy's built-in
``whitespace`` tokenizer, so any tantivy client can query the index by segmenting its query with
pkuseg the same way. Stored-only values (``text``, ``segments``) are bytes fields, which tantivy
stores without indexing them.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import tantivy

INDEX_FORMAT = 1  # bump when fields change: an index of another format is rebuilt in full

EXACT = "raw"  # one term per value: ids, paths, partition values
WORDS = "whitespace"  # pre-segmented words

FIELD_NAMES = (
    "article_id", "page_id", "publication", "issue_date", "issue_day", "page_no", "source_path",
    "kind", "headline", "headline_tokens", "tokens", "text", "segments", "run_id",
)  # fmt: skip


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in ("article_id", "page_id", "publication", "issue_date", "source_path", "kind",
                 "run_id", "headline"):  # fmt: skip
        sb.add_text_field(name, stored=True, tokenizer_name=EXACT, index_option="basic")
    sb.add_date_field("issue_day", indexed=True, fast=True)
    sb.add_integer_field("page_no", stored=True, indexed=True, fast=True)
    sb.add_text_field("tokens", stored=False, tokenizer_name=WORDS, index_option="position")
    sb.add_text_field("headline_tokens", stored=False, tokenizer_name=WORDS, index_option="position")
    sb.add_bytes_field("text", stored=True)
    sb.add_bytes_field("segments", stored=True)
    return sb.build()


def day(issue_date: str) -> datetime:
    return datetime.strptime(issue_date, "%Y-%m-%d").replace(tzinfo=timezone.utc)


def segment_spans(article_text: str, segments: list[dict]) -> list[dict]:
    """Each segment's page range plus where its text sits in the article text (-1 when the
    article text is not built from the segment texts in order)."""
    spans, pos = [], 0
    for s in segments:
        found = article_text.find(s["text"], pos) if s["text"] else -1
        start = found if found >= 0 else -1
        if found >= 0:
            pos = found + len(s["text"])
        spans.append(
            {
                "segment_id": s["segment_id"],
                "role": s["role"],
                "char_start": s["char_start"],
                "char_end": s["char_end"],
                "text_start": start,
                "text_end": pos if found >= 0 else -1,
            }
        )
    return spans


def to_document(row: dict, segments: list[dict], headline_tokens: str) -> tantivy.Document:
    """One ``articles`` row (a dict of its columns) and its segments (``segments`` rows in reading
    order) as a document."""
    doc = tantivy.Document()
    for name in ("article_id", "page_id", "publication", "issue_date", "source_path", "kind",
                 "run_id"):  # fmt: skip
        doc.add_text(name, row[name] or "")
    doc.add_text("headline", row["headline"] or "")
    try:
        doc.add_date("issue_day", day(row["issue_date"]))
    except (TypeError, ValueError):
        pass  # an unparseable date stays searchable, just not by date range
    doc.add_integer("page_no", int(row["page_no"]))
    doc.add_text("tokens", (row["tokens"] or "").lower())
    doc.add_text("headline_tokens", headline_tokens.lower())
    doc.add_bytes("text", (row["text"] or "").encode("utf-8"))
    spans = segment_spans(row["text"] or "", segments)
    doc.add_bytes("segments", json.dumps(spans, ensure_ascii=False).encode("utf-8"))
    return doc
