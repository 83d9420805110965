"""The bad-input battery as data: one row per case — a name, how its file is made, and what must
become of it (a page decoded with an encoding, or a reject with a reason).

Each case lives in its own issue (publication ``bad``, its own date) so that the run's per-issue
timings bound each case on its own. ``python -m tests.faults.cases`` prints the table for the README.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# Written for these tests (not corpus text): a short news paragraph, simplified and traditional.
SIMP = "本报讯（记者 张三）今天天气很好，市民纷纷外出踏青。国家发展改革委员会表示，将继续推动经济稳定增长，优化营商环境。"
TRAD = "本報訊（記者 張三）今天天氣很好，市民紛紛外出踏青。國家發展改革委員會表示，將繼續推動經濟穩定增長，優化營商環境。"
PAGE = "# 市图书馆新馆开放\n\n" + "\n\n".join([SIMP] * 3) + "\n\n责任编辑：李四\n"
ENGLISH = "# City library opens\n\nThe new city library opened yesterday. It holds 300,000 books.\n\nEditor: John Smith\n"
MIXED = (
    "# 北京 Beijing 东京 とうきょう 서울 Москва القاهرة\n\n"
    "新华社电 The summit (峰会) opened on Monday — 東京の天気は晴れ。서울의 날씨는 맑습니다. 🌏📰 ①②③ ℃ ±5%\n"
)


@dataclass(frozen=True)
class Case:
    name: str
    made: str  # how the file is made, for the README table
    build: Callable[[Path], None]  # writes the file(s) under the given path (a file path)
    expect: str  # 'page:<encoding>' or 'reject:<reason>'
    filename: str = "p01.txt"


def _bytes(data: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_bytes(data() if callable(data) else data)

    return build


def _gbk_also_big5() -> bytes:
    # a GBK page whose bytes are also valid Big5 (asserted here, so the case means what it says)
    text = "今天天气很好，中国民大会堂举行国庆招待会，各国来宾欢聚一堂。市政府发布通知要求各部门加强安生产工作。\n" * 2
    data = text.encode("gbk")
    data.decode("big5")
    return data


def _random_bytes() -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(256) for _ in range(4096))


def _high_random_bytes() -> bytes:
    rng = random.Random(8)  # no control bytes: must fail on decoding, not on the binary check
    return bytes(rng.randrange(0x80, 0x100) for _ in range(4096))


def _huge(path: Path) -> None:
    # 50 MB of real page text, written in chunks
    chunk = (PAGE * 200).encode("utf-8")
    with open(path, "wb") as fh:
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)


def _one_mb_line() -> bytes:
    return ((SIMP * (1_000_000 // len(SIMP) + 1))[:1_000_000]).encode("utf-8")


def _many_short_lines() -> bytes:
    rng = random.Random(3)
    chars = SIMP.replace("，", "").replace("。", "")
    return "\n".join(rng.choice(chars) + rng.choice(chars) for _ in range(50_000)).encode("utf-8")


def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere.txt")


def _loop(path: Path) -> None:
    other = path.parent / "_loop-b.txt"  # '_' names are not pages; only p01.txt is
    other.symlink_to(path)
    path.symlink_to(other)


def _outside(path: Path) -> None:
    target = path.parents[3] / "outside-secret.txt"  # next to the input root, not under it
    target.write_text(SIMP, encoding="utf-8")
    path.symlink_to(target)


def _symlinked_dir(path: Path) -> None:
    real = path.parents[3] / "elsewhere"
    real.mkdir(exist_ok=True)
    (real / "p01.txt").write_text(PAGE, encoding="utf-8")
    path.parent.rmdir()
    path.parent.symlink_to(real, target_is_directory=True)


def _fifo(path: Path) -> None:
    os.mkfifo(path)  # reading it would block the run forever


def _directory(path: Path) -> None:
    path.mkdir()  # a directory named like a page is walked into, not read: nothing to account for
    (path / "notes.md").write_text("not a page", encoding="utf-8")


def _twin(path: Path) -> None:
    path.write_text(PAGE, encoding="utf-8")
    (path.parent / "p01.TXT").write_text(PAGE, encoding="utf-8")


CASES: tuple[Case, ...] = (
    Case("utf8", "UTF-8 page", _bytes(PAGE.encode("utf-8")), "page:utf-8"),
    Case("utf8_bom", "UTF-8 with BOM", _bytes(b"\xef\xbb\xbf" + PAGE.encode("utf-8")), "page:utf-8"),
    Case("gb18030", "GB18030 page", _bytes(PAGE.encode("gb18030")), "page:gb18030"),
    Case("gbk_also_big5", "GBK bytes that are also valid Big5", _bytes(_gbk_also_big5), "page:gb18030"),
    Case("big5", "Big5 page (traditional)", _bytes(("# 市圖書館新館開放\n\n" + TRAD + "\n").encode("big5")), "page:big5"),
    Case("big5_short", "Big5, two characters (報導)", _bytes("報導".encode("big5")), "page:big5"),
    Case("gbk_short", "GBK, two characters (中国)", _bytes("中国".encode("gbk")), "page:gb18030"),
    Case("utf16_bom", "UTF-16 with BOM", _bytes(PAGE.encode("utf-16")), "page:utf-16"),
    Case("utf16le_nobom", "UTF-16LE without BOM", _bytes(PAGE.encode("utf-16-le")), "page:utf-16-le"),
    Case("utf16be_nobom", "UTF-16BE without BOM", _bytes(PAGE.encode("utf-16-be")), "page:utf-16-be"),
    Case("utf16le_english", "UTF-16LE without BOM, English", _bytes(ENGLISH.encode("utf-16-le")), "page:utf-16-le"),
    Case("utf32_bom", "UTF-32 with BOM", _bytes(PAGE.encode("utf-32")), "page:utf-32"),
    Case("crlf", "CRLF line endings", _bytes(PAGE.replace("\n", "\r\n").encode("utf-8")), "page:utf-8"),
    Case("cr", "CR line endings (old Mac)", _bytes(PAGE.replace("\n", "\r").encode("utf-8")), "page:utf-8"),
    Case("unicode_breaks", "U+2028, NEL, VT, FF as line breaks", _bytes(PAGE.replace("\n\n", "\u2028\x85\x0b\x0c").encode("utf-8")), "page:utf-8"),
    Case("english", "no Chinese at all (English OCR)", _bytes(ENGLISH.encode("utf-8")), "page:utf-8"),
    Case("mixed_scripts", "Chinese, Latin, kana, Hangul, Cyrillic, Arabic, emoji", _bytes(MIXED.encode("utf-8")), "page:utf-8"),
    Case("one_mb_line", "a single 1 MB line, no line break", _bytes(_one_mb_line), "page:utf-8"),
    Case("many_short_lines", "50,000 lines of two characters", _bytes(_many_short_lines), "page:utf-8"),
    Case("stray_marks_only", "only rules and marks (| — ■)", _bytes("|\n——\n■\n|\n".encode("utf-8")), "page:utf-8"),
    Case("empty", "0 bytes", _bytes(b""), "reject:empty"),
    Case("whitespace", "spaces, newlines, ideographic spaces", _bytes(" \n\t\r\n\u3000\n".encode("utf-8")), "reject:blank"),
    Case("png", "a PNG image saved as .txt", _bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8), "reject:binary"),
    Case("random_bytes", "4 KB of random bytes", _bytes(_random_bytes), "reject:binary"),
    Case("random_high_bytes", "4 KB of random bytes >= 0x80", _bytes(_high_random_bytes), "reject:undecodable"),
    Case("nul", "text with a NUL byte inside", _bytes(PAGE.encode("utf-8") + b"\x00" + PAGE.encode("utf-8")), "reject:binary"),
    Case("latin1", "Latin-1 French", _bytes("Café, naïve résumé à Paris.\n".encode("latin-1")), "reject:undecodable"),
    Case("shift_jis", "Shift-JIS Japanese", _bytes("東京都の天気は晴れです。\n".encode("shift_jis")), "reject:undecodable"),
    Case("euc_kr", "EUC-KR Korean (reads as random GB2312 hanzi)", _bytes("서울의 날씨는 맑습니다. 오늘 시장이 말했다.\n".encode("euc-kr")), "reject:undecodable"),
    Case("truncated_utf8", "UTF-8 cut inside its last character", _bytes(PAGE.encode("utf-8")[:-2]), "reject:undecodable"),
    Case("utf16_bom_odd", "UTF-16 BOM, odd byte count", _bytes(PAGE.encode("utf-16")[:-1]), "reject:undecodable"),
    Case("huge", "a 50 MB file", _huge, "reject:too_large"),
    Case("dangling_symlink", "symlink to a missing file", _dangling, "reject:missing"),
    Case("symlink_loop", "two symlinks pointing at each other", _loop, "reject:unreadable"),
    Case("symlink_outside", "symlink to a file outside the input root", _outside, "reject:path_outside_root"),
    Case("fifo", "a named pipe called p01.txt", _fifo, "reject:not_a_file"),
    Case("symlinked_dir", "issue directory is a symlink", _symlinked_dir, "reject:symlinked_directory", filename=""),
    Case("twin_ids", "p01.txt next to p01.TXT (same page id; the first in path order is used)", _twin, "reject:duplicate_page_id", filename="p01.TXT"),
    Case("no_page_no", "file name without digits (page.txt)", _bytes(PAGE.encode("utf-8")), "reject:bad_path", filename="page.txt"),
    Case("page_no_huge", "page number 99999999999", _bytes(PAGE.encode("utf-8")), "reject:bad_page_no", filename="p99999999999.txt"),
)

# Cases whose input is not where the table puts files (dates, depth, publication names).
LAYOUT_CASES = (
    ("bad_date", "bad/2024-02-30/p01.txt", "reject:bad_date"),
    ("no_date", "bad/p01.txt", "reject:bad_path"),
    ("too_deep", "bad/2024-03-01/extra/p01.txt", "reject:bad_path"),
    ("long_publication", "报" * 60 + "/2024-03-01/p01.txt", "reject:bad_publication"),
    ("loose_file", "p01.txt", "reject:bad_path"),
)


def case_path(n: int, case: Case) -> str:
    """Where a case's file goes: its own issue date (one issue per case)."""
    month, day = divmod(n, 28)
    return f"bad/2024-{month + 1:02d}-{day + 1:02d}/{case.filename or 'p01.txt'}"


def build_tree(root: Path) -> dict[str, str]:
    """Write every case under ``root``; return source_path → expected outcome."""
    expected: dict[str, str] = {}
    for n, case in enumerate(CASES):
        rel = case_path(n, case)
        path = root / rel.rsplit("/", 1)[0] / "p01.txt"  # renamed below where the case needs it
        path.parent.mkdir(parents=True, exist_ok=True)
        case.build(path)
        if case.name == "symlinked_dir":
            expected[rel.rsplit("/", 1)[0]] = case.expect
        elif case.name == "twin_ids":
            # the first in path order is used: "p01.TXT" sorts before "p01.txt"
            expected[rel] = "page:utf-8"
            expected[rel.rsplit("/", 1)[0] + "/p01.txt"] = case.expect
        elif case.name in ("no_page_no", "page_no_huge"):
            path.rename(path.with_name(case.filename))
            expected[rel] = case.expect
        else:
            expected[rel] = case.expect
    for name, rel, expect in LAYOUT_CASES:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE, encoding="utf-8")
        expected[rel] = expect
    return expected


def markdown() -> str:
    rows = ["| case | input | result |", "|---|---|---|"]
    for c in CASES:
        kind, what = c.expect.split(":")
        rows.append(f"| `{c.name}` | {c.made} | {'page, encoding ' if kind == 'page' else 'reject: '}`{what}` |")
    for name, rel, expect in LAYOUT_CASES:
        rows.append(f"| `{name}` | path `{rel if len(rel) < 40 else rel[:3] + '…' + rel[-20:]}` | reject: `{expect.split(':')[1]}` |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown())
