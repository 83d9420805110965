"""Fixture outputs for the downstream tools (search, review), written without the pipeline:
pages whose segmentation is given by hand (or by the seed page's gold), converted to
``PageResult``s and written with ``pagesplit.schema`` + ``pagesplit.io`` like a real run.

Span format (the seed gold's): ``{start, end, label, article, role, seq, join}`` with ``label`` one
of ``article`` / ``boilerplate`` / ``duplicate`` / ``noise``; offsets are code points into the page.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from pagesplit.io import write_partition
from pagesplit.schema import articles_table, pages_table, segments_table
from pagesplit.types import Article, Page, PageRef, PageResult, Removal, Segment

FIXTURES = Path(__file__).parent / "fixtures"
RUN_ID = "fixture-run-1"
HEAD_ROLES = ("kicker", "headline", "subheadline", "byline")

# The hand-written page: one label per non-blank line, in order.
# (article, role) | (article, role, "+") for a fragment joined to the previous one | removal kind.
HAND_PAGE = ("hand", "demo-daily/2024-07-01/p02.txt", "demo-daily", "2024-07-01", 2)
HAND_LINES = [
    ("railway", "headline"),
    ("railway", "body"),
    ("railway", "body"),
    ("railway", "body", "+"),
    "boilerplate",
    ("park", "headline"),
    ("park", "body"),
    "boilerplate",
    ("park", "body"),
    "duplicate",
    "boilerplate",
    "boilerplate",
]


def clean(raw: str) -> str:
    """The reader's text of a line: heading marks and bold markers dropped."""
    return re.sub(r"^#+\s*", "", raw.strip()).replace("**", "").strip()


def spans_from_lines(text: str, labels: list) -> list[dict]:
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    assert len(lines) == len(labels), f"{len(lines)} lines, {len(labels)} labels"
    spans, seqs = [], {}
    for m, label in zip(lines, labels):
        lead = len(m.group()) - len(m.group().lstrip())
        span = {"start": m.start() + lead, "end": m.start() + len(m.group().rstrip())}
        if isinstance(label, str):
            span["label"] = label
        else:
            seq = seqs.get(label[0], 0)
            seqs[label[0]] = seq + 1
            span.update(label="article", article=label[0], role=label[1], seq=seq, join=len(label) > 2)
        spans.append(span)
    return spans


def page_result(ref: PageRef, text: str, spans: list[dict], tokenizer) -> PageResult:
    pid = ref.page_id
    names = list(dict.fromkeys(s["article"] for s in spans if s["label"] == "article"))
    aid = {n: f"{pid}#a{i}" for i, n in enumerate(names)}
    segments, by_text = [], {}
    for i, s in enumerate(sorted(spans, key=lambda s: s["start"])):
        seg_text = clean(text[s["start"] : s["end"]])
        sid = f"{pid}#s{i:03d}"
        if s["label"] == "article":
            seg = Segment(sid, s["start"], s["end"], seg_text, s["role"], article_id=aid[s["article"]],
                          article_seq=s["seq"], joins_previous=s["join"])  # fmt: skip
            by_text.setdefault(seg_text, sid)
        else:
            kind = s["label"]
            removal = Removal(
                kind,
                {"boilerplate": "repeated_label", "duplicate": "duplicate_of_span"}.get(kind, "noise"),
                duplicate_of=by_text.get(seg_text) if kind == "duplicate" else None,
            )
            seg = Segment(sid, s["start"], s["end"], seg_text, kind, removal=removal)
        segments.append(seg)
    articles = []
    for name in names:
        segs = sorted((s for s in segments if s.article_id == aid[name]), key=lambda s: s.article_seq)
        head = {s.role: s.text for s in segs if s.role in HEAD_ROLES}
        body = ""
        for s in (s for s in segs if s.role not in HEAD_ROLES):
            body += s.text if (s.joins_previous or not body) else "\n" + s.text
        articles.append(
            Article(aid[name], pid, head.get("kicker"), head.get("headline"), head.get("subheadline"),
                    head.get("byline"), body, tuple(s.segment_id for s in segs),
                    tokens=tokenizer.joined(body),
                    kind="caption" if all(s.role == "caption" for s in segs) else "article")
        )  # fmt: skip
    page = Page(ref, text, hashlib.sha256(text.encode("utf-8")).hexdigest())
    return PageResult(page, "paragraph", tuple(segments), tuple(articles))


def write_output(out: Path, results: list[PageResult], input_root: Path, run_id: str = RUN_ID) -> Path:
    """Write ``results`` as one run into ``out`` (one partition per issue) plus its run manifest."""
    issues: dict[tuple[str, str], list[PageResult]] = {}
    for r in results:
        issues.setdefault((r.page.ref.publication, r.page.ref.issue_date), []).append(r)
    for (pub, date), rs in issues.items():
        write_partition(out, "pages", pages_table(rs, run_id), pub, date)
        write_partition(out, "segments", segments_table(rs, run_id), pub, date)
        write_partition(out, "articles", articles_table(rs, run_id), pub, date)
    (out / "_runs").mkdir(parents=True, exist_ok=True)
    manifest = {"run_id": run_id, "input_root": str(input_root.resolve()), "started_at": "2024-07-20T00:00:00Z"}
    (out / "_runs" / f"{run_id}.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


def hand_result(tokenizer) -> PageResult:
    root, path, pub, date, page_no = HAND_PAGE
    text = (FIXTURES / root / path).read_text(encoding="utf-8")
    return page_result(PageRef(path, pub, date, page_no), text, spans_from_lines(text, HAND_LINES), tokenizer)


def seed_result(tokenizer) -> PageResult:
    gold = json.loads((FIXTURES / "seed_p01.spans.json").read_text(encoding="utf-8"))
    path = gold["source_path"]
    text = (FIXTURES / "seed" / path).read_text(encoding="utf-8")
    pub, date, _ = path.split("/")
    return page_result(PageRef(path, pub, date, 1), text, gold["spans"], tokenizer)


@pytest.fixture(scope="session")
def tokenizer():
    from pagesplit.tokens import get_tokenizer

    return get_tokenizer()


@pytest.fixture(scope="session")
def hand_output(tmp_path_factory, tokenizer) -> Path:
    """Output of the hand-written page: a railway article, a park article, four boilerplate
    lines (three ``出行参考`` labels and credits carrying HTML), one duplicate, one fragment join."""
    out = tmp_path_factory.mktemp("hand") / "out"
    return write_output(out, [hand_result(tokenizer)], FIXTURES / "hand")


@pytest.fixture(scope="session")
def seed_gold_output(tmp_path_factory, tokenizer) -> Path:
    """Output of the seed page segmented exactly as its gold says (the ideal pipeline result)."""
    out = tmp_path_factory.mktemp("seed") / "out"
    return write_output(out, [seed_result(tokenizer)], FIXTURES / "seed")


@pytest.fixture
def copy_output(tmp_path):
    """A writable copy of a session output (for tests that change it)."""

    def _copy(src: Path) -> Path:
        dst = tmp_path / "out"
        shutil.copytree(src, dst)
        return dst

    return _copy


@pytest.fixture(scope="session")
def pipeline_output(examples_output) -> Path:
    """The real pipeline's output on the bundled examples (the seed page among them)."""
    return examples_output[0]
