"""Chinese word segmentation with pkuseg's model, behind one small interface.

A process loads it once (``get_tokenizer``) and every stage that needs tokens receives the loaded
``Tokenizer``. ``words``/``words_many`` run ``segmenter.Segmenter``: pkuseg's default model and
Viterbi decoder with the per-character feature extraction done in bulk (~6x faster than pkuseg's,
~1.3 s and ~280 MB to load instead of ~2.7 s and ~830 MB). The words are identical to the non-space
tokens of spaCy's ``zh`` tokenizer with pkuseg (tests check it; ``spacy_words`` gives those, loading
spaCy on first use).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import threading
from functools import lru_cache
from pathlib import Path

from .errors import ModelCorrupt, ModelMissing
from .models import sha256_file

MODEL_ENV = "PAGESPLIT_PKUSEG_MODEL"
MODEL_FILES = ("features.pkl", "weights.npz")
# The files of the default model shipped by pkuseg==0.0.25. A model directory may carry its own
# SHA256SUMS file (``sha256sum features.pkl weights.npz > SHA256SUMS``), which then takes precedence.
PKUSEG_DEFAULT_SHA256 = {
    "features.pkl": "265dcf5534a11d6429776f7e7450a9eef8e075b1a4bedb82ef996994d9c721ac",
    "weights.npz": "95d1632a1fed45993b5006d8ba85939cb110fae71313987673582d24669811dd",
}
CHECKSUMS_FILE = "SHA256SUMS"
_REPAIR_HINT = (
    "reinstall the model (`.venv/bin/pip install --force-reinstall --no-deps --no-build-isolation "
    f"pkuseg==0.0.25`) or set {MODEL_ENV} to an intact copy; for a model of your own, put a "
    f"{CHECKSUMS_FILE} file (`sha256sum features.pkl weights.npz`) in its directory"
)
# spaCy handles very long texts badly (and pkuseg's cost is linear anyway): tokenize in pieces
# no longer than this many characters, cut at paragraph boundaries (or, in a single huge line, at
# a sentence end or a space; a hard cut only when 20K characters hold none of them).
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


def verify_model(model_dir: Path) -> dict[str, str]:
    """Refuse a damaged model before unpickling it: each file's sha256 must match the directory's
    SHA256SUMS, or else the default model's known sums. Raises ``ModelCorrupt`` (E302). Returns
    the files' sha256."""
    model_dir = Path(model_dir)
    expected = dict(PKUSEG_DEFAULT_SHA256)
    sums = model_dir / CHECKSUMS_FILE
    if sums.exists():
        expected = {}
        for line in sums.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.strip().partition(" ")
            if digest:
                expected[name.strip().lstrip("*")] = digest.lower()
    for name in MODEL_FILES:
        path = model_dir / name
        if name not in expected:
            raise ModelCorrupt(f"{sums} lists no checksum for {name}", hint=_REPAIR_HINT)
        actual = sha256_file(path)
        if actual != expected[name]:
            raise ModelCorrupt(
                f"{path} is damaged or not the expected model: sha256 {actual[:16]}…, expected "
                f"{expected[name][:16]}… ({path.stat().st_size} bytes)",
                hint=_REPAIR_HINT,
            )
    return {name: expected[name] for name in MODEL_FILES}


class Tokenizer:
    """Word segmentation of Chinese text; thread-safe (pkuseg's decoder is not re-entrant).

    ``words`` and ``words_many`` use ``segmenter.Segmenter``: pkuseg's model and decoder with its
    feature extraction done in bulk, the same words as spaCy's ``zh`` tokenizer with pkuseg
    (``spacy_words``, loaded only when asked for: the benchmark's bare tokenization and the tests)."""

    def __init__(self, model_dir: Path | None = None) -> None:
        from .segmenter import Segmenter, load_tables, load_weights

        self.model_dir = model_dir or pkuseg_model_dir()
        sums = verify_model(self.model_dir)
        try:
            self.segmenter = Segmenter(self.model_dir, load_tables(self.model_dir, sums["features.pkl"]),
                                       load_weights(self.model_dir, sums["weights.npz"]))
        except Exception as exc:  # pickle/numpy/zip errors of a damaged file whose checksum was vouched for
            raise ModelCorrupt(f"the pkuseg model in {self.model_dir} cannot be loaded: {type(exc).__name__}: {exc}",
                               hint=_REPAIR_HINT) from exc
        self._nlp = None
        self._lock = threading.Lock()

    def words(self, text: str) -> list[str]:
        """The words of ``text`` (whitespace dropped): the non-space tokens of spaCy's ``Doc``."""
        return self.words_many([text])[0]

    def words_many(self, texts: list[str]) -> list[list[str]]:
        """``words`` of each text, in one batch (cheaper than one call a text)."""
        with self._lock:
            return self.segmenter.cut_many(texts)

    def spacy(self):
        """spaCy's ``zh`` pipeline with pkuseg on this model (~2.7 s and ~830 MB on first use)."""
        with self._lock:
            if self._nlp is None:
                import spacy

                nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
                try:
                    # spacy-pkuseg prints "features.msgpack does not exist, try loading features.pkl"
                    # while it falls back to the pkuseg 0.0.25 file layout: expected, keep it quiet
                    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                        nlp.tokenizer.initialize(pkuseg_model=str(self.model_dir))
                except Exception as exc:  # pickle/numpy/zip errors of a damaged file whose checksum was vouched for
                    raise ModelCorrupt(
                        f"the pkuseg model in {self.model_dir} cannot be loaded: {type(exc).__name__}: {exc}",
                        hint=_REPAIR_HINT) from exc  # fmt: skip
                self._nlp = nlp
            return self._nlp

    def pkuseg(self):
        """spaCy's loaded ``spacy_pkuseg.pkuseg`` (its ``cut`` is what ``words`` reproduces)."""
        return self.spacy().tokenizer.pkuseg_seg

    def spacy_words(self, text: str) -> list[str]:
        """The same words through spaCy's tokenizer (``Doc`` built): the reference ``words`` matches,
        and the benchmark's bare tokenization."""
        nlp = self.spacy()
        out: list[str] = []
        with self._lock:
            for piece in _pieces(text):
                out.extend(t.text for t in nlp.tokenizer(piece) if not t.is_space)
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
            # a line break, else a sentence end, else a space: never cut inside a word if avoidable
            for sep in ("\n", "。", "！", "？", "；", " ", "，"):
                cut = text.rfind(sep, start, end)
                if cut > start:
                    end = cut + 1
                    break
        yield text[start:end]
        start = end


@lru_cache(maxsize=1)
def get_tokenizer() -> Tokenizer:
    """The process's one tokenizer (loaded on first use)."""
    return Tokenizer()
