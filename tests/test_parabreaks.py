"""The paragraph-break model: verified loading, its training examples, and where the wrapped-page
width rule asks it (a sentence ending at the end of a full line, on pages that do not indent)."""

import json
import shutil

import pytest

from pagesplit import parabreaks
from pagesplit.blocks import build_blocks, paragraph_starts, read_lines
from pagesplit.errors import ModelCorrupt, ModelMissing
from pagesplit.models import default_dir

from .conftest import damage

# Three invented paragraphs of two full 20-character lines each: every paragraph ends a sentence at
# the end of a full line, so the width rule alone cannot see where one ends.
PARAS = [
    "第一段讲的是春耕生产的进展情况。全县组织了二十支服务队深入田间地头为农户送良种。",
    "第二段讲的是图书馆新馆开放首日接待读者超过一万人次很多市民排队等候入馆参观阅读。",
    "第三段讲的是公交新线路开通运营高峰时段发车间隔不超过八分钟方便市民出行和上下班。",
]


def _page(indent: str = "") -> str:
    return "\n".join(ln for p in PARAS for ln in (indent + p[:20], p[20:]))


def _copy_model(tmp_path):
    for name in (parabreaks.MODEL_FILE, parabreaks.MANIFEST_FILE):
        shutil.copy(default_dir() / name, tmp_path / name)


def test_the_committed_model_loads_verified_with_its_training_record():
    model = parabreaks.load()
    manifest = json.loads((default_dir() / parabreaks.MANIFEST_FILE).read_text(encoding="utf-8"))
    assert model.weights.shape == (parabreaks.N_FEATURES,)
    assert model.bar == manifest["bar"] == parabreaks.BREAK_BAR
    assert manifest["months"] == list(parabreaks.TRAIN_MONTHS)
    assert 0.5 < manifest["scores"]["auc"] <= 1.0 and manifest["scores"]["held_out"] > 0


def test_a_damaged_model_is_refused_with_a_code(tmp_path):
    _copy_model(tmp_path)
    damage(tmp_path / parabreaks.MODEL_FILE)
    with pytest.raises(ModelCorrupt) as exc:
        parabreaks.load(tmp_path)
    assert exc.value.code == "E302" and exc.value.hint


def test_a_manifest_without_its_weights_says_how_to_get_them(tmp_path):
    _copy_model(tmp_path)
    (tmp_path / parabreaks.MODEL_FILE).unlink()
    with pytest.raises(ModelMissing, match="paragraph-break"):
        parabreaks.break_model(tmp_path)


def test_a_models_directory_trained_before_the_model_reads_widths_alone(tmp_path):
    assert parabreaks.break_model(tmp_path) is None


def test_training_examples_are_every_sentence_end_but_the_article_s_last():
    rows = list(parabreaks.sentence_ends(["甲说：“好。”乙来了。", "丙走了！", "丁到了。"]))
    assert [(para, nxt[:2], end) for para, nxt, end in rows] == [
        ("甲说：“好。”", "乙来", 0),  # a closing quote after the full stop: one sentence end, after both
        ("甲说：“好。”乙来了。", "丙走", 1),
        ("丙走了！", "丁到", 1),
    ]
    # the text after a sentence end runs on into the next paragraph, as a column's next lines do
    assert rows[0][1] == "乙来了。丙走了！"


def test_the_committed_model_reads_a_new_topic_after_a_long_paragraph_as_a_new_paragraph():
    model = parabreaks.load()
    long_para = "今年以来，全市新建改建农村公路一千二百公里，惠及沿线群众四十余万人。" * 3
    # after a long paragraph, a meeting's next point
    new = model.probability(long_para, "会议指出，农村公路是农民群众的致富路，要建好、管好、护好")
    # one sentence into a paragraph, the next sentence goes on about the same thing
    on = model.probability("他说：“路修好了，村里的苹果不愁卖了。”", "他还说，路修到了家门口，")
    assert 0.0 <= on < model.bar <= new <= 1.0


def test_the_width_rule_asks_only_where_a_full_line_ends_a_sentence():
    assert all(len(p) == 40 for p in PARAS)
    lines = read_lines(_page())
    asked = []

    def breaks(para: str, nxt: str) -> bool:
        asked.append((para, nxt))
        return True

    assert len(build_blocks(lines, {}, "wrapped", starts=paragraph_starts(lines, "wrapped"))) == 1  # run together
    blocks = build_blocks(lines, {}, "wrapped", starts=paragraph_starts(lines, "wrapped", breaks=breaks))
    assert [b.text for b in blocks] == PARAS
    # asked at the two paragraph ends, with the paragraph so far and the next lines; not after
    # "第一段讲的是春耕生产的进展情况。" (a sentence end mid-line) nor at the full lines ending open
    assert [para for para, _ in asked] == PARAS[:2]
    assert asked[0][1].startswith(PARAS[1][:20]) and PARAS[2][:20] in asked[0][1]
    # "no" keeps the width rule's reading
    assert paragraph_starts(lines, "wrapped", breaks=lambda para, nxt: False) == paragraph_starts(lines, "wrapped")


def test_an_indented_page_is_read_by_its_indents_not_the_model():
    lines = read_lines(_page("\u3000\u3000"))

    def breaks(para: str, nxt: str) -> bool:
        raise AssertionError("asked on a page that indents its paragraphs")

    blocks = build_blocks(lines, {}, "wrapped", starts=paragraph_starts(lines, "wrapped", breaks=breaks))
    assert [b.text for b in blocks] == PARAS


def test_the_pipeline_ends_a_paragraph_the_model_reads_as_ended():
    import hashlib

    from pagesplit.pipeline import process_issue
    from pagesplit.types import Page, PageRef

    from .conftest import CharTokenizer

    first = ("今年以来，全市新建改建农村公路一千二百公里，惠及沿线群众四十余万人。"
             "市交通运输局组织专班逐村摸排，把路修到群众家门口，把养护责任落实到每一段路上。工程进度过半。")
    second = "会议指出，农村公路是农民群众的致富路，要建好、管好、护好、运营好，让群众出行更方便。"
    assert len(first) % 20 == 0  # its last sentence ends at the end of a full line
    lines = [first[i : i + 20] for i in range(0, len(first), 20)] + [second[i : i + 20] for i in range(0, len(second), 20)]
    text = "全市农村公路建设现场推进会召开\n" + "\n".join(lines) + "\n"
    page = Page(PageRef("pub/2024-01-01/p01.txt", "pub", "2024-01-01", 1), text, hashlib.sha256(text.encode()).hexdigest())
    res = process_issue([page], CharTokenizer())[0]
    starts = {s.start for s in res.segments if s.removal is None}
    assert text.index(second[:20]) in starts
    assert text.index(lines[1]) not in starts  # inside the first paragraph nothing changes
