"""Score pagesplit output against gold pages.

Every score counts non-whitespace characters of the page text, ignoring the markup characters ``#``
and ``*`` (wherever they are). A page first becomes additive ``Counts``; metrics are computed from summed
counts, so the overall figures are character-weighted (micro) and the same code gives per-page,
per-layout and overall figures.

* boilerplate / duplicate / noise P/R/F1: gold label vs the segment's ``removed``.
* duplicate P/R/F1 per copy type (gold ``copy``: exact / noisy / straddling): recall over the gold
  copies of that type; precision over the predicted duplicate segments attributed to the type (the
  type of the gold copy holding most of the segment's characters). Predicted duplicate segments
  that overlap no gold copy (prose or a quote taken for a copy) count in the overall precision only,
  and are reported as ``duplicate_untyped_fp`` characters.
* article B-cubed P/R/F1 over gold article characters: a character's cluster is its segment's
  ``article_id``; a removed or unsegmented character is a singleton.
* text similarity: rapidfuzz Indel normalized similarity between the gold body (gold.body_text) and
  the ``text`` of the predicted article overlapping most of the gold article's characters, both
  compared paragraph by paragraph with markup and in-paragraph whitespace removed; exact = >= EXACT_SIM.
* headline accuracy: squeezed gold headline == squeezed headline of that predicted article.
* role accuracy (over gold article characters) and per-role P/R/F1 (from ``segments.role`` of kept segments).
* fragment joins, counted at junctions between consecutive spans (``seq``) of a gold article.
  Predicted junctions are (previous segment in ``article_seq`` order, segment with ``joins_previous``)
  pairs, plus every such gold boundary that one kept segment covers in order (the last character of
  the previous span and the first of the next inside it: in wrapped layout neighbours that read on
  are written as one segment). A gold join is realised by either; a pair matches a gold junction when
  both halves share a character; a covered boundary gold does not join is a false positive (two
  paragraphs run together).
* displaced lines (column order): gold lines printed before the span they continue
  (``gold.displaced_spans``) vs predicted segments that join a predecessor printed after them; a line
  is put back when its segment follows (a piece of) the right predecessor and is followed by (a piece
  of) the right successor, each sharing a character with the gold span. ``moved_p``/``moved_r``.

Undefined figures (no gold and no prediction) are None and are left out of means.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path

from rapidfuzz.distance import Indel

from ..types import ROLES
from . import gold as G
from .output import EMPTY, PredPage, PredSegment, load

REMOVED_KINDS = ("boilerplate", "duplicate", "noise")
# A predicted article text this close to the gold body counts as exact: allows a few OCR-level
# differences (a stray glyph kept, one character of a cut) but no lost or foreign paragraph.
EXACT_SIM = 0.98
# Layout inference when no compose.json lists the page: a line-wrapped page has many lines and a
# short median line (printed lines are 15-40 characters; OCR paragraphs are far longer).
WRAPPED_MEDIAN_MAX = 45
WRAPPED_MIN_LINES = 20


@dataclass
class Counts:
    pages: int = 0
    chars: int = 0
    unsegmented: int = 0
    removed: Counter = field(default_factory=Counter)  # f"{kind}_{tp|pred|gold}"
    b3_p: float = 0.0
    b3_r: float = 0.0
    b3_n: int = 0
    role_ok: int = 0
    roles: Counter = field(default_factory=Counter)  # f"{role}_{tp|pred|gold}"
    articles: int = 0
    sim_sum: float = 0.0
    exact: int = 0
    headlines: int = 0
    headline_ok: int = 0
    join_gold: int = 0
    join_gold_hit: int = 0
    join_pred: int = 0
    join_pred_hit: int = 0
    moved_gold: int = 0
    moved_gold_hit: int = 0
    moved_pred: int = 0
    moved_pred_hit: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        out = Counts()
        for f in fields(self):
            setattr(out, f.name, getattr(self, f.name) + getattr(other, f.name))
        return out


def prf(tp: int, pred: int, gold: int) -> tuple[float | None, float | None, float | None]:
    if pred == 0 and gold == 0:
        return None, None, None
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else None
    f1 = 2 * p * r / (p + r) if r is not None and p + r > 0 else 0.0
    return p, r, f1


def _scored(text: str) -> list[bool]:
    return [not c.isspace() and c not in G.MARKUP for c in text]


def _paint_pred(n: int, segments: tuple[PredSegment, ...]) -> list[PredSegment | None]:
    owner: list[PredSegment | None] = [None] * n
    for s in segments:
        for i in range(max(0, s.start), min(n, s.end)):
            owner[i] = s
    return owner


def _norm_pred_text(text: str) -> str:
    return "\n".join(p for p in (G.squeeze(line) for line in text.split("\n")) if p)


def _hits(ranges_a: list[tuple[int, int]], b: tuple[int, int], prefix: list[int]) -> bool:
    """Does range b share a scored character with any of ranges_a?"""
    for a in ranges_a:
        lo, hi = max(a[0], b[0]), min(a[1], b[1])
        if lo < hi and prefix[hi] - prefix[lo] > 0:
            return True
    return False


Junction = tuple[tuple[int, int], tuple[int, int], bool]  # (previous span, next span, gold join)


def _junctions_gold(page: G.GoldPage) -> list[Junction]:
    """Every boundary between consecutive spans (seq order) of a gold article, with its join flag."""
    return [
        ((prev.start, prev.end), (cur.start, cur.end), bool(cur.join))
        for spans in G.article_spans(page).values()
        for prev, cur in zip(spans, spans[1:])
    ]


def _join_pairs_pred(pred: PredPage) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    by_art: dict[str, list[PredSegment]] = defaultdict(list)
    for s in pred.segments:
        if s.article_id is not None and s.removed is None:
            by_art[s.article_id].append(s)
    pairs = []
    for segs in by_art.values():
        segs.sort(key=lambda s: (s.article_seq if s.article_seq is not None else 1 << 30, s.start))
        for prev, cur in zip(segs, segs[1:]):
            if cur.joins_previous:
                pairs.append(((prev.start, prev.end), (cur.start, cur.end)))
    return pairs


def _copy_types_of_pred(
    pred: PredPage, g_span: list[G.GoldSpan | None], scored: list[bool]
) -> dict[int, str | None]:
    """id(predicted duplicate segment) -> the copy type of the gold copy holding most of its
    characters (None: it overlaps no typed gold copy)."""
    out: dict[int, str | None] = {}
    for s in pred.segments:
        if s.removed != "duplicate":
            continue
        types = Counter(
            g.copy for i in range(max(0, s.start), min(len(g_span), s.end))
            if scored[i] and (g := g_span[i]) is not None and g.label == "duplicate" and g.copy
        )  # fmt: skip
        out[id(s)] = types.most_common(1)[0][0] if types else None
    return out


def _edge(scored: list[bool], lo: int, hi: int, last: bool) -> int | None:
    """The first (or last) scored character of [lo, hi), None if it has none."""
    rng = range(hi - 1, lo - 1, -1) if last else range(lo, hi)
    return next((i for i in rng if i < len(scored) and scored[i]), None)


def _covered(junction: Junction, owner: list[PredSegment | None], scored: list[bool]) -> bool:
    """Does one kept segment hold the previous span's last character and, after it, the next span's first?"""
    (ps, pe), (cs, ce), _ = junction
    a, b = _edge(scored, ps, pe, last=True), _edge(scored, cs, ce, last=False)
    if a is None or b is None or a >= b:
        return False
    seg = owner[a]
    return seg is not None and seg is owner[b] and seg.removed is None


def _join_counts(c: "Counts", page: G.GoldPage, pred: PredPage, owner: list[PredSegment | None], scored: list[bool], prefix: list[int]) -> None:
    junctions = _junctions_gold(page)
    pairs = _join_pairs_pred(pred)
    covered = [_covered(j, owner, scored) for j in junctions]
    match = lambda j, p: _hits([j[0]], p[0], prefix) and _hits([j[1]], p[1], prefix)  # noqa: E731
    c.join_gold = sum(j[2] for j in junctions)
    c.join_gold_hit = sum(j[2] and (cov or any(match(j, p) for p in pairs)) for j, cov in zip(junctions, covered))
    c.join_pred = len(pairs) + sum(covered)
    c.join_pred_hit = sum(any(j[2] and match(j, p) for j in junctions) for p in pairs) + sum(
        j[2] for j, cov in zip(junctions, covered) if cov
    )


def page_counts(page: G.GoldPage, pred: PredPage) -> Counts:
    n = len(page.text)
    scored = _scored(page.text)
    prefix = [0]
    for s in scored:
        prefix.append(prefix[-1] + s)
    g_span: list[G.GoldSpan | None] = [None] * n
    for s in page.spans:
        for i in range(s.start, s.end):
            g_span[i] = s
    p_seg = _paint_pred(n, pred.segments)
    pred_copy = _copy_types_of_pred(pred, g_span, scored)
    c = Counts(pages=1)
    contingency: Counter = Counter()
    g_sizes: Counter = Counter()
    p_sizes: Counter = Counter()
    overlap: dict[str, Counter] = defaultdict(Counter)
    for i in range(n):
        if not scored[i]:
            continue
        c.chars += 1
        gs, ps = g_span[i], p_seg[i]
        c.unsegmented += ps is None
        p_removed = ps.removed if ps is not None else None
        for kind in REMOVED_KINDS:
            is_g, is_p = gs is not None and gs.label == kind, p_removed == kind
            c.removed[f"{kind}_gold"] += is_g
            c.removed[f"{kind}_pred"] += is_p
            c.removed[f"{kind}_tp"] += is_g and is_p
        if gs is not None and gs.label == "duplicate" and gs.copy:
            c.removed[f"duplicate_{gs.copy}_gold"] += 1
            c.removed[f"duplicate_{gs.copy}_tp"] += p_removed == "duplicate"
        if p_removed == "duplicate":
            t = pred_copy.get(id(ps))
            is_g = gs is not None and gs.label == "duplicate"
            if t is None:
                c.removed["duplicate_untyped_fp"] += not is_g
            else:
                c.removed[f"duplicate_{t}_pred"] += 1
                c.removed[f"duplicate_{t}_predtp"] += is_g
        p_role = ps.role if ps is not None and p_removed is None and ps.role in ROLES else None
        if p_role:
            c.roles[f"{p_role}_pred"] += 1
        if gs is None or gs.label != "article":
            continue
        c.removed["article_gold"] += 1
        if p_removed is not None:
            c.removed[f"article_lost_{p_removed}"] += 1  # article text a cleanup stage removed
        c.roles[f"{gs.role}_gold"] += 1
        if p_role == gs.role:
            c.role_ok += 1
            c.roles[f"{gs.role}_tp"] += 1
        p_art = ps.article_id if ps is not None and p_removed is None and ps.article_id is not None else None
        p_key = ("a", p_art) if p_art is not None else ("single", i)
        contingency[(gs.article, p_key)] += 1
        g_sizes[gs.article] += 1
        p_sizes[p_key] += 1
        if p_art is not None:
            overlap[gs.article][p_art] += 1
    for (g, p), k in contingency.items():
        c.b3_p += k * k / p_sizes[p]
        c.b3_r += k * k / g_sizes[g]
    c.b3_n = sum(g_sizes.values())
    for art, spans in G.article_spans(page).items():
        best = overlap[art].most_common(1)
        p_article = pred.articles.get(best[0][0]) if best else None
        body = G.body_text(page, spans)
        if body:
            c.articles += 1
            if p_article is not None:
                sim = Indel.normalized_similarity(body, _norm_pred_text(p_article.text))
                c.sim_sum += sim
                c.exact += sim >= EXACT_SIM
        head = G.headline_text(page, spans)
        if head:
            c.headlines += 1
            c.headline_ok += p_article is not None and G.squeeze(p_article.headline or "") == head
    _join_counts(c, page, pred, p_seg, scored, prefix)
    c.moved_gold, c.moved_gold_hit, c.moved_pred, c.moved_pred_hit = _moved_lines(page, pred, prefix)
    return c


def copy_prf(c: Counts, copy: str) -> tuple[float | None, float | None, float | None]:
    """P/R/F1 of one duplicate copy type (see the module docstring); None where undefined."""
    pred, pred_tp = c.removed[f"duplicate_{copy}_pred"], c.removed[f"duplicate_{copy}_predtp"]
    gold, tp = c.removed[f"duplicate_{copy}_gold"], c.removed[f"duplicate_{copy}_tp"]
    if pred == 0 and gold == 0:
        return None, None, None
    p = pred_tp / pred if pred else 0.0  # the conventions of prf
    r = tp / gold if gold else None
    f1 = 2 * p * r / (p + r) if r is not None and p + r > 0 else 0.0
    return p, r, f1


def _moved_lines(page: G.GoldPage, pred: PredPage, prefix: list[int]) -> tuple[int, int, int, int]:
    """(gold displaced lines, of them put back, predicted moves, of them right): see the module docstring."""
    by_art: dict[str, list[PredSegment]] = defaultdict(list)
    for s in pred.segments:
        if s.article_id is not None and s.removed is None:
            by_art[s.article_id].append(s)
    moves = []  # (predecessor, moved segment, successor or None)
    for segs in by_art.values():
        segs.sort(key=lambda s: (s.article_seq if s.article_seq is not None else 1 << 30, s.start))
        for k in range(1, len(segs)):
            if segs[k].joins_previous and segs[k - 1].start >= segs[k].end:
                nxt = segs[k + 1] if k + 1 < len(segs) and segs[k + 1].joins_previous else None
                moves.append((segs[k - 1], segs[k], nxt))
    gold = G.displaced_spans(page)

    def share(a, b) -> bool:
        return b is not None and _hits([(a.start, a.end)], (b.start, b.end), prefix)

    def right(g, m) -> bool:
        x, prev, nxt = g
        p_prev, p_x, p_nxt = m
        return share(x, p_x) and share(prev, p_prev) and (nxt is None or share(nxt, p_nxt))

    gold_hit = sum(any(right(g, m) for m in moves) for g in gold)
    pred_hit = sum(any(right(g, m) for g in gold) for m in moves)
    return len(gold), gold_hit, len(moves), pred_hit


def _ratio(a: float, b: int) -> float | None:
    return a / b if b else None


def metrics(c: Counts) -> dict:
    m: dict = {"pages": c.pages, "chars": c.chars, "unsegmented_chars": c.unsegmented, "articles": c.articles}
    for kind in REMOVED_KINDS:
        p, r, f = prf(c.removed[f"{kind}_tp"], c.removed[f"{kind}_pred"], c.removed[f"{kind}_gold"])
        m |= {f"{kind}_p": p, f"{kind}_r": r, f"{kind}_f1": f}
        # share of gold article characters this stage removed (issue #4: at most 0.005 per stage)
        m[f"article_removed_{kind}"] = _ratio(c.removed[f"article_lost_{kind}"], c.removed["article_gold"])
    for t in G.COPY_TYPES:
        m |= dict(zip((f"duplicate_{t}_p", f"duplicate_{t}_r", f"duplicate_{t}_f1"), copy_prf(c, t)))
    m["duplicate_untyped_fp"] = c.removed["duplicate_untyped_fp"]
    bp, br = _ratio(c.b3_p, c.b3_n), _ratio(c.b3_r, c.b3_n)
    m |= {"bcubed_p": bp, "bcubed_r": br, "bcubed_f1": 2 * bp * br / (bp + br) if bp and br else (None if bp is None else 0.0)}
    m |= {
        "text_similarity": _ratio(c.sim_sum, c.articles),
        "exact_rate": _ratio(c.exact, c.articles),
        "headline_accuracy": _ratio(c.headline_ok, c.headlines),
        "role_accuracy": _ratio(c.role_ok, c.b3_n),
    }
    jp = c.join_pred_hit / c.join_pred if c.join_pred else (None if not c.join_gold else 0.0)
    jr = _ratio(c.join_gold_hit, c.join_gold)
    m |= {"join_p": jp, "join_r": jr, "join_f1": 2 * jp * jr / (jp + jr) if jp and jr else (None if jp is None and jr is None else 0.0)}
    m["moved_p"] = _ratio(c.moved_pred_hit, c.moved_pred)
    m["moved_r"] = _ratio(c.moved_gold_hit, c.moved_gold)
    m["moved_gold"], m["moved_pred"] = c.moved_gold, c.moved_pred
    m["roles"] = {}
    for role in ROLES:
        p, r, f = prf(c.roles[f"{role}_tp"], c.roles[f"{role}_pred"], c.roles[f"{role}_gold"])
        m["roles"][role] = {"p": p, "r": r, "f1": f, "gold_chars": c.roles[f"{role}_gold"]}
    return m


PAGE_SCORE_KEYS = ("bcubed_f1", "boilerplate_f1", "duplicate_f1", "text_similarity", "role_accuracy")


def page_score(m: dict) -> float:
    """Mean of the page's defined headline figures: the key for 'worst first'."""
    vals = [m[k] for k in PAGE_SCORE_KEYS if m.get(k) is not None]
    return sum(vals) / len(vals) if vals else 1.0


def infer_layout(text: str) -> str:
    lines = sorted(len(ln.strip()) for ln in text.split("\n") if ln.strip())
    if len(lines) >= WRAPPED_MIN_LINES and lines[len(lines) // 2] <= WRAPPED_MEDIAN_MAX:
        return "wrapped"
    return "paragraph"


def layouts_from_compose(gold_dir: Path) -> dict[str, str]:
    """source_path -> layout, from the compose.json beside (or inside) the gold directory."""
    for cand in (Path(gold_dir) / "compose.json", Path(gold_dir).parent / "compose.json"):
        if cand.is_file():
            pages = json.loads(cand.read_text(encoding="utf-8")).get("pages", {})
            return {sp: meta["layout"] for sp, meta in pages.items()}
    return {}


def score_pages(pages: list[G.GoldPage], preds: dict[str, PredPage], layouts: dict[str, str]) -> dict:
    total = Counts()
    by_layout: dict[str, Counts] = defaultdict(Counts)
    per_page = []
    missing = []
    for page in pages:
        pred = preds.get(page.source_path)
        if pred is None:
            missing.append(page.source_path)
        c = page_counts(page, pred or EMPTY)
        layout = layouts.get(page.source_path) or infer_layout(page.text)
        total = total + c
        by_layout[layout] = by_layout[layout] + c
        m = metrics(c)
        m.pop("roles")
        per_page.append({"source_path": page.source_path, "layout": layout, "page_score": page_score(m), **m})
    per_page.sort(key=lambda r: (r["page_score"], r["source_path"]))
    return {
        "overall": metrics(total),
        "by_layout": {k: metrics(v) for k, v in sorted(by_layout.items())},
        "pages": per_page,
        "missing_pages": missing,
    }


def score(gold_dir: Path, output_dir: Path) -> dict:
    """Score the pipeline output under ``output_dir`` against every gold file in ``gold_dir``."""
    pages = G.load_dir(Path(gold_dir))
    result = score_pages(pages, load(Path(output_dir)), layouts_from_compose(Path(gold_dir)))
    return {"gold_dir": str(gold_dir), "output_dir": str(output_dir), **result}
