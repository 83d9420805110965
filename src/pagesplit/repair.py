"""Broken paragraphs: a block cut by a column break, joined with the block that continues it.

The continuation is usually the next kept block; sometimes it comes several blocks later (the
tail of a column printed after another article). Candidates are scored by how well the two
sides fit across the junction:

* a word that crosses the junction (``考|核`` → pkuseg reads ``考核``),
* an open quote or bracket on the left closed on the right (``“形成一督|一评价一销号”``),
* the right side starting with punctuation or a particle (it cannot start a sentence),
* the left side ending on a character (not on a comma), the right side adjacent.

A left side ending on a clause comma followed by a block that fits on no other count is *not*
joined: that is how an orphaned continuation (its beginning lost) looks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from .junction import JunctionModel, word_across
from .roles import is_caption
from .text import CLAUSE, OPENERS, ends_closed, leading_unmatched_closer, unbalanced_openers
from .types import Block

# Characters that do not begin a sentence in Chinese news prose: they attach to what precedes.
_NO_START = set("的了着过地得吗呢吧啊之其而及与和或并且但即") | set("，,、。；;：:！？!?”’」』）)】》…")


@dataclass(frozen=True)
class RepairConfig:
    # How many kept blocks after a cut paragraph may hold its continuation. Column tails land
    # within a few blocks; beyond that a fit is more likely chance than layout.
    max_distance: int = 12
    # Blocks shorter than this are labels or headlines, never halves of a cut paragraph.
    min_chars: int = 8
    # Junction evidence needed for a non-adjacent continuation (scores below); adjacent blocks
    # need less because position alone already argues for them.
    min_score_far: int = 3
    min_score_adjacent: int = 1
    # With the junction model: its probability p adds model_weight·(p − 0.5) to the rule score.
    # Next door position (+1) and the model decide together (p ≥ 0.5 with no other evidence);
    # far away rule evidence stays necessary and the model ranks and vetoes.
    model_weight: float = 3.0
    min_score_adjacent_model: float = 1.0
    # Characters each side of the junction handed to the word segmenter.
    junction_window: int = 6
    # A word across the junction is strong evidence next door (3), weaker far away, where short
    # words form by chance across any two texts often enough.
    far_word_bonus: int = 2


# A dateline or byline opens an article's first paragraph: never the second half of another one.
_DATELINE = re.compile(r"^(?:本报讯|本报记者|新华社|中新社|本报.{0,12}电|.{0,12}(?:月\d{1,2}日|日)电)")

# Words that cannot end a Chinese sentence: adverbs, prepositions, conjunctions and auxiliaries
# that need what follows them ("…在七个方面聚焦发力，共同|谱写…"). A left side ending on one was cut
# mid-sentence, and its neighbour is the first place to look for the rest.
DANGLING_WORDS = frozenset(
    "共同 进一步 不断 积极 全面 深入 持续 加快 努力 切实 认真 大力 充分 继续 逐步 有效 更加 "
    "把 将 对 为 在 从 向 与 和 及 以及 并 而 或 但 却 被 让 使 由 给 跟 同 以 于 按照 根据 通过 围绕 "
    "更 最 很 也 都 还 又 再 就 才 已 正 要 会 能 可 应 须 需 必须 应当 已经 正在 将要 是 的 之 其 各 每".split()
)

WordSplitter = Callable[[str], list[str]]


def find_joins(
    blocks: Sequence[Block],
    words: WordSplitter | None = None,
    config: RepairConfig = RepairConfig(),
    *,
    model: JunctionModel | None = None,
    vocabulary: frozenset[str] | None = None,
) -> dict[int, int]:
    """Map continuation block index → the block index it continues (its left side).

    ``model`` (the trained junction model) weighs each candidate junction on top of the rule
    evidence; without it, the rules alone decide. ``vocabulary`` (the
    words of the page's text) spares the word segmenter far junctions no known word could span:
    segmenting a dozen characters costs as much call overhead as a whole paragraph."""
    kept = [b for b in blocks if b.kept and not b.heading and not b.bold and not is_caption(b.text)]
    position = {b.index: i for i, b in enumerate(kept)}
    taken: set[int] = set()
    joins: dict[int, int] = {}
    for left in kept:
        if len(left.text) < config.min_chars or ends_closed(left.text) or not _prose(left.text):
            continue  # closed, or a headline/label/byline (no clause punctuation): not a cut paragraph
        best: tuple[int, int] | None = None
        start = position[left.index]
        for dist, right in enumerate(kept[start + 1 : start + 1 + config.max_distance], start=1):
            if right.index in taken or len(right.text) < config.min_chars or _DATELINE.match(right.text):
                continue
            adjacent = dist == 1 and _nothing_between(blocks, left, right)
            need = config.min_score_adjacent if adjacent else config.min_score_far
            reach = config.model_weight * 0.5 if model is not None else 0.0
            # The word segmenter is the costly part: ask it only where its bonus could matter.
            cheap = _fit(left.text, right.text, adjacent, None, config)
            if not adjacent and cheap + config.far_word_bonus + reach < need:
                continue
            if adjacent or vocabulary is None or _may_cross(left.text, right.text, vocabulary):
                score = _fit(left.text, right.text, adjacent, words, config)
            else:
                score = cheap  # no word of the page spans this junction: pkuseg would not find one
            if model is not None:
                if score + config.model_weight * 0.5 < need:
                    continue  # even a certain model could not lift it: skip the model's work
                p = model.probability(left.text, right.text, words)
                score += config.model_weight * (p - 0.5)
                need = config.min_score_adjacent_model if adjacent else config.min_score_far
            if score >= need and (best is None or score > best[0]):
                best = (score, right.index)
        if best is not None:
            joins[best[1]] = left.index
            taken.add(best[1])
    return joins


def _nothing_between(blocks: Sequence[Block], left: Block, right: Block) -> bool:
    """Only removed blocks (boilerplate, copies, noise) lie between left and right."""
    return all(not b.kept for b in blocks[left.index + 1 : right.index])


def _fit(left: str, right: str, adjacent: bool, words: WordSplitter | None, config: RepairConfig) -> float:
    score = 0
    last = left.rstrip()[-1]
    first = right.lstrip()[0]
    if first in _NO_START:
        score += 3
    opened = unbalanced_openers(left)
    closer = leading_unmatched_closer(right)
    if opened and closer is not None and OPENERS.get(opened[-1]) == closer:
        score += 3
    elif closer is not None and not opened:
        score -= 2
    if words is not None and last not in CLAUSE and word_across(left, right, words, config.junction_window):
        score += 3 if adjacent else config.far_word_bonus
    if adjacent and words is not None and last not in CLAUSE:
        tail = words(left.rstrip()[-config.junction_window:])
        if tail and tail[-1] in DANGLING_WORDS:
            score += 3
    if adjacent and last not in CLAUSE and _prose(left):
        # Position alone: only for a left side that reads as running prose (a headline or label
        # also ends without punctuation, but has no clause punctuation inside).
        score += 1
    return score


def _may_cross(left: str, right: str, vocabulary: frozenset[str]) -> bool:
    """Could a word span the junction? Any two- or three-character join of its sides is a word."""
    a, b = left.rstrip(), right.lstrip()
    return any(w in vocabulary for w in (a[-1:] + b[:1], a[-2:] + b[:1], a[-1:] + b[:2]))


def _prose(text: str) -> bool:
    return any(ch in "，,。；;、" for ch in text)


def merge_neighbours(
    blocks: Sequence[Block], joins: dict[int, int], words: dict[int, list[str]]
) -> tuple[tuple[Block, ...], dict[int, int], dict[int, list[str]]]:
    """Join pairs whose halves are neighbours on the page (only whitespace between) become one
    block: in wrapped layout such a pair is a paragraph the line-wrap reading split, not a column
    break, and a segment is contiguous text anyway. Returns renumbered blocks, joins and words."""
    merged_into: dict[int, int] = {}  # old right index -> old left index it is merged into
    for right, left in joins.items():
        if right == left + 1 and blocks[left].kept and blocks[right].kept:
            merged_into[right] = merged_into.get(left, left)
    if not merged_into:
        return tuple(blocks), joins, words
    new_index: dict[int, int] = {}
    out: list[Block] = []
    out_words: dict[int, list[str]] = {}
    for b in blocks:
        root = merged_into.get(b.index)
        if root is not None:
            i = new_index[root]
            head = out[i]
            out[i] = replace(head, end=b.end, text=head.text + b.text, lines=head.lines + b.lines)
            out_words[i] = out_words.get(i, []) + words.get(b.index, [])
            new_index[b.index] = i
            continue
        i = len(out)
        new_index[b.index] = i
        out.append(replace(b, index=i))
        if b.index in words:
            out_words[i] = list(words[b.index])
    new_joins = {new_index[r]: new_index[l] for r, l in joins.items() if r not in merged_into}
    return tuple(out), new_joins, out_words
