"""The TextTiling peer: tiles at unit boundaries, every character accounted for, topics apart."""

from pagesplit import io
from pagesplit.evaluation import baseline, tiling
from pagesplit.evaluation.score import score

RAIL = "铁路 列车 旅客 车站 车票 高铁 线路 铁路 列车 旅客 车站 车票 高铁 线路"
FARM = "小麦 农民 收割 粮食 田间 农机 丰收 小麦 农民 收割 粮食 田间 农机 丰收"


def test_two_topics_make_two_tiles_at_a_unit_boundary():
    units = [RAIL] * 6 + [FARM] * 6
    starts = tiling.tiles(units, str.split)
    assert starts[0] == 0 and 6 in starts and len(starts) <= 3


def test_short_input_is_one_tile():
    assert tiling.tiles(["一句话。"], list) == [0]
    assert tiling.tiles([], list) == [0]


def test_words_become_letter_codes():
    codes = {tiling._code(n) for n in range(2000)}
    assert len(codes) == 2000 and all(c.isalpha() and c.isascii() and c.islower() for c in codes)


def test_run_writes_tables_the_scorer_reads(hand_gold_dir, tmp_path):
    n = tiling.run(hand_gold_dir.parent / "pages", tmp_path / "out", words=list)
    assert n == 1
    arts = io.read_table(tmp_path / "out", "articles")
    assert arts.num_rows >= 1 and set(arts.column("run_id").to_pylist()) == {tiling.RUN_ID}
    r = score(hand_gold_dir, tmp_path / "out")
    assert r["missing_pages"] == [] and r["overall"]["unsegmented_chars"] == 0


def test_repeated_unit_is_a_duplicate_of_the_first():
    text = "# 标题一\n\n" + "正文第一段，讲铁路。\n\n" + "正文第一段，讲铁路。\n"
    page = baseline.Page(baseline.page_ref("x/2020-07-01/p01.txt"), text, "0" * 64)
    res = tiling.split_page(page, list)
    dup = [s for s in res.segments if s.role == "duplicate"]
    assert len(dup) == 1 and dup[0].removal.duplicate_of == res.segments[1].segment_id
    assert res.articles[0].headline == "标题一"
