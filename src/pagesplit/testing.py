"""Stand-ins for tests only. Nothing in a production path imports this module unless the
environment variable ``PAGESPLIT_TEST_TOKENIZER=chars`` asks for it (crash tests run the real CLI in
a subprocess, where loading the word segmenter would cost ~2 s and ~300 MB per kill point)."""

from __future__ import annotations


class CharTokenizerForTests:
    """Two-character "words": deterministic, instant, no model. Never for real output."""

    name = "TEST-ONLY two-character tokenizer"

    def words(self, text: str) -> list[str]:
        text = "".join(text.split())
        return [text[i : i + 2] for i in range(0, len(text), 2)]
