"""Rows an OCR engine read across columns are read column by column (invented text, no corpus)."""

import hashlib

from pagesplit.blocks import read_lines
from pagesplit.pipeline import process_issue
from pagesplit.types import Page, PageRef

from .conftest import CharTokenizer

# Three columns of one article, printed row by row as an engine that missed the gutters writes
# them: the first column's text goes on at the top of the second, the second's at the top of the third.
COL1 = ["新馆建筑面积三万平方米，设有少儿阅览区、", "古籍修复中心和数字体验区。馆长介绍，新", "馆藏书超过两百万册，每天可接待读者一万"]
COL2 = ["人次。开馆首日，不少市民一早就来排队，", "有的还带着孩子，一起感受书香氛围。", "“以前借书要坐一个小时公交车，现在走路"]
COL3 = ["十分钟就到。”家住附近的王女士说。", "据了解，该市还将在各街道建设分馆，", "让更多居民在家门口就能读到好书。"]
GAPS = ["      ", "     ", "        "]
ROWS = [f"{a}{GAPS[i]}{b}{GAPS[(i + 1) % 3]}{c}" for i, (a, b, c) in enumerate(zip(COL1, COL2, COL3))]
PAGE = "\n".join(["城市新添一座图书馆", ""] + ROWS[:2] + [""] + ROWS[2:] + ["", "另一篇文章的标题在这里"])


def _page(text: str) -> Page:
    return Page(PageRef("pub/2024-01-01/p01.txt", "pub", "2024-01-01", 1), text, hashlib.sha256(text.encode()).hexdigest())


def test_rows_read_across_columns_are_read_by_column():
    lines = read_lines(PAGE)
    assert [ln.clean for ln in lines] == ["城市新添一座图书馆", *COL1, *COL2, *COL3, "另一篇文章的标题在这里"]
    for ln in lines:  # every cell keeps its own offsets into the page text
        assert PAGE[ln.start : ln.end] == ln.raw
    assert [ln.index for ln in lines] == list(range(len(lines)))


def test_a_row_with_a_stray_gap_does_not_decide_the_columns():
    # one row's first piece cut by a stray gap (4 pieces): the rows still hold 3 columns, and the
    # run is still read by columns (with max() the 4-piece row made a column of 2-character cells;
    # that row's own pieces then fall one column late: a known limit, see _read_by_columns)
    rows = list(ROWS)
    rows[1] = rows[1].replace("古籍修复中心", "古籍     修复中心")
    cleans = [ln.clean for ln in read_lines("\n".join(rows))]
    assert cleans[0] == COL1[0] and cleans.index(COL2[0]) > cleans.index(COL1[2])


def test_columns_are_found_whatever_ends_the_lines():
    for newline in ("\r\n", "\r"):
        lines = read_lines(PAGE.replace("\n", newline))
        assert [ln.clean for ln in lines] == ["城市新添一座图书馆", *COL1, *COL2, *COL3, "另一篇文章的标题在这里"]


def test_rule_marks_between_columns_stand_apart():
    rows = [f"{a}  “|  {b}    |  {c}" for a, b, c in zip(COL1, COL2, COL3)]
    lines = read_lines("\n".join(rows))
    assert [ln.clean for ln in lines][:9] == [*COL1, *COL2, *COL3]
    assert sorted(ln.clean for ln in lines[9:]) == ["|"] * 3 + ["“|"] * 3  # after the columns: no paragraph cut


def test_a_table_and_ordinary_lines_are_left_as_printed():
    table = ["项目          2019年        2020年", "粮食产量      6.6亿吨       6.7亿吨", "播种面积      17.4亿亩      17.5亿亩"]
    assert [ln.clean for ln in read_lines("\n".join(table))] == [" ".join(r.split()) for r in table]
    names = ["王小明      某某市第一人民医院重症医学科主任医师", "李　华      某某县某某街道某某社区党委书记",
             "赵　六      某某省疾病预防控制中心副主任医师", "孙小红      某某大学附属医院感染科护士长"]
    assert [ln.clean for ln in read_lines("\n".join(names))] == [" ".join(r.split()) for r in names]  # a list of names
    prose = ["新馆建筑面积三万平方米，设有少儿阅览区 和古籍修复中心。", "馆长  介绍，新馆藏书超过两百万册。"]
    assert [ln.start for ln in read_lines("\n".join(prose))] == [0, len(prose[0]) + 1]


def test_a_paragraph_read_across_columns_is_written_as_its_pieces():
    page = PAGE.rsplit("\n", 2)[0]  # the article alone
    res = process_issue([_page(page)], CharTokenizer())[0]
    owner = {}
    for s in res.segments:
        assert page[s.start : s.end].strip()
        for i in range(s.start, s.end):
            if not page[i].isspace():
                assert i not in owner, "a character in two segments"
                owner[i] = s.segment_id
    assert len(owner) == sum(not c.isspace() for c in page)
    article = next(a for a in res.articles if a.headline == "城市新添一座图书馆")
    assert article.text.replace("\n", "") == "".join(COL1 + COL2 + COL3)
    assert len(set(article.segment_ids)) == len(article.segment_ids)
    pieces = sorted((s for s in res.segments if s.article_id == article.article_id), key=lambda s: s.article_seq)
    assert [s.article_seq for s in pieces] == list(range(len(pieces)))  # each piece its own place
    assert all(s.joins_previous for s in pieces if s.role == "body" and s.text in COL2[:1] + COL3[:1])
