"""A run SIGKILLed at any point leaves the previous data readable, and the next run converges to
what an uninterrupted run produces (same rows, same net change feed).

The killed run is the real CLI in a subprocess (``--no-prefect``) with the test tokenizer
(``PAGESPLIT_TEST_TOKENIZER=chars``); it kills itself at a named crash point
(``PAGESPLIT_TEST_CRASH_AT``), or is killed from outside after a delay.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from pagesplit import io, runner, schema
from pagesplit.feed import changes_since

from .conftest import EXAMPLES, ROOT, CharTokenizer

ML = "morning-light/2024-03-05"


def rows(out):
    keys = {"pages": "page_id", "segments": "segment_id", "articles": "article_id", "rejects": "source_path"}
    return {t: io.read_table(out, t).drop_columns(["run_id"]).sort_by(k).to_pylist() for t, k in keys.items()}


def cli(src, out, **env):
    return subprocess.Popen(
        [sys.executable, "-m", "pagesplit.cli", "run", str(src), str(out), "--no-prefect"],
        env=os.environ | {"PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "PAGESPLIT_TEST_TOKENIZER": "chars"} | env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """v1 input and its output; v2 (a page changed, a page deleted, a new issue) and the output an
    uninterrupted run of v2 makes from v1's output."""
    base = tmp_path_factory.mktemp("crash")
    v1, v2 = base / "v1", base / "v2"
    shutil.copytree(EXAMPLES, v1)
    shutil.copytree(EXAMPLES, v2)
    p01 = v2 / ML / "p01.txt"
    p01.write_text(p01.read_text(encoding="utf-8") + "\n\n# 新馆周末延长开放\n\n本报讯 新馆自本周起周末开放至晚上九点。\n", encoding="utf-8")
    (v2 / ML / "p02.txt").unlink()
    for day in range(6, 30):  # new issues: enough work (~1.5 s) for kills from outside to land mid-run
        new = v2 / f"morning-light/2024-03-{day:02d}/p01.txt"
        new.parent.mkdir(parents=True)
        text = (EXAMPLES / ML / ("p02.txt" if day % 2 else "p01.txt")).read_text(encoding="utf-8")
        new.write_text(text.replace("市", "县" if day % 3 else "市"), encoding="utf-8")
    out_v1 = base / "out-v1"
    first = runner.run(v1, out_v1, tokenizer=CharTokenizer())
    clean = base / "clean"
    shutil.copytree(out_v1, clean)
    runner.run(v2, clean, tokenizer=CharTokenizer())
    return {"v2": v2, "out_v1": out_v1, "v1_run": first["run_id"], "clean": clean, "base": base}


def _check_converges(scenario, out):
    for t in schema.TABLES:  # the previous or the new data, readable, whatever the kill point
        io.read_table(out, t)
    again = runner.run(scenario["v2"], out, tokenizer=CharTokenizer())
    assert again["status"] == "succeeded"
    assert rows(out) == rows(scenario["clean"])
    net = lambda o: sorted((r["article_id"], r["change"]) for r in changes_since(o, scenario["v1_run"]))  # noqa: E731
    assert net(out) == net(scenario["clean"])
    assert not list(out.rglob("_tmp-*"))
    return again


# issue_renamed:2 = half of the first issue's four tables renamed; issue_done:1 = one of two issues
# written; the last two are after all partitions, around the commit.
@pytest.mark.parametrize(
    "point", ["issue_staged", "issue_renamed:2", "issue_done:1", "feed_written", "state_committed"]
)
def test_killed_at_a_crash_point_then_converges(scenario, point, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(scenario["out_v1"], out)
    before = rows(out)
    proc = cli(scenario["v2"], out, PAGESPLIT_TEST_CRASH_AT=point)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, err
    if point == "issue_staged":
        assert rows(out) == before  # nothing renamed yet: readers still see v1 exactly
    _check_converges(scenario, out)


def test_killed_run_then_input_reverted_converges_to_the_old_input(scenario, tmp_path):
    """The killed run rewrote an issue whose input then went back to what the state records: only
    the in-flight record tells the next run to rewrite it."""
    out = tmp_path / "out"
    shutil.copytree(scenario["out_v1"], out)
    before = rows(out)
    proc = cli(scenario["v2"], out, PAGESPLIT_TEST_CRASH_AT="issue_done:1")
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert rows(out) != before  # the first issue (morning-light 03-05) was rewritten from v2
    runner.run(scenario["base"] / "v1", out, tokenizer=CharTokenizer())
    assert rows(out) == before
    assert changes_since(out, scenario["v1_run"]) == []


@pytest.mark.parametrize("delay", [0.45, 0.6, 0.75])
def test_killed_from_outside_then_converges(scenario, delay, tmp_path):
    """Unplanned kill times (the subprocess takes ~0.9 s here: ~0.45 s of imports, then the run)."""
    out = tmp_path / "out"
    shutil.copytree(scenario["out_v1"], out)
    proc = cli(scenario["v2"], out)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    _check_converges(scenario, out)
