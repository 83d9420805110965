"""Character classes and small text helpers shared by the stages."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterator

# A date as news text prints it: "7月14日", "７月１４日", "七月十四日"; OCR reads 日 as 曰 now and
# then (27 of 1,180 datelines on the dev pages). Datelines and news leads are read with it.
NEWS_DATE = "[0-9０-９一二三四五六七八九十]{1,3}月[0-9０-９一二三四五六七八九十]{1,3}[日曰]"
# A dateline's date: the day, after its month or alone ("新华社华盛顿10日电", the wire's and many
# papers' form within the month), then 电 not starting a word (电商, 电视, 电网 … after "5日").
DATELINE_DATE = "(?:[0-9０-９一二三四五六七八九十]{1,3}月)?[0-9０-９一二三四五六七八九十]{1,3}[日曰]"
NOT_A_DIAN_WORD = "(?![商视网力子影话脑器池动竞厂费梯台缆])"

# Sentence-final punctuation: a paragraph whose text ends with one of these is closed.
TERMINAL = set("。！？!?…；;”’」』）)】》")
# Clause punctuation: the sentence goes on after it.
CLAUSE = set("，,、：:")
# A reporter's credit opening a line: the People's Daily's forms, then other papers' (trainees, the
# metro papers' "文/本报记者 张三 图/李四", Hong Kong's "【本報訊】記者林美玲／新竹報導"). Read on a
# line's head with its whitespace and opening ornaments taken out.
REPORTER_FORMS = "本报记者|记者|通讯员|本报特约记者|新华社记者|本报通讯员|见习记者|实习记者|实习生|文[/／]|本报讯[】〗）)]?(?:记者|通讯员)"
REPORTER_START = re.compile(f"^(?:{REPORTER_FORMS})")
# What ends a sentence inside running text (not brackets or quotes, which close phrases too).
SENTENCE_END = frozenset("。！？!?；;")
OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "《": "》", "【": "】"}
CLOSERS = {v: k for k, v in OPENERS.items()}
_BRACKETS = re.compile("[" + re.escape("".join(OPENERS) + "".join(CLOSERS)) + "]")

# A row of a list ("王某 某市某医院院长"): a name of 1-4 characters (with an optional note:
# "某某（女，满族） …"), then a space. Matched on clean text, and by blocks.py on the raw line
# without the OCR's ASCII spaces (only typeset spaces left). Rows of a list do not continue one
# another's sentences: colorder never moves them, repair never joins two of them.
LIST_ROW = re.compile(r"^[^\s（(]{1,4}(?:[（(][^）)]{1,8}[）)])?\s")

# Clause and sentence punctuation. A text with none is "bare": a name, a title, a list entry.
_BARE_BREAKERS = re.compile("[，,。、；;：:！!？?…]")


def is_bare(s: str) -> bool:
    """No clause or sentence punctuation anywhere (brackets and quotes aside)."""
    return _BARE_BREAKERS.search(s) is None


_CJK_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
)


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    # _CJK_RANGES unrolled: this runs for every character of a page's blocks
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


# The characters is_cjk accepts, for counting or removing them in one regex pass.
CJK_RE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]")
# Runs of two or more of them (the character pairs of links.bag).
CJK_RUN_RE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]{2,}")


def cjk_pairs(text: str) -> Iterator[str]:
    """Every pair of adjacent CJK characters of ``text``, in order (pairs across a non-CJK character
    or a space are not pairs): the topic terms of ``links.bag`` and ``features``' overlaps."""
    for run in CJK_RUN_RE.findall(text):
        yield from map(str.__add__, run, run[1:])


def is_cjk_or_punct(ch: str) -> bool:
    o = ord(ch)
    return is_cjk(ch) or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’…—·"


# Whitespace between two non-ASCII characters (drop_cjk_spaces' runs of single characters, tight).
_SPACE_BETWEEN_CJK = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_WS = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009\u200b]+")
# Brackets and book-title marks: inside them spaces are typeset (a credit's names, a title's halves).
_SPACED_SPANS = re.compile(r"[（(《][^（()）《》]*[）)》]")
_IDEOGRAPH = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES)
_PROSE_GAP = re.compile(f"(?<=[{_IDEOGRAPH}])[ \\t\u00a0\u2002\u2003\u2009\u200b]+(?=[{_IDEOGRAPH}])")


# An engine's misreading of a full-width round bracket pair: Tesseract reads "（" as "〈" or "《"
# and "）" as ")" ("〈一线见闻)", "《时评)", "〈记者张三)": 61 of the 124 bracketed spans of the 24
# pages of `pagesplit eval-ocr` seeds 5 and 6; it never wrote "（"). ``repair_brackets`` writes such
# a pair "（…）". A span longer than this is no column tag or credit: left as read.
MISREAD_PAIR_MAX_CHARS = 30
_MISREAD_PAIR = re.compile(f"[〈《]([^〈〉《》（）()\n]{{1,{MISREAD_PAIR_MAX_CHARS}}})[)）]")


def repair_brackets(s: str) -> str:
    """``s`` with each angle or title opener (〈 《) that a round bracket closes written as the
    full-width round pair it was printed as ("〈一线见闻)" → "（一线见闻）"). Pairs as printed stay:
    "《通知》", "〈档案法〉" inside a title, "(2020)", "（新论）" — and a pair of mixed widths
    ("（记者张三)"), which the People's Daily text itself has (a dev page's headline closes a column tag so): its
    width is not known. The length of ``s`` stays the same."""
    if "〈" not in s and "《" not in s:
        return s  # no such opener: nothing to repair (most lines)
    return _MISREAD_PAIR.sub(r"（\1）", s)


def drop_cjk_spaces(s: str) -> str:
    """Remove spaces an OCR engine put between CJK characters; keep those between Latin words.

    A single space between two CJK runs can be meaningful in a headline ("压紧压实… 全面提高…"),
    so in a bare line (no clause or sentence punctuation: a headline, a name) only spaces *inside*
    runs of single characters (``中 国 人 民``) are removed: the pattern "X Y Z" with one-character
    tokens. A line of prose has no such gaps: every space between two ideographs is the engine's
    (``常务委 员会关于增加香港 特``), unless the line reads as a row of a list (``LIST_ROW``: its
    first space separates a name) or the space is inside brackets or title marks (a credit's names
    ``（记者 耿欣 通讯员 米功）``, a title's halves ``《多元汇聚 北疆干城》``). Typeset ideographic
    spaces (a list row's columns, a slogan's halves) stay, as one space."""
    if not _WS.search(s):
        return s  # nothing to drop (most lines of most exports)
    tokens = s.split(" ")
    if len(tokens) >= 4 and sum(len(t) == 1 for t in tokens) >= 0.6 * len(tokens):
        return _SPACE_BETWEEN_CJK.sub("", s)
    if not is_bare(s) and not LIST_ROW.match(s):
        s = _unspace_prose(s)
    return _WS.sub(" ", s)


def _unspace_prose(s: str) -> str:
    """A prose line without the engine's spaces between ideographs, bracketed and titled spans
    aside."""
    kept = [m.span() for m in _SPACED_SPANS.finditer(s)]
    if not kept:
        return _PROSE_GAP.sub("", s)
    return _PROSE_GAP.sub(lambda m: m.group(0) if any(a < m.start() < b for a, b in kept) else "", s)


# The end of a line of Latin prose: two ASCII words with a space between them, ASCII to the end
# (with a letter in the line's tail: "增长 3.5" is CJK prose with the engine's space).
_LATIN_TAIL = re.compile(r"[!-~][^\S\n]+[!-~]+$")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
# How much of the left side is looked at (a line's worth: the tail, not the whole paragraph).
LATIN_TAIL_CHARS = 40


def join_wrapped(left: str, right: str) -> str:
    """``right`` appended to ``left`` across a line break or a column break (no paragraph break
    between them): how a paragraph's text reads on.

    CJK typesetting breaks a line anywhere — inside a number ("第2|3条"), an e-mail address or a
    Latin word embedded in the prose — so nothing goes between the two sides. Latin prose (the
    left side ends in ASCII words separated by spaces) breaks between words: a space goes between
    two ASCII characters, and a lower-case word hyphenated at the break ("end-|ing") is rejoined
    without its hyphen."""
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if not (a.isascii() and b.isascii()) or a.isspace() or b.isspace():
        return left + right
    tail = left[-LATIN_TAIL_CHARS:]
    if not (_LATIN_TAIL.search(tail) and _LATIN_LETTER.search(tail)):
        return left + right
    if a == "-" and len(left) > 1 and "a" <= left[-2] <= "z" and b.islower():
        return left[:-1] + right  # a word hyphenated at the end of a printed line: "end-" + "ing"
    if a in "-/":
        return left + right
    return left + " " + right


# Ornaments a line may open with: many papers print a byline or a dateline after a square, a
# circle or a star ("□本报记者 林小雨", "■记者 陈晨", "◎本报讯"), or in lenticular brackets
# ("【本报讯】"); geometric shapes, stars, bullets, an opening 【 or 〖.
ORNAMENT_CHARS = "\u25a0-\u25ff\u2605\u2606\u2022\u203b"  # a regex class's ranges: shapes, stars, bullets
_ORNAMENTS = re.compile(f"^[{ORNAMENT_CHARS}\u2660-\u2667【〖]+\\s*")


# OCR's reading of the "本" of "本报" as "木" (a stroke lost): "木报记者", "木报北京9月8日电".
_MU_BAO = re.compile(r"^木(?=\s*[报報])")


def normalize_start(s: str) -> str:
    """``s`` as the dateline and byline start patterns read it: without the ornaments it opens
    with, and with "木报" read as "本报" (no word starts so)."""
    return _MU_BAO.sub("本", _ORNAMENTS.sub("", s))


def tight(s: str) -> str:
    """``s`` without whitespace between two non-ASCII characters: how a junction reads. OCR
    engines put stray single spaces into CJK text ("常务委 员会关于增加香港 特"); drop_cjk_spaces keeps
    some (a headline's typeset gap, a list row's, one next to punctuation), but across a junction a
    space hides the word ("特|别") from pkuseg and the character pairs from the junction model.
    Spaces between Latin words stay."""
    return _SPACE_BETWEEN_CJK.sub("", s)


# Lines whose folded form is remembered: a few pages' worth (an issue's page is ≤ ~2,000 lines).
FOLD_CACHE = 1 << 14
# \s matches exactly the characters str.isspace() accepts; one regex pass is ~10× a generator.
_FOLD_DROP = re.compile(r"[\s#*]+")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=FOLD_CACHE)
def fold(s: str) -> str:
    """Comparison form: NFKC (full-width → half-width), no whitespace, no OCR markup. Remembered:
    boilerplate, noise and duplicate detection each fold every line of a page."""
    return _FOLD_DROP.sub("", unicodedata.normalize("NFKC", s))


def nonspace_len(s: str) -> int:
    return len(s) - sum(len(m) for m in _SPACE.findall(s))


def ends_closed(s: str) -> bool:
    s = s.rstrip()
    return bool(s) and s[-1] in TERMINAL


# OCR mixes full- and half-width brackets ("（记者张三)"): a bracket of either width closes one of
# the other.
_FOLD = {"（": "(", "）": ")"}


def unbalanced_openers(s: str) -> list[str]:
    """Openers (quotes, brackets) left open at the end of ``s``."""
    stack: list[str] = []
    for ch in _BRACKETS.findall(s):  # the quotes and brackets alone, in order
        if ch in OPENERS:
            stack.append(ch)
        elif ch in CLOSERS and stack and _FOLD.get(stack[-1], stack[-1]) == _FOLD.get(CLOSERS[ch], CLOSERS[ch]):
            stack.pop()
    return stack


# Junction scoring asks about the same block sides over and over (a left side with each of its
# candidate right sides, each pair three times): remembered for this many recent strings.
QUOTE_CACHE = 4096


@lru_cache(maxsize=QUOTE_CACHE)
def open_quotes(s: str) -> tuple[str, ...]:
    """``unbalanced_openers(s)`` as a tuple, remembered."""
    return tuple(unbalanced_openers(s))


@lru_cache(maxsize=QUOTE_CACHE)
def first_unmatched_closer(s: str) -> str | None:
    """``leading_unmatched_closer(s)``, remembered."""
    return leading_unmatched_closer(s)


def closes_open_bracket(left: str, right: str) -> bool:
    """``right`` closes, before anything else it leaves unmatched, the quote or bracket ``left``
    left open last: the two sides are one sentence ("…（国际视点" + "）", "（经济新" + "方位…（12））")."""
    opened = open_quotes(left)
    if not opened:
        return False
    closer = first_unmatched_closer(right)
    # OCR mixes full- and half-width brackets: "（国际视点" + ")" closes it too
    return closer is not None and _FOLD.get(closer, closer) == _FOLD.get(OPENERS[opened[-1]], OPENERS[opened[-1]])


def leading_unmatched_closer(s: str, limit: int = 80) -> str | None:
    """The first closer in ``s[:limit]`` that has no opener before it, if any."""
    depth: dict[str, int] = {}
    for ch in s[:limit]:
        if ch in OPENERS:
            op = _FOLD.get(ch, ch)
            depth[op] = depth.get(op, 0) + 1
        elif ch in CLOSERS:
            op = _FOLD.get(CLOSERS[ch], CLOSERS[ch])
            if depth.get(op, 0) == 0:
                return ch
            depth[op] -= 1
    return None
