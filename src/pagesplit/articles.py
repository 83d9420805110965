"""Group a page's kept blocks into articles.

1. Walk the page in order: a headline opens an article (taking the kicker above it and the
   subheadline/byline below it); intertitles and body join the open article; a caption with no
   headline is an item of its own; body before any headline opens a headless article.
2. Fragments joined by the repair stage follow their left side, wherever they are printed.
3. Tails: the last body blocks of an article that read much more like another article of the
   page (lexical cohesion over pkuseg words, TF-IDF cosine) move to that article — an article's
   final paragraphs printed after the next article.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Generator, Sequence

import numpy as np

from . import links
from .text import ends_closed
from .types import Block

HEAD_ROLES = ("kicker", "headline", "subheadline", "byline")
# Cosines are compared after rounding to this many decimals: the tail search updates dot
# products incrementally, and summing the same terms in another order must not flip a tie.
COSINE_DECIMALS = 9


@dataclass(frozen=True)
class ArticleConfig:
    # A tail block moves to another article only when its cosine similarity to it exceeds the
    # similarity to its own article by this factor: paragraphs of one article differ a lot in
    # vocabulary, so a small margin would scatter articles.
    move_ratio: float = 1.5
    # ... and the similarity itself must be at least this (unrelated text scores ~0.02–0.05).
    move_min_similarity: float = 0.12
    # Words shorter than this carry no topic (particles, single characters).
    min_word_chars: int = 2


@dataclass(frozen=True)
class Group:
    """An article under construction: block indices in reading order and its kind."""

    blocks: tuple[int, ...]
    kind: str  # 'article' | 'caption'


def group_blocks(
    blocks: Sequence[Block],
    roles: dict[int, str],
    joins: dict[int, int],
    words: dict[int, list[str]],
    config: ArticleConfig = ArticleConfig(),
) -> list[Group]:
    kept = [b for b in blocks if b.kept]
    groups: list[list[int]] = []
    kinds: list[str] = []
    current: int | None = None  # index into groups
    pending_kicker: list[int] = []
    continuations = set(joins)
    for b in kept:
        role = roles[b.index]
        if b.index in continuations:
            continue  # placed after its left side below
        if role == "kicker":
            pending_kicker.append(b.index)
            continue
        if role == "headline":
            groups.append(pending_kicker + [b.index])
            kinds.append("article")
            pending_kicker = []
            current = len(groups) - 1
            continue
        if pending_kicker:  # a kicker not followed by a headline acts as one
            groups.append(pending_kicker)
            kinds.append("article")
            pending_kicker = []
            current = len(groups) - 1
        if role == "caption":
            groups.append([b.index])
            kinds.append("caption")
            continue
        if current is None:
            groups.append([])
            kinds.append("article")
            current = len(groups) - 1
        groups[current].append(b.index)
    if pending_kicker:
        groups.append(pending_kicker)
        kinds.append("article")

    groups = _move_tails(groups, kinds, roles, joins, words, config)
    return [Group(tuple(_with_continuations(g, joins)), k) for g, k in zip(groups, kinds) if g]


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
    sections: list[tuple[dict, float]] = []
    section_of: list[int] = []
    for k, b in enumerate(order):
        if k == 0 or (is_head[k] and not is_head[k - 1]):
            sections.append(({}, 0.0))
        whole = sections[-1][0]
        for w, v in bags[b.index].items():
            whole[w] = whole.get(w, 0) + v
        section_of.append(len(sections) - 1)
    if ask:
        sections = [(whole, coh.norm(whole) ** 2) for whole, _ in sections]
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

    for pos, b in enumerate(order):
        role = roles[b.index]
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
        groups[target].append(b.index)
        if role == "body":
            a = arts[target]
            a.add_body(bags[b.index])
            tail = b.index
            while tail in children:
                tail = children[tail]
            a.last_closed = ends_closed(by_index[tail].text)
    if pending:
        new("article", pending)
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


def _move_tails(groups, kinds, roles, joins, words, config: ArticleConfig):
    articles = [i for i, k in enumerate(kinds) if k == "article" and groups[i]]
    if len(articles) < 2:
        return groups
    children = {left: right for right, left in joins.items()}
    block_bags: dict[int, Counter] = {}

    def block_bag(b: int) -> Counter:
        if b not in block_bags:
            block_bags[b] = _bag([b], joins, words, config, children)
        return block_bags[b]

    bags = {i: _sum_bags(block_bag(b) for b in groups[i]) for i in articles}
    idf = _idf([bags[i] for i in articles])
    weight = {w: v * v for w, v in idf.items()}  # idf² : the weight of a word in a dot product
    state = _Articles(bags, weight, {i: min(groups[i]) for i in articles})
    groups = [list(g) for g in groups]
    for i in articles:
        body = [b for b in groups[i] if roles[b] == "body"]
        move = _best_tail(i, [block_bag(b) for b in body], body, state, config)
        if move is None:
            continue
        k, target = move
        tail = body[-k:]
        for b in tail:
            groups[i].remove(b)
        groups[target].extend(tail)
        heads = _heads(groups[target], roles)
        groups[target].sort(key=lambda b: (b not in heads, b))
        for b in tail:
            state.move(block_bag(b), i, target)
        state.first[i] = min(groups[i])
        state.first[target] = min(groups[target])
    return groups


class _Articles:
    """The articles' word bags with what cosine similarity needs kept up to date: each bag's
    squared norm and an inverted index (word → articles holding it), so that a tail is compared
    only with the articles it shares a word with."""

    def __init__(self, bags: dict[int, Counter], weight: dict[str, float], first: dict[int, int]) -> None:
        self.bags = bags
        self.weight = weight
        self.first = first  # article → its first block (a tail only joins an article printed before it)
        self.norm2 = {i: _norm2(bag, weight) for i, bag in bags.items()}
        self.holders: dict[str, set[int]] = {}
        for i, bag in bags.items():
            for w in bag:
                self.holders.setdefault(w, set()).add(i)

    def move(self, bag: Counter, src: int, dst: int) -> None:
        for w, c in bag.items():
            q = self.weight.get(w, 1.0)
            for art, delta in ((src, -c), (dst, c)):
                old = self.bags[art][w]
                new = old + delta
                self.norm2[art] += (new * new - old * old) * q
                if new:
                    self.bags[art][w] = new
                    self.holders.setdefault(w, set()).add(art)
                else:
                    del self.bags[art][w]
                    self.holders[w].discard(art)

    def dot(self, bag: Counter, art: int) -> float:
        other = self.bags[art]
        return sum(c * other.get(w, 0) * self.weight.get(w, 1.0) for w, c in bag.items())


def _best_tail(i: int, block_bags: list[Counter], body: list[int], state: _Articles, config: ArticleConfig):
    """The longest run of final body blocks of article i that reads as another article's tail:
    (length, target article) or None. The run is judged as a whole (its paragraphs share words
    with each other), and its first block must lean to the target on its own.

    Incremental: growing the run by one block moves that block's words from the rest of the
    body to the run and adds its dot products with the articles sharing its words, so the cost
    is linear in the body's words (times the articles sharing them), not quadratic in blocks."""
    weight = state.weight
    best = None
    rest = _sum_bags(block_bags)
    rest_n2 = _norm2(rest, weight)
    tail: Counter = Counter()
    tail_n2 = 0.0
    own_dot = 0.0  # tail · rest
    target_dot: dict[int, float] = {}  # tail · article, for articles sharing a word with the tail
    # never move an article's first body block: it is what the headline announced
    for k in range(1, len(body)):
        bag = block_bags[-k]
        for w, c in bag.items():
            q = weight.get(w, 1.0)
            t, r = tail[w], rest[w]
            own_dot += ((t + c) * (r - c) - t * r) * q
            tail_n2 += ((t + c) ** 2 - t * t) * q
            rest_n2 += ((r - c) ** 2 - r * r) * q
            tail[w] = t + c
            if r - c:
                rest[w] = r - c
            else:
                del rest[w]
            for j in state.holders.get(w, ()):
                if j != i:
                    target_dot[j] = target_dot.get(j, 0.0) + c * state.bags[j][w] * q
        own = _cosine(own_dot, tail_n2, rest_n2, bool(tail) and bool(rest))
        target, sim = None, 0.0
        for j in sorted(target_dot):  # ascending: ties go to the earlier article
            if state.first[j] > body[-k]:
                continue  # a tail follows the head it belongs to
            s = _cosine(target_dot[j], tail_n2, state.norm2[j], bool(tail))
            if s > sim:
                target, sim = j, s
        if target is None or sim < config.move_min_similarity or sim < config.move_ratio * own:
            continue
        first_n2 = _norm2(bag, weight)
        to_target = _cosine(state.dot(bag, target), first_n2, state.norm2[target], bool(bag))
        to_rest = _cosine(_dot(bag, rest, weight), first_n2, rest_n2, bool(bag) and bool(rest))
        if to_target <= to_rest:
            continue
        best = (k, target)
    return best


def _heads(group, roles):
    return {b for b in group if roles[b] in HEAD_ROLES}


def _bag(block_ids, joins, words, config: ArticleConfig, children: dict[int, int] | None = None) -> Counter:
    c: Counter = Counter()
    if children is None:
        children = {left: right for right, left in joins.items()}
    for b in block_ids:
        nxt: int | None = b
        while nxt is not None:
            c.update(w for w in words.get(nxt, ()) if len(w) >= config.min_word_chars and any(ch.isalnum() for ch in w))
            nxt = children.get(nxt)
    return c


def _idf(bags: list[Counter]) -> dict[str, float]:
    df: Counter = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    return {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}


def _sum_bags(bags) -> Counter:
    total: Counter = Counter()
    for bag in bags:
        total.update(bag)
    return total


def _norm2(bag: Counter, weight: dict[str, float]) -> float:
    return sum(v * v * weight.get(w, 1.0) for w, v in bag.items())


def _dot(a: Counter, b: Counter, weight: dict[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b.get(w, 0) * weight.get(w, 1.0) for w, v in a.items())


def _cosine(dot: float, n2a: float, n2b: float, nonempty: bool) -> float:
    """TF-IDF cosine from a dot product and squared norms, rounded to ``COSINE_DECIMALS`` places."""
    if not nonempty or n2a <= 0 or n2b <= 0:
        return 0.0
    return round(dot / math.sqrt(n2a * n2b), COSINE_DECIMALS)


def article_id(page_id: str, first_start: int) -> str:
    """Deterministic: the same page text gives the same ids."""
    return hashlib.sha1(f"{page_id}#{first_start}".encode()).hexdigest()[:16]
