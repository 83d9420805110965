from pagesplit import io
from pagesplit.evaluation import baseline
from pagesplit.evaluation.score import score

PAGE = "人民日报 第4版\n\n# 小镇新貌\n\n清晨的河湾小镇刚刚醒来。\n\n渔船陆续靠岸。\n\n清晨的河湾小镇刚刚醒来。\n\n夜市烟火\n\n灯光次第亮起。\n"


def test_blocks_are_trimmed_and_cover_the_text():
    spans = baseline.blocks(PAGE)
    covered = "".join(PAGE[a:b] for a, b in spans)
    assert covered.replace(" ", "") == "".join(PAGE.split()).replace(" ", "")
    assert all(not PAGE[a].isspace() and not PAGE[b - 1].isspace() for a, b in spans)


def test_split_page_rules():
    res = baseline.split_page(_page())
    kinds = [(s.text, s.role, s.removal.kind if s.removal else None) for s in res.segments]
    assert kinds == [
        ("人民日报 第4版", "headline", None),  # short, unpunctuated: the baseline's known mistake
        ("# 小镇新貌", "headline", None),
        ("清晨的河湾小镇刚刚醒来。", "body", None),
        ("渔船陆续靠岸。", "body", None),
        ("清晨的河湾小镇刚刚醒来。", "duplicate", "duplicate"),
        ("夜市烟火", "headline", None),
        ("灯光次第亮起。", "body", None),
    ]
    assert [a.headline for a in res.articles] == ["人民日报第4版", "小镇新貌", "夜市烟火"]
    assert res.articles[1].text == "清晨的河湾小镇刚刚醒来。\n渔船陆续靠岸。"


def _page():
    return baseline.Page(baseline.page_ref("rmrb/2020-07-01/p04.txt"), PAGE, "0" * 64)


def test_run_writes_tables_the_scorer_reads(hand_gold_dir, tmp_path):
    n = baseline.run(tmp_path / "pages", tmp_path / "out")
    assert n == 1
    segs = io.read_table(tmp_path / "out", "segments")
    assert set(segs.column("publication").to_pylist()) == {"rmrb"}
    assert set(segs.column("issue_date").to_pylist()) == {"2020-07-01"}
    r = score(hand_gold_dir, tmp_path / "out")
    assert r["missing_pages"] == [] and r["overall"]["unsegmented_chars"] == 0
    assert r["overall"]["duplicate_r"] < 1.0  # the duplicate is a prefix, not an exact repeat
