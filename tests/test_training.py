"""The join model's training examples, from the seed page and its gold (no corpus)."""

import json
import shutil

from pagesplit.evaluation import gold as G
from pagesplit.repair import JOIN_COLUMNS, RIVAL_ASK, RIVAL_COLUMNS
from pagesplit.training import JoinPairs, first_answers, join_rows, rival_rows_out_of_fold

from .conftest import FIXTURES

SEED = FIXTURES / "seed" / "hohhot-daily_2024-07-19_p01.json"


def _composed(tmp_path):
    gold = json.loads(SEED.read_text(encoding="utf-8"))
    page = tmp_path / "pages" / gold["source_path"]
    page.parent.mkdir(parents=True)
    page.write_text(gold["text"], encoding="utf-8")
    (tmp_path / "gold").mkdir()
    shutil.copy(SEED, tmp_path / "gold" / SEED.name)
    return tmp_path


def test_every_candidate_pair_is_a_row_labelled_from_gold(tmp_path, tokenizer):
    pairs = join_rows(_composed(tmp_path), tokenizer)
    X, y, groups = pairs.rows, pairs.labels, pairs.pages
    assert len(pairs.both) == len(pairs.across) == len(pairs.sides) == len(X)
    word = JOIN_COLUMNS.index("word_across")
    assert all(both[0][word] == 1.0 and both[1][word] == 0.0 for both in pairs.both)  # (a word across, none)
    assert [row[word] for row in X] == [float(a) for a in pairs.across]  # each row read as pkuseg reads it
    assert X and all(len(row) == len(JOIN_COLUMNS) for row in X)
    assert set(groups) == {"hohhot-daily/2024-07-19/p01.txt"}
    # the seed's gold joins (a paragraph cut by a column and its continuation) are labelled 1,
    # each once, among many pairs labelled 0
    gold = G.parse(json.loads(SEED.read_text(encoding="utf-8")))
    joins = sum(1 for s in gold.spans if s.label == "article" and s.join)
    assert 0 < sum(y) <= joins
    assert len(y) > 3 * sum(y)
    adjacent = JOIN_COLUMNS.index("adjacent")
    far = [row for row, label in zip(X, y) if label and not row[adjacent]]
    assert far, "the seed's 107 -> 141 continuation is a far pair"


def test_the_rival_models_rows_come_from_answers_out_of_fold(tmp_path, tokenizer):
    pairs = join_rows(_composed(tmp_path), tokenizer)
    # five "pages" (the seed page under five names): each fold's answers come from the other four
    five = JoinPairs.concat([JoinPairs(pairs.both, pairs.across, pairs.labels, [f"{g}#{k}" for g in pairs.pages], pairs.sides)
                             for k in range(5)])  # fmt: skip
    rows = rival_rows_out_of_fold(five, folds=5)
    assert len(rows) == len(five.rows) and all(len(r) == len(RIVAL_COLUMNS) for r in rows)
    p = RIVAL_COLUMNS.index("p")
    assert all(0.0 <= r[p] <= 1.0 for r in rows)
    # a pair's row is read under pkuseg's reading when its answer reached RIVAL_ASK under either
    answers, read = first_answers(pairs, lambda r: [0.5 if row in pairs.rows else 0.0 for row in r])
    assert [r for r in read] == pairs.rows and set(answers) == {0.5}
    answers, read = first_answers(pairs, lambda r: [RIVAL_ASK / 2] * len(r))
    assert read == [both[1] for both in pairs.both] and set(answers) == {RIVAL_ASK / 2}


def test_the_join_model_is_scored_at_its_own_bar_when_a_rival_model_decides():
    import numpy as np

    from pagesplit.joinmodel import JOIN_BAR, RIVAL_BAR, JoinModel
    from pagesplit.learn import join_scores

    class Answers:  # a forest that answers each row's first column
        classes_ = np.array([0, 1])

        def predict_proba(self, X):
            return np.column_stack([1 - X[:, 0], X[:, 0]])

    rows, labels = [[0.2], [0.3], [0.9]], [0, 1, 1]
    between = (JOIN_BAR + RIVAL_BAR) / 2  # taken at the join model's bar, not at the rival model's
    rows[1] = [between]
    alone, with_rivals = JoinModel(Answers()), JoinModel(Answers(), rivals=Answers())
    assert with_rivals.bar == RIVAL_BAR and alone.bar == JOIN_BAR
    assert join_scores(alone, rows, labels) == join_scores(with_rivals, rows, labels)
    assert join_scores(with_rivals, rows, labels)["taken"] == 2


def test_parts_that_meet_on_one_page_name_are_refused():
    """A page's pairs are told by being consecutive: two parts whose pages meet under one name
    would read as one page's pairs (rivals across renderings), so concat refuses them."""
    import pytest

    def part(*pages):
        n = len(pages)
        return JoinPairs([([0.0], [0.0])] * n, [True] * n, [0] * n, list(pages), [(0, 1)] * n)

    both = JoinPairs.concat([part("a", "b"), part("a", "b")])  # renderings of the same pages, in order
    assert both.pages == ["a", "b", "a", "b"]
    with pytest.raises(ValueError, match="one page name"):
        JoinPairs.concat([part("a", "b"), part("b", "c")])
    assert JoinPairs.concat([part("a"), part(), part("b")]).pages == ["a", "b"]
