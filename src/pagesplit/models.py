"""The trained models of the role and article stages: files in ``models/`` plus ``manifest.json``.

The manifest records the model version, the sha256 of every file, the training command, the corpus
months used, the feature columns and the scores reached. Loading checks each file's sha256 against
the manifest *before* deserializing it (``ModelCorrupt``, E302, on a mismatch; ``ModelMissing``,
E301, when a file or the manifest is absent) and deserializes with skops, which refuses any type not
on its trusted list (no pickle). A process loads the models once (``load_models`` is cached per
directory).

The pipeline itself reads ``compiled.npz`` instead (``compiled.py``: the same models as plain
arrays, so a worker never imports scikit-learn or skops; ``runtime_models``). A directory whose
manifest has no ``compiled`` entry (trained before it existed) is compiled in memory from its
.skops files; ``python -m pagesplit.compiled DIR`` writes the file for it.

The directory is ``$PAGESPLIT_MODELS`` if set, else ``models/`` at the root of this checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ModelCorrupt, ModelMissing

MODELS_ENV = "PAGESPLIT_MODELS"
MANIFEST = "manifest.json"
MODEL_VERSION = "1"
_FIT_HINT = "rebuild them with `make train CORPUS=../shared/corpus`, or restore models/ from git (`git checkout -- models/`)"
# The only types a model file may hold; skops refuses anything else.
TRUSTED_TYPES = [
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn._loss.loss.HalfMultinomialLoss",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss.link.MultinomialLogit",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.link.Interval",
    "sklearn.linear_model._logistic.LogisticRegression",
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
    "builtins.str",
    "builtins.int",
    "builtins.float",
    "numpy.ndarray",
    "numpy.dtype",
]


def default_dir() -> Path:
    env = os.environ.get(MODELS_ENV)
    return Path(env) if env else Path(__file__).resolve().parents[2] / "models"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class LoadedModels:
    directory: Path
    manifest: dict
    objects: dict[str, Any]  # manifest name ('roles', 'links') -> the deserialized object


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise ModelMissing(f"no model manifest at {path}", hint=_FIT_HINT)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ModelCorrupt(f"{path} is not valid JSON: {exc}", hint=_FIT_HINT) from exc
    if manifest.get("version") != MODEL_VERSION:
        raise ModelCorrupt(
            f"{path} is model version {manifest.get('version')!r}; this pagesplit reads version {MODEL_VERSION}",
            hint=_FIT_HINT,
        )
    return manifest


def verify(directory: Path, manifest: dict) -> None:
    """Every file the manifest lists exists and has its recorded sha256."""
    for name, entry in manifest["files"].items():
        check_file(Path(directory) / entry["file"], entry["sha256"], name)


def check_file(path: Path, sha256: str | None, what: str, hint: str = _FIT_HINT) -> None:
    """``path`` exists (else ModelMissing, E301) and has the sha256 its manifest records (else
    ModelCorrupt, E302): checked before anything deserializes it."""
    if not path.is_file():
        raise ModelMissing(f"model file {path} ({what}) is missing", hint=hint)
    actual = sha256_file(path)
    if actual != sha256:
        raise ModelCorrupt(
            f"{path} is damaged or not the model the manifest describes: sha256 {actual[:16]}…, "
            f"expected {(sha256 or '(none)')[:16]}…",
            hint=hint,
        )


def check_columns(manifest: dict) -> None:
    """The models were trained on the feature columns this code computes (same names, same order)."""
    from .features import SHAPE_COLUMNS  # noqa: PLC0415
    from .links import PAIR_COLUMNS  # noqa: PLC0415

    from .repair import JOIN_COLUMNS, RIVAL_COLUMNS  # noqa: PLC0415

    checks = [("role_shape_columns", SHAPE_COLUMNS), ("link_columns", PAIR_COLUMNS)]
    if "joins" in manifest.get("files", {}):  # directories trained before the join model have none
        checks.append(("join_columns", JOIN_COLUMNS))
    if "join_rivals" in manifest.get("files", {}):
        checks.append(("rival_columns", RIVAL_COLUMNS))
    for key, cols in checks:
        if manifest.get(key) != list(cols):
            raise ModelCorrupt(f"the models were trained on other feature columns ({key} differs from this code's)",
                               hint=_FIT_HINT)


def load_dir(directory: Path) -> LoadedModels:
    """Verify, then deserialize, every model of ``directory`` (uncached: prefer ``load_models``)."""
    import skops.io as sio  # noqa: PLC0415 - only when a model is needed

    directory = Path(directory)
    manifest = read_manifest(directory)
    verify(directory, manifest)
    check_columns(manifest)
    objects = {}
    for name, entry in manifest["files"].items():
        path = directory / entry["file"]
        try:
            objects[name] = sio.load(path, trusted=TRUSTED_TYPES)
        except Exception as exc:  # a file whose checksum matched but that skops refuses
            raise ModelCorrupt(f"{path} cannot be loaded: {type(exc).__name__}: {exc}", hint=_FIT_HINT) from exc
    return LoadedModels(directory, manifest, objects)


@lru_cache(maxsize=4)
def _cached(directory: str) -> LoadedModels:
    return load_dir(Path(directory))


def load_models(directory: Path | None = None) -> LoadedModels:
    """The models of ``directory`` (default: ``default_dir()``), loaded once per process."""
    return _cached(str(Path(directory or default_dir()).resolve()))


@lru_cache(maxsize=4)
def _runtime(directory: str):
    from . import compiled  # noqa: PLC0415

    manifest = read_manifest(Path(directory))
    check_columns(manifest)
    entry = manifest.get("compiled")
    if entry is None:  # models trained before the compiled file existed: the slow way, once
        return compiled.from_objects(load_models(Path(directory)).objects)
    return compiled.read(Path(directory), entry)


def runtime_models(directory: Path | None = None):
    """The models of ``directory`` as the pipeline runs them (``compiled.Compiled``), read once per
    process without importing scikit-learn or skops."""
    return _runtime(str(Path(directory or default_dir()).resolve()))


def compile_dir(directory: Path) -> dict:
    """Write ``directory``'s compiled file from its .skops models and record it in the manifest."""
    from . import compiled  # noqa: PLC0415

    directory = Path(directory)
    loaded = load_dir(directory)
    entry = compiled.write(directory, loaded.objects)
    manifest = dict(loaded.manifest, compiled=entry)
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _runtime.cache_clear()
    return entry


def save(directory: Path, objects: dict[str, Any], manifest_fields: dict) -> dict:
    """Write each object as ``<name>.skops``, the compiled file (``compiled.py``) and the manifest
    with their sha256; returns the manifest."""
    from . import compiled  # noqa: PLC0415

    import skops.io as sio  # noqa: PLC0415

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, obj in objects.items():
        path = directory / f"{name}.skops"
        # deflated: tree arrays compress ~3x (the role model is ~10 MB stored, ~3.4 MB deflated)
        sio.dump(obj, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        files[name] = {"file": path.name, "sha256": sha256_file(path), "bytes": path.stat().st_size}
    manifest = {"version": MODEL_VERSION, "files": files, "compiled": compiled.write(directory, objects), **manifest_fields}
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest
