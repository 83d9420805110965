"""Faults around a run: bad manifests, unreadable files, a full disk or an unwritable output,
a damaged model, no network, the exit status on rejects."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pagesplit import cli, ingest, io, tokens
from pagesplit.errors import ManifestError, ModelCorrupt, OutputError
from pagesplit.models import sha256_file
from pagesplit.runner import run
from pagesplit.types import PageRef

from ..conftest import EXAMPLES, CharTokenizer
from .cases import PAGE


def _tree(root, pages: dict[str, bytes]):
    for rel, data in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


# --- manifests -------------------------------------------------------------------------------

MANIFEST_ROWS = [
    # (row, expected: 'page' or reject reason)
    ({"path": "a/p01.txt", "publication": "daily", "issue_date": "2024-03-05", "page_no": 1}, "page"),
    ({"path": "a/p01.txt", "publication": "daily", "issue_date": "2024-03-05", "page_no": 1}, "duplicate_manifest_row"),
    ({"path": "../../etc/passwd", "publication": "daily", "issue_date": "2024-03-05", "page_no": 2}, "path_outside_root"),
    ({"path": "/etc/passwd", "publication": "daily", "issue_date": "2024-03-05", "page_no": 3}, "path_outside_root"),
    ({"path": "a/p04.txt", "publication": "daily", "issue_date": "", "page_no": 4}, "bad_date"),
    ({"path": "a/p05.txt", "publication": "", "issue_date": "2024-03-05", "page_no": 5}, "missing_publication"),
    ({"path": "a/p06.txt", "publication": "daily", "issue_date": "2024-03-05", "page_no": "six"}, "bad_page_no"),
    ({"path": "", "publication": "daily", "issue_date": "2024-03-05", "page_no": 7}, "missing_path"),
    ({"path": "a/missing.txt", "publication": "daily", "issue_date": "2024-03-05", "page_no": 8}, "missing"),
    ({"path": "a/dir.txt", "publication": "daily", "issue_date": "2024-03-05", "page_no": 9}, "not_a_file"),
    ({"path": "b/p01.txt", "publication": "daily", "issue_date": "2024-03-05", "page_no": 10}, "duplicate_page_id"),
    (["not", "an", "object"], "bad_manifest_row"),
    ({"path": "a/p11.txt", "publication": "daily", "issue_date": "2024-03-05", "page_no": 11.0}, "page"),
]


def test_manifest_rows_each_become_a_page_or_a_reject(tmp_path):
    root = _tree(tmp_path / "in", {"a/p01.txt": PAGE.encode(), "b/p01.txt": PAGE.encode(), "a/p11.txt": PAGE.encode()})
    (root / "a" / "dir.txt").mkdir()
    manifest = tmp_path / "m.jsonl"
    manifest.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r, _ in MANIFEST_ROWS), encoding="utf-8")
    record = run(root, tmp_path / "out", manifest=manifest, tokenizer=CharTokenizer())
    pages = io.read_table(tmp_path / "out", "pages").to_pylist()
    rejects = io.read_table(tmp_path / "out", "rejects").to_pylist()
    assert len(pages) + len(rejects) == len(MANIFEST_ROWS)
    assert sorted(p["page_no"] for p in pages) == [1, 11]
    expected = sorted(e for _, e in MANIFEST_ROWS if e != "page")
    assert sorted(r["reason"] for r in rejects) == expected
    assert record["rejected"] == len(expected)


def test_manifest_that_is_not_one_is_a_coded_error(tmp_path):
    m = tmp_path / "m.csv"
    m.write_bytes("路径,日期\n".encode("gbk"))
    with pytest.raises(ManifestError) as exc:
        ingest.read_manifest(m, tmp_path)
    assert exc.value.code == "E102"


def test_unreadable_file_is_a_reject(tmp_path, monkeypatch):
    """Tests run as root, where chmod 000 does not stop a read: simulate EACCES at open."""
    _tree(tmp_path, {"d/2024-03-05/p01.txt": PAGE.encode()})
    real_open = open

    def denying_open(path, *args, **kwargs):
        if str(path).endswith("p01.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(ingest, "open", denying_open, raising=False)
    with pytest.raises(ingest.PageRejected) as exc:
        ingest.load_page(tmp_path, PageRef("d/2024-03-05/p01.txt", "d", "2024-03-05", 1))
    assert (exc.value.reason, exc.value.detail) == ("unreadable", "Permission denied")


# --- exit status -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "files, flag, status",
    [
        ({"d/2024-03-05/p01.txt": PAGE.encode(), "d/2024-03-05/p02.txt": b""}, "--fail-on-reject", 3),
        ({"d/2024-03-05/p01.txt": PAGE.encode(), "d/2024-03-05/p02.txt": b""}, None, 0),
        ({"d/2024-03-05/p01.txt": PAGE.encode()}, "--fail-on-reject", 0),
    ],
    ids=["reject-flag", "reject-no-flag", "clean-flag"],
)
def test_fail_on_reject_exit_status(tmp_path, monkeypatch, files, flag, status):
    monkeypatch.setattr(tokens, "get_tokenizer", lambda: CharTokenizer())
    _tree(tmp_path / "in", files)
    args = ["run", str(tmp_path / "in"), str(tmp_path / "out"), "--no-prefect"] + ([flag] if flag else [])
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == status, result.output
    assert "rejected inputs" in result.output
    (record,) = [json.loads(p.read_text()) for p in (tmp_path / "out" / "_runs").glob("*.json")]
    assert record["rejected"] == len(files) - 1


# --- output faults ---------------------------------------------------------------------------

def test_disk_full_is_E201_and_keeps_the_previous_partition(tmp_path, monkeypatch):
    _tree(tmp_path / "in", {"d/2024-03-05/p01.txt": PAGE.encode()})
    out = tmp_path / "out"
    run(tmp_path / "in", out, tokenizer=CharTokenizer())
    part = io.partition_dir(out, "pages", "d", "2024-03-05") / io.DATA_FILE
    before = pq.read_table(part)

    def full(table, where, **kwargs):
        with open(where, "wb") as fh:
            fh.write(b"PAR1")  # a partial file, as a full disk leaves it
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(io.pq, "write_table", full)
    with pytest.raises(OutputError) as exc:
        run(tmp_path / "in", out, tokenizer=CharTokenizer())
    assert exc.value.code == "E201" and "No space left" in str(exc.value) and exc.value.hint
    assert pq.read_table(part).equals(before)
    monkeypatch.undo()
    assert io.read_table(out, "pages").num_rows == 1  # readers ignore the _tmp leftover


def test_unwritable_output_is_E201_from_the_cli(tmp_path, monkeypatch, capsys):
    """A file where the output directory should be (chmod does not stop root)."""
    monkeypatch.setattr(tokens, "get_tokenizer", lambda: CharTokenizer())
    _tree(tmp_path / "in", {"d/2024-03-05/p01.txt": PAGE.encode()})
    (tmp_path / "out").write_text("not a directory")
    monkeypatch.setattr("sys.argv", ["pagesplit", "run", str(tmp_path / "in"), str(tmp_path / "out"), "--no-prefect"])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 2
    assert "E201" in capsys.readouterr().err
    assert (tmp_path / "out").read_text() == "not a directory"


# --- model -----------------------------------------------------------------------------------

def _model_copy(tmp_path, damage):
    src = tokens.pkuseg_model_dir()
    dst = tmp_path / "model"
    dst.mkdir()
    for name in tokens.MODEL_FILES:
        (dst / name).symlink_to(src / name)
    damage(dst, src)
    return dst


def _truncate_weights(dst, src):
    (dst / "weights.npz").unlink()
    with open(src / "weights.npz", "rb") as fh:
        (dst / "weights.npz").write_bytes(fh.read(1 << 20))


def _garble_features_with_sums(dst, src):
    (dst / "features.pkl").unlink()
    (dst / "features.pkl").write_bytes(b"\x80\x04garbage, not a pickle" * 100)
    sums = "\n".join(f"{sha256_file(dst / n)}  {n}" for n in tokens.MODEL_FILES)
    (dst / tokens.CHECKSUMS_FILE).write_text(sums + "\n")


def test_truncated_model_is_refused_by_checksum(tmp_path, monkeypatch):
    model = _model_copy(tmp_path, _truncate_weights)
    monkeypatch.setenv(tokens.MODEL_ENV, str(model))
    with pytest.raises(ModelCorrupt) as exc:
        tokens.Tokenizer(tokens.pkuseg_model_dir())
    assert exc.value.code == "E302" and "weights.npz" in exc.value.message and "reinstall" in exc.value.hint


def test_garbled_model_with_matching_sums_is_refused_not_a_traceback(tmp_path):
    model = _model_copy(tmp_path, _garble_features_with_sums)
    tokens.verify_model(model)  # the sums vouch for the files...
    with pytest.raises(ModelCorrupt) as exc:  # ...but loading them fails: still a coded error
        tokens.Tokenizer(model)
    assert exc.value.code == "E302" and "cannot be loaded" in exc.value.message


def test_intact_model_passes_verification():
    tokens.verify_model(tokens.pkuseg_model_dir())


# --- no network ------------------------------------------------------------------------------

def test_in_process_run_needs_no_network(tmp_path, monkeypatch):
    """The real tokenizer and the whole in-process path, with every socket connection refused."""
    attempts = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError(errno.ENETUNREACH, f"network blocked in this test: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: refuse(None, a))
    inp = tmp_path / "in"
    shutil.copytree(EXAMPLES, inp)
    record = run(inp, tmp_path / "out", tokenizer=tokens.get_tokenizer())
    assert record["pages"] >= 3 and record["articles"] > 0
    assert attempts == []
    assert os.environ.get("DO_NOT_TRACK") == "1"  # Prefect telemetry off for the flow path


def test_a_bug_on_one_issue_rejects_its_pages_and_the_run_goes_on(tmp_path, monkeypatch):
    """An unexpected exception inside a stage: that issue's pages become rejects
    (internal_error, with the exception), the other issues are processed."""
    from pagesplit import runner as runner_mod

    _tree(tmp_path / "in", {"d/2024-03-05/p01.txt": PAGE.encode(), "d/2024-03-06/p01.txt": PAGE.encode()})
    real = runner_mod.process_issue

    def flaky(pages, *args, **kwargs):
        if pages[0].ref.issue_date == "2024-03-05":
            raise ZeroDivisionError("a bug")
        return real(pages, *args, **kwargs)

    monkeypatch.setattr(runner_mod, "process_issue", flaky)
    record = run(tmp_path / "in", tmp_path / "out", tokenizer=CharTokenizer())
    rejects = io.read_table(tmp_path / "out", "rejects").to_pylist()
    assert [(r["issue_date"], r["reason"]) for r in rejects] == [("2024-03-05", "internal_error")]
    assert "ZeroDivisionError: a bug" in rejects[0]["detail"]
    assert [p["issue_date"] for p in io.read_table(tmp_path / "out", "pages").to_pylist()] == ["2024-03-06"]
    assert record["rejected"] == 1
