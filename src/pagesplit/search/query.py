"""Query side: segment the query with pkuseg, match the words as a phrase, explain each hit.

A query of several words is a phrase query on ``tokens`` (the words must be adjacent and in order)
OR'd with the same phrase on ``headline_tokens`` (boosted). pkuseg may segment a query differently
out of context than inside the article; ``match="all"`` then finds articles holding every word
anywhere. The snippet is cut from the stored ``text`` around the first occurrence of the phrase (whitespace
allowed between words) — from the headline when only the headline holds it, around each word's
first occurrence when no phrase is found (``match="all"``) — and the hit names the segment holding
the match with its page offsets.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import tantivy

from ..errors import UsageError
from ..tokens import Tokenizer, get_tokenizer
from .fields import INDEX_FORMAT
from .state import read_state

HEADLINE_BOOST = 2.0  # a phrase in the headline says more about the article than one in the body
SNIPPET_CONTEXT = 40  # characters kept on each side of the match
MATCH_MODES = ("phrase", "all")


@dataclass(frozen=True, slots=True)
class SegmentSpan:
    segment_id: str
    role: str
    char_start: int  # page offsets (code points into the decoded page text, end exclusive)
    char_end: int


@dataclass(frozen=True, slots=True)
class Hit:
    score: float
    article_id: str
    headline: str
    publication: str
    issue_date: str
    page_no: int
    page_id: str
    source_path: str
    snippet: str  # plain text around the match
    highlights: tuple[tuple[int, int], ...]  # (start, end) of the match inside ``snippet``
    match_segment: SegmentSpan | None  # the segment whose text holds the (first) match
    segments: tuple[SegmentSpan, ...]  # every segment of the article, in reading order

    def marked(self, open_: str = "【", close: str = "】") -> str:
        out, pos = [], 0
        for s, e in self.highlights:
            out += [self.snippet[pos:s], open_, self.snippet[s:e], close]
            pos = e
        return "".join(out) + self.snippet[pos:]


def query_words(query: str, tokenizer: Tokenizer) -> list[str]:
    return [w.lower() for w in tokenizer.words(query) if w.strip()]


def _is_punct(word: str) -> bool:
    return all(unicodedata.category(c)[0] in "PSZ" for c in word)


def _word_query(schema, field: str, words: list[str], match: str) -> tantivy.Query:
    if len(words) == 1:
        return tantivy.Query.term_query(schema, field, words[0])
    if match == "phrase":
        return tantivy.Query.phrase_query(schema, field, words)
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, tantivy.Query.term_query(schema, field, w)) for w in words]
    )


def build_query(schema, words: list[str], match: str) -> tantivy.Query:
    body = _word_query(schema, "tokens", words, match)
    head = tantivy.Query.boost_query(_word_query(schema, "headline_tokens", words, match), HEADLINE_BOOST)
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, body), (tantivy.Occur.Should, head)])


def find_phrase(text: str, words: list[str]) -> tuple[int, int] | None:
    """Where the words occur in ``text`` as a phrase (case-insensitive, whitespace allowed between)."""
    m = re.search(r"\s*".join(re.escape(w) for w in words), text, flags=re.IGNORECASE)
    return m.span() if m else None


def find_words(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Each word's first occurrence in ``text``."""
    return sorted({m.span() for w in words if (m := re.search(re.escape(w), text, re.IGNORECASE))})


def make_snippet(text: str, spans: list[tuple[int, int]], context: int = SNIPPET_CONTEXT):
    """``(snippet, highlights relative to it)`` around the first span; the text's start if none."""
    if not spans:
        return text[: 2 * context], ()
    lo = max(0, spans[0][0] - context)
    hi = min(len(text), spans[0][1] + context)
    inside = tuple((s - lo, e - lo) for s, e in spans if s >= lo and e <= hi)
    return text[lo:hi].replace("\n", " "), inside


def _open(index_dir: Path) -> tantivy.Index:
    state = read_state(index_dir)
    if not state or not tantivy.Index.exists(str(index_dir)):
        raise UsageError(
            f"no pagesplit index in {index_dir}",
            hint="build it with `pagesplit index OUTPUT INDEX_DIR`",
        )
    if state.get("format") != INDEX_FORMAT:
        raise UsageError(
            f"the index in {index_dir} has format {state.get('format')}, this pagesplit reads {INDEX_FORMAT}",
            hint="rebuild it with `pagesplit index OUTPUT INDEX_DIR --full`",
        )
    return tantivy.Index.open(str(index_dir))


def _hit(score: float, doc: tantivy.Document, words: list[str]) -> Hit:
    text = doc["text"][0].decode("utf-8")
    headline = doc["headline"][0]
    raw = json.loads(doc["segments"][0].decode("utf-8"))
    segments = tuple(SegmentSpan(s["segment_id"], s["role"], s["char_start"], s["char_end"]) for s in raw)
    match_segment = None
    in_text = find_phrase(text, words)
    in_head = None if in_text else find_phrase(headline, words)
    if in_head:  # the phrase is in the headline only: show the headline
        snippet, highlights = make_snippet(headline, [in_head])
        match_segment = next((s for s in segments if s.role == "headline"), None)
    else:
        spans = [in_text] if in_text else find_words(text, words)
        snippet, highlights = make_snippet(text, spans)
        pos = spans[0][0] if spans else -1
        for s, span in zip(raw, segments):
            if s["text_start"] <= pos < s["text_end"]:
                match_segment = span
                break
    return Hit(
        score=score,
        article_id=doc["article_id"][0],
        headline=headline,
        publication=doc["publication"][0],
        issue_date=doc["issue_date"][0],
        page_no=doc["page_no"][0],
        page_id=doc["page_id"][0],
        source_path=doc["source_path"][0],
        snippet=snippet,
        highlights=highlights,
        match_segment=match_segment,
        segments=segments,
    )


def search(
    index_dir: Path,
    query: str,
    limit: int = 10,
    *,
    match: str = "phrase",
    tokenizer: Tokenizer | None = None,
) -> list[Hit]:
    """The best ``limit`` articles for ``query``, best first."""
    if match not in MATCH_MODES:
        raise UsageError(f"unknown match mode {match!r}", hint=f"use one of {', '.join(MATCH_MODES)}")
    if limit < 1:
        raise UsageError(f"limit must be at least 1, got {limit}", hint="pass --limit 10, say")
    index = _open(Path(index_dir))
    words = query_words(query, tokenizer or get_tokenizer())
    if all(_is_punct(w) for w in words):  # punctuation is indexed (phrases keep it) but alone means nothing
        raise UsageError("the query has no words", hint="search for a word or phrase, e.g. 铁路")
    searcher = index.searcher()
    result = searcher.search(build_query(index.schema, words, match), limit)
    return [_hit(score, searcher.doc(addr), words) for score, addr in result.hits]
