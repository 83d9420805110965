"""The page review opened in a real browser (headless Chromium): a screenshot is taken and the DOM
after the page's script ran is checked — one colour per article, the expected struck-through spans,
the OCR text shown unchanged, nothing from the data executed as markup.

To check another output, add one line to CASES: (output fixture name, page id, number of article
colours, {removal kind: number of struck-through spans}).
"""

from __future__ import annotations

import colorsys
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pagesplit.io import read_table
from pagesplit.review import render_page
from pagesplit.runs import input_root_of

CASES = [
    ("hand_output", "demo-daily/2024-07-01/p02", 2, {"boilerplate": 4, "duplicate": 1}),
    ("seed_gold_output", "hohhot-daily/2024-07-19/p01", 5, {"boilerplate": 20, "duplicate": 3}),
    ("pipeline_output", "hohhot-daily/2024-07-19/p01", 5, {"boilerplate": 20, "duplicate": 3}),
]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
WINDOW = (1400, 9000)  # tall enough for the whole seed page, so every article is on the screenshot


def chromium() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


class Dom(HTMLParser):
    """The few things the test reads from the dumped DOM."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.segs, self.dels, self.scripts, self.body = [], [], 0, {}
        self.page_text, self._in_page, self._depth = [], False, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        if tag == "script":
            self.scripts += 1
        if tag == "pre" and a.get("id") == "page":
            self._in_page = True
        elif self._in_page:
            self._depth += 1
            if tag == "span" and "data-article" in a:
                self.segs.append(a)
            if tag == "del":
                self.dels.append(a)

    def handle_endtag(self, tag):
        if self._in_page:
            if self._depth == 0 and tag == "pre":
                self._in_page = False
            else:
                self._depth -= 1

    def handle_data(self, data):
        if self._in_page:
            self.page_text.append(data)


def hsl_rgb(css: str) -> tuple[int, int, int]:
    h, s, l = (float(x) for x in re.findall(r"[\d.]+", css))
    r, g, b = colorsys.hls_to_rgb(h / 360, l / 100, s / 100)
    return round(r * 255), round(g * 255), round(b * 255)


def pixels_near(counts: Counter, rgb: tuple[int, int, int], tol: int = 2) -> int:
    return sum(n for c, n in counts.items() if all(abs(x - y) <= tol for x, y in zip(c[:3], rgb)))


@pytest.mark.parametrize(("output", "page_id", "n_colours", "struck"), CASES)
def test_review_page_in_a_browser(request, tmp_path, output, page_id, n_colours, struck):
    exe = chromium()
    if exe is None:
        pytest.skip("chromium is not installed (`make test` installs it; or apt-get install chromium fonts-noto-cjk)")
    from PIL import Image

    out = request.getfixturevalue(output)
    page_file = tmp_path / "page.html"
    page_file.write_text(render_page(out, page_id), encoding="utf-8")
    shot = tmp_path / "shot.png"
    run = subprocess.run(
        [exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
         f"--screenshot={shot}", "--dump-dom", page_file.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    dom = Dom()
    dom.feed(run.stdout)

    assert dom.body.get("data-ready") == "1", "the page's script did not run to the end"
    assert dom.scripts == 1, "only the review's own script may be a <script>"
    colours = {s["data-article"]: s["style"] for s in dom.segs}
    assert len(colours) == n_colours
    assert len(set(colours.values())) == n_colours, "two articles share a colour"
    assert Counter(d["data-removed"] for d in dom.dels) == Counter(struck)
    assert all(d.get("title") for d in dom.dels), "every struck-through span says why"

    # the review shows the page exactly as the OCR gave it
    page = next(p for p in read_table(out, "pages").to_pylist() if p["page_id"] == page_id)
    source = input_root_of(out, page["run_id"]) / page["source_path"]
    assert "".join(dom.page_text) == source.read_text(encoding=page["encoding"])

    # and every article's colour is really painted on the screenshot
    assert shot.exists()
    img = Image.open(shot).convert("RGB")
    assert img.size == WINDOW
    counts = Counter({rgb: n for n, rgb in img.getcolors(maxcolors=img.width * img.height)})
    for aid, style in colours.items():
        rgb = hsl_rgb(style.split(":", 1)[1])
        assert pixels_near(counts, rgb) > 200, f"colour of {aid} ({style}) not on the screenshot"
