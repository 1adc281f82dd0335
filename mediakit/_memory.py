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
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


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
