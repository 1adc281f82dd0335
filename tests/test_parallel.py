"""How mediakit cuts work into chunks for its worker processes."""

from __future__ import annotations

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
