"""Pages printed in traditional characters (Hong Kong, Taiwan and pre-1956 mainland papers).

Every model and pattern of the pipeline was made on simplified text: the character statistics and
the junction model (the training months' pairs and groups), pkuseg's default model, the role model's
words, the dateline, byline and credit patterns ("本报讯", "记者", "摄"). A page in traditional
characters ("本報訊", "記者", "攝") escaped all of them: the dev pages converted character by
character (one-off, OpenCC's STCharacters) lost article exact 0.84 -> 0.71, byline F1 0.99 -> 0.76,
caption F1 0.97 -> 0.05.

So the pipeline reads a simplified copy of each page (``to_simplified``: one character for one, so
every offset holds) and writes the page's own characters back into all it outputs (``restore``):
segments, articles and tokens keep the script they were printed in. The table (``data/
ts_characters.tsv``) is OpenCC's, without the characters simplified text uses as they are (乾, 於,
覆, ...): a simplified page reads as it is.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

# Corner brackets, the quotation marks of papers in traditional characters, read as the curly quotes
# the simplified text the models were made on uses (the junction model's pairs, the quote state).
QUOTES = {"「": "“", "」": "”", "『": "‘", "』": "’"}

# How far past the last restored character the next one is looked for in the source: what the
# derived text drops between two characters is markup ("## ", "**"), a line break, a paragraph's
# indent and the OCR's spaces between characters.
RESTORE_REACH = 64


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    text = resources.files("pagesplit").joinpath("data/ts_characters.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            trad, simp = line.split("\t")
            table[ord(trad)] = simp
    table.update((ord(k), v) for k, v in QUOTES.items())
    return table


def to_simplified(text: str) -> str:
    """``text`` with each traditional character replaced by its simplified form (corner brackets by
    curly quotes); same length."""
    return text.translate(_table())


@lru_cache(maxsize=1)
def _backwards() -> dict[int, str]:
    back: dict[int, str] = {}
    for trad, simp in sorted(_table().items()):
        back.setdefault(ord(simp), chr(trad))
    return back


def to_traditional(text: str) -> str:
    """``text`` as a paper in traditional characters prints it, one for one (the table read backwards,
    the first traditional form of each simplified character): ``compose --traditional``."""
    return text.translate(_backwards())


def restore(derived: str, source: str) -> str:
    """``derived`` (text made from ``to_simplified(source)``'s characters, in order, some dropped
    and separators put between) with each character taken from ``source`` written as ``source``
    prints it. Same length as ``derived``; a character not found within RESTORE_REACH of the last
    one found (a separator, a normalized form) stays as it is."""
    folded = to_simplified(source)
    if folded == source:
        return derived
    out: list[str] = []
    p, n = 0, len(source)
    for ch in derived:
        if ch.isspace():
            out.append(ch)  # a separator (or the source's own space): nothing to restore
            continue
        q, limit = p, min(n, p + RESTORE_REACH)
        while q < limit and folded[q] != ch:
            q += 1
        if q < limit:
            out.append(source[q])
            p = q + 1
        else:
            out.append(ch)
    return "".join(out)


def restore_words(words: list[str], source: str) -> list[str]:
    """``restore`` for a text's words (pkuseg's reading of the simplified copy)."""
    joined = restore("".join(words), source)
    out, k = [], 0
    for w in words:
        out.append(joined[k : k + len(w)])
        k += len(w)
    return out
