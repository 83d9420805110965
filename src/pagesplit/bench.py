"""``pagesplit bench``: end-to-end throughput against bare tokenization, scale-out, worker memory.

Pages: synthetic, made from the bundled ``examples/`` pages — their paragraphs recombined (seeded)
into distinct pages of ~1,500 characters, ten pages an issue, each page with a running head and a
credit line, so boilerplate, dedup and repair have work to do. With ``corpus`` (the research
corpus), whole issues composed by ``pagesplit.evaluation.compose`` into the scratch directory.

Measured, all through the real Prefect flow, ``--full``: with 0 workers, ``pagesplit run`` as a user
types it (a process of its own: interpreter start, imports, model load, the tasks in that process);
with N workers, the flow in this process on a Dask LocalCluster of N worker processes. Prefect's
temporary API server is started once before the runs and every run reports to it (as a nightly
deployment reports to its server); its start is reported apart (``prefect_server_start_s``: what a
run without ``PREFECT_API_URL`` pays on top). Per run: wall time (cluster start and model loads
included; the scan and process phases reported apart), pages/s and chars/s, and the CPU seconds of
every process of the run (the run's, the API server, the Dask workers: the machine may be shared,
CPU time is the steadier figure); peak RSS of the processes holding the models (psutil, sampled
every ``SAMPLE_SECONDS``) at ``pages`` and ``big_pages``.

The denominator, **bare tokenization**: every page file's full text, as read (nothing removed),
through spaCy's Chinese tokenizer with the pkuseg segmenter (``nlp.tokenizer(text)``, a ``Doc``
per piece of ``tokens.MAX_PIECE_CHARS``), one process, the model already loaded (its load time is
reported apart). The pipeline itself tokenizes only kept text, through ``segmenter.Segmenter``
(pkuseg's model and decoder, its feature extraction done in bulk: the same words, a test and this
benchmark check it); ``bare_pkuseg_s`` (pkuseg's ``cut`` without the ``Doc``) and ``segmenter_s``
give those costs on the full text too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import shutil
import threading
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PAGES_PER_ISSUE = 10
PARAGRAPHS_PER_PAGE = (8, 16)  # ~1,500 characters (1,488 on average in the 1,000-page bench)
SAMPLE_SECONDS = 0.5  # RSS sampling: the models settle in seconds, a page takes ~20 ms


def paragraphs(examples: Path = EXAMPLES) -> list[str]:
    out = []
    for p in sorted(examples.rglob("*.txt")):
        for block in p.read_text(encoding="utf-8").split("\n\n"):
            block = block.strip()
            if len(block) >= 12:
                out.append(block)
    return out


def synthesize(out_dir: Path, n_pages: int, *, seed: int = 7, examples: Path = EXAMPLES) -> int:
    """Write ``n_pages`` distinct pages under ``out_dir`` (PUBLICATION/DATE/pNN.txt); returns chars."""
    rng = random.Random(seed)
    paras = paragraphs(examples)
    chars = 0
    for i in range(n_pages):
        issue, page_no = divmod(i, PAGES_PER_ISSUE)
        pub = ("bench-daily", "bench-evening")[issue % 2]
        date = (dt.date(2024, 1, 1) + dt.timedelta(days=issue // 2)).isoformat()
        body = rng.sample(paras, rng.randint(*PARAGRAPHS_PER_PAGE))
        # a distinct sentence per page: no two pages are equal even when their paragraphs coincide
        body.append(f"本报讯 第{issue}期第{page_no + 1}版编号{rng.randrange(10**6)}的消息。")
        text = "\n\n".join([f"{pub} {date} 第{page_no + 1}版", *body, "责任编辑：王明 校对：李华"]) + "\n"
        path = out_dir / pub / date / f"p{page_no + 1:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


class RssSampler:
    """Peak RSS and CPU seconds of every descendant process of this one (Dask workers, Prefect's
    temporary API server), sampled: a process's last ~``SAMPLE_SECONDS`` of CPU may be missed."""

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self.peak: dict[tuple[int, str], tuple[int, str]] = {}
        self.cpu: dict[int, tuple[float, str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        # CPU the processes already alive (Prefect's server, started before the runs) had used
        self._base: dict[int, float] = {}
        for p in self._me.children(recursive=True):
            try:
                t = p.cpu_times()
                self._base[p.pid] = t.user + t.system
            except psutil.Error:
                continue

    def _loop(self) -> None:
        import psutil

        while not self._stop.is_set():
            for p in self._me.children(recursive=True):
                try:
                    rss = p.memory_info().rss
                    t = p.cpu_times()
                    name = " ".join(p.cmdline())
                except psutil.Error:
                    continue
                # by (pid, command line): between fork and exec a child shows its parent's command
                # line and memory (this process's, which holds spaCy), not its own
                if rss > self.peak.get((p.pid, name), (0, ""))[0]:
                    self.peak[(p.pid, name)] = (rss, name)
                self.cpu[p.pid] = (t.user + t.system - self._base.get(p.pid, 0.0), name)
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def kind(cmdline: str) -> str:
        if "create_app" in cmdline or "prefect" in cmdline and "server" in cmdline:
            return "api_server"
        if "spawn_main" in cmdline:  # Dask worker processes (multiprocessing spawn)
            return "workers"
        if RUN_MARK in cmdline:  # `pagesplit run` in a process of its own (workers = 0)
            return "run_process"
        return "other"

    def worker_peaks_mb(self) -> list[float]:
        """Peak RSS of the processes that hold the models: the Dask workers, else the run process."""
        peaks = {k: sorted((round(r / 2**20) for r, name in self.peak.values() if self.kind(name) == k), reverse=True)
                 for k in ("workers", "run_process")}  # fmt: skip
        return peaks["workers"] or peaks["run_process"]

    def cpu_by_kind(self) -> dict[str, float]:
        out = {"api_server": 0.0, "workers": 0.0, "run_process": 0.0, "other": 0.0}
        for cpu, name in self.cpu.values():
            out[self.kind(name)] += cpu
        return {k: round(v, 1) for k, v in out.items()}


RUN_MARK = "from pagesplit.cli import main"


def _e2e(input_dir: Path, out: Path, workers: int) -> dict:
    """One ``--full`` run. Workers = 0 is what ``pagesplit run`` does by default (the tasks in the
    run's own process, no Dask): it runs as that command in a process of its own, so that its
    memory is its own (this process holds spaCy for the bare tokenization)."""
    from pipelines.nightly import nightly

    shutil.rmtree(out, ignore_errors=True)
    if workers == 0:
        import subprocess
        import sys

        from pipelines.nightly import api_url

        env = {**os.environ, "PREFECT_API_URL": api_url()}  # the server the other runs report to
        with RssSampler() as rss:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", f"{RUN_MARK}; main()", "run", str(input_dir), str(out), "--full"],
                           check=True, stdout=subprocess.DEVNULL, env=env)  # fmt: skip
            wall = time.perf_counter() - t
        record = json.loads(max((out / "_runs").glob("*.json")).read_text(encoding="utf-8"))
        return {"wall_s": round(wall, 2), "record": record, "worker_rss_mb": rss.worker_peaks_mb(),
                "cpu_s": {"flow_process": 0.0, **rss.cpu_by_kind()}}  # fmt: skip
    with RssSampler() as rss:
        t, c = time.perf_counter(), time.process_time()
        record = nightly(str(input_dir), str(out), full=True, workers=workers)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
    return {"wall_s": round(wall, 2), "record": record, "worker_rss_mb": rss.worker_peaks_mb(),
            "cpu_s": {"flow_process": round(cpu, 1), **rss.cpu_by_kind()}}  # fmt: skip


def bare_tokenization(input_dir: Path) -> dict:
    """The same pages' full text through spaCy's zh pkuseg tokenizer (see the module docstring),
    then through pkuseg's ``cut`` alone and through our bulk segmenter: the same words, each timed."""
    from .tokens import get_tokenizer

    tok = get_tokenizer()
    t = time.perf_counter()
    tok.spacy()
    load = time.perf_counter() - t
    texts = [p.read_text(encoding="utf-8") for p in sorted(input_dir.rglob("*.txt"))]
    t, c = time.perf_counter(), time.process_time()
    words = sum(len(tok.spacy_words(x)) for x in texts)
    res = {"load_s": round(load, 2), "tokenize_s": round(time.perf_counter() - t, 2),
           "tokenize_cpu_s": round(time.process_time() - c, 2), "words": words}  # fmt: skip
    cut = tok.pkuseg().cut
    t = time.perf_counter()
    assert sum(len(cut(x)) for x in texts) == words
    res["bare_pkuseg_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    assert sum(map(len, tok.words_many(texts))) == words
    res["segmenter_s"] = round(time.perf_counter() - t, 2)
    return res


def _cleanup_cpu(pages: list, tok, model) -> float:
    """CPU of the cleanup stages alone over one issue's pages: ``pipeline.issue_blocks`` (lines,
    boilerplate, noise, duplicates, blocks), then the fragment joins (with their junction model and
    the word segmenter's reading of the candidate junctions, and the join model on the layouts it
    decides)."""
    from .blocks import read_lines
    from .joinmodel import join_model
    from .junction import WordMemo
    from .pipeline import issue_blocks
    from .repair import RepairConfig, find_joins, learned_joins_many

    c = time.process_time()
    lines = [read_lines(p.text) for p in pages]
    prepared = issue_blocks(pages, lines=lines)
    joiner = join_model()
    if joiner is not None:  # as the pipeline asks it: an issue's pages at once
        learned_joins_many([(blocks, WordMemo(tok.words, tok.words_many), layout, ls) for (layout, blocks), ls in zip(prepared, lines)],
                           RepairConfig(), model, joiner)  # fmt: skip
    else:
        for layout, blocks in prepared:
            find_joins(blocks, tok.words, model=model, layout=layout, words_many=tok.words_many)
    return time.process_time() - c


def interleaved(input_dir: Path) -> dict:
    """The pipeline against bare tokenization, issue by issue in turn, in this process: each
    issue's page texts through spaCy's zh pkuseg tokenizer, then through the cleanup stages alone
    (``_cleanup_cpu``), then through ``pipeline.process_issue`` (everything from lines to
    articles, the kept text's tokenization included), each CPU timed, models loaded before (by
    ``runner.run_tokenizer``, as a run's process loads them: then set out of the garbage collector's
    sight, spaCy's too, so the bare tokenization meets the same process). Measured a second or so
    apart, all meet the same speed of this host, so their ratios hold still where whole runs
    minutes apart wander."""
    from . import junction
    from .ingest import load_page
    from .pipeline import process_issue
    from .runner import plan, run_tokenizer
    from .tokens import get_tokenizer

    get_tokenizer().spacy()  # before the pipeline's own loading, which freezes what is loaded (as in a run)
    tok = run_tokenizer()
    model = junction.default_model()
    bare = cleanup = stages = 0.0
    batches, _ = plan(input_dir)
    if batches:  # the role and link models load on first use: not part of any issue's cost
        process_issue([load_page(input_dir, ref) for ref in batches[0].pages], tok, junction_model=model)
    for batch in batches:
        pages = [load_page(input_dir, ref) for ref in batch.pages]
        c = time.process_time()
        for p in pages:
            tok.spacy_words(p.text)
        bare += time.process_time() - c
        cleanup += _cleanup_cpu(pages, tok, model)
        c = time.process_time()
        process_issue(pages, tok, junction_model=model)
        stages += time.process_time() - c
    ratio = lambda x: round(x / bare, 3) if bare else None  # noqa: E731
    return {"issues": len(batches), "bare_cpu_s": round(bare, 2), "cleanup_cpu_s": round(cleanup, 2),
            "stages_cpu_s": round(stages, 2), "cleanup_over_bare": ratio(cleanup), "stages_over_bare": ratio(stages)}  # fmt: skip


CORPUS_MONTHS = tuple(f"2020-{m:02d}" for m in range(1, 10))


def corpus_pages(corpus: Path, out_dir: Path, n_pages: int, *, seed: int = 13) -> int:
    """Whole issues composed from the research corpus (``evaluation.compose``, into ``out_dir``'s
    sibling ``composed-<n>``: scratch, never the repository) until ``n_pages`` pages; the pages are
    copied under ``out_dir``. Returns chars.

    The corpus holds ~4,200 pages (nine months); a larger set renders its issues again with
    another seed (layout, markup, noise and column order drawn anew) under a publication of its
    own (``rmrb-r2``, …), as another paper's issues of the same days would be: the same work per
    page, no id shared with the first rendering. At most MAX_RENDERINGS renderings."""
    from .evaluation.compose import compose

    chars = taken = 0
    for round_no in range(MAX_RENDERINGS):
        if taken >= n_pages:
            break
        composed = out_dir.parent / f"composed-{n_pages}" / f"r{round_no + 1}"
        shutil.rmtree(composed, ignore_errors=True)
        # ~8 pages an issue on average; a later round asks for twice the issues it seems to need
        # (issues vary in size; the copying stops at n_pages)
        per_issue = 8 if not round_no else 4
        compose(corpus, composed, months=CORPUS_MONTHS, n_issues=max(1, -(-(n_pages - taken) // per_issue)),
                seed=seed + 1000 * round_no)  # fmt: skip
        pages_root = composed / "pages"
        issues = sorted({p.parent for p in pages_root.rglob("*.txt")})
        if not issues:
            break
        for issue in issues:
            if taken >= n_pages:
                break
            for page in sorted(issue.glob("*.txt")):
                rel = page.relative_to(pages_root)
                if round_no:  # another publication: rmrb/2020-07-02/p01.txt -> rmrb-r2/2020-07-02/p01.txt
                    rel = Path(f"{rel.parts[0]}-r{round_no + 1}", *rel.parts[1:])
                target = out_dir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(page, target)
                chars += len(target.read_text(encoding="utf-8"))
                taken += 1
    return chars


# Renderings of the corpus a page set may take (each ~4,200 pages): 3 reach 12,000 pages.
MAX_RENDERINGS = 3


def bench(
    work: Path, *, pages: int = 1000, big_pages: int = 5000, workers: tuple[int, ...] = (0, 1, 2),
    corpus: Path | None = None, repeat: int = 1,
) -> dict:
    """``repeat`` > 1 runs that many rounds (bare tokenization, each throughput run and the cleanup
    stages back to back); a ratio is the median of the rounds' ratios, a row the median round by
    wall time (all listed): the machine may be shared."""
    work = Path(work)
    small, big = work / f"in-{pages}", work / f"in-{big_pages}"
    for d, n in ((small, pages), (big, big_pages)):
        shutil.rmtree(d, ignore_errors=True)
    make = (lambda d, n, seed: corpus_pages(Path(corpus), d, n, seed=seed)) if corpus else (lambda d, n, seed: synthesize(d, n, seed=seed))
    chars = make(small, pages, 7)
    pages = sum(1 for _ in small.rglob("*.txt"))  # the corpus may hold fewer
    big_chars = make(big, big_pages, 8) if big_pages else 0
    big_pages = sum(1 for _ in big.rglob("*.txt")) if big_pages else 0
    res: dict = {"machine": machine(), "source": f"corpus {corpus}" if corpus else "examples (synthesized)",
                 "pages": pages, "chars": chars, "runs": {}}  # fmt: skip
    from pipelines.nightly import api_url

    # Prefect's temporary server, started once before the runs (as a nightly deployment has one
    # running): no run pays its start, reported apart
    t = time.perf_counter()
    api_url()
    res["prefect_server_start_s"] = round(time.perf_counter() - t, 2)
    rounds = []
    for _ in range(repeat):
        # one round: the bare tokenization, every run and the cleanup stages back to back, so that
        # its ratios compare figures of the same minutes (this host's speed wanders)
        b = bare_tokenization(small)
        runs = {f"{pages}p-{n}w": _row(_e2e(small, work / f"out-{pages}-{n}w", n), pages, chars, n) for n in workers}
        inter = interleaved(small)
        rounds.append({"bare": b, "runs": runs, "interleaved": inter, "ratios": _ratios(b, runs, inter, pages)})
    mid = lambda xs, key: sorted(xs, key=key)[len(xs) // 2]  # noqa: E731
    res["bare"] = mid([r["bare"] for r in rounds], lambda b: b["tokenize_s"]) | {
        "tokenize_s_all": [r["bare"]["tokenize_s"] for r in rounds], "load_s": rounds[0]["bare"]["load_s"]}
    for name in rounds[0]["runs"]:
        rows = [r["runs"][name] for r in rounds]
        res["runs"][name] = mid(rows, lambda r: r["wall_s"]) | {"wall_s_all": [r["wall_s"] for r in rows]}
    res["interleaved"] = mid([r["interleaved"] for r in rounds], lambda c: c["stages_over_bare"] or 0)
    if big_pages:
        # RSS at the larger size with the most workers, and the scale-out again over the larger
        # backfill (1 worker, then the most): a worker's fixed costs (start, imports, model load,
        # first-issue warm-up, ~5 s) and the last task's finish weigh on a 1,000-page run's
        # speed-up; a nightly backfill is many times larger
        for n in sorted({max(workers)} | ({1} if 1 in workers and max(workers) > 1 else set())):
            r = _e2e(big, work / f"out-{big_pages}-{n}w", n)
            res["runs"][f"{big_pages}p-{n}w"] = _row(r, big_pages, big_chars, n)
    res["cpu_scaling"] = cpu_scaling()
    # each ratio: the median of its rounds' (all listed in ratios_all)
    keys = rounds[0]["ratios"]
    res["ratios_all"] = {k: [r["ratios"][k] for r in rounds] for k in keys}
    res["ratios"] = {k: (sorted(v for v in vs if v is not None)[len([v for v in vs if v is not None]) // 2]
                         if any(v is not None for v in vs) else None) for k, vs in res["ratios_all"].items()}  # fmt: skip
    # what two processes of a CPU-bound loop get done over one on this machine: the ceiling
    res["ratios"]["cpu_scaling_2_over_1"] = res["cpu_scaling"]["speedup"]
    one_big, two_big = res["runs"].get(f"{big_pages}p-1w"), res["runs"].get(f"{big_pages}p-2w")
    if one_big and two_big:  # one round (the larger runs are not repeated)
        res["ratios"]["speedup_2w_over_1w_wall_big"] = round(one_big["wall_s"] / two_big["wall_s"], 2)
        res["ratios"]["speedup_2w_over_1w_process_big"] = round(one_big["process_s"] / two_big["process_s"], 2)
    return res


def _ratios(b: dict, runs: dict, inter: dict, pages: int) -> dict:
    bare, bare_cpu = b["tokenize_s"], b["tokenize_cpu_s"]
    zero, one, two = (runs.get(f"{pages}p-{n}w") for n in (0, 1, 2))
    ratio = lambda x, y: round(x / y, 2) if x is not None and y else None  # noqa: E731
    return {
        # the issue's figure: the whole run (wall) over bare tokenization of the same pages; 0w is
        # `pagesplit run`'s default (no Dask, the tasks in the run's process), 1w one Dask worker
        "wall_0w_over_bare": ratio(zero and zero["wall_s"], bare),
        "wall_1w_over_bare": ratio(one and one["wall_s"], bare),
        "wall_2w_over_bare": ratio(two and two["wall_s"], bare),
        # the processing phase only (issue tasks, model load included)
        "process_1w_over_bare": ratio(one and one["process_s"], bare),
        "process_2w_over_bare": ratio(two and two["process_s"], bare),
        # CPU seconds of every process of the run over the bare tokenization's
        "cpu_0w_over_bare": ratio(zero and zero["cpu_total_s"], bare_cpu),
        "cpu_1w_over_bare": ratio(one and one["cpu_total_s"], bare_cpu),
        "cpu_2w_over_bare": ratio(two and two["cpu_total_s"], bare_cpu),
        "speedup_2w_over_1w_process": ratio(one and one["process_s"], two and two["process_s"]),
        # issue #4's figure: the cleanup stages' CPU over the bare tokenization's (target < 0.10),
        # and all the stages' (lines … articles), both measured issue by issue in turn
        "cleanup_cpu_over_bare": inter["cleanup_over_bare"],
        "stages_cpu_over_bare": inter["stages_over_bare"],
        "speedup_2w_over_1w_wall": ratio(one and one["wall_s"], two and two["wall_s"]),
    }


# A fixed pure-Python loop (~3 s): long enough that process start-up and scheduling noise are small.
SPIN_ITERATIONS = 30_000_000


def _spin(n: int, barrier, results) -> None:
    barrier.wait()
    t = time.perf_counter()
    s = 0
    for i in range(n):
        s += i * i
    results.put(time.perf_counter() - t)


# Rounds of (one process, two processes) for the scaling figure: the host's load varies from one
# second to the next (single rounds measured 1.28x, 1.88x and 2.55x within an hour), so the
# medians of several rounds are taken.
SPIN_ROUNDS = 5


def cpu_scaling(n: int = SPIN_ITERATIONS, rounds: int = SPIN_ROUNDS) -> dict:
    """How much more two processes get done than one on this machine: the same CPU-bound loop in
    one process, then in two started together, ``rounds`` times (medians). The ceiling of the
    2-worker speed-up (virtual cores may share a physical one, and the host may be shared)."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")

    def run(k: int) -> list[float]:
        barrier, results = ctx.Barrier(k), ctx.Queue()
        procs = [ctx.Process(target=_spin, args=(n, barrier, results)) for _ in range(k)]
        for p in procs:
            p.start()
        times = [results.get() for _ in procs]
        for p in procs:
            p.join()
        return times

    ones, twos = [], []
    for _ in range(rounds):
        ones.append(run(1)[0])
        twos.append(max(run(2)))
    one, two = sorted(ones)[len(ones) // 2], sorted(twos)[len(twos) // 2]
    return {"one_s": round(one, 2), "two_s": round(two, 2), "speedup": round(2 * one / two, 2),
            "one_s_all": [round(x, 2) for x in ones], "two_s_all": [round(x, 2) for x in twos]}  # fmt: skip


def _row(r: dict, pages: int, chars: int, workers: int) -> dict:
    rec = r["record"]
    t = rec["timings"]
    # the issue-processing tasks (model load included); scan (hashing, furniture: also where the
    # workers' first imports land), server and cluster start are in the wall time
    process = t["process_s"]
    return {
        "pages": pages, "chars": chars, "workers": workers, "wall_s": r["wall_s"],
        "process_s": round(process, 2), "timings": t,
        "cpu_s": r["cpu_s"], "cpu_total_s": round(sum(r["cpu_s"].values()), 1),
        "pages_per_s_wall": round(pages / r["wall_s"], 1), "chars_per_s_wall": round(chars / r["wall_s"]),
        "pages_per_s_process": round(pages / process, 1), "chars_per_s_process": round(chars / process),
        "articles": rec["articles"], "worker_rss_mb": r["worker_rss_mb"],
    }  # fmt: skip


def machine() -> dict:
    import psutil

    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30),
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
    }


def table(res: dict) -> str:
    lines = [
        "| run | pages | workers | wall s | scan s | process s | CPU s (run / server / workers) | pages/s (process) | chars/s (process) | pages/s (wall) | peak RSS per worker MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in res["runs"].items():
        c = r["cpu_s"]
        lines.append(
            f"| {name} | {r['pages']} | {r['workers'] or '0 (no Dask)'} | {r['wall_s']} | {r['timings']['scan_s']} | {r['process_s']} | "
            f"{r['cpu_total_s']} ({round(c['flow_process'] + c.get('run_process', 0.0), 1)} / {c['api_server']} / {c['workers']}) | {r['pages_per_s_process']} | "
            f"{r['chars_per_s_process']:,} | {r['pages_per_s_wall']} | {', '.join(map(str, r['worker_rss_mb']))} |"
        )
    b = res["bare"]
    lines.append(
        f"| bare spaCy+pkuseg (full text), 1 process | {res['pages']} | 1 | {b['tokenize_s']} | | (load {b['load_s']}) | "
        f"{b['tokenize_cpu_s']} | {round(res['pages'] / b['tokenize_s'], 1)} | {round(res['chars'] / b['tokenize_s']):,} | | |"
    )
    lines.append("")
    if "prefect_server_start_s" in res:
        lines.append(f"Prefect's temporary server, started once before the runs: {res['prefect_server_start_s']} s "
                     "(a run without PREFECT_API_URL pays it on top)")
    lines.append(f"pages: {res.get('source', 'examples')}; the same full text through pkuseg's cut without spaCy's Doc: "
                 f"{b.get('bare_pkuseg_s')} s, through our bulk segmenter (same words): {b.get('segmenter_s')} s")
    if "interleaved" in res:
        i = res["interleaved"]
        lines.append(f"issue by issue in turn in one process, against bare spaCy+pkuseg's {i['bare_cpu_s']} s CPU: the cleanup "
                     f"stages alone (lines … fragment joins) {i['cleanup_cpu_s']} s ({i['cleanup_over_bare']}×), all the stages "
                     f"(lines … articles, kept text tokenized) {i['stages_cpu_s']} s ({i['stages_over_bare']}×)")
    if "cpu_scaling" in res:
        c = res["cpu_scaling"]
        lines.append(f"this machine's own scaling: a CPU-bound loop takes {c['one_s']} s alone, {c['two_s']} s "
                     f"with a second copy beside it (medians of {len(c.get('one_s_all', [0]))} rounds): 2 processes do "
                     f"{c['speedup']}x the work of one (the ceiling of 2w/1w)")
    lines.append("ratios: " + json.dumps(res["ratios"]))
    m = res["machine"]
    lines.append(f"machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, {m['os']}")
    return "\n".join(lines)
