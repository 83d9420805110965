"""The in-memory contract: small frozen types passed between stages.

All offsets are Unicode code-point offsets into the decoded page text, end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("kicker", "headline", "subheadline", "byline", "intertitle", "body", "caption")
REMOVED = ("boilerplate", "duplicate", "noise")


@dataclass(frozen=True, slots=True)
class PageRef:
    """Where a page comes from: enough to find it again, no text."""

    source_path: str  # relative to the input root, '/'-separated
    publication: str
    issue_date: str  # YYYY-MM-DD
    page_no: int

    @property
    def page_id(self) -> str:
        stem = self.source_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return f"{self.publication}/{self.issue_date}/{stem}"


@dataclass(frozen=True, slots=True)
class Page:
    ref: PageRef
    text: str
    sha256: str
    encoding: str = "utf-8"

    @property
    def page_id(self) -> str:
        return self.ref.page_id


@dataclass(frozen=True, slots=True)
class Line:
    """A physical, non-blank line of the page with its markup read off.

    ``start``/``end`` cover the line without surrounding whitespace; ``clean`` is the text with OCR
    markup (``#``, ``**``) and inter-CJK spaces removed — what the reader sees.
    """

    index: int
    start: int
    end: int
    raw: str
    clean: str
    heading: int = 0  # 1 for '#', 2 for '##', ... (0: none)
    bold: bool = False  # wrapped in '**…**'
    blank_before: bool = True  # a blank line (or page start) precedes it
    indent: int = 0  # leading whitespace in half-width columns (an ideographic space counts 2)


@dataclass(frozen=True, slots=True)
class Removal:
    """Why a line (or a run of lines) is not article text."""

    kind: str  # one of REMOVED
    reason: str  # e.g. repeated_label, running_head, credits, duplicate_of_span
    duplicate_of: str | None = None  # segment_id of the first copy (duplicates only)
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (one or more consecutive kept lines) or one removed line."""

    index: int
    start: int
    end: int
    text: str  # reader's text: markup stripped, wrapped lines joined
    lines: tuple[int, ...]  # Line indices
    heading: int = 0
    bold: bool = False
    removal: Removal | None = None
    blank_before: bool = True  # a blank line (or the page start) precedes its first line

    @property
    def kept(self) -> bool:
        return self.removal is None


@dataclass(frozen=True, slots=True)
class Segment:
    """A block with everything the later stages decided about it."""

    segment_id: str
    start: int
    end: int
    text: str
    role: str  # one of ROLES, or 'boilerplate' / 'duplicate' / 'noise' when removed
    removal: Removal | None = None
    article_id: str | None = None
    article_seq: int | None = None
    joins_previous: bool = False


@dataclass(frozen=True, slots=True)
class Article:
    article_id: str
    page_id: str
    kicker: str | None
    headline: str | None
    subheadline: str | None
    byline: str | None
    text: str
    segment_ids: tuple[str, ...]
    tokens: str = ""
    kind: str = "article"  # 'article' or 'caption' (a captioned photo with no headline)


@dataclass(frozen=True, slots=True)
class PageResult:
    page: Page
    layout: str  # 'paragraph' (a paragraph per line) or 'wrapped' (a printed line per line)
    segments: tuple[Segment, ...]
    articles: tuple[Article, ...] = field(default=())
