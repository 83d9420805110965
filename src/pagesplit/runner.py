"""A run: plan the issues of an input, process each issue, write its partitions, record the run.

The Prefect flow (``pipelines/nightly.py``) calls ``plan`` once and ``process_issue_batch`` per
issue as tasks; ``run`` does the same in-process without Prefect (tests, evaluation, debugging).
Between steps only paths and small summaries travel, never page text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import groupby
from pathlib import Path

from . import io, schema
from .boilerplate import recurring_keys
from .errors import PageRejected
from .ingest import Reject, discover, load_page, read_manifest
from .pipeline import PipelineConfig, process_issue
from .types import PageRef

RUNS_DIR = "_runs"
STATE_DIR = "_state"
# A line key enters a publication's table of recurring boilerplate once seen in this many
# issues: two nights agreeing is already strong evidence for a page-edge line.
KNOWN_MIN_ISSUES = 2


@dataclass(frozen=True)
class IssueBatch:
    """One issue of a newspaper: what a task processes. Small: paths only."""

    publication: str
    issue_date: str
    pages: tuple[PageRef, ...]

    def to_dict(self) -> dict:
        return {"publication": self.publication, "issue_date": self.issue_date, "pages": [asdict(p) for p in self.pages]}

    @classmethod
    def from_dict(cls, d: dict) -> "IssueBatch":
        return cls(d["publication"], d["issue_date"], tuple(PageRef(**p) for p in d["pages"]))


@dataclass
class IssueSummary:
    publication: str
    issue_date: str
    pages: int = 0
    rejected: int = 0
    articles: int = 0
    segments: int = 0
    chars: int = 0
    removed: dict = field(default_factory=dict)  # kind -> chars
    seconds: float = 0.0


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def plan(input_root: Path, manifest: Path | None = None) -> tuple[list[IssueBatch], list[Reject]]:
    refs, rejects = read_manifest(manifest, input_root) if manifest else discover(input_root)
    key = lambda r: (r.publication, r.issue_date)  # noqa: E731
    batches = [
        IssueBatch(pub, date, tuple(sorted(group, key=lambda r: (r.page_no, r.source_path))))
        for (pub, date), group in groupby(sorted(refs, key=key), key=key)
    ]
    return batches, rejects


def process_issue_batch(
    input_root: Path,
    output_root: Path,
    batch: IssueBatch,
    run_id: str,
    tokenizer,
    *,
    config: PipelineConfig = PipelineConfig(),
) -> IssueSummary:
    """Decode, process and write one issue; bad pages become rejects of that issue."""
    t0 = time.perf_counter()
    pages, rejects = [], []
    for ref in batch.pages:
        try:
            pages.append(load_page(input_root, ref))
        except PageRejected as exc:
            rejects.append(Reject(ref.source_path, exc.reason, exc.detail, ref.publication, ref.issue_date))
    known = _load_known(output_root, batch.publication)
    results = process_issue(pages, tokenizer, known_boilerplate=known, config=config) if pages else ()

    out = Path(output_root)
    pub, date = batch.publication, batch.issue_date
    io.write_partition(out, "pages", schema.pages_table(results, run_id), pub, date)
    io.write_partition(out, "segments", schema.segments_table(results, run_id), pub, date)
    io.write_partition(out, "articles", schema.articles_table(results, run_id), pub, date)
    io.write_partition(out, "rejects", schema.rejects_table([r.as_row() for r in rejects], run_id), pub, date)
    if pages:
        _update_known(output_root, batch.publication, batch.issue_date, results)

    removed: Counter = Counter()
    for r in results:
        for s in r.segments:
            if s.removal is not None:
                removed[s.removal.kind] += len(s.text)
    return IssueSummary(
        publication=pub,
        issue_date=date,
        pages=len(results),
        rejected=len(rejects),
        articles=sum(len(r.articles) for r in results),
        segments=sum(len(r.segments) for r in results),
        chars=sum(len(r.page.text) for r in results),
        removed=dict(removed),
        seconds=round(time.perf_counter() - t0, 3),
    )


def write_plan_rejects(output_root: Path, rejects: list[Reject], run_id: str) -> None:
    """Rejects found while planning (bad paths, bad manifest rows), in the 'unknown' partition."""
    rows = [r.as_row() | {"publication": None, "issue_date": None} for r in rejects]
    io.write_partition(Path(output_root), "rejects", schema.rejects_table(rows, run_id), None, None)


def write_run_manifest(output_root: Path, run_id: str, record: dict) -> Path:
    runs = Path(output_root) / RUNS_DIR
    runs.mkdir(parents=True, exist_ok=True)
    path = runs / f"{run_id}.json"
    tmp = runs / f"_tmp-{run_id}.json"
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path


def summarize(run_id: str, input_root: Path, output_root: Path, issues: list[IssueSummary], plan_rejects: list[Reject], seconds: float) -> dict:
    removed: Counter = Counter()
    for s in issues:
        removed.update(s.removed)
    return {
        "run_id": run_id,
        "input_root": str(Path(input_root).resolve()),
        "output_root": str(Path(output_root).resolve()),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "issues": len(issues),
        "pages": sum(s.pages for s in issues),
        "articles": sum(s.articles for s in issues),
        "rejected": sum(s.rejected for s in issues) + len(plan_rejects),
        "chars": sum(s.chars for s in issues),
        "removed_chars": dict(removed),
        "seconds": round(seconds, 2),
        "issue_summaries": [asdict(s) for s in issues],
        "plan_rejects": [r.as_row() for r in plan_rejects],
    }


def run(input_root: Path, output_root: Path, *, manifest: Path | None = None, tokenizer=None, run_id: str | None = None) -> dict:
    """Process everything under ``input_root`` in this process (no Prefect)."""
    from .tokens import get_tokenizer

    t0 = time.perf_counter()
    run_id = run_id or new_run_id()
    tokenizer = tokenizer or get_tokenizer()
    batches, plan_rejects = plan(input_root, manifest)
    summaries = [process_issue_batch(input_root, output_root, b, run_id, tokenizer) for b in batches]
    write_plan_rejects(output_root, plan_rejects, run_id)
    record = summarize(run_id, input_root, output_root, summaries, plan_rejects, time.perf_counter() - t0)
    write_run_manifest(output_root, run_id, record)
    return record


# --- the per-publication table of recurring boilerplate lines ------------------------------

def _state_path(output_root: Path, publication: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in publication)
    return Path(output_root) / STATE_DIR / "boilerplate" / f"{safe}.json"


def _load_known(output_root: Path, publication: str) -> frozenset[str]:
    path = _state_path(output_root, publication)
    if not path.exists():
        return frozenset()
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return frozenset()  # a damaged table only costs cross-issue evidence; it is rebuilt
    return frozenset(k for k, issues in table.items() if len(issues) >= KNOWN_MIN_ISSUES)


def _update_known(output_root: Path, publication: str, issue_date: str, results) -> None:
    path = _state_path(output_root, publication)
    try:
        table = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, json.JSONDecodeError):
        table = {}
    for k in recurring_keys(results):
        dates = set(table.get(k, []))
        dates.add(issue_date)
        table[k] = sorted(dates)[-30:]  # the last 30 issues are enough evidence
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"_tmp-{uuid.uuid4().hex}.json")
    tmp.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
