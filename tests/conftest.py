import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class CharTokenizer:
    """A stand-in for pkuseg in pure-function tests: two-character words."""

    def words(self, text: str) -> list[str]:
        text = "".join(text.split())
        return [text[i : i + 2] for i in range(0, len(text), 2)]


def damage(path) -> None:
    """Flip the bits of one byte in the middle of a file (a model file damaged on disk)."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture(scope="session")
def tokenizer():
    """The real spaCy+pkuseg tokenizer, loaded once per test session."""
    from pagesplit.tokens import get_tokenizer

    return get_tokenizer()


@pytest.fixture(scope="session")
def char_tokenizer():
    return CharTokenizer()


@pytest.fixture(scope="session")
def examples_output(tmp_path_factory, tokenizer):
    """The bundled examples processed once (in-process, no Prefect)."""
    from pagesplit.runner import run

    out = tmp_path_factory.mktemp("examples-out")
    record = run(EXAMPLES, out, tokenizer=tokenizer)
    return out, record


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for the whole session (~18 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield
