"""Nightly operations: incremental runs, idempotence, the change feed, the output lock, --full.

All in-process with the two-character stand-in tokenizer (no pkuseg): what is tested here is which
issues are (re)processed and what the output and its state say afterwards, not word segmentation.
"""

import os
import shutil
import subprocess
import sys
import textwrap

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pagesplit import io, runner, state
from pagesplit.cli import app
from pagesplit.errors import OutputLocked
from pagesplit.feed import changes_since

from .conftest import EXAMPLES, ROOT, CharTokenizer

ML = "morning-light/2024-03-05"
HH = "hohhot-daily/2024-07-19"


class NoModel:
    """A tokenizer that fails the test if any model work is attempted."""

    def words(self, text):
        raise AssertionError("an unchanged run tokenized text")


@pytest.fixture
def no_pkuseg(monkeypatch):
    def refuse():
        raise AssertionError("an unchanged run loaded the tokenizer")

    monkeypatch.setattr(runner, "run_tokenizer", refuse)


def make_input(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(EXAMPLES, src)
    return src


def rows(out, table):
    t = io.read_table(out, table).drop_columns(["run_id"])
    key = {"pages": "page_id", "segments": "segment_id", "articles": "article_id", "rejects": "source_path"}[table]
    return t.sort_by(key).to_pylist()


def run(src, out, **kw):
    return runner.run(src, out, tokenizer=kw.pop("tokenizer", CharTokenizer()), **kw)


def test_unchanged_input_is_skipped_without_model_work(tmp_path, no_pkuseg):
    src, out = make_input(tmp_path), tmp_path / "out"
    first = run(src, out)
    assert first["issues"] == 2 and first["changes"]["added"] == first["articles"] > 0
    before = {t: rows(out, t) for t in ("pages", "segments", "articles")}
    second = runner.run(src, out)  # no tokenizer given, and loading one fails the test
    assert (second["issues"], second["issues_skipped"], second["pages_skipped"]) == (0, 2, 3)
    assert second["inputs"]["pages_hashed"] == 0  # size+mtime unchanged: no file even read
    assert second["changes"] == {"added": 0, "changed": 0, "deleted": 0}
    assert pq.read_table(out / "_changes" / f"{second['run_id']}.parquet").num_rows == 0  # empty, but there
    assert {t: rows(out, t) for t in before} == before


def test_touched_but_identical_page_is_hashed_not_reprocessed(tmp_path, no_pkuseg):
    src, out = make_input(tmp_path), tmp_path / "out"
    run(src, out)
    page = src / ML / "p01.txt"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 5_000_000_000))
    r = runner.run(src, out)
    assert r["inputs"]["pages_hashed"] == 2 and r["issues"] == 0  # the hash decides, not the mtime


def test_changed_page_reprocesses_its_issue_only_and_feeds_the_changes(tmp_path):
    src, out = make_input(tmp_path), tmp_path / "out"
    first = run(src, out)
    hh_before = io.read_table(out, "articles").filter(io.ds.field("publication") == "hohhot-daily")
    page = src / ML / "p02.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n# 新馆周末延长开放时间\n\n本报讯 市图书馆新馆自本周起周末延长开放至晚上九点，方便市民阅读。\n", encoding="utf-8")
    second = run(src, out)
    assert second["issues"] == 1 and second["partitions_changed"] == [
        {"publication": "morning-light", "issue_date": "2024-03-05", "action": "written"}
    ]
    assert second["pages_processed"] == 2 and second["pages_skipped"] == 1
    assert second["changes"]["added"] >= 1
    hh_after = io.read_table(out, "articles").filter(io.ds.field("publication") == "hohhot-daily")
    assert hh_after.equals(hh_before)  # untouched issue: not rewritten, same run_id
    net = changes_since(out, first["run_id"])
    assert {r["change"] for r in net} <= {"added", "changed"} and len(net) == sum(second["changes"].values())
    assert all(r["publication"] == "morning-light" for r in net)
    added = [r["article_id"] for r in net if r["change"] == "added"]
    assert set(added) <= set(io.read_table(out, "articles").column("article_id").to_pylist())
    cli = CliRunner().invoke(app, ["changes", str(out), "--since", first["run_id"]])
    assert cli.exit_code == 0 and added[0] in cli.output


def test_deleted_pages_reprocess_or_delete_their_issue(tmp_path):
    src, out = make_input(tmp_path), tmp_path / "out"
    first = run(src, out)
    hh_articles = set(io.read_table(out, "articles").filter(io.ds.field("publication") == "hohhot-daily").column("article_id").to_pylist())
    (src / ML / "p02.txt").unlink()
    shutil.rmtree(src / "hohhot-daily")
    r = run(src, out)
    assert r["issues"] == 1 and r["issues_deleted"] == 1
    assert {p["source_path"] for p in rows(out, "pages")} == {f"{ML}/p01.txt"}
    for t in ("pages", "segments", "articles", "rejects"):
        assert not io.partition_dir(out, t, "hohhot-daily", "2024-07-19").exists()
    net = {x["article_id"]: x["change"] for x in changes_since(out, first["run_id"])}
    assert {a for a, c in net.items() if c == "deleted"} >= hh_articles
    assert set(io.read_table(out, "articles").column("article_id").to_pylist()).isdisjoint(
        {a for a, c in net.items() if c == "deleted"}
    )
    assert ("hohhot-daily", "2024-07-19") not in state.load(out).issues


def test_full_reprocesses_everything_and_changes_nothing(tmp_path):
    src, out = make_input(tmp_path), tmp_path / "out"
    run(src, out)
    before = {t: rows(out, t) for t in ("pages", "segments", "articles", "rejects")}
    r = run(src, out, full=True)
    assert r["mode"] == "full" and r["issues"] == 2 and r["pages_processed"] == 3
    assert r["changes"] == {"added": 0, "changed": 0, "deleted": 0}  # same content, same ids
    assert {t: rows(out, t) for t in before} == before


def test_second_run_on_an_output_is_refused_then_can_wait(tmp_path):
    src, out = make_input(tmp_path), tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pagesplit.lock import output_lock
            with output_lock({str(out)!r}, run_id="holder"):
                print("locked", flush=True)
                time.sleep(3)
        """)],
        stdout=subprocess.PIPE, text=True, env=os.environ | {"PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"},
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputLocked) as exc:
            run(src, out)
        assert exc.value.code == "E202" and "holder" in str(exc.value) and "--wait" in str(exc.value)
        assert not (out / "articles").exists()  # refused before writing anything
        r = run(src, out, wait=30)  # queues behind the holder (3 s)
        assert r["issues"] == 2
    finally:
        holder.kill()
        holder.wait()


def test_known_furniture_comes_from_previous_issues_only():
    def scan(date, keys):
        return runner.IssueScan("p", date, (), tuple(keys))

    scans = [scan("2024-01-01", ["head"]), scan("2024-01-02", ["head"]), scan("2024-01-03", []), scan("2023-12-31", [])]
    known = runner.known_furniture(scans)
    assert known[("p", "2023-12-31")] == () and known[("p", "2024-01-02")] == ()  # seen once before
    assert known[("p", "2024-01-03")] == ("head",)  # seen in two previous issues


def test_known_furniture_forgets_issues_outside_the_window():
    n = runner.KNOWN_WINDOW
    scans = [runner.IssueScan("p", f"2024-01-{d:02d}", (), ("old",) if d <= 2 else ()) for d in range(1, n + 4)]
    known = runner.known_furniture(scans)
    assert known[("p", f"2024-01-{n + 1:02d}")] == ("old",)  # issues 1 and 2 are its previous n
    assert known[("p", f"2024-01-{n + 2:02d}")] == ()  # issue 1 fell out of the window


def test_an_earlier_issue_changing_its_furniture_reprocesses_later_ones(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    head = "晨光日报 2024年3月{d}日 星期二 第1版"
    for d in (5, 6, 7):
        page = src / f"morning-light/2024-03-0{d}/p01.txt"
        page.parent.mkdir(parents=True)
        body = (EXAMPLES / ML / "p01.txt").read_text(encoding="utf-8")
        page.write_text(f"{head.format(d=d)}\n\n{body}", encoding="utf-8")
    run(src, out)
    (src / "morning-light/2024-03-05/p01.txt").write_text("市图书馆新馆开放\n\n本报讯 昨日市图书馆新馆正式开放。\n", encoding="utf-8")
    r = run(src, out)
    processed = {(p["issue_date"]) for p in r["partitions_changed"]}
    assert "2024-03-05" in processed and "2024-03-07" in processed  # its evidence for the 7th changed


def test_changes_since_an_unknown_run_says_which_exist(tmp_path):
    src, out = make_input(tmp_path), tmp_path / "out"
    first = run(src, out)
    result = CliRunner().invoke(app, ["changes", str(out), "--since", "nope"])
    assert result.exit_code != 0 and first["run_id"] in str(result.exception)


def test_serve_builds_a_scheduled_deployment(tmp_path):
    from pagesplit.schedule import build_deployment

    d = build_deployment(tmp_path / "in", tmp_path / "out", cron="0 2 * * *", timezone="Asia/Shanghai", workers=2)
    assert d.entrypoint == "pipelines.nightly.nightly"
    assert d.schedules[0].schedule.cron == "0 2 * * *" and d.schedules[0].schedule.timezone == "Asia/Shanghai"
    assert d.parameters["input_root"] == str((tmp_path / "in").resolve()) and d.parameters["workers"] == 2


def test_bench_measures_the_machines_own_two_process_scaling():
    from pagesplit.bench import cpu_scaling

    got = cpu_scaling(4_000_000, rounds=1)  # the machinery only: spawned processes, started together
    # a bound on the speedup itself would be a timing test (a 10 ms loop measured 2.6x once); the
    # figure must be the work of two over the work of one (the times are rounded to 10 ms)
    assert got["one_s"] > 0 and got["two_s"] > 0
    assert got["speedup"] == pytest.approx(2 * got["one_s"] / got["two_s"], rel=0.15)


def test_bench_renders_the_corpus_again_for_a_larger_page_set(tmp_path, monkeypatch):
    # a stand-in for the composer: a "corpus" of 3 issues of 4 pages, each rendering its own text
    from pagesplit import bench
    from pagesplit.evaluation import compose as compose_mod

    seeds = []

    def fake_compose(corpus, out, *, months, n_issues, seed):
        seeds.append(seed)
        for d in range(1, min(n_issues, 3) + 1):
            for p in range(1, 5):
                page = out / "pages" / "rmrb" / f"2020-07-0{d}" / f"p0{p}.txt"
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_text(f"seed {seed} page {p}\n", encoding="utf-8")
        return {"n_pages": 4 * min(n_issues, 3)}

    monkeypatch.setattr(compose_mod, "compose", fake_compose)
    got = tmp_path / "in"
    bench.corpus_pages(tmp_path / "corpus", got, 20, seed=8)
    pages = sorted(str(p.relative_to(got)) for p in got.rglob("*.txt"))
    assert len(pages) == 20 and len(seeds) == 2 and seeds[0] != seeds[1]  # 12 pages, then 8 rendered anew
    assert sum(p.startswith("rmrb-r2/") for p in pages) == 8  # ... as another publication: no id collides
    assert (got / "rmrb-r2" / "2020-07-01" / "p01.txt").read_text(encoding="utf-8") != (got / "rmrb" / "2020-07-01" / "p01.txt").read_text(encoding="utf-8")


def test_task_groups_keep_order_and_come_in_rounds_of_the_workers():
    items = [("issue%02d" % i, 10 + i % 5) for i in range(64)]  # 64 issues of 10-14 pages
    pages = lambda it: it[1]  # noqa: E731
    one = runner.task_groups(items, pages, per_task=70, workers=1, per_worker=4)
    two = runner.task_groups(items, pages, per_task=70, workers=2, per_worker=4)
    assert [it for g in two for it in g] == items and [it for g in one for it in g] == items
    assert len(one) == 11  # 766 pages / 70, rounded up
    assert len(two) == 12  # ... and up to a round of the two workers
    sizes = [sum(pages(it) for it in g) for g in two]
    assert max(sizes) - min(sizes) <= 2 * max(pages(it) for it in items)  # balanced by pages
    few = runner.task_groups(items[:3], pages, per_task=70, workers=2, per_worker=4)
    assert 1 <= len(few) <= 3 and all(few)  # never more groups than items, none empty
