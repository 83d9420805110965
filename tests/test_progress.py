"""Progress: log lines when not on a terminal (the bar itself is rich's), fed by the runner."""

import io

from pagesplit.progress import LogLines, reporter
from pagesplit.runner import run

from .conftest import EXAMPLES


def test_not_a_terminal_gives_log_lines():
    assert isinstance(reporter(io.StringIO()), LogLines)


def test_log_lines_are_throttled_but_the_last_always_shows():
    out = io.StringIO()
    log = LogLines(out, every=3600)
    log(1, 3, 10, 30)  # first call: shown (nothing shown yet)
    log(2, 3, 20, 30)  # within the interval: not shown
    log(3, 3, 30, 30)  # the end: shown
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[-1].startswith("pagesplit: 3/3 issues, 30/30 pages")


def test_the_first_line_shows_on_a_freshly_booted_machine(monkeypatch):
    # the monotonic clock starts at boot: a few seconds after it, the first call still prints
    import pagesplit.progress as progress

    monkeypatch.setattr(progress.time, "monotonic", lambda: 5.0)
    out = io.StringIO()
    LogLines(out, every=3600)(1, 3, 10, 30)
    assert out.getvalue().startswith("pagesplit: 1/3 issues, 10/30 pages")


def test_the_runner_reports_every_issue(tmp_path, char_tokenizer):
    calls = []
    run(EXAMPLES, tmp_path, tokenizer=char_tokenizer, progress=lambda *a: calls.append(a))
    n_issues = len({p.parent for p in EXAMPLES.rglob("*.txt")})
    assert [c[0] for c in calls] == list(range(1, n_issues + 1))
    assert calls[-1][2] == calls[-1][3] == len(list(EXAMPLES.rglob("*.txt")))
