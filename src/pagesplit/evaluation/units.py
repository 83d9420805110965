"""One corpus article -> the units a reader sees printed, each with its gold role.

The corpus keeps intertitles, "核心阅读" boxes, photo credits and trailing page credits inside
``paragraphs``; this module tells them apart with the rules below (the same rules the gold relies on,
so they are deliberately simple and documented rather than clever):

* trailing credits (``版式设计：…``, ``责任编辑：…``, ``本版制图：…``) at the end of the list -> boilerplate;
* ``核心阅读`` (the label of the summary box) -> intertitle; the box's sentences stay body;
* a short photo/graphic credit (``…摄``, ``…供图``, ``制图：…``) -> caption;
* a short paragraph without sentence-final punctuation, after the first paragraph, that is not a list
  row (no ideographic space, no leading dash) -> intertitle;
* everything else -> body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .corpus import CorpusArticle

# Intertitles in the corpus run 2-40 characters (e.g. "博士种田记", or a one-line quote under it);
# body paragraphs that short almost always end in sentence punctuation, which the rule checks as well.
INTERTITLE_MAX_CHARS = 40
# Photo credits stand alone as short paragraphs ("中铁八局供图"); longer ones are body text that
# mentions a photo in passing ("罗日盖（上图，…供图）俯下身…").
CREDIT_MAX_CHARS = 40

TRAILING_CREDIT = re.compile(r"^(本版)?(责任编辑|责编|版式设计|本版制图|制图|美编)[:：]")
PHOTO_CREDIT = re.compile(r"(摄|供图|摄）|供图）)$|^(制图|图片来源|数据来源)[:：]")
SENTENCE_END = "。！？；：…!?;:，,、"
CLOSERS = "”’）)」』》"
BOX_LABEL = "核心阅读"


@dataclass(frozen=True, slots=True)
class Unit:
    """One printed unit of an article: ``label`` is 'article' or 'boilerplate'."""

    role: str  # kicker/headline/subheadline/byline/intertitle/body/caption ('' for boilerplate)
    text: str
    label: str = "article"


def is_intertitle(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > INTERTITLE_MAX_CHARS or "\u3000" in t or t.startswith(("——", "－", "-")):
        return False
    core = t.rstrip(CLOSERS)
    return bool(core) and core[-1] not in SENTENCE_END


def paragraph_roles(paragraphs: tuple[str, ...]) -> tuple[Unit, ...]:
    """Classify the corpus paragraphs of one article (see the module docstring)."""
    n_tail = 0
    while n_tail < len(paragraphs) - 1 and TRAILING_CREDIT.match(paragraphs[-1 - n_tail].strip()):
        n_tail += 1
    units = []
    for i, p in enumerate(paragraphs):
        t = p.strip()
        if i >= len(paragraphs) - n_tail:
            units.append(Unit("", t, "boilerplate"))
        elif t == BOX_LABEL:
            units.append(Unit("intertitle", t))
        elif len(t) <= CREDIT_MAX_CHARS and PHOTO_CREDIT.search(t):
            units.append(Unit("caption", t))
        elif i > 0 and is_intertitle(t):
            units.append(Unit("intertitle", t))
        else:
            units.append(Unit("body", t))
    return tuple(units)


def article_units(article: CorpusArticle) -> tuple[Unit, ...]:
    """Heads (kicker, headline, subheadline) then the classified paragraphs; bylines are added by plan.py."""
    heads = [
        Unit(role, text.strip())
        for role, text in (
            ("kicker", article.kicker),
            ("headline", article.headline),
            ("subheadline", article.subheadline),
        )
        if text and text.strip()
    ]
    return tuple(heads) + paragraph_roles(article.paragraphs)
