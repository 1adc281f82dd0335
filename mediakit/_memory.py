"""Give the memory a large pass freed back to the operating system.

A pass over a corpus (parsing JSON lines, splitting, scoring, a similarity graph) frees most of
what it built when it returns, but glibc's allocator keeps the freed pages: the process's
resident memory stays near the pass's high point, and the next pass starts from there. Calling
glibc's ``malloc_trim(0)`` after each pass returns them. Measured on the 10,000
``allsides_bench`` articles (BENCHMARKS.md): 100 to 230 MB after each of read, split, the three
scores and ``group_stories``, 12 to 24 ms each. dask.distributed trims its workers the same way.
Arrow's memory pool, which holds pandas' strings, keeps freed memory too: after
``compare_coverage`` at 10,000 articles it held about 430 MB that ``release_unused`` gives back.
Elsewhere than glibc (macOS, Windows, musl) this does nothing.

:class:`SizedPartial` is the other side of memory on dask: partial results held by a worker
report their real size (:func:`deep_size`), so the worker's memory limit can spill them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import functools
import itertools
import sys
from collections.abc import Callable

import numpy as np
import pandas as pd

#: Items of a container (or an object array) measured one by one; a larger one is measured on
#: this many and extrapolated, as dask's own ``sizeof`` does for object columns.
SAMPLE = 100


@functools.cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # no C library found, or one without malloc_trim
        return None


def release_memory() -> bool:
    """Return freed heap pages to the operating system; whether the allocator can.

    Also Arrow's (pandas' strings and Parquet buffers live there): its default pool
    (mimalloc or jemalloc) keeps freed memory for reuse as glibc does.
    """
    arrow = sys.modules.get("pyarrow")  # only when loaded: importing it costs more than it frees
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def releases_memory(func: Callable) -> Callable:
    """Decorate a function that makes a large pass: :func:`release_memory` when it returns."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        finally:
            release_memory()

    return wrapper


def deep_size(obj) -> int:
    """About how many bytes ``obj`` holds, with what it refers to: numpy arrays (and the
    strings of an object array), scipy sparse matrices, pandas objects, strings, containers
    and dataclasses, each container's items measured on at most :data:`SAMPLE` of them.
    (dask's ``sizeof`` knows most of these too, but mediakit imports dask only for dask
    input.)"""
    if isinstance(obj, np.ndarray):
        if obj.dtype != object or not obj.size:
            return obj.nbytes
        return obj.nbytes + _sampled(obj.ravel(), obj.size)
    if isinstance(obj, (pd.DataFrame, pd.Series, pd.Index)):
        used = obj.memory_usage(deep=True)
        return int(used.sum() if isinstance(used, pd.Series) else used)
    sparse = sys.modules.get("scipy.sparse")
    if sparse is not None and sparse.issparse(obj):
        parts = [getattr(obj, a, None) for a in ("data", "indices", "indptr", "row", "col")]
        return sum(p.nbytes for p in parts if isinstance(p, np.ndarray))
    if isinstance(obj, dict):
        return sys.getsizeof(obj) + _sampled(itertools.chain.from_iterable(obj.items()),
                                             2 * len(obj))
    if isinstance(obj, (list, tuple, set, frozenset)):
        return sys.getsizeof(obj) + _sampled(obj, len(obj))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return object.__sizeof__(obj) + sum(deep_size(getattr(obj, f.name))
                                            for f in dataclasses.fields(obj))
    return sys.getsizeof(obj)


def _sampled(items, n: int) -> int:
    """The bytes of ``n`` items, measured on the first :data:`SAMPLE` of them."""
    seen = [deep_size(x) for x in itertools.islice(items, SAMPLE)]
    return int(sum(seen) * n / len(seen)) if seen else 0


class SizedPartial:
    """A mixin for the partial results dask workers hold between two steps of a computation
    (e.g. partial sums waiting to be added up): ``sys.getsizeof``, which dask's ``sizeof``
    falls back to, then counts their arrays and strings, so a worker's managed memory counts
    them and its memory limits can spill them to disk. Without it a dataclass measures a few
    dozen bytes, however large its arrays."""

    __slots__ = ()

    def __sizeof__(self) -> int:
        return deep_size(self)  # a dataclass: itself and its fields
