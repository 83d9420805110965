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
def test_nightly_flow_on_examples(tmp_path, tokenizer):
    from prefect.testing.utilities import prefect_test_harness

    from pipelines.nightly import nightly

    with prefect_test_harness():
        record = nightly(str(EXAMPLES), str(tmp_path))
    assert record["pages"] == len(list(EXAMPLES.rglob("*.txt")))
    assert io.read_table(tmp_path, "articles").num_rows == record["articles"] > 0
    assert (tmp_path / "_runs" / f"{record['run_id']}.json").exists()
