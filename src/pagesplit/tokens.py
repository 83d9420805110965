"""spaCy's Chinese tokenizer with pkuseg, behind one small interface.

Loading the pkuseg model costs ~2.7 s and ~830 MB, so a process loads it once (``get_tokenizer``)
and every stage that needs tokens receives the loaded ``Tokenizer``.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path

from .errors import ModelMissing

MODEL_ENV = "PAGESPLIT_PKUSEG_MODEL"
# spaCy handles very long texts badly (and pkuseg's cost is linear anyway): tokenize in pieces
# no longer than this many characters, cut at paragraph boundaries.
MAX_PIECE_CHARS = 20_000


def pkuseg_model_dir() -> Path:
    """The directory of the pkuseg default model: $PAGESPLIT_PKUSEG_MODEL, else the one shipped
    by the ``pkuseg==0.0.25`` package (installed by the Makefile)."""
    env = os.environ.get(MODEL_ENV)
    if env:
        path = Path(env)
    else:
        spec = importlib.util.find_spec("pkuseg")
        if spec is None or not spec.submodule_search_locations:
            raise ModelMissing(
                "the pkuseg default model is not installed",
                hint="run `make install` (it installs pkuseg==0.0.25, which ships the model) "
                f"or set {MODEL_ENV} to a directory holding features.pkl and weights.npz",
            )
        path = Path(list(spec.submodule_search_locations)[0]) / "models" / "default"
    if not (path / "features.pkl").exists() or not (path / "weights.npz").exists():
        raise ModelMissing(
            f"no pkuseg model in {path} (features.pkl and weights.npz expected)",
            hint=f"set {MODEL_ENV} to the model directory or reinstall with `make install`",
        )
    return path


class Tokenizer:
    """Word segmentation of Chinese text; thread-safe (pkuseg's decoder is not re-entrant)."""

    def __init__(self, model_dir: Path | None = None) -> None:
        import spacy

        self.model_dir = model_dir or pkuseg_model_dir()
        cfg = {"nlp": {"tokenizer": {"segmenter": "pkuseg"}}}
        nlp = spacy.blank("zh", config=cfg)
        nlp.tokenizer.initialize(pkuseg_model=str(self.model_dir))
        self._nlp = nlp
        self._lock = threading.Lock()

    def words(self, text: str) -> list[str]:
        """The words of ``text`` (whitespace dropped)."""
        out: list[str] = []
        with self._lock:
            for piece in _pieces(text):
                out.extend(t.text for t in self._nlp.tokenizer(piece) if not t.is_space)
        return out

    def joined(self, text: str) -> str:
        """Words separated by single spaces: what indexers without a Chinese analyzer consume."""
        return " ".join(self.words(text))


def _pieces(text: str):
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + MAX_PIECE_CHARS)
        if end < n:
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        yield text[start:end]
        start = end


@lru_cache(maxsize=1)
def get_tokenizer() -> Tokenizer:
    """The process's one tokenizer (loaded on first use)."""
    return Tokenizer()
