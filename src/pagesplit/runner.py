"""A run: plan the issues of an input, decide which need work, process them, commit the result.

Steps (``execute`` wires them; the Prefect flow ``pipelines/nightly.py`` passes task-mapping
functions, ``run`` does everything in this process):

1. ``prepare``: list the input's pages, load the committed state (``state.py``), ``stat`` every
   page. An issue whose pages all have the size and mtime recorded at the last success reuses the
   recorded hashes; any other issue is *scanned*.
2. ``scan_issue`` (per issue, no model): hash every page's bytes, find its page furniture (running
   heads, credits, page numbers, date lines) — the evidence later issues of the publication use.
3. ``decide``: per issue, the fingerprint of what its output depends on — its page list and page
   hashes, the furniture evidence of the publication's previous ``KNOWN_WINDOW`` issues in the
   input, the code version. An issue is processed when that changed, when it is new, when a
   killed run may have left it half-written (in-flight), or with ``full``. Issues with no page
   left are deleted.
4. ``process_issue_batch`` (per issue): decode, run the pipeline, write the four tables together.
5. ``finish``: change feed (articles added/changed/deleted, by content hash), new state (atomic
   switch), run manifest.

An issue's output is a function of the input only: re-running changes nothing, and a run killed
at any point is completed by the next one. Between steps only paths and small summaries travel.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import time
import traceback
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Callable, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from . import __version__, crashpoints, io, junction, schema, state
from .blocks import read_lines
from .boilerplate import RECURRING_REASONS, line_key
from .changes import CHANGES_DIR
from .errors import PagesplitError, PageRejected
from .ingest import Reject, discover, load_page, page_from_bytes, read_manifest, read_page_bytes
from .lock import output_lock
from .pipeline import PipelineConfig, find_furniture, process_issue
from .script import to_simplified
from .state import IssueState, PageState, State
from .types import PageRef

RUNS_DIR = "_runs"
FAILED_DIR = "_failed"  # under _runs/: readers of run manifests only glob _runs/*.json
# A line key counts as a publication's recurring furniture when seen in at least this many of the
# issue's previous KNOWN_WINDOW issues: two nights agreeing is already strong evidence for a
# page-edge line; thirty issues (a month of a daily) follow a redesign within weeks.
KNOWN_MIN_ISSUES = 2
KNOWN_WINDOW = 30
# Part of every issue's fingerprint: a new release or schema reprocesses everything on its own.
CODE_VERSION = f"pagesplit {__version__} schema {schema.SCHEMA_VERSION}"
TEST_TOKENIZER_ENV = "PAGESPLIT_TEST_TOKENIZER"

IssueKey = tuple[str, str]


@dataclass(frozen=True)
class IssueBatch:
    """One issue of a newspaper: what a task processes. Small: paths only."""

    publication: str
    issue_date: str
    pages: tuple[PageRef, ...]

    @property
    def key(self) -> IssueKey:
        return (self.publication, self.issue_date)

    def to_dict(self) -> dict:
        return {"publication": self.publication, "issue_date": self.issue_date, "pages": [asdict(p) for p in self.pages]}

    @classmethod
    def from_dict(cls, d: dict) -> "IssueBatch":
        return cls(d["publication"], d["issue_date"], tuple(PageRef(**p) for p in d["pages"]))


@dataclass(frozen=True)
class IssueScan:
    """An issue's pages as found on disk (size, mtime, sha256) and its page-furniture keys."""

    publication: str
    issue_date: str
    pages: tuple[PageState, ...]
    keys: tuple[str, ...]

    @property
    def key(self) -> IssueKey:
        return (self.publication, self.issue_date)

    @property
    def content_fp(self) -> str:
        h = hashlib.sha256()
        for p in sorted(self.pages, key=lambda p: p.source_path):
            h.update(f"{p.source_path}\0{p.sha256}\n".encode())
        return h.hexdigest()

    def to_dict(self) -> dict:
        return {"publication": self.publication, "issue_date": self.issue_date,
                "pages": [asdict(p) for p in self.pages], "keys": list(self.keys)}  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict) -> "IssueScan":
        return cls(d["publication"], d["issue_date"], tuple(PageState(**p) for p in d["pages"]), tuple(d["keys"]))


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
    article_hashes: dict = field(default_factory=dict)  # article_id -> content hash
    page_sha256: dict = field(default_factory=dict)  # source_path -> sha256 of the bytes processed


@dataclass
class Prepared:
    run_id: str
    input_root: Path
    output_root: Path
    full: bool
    batches: list[IssueBatch]
    plan_rejects: list[Reject]
    state: State
    inflight: set[IssueKey]
    reused: dict[IssueKey, IssueScan]
    to_scan: list[IssueBatch]
    started_at: str
    timings: dict = field(default_factory=dict)


@dataclass
class Work:
    prepared: Prepared
    scans: dict[IssueKey, IssueScan]
    inputs_fp: dict[IssueKey, str]
    process: list[tuple[IssueBatch, tuple[str, ...]]]  # (issue, known furniture keys)
    delete: list[IssueKey]


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def run_tokenizer():
    """The tokenizer of this process: pkuseg (loaded once per process), or the test stand-in when
    ``PAGESPLIT_TEST_TOKENIZER=chars`` (crash tests only; recorded in the run manifest)."""
    if os.environ.get(TEST_TOKENIZER_ENV) == "chars":
        from .testing import CharTokenizerForTests

        return CharTokenizerForTests()
    return _loaded_tokenizer()


@lru_cache(maxsize=1)
def _loaded_tokenizer():
    """pkuseg and the models every issue reads, loaded once per process, then set out of the cyclic
    garbage collector's sight (``gc.freeze``): they live as long as the process, and each full
    collection walked all of their objects again (the cleanup stages of the 1,014 bench pages took
    7.4-7.8 s of CPU, 6.5-6.9 s with them frozen, one-off in one process; ``make bench``: the no-Dask
    run's CPU 64.2 -> 58.5 s between two rounds, a Dask worker's 65.9 -> 65.4 s). Objects freed later
    are still freed (reference counting); only cycles among them would stay."""
    from .joinmodel import join_model
    from .models import runtime_models
    from .tokens import get_tokenizer

    tokenizer = get_tokenizer()
    junction.default_model()
    runtime_models()
    join_model()
    gc.collect()
    gc.freeze()
    return tokenizer


def plan(input_root: Path, manifest: Path | None = None) -> tuple[list[IssueBatch], list[Reject]]:
    refs, rejects = read_manifest(manifest, input_root) if manifest else discover(input_root)
    key = lambda r: (r.publication, r.issue_date)  # noqa: E731
    batches = [
        IssueBatch(pub, date, tuple(sorted(group, key=lambda r: (r.page_no, r.source_path))))
        for (pub, date), group in groupby(sorted(refs, key=key), key=key)
    ]
    return batches, rejects


# --- 1. prepare ----------------------------------------------------------------------------

def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def prepare(
    input_root: Path,
    output_root: Path,
    *,
    manifest: Path | None = None,
    full: bool = False,
    rehash: bool = False,
    run_id: str | None = None,
) -> Prepared:
    """Plan the input and split its issues into those whose recorded hashes can be reused (every
    page's size and mtime unchanged) and those to scan. Cheap: one ``stat`` per page."""
    t0 = time.perf_counter()
    started_at = _now()
    input_root, output_root = Path(input_root), Path(output_root)
    batches, plan_rejects = plan(input_root, manifest)
    st = state.load(output_root)
    recorded: dict[IssueKey, dict[str, PageState]] = defaultdict(dict)
    for p in st.pages.values():
        recorded[(p.publication, p.issue_date)][p.source_path] = p
    reused: dict[IssueKey, IssueScan] = {}
    to_scan: list[IssueBatch] = []
    for b in batches:
        old = recorded.get(b.key, {})
        issue = st.issues.get(b.key)
        same = (
            not (full or rehash)
            and issue is not None
            and set(old) == {r.source_path for r in b.pages}
            and all(_stat(input_root / r.source_path) == (old[r.source_path].size, old[r.source_path].mtime_ns) for r in b.pages)
        )
        if same:
            reused[b.key] = IssueScan(b.publication, b.issue_date, tuple(old[r.source_path] for r in b.pages), issue.keys)
        else:
            to_scan.append(b)
    return Prepared(
        run_id=run_id or new_run_id(), input_root=input_root, output_root=output_root, full=full,
        batches=batches, plan_rejects=plan_rejects, state=st, inflight=state.read_inflight(output_root),
        reused=reused, to_scan=to_scan, started_at=started_at,
        timings={"prepare_s": round(time.perf_counter() - t0, 3)},
    )  # fmt: skip


# --- 2. scan -------------------------------------------------------------------------------

def scan_issue(input_root: Path, batch: IssueBatch) -> IssueScan:
    """Hash an issue's pages and find its recurring page furniture (no model; ~1 ms a page)."""
    pages: list[PageState] = []
    lines = []
    for ref in batch.pages:
        path = Path(input_root) / ref.source_path
        size, mtime = _stat(path)
        sha = None
        try:
            data = read_page_bytes(input_root, ref)
            sha = hashlib.sha256(data).hexdigest()
            lines.append(read_lines(to_simplified(page_from_bytes(ref, data).text)))  # as process_issue reads it
        except PageRejected:
            pass  # the processing step records the reject
        pages.append(PageState(ref.source_path, ref.publication, ref.issue_date, size, mtime, sha))
    keys: set[str] = set()
    for ls, found in zip(lines, find_furniture(lines)[2] if lines else ()):
        keys.update(line_key(ls[i].clean) for i, r in found.items() if r.reason in RECURRING_REASONS)
    return IssueScan(batch.publication, batch.issue_date, tuple(pages), tuple(sorted(keys)))


# --- 3. decide -----------------------------------------------------------------------------

def known_furniture(scans: Iterable[IssueScan]) -> dict[IssueKey, tuple[str, ...]]:
    """For each issue, the furniture keys seen in ≥ KNOWN_MIN_ISSUES of the publication's previous
    KNOWN_WINDOW issues of the input (so an issue's output depends on the input only)."""
    by_pub: dict[str, list[IssueScan]] = defaultdict(list)
    for s in scans:
        by_pub[s.publication].append(s)
    known: dict[IssueKey, tuple[str, ...]] = {}
    for issues in by_pub.values():
        issues.sort(key=lambda s: s.issue_date)
        window: Counter = Counter()
        for j, s in enumerate(issues):
            known[s.key] = tuple(sorted(k for k, n in window.items() if n >= KNOWN_MIN_ISSUES))
            window.update(set(s.keys))
            if j - KNOWN_WINDOW >= 0:
                window.subtract(set(issues[j - KNOWN_WINDOW].keys))
    return known


def _inputs_fp(scan: IssueScan, known: tuple[str, ...]) -> str:
    h = hashlib.sha256(f"{CODE_VERSION}\n{scan.content_fp}\n".encode())
    for k in known:
        h.update(k.encode() + b"\n")
    return h.hexdigest()


def decide(prep: Prepared, scans: Iterable[IssueScan]) -> Work:
    all_scans = dict(prep.reused)
    for s in scans:
        all_scans[s.key] = s
    known = known_furniture(all_scans.values())
    fps = {k: _inputs_fp(s, known[k]) for k, s in all_scans.items()}
    everything = ("*", "*") in prep.inflight  # an unreadable in-flight record
    process = []
    for b in prep.batches:
        old = prep.state.issues.get(b.key)
        if prep.full or everything or b.key in prep.inflight or old is None or old.inputs_fp != fps[b.key]:
            process.append((b, known[b.key]))
    present = {b.key for b in prep.batches}
    delete = sorted(k for k in prep.state.issues if k not in present)
    delete += sorted(k for k in prep.inflight if k not in present and k not in prep.state.issues and k != ("*", "*"))
    return Work(prep, all_scans, fps, process, delete)


def begin(work: Work) -> None:
    """Record the issues this run may rewrite before touching any of them."""
    touched = {b.key for b, _ in work.process} | set(work.delete)
    if touched:
        state.write_inflight(work.prepared.output_root, work.prepared.run_id, touched | work.prepared.inflight)


# --- 4. process ----------------------------------------------------------------------------

def _digest(row: dict) -> str:
    return hashlib.sha256(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:32]


def article_hashes(articles: pa.Table, segments: pa.Table) -> dict[str, str]:
    """article_id → hash of everything a reader sees of it: its row and its segments' rows (run ids
    aside). Equal hashes across runs mean the article did not change."""
    segs: dict[str, list[dict]] = defaultdict(list)
    for s in segments.drop_columns(["run_id"]).to_pylist():
        if s["article_id"]:
            segs[s["article_id"]].append(s)
    return {
        a["article_id"]: _digest({"article": a, "segments": segs.get(a["article_id"], [])})
        for a in articles.drop_columns(["run_id"]).to_pylist()
    }


def process_issue_batch(
    input_root: Path,
    output_root: Path,
    batch: IssueBatch,
    run_id: str,
    tokenizer=None,
    *,
    known: Iterable[str] = (),
    config: PipelineConfig = PipelineConfig(),
) -> IssueSummary:
    """Decode, process and write one issue (its four tables together); bad pages become rejects.
    ``tokenizer`` defaults to ``run_tokenizer()``."""
    t0 = time.perf_counter()
    pages, rejects = [], []
    for ref in batch.pages:
        try:
            pages.append(load_page(input_root, ref))
        except PageRejected as exc:
            rejects.append(Reject(ref.source_path, exc.reason, exc.detail, ref.publication, ref.issue_date))
    results = ()
    pub_date = (batch.publication, batch.issue_date)
    if pages:
        tokenizer = tokenizer or run_tokenizer()
        try:
            results = process_issue(
                pages, tokenizer, known_boilerplate=frozenset(known), config=config, junction_model=junction.default_model()
            )
        except PagesplitError:
            raise  # a coded, run-level error (a missing or corrupt model): stop and say so
        except Exception as exc:  # a bug met on this issue's text: the run goes on, nothing vanishes
            detail = f"{type(exc).__name__}: {exc}"[:500]
            rejects += [Reject(p.ref.source_path, "internal_error", detail, pub_date[0], pub_date[1]) for p in pages]
            results = ()

    pub, date = batch.publication, batch.issue_date
    tables = {
        "pages": schema.pages_table(results, run_id),
        "segments": schema.segments_table(results, run_id),
        "articles": schema.articles_table(results, run_id),
        "rejects": schema.rejects_table([r.as_row() for r in rejects], run_id),
    }
    hashes = article_hashes(tables["articles"], tables["segments"])
    crash_after_rename = lambda i: crashpoints.reached("issue_renamed")  # noqa: E731
    io.write_issue(Path(output_root), tables, pub, date, after_rename=crash_after_rename, before_rename=lambda: crashpoints.reached("issue_staged"))
    crashpoints.reached("issue_done")

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
        article_hashes=hashes,
        page_sha256={r.page.ref.source_path: r.page.sha256 for r in results},
    )


def delete_issue(output_root: Path, key: IssueKey) -> None:
    for name in schema.TABLES:
        io.delete_partition(Path(output_root), name, key[0], key[1])


def write_plan_rejects(output_root: Path, rejects: list[Reject], run_id: str) -> None:
    """Rejects found while planning (bad paths, bad manifest rows), in the 'unknown' partition."""
    if not rejects and not (io.partition_dir(output_root, "rejects", None, None) / io.DATA_FILE).exists():
        return  # nothing to record, nothing to clear
    rows = [r.as_row() | {"publication": None, "issue_date": None} for r in rejects]
    io.write_partition(Path(output_root), "rejects", schema.rejects_table(rows, run_id), None, None)


# --- 5. finish -----------------------------------------------------------------------------

FEED_SCHEMA = pa.schema(
    [("article_id", pa.string()), ("change", pa.string()), ("run_id", pa.string()),
     ("publication", pa.string()), ("issue_date", pa.string())]
)  # fmt: skip


def diff_articles(old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str]]:
    """(article_id, change) rows between two article_id → content-hash maps, sorted by id."""
    rows = [(a, "added") for a in new if a not in old]
    rows += [(a, "deleted") for a in old if a not in new]
    rows += [(a, "changed") for a in new if a in old and old[a] != new[a]]
    return sorted(rows)


def write_feed(output_root: Path, run_id: str, rows: list[dict]) -> Path:
    """``_changes/<run_id>.parquet`` (written even when empty: "this run changed nothing")."""
    d = Path(output_root) / CHANGES_DIR
    d.mkdir(parents=True, exist_ok=True)
    tmp = d / f"_tmp-{uuid.uuid4().hex}.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=FEED_SCHEMA), tmp, compression="zstd")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    path = d / f"{run_id}.parquet"
    os.replace(tmp, path)
    return path


def write_run_manifest(output_root: Path, run_id: str, record: dict, *, failed: bool = False) -> Path:
    runs = Path(output_root) / RUNS_DIR / (FAILED_DIR if failed else "")
    runs.mkdir(parents=True, exist_ok=True)
    path = runs / f"{run_id}.json"
    tmp = runs / f"_tmp-{run_id}.json"
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path


def finish(work: Work, summaries: list[IssueSummary], timings: dict) -> dict:
    """Change feed → new state (the commit) → run manifest; then forget the in-flight record."""
    prep = work.prepared
    t0 = time.perf_counter()
    old = prep.state
    new = State(pages={}, issues={})
    done = {(s.publication, s.issue_date): s for s in summaries}
    feed: list[dict] = []
    for b in prep.batches:
        scan = work.scans[b.key]
        s = done.get(b.key)
        fp = work.inputs_fp[b.key]
        if s is None:  # skipped: carried over as committed
            new.issues[b.key] = old.issues[b.key]
        else:
            if any(s.page_sha256.get(p.source_path, p.sha256) != p.sha256 for p in scan.pages):
                fp = ""  # a page changed between scan and processing: redo it next run
            before = old.issues[b.key].articles if b.key in old.issues else {}
            for aid, change in diff_articles(before, s.article_hashes):
                feed.append({"article_id": aid, "change": change, "run_id": prep.run_id,
                             "publication": b.publication, "issue_date": b.issue_date})  # fmt: skip
            new.issues[b.key] = IssueState(b.publication, b.issue_date, scan.content_fp, fp, scan.keys, prep.run_id, dict(s.article_hashes))
        for p in scan.pages:
            new.pages[p.source_path] = p
    for key in work.delete:
        before = old.issues[key].articles if key in old.issues else {}
        for aid, change in diff_articles(before, {}):
            feed.append({"article_id": aid, "change": change, "run_id": prep.run_id, "publication": key[0], "issue_date": key[1]})
    write_feed(prep.output_root, prep.run_id, feed)
    crashpoints.reached("feed_written")

    changes = Counter(r["change"] for r in feed)
    record = summarize(work, summaries, changes, timings)
    record["timings"]["commit_s"] = round(time.perf_counter() - t0, 3)
    record["articles_in_output"] = sum(len(i.articles) for i in new.issues.values())
    state.commit(prep.output_root, prep.run_id, new, record)
    crashpoints.reached("state_committed")
    write_run_manifest(prep.output_root, prep.run_id, record)
    state.clear_inflight(prep.output_root)
    state.remove_stale(prep.output_root)
    return record


def summarize(work: Work, issues: list[IssueSummary], changes: Counter, timings: dict) -> dict:
    prep = work.prepared
    removed: Counter = Counter()
    for s in issues:
        removed.update(s.removed)
    processed = {(s.publication, s.issue_date) for s in issues}
    pages_seen = sum(len(b.pages) for b in prep.batches)
    pages_processed = sum(len(b.pages) for b in prep.batches if b.key in processed)
    rejected = sum(s.rejected for s in issues)
    return {
        "run_id": prep.run_id,
        "status": "succeeded",
        "mode": "full" if prep.full else "incremental",
        "started_at": prep.started_at,
        "finished_at": _now(),
        "input_root": str(prep.input_root.resolve()),
        "output_root": str(prep.output_root.resolve()),
        "code_version": CODE_VERSION,
        "tokenizer": "TEST chars" if os.environ.get(TEST_TOKENIZER_ENV) == "chars" else "spacy-zh+pkuseg",
        "inputs": {
            "issues_seen": len(prep.batches),
            "pages_seen": pages_seen,
            "pages_hashed": sum(len(b.pages) for b in prep.to_scan),
            "pages_size_mtime_unchanged": pages_seen - sum(len(b.pages) for b in prep.to_scan),
        },
        "issues": len(issues),
        "issues_skipped": len(prep.batches) - len(issues),
        "issues_deleted": len(work.delete),
        "pages": sum(s.pages for s in issues),  # pages processed into articles by this run
        "pages_processed": pages_processed,
        "pages_skipped": pages_seen - pages_processed,
        "pages_rejected": rejected,
        "articles": sum(s.articles for s in issues),  # articles written by this run
        "rejected": rejected + len(prep.plan_rejects),
        "chars": sum(s.chars for s in issues),
        "removed_chars": dict(removed),
        "changes": {k: changes.get(k, 0) for k in ("added", "changed", "deleted")},
        "partitions_changed": [
            {"publication": s.publication, "issue_date": s.issue_date, "action": "written"} for s in issues
        ] + [{"publication": k[0], "issue_date": k[1], "action": "deleted"} for k in work.delete],
        "timings": dict(timings),
        "seconds": round(sum(v for k, v in timings.items() if k.endswith("_s")), 2),
        "issue_summaries": [{k: v for k, v in asdict(s).items() if k not in ("article_hashes", "page_sha256")} for s in issues],
        "plan_rejects": [r.as_row() for r in prep.plan_rejects],
    }


def recover(output_root: Path) -> None:
    """Tidy what a killed run left (holding the lock): republish the manifest of a run that
    committed but died before publishing it; drop change files of runs that never succeeded (the
    next successful run reports those changes again); drop orphaned state directories."""
    out = Path(output_root)
    rec = state.committed_record(out)
    if rec and not (out / RUNS_DIR / f"{rec['run_id']}.json").exists():
        write_run_manifest(out, rec["run_id"], rec)
    changes = out / CHANGES_DIR
    if changes.is_dir():
        runs = {p.stem for p in (out / RUNS_DIR).glob("*.json")} if (out / RUNS_DIR).is_dir() else set()
        for p in changes.glob("*.parquet"):
            if p.name.startswith("_tmp-") or p.stem not in runs:
                p.unlink(missing_ok=True)
    state.remove_stale(out)


# --- task groups (the Prefect flow) --------------------------------------------------------

# Pages per process task. An orchestrated task costs ~0.15 s of CPU (the worker's task engine,
# the flow's submission, the API server's state writes) whatever it does; an issue takes ~0.35 s
# (ten pages), so a task per issue spent 40 % of the CPU on orchestration on 2 cores. 100 pages
# (~3 s of work) keep it under 5 %.
PAGES_PER_PROCESS_TASK = 100
# ... and at least this many tasks per worker, so that the workers finish close together.
TASKS_PER_WORKER = 4
# The scan is ~1.5 ms a page (hash, lines, furniture): one task per worker unless huge.
PAGES_PER_SCAN_TASK = 2000


def task_groups(items: list, pages: Callable[[object], int], *, per_task: int, workers: int = 1, per_worker: int = 1) -> list[list]:
    """Split ``items`` (issues, in order) into consecutive groups of about ``per_task`` pages, at
    least ``workers * per_worker`` groups and a multiple of ``workers`` when there are enough
    items; order is kept.

    A multiple, because the last round of tasks is where workers idle: 11 equal tasks on 2
    workers run as 6 rounds, a twelfth of the work with one worker idle (1,014 composed pages:
    11 groups of ~92 pages; 12 of ~85 finish together)."""
    total = sum(pages(i) for i in items)
    n = min(len(items), max(-(-total // per_task), workers * per_worker))
    if workers > 1:
        n = min(len(items), -(-n // workers) * workers)
    groups: list[list] = []
    done = 0
    for item in items:
        # open a new group when this one reached its share of the pages done so far
        if not groups or (len(groups) < n and done >= total * len(groups) / n):
            groups.append([])
        groups[-1].append(item)
        done += pages(item)
    return groups


# --- the whole run -------------------------------------------------------------------------

ScanMap = Callable[[Path, list[IssueBatch]], Iterable[IssueScan]]
ProcessMap = Callable[[Path, Path, list[tuple[IssueBatch, tuple[str, ...]]], str], Iterable[IssueSummary]]


def _scan_here(input_root: Path, batches: list[IssueBatch]) -> Iterable[IssueScan]:
    return (scan_issue(input_root, b) for b in batches)


def _process_here(tokenizer) -> ProcessMap:
    def go(input_root, output_root, items, run_id):
        for b, known in items:
            yield process_issue_batch(input_root, output_root, b, run_id, tokenizer, known=known)

    return go


def execute(
    input_root: Path,
    output_root: Path,
    *,
    manifest: Path | None = None,
    full: bool = False,
    rehash: bool = False,
    wait: float = 0.0,
    run_id: str | None = None,
    scan_map: ScanMap = _scan_here,
    process_map: ProcessMap | None = None,
    tokenizer=None,
    progress=None,
) -> dict:
    """One run under the output's lock. ``scan_map``/``process_map`` run the per-issue steps (in
    this process by default; the Prefect flow maps them onto tasks)."""
    run_id = run_id or new_run_id()
    output_root = Path(output_root)
    process_map = process_map or _process_here(tokenizer)
    with output_lock(output_root, wait=wait, run_id=run_id):
        timings: dict = {}
        try:
            recover(output_root)
            prep = prepare(input_root, output_root, manifest=manifest, full=full, rehash=rehash, run_id=run_id)
            timings.update(prep.timings)
            t = time.perf_counter()
            scans = list(scan_map(prep.input_root, prep.to_scan))
            timings["scan_s"] = round(time.perf_counter() - t, 3)
            work = decide(prep, scans)
            begin(work)
            t = time.perf_counter()
            summaries = []
            issues_total = len(work.process)
            pages_total = sum(len(b.pages) for b, _ in work.process)
            pages_done = 0
            for summary in process_map(prep.input_root, output_root, work.process, run_id):
                summaries.append(summary)
                pages_done += summary.pages + summary.rejected
                if progress is not None:
                    progress(len(summaries), issues_total, pages_done, pages_total)
            for key in work.delete:
                delete_issue(output_root, key)
            write_plan_rejects(output_root, prep.plan_rejects, run_id)
            timings["process_s"] = round(time.perf_counter() - t, 3)
            with io.output_errors(f"the run's change feed, state and manifest in {work.prepared.output_root}"):
                return finish(work, summaries, timings)
        except BaseException as exc:
            write_run_manifest(output_root, run_id, {
                "run_id": run_id, "status": "failed", "finished_at": _now(),
                "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(limit=20),
                "timings": timings,
            }, failed=True)  # fmt: skip
            raise


def run(
    input_root: Path,
    output_root: Path,
    *,
    manifest: Path | None = None,
    tokenizer=None,
    run_id: str | None = None,
    full: bool = False,
    rehash: bool = False,
    wait: float = 0.0,
    progress=None,
) -> dict:
    """Process what changed under ``input_root`` in this process (no Prefect). The tokenizer is
    loaded only if some issue needs processing. ``progress(issues, issues_total, pages, pages_total)``
    is called as issues are written (see ``progress.reporter``)."""
    return execute(input_root, output_root, manifest=manifest, full=full, rehash=rehash, wait=wait,
                   run_id=run_id, tokenizer=tokenizer, progress=progress)  # fmt: skip
