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
from typing import Sequence

from .types import Block

HEAD_ROLES = ("kicker", "headline", "subheadline", "byline")


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
    bags = {i: _bag(groups[i], joins, words, config) for i in articles}
    idf = _idf([bags[i] for i in articles])
    groups = [list(g) for g in groups]
    for i in articles:
        body = [b for b in groups[i] if roles[b] == "body"]
        move = _best_tail(i, body, groups, articles, joins, words, idf, config)
        if move is None:
            continue
        k, target = move
        tail = body[-k:]
        for b in tail:
            groups[i].remove(b)
        groups[target].extend(tail)
        heads = _heads(groups[target], roles)
        groups[target].sort(key=lambda b: (b not in heads, b))
        bags[i] = _bag(groups[i], joins, words, config)
        bags[target] = _bag(groups[target], joins, words, config)
    return groups


def _best_tail(i, body, groups, articles, joins, words, idf, config: ArticleConfig):
    """The longest run of final body blocks of article i that reads as another article's tail:
    (length, target article) or None. The run is judged as a whole (its paragraphs share words
    with each other), and its first block must lean to the target on its own."""
    best = None
    # never move an article's first body block: it is what the headline announced
    for k in range(1, len(body)):
        tail, rest = body[-k:], body[:-k]
        tail_bag = _bag(tail, joins, words, config)
        own = _cos(tail_bag, _bag(rest, joins, words, config), idf)
        target, sim = None, 0.0
        for j in articles:
            if j == i or min(groups[j]) > tail[0]:
                continue  # a tail follows the head it belongs to
            s = _cos(tail_bag, _bag(groups[j], joins, words, config), idf)
            if s > sim:
                target, sim = j, s
        if target is None or sim < config.move_min_similarity or sim < config.move_ratio * own:
            continue
        first_bag = _bag(tail[:1], joins, words, config)
        if _cos(first_bag, _bag(groups[target], joins, words, config), idf) <= _cos(
            first_bag, _bag(rest, joins, words, config), idf
        ):
            continue
        best = (k, target)
    return best


def _heads(group, roles):
    return {b for b in group if roles[b] in HEAD_ROLES}


def _bag(block_ids, joins, words, config: ArticleConfig) -> Counter:
    c: Counter = Counter()
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


def _cos(a: Counter, b: Counter, idf: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(w, 0) * idf.get(w, 1.0) ** 2 for w, v in a.items())
    na = math.sqrt(sum((v * idf.get(w, 1.0)) ** 2 for w, v in a.items()))
    nb = math.sqrt(sum((v * idf.get(w, 1.0)) ** 2 for w, v in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def article_id(page_id: str, first_start: int) -> str:
    """Deterministic: the same page text gives the same ids."""
    return hashlib.sha1(f"{page_id}#{first_start}".encode()).hexdigest()[:16]
