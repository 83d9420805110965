"""The bad-input battery (``cases.py``): every input file becomes a page or a reject with the
expected reason, in bounded time, and the run's summary counts the rejects."""

from __future__ import annotations

import json

import pytest

from pagesplit import io
from pagesplit.runner import run

from ..conftest import CharTokenizer
from .cases import CASES, LAYOUT_CASES, build_tree, case_path

# Each case is an issue of its own, so the run records its seconds (reported in README, not
# asserted: timing belongs to `make bench`, and a wall-clock bound flakes on a loaded machine).


@pytest.fixture(scope="module")
def battery(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-in")
    out = tmp_path_factory.mktemp("bad-out")
    expected = build_tree(root)
    record = run(root, out, tokenizer=CharTokenizer())
    pages = io.read_table(out, "pages").to_pylist()
    rejects = io.read_table(out, "rejects").to_pylist()
    return expected, record, pages, rejects


def _outcomes(pages, rejects) -> dict[str, list[str]]:
    got: dict[str, list[str]] = {}
    for p in pages:
        got.setdefault(p["source_path"], []).append("page:" + p["encoding"])
    for r in rejects:
        got.setdefault(r["source_path"], []).append("reject:" + r["reason"])
    return got


def test_battery_has_enough_cases():
    assert len(CASES) + len(LAYOUT_CASES) >= 25
    assert len({c.name for c in CASES} | {c[0] for c in LAYOUT_CASES}) == len(CASES) + len(LAYOUT_CASES)


@pytest.mark.parametrize("n, case", list(enumerate(CASES)), ids=[c.name for c in CASES])
def test_case_outcome(battery, n, case):
    expected, _, pages, rejects = battery
    got = _outcomes(pages, rejects)
    rel = case_path(n, case)
    paths = [p for p in expected if p == rel or p.startswith(rel.rsplit("/", 1)[0] + "/") or p == rel.rsplit("/", 1)[0]]
    assert paths, case.name
    for p in paths:
        assert got.get(p) == [expected[p]], (case.name, p, got.get(p), [r["detail"] for r in rejects if r["source_path"] == p])


@pytest.mark.parametrize("name, rel, expect", LAYOUT_CASES, ids=[c[0] for c in LAYOUT_CASES])
def test_layout_case_outcome(battery, name, rel, expect):
    _, _, pages, rejects = battery
    assert _outcomes(pages, rejects).get(rel) == [expect]


def test_every_input_accounted_for_once(battery):
    """Nothing lost, nothing doubled: the rows of pages and rejects are exactly the inputs."""
    expected, record, pages, rejects = battery
    got = _outcomes(pages, rejects)
    assert sorted(got) == sorted(expected)
    assert all(len(v) == 1 for v in got.values())
    n_rejects = sum(e.startswith("reject:") for e in expected.values())
    assert record["rejected"] == n_rejects == len(rejects)
    assert record["pages"] == len(pages) == len(expected) - n_rejects
    for r in rejects:
        assert r["reason"] and r["detail"], r


def test_pages_of_odd_inputs_keep_every_character(battery):
    """The accepted odd pages (one huge line, CR endings, scripts mixed) hold all their text."""
    _, _, pages, _ = battery
    assert all(p["n_segments"] > 0 for p in pages if p["n_chars"] and p["source_path"])
    big = [p for p in pages if p["n_chars"] == 1_000_000]
    assert len(big) == 1 and big[0]["n_articles"] >= 1


def test_run_record_lists_plan_rejects(battery):
    _, record, _, _ = battery
    reasons = {r["reason"] for r in record["plan_rejects"]}
    assert {"bad_date", "bad_path", "bad_publication", "symlinked_directory", "duplicate_page_id", "bad_page_no"} <= reasons
    json.dumps(record)  # the record is what _runs/<id>.json holds: it must serialize


def test_readme_reports_every_case():
    from ..conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Bad input", 1)[1].split("\n## ", 1)[0]
    for name in [c.name for c in CASES] + [c[0] for c in LAYOUT_CASES]:
        assert f"`{name}`" in section, name
