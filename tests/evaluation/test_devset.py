import json

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from pagesplit.evaluation import baseline, devset, tiling
from pagesplit.evaluation.commands import register


@pytest.fixture()
def floors_file(tmp_path):
    path = tmp_path / "floors.json"
    path.write_text(json.dumps({"_comment": "test", "dev.bcubed_f1": 0.1, "seed.duplicate_f1": 0.99}))
    return path


_TILING_RUN = tiling.run


def _tiling_by_chars(pages, out):
    return _TILING_RUN(pages, out, words=list)  # characters as words: no pkuseg load in these tests


def _eval(corpus_dir, tmp_path, floors_file, hand_gold_dir, **kw):
    return devset.eval_dev(
        corpus_dir, tmp_path / "work", runner=baseline.run, peer=_tiling_by_chars, seed_dir=hand_gold_dir.parent, floors_path=floors_file,
        n_issues=2, months=("2020-07",), console=Console(file=open("/dev/null", "w")), **kw,
    )


def test_driver_scores_both_systems_and_names_failed_floors(corpus_dir, tmp_path, floors_file, hand_gold_dir):
    res = _eval(corpus_dir, tmp_path, floors_file, hand_gold_dir)
    report = json.loads((tmp_path / "work" / "eval.json").read_text())
    assert report["compose"]["n_pages"] == 6
    assert set(report["scores"]["dev"]) == {"pipeline", "baseline", "texttiling"} and report["scores"]["seed"]["pipeline"]
    assert report["figures"]["dev.bcubed_f1"] == report["scores"]["dev"]["pipeline"]["overall"]["bcubed_f1"]
    # the baseline misses the seed page's prefix duplicate: exactly that floor fails
    assert [f.split(":")[0] for f in res.failures] == ["seed.duplicate_f1"]


def test_pin_raises_but_never_lowers(corpus_dir, tmp_path, floors_file, hand_gold_dir):
    res = _eval(corpus_dir, tmp_path, floors_file, hand_gold_dir, pin=True)
    after = json.loads(floors_file.read_text())
    assert after["_comment"] == "test"
    assert after["dev.bcubed_f1"] == pytest.approx(int(res.report["figures"]["dev.bcubed_f1"] * 1000) / 1000)
    assert after["seed.duplicate_f1"] == 0.99  # above the reached figure: kept, still failing
    assert [f.split(":")[0] for f in res.failures] == ["seed.duplicate_f1"]


def test_columns_side_by_side():
    m = {"overall": {"bcubed_f1": 0.5}, "by_layout": {"wrapped": {"bcubed_f1": 0.4}}}
    cols = devset.columns({"dev": {"pipeline": None, "baseline": m}, "seed": {"pipeline": None, "baseline": m}})
    assert list(cols) == ["dev pipeline", "dev baseline", "dev texttiling", "wrapped pipeline", "wrapped baseline",
                          "wrapped texttiling", "seed pipeline", "seed baseline", "seed texttiling"]
    assert cols["dev pipeline"] is None and cols["wrapped baseline"] == {"bcubed_f1": 0.4}


def _app():
    app = typer.Typer()
    register(app)
    return app


def test_cli_missing_corpus_exits_2(tmp_path):
    r = CliRunner().invoke(_app(), ["eval-dev", str(tmp_path / "nope"), "--work", str(tmp_path / "w")])
    assert r.exit_code == 2 and "not found" in r.output
    r = CliRunner().invoke(_app(), ["compose", str(tmp_path / "nope"), str(tmp_path / "o")])
    assert r.exit_code == 2


def test_cli_eval_dev_exit_code_follows_floors(corpus_dir, tmp_path, floors_file, monkeypatch):
    monkeypatch.setattr(devset, "pipeline_runner", lambda: baseline.run)  # until pagesplit.runner lands
    monkeypatch.setattr(tiling, "run", _tiling_by_chars)
    args = ["eval-dev", str(corpus_dir), "--work", str(tmp_path / "w"), "--floors", str(floors_file),
            "--n-issues", "2", "--months", "2020-07"]
    r = CliRunner().invoke(_app(), args)
    # no seed/ beside this corpus: the seed floor is "not measured", the dev floor is met
    assert r.exit_code == 1, r.output
    failed = r.output.split("below floor:")[-1]
    assert "seed.duplicate_f1: not measured" in failed and "dev.bcubed_f1" not in failed
    floors_file.write_text(json.dumps({"dev.bcubed_f1": 0.1}))
    r = CliRunner().invoke(_app(), args)
    assert r.exit_code == 0 and "all floors met" in r.output


def test_cli_eval_writes_json(hand_gold_dir, tmp_path):
    baseline.run(hand_gold_dir.parent / "pages", tmp_path / "out")
    r = CliRunner().invoke(_app(), ["eval", str(hand_gold_dir), str(tmp_path / "out"), "--json", str(tmp_path / "s.json")])
    assert r.exit_code == 0, r.output
    assert json.loads((tmp_path / "s.json").read_text())["overall"]["pages"] == 1
    r = CliRunner().invoke(_app(), ["eval", str(tmp_path / "nogold"), str(tmp_path / "out")])
    assert r.exit_code == 2 and "E101" in r.output


def test_runner_from_another_checkout_is_refused(monkeypatch, tmp_path):
    import sys
    import types

    from pagesplit.errors import UsageError

    fake = types.ModuleType("pagesplit.runner")
    fake.__file__ = str(tmp_path / "elsewhere" / "pagesplit" / "runner.py")
    fake.run = lambda i, o: None
    monkeypatch.setitem(sys.modules, "pagesplit.runner", fake)
    import pagesplit

    monkeypatch.setattr(pagesplit, "runner", fake, raising=False)
    with pytest.raises(UsageError, match="E401"):
        devset.pipeline_runner()
