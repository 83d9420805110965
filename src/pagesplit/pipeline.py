"""The stages in order, over one issue of a newspaper (all its pages) at a time.

decode (ingest) → lines → boilerplate + noise → duplicated spans → blocks → column order
(wrapped pages) → fragment joins → roles → articles → tokens. Each stage is a pure function; this module only wires them and
turns their decisions into ``Segment``s and ``Article``s.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol, Sequence

from . import articles as art
from .blocks import LayoutConfig, build_blocks, detect_layout, join_lines, paragraph_starts, read_lines
from .boilerplate import BoilerplateConfig, find_boilerplate, find_noise
from .columns import cell_runs, text_order
from .colorder import ColumnOrderConfig, Groups, apply_moves, find_moves, issue_groups, with_moves
from .dedup import DedupConfig, LineRef, find_duplicates
from .joinmodel import join_model
from .junction import WordMemo
from .links import link_chooser, walk_pages
from .parabreaks import break_model
from .repair import RepairConfig, find_joins, learned_joins_many, merge_neighbours, reads_on
from .rolemodel import role_model
from .roles import RoleConfig, put_back_is_body
from .script import restore, restore_words, to_simplified
from .text import join_wrapped
from .types import Article, Block, Line, Page, PageResult, Removal, Segment


class Words(Protocol):
    def words(self, text: str) -> list[str]: ...


def words_of(tokenizer: Words, texts: list[str]) -> list[list[str]]:
    """Each text's words, in one batch when the tokenizer offers ``words_many`` (pkuseg's does:
    a call has a fixed cost)."""
    many = getattr(tokenizer, "words_many", None)
    return many(texts) if many is not None else [tokenizer.words(t) for t in texts]


@dataclass(frozen=True)
class PipelineConfig:
    layout: LayoutConfig = field(default_factory=LayoutConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    repair: RepairConfig = field(default_factory=RepairConfig)
    column_order: ColumnOrderConfig = field(default_factory=ColumnOrderConfig)
    roles: RoleConfig = field(default_factory=RoleConfig)
    # The trained role and link models (None: $PAGESPLIT_MODELS, else models/ of this checkout).
    models_dir: Path | None = None


def segment_id(page_id: str, start: int) -> str:
    return f"{page_id}#{start}"


def find_furniture(
    lines: Sequence[tuple[Line, ...]],
    *,
    known_boilerplate: frozenset[str] = frozenset(),
    config: PipelineConfig = PipelineConfig(),
) -> tuple[tuple[str, ...], tuple[frozenset[int], ...], tuple[dict[int, Removal], ...]]:
    """Layouts, paragraph starts and boilerplate of an issue's pages: the one place both the
    pipeline and the runner's scan (which records page furniture across issues) get them from."""
    layouts = tuple(detect_layout(ls, config.layout) for ls in lines)
    model = break_model(config.models_dir) if "wrapped" in layouts else None
    breaks = model.ends_paragraph if model is not None else None
    starts = tuple(paragraph_starts(ls, layout, config.layout, breaks=breaks) for ls, layout in zip(lines, layouts))
    found = find_boilerplate(lines, known=known_boilerplate, paragraph_starts=starts, config=config.boilerplate)
    return layouts, starts, found


def process_issue(
    pages: Sequence[Page],
    tokenizer: Words,
    *,
    known_boilerplate: frozenset[str] = frozenset(),
    config: PipelineConfig = PipelineConfig(),
    junction_model=None,
) -> tuple[PageResult, ...]:
    """Process the pages of one issue (same publication and date), in page order. A page in
    traditional characters is read in simplified ones and written in its own (``script.py``)."""
    read = [_simplified(p) for p in pages]
    all_lines = [read_lines(p.text) for p in read]
    prepared = issue_blocks(read, known_boilerplate=known_boilerplate, config=config, lines=all_lines)
    # Column order needs each wrapped page's lines and the character groups the issue prints.
    wrapped = [layout == "wrapped" for layout, _ in prepared]
    groups = issue_groups(ln.clean for ls in all_lines for ln in ls) if any(wrapped) else None
    lines = [ls if w else None for ls, w in zip(all_lines, wrapped)]
    fixed = repaired_many(prepared, tokenizer, config, junction_model, join_model(config.models_dir),
                          lines=lines, page_lines=all_lines, groups=groups)  # fmt: skip
    # The models see the issue's pages together: one evaluation per stage (roles) and per round of
    # link questions, instead of one per page and per question (same answers, page by page).
    roles = role_model(config.models_dir).predict_many(
        [(blocks, words, joins, layout) for (blocks, words, joins, _), (layout, _) in zip(fixed, prepared)],
        reads_on=lambda left, right: reads_on(left, right, tokenizer.words, config.repair),
    )
    roles = [put_back_is_body(page_roles, put_back) for page_roles, (_, _, _, put_back) in zip(roles, fixed)]
    grouped = walk_pages(
        [(blocks, page_roles, joins, words) for (blocks, words, joins, _), page_roles in zip(fixed, roles)],
        link_chooser(config.models_dir),
    )
    results = []
    for page, read_page, (layout, _), (blocks, words, joins, _), page_roles, page_groups, page_lines in zip(
        pages, read, prepared, fixed, roles, grouped, all_lines
    ):
        if read_page is not page:  # traditional characters: write the page's own
            page_lines = read_lines(page.text)
            blocks, words = _in_own_script(page_lines, blocks, words)
        results.append(_page_result(page, layout, blocks, words, joins, page_roles, page_groups, lines=page_lines))
    return tuple(results)


def _simplified(page: Page) -> Page:
    text = to_simplified(page.text)
    return page if text == page.text else replace(page, text=text)


def _in_own_script(
    own_lines: tuple[Line, ...], blocks: tuple[Block, ...], words: dict[int, list[str]]
) -> tuple[tuple[Block, ...], dict[int, list[str]]]:
    """The blocks' texts and words, read from a page's simplified copy, in the characters of the
    page itself (``own_lines``: its lines): a block's text is made from its lines' clean texts."""
    own = {ln.index: ln.clean for ln in own_lines}
    source = {b.index: "".join(own.get(i, "") for i in b.lines) for b in blocks}
    return (
        tuple(replace(b, text=restore(b.text, source[b.index])) for b in blocks),
        {i: restore_words(ws, source[i]) for i, ws in words.items()},
    )


def issue_blocks(
    pages: Sequence[Page],
    *,
    known_boilerplate: frozenset[str] = frozenset(),
    config: PipelineConfig = PipelineConfig(),
    lines: Sequence[tuple[Line, ...]] | None = None,
) -> list[tuple[str, tuple[Block, ...]]]:
    """The cleanup stages over one issue: (layout, blocks) per page, removed blocks included —
    what the role and article stages (and their training) start from. ``lines``: each page's
    ``read_lines(page.text)`` when the caller has them already (they are read once per page)."""
    lines = [read_lines(p.text) for p in pages] if lines is None else list(lines)
    layouts, starts, found = find_furniture(lines, known_boilerplate=known_boilerplate, config=config)
    removals = []
    for ls, page_starts, bp in zip(lines, starts, found):
        noise = find_noise(ls, page_starts)
        removals.append({**noise, **bp})  # the tail of a wrapped credit is furniture, not a stray mark
    dups = find_duplicates(
        lines, removals, config.dedup,
        paragraph_starts=starts,
    )

    # Line → block, so a copy can name the segment of its first copy.
    blocks_per_page: list[tuple[Block, ...]] = []
    for p, (ls, layout) in enumerate(zip(lines, layouts)):
        rem = dict(removals[p])
        for i in dups[p]:
            rem[i] = Removal("duplicate", "duplicate_of_span")
        blocks_per_page.append(build_blocks(ls, rem, layout, config.layout, starts=starts[p]))
    line_to_block = [
        {li: b for b in blocks for li in b.lines} for blocks in blocks_per_page
    ]

    def source_segment(ref: LineRef) -> str:
        # follow chains (a copy of a copy) back to a kept block
        seen = set()
        while True:
            block = line_to_block[ref.page][ref.line]
            nxt = dups[ref.page].get(ref.line)
            if nxt is None or (ref.page, ref.line) in seen:
                return segment_id(pages[ref.page].page_id, block.start)
            seen.add((ref.page, ref.line))
            ref = nxt

    return [
        (layouts[p], tuple(_with_source(b, dups[p], source_segment) for b in blocks_per_page[p]))
        for p in range(len(pages))
    ]


def _with_source(block: Block, dups: dict[int, LineRef], source_segment) -> Block:
    if block.removal is None or block.removal.kind != "duplicate":
        return block
    ref = next(dups[li] for li in block.lines if li in dups)
    removal = Removal("duplicate", "duplicate_of_span", duplicate_of=source_segment(ref))
    return Block(**{**{f: getattr(block, f) for f in Block.__slots__}, "removal": removal})


def column_ordered(
    blocks: tuple[Block, ...], layout: str, memo: WordMemo, config: PipelineConfig, junction_model=None,
    *, lines: tuple[Line, ...] | None = None, groups: Groups | None = None,
) -> tuple[tuple[Block, ...], dict[int, int]]:
    """In wrapped layout (given the page's ``lines`` and the issue's character ``groups``), the
    blocks with the lines read out of column order put back, and the joins those moves force
    (``colorder.apply_moves``); otherwise the blocks as they are."""
    if layout != "wrapped" or lines is None or not groups:
        return blocks, {}
    reads_on = None
    if junction_model is not None:
        reads_on = lambda left, right: junction_model.probability(left, right, memo)  # noqa: E731
    moves = find_moves(lines, blocks, groups, reads_on, config.column_order,
                       pmi_levels=junction_model.pmi_levels() if junction_model is not None else None,
                       prefetch=memo.prefetch_junctions,
                       corpus_levels=junction_model.corpus_groups() if junction_model is not None else None)  # fmt: skip
    return apply_moves(blocks, lines, moves, join_lines)


def repaired(
    blocks: tuple[Block, ...], layout: str, tokenizer: Words, config: PipelineConfig, junction_model=None,
    *, lines: tuple[Line, ...] | None = None, groups: Groups | None = None,
):
    """(blocks, words, joins, put_back) after column order and fragment repair: each kept block's
    words (tokenized once) and the joins; in wrapped layout, lines read out of column order are put
    back (given the page's ``lines`` and the issue's character ``groups``; ``put_back``: the blocks
    that continue a paragraph through such a move) and neighbours that are one paragraph become one
    block. The joins are the summed score's (``repair.find_joins`` without a join model: what the
    role and link models learn from, ``training.labelled_pages``); a run's are ``repaired_many``'s."""
    page = _ordered(blocks, layout, tokenizer, config, junction_model, lines=lines, groups=groups)
    return _joined(page, find_joins(page.blocks, page.memo, config.repair, model=junction_model, layout=layout), layout)


def repaired_many(
    pages: Sequence[tuple[str, tuple[Block, ...]]], tokenizer: Words, config: PipelineConfig, junction_model,
    join_model, *, lines: Sequence[tuple[Line, ...] | None], page_lines: Sequence[tuple[Line, ...]], groups: Groups | None,
) -> list[tuple]:
    """``repaired`` for an issue's pages (``(layout, blocks)`` each) with the ``join_model``
    (``joinmodel.py``; ``page_lines``: each page's lines, any layout) deciding the joins, asked once
    for all of them (the same answers as page by page); without it, the summed score."""
    ordered = [_ordered(blocks, layout, tokenizer, config, junction_model, lines=ls, groups=groups)
               for (layout, blocks), ls in zip(pages, lines)]  # fmt: skip
    if join_model is not None and junction_model is not None:
        joins = learned_joins_many([(o.blocks, o.memo, layout, pl) for o, (layout, _), pl in zip(ordered, pages, page_lines)],
                                   config.repair, junction_model, join_model)  # fmt: skip
    else:
        joins = [find_joins(o.blocks, o.memo, config.repair, model=junction_model, layout=layout)
                 for o, (layout, _) in zip(ordered, pages)]  # fmt: skip
    return [_joined(o, j, layout) for o, j, (layout, _) in zip(ordered, joins, pages)]


@dataclass(frozen=True)
class _Ordered:
    """A page in column order, its kept blocks tokenized, before the joins."""

    blocks: tuple[Block, ...]
    forced: dict[int, int]
    words: dict[int, list[str]]
    memo: WordMemo


def _ordered(blocks, layout, tokenizer, config, junction_model, *, lines, groups) -> _Ordered:
    # the page's junctions (column order's, then repair's), segmented in batches and remembered
    memo = WordMemo(tokenizer.words, lambda texts: words_of(tokenizer, texts))
    blocks, forced = column_ordered(blocks, layout, memo, config, junction_model, lines=lines, groups=groups)
    kept = [b for b in blocks if b.kept]
    words = dict(zip((b.index for b in kept), words_of(tokenizer, [b.text for b in kept])))
    return _Ordered(blocks, forced, words, memo)


def _joined(page: _Ordered, joins: dict[int, int], layout: str) -> tuple:
    moved_starts = {page.blocks[i].start for i in page.forced}
    blocks, words = page.blocks, page.words
    joins = with_moves(joins, page.forced)
    if layout == "wrapped":
        blocks, joins, words = merge_neighbours(blocks, joins, words)
    put_back = frozenset(b.index for b in blocks if b.kept and b.start in moved_starts and b.index in joins)
    return blocks, words, joins, put_back


def _page_result(
    page: Page, layout: str, blocks: tuple[Block, ...], words: dict[int, list[str]], joins: dict[int, int],
    roles: dict[int, str], groups: list[art.Group], *, lines: tuple[Line, ...] | None = None,
) -> PageResult:
    """A page's segments and articles from its repaired blocks, roles and groups. A block whose
    lines are not one stretch of the page text (a paragraph read across columns, ``columns.py``;
    ``lines``: the page's) is written as a segment per stretch, each after the first continuing the
    paragraph."""
    by_index = {b.index: b for b in blocks}
    pieces = _stretches(blocks, lines) if lines is not None else {}
    seg_ids = {b.index: segment_id(page.page_id, b.start) for b in blocks}
    piece_ids = {i: [segment_id(page.page_id, run[0].start) for run in runs] for i, runs in pieces.items()}
    assignment: dict[int, tuple[str, int]] = {}
    articles = []
    for g in groups:
        first = min(by_index[i].start for i in g.blocks)
        aid = art.article_id(page.page_id, first)
        seq = 0
        for i in g.blocks:
            assignment[i] = (aid, seq)
            seq += len(pieces.get(i, (None,)))
        articles.append(_article(page, aid, g, by_index, roles, joins, words,
                                 {i: piece_ids.get(i, [seg_ids[i]]) for i in g.blocks}))  # fmt: skip

    segments = []
    for b in blocks:
        runs = pieces.get(b.index)
        if b.removal is not None:
            if runs is None:
                segments.append(Segment(seg_ids[b.index], b.start, b.end, b.text, b.removal.kind, b.removal))
            else:
                segments.extend(Segment(segment_id(page.page_id, run[0].start), run[0].start, run[-1].end,
                                        join_lines([ln.clean for ln in run]), b.removal.kind, b.removal) for run in runs)  # fmt: skip
            continue
        aid, seq = assignment[b.index]
        if runs is None:
            segments.append(
                Segment(
                    seg_ids[b.index], b.start, b.end, b.text, roles[b.index],
                    article_id=aid, article_seq=seq, joins_previous=b.index in joins,
                )
            )
            continue
        for k, run in enumerate(runs):
            segments.append(Segment(
                segment_id(page.page_id, run[0].start), run[0].start, run[-1].end, join_lines([ln.clean for ln in run]),
                roles[b.index], article_id=aid, article_seq=seq + k, joins_previous=k > 0 or b.index in joins,
            ))  # fmt: skip
    return PageResult(page=page, layout=layout, segments=tuple(segments), articles=tuple(articles))


def _stretches(blocks: Sequence[Block], lines: Sequence[Line]) -> dict[int, list[list[Line]]]:
    """The blocks that are more than one stretch of the page text, with their stretches."""
    if all(a.start < b.start for a, b in zip(lines, lines[1:])):
        return {}  # lines in text order (no rows read by columns): every block is one stretch
    order = text_order(lines)
    by_line = {ln.index: ln for ln in lines}
    out = {}
    for b in blocks:
        runs = cell_runs([by_line[i] for i in b.lines], order)
        if len(runs) > 1:
            out[b.index] = runs
    return out


def _article(page, aid, group, by_index, roles, joins, words, seg_ids: dict[int, list[str]]) -> Article:
    def first(role: str) -> str | None:
        texts = [by_index[i].text for i in group.blocks if roles[i] == role]
        return " ".join(texts) if texts else None

    body_role = "caption" if group.kind == "caption" else "body"
    paragraphs: list[str] = []
    token_parts: list[str] = []
    headline = first("headline")
    if headline:
        token_parts.extend(w for i in group.blocks if roles[i] == "headline" for w in words[i])
    for i in group.blocks:
        if roles[i] != body_role:
            continue
        text = by_index[i].text
        if i in joins and paragraphs:
            paragraphs[-1] = join_wrapped(paragraphs[-1], text)
        else:
            paragraphs.append(text)
        token_parts.extend(words[i])
    return Article(
        article_id=aid,
        page_id=page.page_id,
        kicker=first("kicker"),
        headline=headline,
        subheadline=first("subheadline"),
        byline=first("byline"),
        text="\n".join(paragraphs),
        segment_ids=tuple(sid for i in group.blocks for sid in seg_ids[i]),
        tokens=" ".join(w for w in token_parts if any(ch.isalnum() for ch in w)),  # words, no punctuation
        kind=group.kind,
    )
