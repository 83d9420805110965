"""Arrays derived from model files, kept on disk once and memory-mapped by every process.

What a process would otherwise rebuild at each start (pkuseg's lookup tables and node weights, the
junction model's unpacked character groups) is stored as one directory of ``.npy`` files per
entry under ``cache_dir()`` (``$PAGESPLIT_CACHE``, default ``~/.cache/pagesplit``), its name
keyed by the sha256 of the model file it comes from and a format version.

Read back memory-mapped and read-only: a process starts without reading ~140 MB (pkuseg and the
models load in ~0.7 s instead of ~2.1 s, one-off), and the Dask workers of one machine share one copy
of the pages in the page cache instead of holding one each. (Two processes segmenting side by side
were measured no faster for sharing the tables: 14.2 s of CPU each either way, one-off.)

An entry is written whole or not at all (a staging directory, then a rename) and built once by
processes starting together (the others wait on a lock file, then read it). A damaged entry is
rebuilt, never trusted. Where the cache cannot be written (a read-only home), every process builds
its arrays in memory instead.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import Callable

import numpy as np

CACHE_ENV = "PAGESPLIT_CACHE"


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "pagesplit")


Arrays = dict[str, np.ndarray]


def cached_arrays(name: str, build: Callable[[], Arrays]) -> Arrays:
    """The arrays of entry ``name``: read from the cache (memory-mapped, read-only), else built by
    ``build()`` and stored. ``build``'s own errors propagate."""
    path = cache_dir() / name
    arrays = _read(path)
    if arrays is not None:
        return arrays
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.with_name(path.name + ".lock"), "a")
    except OSError:  # a read-only cache: build the arrays in every process instead
        return build()
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        arrays = _read(path)  # built by another process while this one waited
        if arrays is not None:
            return arrays
        built = build()
        try:
            _write(path, built)
        except OSError:  # a full disk: the next process builds them again
            return built
    arrays = _read(path)
    return arrays if arrays is not None else built


def _read(path: Path) -> Arrays | None:
    if not (path / "_complete").exists():
        return None
    try:
        names = (path / "_complete").read_text(encoding="utf-8").split()
        # np.asarray: a plain read-only ndarray over the mapping (np.memmap's subclass hooks
        # would run on every slice of the hot loops)
        return {n: np.asarray(np.load(path / f"{n}.npy", mmap_mode="r", allow_pickle=False)) for n in names}
    except (OSError, ValueError):  # a damaged entry is rebuilt, never trusted
        return None


def _write(path: Path, arrays: Arrays) -> None:
    staging = path.with_name(f"_{path.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for n, a in arrays.items():
        np.save(staging / f"{n}.npy", np.ascontiguousarray(a), allow_pickle=False)
    (staging / "_complete").write_text("\n".join(arrays), encoding="utf-8")  # the list of arrays, written last
    if path.exists():  # damaged (we hold the lock): set aside, then removed
        aside = path.with_name(f"_{path.name}.{os.getpid()}.old")
        os.rename(path, aside)
        shutil.rmtree(aside, ignore_errors=True)
    os.rename(staging, path)
