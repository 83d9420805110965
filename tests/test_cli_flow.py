"""The command line and the Prefect flow (one prefect_test_harness for the session: ~18 s)."""

import pytest
from typer.testing import CliRunner

from pagesplit import io
from pagesplit.cli import app

from .conftest import EXAMPLES


def test_help_lists_commands():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0 and "run" in result.output


def test_missing_input_says_what_to_do(tmp_path):
    from pagesplit.errors import InputMissing

    result = CliRunner().invoke(app, ["run", str(tmp_path / "none"), str(tmp_path / "out"), "--no-prefect"])
    assert isinstance(result.exception, InputMissing)


@pytest.mark.flow
def test_nightly_flow_on_examples(tmp_path, tokenizer, prefect_harness):
    from pipelines.nightly import nightly

    record = nightly(str(EXAMPLES), str(tmp_path))
    assert record["pages"] == len(list(EXAMPLES.rglob("*.txt")))
    assert io.read_table(tmp_path, "articles").num_rows == record["articles"] > 0
    assert (tmp_path / "_runs" / f"{record['run_id']}.json").exists()
    again = nightly(str(EXAMPLES), str(tmp_path))
    assert again["issues"] == 0 and again["issues_skipped"] == 2


@pytest.mark.flow
def test_flow_on_two_dask_worker_processes_matches_in_process_run(tmp_path, prefect_harness, monkeypatch):
    """The tasks run in two Dask worker processes (test tokenizer: the workers inherit the env)."""
    from pagesplit.runner import run
    from pipelines.nightly import nightly

    monkeypatch.setenv("PAGESPLIT_TEST_TOKENIZER", "chars")
    record = nightly(str(EXAMPLES), str(tmp_path / "dask"), workers=2)
    run(EXAMPLES, tmp_path / "local")
    assert record["tokenizer"] == "TEST chars" and record["issues"] == 2
    for name in ("segments", "articles"):
        a = io.read_table(tmp_path / "dask", name).drop_columns(["run_id"]).sort_by("segment_id" if name == "segments" else "article_id")
        b = io.read_table(tmp_path / "local", name).drop_columns(["run_id"]).sort_by("segment_id" if name == "segments" else "article_id")
        assert a.equals(b), name


def test_dask_workers_keep_glibcs_malloc_trimming(monkeypatch):
    """The LocalCluster's workers are spawned without the nanny's MALLOC_TRIM_THRESHOLD_ (it made
    pkuseg ~40 % slower), the other variables the nanny sets stay; and without Dask's profiler."""
    import copy

    import dask
    from distributed.nanny import _get_env_variables

    import pipelines.nightly as nightly

    monkeypatch.setattr(dask.config, "config", copy.deepcopy(dask.config.config))  # restored after the test
    monkeypatch.setattr(nightly, "api_url", lambda: "http://127.0.0.1:1/api")  # no server for this
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": 65536})  # Dask's default
    assert "MALLOC_TRIM_THRESHOLD_" in _get_env_variables("distributed.nanny.pre-spawn-environ")
    dask.config.set({"distributed.worker.profile.enabled": True})  # Dask's default
    nightly.dask_task_runner(1, None)
    env = _get_env_variables("distributed.nanny.pre-spawn-environ")
    assert "MALLOC_TRIM_THRESHOLD_" not in env and env["OMP_NUM_THREADS"] == "1"
    assert dask.config.get("distributed.worker.profile.enabled") is False  # no sampling of the workers' stacks


def test_train_says_what_it_needs(tmp_path, capsys):
    from pipelines import train

    assert train.main([str(tmp_path / "no-corpus")]) == 2
    assert "not found" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        train.main([str(tmp_path), "--seeds", "13,x"])
    assert stop.value.code == 2 and "--seeds takes whole numbers" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        train.main([str(tmp_path), "--join-seeds", ","])
    assert stop.value.code == 2 and "--join-seeds needs at least one seed" in capsys.readouterr().err
