"""Training examples: composed pages run through the cleanup stages, each kept block labelled from gold.

A kept block gets the gold role and article that hold most of its scored characters (markup and
whitespace ignored, as the scorer does). A block that is mostly not article text (a copy or a running
head that cleanup kept) has role ``None``: the role and grouping models cannot fix cleanup's misses,
so those blocks are left out of their training rows but stay in the page (they are neighbours).

Used by ``pipelines/train.py`` and by the tests on invented pages; nothing here runs in a normal
pipeline run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol

from .evaluation import gold as G
from .ingest import load_page
from .pipeline import PipelineConfig, issue_blocks, repaired
from .junction import default_model as default_junction_model
from .types import Block


class Words(Protocol):
    def words(self, text: str) -> list[str]: ...


@dataclass(frozen=True)
class LabelledPage:
    source_path: str
    layout: str
    blocks: tuple[Block, ...]  # kept blocks only, in page order
    words: dict[int, list[str]]  # block index -> pkuseg words
    joins: dict[int, int]  # continuation block index -> its left side
    roles: dict[int, str | None]  # gold role per kept block (None: mostly not article text)
    articles: dict[int, str | None]  # gold article id per kept block
    seq: dict[int, int]  # gold reading order (seq of the block's first article span)


def label_blocks(gold: G.GoldPage, blocks: tuple[Block, ...]) -> tuple[dict, dict, dict]:
    owner: list[G.GoldSpan | None] = [None] * len(gold.text)
    for s in gold.spans:
        for i in range(s.start, s.end):
            owner[i] = s
    roles, arts, seqs = {}, {}, {}
    for b in blocks:
        votes: Counter = Counter()
        spans: dict = {}
        for i in range(b.start, b.end):
            ch = gold.text[i]
            if ch.isspace() or ch in G.MARKUP or owner[i] is None:
                continue
            s = owner[i]
            key = (s.label, s.article, s.role)
            votes[key] += 1
            spans.setdefault(key, s)
        if not votes:
            roles[b.index], arts[b.index], seqs[b.index] = None, None, -1
            continue
        (label, article, role), _ = votes.most_common(1)[0]
        if label != "article":
            roles[b.index], arts[b.index], seqs[b.index] = None, None, -1
            continue
        roles[b.index], arts[b.index] = role, article
        seqs[b.index] = spans[(label, article, role)].seq
    return roles, arts, seqs


def labelled_pages(composed: Path, tokenizer: Words, config: PipelineConfig = PipelineConfig()) -> Iterator[LabelledPage]:
    """Every composed page under ``composed`` (``pages/`` + ``gold/``), issue by issue."""
    from .runner import known_furniture, plan, scan_issue  # noqa: PLC0415 - runner imports the pipeline

    composed = Path(composed)
    golds = {g.source_path: g for g in G.load_dir(composed / "gold")}
    batches, _ = plan(composed / "pages")
    # the page furniture each issue inherits from the previous ones, exactly as a run computes it
    known = known_furniture(scan_issue(composed / "pages", b) for b in batches)
    for batch in batches:
        pages = [load_page(composed / "pages", ref) for ref in batch.pages]
        prepared = issue_blocks(pages, known_boilerplate=frozenset(known[batch.key]), config=config)
        for page, (layout, blocks) in zip(pages, prepared):
            gold = golds.get(page.ref.source_path)
            if gold is None:
                continue
            blocks, words, joins, _ = repaired(blocks, layout, tokenizer, config, default_junction_model())
            kept = tuple(b for b in blocks if b.kept)
            roles, arts, seqs = label_blocks(gold, kept)
            yield LabelledPage(page.ref.source_path, layout, kept, words, joins, roles, arts, seqs)
