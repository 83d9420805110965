"""Build or update the search index from an output's ``articles`` (and ``segments``).

Incremental when possible: if the index was built from this output and every run since then has
a change file (see ``pagesplit.changes``), the articles those runs touched are deleted by
``article_id`` and re-added from the current tables (so the order of runs does not matter).
Otherwise — no change feed, a run without a change file, another output, another index format,
``full=True`` — the index is rebuilt in a fresh directory that then replaces the old one.
After an incremental update the document count is checked against the ``articles`` row count;
a mismatch triggers a full rebuild rather than a silently wrong index.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import tantivy

from ..changes import read_changes
from ..errors import OutputError, UsageError
from ..io import DATA_FILE, read_table
from ..partitions import list_partitions, read_partition
from ..runs import list_runs
from ..schema import SCHEMA_VERSION
from ..tokens import Tokenizer, get_tokenizer
from .fields import INDEX_FORMAT, build_schema, to_document
from .state import STATE_FILE, read_state, write_state

WRITER_HEAP = 128_000_000  # bytes buffered before tantivy flushes a segment (its default)
_SEGMENT_COLUMNS = ("segment_id", "role", "char_start", "char_end", "text")


@dataclass(frozen=True, slots=True)
class BuildReport:
    mode: str  # 'full', 'incremental' or 'unchanged'
    reason: str
    n_docs: int
    n_touched: int = 0  # article ids named by the change feed: deleted, re-added if still present
    n_added: int = 0


def _article_count(output_dir: Path) -> int:
    root = Path(output_dir) / "articles"
    return sum(pq.read_metadata(f).num_rows for f in root.glob(f"publication=*/issue_date=*/{DATA_FILE}"))


def _headline_words(row: dict, tokenizer: Tokenizer) -> str:
    parts = [row[k] for k in ("kicker", "headline", "subheadline") if row.get(k)]
    return tokenizer.joined("\n".join(parts)) if parts else ""


def _add_rows(writer, articles: pa.Table, segments: pa.Table, tokenizer: Tokenizer) -> int:
    by_id = {s["segment_id"]: s for s in segments.select(list(_SEGMENT_COLUMNS)).to_pylist()}
    for row in articles.to_pylist():
        segs = [by_id[i] for i in row["segment_ids"] if i in by_id]
        writer.add_document(to_document(row, segs, _headline_words(row, tokenizer)))
    return articles.num_rows


def _check_index_dir(index_dir: Path) -> None:
    """Refuse to replace a directory that is not one of our indexes."""
    if index_dir.exists() and any(index_dir.iterdir()) and not (index_dir / STATE_FILE).exists():
        raise UsageError(
            f"{index_dir} exists and is not a pagesplit index (no {STATE_FILE})",
            hint="choose an empty or new directory for the index",
        )


def _state(output_dir: Path, runs: list[str], mode: str, reason: str, n_docs: int) -> dict:
    return {
        "format": INDEX_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "output_dir": str(Path(output_dir).resolve()),
        "runs": runs,
        "mode": mode,
        "reason": reason,
        "n_docs": n_docs,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _full(output_dir: Path, index_dir: Path, runs: list[str], reason: str, tokenizer) -> BuildReport:
    _check_index_dir(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = index_dir.with_name(f".{index_dir.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        index = tantivy.Index(build_schema(), path=str(tmp), reuse=False)
        writer = index.writer(WRITER_HEAP)
        n = 0
        for pub, date in list_partitions(output_dir, "articles"):
            articles = read_partition(output_dir, "articles", pub, date)
            segments = read_partition(output_dir, "segments", pub, date)
            n += _add_rows(writer, articles, segments, tokenizer)
        writer.commit()
        writer.wait_merging_threads()
        write_state(tmp, _state(output_dir, runs, "full", reason, n))
        old = index_dir.with_name(f".{index_dir.name}.old-{uuid.uuid4().hex[:8]}")
        if index_dir.exists():
            index_dir.rename(old)
        tmp.rename(index_dir)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(
            f"cannot write the index at {index_dir}: {exc}",
            hint="check that the directory is writable and the disk has space",
        ) from exc
    return BuildReport("full", reason, n_docs=n, n_added=n)


def _why_full(state: dict | None, output_dir: Path, pending: list[str], feed) -> str | None:
    if state is None:
        return "no index yet"
    if state.get("format") != INDEX_FORMAT:
        return "index format changed"
    if state.get("output_dir") != str(Path(output_dir).resolve()):
        return "index was built from another output"
    if feed is None:
        return "output has no change feed"
    missing = [r for r in pending if r not in feed]
    if missing:
        return f"no change file for run(s) {', '.join(missing)}"
    return None


def build_index(
    output_dir: Path, index_dir: Path, *, full: bool = False, tokenizer: Tokenizer | None = None
) -> BuildReport:
    """Build (``full=True`` or when needed) or update the index of ``output_dir`` in ``index_dir``."""
    output_dir, index_dir = Path(output_dir), Path(index_dir)
    if not (output_dir / "articles").is_dir():
        raise UsageError(
            f"{output_dir} has no articles table",
            hint="pass the output directory of `pagesplit run` (it holds articles/, segments/, …)",
        )
    tokenizer = tokenizer or get_tokenizer()
    runs = list(list_runs(output_dir))
    state = read_state(index_dir)
    feed = read_changes(output_dir)
    done = set((state or {}).get("runs", []))
    pending = [r for r in runs if r not in done]
    reason = "requested (--full)" if full else _why_full(state, output_dir, pending, feed)
    if reason:
        return _full(output_dir, index_dir, runs, reason, tokenizer)

    touched: set[str] = set()
    for run in pending:
        for ids in feed[run].values():
            touched |= ids
    index = tantivy.Index.open(str(index_dir))
    n_added = 0
    if touched:
        writer = index.writer(WRITER_HEAP)
        for aid in sorted(touched):
            writer.delete_documents_by_term("article_id", aid)
        where = pc.field("article_id").isin(sorted(touched))
        articles = read_table(output_dir, "articles", filter=where)
        segments = read_table(output_dir, "segments", filter=where)
        n_added = _add_rows(writer, articles, segments, tokenizer)
        writer.commit()
        writer.wait_merging_threads()
    index.reload()
    n_docs = index.searcher().num_docs
    expected = _article_count(output_dir)
    if n_docs != expected:
        return _full(
            output_dir, index_dir, runs,
            f"index held {n_docs} articles after the update, output has {expected}", tokenizer,
        )  # fmt: skip
    mode = "incremental" if pending else "unchanged"
    why = f"applied change feed of {len(pending)} run(s)" if pending else "no new runs"
    write_state(index_dir, _state(output_dir, runs, mode, why, n_docs))
    return BuildReport(mode, why, n_docs=n_docs, n_touched=len(touched), n_added=n_added)
