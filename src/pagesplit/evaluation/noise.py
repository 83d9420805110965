"""OCR-noise transforms: pure functions of (text[, rng, rate]) -> text, applied per block by render.py.

Every transform here preserves what a reader would call the content; the gold stays exact because spans are
computed on the transformed text. Rates are chosen by plan.py/render.py and stated in compose.py.
"""

from __future__ import annotations

import random

# Full-width punctuation the seed's OCR engine writes half-width ("，" -> ","), one code point each;
# "。", "、" and curly quotes stay full-width there, as on the seed page.
HALFWIDTH = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";", "！": "!", "？": "?"})

# Glyph pairs Chinese OCR engines are known to swap (README: 己/已, 未/末, 赁/凭, ...).
CONFUSABLES: dict[str, str] = {
    "己": "已巳", "已": "己巳", "未": "末", "末": "未", "赁": "凭", "凭": "赁", "土": "士", "士": "土",
    "日": "曰", "人": "入", "入": "人", "大": "太", "太": "大", "干": "千", "千": "干", "天": "夭",
    "力": "刀", "候": "侯", "侯": "候", "拔": "拨", "拨": "拔", "折": "拆", "拆": "折", "免": "兔",
    "王": "玉", "由": "田甲", "田": "由", "白": "自", "自": "白", "本": "木", "木": "本", "辨": "辩",
    "辩": "辨", "即": "既", "既": "即", "贝": "见", "见": "贝", "仑": "仓", "仓": "仑", "鸟": "乌",
    "乌": "鸟", "准": "淮", "淮": "准", "毫": "亳", "的": "旳", "设": "没", "没": "设", "建": "健",
}
# Stray one-character lines from rules, frames and pictures.
STRAY_GLYPHS = "|丨一I l■·口_-"


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def halfwidth_punct(text: str) -> str:
    return text.translate(HALFWIDTH)


def confuse(text: str, rng: random.Random, rate: float) -> str:
    """Swap each confusable character for a look-alike with probability ``rate``."""
    return "".join(
        rng.choice(CONFUSABLES[c]) if c in CONFUSABLES and rng.random() < rate else c for c in text
    )


def char_errors(text: str, rng: random.Random, rate: float) -> str:
    """Misread each CJK character with probability ``rate``: a look-alike where one is known, else a
    neighbouring code point (an unrelated character, as OCR misreads of rare glyphs look)."""
    out = []
    for c in text:
        if is_cjk(c) and rng.random() < rate:
            c = rng.choice(CONFUSABLES[c]) if c in CONFUSABLES else chr(ord(c) + rng.choice((-2, -1, 1, 2)))
        out.append(c)
    return "".join(out)


def space_cjk(text: str, rng: random.Random, p: float) -> str:
    """Insert a space between two adjacent CJK characters with probability ``p`` (1.0: everywhere)."""
    if p <= 0 or not text:
        return text
    out = [text[0]]
    for prev, c in zip(text, text[1:]):
        if is_cjk(prev) and is_cjk(c) and rng.random() < p:
            out.append(" ")
        out.append(c)
    return "".join(out)


def wrap(text: str, width: int, rng: random.Random, jitter: float = 0.1) -> list[str]:
    """Cut ``text`` into printed lines of ``width`` characters; with probability ``jitter`` a line is one
    character longer or shorter (hanging punctuation, a squeezed line)."""
    lines, i = [], 0
    while i < len(text):
        w = width + (rng.choice((-1, 1)) if rng.random() < jitter else 0)
        lines.append(text[i : i + max(w, 1)])
        i += max(w, 1)
    return lines


def stray_glyph(rng: random.Random) -> str:
    return rng.choice(STRAY_GLYPHS.replace(" ", ""))
