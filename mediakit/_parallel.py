"""Run per-chunk work in this process, in worker processes or in threads, keeping order.

Every ``n_jobs`` (split_sentences, the measures, coverage; group_stories' threads) goes through
here, so they behave alike: chunks are processed in order, results are concatenated in order,
and the result does not depend on ``n_jobs``.

Worker processes start with the ``forkserver`` method where the platform has it (Linux, macOS),
``spawn`` elsewhere. A forked worker would inherit (and be charged for) the whole memory of the
calling process, which in a notebook holding a large corpus is gigabytes per worker; a worker
started by the fork server holds only the modules it needs (preloaded once per session) and
its own chunk. Like any ``spawn`` start, a *script* that calls mediakit with ``n_jobs > 1``
must guard its entry point with ``if __name__ == "__main__":`` (notebooks need nothing).
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import weakref
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

import numpy as np

from mediakit._progress import progress as _progress

#: Items per chunk when working in this process (granularity of the progress bar).
SERIAL_CHUNK = 500
#: Chunks per worker: a few, so the workers finish together, but few pickles.
CHUNKS_PER_WORKER = 4
#: At most this many items per chunk sent to a worker (bounds each worker's memory).
MAX_CHUNK = 20_000
#: Modules every worker needs, imported once in the fork server (not once per worker).
PRELOAD = ("numpy", "pandas", "pyarrow", "mediakit.segment.split", "mediakit.measures._warm")


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # only takes effect when this session's fork server is not running yet
        ctx.set_forkserver_preload(list(PRELOAD))
        return ctx
    return multiprocessing.get_context("spawn")


@contextlib.contextmanager
def worker_pool(n_jobs: int) -> Iterator:
    """A process pool of ``n_jobs`` workers (``None`` when ``n_jobs == 1``: work in process).

    The workers start in a background thread at once, so the caller can prepare the work
    meanwhile (the first start in a session also starts the fork server: about a second).
    """
    if n_jobs <= 1:
        yield None
        return
    import threading
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=_context(),
                             initializer=_worker_init) as pool:
        warm = threading.Thread(target=_start_workers, args=(pool, n_jobs), daemon=True)
        _STARTING[pool] = warm
        _WORKERS[pool] = n_jobs
        warm.start()
        try:
            yield pool
        finally:
            warm.join()


#: Each pool's thread starting its workers (see :func:`started`), and its number of workers.
_STARTING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_WORKERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def started(pool) -> bool:
    """Whether ``pool``'s workers have started: until then a submit waits for them (the first
    start in a session also waits for the fork server), so a caller with work of its own may
    do a chunk itself instead."""
    warm = _STARTING.get(pool)
    return warm is None or not warm.is_alive()


def _worker_init() -> None:
    """Set up a worker process's garbage collector for chunk work.

    The modules preloaded in the fork server (numpy, pandas, pyarrow, mediakit: hundreds of
    thousands of objects) live as long as the worker; frozen, the collector no longer walks
    them at every full collection. The chunk work allocates many short-lived lists (the
    words of each sentence), so the youngest generation is collected every 10,000
    allocations instead of 700: fewer passes, and cycles are still collected. On the 10k
    benchmark the pooled stages (split, the three scores, coverage) took about 1 s less in
    all (BENCHMARKS.md); what they compute does not change.
    """
    import gc

    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def _start_workers(pool, n_jobs: int) -> None:
    # each submit to a pool without an idle worker starts one
    with contextlib.suppress(Exception):  # a broken pool is reported by the real work
        for _ in range(n_jobs):
            pool.submit(int)


def chunk(items: Sequence, n_jobs: int, *, min_size: int = 1,
          serial_chunk: int = SERIAL_CHUNK) -> list:
    """Split ``items`` into about ``CHUNKS_PER_WORKER * n_jobs`` ordered chunks (serial:
    ``serial_chunk`` items each, the steps of the progress bar), the last ones smaller
    (:func:`spans`)."""
    if n_jobs > 1:
        size = max(min_size, min(MAX_CHUNK, math.ceil(len(items) / (CHUNKS_PER_WORKER * n_jobs))))
    else:
        size = max(min_size, serial_chunk)
    return [items[a:b] for a, b in spans(len(items), size, n_jobs, min_size=min_size)]


#: With workers, the last ``n_jobs`` chunks' worth of items is cut this much finer.
TAIL_SPLIT = 4


def spans(n: int, size: int, n_jobs: int, *, min_size: int = 1) -> list[tuple[int, int]]:
    """Ordered ``(start, stop)`` cuts of ``range(n)`` into chunks of ``size``. With ``n_jobs``
    > 1 the last ``n_jobs * size`` items are cut into chunks ``TAIL_SPLIT`` times smaller (at
    least ``min_size``): the workers, taking chunks in order as they finish, then finish within
    a small chunk of each other instead of one idling for up to a whole chunk (about a
    quarter of a second per pooled stage on the 10k)."""
    tail = n if n_jobs <= 1 else max(0, n - n_jobs * size)
    small = max(min_size, -(-size // TAIL_SPLIT))
    cuts = [*range(0, tail, size), *range(tail, n, small if n_jobs > 1 else size)]
    return list(zip(cuts, [*cuts[1:], n][:len(cuts)], strict=True))


def start(func: Callable, chunks: list, pool, *, progress: bool | None,
          desc: str) -> Callable[[], list]:
    """Start ``[func(c) for c in chunks]`` in ``pool``; call the result to wait for the list.

    The calling process is free meanwhile (e.g. to load what it needs next). Without a pool
    the work runs when the result is called. Results are in chunk order. ``chunks`` that are
    not a list or tuple (a sized iterable making each chunk as it is taken) are taken a few
    at a time, as the workers need them (:func:`_windowed`).
    """
    if pool is None or len(chunks) <= 1:
        return lambda: [func(c) for c in _progress(chunks, enabled=progress, desc=desc)]
    if not isinstance(chunks, list | tuple):
        return _windowed(func, chunks, pool, progress=progress, desc=desc)
    futures = [pool.submit(func, c) for c in chunks]
    return lambda: [_result(f) for f in _progress(futures, enabled=progress, desc=desc)]


#: Chunks of a lazy sequence (each made as it is taken) in a pool's hands per worker: enough
#: to keep every worker busy, few enough that the waiting ones do not pile up in this process.
AHEAD_PER_WORKER = 2


def _windowed(func: Callable, chunks, pool, *, progress: bool | None,
              desc: str) -> Callable[[], list]:
    """:func:`start` for chunks made as they are taken (a sized iterable such as coverage's
    batches): only ``AHEAD_PER_WORKER`` per worker are made and submitted at a time, the next
    one as each finishes, so the first reaches a worker at once (not after all are made) and
    this process holds a few, not all."""
    todo = enumerate(chunks)
    ahead = AHEAD_PER_WORKER * _WORKERS.get(pool, 1)
    pending = {pool.submit(func, c): k for k, c in islice(todo, ahead)}

    def collect() -> list:
        results = dict(_progress(_as_done(func, pending, todo, pool), enabled=progress,
                                 total=len(chunks), desc=desc))
        return [results[k] for k in range(len(results))]

    return collect


def _as_done(func: Callable, pending: dict, todo: Iterator, pool) -> Iterator[tuple]:
    """``(number, result)`` of each of the ``pending`` futures (future -> number) as it
    finishes, submitting ``func`` of the next of ``todo``'s numbered chunks for each."""
    from concurrent.futures import FIRST_COMPLETED, wait

    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        numbers = [pending.pop(future) for future in done]
        for k, c in islice(todo, len(done)):  # the workers' next chunks, before anything else
            pending[pool.submit(func, c)] = k
        for k, future in zip(numbers, done, strict=True):
            yield k, _result(future)


def submit(func: Callable, item, pool) -> Callable[[], object]:
    """Start ``func(item)`` in ``pool`` (a worker process); call the result to wait for it."""
    future = pool.submit(func, item)
    return lambda: _result(future)


def _result(future):
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise RuntimeError(
            "A worker process of n_jobs stopped before finishing. In a script, call "
            "mediakit under `if __name__ == \"__main__\":` (worker processes import the "
            "script), or pass n_jobs=1."
        ) from exc


def run(func: Callable, chunks: list, pool, *, progress: bool | None, desc: str) -> list:
    """``[func(c) for c in chunks]``, in ``pool`` when given; results in chunk order."""
    return start(func, chunks, pool, progress=progress, desc=desc)()


def _concat(parts: list):
    if parts and isinstance(parts[0], tuple):
        return tuple(np.concatenate(list(col)) for col in zip(*parts, strict=True))
    return np.concatenate(parts)


def map_chunks(func: Callable, items: Sequence, *, n_jobs: int, progress: bool | None,
               desc: str, serial_chunk: int = SERIAL_CHUNK, pool=None):
    """Apply ``func`` (list -> array or tuple of arrays) to chunks of ``items``; concatenate.

    With ``n_jobs > 1`` the chunks run in ``n_jobs`` worker processes (those of ``pool`` when
    given, see :func:`worker_pool`); ``func`` must be a module-level function (or a partial
    of one). Order is kept, so the result does not depend on ``n_jobs``.
    """
    chunks = [list(c) for c in chunk(items, n_jobs, serial_chunk=serial_chunk)]
    if pool is not None or n_jobs == 1:
        return _concat(run(func, chunks, pool, progress=progress, desc=desc))
    with worker_pool(n_jobs if len(chunks) > 1 else 1) as own:
        return _concat(run(func, chunks, own, progress=progress, desc=desc))


def in_threads(func: Callable, items: Sequence, n_jobs: int) -> Iterator:
    """``func(item)`` for each item, yielded in order; with ``n_jobs`` > 1 in that many threads
    (for work that runs outside the interpreter lock, such as scipy's sparse products), at most
    ``2 * n_jobs`` results computed ahead of the one taken, so memory holds a few results, not
    all. An error in ``func`` is raised when its item's turn comes."""
    if n_jobs <= 1 or len(items) <= 1:
        yield from map(func, items)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=n_jobs) as pool:
        todo = iter(items)
        ahead = deque(pool.submit(func, item) for item in islice(todo, 2 * n_jobs))
        while ahead:
            result = ahead.popleft().result()
            ahead.extend(pool.submit(func, item) for item in islice(todo, 1))
            yield result
