"""Group a page's kept blocks into articles (``walk``).

The page is walked in order: a headline (with the kickers above it) opens an article; heads,
intertitles and bylines join the open article; a caption that describes a photo is an item of its
own; each body block goes where the link model (``links.py``) says — the open article, or one of
the articles before it whose tail it is (an article's last paragraphs printed after the next
article). Fragments joined by the repair stage follow their left side, wherever they are printed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable, Generator, Sequence

import numpy as np

from . import links
from .roles import displaced_leads
from .text import ends_closed
from .types import Block


@dataclass(frozen=True)
class Group:
    """An article under construction: block indices in reading order and its kind."""

    blocks: tuple[int, ...]
    kind: str  # 'article' | 'caption'


# A caption this short without a sentence in it is a photo credit printed inside an article
# ("本报记者 X摄"), which belongs to that article; a longer one describes a photo and is its own item.
CREDIT_ONLY_MAX_CHARS = 40


def caption_is_item(text: str) -> bool:
    t = text.strip()
    return len(t) > CREDIT_ONLY_MAX_CHARS or "。" in t


Chooser = Callable[[Block, np.ndarray, list[int], list[list[int]]], int]


def walk(
    blocks: Sequence[Block],
    roles: dict[int, str],
    joins: dict[int, int],
    words: dict[int, list[str]],
    choose: Chooser | None,
) -> list[Group]:
    """Group with the link model: the page walked in order, a headline (with the kickers above it)
    opens an article, heads/intertitles join the open article, a caption that describes a photo is
    its own item, and each body block goes where ``choose`` (block, candidate rows, candidates, the
    groups so far) says
    among the open article and the ones before it (``links.candidates``). ``choose=None`` keeps
    every body block in the open article."""
    steps = walk_steps(blocks, roles, joins, words, ask=choose is not None)
    try:
        question = next(steps)
        while True:
            question = steps.send(choose(*question))
    except StopIteration as done:
        return done.value


Question = tuple[Block, np.ndarray, list[int], list[list[int]]]  # what ``walk`` asks its chooser


def walk_steps(
    blocks: Sequence[Block],
    roles: dict[int, str],
    joins: dict[int, int],
    words: dict[int, list[str]],
    *,
    ask: bool = True,
) -> Generator[Question, int, list[Group]]:
    """``walk`` as a generator: it yields each question for the chooser (block, candidate rows,
    candidates, groups so far), is sent the index of the chosen candidate, and returns the groups.
    A caller can so walk several pages at once and answer their questions together
    (``links.walk_pages``: one model evaluation for all)."""
    kept = [b for b in blocks if b.kept]
    continuations = set(joins)
    children = {left: right for right, left in joins.items()}
    order = [b for b in kept if b.index not in continuations]
    bags = {b.index: links.bag(_chain_words(b.index, words, children)) for b in order}
    coh = links.Cohesion(list(bags.values()))
    is_head = [roles[b.index] in ("kicker", "headline") for b in order]
    # The page between two heads (a head's article as printed), for the link model's look at the
    # open article's later paragraphs: its words and their squared norm, per section.
    # Only a walk that asks the link model needs them.
    sections: list[tuple[dict, float]] = []
    section_of: list[int] = []
    if ask:
        wholes: list[dict] = []
        for k, b in enumerate(order):
            if k == 0 or (is_head[k] and not is_head[k - 1]):
                wholes.append({})
            whole = wholes[-1]
            for w, v in bags[b.index].items():
                whole[w] = whole.get(w, 0) + v
            section_of.append(len(wholes) - 1)
        sections = [(whole, coh.norm(whole) ** 2) for whole in wholes]
    to_next = [0] * len(order)
    nxt = len(order)
    for k in range(len(order) - 1, -1, -1):
        to_next[k] = nxt - k
        if is_head[k]:
            nxt = k
    by_index = {b.index: b for b in kept}
    groups: list[list[int]] = []
    kinds: list[str] = []
    arts: list[links.OpenArticle] = []
    open_idx: int | None = None
    pending: list[int] = []
    prev_choice: int | None = None
    last_role = None

    def new(kind: str, members: list[int]) -> int:
        groups.append(members)
        kinds.append(kind)
        arts.append(links.OpenArticle())
        return len(groups) - 1

    def add_body(target: int, index: int) -> None:
        groups[target].append(index)
        a = arts[target]
        a.add_body(bags[index])
        tail = index
        while tail in children:
            tail = children[tail]
        a.last_closed = ends_closed(by_index[tail].text)

    # A dateline paragraph an engine read before its own head stack (``roles.displaced_leads``) waits
    # for the article that stack opens and is its first paragraph.
    leading = {i for lead in displaced_leads(blocks, roles) for i in lead}
    held: list[int] = []
    held_at = 0  # the number of groups when the held paragraph was met: the stack's opens after

    def release() -> None:
        nonlocal open_idx, held
        if open_idx is None or len(groups) <= held_at:
            open_idx = new("article", [])  # no stack opened an article after all: the paragraph's own
        for i in held:
            add_body(open_idx, i)
        held = []

    for pos, b in enumerate(order):
        role = roles[b.index]
        if role == "body" and (b.index in leading or (held and len(b.text.strip()) <= 1)):
            if not held:
                held_at = len(groups)
            held.append(b.index)  # with a stray character read among the stack's lines (as the stack skips it)
            continue
        if held and role not in ("kicker", "headline", "subheadline", "byline"):
            release()
        if role == "kicker":
            pending.append(b.index)
            last_role = role
            continue
        if role == "headline":
            if last_role == "headline" and not pending and open_idx is not None:
                groups[open_idx].append(b.index)  # a headline printed on two lines
            else:
                open_idx = new("article", pending + [b.index])
                for k in pending:
                    arts[open_idx].add_head(bags[k])
                pending = []
            arts[open_idx].add_head(bags[b.index])
            arts[open_idx].has_head = True
            last_role = role
            continue
        if pending:  # a kicker not followed by a headline acts as one
            open_idx = new("article", pending)
            arts[open_idx].has_head = True
            pending = []
        last_role = role
        if role == "caption" and caption_is_item(b.text):
            new("caption", [b.index])
            continue
        if open_idx is None:
            open_idx = new("article", [])
        target = open_idx
        if role == "body" and ask:
            cands = links.candidates(open_idx, arts, [k == "article" for k in kinds])
            if len(cands) > 1:
                rows = links.pair_features(b, bags[b.index], cands, arts, open_idx, coh, to_next[pos],
                                           pos + 1 < len(order) and is_head[pos + 1], prev_choice,
                                           sections[section_of[pos]])
                target = cands[(yield (b, rows, cands, groups))]
            prev_choice = target
        if role == "body":
            add_body(target, b.index)
        else:
            groups[target].append(b.index)
    if pending:
        new("article", pending)
    if held:
        release()
    return [Group(tuple(_with_continuations(g, joins)), k) for g, k in zip(groups, kinds) if g]


def _chain_words(b: int, words: dict[int, list[str]], children: dict[int, int]) -> list[str]:
    out: list[str] = []
    nxt: int | None = b
    while nxt is not None:
        out.extend(words.get(nxt, ()))
        nxt = children.get(nxt)
    return out


def _with_continuations(group: list[int], joins: dict[int, int]) -> list[int]:
    """Insert each joined fragment right after its left side (chains follow)."""
    children: dict[int, int] = {left: right for right, left in joins.items()}
    out: list[int] = []
    for b in group:
        out.append(b)
        nxt = children.get(b)
        while nxt is not None:
            out.append(nxt)
            nxt = children.get(nxt)
    return out


def article_id(page_id: str, first_start: int) -> str:
    """Deterministic: the same page text gives the same ids."""
    return hashlib.sha1(f"{page_id}#{first_start}".encode()).hexdigest()[:16]
