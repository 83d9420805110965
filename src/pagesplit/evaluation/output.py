"""pagesplit's Parquet output (tables ``segments`` and ``articles``) -> predictions per page, keyed by
``source_path`` (relative to the input root, as in the gold)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .. import io
from ..errors import InputMissing


@dataclass(frozen=True, slots=True)
class PredSegment:
    start: int
    end: int
    removed: str | None
    role: str | None
    article_id: str | None
    article_seq: int | None
    joins_previous: bool


@dataclass(frozen=True, slots=True)
class PredArticle:
    article_id: str
    headline: str | None
    text: str


@dataclass(frozen=True, slots=True)
class PredPage:
    segments: tuple[PredSegment, ...]
    articles: dict[str, PredArticle]


EMPTY = PredPage((), {})


def load(output_dir: Path) -> dict[str, PredPage]:
    output_dir = Path(output_dir)
    if not (output_dir / "segments").is_dir():
        raise InputMissing(
            f"no segments table under {output_dir}",
            hint="pass the output root of `pagesplit run` (it holds segments/ and articles/)",
        )
    segs: dict[str, list[PredSegment]] = defaultdict(list)
    cols = ["source_path", "char_start", "char_end", "removed", "role", "article_id", "article_seq", "joins_previous"]
    for r in io.read_table(output_dir, "segments").select(cols).to_pylist():
        segs[r["source_path"]].append(
            PredSegment(
                start=int(r["char_start"]),
                end=int(r["char_end"]),
                removed=r["removed"],
                role=r["role"],
                article_id=r["article_id"],
                article_seq=r["article_seq"],
                joins_previous=bool(r["joins_previous"]),
            )
        )
    arts: dict[str, dict[str, PredArticle]] = defaultdict(dict)
    for r in io.read_table(output_dir, "articles").select(["source_path", "article_id", "headline", "text"]).to_pylist():
        arts[r["source_path"]][r["article_id"]] = PredArticle(r["article_id"], r["headline"], r["text"] or "")
    return {sp: PredPage(tuple(segs.get(sp, ())), arts.get(sp, {})) for sp in set(segs) | set(arts)}
