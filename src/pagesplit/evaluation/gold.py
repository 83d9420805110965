"""The gold format (the seed's JSON): read, write, validate, and the texts the scorer compares.

``{"source_path", "n_chars", "text", "spans": [{"start", "end", "label", "article", "role", "seq", "join", "copy"}]}``;
offsets are code points into ``text``, end exclusive; ``article``/``role``/``seq``/``join`` only on
``label == "article"`` spans; ``copy`` (optional, one of COPY_TYPES) only on ``label == "duplicate"``
spans: how the later copy differs from its first copy (gold written before it existed has none).
Every non-whitespace character lies in exactly one span.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputMissing, UsageError

LABELS = ("article", "duplicate", "boilerplate", "noise")
# How a duplicated copy was made, for per-type duplicate scores. A run that starts in the middle of a
# paragraph (and so usually runs across the next paragraph boundary) is "straddling" whether or not it
# also carries OCR errors; otherwise one with OCR character errors is "noisy", else "exact".
COPY_TYPES = ("exact", "noisy", "straddling")
MARKUP = "#*"  # OCR markdown markers, ignored by every score


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    label: str
    article: str | None = None
    role: str | None = None
    seq: int = -1
    join: bool = False
    copy: str | None = None  # duplicates only: one of COPY_TYPES (None in older gold)


@dataclass(frozen=True, slots=True)
class GoldPage:
    source_path: str
    text: str
    spans: tuple[GoldSpan, ...]


def to_json(source_path: str, text: str, spans: list[dict]) -> str:
    return json.dumps(
        {"source_path": source_path, "n_chars": len(text), "text": text, "spans": spans},
        ensure_ascii=False,
        indent=1,
    )


def gold_name(source_path: str) -> str:
    """'rmrb/2020-07-03/p04.txt' -> 'rmrb_2020-07-03_p04.json' (the seed's naming)."""
    return source_path.rsplit(".", 1)[0].replace("/", "_") + ".json"


def coverage_errors(text: str, spans: list[GoldSpan] | tuple[GoldSpan, ...]) -> list[str]:
    """Why the spans do not put every non-whitespace character in exactly one span (empty: they do)."""
    owner = [0] * len(text)
    errors = []
    for s in spans:
        if not (0 <= s.start < s.end <= len(text)) or s.label not in LABELS or s.copy not in (None, *COPY_TYPES):
            errors.append(f"bad span {s}")
            continue
        for i in range(s.start, s.end):
            owner[i] += 1
    for i, c in enumerate(text):
        if not c.isspace() and owner[i] != 1:
            errors.append(f"char {i} {c!r} in {owner[i]} spans")
            if len(errors) > 5:
                break
    return errors


def parse(data: dict) -> GoldPage:
    spans = tuple(
        GoldSpan(
            start=int(s["start"]),
            end=int(s["end"]),
            label=s["label"],
            article=s.get("article"),
            role=s.get("role"),
            seq=int(s.get("seq", -1)),
            join=bool(s.get("join", False)),
            copy=s.get("copy"),
        )
        for s in data["spans"]
    )
    return GoldPage(source_path=data["source_path"], text=data["text"], spans=spans)


def load_dir(gold_dir: Path) -> list[GoldPage]:
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise InputMissing(f"gold directory {gold_dir} not found", hint="pass the gold/ directory written by `pagesplit compose`")
    pages = []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            page = parse(json.loads(path.read_text(encoding="utf-8")))
        except (KeyError, ValueError, TypeError) as exc:
            raise UsageError(f"{path} is not a gold file: {exc}", hint="gold files follow the seed's JSON form") from exc
        errs = coverage_errors(page.text, page.spans)
        if errs:
            raise UsageError(f"{path}: spans do not cover the page exactly: {errs[:3]}", hint="fix or regenerate the gold")
        pages.append(page)
    if not pages:
        raise InputMissing(f"no gold *.json in {gold_dir}", hint="pass the gold/ directory written by `pagesplit compose`")
    return pages


def strip_markup(text: str) -> str:
    return "".join(c for c in text if c not in MARKUP)


def squeeze(text: str) -> str:
    """Markup and whitespace removed: how headlines and paragraphs are compared."""
    return "".join(c for c in text if c not in MARKUP and not c.isspace())


def article_spans(page: GoldPage) -> dict[str, list[GoldSpan]]:
    """article id -> its spans in reading order (seq)."""
    out: dict[str, list[GoldSpan]] = {}
    for s in page.spans:
        if s.label == "article" and s.article:
            out.setdefault(s.article, []).append(s)
    return {a: sorted(v, key=lambda s: s.seq) for a, v in out.items()}


def body_text(page: GoldPage, spans: list[GoldSpan]) -> str:
    """The article body: body spans in seq order, a join span glued to the previous one, paragraphs
    separated by '\\n', markup and in-paragraph whitespace removed."""
    paras: list[str] = []
    for s in spans:
        if s.role != "body":
            continue
        piece = squeeze(page.text[s.start : s.end])
        if s.join and paras:
            paras[-1] += piece
        else:
            paras.append(piece)
    return "\n".join(p for p in paras if p)


def headline_text(page: GoldPage, spans: list[GoldSpan]) -> str | None:
    heads = [squeeze(page.text[s.start : s.end]) for s in spans if s.role == "headline"]
    return "".join(heads) if heads else None


def displaced_spans(page: GoldPage) -> list[tuple[GoldSpan, GoldSpan, GoldSpan | None]]:
    """Lines printed out of column order: (line, the span it continues, the span continuing it).

    An article span that joins its predecessor in reading order although that predecessor is printed
    *after* it on the page: a column's top line the OCR engine read early (the composer's
    ``render.displace_lines``). Continuations printed later (column breaks, tails) do not count."""
    out = []
    for spans in article_spans(page).values():
        for k in range(1, len(spans)):
            prev, cur = spans[k - 1], spans[k]
            if cur.join and prev.start >= cur.end:
                out.append((cur, prev, spans[k + 1] if k + 1 < len(spans) and spans[k + 1].join else None))
    return out
