"""One corpus page -> blocks in page order, with the layout accidents of a real OCR'd page.

A block is one printed paragraph (or piece of one) with its gold label. Articles are laid out in
``article_idx`` order, then the accidents below are applied, each at the stated rate (per page unless
said otherwise). The rates are ours, chosen so that every phenomenon of the seed page occurs often
enough in a 600-page dev set to be measured, without dominating it. Accidents of printed lines (column
order: a line read ahead of its column, on half of the wrapped pages) happen when the page is wrapped,
in render.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from .corpus import CorpusPage
from .noise import is_cjk
from .units import Unit, article_units

# Bylines: the corpus keeps "本报北京…电（记者X）" inside the first paragraph (body, as on the seed);
# for this share of articles that have a byline, a separate byline line "本报记者　X" is printed too.
BYLINE_LINE_RATE = 0.5
# Column breaks: share of long body paragraphs cut in two mid-word; the continuation (join=True) is
# adjacent unless moved FAR_CONTINUATION_RATE of the time by 2-6 blocks (the seed has one of each).
CUT_MIN_CHARS = 60
CUT_RATE = 0.06
FAR_CONTINUATION_RATE = 0.3
# An article's last 1-2 paragraphs printed after the next article (seed: the 'renda' article).
TAIL_RATE = 0.25
# A paragraph whose beginning was lost (seed: "间短途旅客出行需求,…").
ORPHAN_RATE = 0.15
# Duplicated runs of 1-3 blocks later on the page; a second run on DUP_SECOND_RATE of pages. Of the
# runs, DUP_MID_RATE start mid-paragraph, DUP_ERROR_RATE carry OCR errors at 1-2% of CJK characters.
DUP_RATE = 0.35
DUP_SECOND_RATE = 0.1
DUP_MID_RATE = 0.4
DUP_ERROR_RATE = 0.3
DUP_ERROR_RANGE = (0.01, 0.02)
# Photo captions (their own 'article', role caption): one on CAPTION_RATE of pages, a second on
# CAPTION_SECOND_RATE.
CAPTION_RATE = 0.4
CAPTION_SECOND_RATE = 0.1
# Boilerplate: running head (top, or bottom for RUNNING_HEAD_BOTTOM_RATE of them), page credits at
# the bottom, and a section label repeated 6-20 times at the end (the seed repeats "出行参考" 18 times).
RUNNING_HEAD_RATE = 0.7
RUNNING_HEAD_BOTTOM_RATE = 0.2
CREDITS_RATE = 0.7
REPEATED_LABEL_RATE = 0.2
REPEATED_LABEL_COUNT = (6, 20)


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    label: str  # article / duplicate / boilerplate / noise
    article: str | None = None
    role: str | None = None
    seq: int = -1  # reading order within the article (set last, from the article's reading list)
    join: bool = False
    order: float = 0.0  # reading-order key within the article before seq is assigned
    tags: tuple[str, ...] = ()
    error_rate: float = 0.0  # OCR character errors applied at render (duplicates)


@dataclass(frozen=True, slots=True)
class IssueFurniture:
    """What is printed the same way on every page of one issue (wording fixed, numbers vary)."""

    running_head: str  # str.format template with {p} (page number) and {p2} (two digits)
    credits: str  # template with {a} {b} {c} (names)
    names: tuple[str, ...]
    sections: tuple[str, ...]  # section label by page number - 1 (cycled)
    caption_credits: tuple[str, ...]  # templates with {name}/{org}


def _cut_point(text: str, rng: random.Random, lo: float, hi: float) -> int | None:
    """A position strictly inside a CJK run (so the cut falls mid-word), between lo and hi of the length."""
    cands = [i for i in range(int(len(text) * lo), int(len(text) * hi)) if i > 0 and is_cjk(text[i - 1]) and is_cjk(text[i])]
    return rng.choice(cands) if cands else None


def _byline_line(byline: str) -> str:
    return "本报记者\u3000" + byline[2:] if byline.startswith("记者") else byline


def article_blocks(units: tuple[Unit, ...], art_id: str, byline: str | None, rng: random.Random) -> list[Block]:
    """An article's blocks in reading order, body paragraphs possibly cut by a column break."""
    blocks: list[Block] = []
    for u in units:
        if u.label == "boilerplate":
            blocks.append(Block(u.text, "boilerplate", tags=("article_credit",)))
            continue
        cut = None
        if u.role == "body" and len(u.text) >= CUT_MIN_CHARS and rng.random() < CUT_RATE:
            cut = _cut_point(u.text, rng, 0.3, 0.7)
        if cut is None:
            blocks.append(Block(u.text, "article", art_id, u.role))
        else:
            blocks.append(Block(u.text[:cut], "article", art_id, u.role, tags=("cut",)))
            blocks.append(Block(u.text[cut:], "article", art_id, u.role, join=True, tags=("continuation",)))
    if byline and rng.random() < BYLINE_LINE_RATE:
        at = max((i + 1 for i, b in enumerate(blocks) if b.role in ("kicker", "headline", "subheadline")), default=0)
        blocks.insert(at, Block(_byline_line(byline), "article", art_id, "byline"))
    return [replace(b, order=float(i)) for i, b in enumerate(blocks)]


def caption_block(sentence: str, art_id: str, furniture: IssueFurniture, rng: random.Random) -> Block:
    credit = rng.choice(furniture.caption_credits).format(name=rng.choice(furniture.names), org=rng.choice(ORGS))
    return Block(sentence + credit, "article", art_id, "caption", tags=("caption",))


ORGS = ("新华社", "本报", "当地宣传部", "市融媒体中心", "县委宣传部", "景区管委会", "受访者")


def _move(blocks: list[Block], src: list[int], dest: int) -> list[Block]:
    """Move the blocks at indices ``src`` to sit before index ``dest`` (of the original list)."""
    moving = [blocks[i] for i in src]
    out = []
    for i, b in enumerate(blocks):
        if i == dest:
            out.extend(moving)
        if i not in src:
            out.append(b)
    if dest >= len(blocks):
        out.extend(moving)
    return out


def displace_continuations(blocks: list[Block], rng: random.Random, counts: dict) -> list[Block]:
    for i in range(len(blocks) - 1, -1, -1):
        if blocks[i].join and rng.random() < FAR_CONTINUATION_RATE:
            dest = min(len(blocks), i + 1 + rng.randint(2, 6))
            if dest > i + 1:
                blocks = _move(blocks, [i], dest)
                counts["far_continuation"] += 1
    return blocks


def tail_after_next(blocks: list[Block], order: list[str], rng: random.Random, counts: dict) -> list[Block]:
    """Move the last 1-2 body paragraphs of one article to after the next article."""
    if rng.random() >= TAIL_RATE or len(order) < 2:
        return blocks
    cands = []
    for k, aid in enumerate(order[:-1]):
        idx = [i for i, b in enumerate(blocks) if b.article == aid]
        body = [i for i in idx if blocks[i].role == "body"]
        if len(body) >= 4 and body[-1] == idx[-1]:
            cands.append((aid, order[k + 1], body))
    if not cands:
        return blocks
    aid, nxt, body = rng.choice(cands)
    n = rng.randint(1, 2)
    src = body[-n:]
    dest = max(i for i, b in enumerate(blocks) if b.article == nxt) + 1
    counts["tail_after_next"] += 1
    return _move(blocks, src, dest) if dest > src[-1] else blocks


def orphan(blocks: list[Block], rng: random.Random, counts: dict) -> list[Block]:
    """Lose the beginning of one body paragraph (not an article's first, not a column-break piece)."""
    if rng.random() >= ORPHAN_RATE:
        return blocks
    seen: set[str] = set()
    cands = []
    for i, b in enumerate(blocks):
        if b.role == "body" and b.article in seen and not b.tags and len(b.text) >= CUT_MIN_CHARS:
            cands.append(i)
        if b.article:
            seen.add(b.article)
    if not cands:
        return blocks
    i = rng.choice(cands)
    cut = _cut_point(blocks[i].text, rng, 0.2, 0.5)
    if cut is None:
        return blocks
    counts["orphan"] += 1
    return blocks[:i] + [replace(blocks[i], text=blocks[i].text[cut:], tags=("orphan",))] + blocks[i + 1 :]


def duplicate_run(blocks: list[Block], rng: random.Random, counts: dict) -> list[Block]:
    """Copy a run of 1-3 consecutive article blocks to a later place on the page."""
    starts = [i for i, b in enumerate(blocks[:-1]) if b.label == "article" and b.role in ("body", "intertitle")]
    if not starts:
        return blocks
    i = rng.choice(starts)
    run = []
    for b in blocks[i : i + rng.randint(1, 3)]:
        if b.label != "article":
            break
        run.append(b)
    texts = [b.text for b in run]
    tags = ["duplicate"]
    if rng.random() < DUP_MID_RATE:
        cut = _cut_point(texts[0], rng, 0.2, 0.8)
        if cut is not None:
            texts[0] = texts[0][cut:]
            tags.append("mid_paragraph")
    err = rng.uniform(*DUP_ERROR_RANGE) if rng.random() < DUP_ERROR_RATE else 0.0
    if err:
        tags.append("ocr_errors")
    copies = [Block(t, "duplicate", tags=tuple(tags), error_rate=err) for t in texts]
    dest = rng.randint(i + len(run) + 1, len(blocks)) if i + len(run) + 1 <= len(blocks) else len(blocks)
    counts["duplicate_runs"] += 1
    counts["duplicate_blocks"] += len(copies)
    counts["duplicate_mid_paragraph"] += "mid_paragraph" in tags
    counts["duplicate_ocr_errors"] += bool(err)
    return blocks[:dest] + copies + blocks[dest:]


def assign_seq(blocks: list[Block]) -> list[Block]:
    """seq = reading order within each article (its ``order`` key), whatever the page order became."""
    by_art: dict[str, list[Block]] = {}
    for b in blocks:
        if b.article:
            by_art.setdefault(b.article, []).append(b)
    seq = {id(b): k for arts in by_art.values() for k, b in enumerate(sorted(arts, key=lambda b: b.order))}
    return [replace(b, seq=seq[id(b)]) if b.article else b for b in blocks]


def plan_page(
    page: CorpusPage,
    furniture: IssueFurniture,
    captions: tuple[str, ...],
    rng: random.Random,
) -> tuple[list[Block], dict]:
    """Blocks of one page in page order, and the count of each phenomenon placed on it."""
    counts: dict = {k: 0 for k in ("cut", "far_continuation", "tail_after_next", "orphan", "duplicate_runs",
                                    "duplicate_blocks", "duplicate_mid_paragraph", "duplicate_ocr_errors",
                                    "caption", "byline_line", "running_head", "credits", "repeated_label",
                                    "article_credit")}
    per_article: list[list[Block]] = []
    for a in page.articles:
        aid = f"a{a.article_idx}"
        per_article.append(article_blocks(article_units(a), aid, a.byline, rng))
    n_caps = (rng.random() < CAPTION_RATE) + (rng.random() < CAPTION_SECOND_RATE) if captions else 0
    for k in range(n_caps):
        cap = caption_block(rng.choice(captions), f"photo{k + 1}", furniture, rng)
        per_article.insert(rng.randint(1, len(per_article)), [cap])
    order = [arts[0].article for arts in per_article if arts and arts[0].article]
    blocks = [b for arts in per_article for b in arts]
    blocks = tail_after_next(blocks, order, rng, counts)
    blocks = displace_continuations(blocks, rng, counts)
    blocks = orphan(blocks, rng, counts)
    if rng.random() < DUP_RATE:
        blocks = duplicate_run(blocks, rng, counts)
        if rng.random() < DUP_SECOND_RATE / DUP_RATE:
            blocks = duplicate_run(blocks, rng, counts)
    blocks = assign_seq(blocks)
    blocks = add_furniture(blocks, page.page, furniture, rng, counts)
    for b in blocks:
        counts["cut"] += b.join
        counts["caption"] += b.role == "caption"
        counts["byline_line"] += b.role == "byline"
        counts["article_credit"] += "article_credit" in b.tags
    return blocks, counts


def add_furniture(blocks: list[Block], page_no: int, f: IssueFurniture, rng: random.Random, counts: dict) -> list[Block]:
    """Running head, page credits and the repeated section label: boilerplate."""
    top, bottom = [], []
    if rng.random() < RUNNING_HEAD_RATE:
        head = Block(f.running_head.format(p=page_no, p2=f"{page_no:02d}"), "boilerplate", tags=("running_head",))
        (bottom if rng.random() < RUNNING_HEAD_BOTTOM_RATE else top).append(head)
        counts["running_head"] += 1
    if rng.random() < CREDITS_RATE:
        names = rng.sample(f.names, 3)
        bottom.append(Block(f.credits.format(a=names[0], b=names[1], c=names[2]), "boilerplate", tags=("credits",)))
        counts["credits"] += 1
    if rng.random() < REPEATED_LABEL_RATE:
        label = f.sections[(page_no - 1) % len(f.sections)]
        n = rng.randint(*REPEATED_LABEL_COUNT)
        bottom.extend(Block(label, "boilerplate", tags=("section_label",)) for _ in range(n))
        counts["repeated_label"] += n
    return top + blocks + bottom
