"""Run a per-chunk scoring function in this process or in worker processes, keeping order."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from mediakit._progress import progress as _progress

#: Items per chunk when working in this process (granularity of the progress bar).
SERIAL_CHUNK = 500


def _concat(parts: list):
    if parts and isinstance(parts[0], tuple):
        return tuple(np.concatenate(list(col)) for col in zip(*parts, strict=True))
    return np.concatenate(parts)


def map_chunks(func: Callable, items: Sequence, *, n_jobs: int, progress: bool | None,
               desc: str):
    """Apply ``func`` (list -> array or tuple of arrays) to chunks of ``items``; concatenate.

    With ``n_jobs > 1`` the chunks run in ``n_jobs`` worker processes; ``func`` must be
    a module-level function. Order is kept, so the result does not depend on ``n_jobs``.
    """
    if n_jobs > 1 and len(items) > 1:
        size = max(1, min(SERIAL_CHUNK, math.ceil(len(items) / (4 * n_jobs))))
    else:
        size = SERIAL_CHUNK
    chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
    if n_jobs == 1 or len(chunks) == 1:
        parts = [func(c) for c in _progress(chunks, enabled=progress, desc=desc)]
        return _concat(parts)
    from concurrent.futures import ProcessPoolExecutor

    # the platform's default start method, as mk.split_sentences does
    with ProcessPoolExecutor(max_workers=min(n_jobs, len(chunks))) as pool:
        parts = list(_progress(pool.map(func, chunks), enabled=progress, total=len(chunks),
                               desc=desc))
    return _concat(parts)
