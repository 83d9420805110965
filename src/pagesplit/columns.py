"""Lines read across columns: an OCR engine that did not find a page's gutters prints each row of a
multi-column article as one text line, the columns' pieces separated by runs of spaces that stand for
the gutter (Tesseract does this on newspaper pages with narrow gutters):

    贫穷并不可怕，怕的是群众失去脱贫信      但交通等基础设施条件是短板。路没      问题。”我们还向
    心。这是我到村里担任第一书记以      游品牌自然难打响，景区就缺人气。      家的农家乐也可

(invented text). Read as printed lines, every paragraph is shuffled with two others. ``split_columns``
finds such runs of rows and reads them column by column: each piece (a *cell*) becomes a line of its
own, with its own offsets into the page text, in reading order — the first column's cells top to
bottom, then the second's, and so on. A paragraph then runs over cells that are not next to each other
in the text; ``cell_runs`` gives the contiguous pieces the output writes as segments of their own
(each after the first continuing its paragraph).

A headline or any line printed across the page is one cell and ends the run of rows: the next
article's rows are read after it. Tables (short cells, figures) are left as printed, row by row.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import replace
from typing import Sequence

from .text import drop_cjk_spaces, repair_brackets
from .types import Line

# A gutter: this many spaces (or a tab) between two pieces of a line. Inside a column the engine
# writes at most one or two spaces (between CJK characters, around a Latin word); the gutters of the
# Tesseract pages tried (3-column pages rendered at 1,500 px, 40-70 px gutters) came out as 4-9. A
# column rule comes out as a bar, often with a quote mark read into it ("“|"): a separator too, kept
# as a piece of its own (a stray mark for the noise stage).
_SEPARATOR = re.compile(r"(?P<rule>[“”\"']?\|)|[ \t]{3,}|\t")
# The fewest rows in a run for it to be read by columns: two rows could be a label and its value.
MIN_ROWS = 3
# Cells shorter than this (median over the run's cells, in characters) are a table's, not prose
# columns' (a column of a Chinese newspaper holds 10-25 characters a line) ...
MIN_MEDIAN_CELL = 8
# ... and a column whose cells are shorter than this in the median is a list's names (2-4
# characters) beside their titles. (At 8 a column of a few rows ending paragraphs fell short too: on
# the real-OCR pages one article fewer came out near.)
MIN_COLUMN_CELL = 5
# A run must be mostly prose: this share of its cells holding CJK text.
MIN_CJK_SHARE = 0.8
_CJK = re.compile(r"[\u3400-\u9fff]")
_TEXT = re.compile(r"[\w\u3400-\u9fff]")


def _display_width(s: str) -> int:
    """Columns on the engine's grid: a wide character two, anything else one, spaces included (the
    engine pads a row's pieces with spaces; ``blocks.display_width`` measures print, spaces nothing)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


Cell = tuple[int, int, int]  # start, end (offsets into the page text), display column of the start


def _pieces(text: str, line: Line) -> tuple[list[Cell], list[Cell]]:
    """The line's pieces between gutters and rules: its text cells and its rule marks."""
    raw = text[line.start : line.end]
    line_begin = max(text.rfind("\n", 0, line.start), text.rfind("\r", 0, line.start)) + 1  # "\r" alone: old Mac files
    lead = _display_width(text[line_begin : line.start])
    cells: list[Cell] = []
    marks: list[Cell] = []

    def add(s: int, e: int, into: list[Cell]) -> None:
        piece = raw[s:e]
        if piece.strip():
            s2 = s + len(piece) - len(piece.lstrip())
            e2 = s + len(piece.rstrip())
            into.append((line.start + s2, line.start + e2, lead + _display_width(raw[:s2])))

    pos = 0
    for m in _SEPARATOR.finditer(raw):
        add(pos, m.start(), cells)
        if m.group("rule"):
            add(m.start(), m.end(), marks)
        pos = m.end()
    add(pos, len(raw), cells)
    # a piece with no letter, digit or CJK character is a mark too ("”", "·" beside a rule)
    marks += [c for c in cells if not _TEXT.search(text[c[0] : c[1]])]
    cells = [c for c in cells if _TEXT.search(text[c[0] : c[1]])]
    return cells, sorted(marks)


def split_columns(text: str, lines: Sequence[Line]) -> tuple[Line, ...]:
    """``lines`` (``blocks.read_lines`` of ``text``) with each run of rows read across columns
    replaced by its cells in column order (renumbered; unchanged when there is none)."""
    # only a line with a gutter or a rule in it can be a row (a substring test: most pages have none)
    gapped = [not (ln.heading or ln.bold) and ("   " in ln.raw or "\t" in ln.raw or "|" in ln.raw) for ln in lines]
    if sum(gapped) < MIN_ROWS:
        return tuple(lines)
    pieces = [_pieces(text, ln) if g else ([], []) for ln, g in zip(lines, gapped)]
    cells = [c for c, _ in pieces]
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if len(cells[i]) < 2:
            i += 1
            continue
        j = i
        while j < len(lines) and len(cells[j]) >= 2:
            j += 1
        if j - i >= MIN_ROWS and _prose(text, cells[i:j]):
            runs.append((i, j))
        i = j
    if not runs:
        return tuple(lines)
    out: list[Line] = []
    k = 0
    for lo, hi in runs:
        out.extend(lines[k:lo])
        out.extend(_read_by_columns(text, lines[lo:hi], cells[lo:hi], [m for _, ms in pieces[lo:hi] for m in ms]))
        k = hi
    out.extend(lines[k:])
    return tuple(replace(ln, index=n) for n, ln in enumerate(out))


def _columns(rows: Sequence[list[Cell]]) -> int:
    """How many columns: the commonest count of cells in a row (a piece split by a stray gap in
    one row must not add a column; on a tie, the larger)."""
    counts = Counter(len(row) for row in rows)
    return max(counts, key=lambda n: (counts[n], n))


def _prose(text: str, rows: Sequence[list[Cell]]) -> bool:
    """Columns of prose, not a table or a list: the cells are line-long in the median, so is every
    column's (in the rows with the usual number of cells; a list of names and titles has a column
    of short names), and nearly all cells hold CJK text."""
    k = _columns(rows)
    full = [row for row in rows if len(row) == k]
    flat = [text[s:e] for row in rows for s, e, _ in row]
    return (statistics.median(len(c) for c in flat) >= MIN_MEDIAN_CELL
            and all(statistics.median(row[j][1] - row[j][0] for row in full) >= MIN_COLUMN_CELL for j in range(k))
            and sum(bool(_CJK.search(c)) for c in flat) >= MIN_CJK_SHARE * len(flat))  # fmt: skip


def _read_by_columns(text: str, rows: Sequence[Line], cells: Sequence[list[Cell]], marks: list[Cell]) -> list[Line]:
    """The rows' cells, column by column, then the rules' marks (so that no mark cuts a paragraph).
    The columns start where the rows with the usual number of cells start their cells (median
    display column); a cell belongs to the nearest, a row's cells keep their order. (Merging two
    pieces of a row that fall nearest one column, as a stray gap inside a line would make, joined a
    short paragraph end to the next column's piece as often as it mended a line: not done.)"""
    k = _columns(cells)
    full = [c for c in cells if len(c) == k]
    starts = [statistics.median(row[j][2] for row in full) for j in range(k)]
    columns: list[list[tuple[int, int]]] = [[] for _ in range(k)]
    for row in cells:
        taken = -1
        for s, e, at in row:
            col = min(range(k), key=lambda j: abs(starts[j] - at))
            col = max(col, taken + 1) if taken + 1 < k else k - 1  # a row's cells keep their order
            taken = col
            columns[col].append((s, e))
    first_blank = rows[0].blank_before
    out = []
    for col in columns + [[(s, e) for s, e, _ in marks]]:
        for s, e in col:
            raw = text[s:e]
            out.append(Line(index=-1, start=s, end=e, raw=raw, clean=drop_cjk_spaces(repair_brackets(raw)),
                            blank_before=first_blank and not out))  # fmt: skip
    return out


def cell_runs(block_lines: Sequence[Line], next_in_text: dict[int, int]) -> list[list[Line]]:
    """A block's lines (reading order) cut where the next one is not the next line of the page
    text (``next_in_text``: line index -> index of the line that follows it in the text): the
    contiguous pieces of a paragraph read across columns; one piece otherwise."""
    runs: list[list[Line]] = []
    for ln in block_lines:
        if runs and next_in_text.get(runs[-1][-1].index) == ln.index:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


def text_order(lines: Sequence[Line]) -> dict[int, int]:
    """Line index -> index of the line that comes next in the page text."""
    by_start = sorted(lines, key=lambda ln: ln.start)
    return {a.index: b.index for a, b in zip(by_start, by_start[1:])}
