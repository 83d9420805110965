"""SIGKILL while decoding (the ingest side of issue #6's convergence tests): a run killed after
its n-th page read, then a plain rerun, gives the same tables as a clean run (run ids aside).
The writer side (a kill inside the atomic partition swap) is tested with the writer itself."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pagesplit import io
from pagesplit.schema import TABLES

from .cases import PAGE, TRAD

ROOT = Path(__file__).resolve().parents[2]
# The child runs the in-process pipeline with the character tokenizer and kills itself with
# SIGKILL (no cleanup, no finally) when it starts reading page number KILL_AT.
CHILD = """
import os, signal, sys
sys.path[:0] = [{src!r}, {root!r}]
from pagesplit import ingest, runner
from tests.conftest import CharTokenizer
kill_at, calls = int(sys.argv[3]), []
real = runner.load_page
def load_page(root, ref):
    calls.append(ref)
    if len(calls) == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(root, ref)
runner.load_page = load_page
runner.run(sys.argv[1], sys.argv[2], tokenizer=CharTokenizer())
"""


def _inputs(root: Path) -> None:
    pages = {
        "a/2024-05-01/p01.txt": PAGE.encode("utf-8"),
        "a/2024-05-01/p02.txt": PAGE.encode("gb18030"),
        "a/2024-05-02/p01.txt": ("# 圖書館\n\n" + TRAD + "\n").encode("big5"),
        "a/2024-05-02/p02.txt": b"",
        "b/2024-05-01/p01.txt": PAGE.encode("utf-16"),
        "b/2024-05-03/p01.txt": b"\x89PNG\r\n\x1a\n" + bytes(64),
    }
    for rel, data in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def _run(inp: Path, out: Path, kill_at: int) -> int:
    code = CHILD.format(src=str(ROOT / "src"), root=str(ROOT))
    return subprocess.run([sys.executable, "-c", code, str(inp), str(out), str(kill_at)], timeout=120).returncode


def _tables(out: Path) -> dict:
    result = {}
    for name in TABLES:
        t = io.read_table(out, name)
        t = t.drop_columns(["run_id"])
        result[name] = sorted(map(str, t.to_pylist()))
    return result


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    inp = tmp_path_factory.mktemp("kill-in")
    _inputs(inp)
    out = tmp_path_factory.mktemp("kill-clean")
    assert _run(inp, out, kill_at=0) == 0
    return inp, _tables(out)


@pytest.mark.parametrize("kill_at", [1, 3, 5])
def test_rerun_after_sigkill_while_decoding_equals_a_clean_run(clean, tmp_path, kill_at):
    inp, want = clean
    out = tmp_path / "out"
    assert _run(inp, out, kill_at) == -signal.SIGKILL
    assert _run(inp, out, kill_at=0) == 0
    assert _tables(out) == want
