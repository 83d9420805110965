"""Role and link models: feature extraction, loading (checksums), predictions on hand-written pages.

Every page here is invented; the committed models in models/ are used (no corpus needed)."""

import json
import shutil

import numpy as np
import pytest

from pagesplit import articles as art
from pagesplit import features, models, rolemodel
from pagesplit.blocks import build_blocks, read_lines
from pagesplit.errors import ModelCorrupt, ModelMissing, TrainingDiverged
from pagesplit.links import link_chooser
from pagesplit.repair import JOIN_COLUMNS, RIVAL_COLUMNS, find_joins
from pagesplit.roles import predict

from .conftest import damage

PARA = "这是一段足够长的正文，用来说明段落的样子，里面有逗号也有句号。"
BOOKS = [
    "城市书房设在居民小区里，市民凭借书证就能借阅图书，书房每天开放到晚上十点，方便上班族下班后读书。",
    "今年以来，全市新建城市书房二十家，藏书总量超过十万册，市民借阅图书的热情很高，书房里常常座无虚席。",
    "市图书馆还在城市书房开展读书分享会，邀请作家和市民一起谈读书心得，让书香飘进千家万户。",
]


def _page(text, tokenizer, layout="paragraph"):
    blocks = build_blocks(read_lines(text), {}, layout)
    words = {b.index: tokenizer.words(b.text) for b in blocks}
    joins = find_joins(blocks, tokenizer.words)
    return blocks, words, joins


# --- features -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "line, expected",
    [
        ("# 大标题", {"heading": 1.0, "end_terminal": 0.0, "len_le10": 1.0}),
        ("**小标题**", {"bold": 1.0, "heading": 0.0}),
        ("本报北京7月3日电（记者张三）" + PARA, {"dateline": 1.0, "end_terminal": 1.0, "len_le40": 0.0, "news_lead": 0.0}),
        ("本 报北京7月3曰 电（记者张三）" + PARA, {"dateline": 1.0}),  # OCR spaces, 曰 for 日
        ("新华社华盛顿10日电（记者张三）" + PARA, {"dateline": 1.0}),  # the day alone
        ("5日电商平台的销售额再创新高。" + PARA, {"dateline": 0.0, "news_lead": 0.0}),  # 电商, not a dateline
        ("本报记者　李四", {"byline_start": 1.0, "len_le10": 1.0, "end_cjk": 1.0, "news_lead": 0.0}),
        ("文/见习记者　李四　图/王五", {"byline_start": 1.0}),  # another paper's credit
        ("实习生　赵六", {"byline_start": 1.0}),
        ("本報記者　李四", {"byline_start": 1.0}),  # traditional characters
        ("新華社北京10月9日電（記者張三）" + PARA, {"dateline": 1.0}),
        ("□本报记者　林小雨", {"byline_start": 1.0}),  # ornaments before a credit or a dateline
        ("■记者　陈晨　通讯员　李强", {"byline_start": 1.0}),
        ("【本报北京7月3日电】记者张三" + PARA, {"dateline": 1.0}),
        ("木报记者　张三", {"byline_start": 1.0}),  # OCR's 木 for 本
        ("木材加工厂的工人们正在忙碌", {"byline_start": 0.0, "dateline": 0.0}),
        ("山间的一条小路。■市融媒体中心供图", {"caption_end": 1.0, "caption_mark": 1.0}),
        ("——副标题在这里", {"start_dash": 1.0}),
        ("，接着上一段继续说。", {"start_clause_punct": 1.0, "end_terminal": 1.0}),
        ("日前，在江边的村子里，村民正在收割早稻。", {"news_lead": 1.0}),
        ("7月14日，幼儿园小朋友进行轮胎负重跑比赛。", {"news_lead": 1.0}),
        ("村民正在收割早稻。", {"news_lead": 0.0}),
    ],
)
def test_own_shape(line, expected):
    (block,) = build_blocks(read_lines(line), {}, "paragraph")
    got = features.own_shape(block, [])
    for k, v in expected.items():
        assert got[k] == v, k


def test_shape_rows_have_the_columns_and_neighbours(char_tokenizer):
    blocks, words, joins = _page("# 标题\n" + PARA + "\n" + PARA, char_tokenizer)
    rows = features.shape_rows(blocks, words, joins, "paragraph")
    assert len(rows) == 3 and all(len(r) == len(features.SHAPE_COLUMNS) for r in rows)
    col = features.SHAPE_COLUMNS.index
    assert rows[0][col("p1_exists")] == 0.0 and rows[1][col("p1_exists")] == 1.0
    assert rows[1][col("p1_heading")] == 1.0  # the block before the first paragraph is a headline
    assert rows[2][col("n1_exists")] == 0.0
    assert rows[0][col("pos_first")] == 1.0 and rows[2][col("pos_last")] == 1.0


def test_head_lines_overlap_with_their_lead_and_the_text_before(char_tokenizer):
    text = "\n".join([BOOKS[2], "城市书房开进小区", BOOKS[0], BOOKS[1]])
    blocks, words, joins = _page(text, char_tokenizer)
    rows = features.shape_rows(blocks, words, joins, "paragraph")
    col = features.SHAPE_COLUMNS.index
    head = rows[1]
    # 城市书房开进小区: 城市 市书 书房 房开 开进 进小 小区; the lead holds 城市 市书 书房 小区
    assert head[col("lead_overlap")] == pytest.approx(4 / 7)
    assert head[col("back_overlap")] == pytest.approx(4 / 7)  # 城市 市书 书房 房开 ("城市书房开展")
    assert rows[0][col("lead_overlap")] == 0.0  # a paragraph has none
    assert rows[2][col("p1_lead_overlap")] == head[col("lead_overlap")]


def test_removed_blocks_only_mark_a_gap(char_tokenizer):
    from pagesplit.types import Removal

    text = "# 标题\n人民日报 2020年7月3日\n" + PARA
    lines = read_lines(text)
    blocks = build_blocks(lines, {1: Removal("boilerplate", "running_head")}, "paragraph")
    words = {b.index: char_tokenizer.words(b.text) for b in blocks}
    rows = features.shape_rows(blocks, words, {}, "paragraph")
    assert len(rows) == 2
    assert rows[1][features.SHAPE_COLUMNS.index("removed_before")] == 1.0


def test_cohesion_across_a_heading(tokenizer):
    # an intertitle between two paragraphs on one subject, a headline between two subjects
    farm = ["今年春耕期间，全县组织农技人员深入田间地头，指导农户选用良种、科学施肥，春耕生产进展顺利。",
            "农技人员还为种粮大户提供测土配方服务，帮助农户科学施肥，提高良种覆盖率，确保春耕质量。"]
    library = ["市图书馆新馆昨日正式开放，馆内设有少儿阅览区、古籍修复室和数字阅读空间，首日接待读者逾万人次。",
               "新馆还推出线上借阅服务，读者可通过手机预约借书，图书馆将根据读者需求增加数字阅读资源。"]
    text = "\n".join([farm[0], "科学施肥保丰收", farm[1], "图书馆新馆开放", library[0], library[1]])
    blocks, words, joins = _page(text, tokenizer)
    rows = features.shape_rows(blocks, words, joins, "paragraph")
    near, wide = features.SHAPE_COLUMNS.index("cohesion_near"), features.SHAPE_COLUMNS.index("cohesion_wide")
    assert rows[1][near] > 2 * rows[3][near] and rows[1][wide] > 2 * rows[3][wide]
    assert rows[0][near] == 0.0  # nothing before the first paragraph


def test_cosine_with_the_rest_of_a_section():
    from collections import Counter

    from pagesplit.links import Cohesion

    a, b, c = Counter({"春耕": 2, "良种": 1}), Counter({"春耕": 1, "施肥": 2}), Counter({"图书馆": 3, "读者": 1})
    coh = Cohesion([a, b, c])
    whole = a + b + c
    assert coh.cos_without(a, dict(whole), coh.norm(whole) ** 2, coh.norm(a)) == pytest.approx(coh.cos(a, b + c))
    assert coh.cos_without(a, dict(a), coh.norm(a) ** 2, coh.norm(a)) == 0.0  # nothing else in the section


def test_topic_bag_holds_character_pairs_whatever_the_word_cuts():
    from pagesplit.links import Cohesion, bag

    # one name, cut differently by the segmenter in two sentences (invented text)
    one = bag(["向", "雪飞", "带领", "队员", "巡逻", "。"])
    two = bag(["殉职", "时", "，", "向", "雪", "飞年", "仅", "41", "岁", "。"])
    assert one["向雪"] == one["雪飞"] == 1 and two["向雪"] == two["雪飞"] == 1
    assert "41" not in two and "，向" not in two  # pairs of CJK characters only
    other = bag(["图书馆", "新馆", "开放", "。"])
    coh = Cohesion([one, two, other])
    assert coh.cos(one, two) > 0.0 == coh.cos(one, other)


def test_token_items_take_the_edges_of_long_blocks():
    (block,) = build_blocks(read_lines(PARA * 3), {}, "paragraph")
    items = features.token_items(block, ["这是", "一段", "足够", "长", "的", "句号", "。"])
    assert "f0=这是" in items and "l0=。" in items and not any(i.startswith("w=") for i in items)


# --- loading ----------------------------------------------------------------------------------

@pytest.fixture()
def model_copy(tmp_path):
    src = models.default_dir()
    dst = tmp_path / "models"
    shutil.copytree(src, dst)
    return dst


def test_committed_models_load_and_match_their_manifest():
    loaded = models.load_models()
    assert set(loaded.objects) == {"roles", "links", "joins", "join_rivals"}
    assert loaded.manifest["role_shape_columns"] == list(features.SHAPE_COLUMNS)
    assert loaded.manifest["join_columns"] == list(JOIN_COLUMNS)
    assert loaded.manifest["rival_columns"] == list(RIVAL_COLUMNS)
    for entry in loaded.manifest["files"].values():
        # small enough for the repository (see the manifest's byte counts)
        assert entry["bytes"] < 5_000_000


def test_the_committed_role_model_converged():
    roles = models.load_models().objects["roles"]
    for stage in ("stage1", "stage2"):
        assert rolemodel.max_leaf(roles[stage]) <= rolemodel.MAX_LEAF, stage


def test_a_diverged_fit_is_refused():
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    est = HistGradientBoostingClassifier(max_iter=5).fit(X, (X[:, 0] > 0).astype(int))
    assert rolemodel.check_converged(est, "stage1") is est
    tree = est._predictors[-1][0]
    tree.nodes["value"][np.flatnonzero(tree.nodes["is_leaf"])[0]] = 900.0  # what a vanishing hessian makes
    with pytest.raises(TrainingDiverged) as err:
        rolemodel.check_converged(est, "stage1")
    assert err.value.code == "E304" and "stage1" in str(err.value)


def test_a_damaged_model_file_is_refused_before_loading(model_copy):
    damage(model_copy / "roles.skops")
    with pytest.raises(ModelCorrupt) as err:
        models.load_dir(model_copy)
    assert err.value.code == "E302" and "make train" in err.value.hint


def test_a_missing_model_file_or_manifest(model_copy):
    (model_copy / "links.skops").unlink()
    with pytest.raises(ModelMissing) as err:
        models.load_dir(model_copy)
    assert err.value.code == "E301"
    (model_copy / models.MANIFEST).unlink()
    with pytest.raises(ModelMissing):
        models.load_dir(model_copy)


def _edit_manifest(model_copy, edit) -> None:
    path = model_copy / models.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    edit(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def test_models_trained_on_other_columns_are_refused(model_copy):
    _edit_manifest(model_copy, lambda m: m.update(role_shape_columns=m["role_shape_columns"][::-1]))
    with pytest.raises(ModelCorrupt, match="feature columns"):
        models.load_dir(model_copy)


def test_a_join_model_trained_on_other_columns_is_refused(model_copy):
    _edit_manifest(model_copy, lambda m: m.update(join_columns=m["join_columns"][:-1]))
    with pytest.raises(ModelCorrupt, match="join_columns"):
        models.load_dir(model_copy)


def test_a_rival_model_trained_on_other_columns_is_refused(model_copy):
    _edit_manifest(model_copy, lambda m: m.update(rival_columns=m["rival_columns"][1:]))
    with pytest.raises(ModelCorrupt, match="rival_columns"):
        models.load_dir(model_copy)


def test_models_trained_before_the_rival_model_let_the_join_model_decide(model_copy):
    from pagesplit import joinmodel

    def drop(m):
        del m["files"]["join_rivals"], m["rival_columns"]

    _edit_manifest(model_copy, drop)
    (model_copy / "join_rivals.skops").unlink()
    models.compile_dir(model_copy)
    alone, committed = joinmodel.join_model(model_copy), joinmodel.join_model()
    assert alone.rivals is None and alone.bar == joinmodel.JOIN_BAR
    assert committed.rivals is not None and committed.bar == joinmodel.RIVAL_BAR


def test_models_trained_before_the_join_model_leave_the_joins_to_the_summed_score(model_copy):
    from pagesplit import joinmodel

    def drop(m):
        del m["files"]["joins"], m["join_columns"], m["files"]["join_rivals"], m["rival_columns"]

    _edit_manifest(model_copy, drop)
    (model_copy / "joins.skops").unlink()
    (model_copy / "join_rivals.skops").unlink()
    models.compile_dir(model_copy)  # python -m pagesplit.compiled DIR: the compiled file without it
    assert joinmodel.join_model(model_copy) is None
    assert joinmodel.join_model() is not None


def test_a_manifest_of_another_version_is_refused(model_copy):
    _edit_manifest(model_copy, lambda m: m.update(version="0"))
    with pytest.raises(ModelCorrupt):
        models.load_dir(model_copy)


# --- compiled models (what the pipeline runs) ----------------------------------------------------

def test_the_compiled_models_give_the_estimators_numbers_bit_for_bit():
    from sklearn.feature_extraction import FeatureHasher

    objs = models.load_models().objects
    run = models.runtime_models()
    rng = np.random.default_rng(11)
    assert run.joins is not None and "joins" in objs and run.join_rivals is not None
    for compiled, est in ((run.stage1, objs["roles"]["stage1"]), (run.stage2, objs["roles"]["stage2"]),
                          (run.links, objs["links"]), (run.joins, objs["joins"]), (run.join_rivals, objs["join_rivals"])):
        X = rng.normal(scale=2.0, size=(200, est.n_features_in_))
        X[:80] = np.abs(X[:80]).round()
        assert np.array_equal(compiled.predict_proba(X), est.predict_proba(X))
        assert np.array_equal(compiled.classes_, est.classes_)
    vocab = ["w=记者", "f0=本报", "l0=。", "w=a", "w=", "<empty>", "w=中华人民共和国国务院", "w=FAST", "f3=ｅ𠀀"]
    rows = [list(rng.choice(vocab, size=rng.integers(1, 12))) for _ in range(60)]
    T = rolemodel.hashed_tokens(rows)
    sk = FeatureHasher(n_features=rolemodel.HASH_FEATURES, input_type="string", alternate_sign=False).transform(rows)
    assert (T != sk).nnz == 0 and np.array_equal(T.indices, sk.indices)
    assert np.array_equal(run.tok.predict_proba(T), objs["roles"]["tok"].predict_proba(sk))


def test_murmurhash_matches_sklearn_on_every_tail_length():
    from sklearn.utils import murmurhash3_32 as reference

    from pagesplit.compiled import murmurhash3_32

    for text in ["", "a", "ab", "abc", "abcd", "abcde", "记者", "本报北京7月3日电", "𠀀" * 3, "x" * 101]:
        data = text.encode("utf-8")
        assert murmurhash3_32(data) == reference(data, seed=0), text


def test_running_the_models_imports_neither_sklearn_nor_skops():
    import subprocess
    import sys

    code = ("import sys; from pagesplit.rolemodel import role_model; from pagesplit.links import link_chooser; "
            "role_model(); link_chooser(); print(sorted(m for m in ('sklearn', 'skops') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_damaged_compiled_file_is_refused(model_copy):
    damage(model_copy / "compiled.npz")
    with pytest.raises(ModelCorrupt) as err:
        models.runtime_models(model_copy)
    assert err.value.code == "E302"


def test_models_without_a_compiled_file_are_compiled_on_load(model_copy):
    path = model_copy / models.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    del manifest["compiled"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    (model_copy / "compiled.npz").unlink()
    slow = models.runtime_models(model_copy)
    X = np.ones((3, slow.links.n_features))
    assert np.array_equal(slow.links.predict_proba(X), models.runtime_models().links.predict_proba(X))
    entry = models.compile_dir(model_copy)  # python -m pagesplit.compiled DIR
    assert (model_copy / entry["file"]).is_file()
    assert json.loads(path.read_text(encoding="utf-8"))["compiled"]["sha256"] == entry["sha256"]


# --- predictions on hand-written pages ----------------------------------------------------------

@pytest.mark.parametrize(
    "page, roles",
    [
        ("# 大标题\n## ——副标题\n" + PARA, ["headline", "subheadline", "body"]),
        ("引题在这里：\n# 大标题在这里\n" + PARA, ["kicker", "headline", "body"]),
        (PARA + "\n**小标题**\n" + PARA, ["body", "intertitle", "body"]),
        ("一场大雪过后的村庄，炊烟袅袅升起。（本报记者　李四摄）", ["caption"]),
        # no markup at all: shape, position and words decide
        ("城市书房开到了家门口\n本报北京7月3日电　（记者王五）" + PARA + "\n" + PARA,
         ["headline", "body", "body"]),
        ("城市书房开到了家门口\n本报记者　赵六\n" + PARA + "\n" + PARA, ["headline", "byline", "body", "body"]),
        # an intertitle inside one article: the paragraphs around it share their subject (the
        # model reads lexical cohesion across a heading; one sentence repeated is no article)
        ("城市书房开到了家门口\n本报记者　赵六\n" + "\n书香满城\n".join(BOOKS[:2]) + "\n" + BOOKS[2],
         ["headline", "byline", "body", "intertitle", "body", "body"]),
    ],
)
def test_role_model_on_hand_written_pages(page, roles, tokenizer):
    blocks, words, joins = _page(page, tokenizer)
    found = predict(blocks, joins, words, "paragraph")
    assert [found[b.index] for b in blocks] == roles


def test_a_tail_printed_after_the_next_article_goes_back(tokenizer):
    football = [
        "本报北京7月3日电　（记者张三）市足球队昨晚在主场迎战来访的省冠军队，球队主教练赛前表示，队员状态良好。",
        "比赛开始后，市足球队的前锋率先破门，球队在上半场取得领先，主教练在场边不断指挥。",
        "下半场，冠军队加强进攻，市足球队门将多次扑救，球队守住了领先优势。",
    ]
    weather = [
        "本报讯　（记者李四）据市气象台预报，本周全市将迎来持续降雨天气，气温将明显下降。",
        "气象专家提醒，降雨期间市民出行要注意安全，气温下降也要及时添衣。",
    ]
    tail = "赛后，主教练表示，球队将总结这场比赛的经验，足球队的队员们将继续努力，争取在联赛中取得更好成绩。"
    page = "\n".join(["# 市足球队主场取胜", *football, "# 本周全市迎来降雨", *weather, tail])
    blocks, words, joins = _page(page, tokenizer)
    roles = predict(blocks, joins, words, "paragraph")
    groups = art.walk(blocks, roles, joins, words, link_chooser())
    assert [list(g.blocks) for g in groups] == [[0, 1, 2, 3, 7], [4, 5, 6]]
    # without the link model the tail stays with the article printed before it
    plain = art.walk(blocks, roles, joins, words, None)
    assert [list(g.blocks) for g in plain] == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_a_photo_caption_is_its_own_item_a_credit_is_not(tokenizer):
    page = "\n".join([
        "# 市图书馆新馆开放", PARA, "（王五摄）", "新馆设有少儿阅读区、自习区和展览区，每天开放到晚上九点，周末还有讲座。",
        "市民在新馆阅览室里读书，享受安静的午后时光。■市融媒体中心供图",
    ])
    blocks, words, joins = _page(page, tokenizer)
    roles = predict(blocks, joins, words, "paragraph")
    assert [roles[b.index] for b in blocks] == ["headline", "body", "caption", "body", "caption"]
    groups = art.walk(blocks, roles, joins, words, link_chooser())
    assert [(list(g.blocks), g.kind) for g in groups] == [([0, 1, 2, 3], "article"), ([4], "caption")]


def test_role_probabilities_are_a_distribution(tokenizer):
    from pagesplit.rolemodel import RoleModel, page_inputs

    blocks, words, joins = _page("# 大标题\n" + PARA, tokenizer)
    p = RoleModel.from_estimators(models.load_models().objects["roles"]).probabilities(page_inputs(blocks, words, joins, "paragraph"))
    assert p.shape == (2, 7) and np.allclose(p.sum(axis=1), 1.0)


def test_pages_walked_and_classified_together_get_their_own_answers(tokenizer):
    from pagesplit.links import walk_pages
    from pagesplit.rolemodel import role_model

    texts = [
        "\n".join(["# 市足球队主场取胜", PARA, "# 本周全市迎来降雨", PARA, "比赛结束后，球队主教练表示，足球队将继续努力，争取更好成绩。"]),
        "城市书房开到了家门口\n本报记者　赵六\n" + PARA + "\n书香满城\n" + PARA,
        "# 大标题\n" + PARA,
        "",
    ]
    pages = [_page(t, tokenizer) for t in texts]
    model = role_model()
    alone = [model.predict(blocks, words, joins, "paragraph") for blocks, words, joins in pages]
    assert model.predict_many([(blocks, words, joins, "paragraph") for blocks, words, joins in pages]) == alone
    chooser = link_chooser()
    walked = walk_pages([(blocks, roles, joins, words) for (blocks, words, joins), roles in zip(pages, alone)], chooser)
    assert walked == [art.walk(blocks, roles, joins, words, chooser) for (blocks, words, joins), roles in zip(pages, alone)]
    assert walk_pages([(b, r, j, w) for (b, w, j), r in zip(pages, alone)], None) == [
        art.walk(b, r, j, w, None) for (b, w, j), r in zip(pages, alone)
    ]


def test_stacking_keeps_a_pages_renderings_in_one_fold():
    from pagesplit.rolemodel import stacking_folds

    rows = [3, 2, 4, 3, 2, 5, 1, 3, 2, 4]
    keys = ["p1", "p2", "p3", "p4", "p5", "p1", "p2", "p3", "p4", "p5"]  # each page composed twice
    starts = np.cumsum([0] + rows)
    key_of_row = np.concatenate([[k] * n for k, n in zip(keys, rows)])
    folds = stacking_folds(rows, keys, 5)
    assert len(folds) == 5
    for train, test in folds:
        assert not set(key_of_row[train]) & set(key_of_row[test])  # never predicts its own text
        assert sorted(np.concatenate([train, test])) == list(range(starts[-1]))
    # without keys every page is its own group: the two renderings of p1 fall in different folds
    apart = stacking_folds(rows, None, 5)
    assert any(set(key_of_row[tr]) & set(key_of_row[te]) for tr, te in apart)
    with pytest.raises(ValueError):
        stacking_folds(rows, keys[:-1], 5)
