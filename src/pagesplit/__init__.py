"""pagesplit: OCR'd newspaper pages in, clean articles out."""

import os

__version__ = "0.1.0"


def one_math_thread() -> None:
    """Default the math libraries to one thread per process (unless the caller set otherwise).

    The work is spread over processes (Dask workers, one thread each); the libraries' own thread
    pools only oversubscribe the cores. Measured: scikit-learn's OpenMP tree prediction with two
    threads per process on a loaded 2-core machine cost ~20x the CPU of one thread. Call it before
    numpy or scikit-learn are imported; child processes (Dask's workers) inherit it."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
