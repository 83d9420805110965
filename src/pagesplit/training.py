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
from typing import Iterator, Protocol, Sequence

import numpy as np

from .evaluation import gold as G
from .ingest import load_page
from .blocks import read_lines
from .colorder import issue_groups
from .junction import WordMemo
from .junction import default_model as default_junction_model
from .pipeline import PipelineConfig, column_ordered, issue_blocks, repaired
from .repair import RIVAL_ASK, candidate_pairs, learned_rows_both, rival_rows, seen_probabilities, worth_reading
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


def _issues(composed: Path, config: PipelineConfig) -> Iterator[tuple[list, list, list, dict]]:
    """Each issue of a composition as the pipeline reads it: (pages, their lines, (layout, blocks)
    of each, the gold pages by source path), with the page furniture each issue inherits from the
    previous ones, exactly as a run computes it."""
    from .runner import known_furniture, plan, scan_issue  # noqa: PLC0415 - runner imports the pipeline

    composed = Path(composed)
    golds = {g.source_path: g for g in G.load_dir(composed / "gold")}
    batches, _ = plan(composed / "pages")
    known = known_furniture(scan_issue(composed / "pages", b) for b in batches)
    for batch in batches:
        pages = [load_page(composed / "pages", ref) for ref in batch.pages]
        lines = [read_lines(p.text) for p in pages]
        prepared = issue_blocks(pages, known_boilerplate=frozenset(known[batch.key]), config=config, lines=lines)
        yield pages, lines, prepared, golds


def labelled_pages(composed: Path, tokenizer: Words, config: PipelineConfig = PipelineConfig()) -> Iterator[LabelledPage]:
    """Every composed page under ``composed`` (``pages/`` + ``gold/``), issue by issue, its joins
    decided by the summed score (see ``pipelines/train.py`` for why not by the join model)."""
    for pages, _, prepared, golds in _issues(composed, config):
        for page, (layout, blocks) in zip(pages, prepared):
            gold = golds.get(page.ref.source_path)
            if gold is None:
                continue
            blocks, words, joins, _ = repaired(blocks, layout, tokenizer, config, default_junction_model())
            kept = tuple(b for b in blocks if b.kept)
            roles, arts, seqs = label_blocks(gold, kept)
            yield LabelledPage(page.ref.source_path, layout, kept, words, joins, roles, arts, seqs)


def _span_owner(gold: G.GoldPage) -> list[G.GoldSpan | None]:
    owner: list[G.GoldSpan | None] = [None] * len(gold.text)
    for s in gold.spans:
        if s.label == "article" and s.article:
            owner[s.start : s.end] = [s] * (s.end - s.start)
    return owner


def join_label(owner: list[G.GoldSpan | None], lines, left: Block, right: Block) -> bool:
    """Does ``right`` go on from ``left`` in gold: the span holding the left side's last character
    and the span holding the right side's first are one span (a paragraph the line-wrap reading
    split into two blocks), or consecutive spans of one article, the second marked ``join``?"""
    a, b = owner[lines[left.lines[-1]].end - 1], owner[lines[right.lines[0]].start]
    if a is None or b is None:
        return False
    return a is b or (a.article == b.article and b.seq == a.seq + 1 and b.join)


@dataclass(frozen=True)
class JoinPairs:
    """The join models' examples: every candidate pair of a composition, page after page."""

    both: list  # ``repair.JOIN_COLUMNS`` rows: (as if a word crossed the junction, as if none did)
    across: list  # pkuseg's reading
    labels: list  # 1: gold joins the pair (``join_label``)
    pages: list  # source path
    sides: list  # (left block index, right block index)

    @property
    def rows(self) -> list:
        """Each pair's row under pkuseg's reading (what the join model learns from)."""
        return [b[0] if a else b[1] for b, a in zip(self.both, self.across)]

    @classmethod
    def concat(cls, parts: "Sequence[JoinPairs]") -> "JoinPairs":
        """The parts one after another (renderings of the same issues keep their pages' names, so
        that the rival model's folds keep a page's renderings together). A page's pairs are told by
        being consecutive (``rival_table``): two parts whose pages meet under one name would make
        one page of two, so that is refused."""
        nonempty = [part for part in parts if part.pages]
        for a, b in zip(nonempty, nonempty[1:]):
            if a.pages[-1] == b.pages[0]:
                raise ValueError(f"join pairs of two parts meet on one page name ({b.pages[0]}): their pairs would read as one page's")
        return cls(*([x for part in parts for x in getattr(part, f)] for f in ("both", "across", "labels", "pages", "sides")))


def join_rows(composed: Path, tokenizer: Words, config: PipelineConfig = PipelineConfig()) -> JoinPairs:
    """The join models' examples: every candidate pair (``repair.candidate_pairs``) of every composed
    page, after column order as the pipeline puts lines back, as its ``repair.JOIN_COLUMNS`` rows
    (both readings of the junction, and pkuseg's), labelled from gold (``join_label``)."""
    model = default_junction_model()
    out = JoinPairs([], [], [], [], [])
    for pages, lines, prepared, golds in _issues(composed, config):
        wrapped = [layout == "wrapped" for layout, _ in prepared]
        char_groups = issue_groups(ln.clean for ls in lines for ln in ls) if any(wrapped) else None
        for page, page_lines, (layout, blocks), w in zip(pages, lines, prepared, wrapped):
            gold = golds.get(page.ref.source_path)
            if gold is None:
                continue
            memo = WordMemo(tokenizer.words, getattr(tokenizer, "words_many", None))
            blocks, _ = column_ordered(blocks, layout, memo, config, model, lines=page_lines if w else None, groups=char_groups)
            candidates = candidate_pairs(blocks, config.repair)
            owner = _span_owner(gold)
            both, across = learned_rows_both(candidates, memo, config.repair, model, layout, page_lines)
            for c, rows, a in zip(candidates, both, across):
                out.both.append(rows)
                out.across.append(a)
                out.labels.append(int(join_label(owner, page_lines, c[0], c[1])))
                out.pages.append(page.ref.source_path)
                out.sides.append((c[0].index, c[1].index))
    return out


def first_answers(pairs: JoinPairs, probabilities) -> tuple[np.ndarray, list]:
    """The join model's answers (``probabilities``: rows -> P(join)) to the pairs as the rival model
    sees them at run time (``repair.seen_probabilities``: pkuseg's reading asked from ``RIVAL_ASK``
    on), and the rows read with them."""
    if not pairs.both:
        return np.zeros(0), []
    pa = probabilities([b[0] for b in pairs.both])
    pn = probabilities([b[1] for b in pairs.both])
    asked = [a if ask else None for a, ask in zip(pairs.across, worth_reading(pa, pn, RIVAL_ASK))]
    return seen_probabilities(pa, pn, asked), [b[0] if a else b[1] for b, a in zip(pairs.both, asked)]


def rival_table(pairs: JoinPairs, p: np.ndarray, rows: list) -> list:
    """``repair.rival_rows`` of every page of ``pairs`` (its pairs are consecutive) from first answers ``p``."""
    out: list = []
    start = 0
    for end in range(1, len(pairs.pages) + 1):
        if end == len(pairs.pages) or pairs.pages[end] != pairs.pages[start]:
            out.extend(rival_rows(pairs.sides[start:end], rows[start:end], p[start:end]))
            start = end
    return out


def rival_rows_out_of_fold(pairs: JoinPairs, folds: int = 5, seed: int = 0) -> list:
    """The rival model's training rows: each pair's first answer from a join model fitted on the
    other folds' pages (an answer on its own training pairs would be better than any at run time)."""
    from sklearn.model_selection import GroupKFold  # noqa: PLC0415

    from .joinmodel import fit  # noqa: PLC0415

    X, y = np.asarray(pairs.rows, dtype=np.float64), np.asarray(pairs.labels)
    p = np.zeros(len(y))
    rows: list = [None] * len(y)
    for train, held in GroupKFold(folds).split(X, y, pairs.pages):
        est = fit(X[train], y[train], seed=seed)
        positive = list(est.classes_).index(1)
        part = JoinPairs([pairs.both[i] for i in held], [pairs.across[i] for i in held], [], [], [])
        ps, rs = first_answers(part, lambda r: est.predict_proba(np.asarray(r, dtype=np.float64))[:, positive])
        p[held] = ps
        for i, r in zip(held, rs):
            rows[i] = r
    return rival_table(pairs, p, rows)
