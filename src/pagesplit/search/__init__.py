"""Full-text search over an output's articles (tantivy, pkuseg words)."""

from .build import BuildReport, build_index
from .query import Hit, SegmentSpan, search

__all__ = ["BuildReport", "Hit", "SegmentSpan", "build_index", "search"]
