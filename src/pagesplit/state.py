"""What an output holds, as of its last successful run: the committed state an incremental run
compares its input against.

Layout, under ``OUTPUT/_state/``::

    CURRENT                      the name of the committed state directory (switched atomically)
    commit-<run_id>/pages.parquet     source_path, publication, issue_date, size, mtime_ns, sha256
    commit-<run_id>/issues.parquet    publication, issue_date, content_fp, inputs_fp, keys, run_id
    commit-<run_id>/articles.parquet  publication, issue_date, article_id, content_hash
    commit-<run_id>/run.json          the run's manifest (republished to _runs/ if a crash lost it)
    inflight.json                issues whose partitions a run may have touched before committing

A run writes a whole new ``commit-<run_id>/`` directory and then replaces ``CURRENT`` with
``os.replace``: that rename is the commit. A run killed earlier leaves ``CURRENT`` on the previous
state, and ``inflight.json`` names the issues it may have rewritten, so the next run reprocesses
them and reports their changes against the previous state.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import OutputError

STATE_DIR = "_state"
CURRENT = "CURRENT"
INFLIGHT = "inflight.json"
COMMIT_PREFIX = "commit-"

PAGES = pa.schema(
    [("source_path", pa.string()), ("publication", pa.string()), ("issue_date", pa.string()),
     ("size", pa.int64()), ("mtime_ns", pa.int64()), ("sha256", pa.string())]
)  # fmt: skip
ISSUES = pa.schema(
    [("publication", pa.string()), ("issue_date", pa.string()), ("content_fp", pa.string()),
     ("inputs_fp", pa.string()), ("keys", pa.list_(pa.string())), ("run_id", pa.string())]
)  # fmt: skip
ARTICLES = pa.schema(
    [("publication", pa.string()), ("issue_date", pa.string()), ("article_id", pa.string()),
     ("content_hash", pa.string())]
)  # fmt: skip

IssueKey = tuple[str, str]  # (publication, issue_date)


@dataclass(frozen=True)
class PageState:
    source_path: str
    publication: str
    issue_date: str
    size: int
    mtime_ns: int
    sha256: str | None  # None: the file could not be read


@dataclass(frozen=True)
class IssueState:
    publication: str
    issue_date: str
    content_fp: str  # hash of the issue's page list and page hashes
    inputs_fp: str  # content_fp + the boilerplate evidence it was processed with + code version
    keys: tuple[str, ...]  # its recurring page-furniture line keys (evidence for later issues)
    run_id: str  # the run that last wrote its partitions
    articles: dict[str, str] = field(default_factory=dict)  # article_id -> content hash


@dataclass
class State:
    commit: str | None = None
    pages: dict[str, PageState] = field(default_factory=dict)  # by source_path
    issues: dict[IssueKey, IssueState] = field(default_factory=dict)


def _root(output_root: Path) -> Path:
    return Path(output_root) / STATE_DIR


def current_commit(output_root: Path) -> str | None:
    try:
        name = (_root(output_root) / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def load(output_root: Path) -> State:
    """The committed state (empty for a new output or one written before incremental runs)."""
    name = current_commit(output_root)
    if name is None:
        return State()
    d = _root(output_root) / name
    try:
        pages = pq.read_table(d / "pages.parquet").to_pylist()
        issues = pq.read_table(d / "issues.parquet").to_pylist()
        articles = pq.read_table(d / "articles.parquet").to_pylist()
    except OSError as exc:
        raise OutputError(
            f"cannot read the output's state {d}: {exc}",
            hint="the state is damaged: run with --full to rebuild it from the input",
        ) from exc
    state = State(commit=name)
    for p in pages:
        state.pages[p["source_path"]] = PageState(**p)
    for i in issues:
        key = (i["publication"], i["issue_date"])
        state.issues[key] = IssueState(**{**i, "keys": tuple(i["keys"] or ())})
    for a in articles:
        issue = state.issues.get((a["publication"], a["issue_date"]))
        if issue is not None:
            issue.articles[a["article_id"]] = a["content_hash"]
    return state


def _write(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd")
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def commit(output_root: Path, run_id: str, state: State, record: dict) -> str:
    """Write ``state`` as ``commit-<run_id>/`` and make it current (the atomic step)."""
    root = _root(output_root)
    name = f"{COMMIT_PREFIX}{run_id}"
    d = root / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    pages = sorted(state.pages.values(), key=lambda p: p.source_path)
    issues = sorted(state.issues.values(), key=lambda i: (i.publication, i.issue_date))
    _write(pa.Table.from_pylist([p.__dict__ for p in pages], schema=PAGES), d / "pages.parquet")
    _write(
        pa.Table.from_pylist(
            [{k: v for k, v in i.__dict__.items() if k != "articles"} | {"keys": list(i.keys)} for i in issues],
            schema=ISSUES,
        ),
        d / "issues.parquet",
    )
    rows = [
        {"publication": i.publication, "issue_date": i.issue_date, "article_id": a, "content_hash": h}
        for i in issues
        for a, h in sorted(i.articles.items())
    ]
    _write(pa.Table.from_pylist(rows, schema=ARTICLES), d / "articles.parquet")
    (d / "run.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp = root / f"_tmp-{uuid.uuid4().hex}"
    tmp.write_text(name, encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, root / CURRENT)
    dir_fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)
    state.commit = name
    return name


def committed_record(output_root: Path) -> dict | None:
    """The run manifest stored with the current state (None when there is none)."""
    name = current_commit(output_root)
    if name is None:
        return None
    try:
        return json.loads((_root(output_root) / name / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def remove_stale(output_root: Path) -> None:
    """Delete state directories and temporary files other than the current state."""
    root = _root(output_root)
    if not root.is_dir():
        return
    keep = current_commit(output_root)
    for p in root.iterdir():
        if p.name.startswith(COMMIT_PREFIX) and p.name != keep:
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith("_tmp-"):
            p.unlink(missing_ok=True)


def read_inflight(output_root: Path) -> set[IssueKey]:
    path = _root(output_root) / INFLIGHT
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError):
        # Unreadable: we cannot tell which issues a crashed run touched. Treating every issue as
        # touched is safe; callers get None-like "all" via the sentinel below.
        return {("*", "*")}
    return {tuple(k) for k in data.get("issues", [])}


def write_inflight(output_root: Path, run_id: str, issues: set[IssueKey]) -> None:
    root = _root(output_root)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f"_tmp-{uuid.uuid4().hex}"
    tmp.write_text(json.dumps({"run_id": run_id, "issues": sorted(issues)}), encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, root / INFLIGHT)


def clear_inflight(output_root: Path) -> None:
    (_root(output_root) / INFLIGHT).unlink(missing_ok=True)
