"""The disk cache of derived model arrays: built once, written whole, read back memory-mapped."""

import multiprocessing as mp
import time

import numpy as np
import pytest

from pagesplit import diskcache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(diskcache.CACHE_ENV, str(tmp_path))
    return tmp_path


def _arrays():
    return {"keys": np.array([3, 1, 2], dtype=np.uint64), "w": np.arange(6, dtype=np.float64).reshape(2, 3)}


def test_built_once_then_read_back_read_only(cache):
    built = []
    first = diskcache.cached_arrays("entry-v1", lambda: built.append(1) or _arrays())
    again = diskcache.cached_arrays("entry-v1", lambda: built.append(1) or _arrays())
    assert built == [1]
    for got in (first, again):
        assert set(got) == {"keys", "w"}
        assert np.array_equal(got["w"], _arrays()["w"]) and got["w"].dtype == np.float64 and got["w"].shape == (2, 3)
        assert type(got["keys"]) is np.ndarray and not got["keys"].flags.writeable  # a plain ndarray over the mapping
    assert not [p for p in cache.iterdir() if p.name.startswith("_")]  # no staging left behind


def test_damaged_entry_is_rebuilt(cache):
    entry = cache / "entry-v1"
    entry.mkdir()
    (entry / "keys.npy").write_bytes(b"not an npy")
    (entry / "_complete").write_text("keys", encoding="utf-8")
    built = []
    got = diskcache.cached_arrays("entry-v1", lambda: built.append(1) or _arrays())
    assert built == [1] and list(got["keys"]) == [3, 1, 2]
    assert list(diskcache.cached_arrays("entry-v1", lambda: built.append(1) or _arrays())["keys"]) == [3, 1, 2]
    assert built == [1]


def test_an_entry_without_its_completion_mark_is_not_read(cache):
    """A staging directory left by a killed process is never taken for an entry."""
    (cache / "entry-v1").mkdir()
    np.save(cache / "entry-v1" / "keys.npy", np.array([9]))
    assert list(diskcache.cached_arrays("entry-v1", _arrays)["keys"]) == [3, 1, 2]


def test_unwritable_cache_builds_in_memory(tmp_path, monkeypatch):
    """A cache that cannot be created (here under a file, which even root cannot write into)."""
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    monkeypatch.setenv(diskcache.CACHE_ENV, str(tmp_path / "a-file" / "cache"))
    built = []
    for _ in range(2):
        got = diskcache.cached_arrays("entry-v1", lambda: built.append(1) or _arrays())
        assert got["w"].flags.writeable and list(got["keys"]) == [3, 1, 2]
    assert built == [1, 1]  # built by every call: nothing stored


def test_processes_starting_together_build_once(cache):
    """Two processes with an empty cache: one builds, the other waits on the lock and reads it."""
    ctx = mp.get_context("fork")
    built = ctx.Queue()
    procs = [ctx.Process(target=_load_with_slow_build, args=(built,)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0, 0]
    assert built.qsize() == 1  # one build between them
    assert list(diskcache.cached_arrays("entry-v1", _arrays)["keys"]) == [3, 1, 2]


def _load_with_slow_build(built):
    def slow():
        built.put(1)
        time.sleep(0.5)  # long enough that the other process asks meanwhile
        return _arrays()

    assert list(diskcache.cached_arrays("entry-v1", slow)["keys"]) == [3, 1, 2]
