"""Real OCR: the corpus's articles laid out as a newspaper page (HTML, three columns), rendered by
headless Chromium and read by Tesseract (``chi_sim``) — engine output no composer imitated: its
character confusions, its reading order, rows it reads across columns when it misses a gutter.

``pagesplit eval-ocr CORPUS --work DIR`` renders the pages once (``render``; ~20 s a page), runs the
pipeline over them and scores each source article against the pipeline's best-matching article
(``score``): text similarity of the body (paragraphs, whitespace removed), the share near (≥ 0.9)
and exact (≥ ``score.EXACT_SIM``), and the share whose headline came out (similarity ≥ 0.9: the
engine misreads characters, so an exact headline is rarer than a found one). There is no span gold
here: what is measured is whether each article comes out whole, in order, with its headline.

Needs Debian's ``chromium``, ``tesseract-ocr``, ``tesseract-ocr-chi-sim`` and ``fonts-noto-cjk``
(``sudo apt-get install chromium tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk``). The pages are
made from the research corpus: they stay in the work directory, never in the repository.
"""

from __future__ import annotations

import html
import json
import random
import shutil
import subprocess
from pathlib import Path

from rapidfuzz.distance import Indel

from ..errors import UsageError
from .corpus import load_issues
from .gold import squeeze
from .score import EXACT_SIM

DEV_MONTHS = ("2020-07", "2020-08", "2020-09")
PUBLICATION = "rmrbocr"
# Two layouts, alternating page by page: wide gutters (Tesseract finds the columns, reads them in
# its own block order) and narrow ones with a rule (it reads many rows across the columns).
LAYOUTS = (("gutter70", "column-gap: 70px;"), ("gutter40-rule", "column-gap: 40px; column-rule: 1px solid #888;"))
ARTICLES_PER_PAGE = 3
# Articles of this many characters fit three to a rendered page (and read as articles, not briefs).
MIN_CHARS, MAX_CHARS = 300, 1500
NEAR_SIM = 0.9
RENDER_TIMEOUT_S = 120
NEEDED = {"chromium": "chromium", "tesseract": "tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk"}


def check_tools() -> None:
    missing = [pkg for exe, pkg in NEEDED.items() if shutil.which(exe) is None]
    if missing:
        raise UsageError("eval-ocr needs Chromium and Tesseract with its Chinese data",
                         hint=f"sudo apt-get install {' '.join(missing)}")  # fmt: skip


def _page_html(articles, date: str, page_no: int, columns_css: str) -> str:
    parts = [f'<div class="run">人民日报　{date}　第{page_no:02d}版</div>']
    for a in articles:
        head = []
        if a.kicker:
            head.append(f'<div class="kick">{html.escape(a.kicker)}</div>')
        head.append(f'<div class="head">{html.escape(a.headline)}</div>')
        if a.subheadline:
            head.append(f'<div class="sub">{html.escape(a.subheadline)}</div>')
        if a.byline:
            head.append(f'<div class="by">{html.escape(a.byline)}</div>')
        body = "".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
        parts.append(f'<div class="art">{"".join(head)}<div class="cols">{body}</div></div>')
    parts.append('<div class="run">本版责编：王　明　　版式设计：李　华</div>')
    return f"""<html><head><meta charset="utf-8"><style>
body {{ width: 1500px; font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; margin: 30px; }}
.run {{ font-size: 18px; border-bottom: 1px solid #000; margin: 8px 0; }}
.kick, .sub {{ font-size: 24px; text-align: center; }} .by {{ font-size: 20px; text-align: center; margin: 6px; }}
.head {{ font-size: 40px; font-weight: bold; text-align: center; }}
.cols {{ column-count: 3; {columns_css} font-size: 22px; line-height: 1.6; }}
p {{ text-indent: 2em; margin: 0; }} .art {{ margin-bottom: 30px; border-bottom: 2px solid #000; padding-bottom: 10px; }}
</style></head><body>{''.join(parts)}</body></html>"""


def render(corpus: Path, work: Path, *, n_pages: int = 12, seed: int = 5) -> list[dict]:
    """Render and OCR ``n_pages`` pages into ``work/pages`` (``PUBLICATION``/date/pNN.txt); returns
    (and writes to ``work/truth.json``) each page's source articles. Reuses a finished rendering of
    the same seed and size."""
    truth_path = work / "truth.json"
    if truth_path.exists():
        done = json.loads(truth_path.read_text(encoding="utf-8"))
        if isinstance(done, dict) and done.get("seed") == seed and done.get("n_pages") == n_pages:
            return done["pages"]
    shutil.rmtree(work / "pages", ignore_errors=True)  # another rendering's pages must not mix in
    check_tools()
    rng = random.Random(seed)
    issues = load_issues(corpus, DEV_MONTHS)
    candidates = [p for pages in issues.values() for p in pages
                  if sum(MIN_CHARS <= sum(map(len, a.paragraphs)) <= MAX_CHARS for a in p.articles) >= ARTICLES_PER_PAGE]  # fmt: skip
    chosen = rng.sample(candidates, min(n_pages, len(candidates)))
    (work / "html").mkdir(parents=True, exist_ok=True)
    truth = []
    for k, page in enumerate(sorted(chosen, key=lambda p: (p.date, p.page))):
        arts = [a for a in page.articles if MIN_CHARS <= sum(map(len, a.paragraphs)) <= MAX_CHARS][:ARTICLES_PER_PAGE]
        layout, css = LAYOUTS[k % len(LAYOUTS)]
        stem = work / "html" / f"{page.date}-p{page.page:02d}"
        stem.with_suffix(".html").write_text(_page_html(arts, page.date, page.page, css), encoding="utf-8")
        png = stem.with_suffix(".png")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--screenshot={png}", "--window-size=1560,5200", stem.with_suffix(".html").resolve().as_uri()],
                       check=True, capture_output=True, timeout=RENDER_TIMEOUT_S)  # fmt: skip
        text = subprocess.run(["tesseract", str(png), "stdout", "-l", "chi_sim"], check=True, capture_output=True,
                              text=True, timeout=RENDER_TIMEOUT_S).stdout  # fmt: skip
        rel = f"{PUBLICATION}/{page.date}/p{page.page:02d}.txt"
        (work / "pages" / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / "pages" / rel).write_text(text, encoding="utf-8")
        truth.append({"page": rel, "layout": layout, "articles": [
            {"headline": a.headline, "paragraphs": list(a.paragraphs)} for a in arts]})
    truth_path.write_text(json.dumps({"seed": seed, "n_pages": n_pages, "pages": truth}, ensure_ascii=False, indent=1),
                          encoding="utf-8")  # fmt: skip
    return truth



def score(truth: list[dict], output_root: Path) -> dict:
    """Per layout and overall: articles, mean body similarity, near and exact shares, headlines found."""
    from ..io import read_table

    arts = read_table(output_root, "articles").to_pylist()
    by_page: dict[str, list[dict]] = {}
    for a in arts:
        by_page.setdefault(a["source_path"], []).append(a)
    rows = []
    for page in truth:
        preds = [("\n".join(squeeze(p) for p in a["text"].split("\n")), squeeze(a["headline"] or "")) for a in by_page.get(page["page"], [])]
        for src in page["articles"]:
            body = "\n".join(squeeze(p) for p in src["paragraphs"])
            best = max(preds, key=lambda p: Indel.normalized_similarity(body, p[0]), default=("", ""))
            rows.append({"layout": page["layout"], "sim": Indel.normalized_similarity(body, best[0]),
                         "headline": Indel.normalized_similarity(squeeze(src["headline"]), best[1]) >= NEAR_SIM})  # fmt: skip

    def summary(rs: list[dict]) -> dict:
        n = len(rs)
        return {"articles": n, "mean_sim": round(sum(r["sim"] for r in rs) / n, 3) if n else None,
                "near": round(sum(r["sim"] >= NEAR_SIM for r in rs) / n, 3) if n else None,
                "exact": round(sum(r["sim"] >= EXACT_SIM for r in rs) / n, 3) if n else None,
                "headline_found": round(sum(r["headline"] for r in rs) / n, 3) if n else None}  # fmt: skip

    return {"overall": summary(rows), "by_layout": {name: summary([r for r in rows if r["layout"] == name]) for name, _ in LAYOUTS}}


def eval_ocr(corpus: Path, work: Path, *, n_pages: int = 12, seed: int = 5) -> dict:
    """Render (once), run the pipeline in this process over the pages, score; writes work/ocr_eval.json."""
    from .. import runner

    truth = render(corpus, work, n_pages=n_pages, seed=seed)
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    runner.run(work / "pages", out, tokenizer=runner.run_tokenizer())
    result = score(truth, out)
    (work / "ocr_eval.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result
