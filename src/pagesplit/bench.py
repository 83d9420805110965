"""``pagesplit bench``: end-to-end throughput against bare tokenization, scale-out, worker memory.

Pages: synthetic, made from the bundled ``examples/`` pages — their paragraphs recombined (seeded)
into distinct pages of ~3,000 characters, ten pages an issue, each page with a running head and a
credit line, so boilerplate, dedup and repair have work to do. (Composing pages from the research
corpus lives on the evaluation branch; the issue allows pages made from the examples.)

Measured, all through the real Prefect flow on a Dask LocalCluster (``--workers N``), ``--full``:
wall time per run (cluster start and pkuseg load included, and reported apart), pages/s and
chars/s; the same pages' text through bare spaCy+pkuseg in this process; peak RSS of every Dask
worker process (psutil, sampled every ``SAMPLE_SECONDS``) at ``pages`` and ``big_pages``.
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
PARAGRAPHS_PER_PAGE = (8, 16)  # ~3,000 characters, like the bundled pages
SAMPLE_SECONDS = 0.5  # RSS sampling: the model's 830 MB settle in seconds, a page takes ~50 ms


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
    """Peak RSS of every descendant process of this one (Dask nannies and workers)."""

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self.peak: dict[int, tuple[int, str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        import psutil

        while not self._stop.is_set():
            for p in self._me.children(recursive=True):
                try:
                    rss = p.memory_info().rss
                    name = " ".join(p.cmdline()[-3:])
                except psutil.Error:
                    continue
                if rss > self.peak.get(p.pid, (0, ""))[0]:
                    self.peak[p.pid] = (rss, name)
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def worker_peaks_mb(self) -> list[float]:
        # Dask workers are the descendants holding the model: the nanny stays ~100 MB
        return sorted((round(r / 2**20) for r, _ in self.peak.values() if r > 400 * 2**20), reverse=True)


def _e2e(input_dir: Path, out: Path, workers: int) -> dict:
    from pipelines.nightly import nightly

    shutil.rmtree(out, ignore_errors=True)
    with RssSampler() as rss:
        t = time.perf_counter()
        record = nightly(str(input_dir), str(out), full=True, workers=workers)
        wall = time.perf_counter() - t
    return {"wall_s": round(wall, 2), "record": record, "worker_rss_mb": rss.worker_peaks_mb()}


def bare_tokenization(input_dir: Path) -> dict:
    from .tokens import get_tokenizer

    t = time.perf_counter()
    tok = get_tokenizer()
    load = time.perf_counter() - t
    texts = [p.read_text(encoding="utf-8") for p in sorted(input_dir.rglob("*.txt"))]
    t = time.perf_counter()
    words = sum(len(tok.words(x)) for x in texts)
    return {"load_s": round(load, 2), "tokenize_s": round(time.perf_counter() - t, 2), "words": words}


def bench(work: Path, *, pages: int = 1000, big_pages: int = 5000, workers: tuple[int, ...] = (1, 2)) -> dict:
    work = Path(work)
    small, big = work / f"in-{pages}", work / f"in-{big_pages}"
    for d, n in ((small, pages), (big, big_pages)):
        shutil.rmtree(d, ignore_errors=True)
    chars = synthesize(small, pages)
    big_chars = synthesize(big, big_pages, seed=8) if big_pages else 0
    res: dict = {"machine": machine(), "pages": pages, "chars": chars, "runs": {}}
    res["bare"] = bare_tokenization(small)
    for n in workers:
        r = _e2e(small, work / f"out-{pages}-{n}w", n)
        res["runs"][f"{pages}p-{n}w"] = _row(r, pages, chars, n)
    if big_pages:
        n = max(workers)
        r = _e2e(big, work / f"out-{big_pages}-{n}w", n)
        res["runs"][f"{big_pages}p-{n}w"] = _row(r, big_pages, big_chars, n)
    bare = res["bare"]["tokenize_s"]
    one, two = res["runs"].get(f"{pages}p-1w"), res["runs"].get(f"{pages}p-2w")
    res["ratios"] = {
        "e2e_1w_over_bare": round(one["process_s"] / bare, 2) if one else None,
        "e2e_2w_over_bare": round(two["process_s"] / bare, 2) if two else None,
        "speedup_2w_over_1w_process": round(one["process_s"] / two["process_s"], 2) if one and two else None,
        "speedup_2w_over_1w_wall": round(one["wall_s"] / two["wall_s"], 2) if one and two else None,
    }
    return res


def _row(r: dict, pages: int, chars: int, workers: int) -> dict:
    rec = r["record"]
    t = rec["timings"]
    # the issue-processing tasks (model load included); scan (hashing, furniture: also where the
    # workers' first imports land) and cluster start are in the wall time
    process = t["process_s"]
    return {
        "pages": pages, "chars": chars, "workers": workers, "wall_s": r["wall_s"],
        "process_s": round(process, 2), "timings": t,
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
        "| run | pages | workers | wall s | scan s (incl. worker start) | process s | pages/s (process) | chars/s (process) | pages/s (wall) | peak RSS per worker MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in res["runs"].items():
        lines.append(
            f"| {name} | {r['pages']} | {r['workers']} | {r['wall_s']} | {r['timings']['scan_s']} | {r['process_s']} | {r['pages_per_s_process']} | "
            f"{r['chars_per_s_process']:,} | {r['pages_per_s_wall']} | {', '.join(map(str, r['worker_rss_mb']))} |"
        )
    b = res["bare"]
    lines.append(
        f"| bare spaCy+pkuseg, 1 process | {res['pages']} | 1 | {round(b['load_s'] + b['tokenize_s'], 2)} | (load {b['load_s']}) | {b['tokenize_s']} | "
        f"{round(res['pages'] / b['tokenize_s'], 1)} | {round(res['chars'] / b['tokenize_s']):,} | | |"
    )
    lines.append("")
    lines.append("ratios: " + json.dumps(res["ratios"]))
    m = res["machine"]
    lines.append(f"machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, {m['os']}")
    return "\n".join(lines)
