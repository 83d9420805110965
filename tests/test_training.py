"""The join model's training examples, from the seed page and its gold (no corpus)."""

import json
import shutil

from pagesplit.evaluation import gold as G
from pagesplit.repair import JOIN_COLUMNS
from pagesplit.training import join_rows

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
    X, y, groups = join_rows(_composed(tmp_path), tokenizer)
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
