"""How mediakit cuts work into chunks for its worker processes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediakit._parallel import TAIL_SPLIT, chunk, spans


@given(st.integers(0, 5000), st.integers(1, 700), st.integers(1, 4), st.integers(1, 50))
def test_spans_cut_every_item_once_in_order_with_a_finer_tail(n, size, n_jobs, min_size):
    size = max(size, min_size)
    cuts = spans(n, size, n_jobs, min_size=min_size)
    assert [i for a, b in cuts for i in range(a, b)] == list(range(n))  # all, once, in order
    assert all(0 < b - a <= size for a, b in cuts)
    if n_jobs == 1:
        assert all(b - a == size for a, b in cuts[:-1])
    else:  # the last n_jobs chunks' worth of items in chunks TAIL_SPLIT times smaller
        small = max(min_size, -(-size // TAIL_SPLIT))
        tail = [b - a for a, b in cuts if a >= n - n_jobs * size]
        assert all(k <= small for k in tail)
        assert sum(tail) == min(n, n_jobs * size) or n <= n_jobs * size


def test_chunks_are_the_items_in_order():
    items = list(range(10_001))
    for n_jobs in (1, 2, 3):
        parts = chunk(items, n_jobs)
        assert [i for p in parts for i in p] == items
    assert len(chunk(items, 2)) > 2 * 4  # a few per worker, the last ones smaller


class _Lazy:
    """A sized sequence made as it is taken (as coverage's batches are), counting what was."""

    def __init__(self, items):
        self.items, self.taken = items, 0

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        for item in self.items:
            self.taken += 1
            yield item


def test_lazy_chunks_are_made_a_few_at_a_time_and_come_back_in_order():
    from mediakit._parallel import AHEAD_PER_WORKER, start, worker_pool

    lazy = _Lazy([str(k) for k in range(23)])
    with worker_pool(2) as pool:
        collect = start(int, lazy, pool, progress=False, desc="")
        assert lazy.taken == 2 * AHEAD_PER_WORKER  # only the workers' first chunks so far
        assert collect() == list(range(23))
        assert lazy.taken == 23
        # a chunk's error reaches the caller
        collect = start(int, _Lazy(["1", "2", "x", "4", "5", "6"]), pool, progress=False,
                        desc="")
        with pytest.raises(ValueError, match="'x'"):
            collect()
