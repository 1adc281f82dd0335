"""Vectorised article-level resampling: cluster bootstrap, permutation test, Hedges' g.

An article is one cluster: ``num`` and ``den`` hold its sums (the article value is num / den).
The statistic of a set of articles is the mean of article values (``unit="article"``) or the
ratio of summed numerators to summed denominators (``unit="sentence"``: pooled over sentences).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

#: Upper bound on the number of elements in one resampling matrix (8 MB: stays in cache).
MAX_CELLS = 1_000_000


def statistic(num: np.ndarray, den: np.ndarray, idx: np.ndarray, unit: str) -> np.ndarray:
    """The statistic of each row of article indices ``idx`` (shape: replicates x articles)."""
    if unit == "article":
        return (num / den)[idx].mean(axis=1)
    return num[idx].sum(axis=1) / den[idx].sum(axis=1)


def _counts(idx: np.ndarray, n: int) -> np.ndarray:
    """How often each of ``n`` articles is drawn in each row of ``idx`` (float, rows x n)."""
    size = len(idx)
    flat = (idx + np.arange(size)[:, None] * n).ravel()
    return np.bincount(flat, minlength=size * n).reshape(size, n).astype(np.float64)


def bootstrap(num: np.ndarray, den: np.ndarray, unit: str, n_boot: int,
              rng: np.random.Generator) -> np.ndarray:
    """``n_boot`` replicates of the statistic of each column (articles x measures).

    Articles are resampled with replacement; one resample serves every column (the measures
    of one group share their articles), as a matrix of draw counts, so the replicates of all
    measures are one matrix product.
    """
    n, k = num.shape
    out = np.empty((n_boot, k))
    step = max(1, MAX_CELLS // max(n, 1))
    for start in range(0, n_boot, step):
        size = min(step, n_boot - start)
        counts = _counts(rng.integers(0, n, size=(size, n)), n)
        if unit == "article":
            out[start:start + size] = counts @ (num / den) / n
        else:
            out[start:start + size] = (counts @ num) / (counts @ den)
    return out


def percentile_interval(replicates: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(replicates, [tail, 100 - tail])
    return float(low), float(high)


def permutation_test(num1, den1, num2, den2, unit: str, n_perm: int,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided permutation test of the difference of each column (articles x measures).

    Shuffles group labels across articles; one shuffle serves every column. Exact (every
    split enumerated) when there are at most ``n_perm`` splits, otherwise ``n_perm`` random
    splits with the +1 correction. Returns ``(differences, p_values)``, one per column.
    """
    if len(num1) > len(num2):  # sum over the smaller side; |difference| is symmetric
        observed, p = permutation_test(num2, den2, num1, den1, unit, n_perm, rng)
        return -observed, p
    num, den = np.concatenate([num1, num2]), np.concatenate([den1, den2])
    n1, total = len(num1), len(num1) + len(num2)
    n2 = total - n1
    value = num / den
    value_total, num_total, den_total = value.sum(axis=0), num.sum(axis=0), den.sum(axis=0)

    def diff(first) -> np.ndarray:
        # the second group is the complement of the first: its sums are totals minus the first's
        # ``first(x)``: sums of x's rows over the first group of each split (splits x columns)
        if unit == "article":
            part = first(value)
            return part / n1 - (value_total - part) / n2
        part_num, part_den = first(num), first(den)
        return part_num / part_den - (num_total - part_num) / (den_total - part_den)

    def by_index(splits):
        return lambda x: x[splits].sum(axis=1)

    observed = diff(by_index(np.arange(n1)[None, :]))[0]
    tolerance = 1e-12 * np.maximum(1.0, np.abs(observed))
    if math.comb(total, n1) <= n_perm:
        splits = np.array(list(itertools.combinations(range(total), n1)), dtype=np.intp)
        p = np.mean(np.abs(diff(by_index(splits))) >= np.abs(observed) - tolerance, axis=0)
        return observed, p
    hits = np.zeros(num.shape[1], dtype=np.int64)
    everything = np.arange(total)
    step = max(1, MAX_CELLS // total)
    for start in range(0, n_perm, step):
        size = min(step, n_perm - start)
        perms = rng.permuted(np.tile(everything, (size, 1)), axis=1)
        member = np.zeros((size, total))
        np.put_along_axis(member, perms[:, :n1], 1.0, axis=1)
        stats = diff(member.__matmul__)
        hits += np.sum(np.abs(stats) >= np.abs(observed) - tolerance, axis=0)
    return observed, (hits + 1) / (n_perm + 1)


def hedges_g(values1: np.ndarray, values2: np.ndarray) -> float:
    """Hedges' g: standardised mean difference with the small-sample correction (NaN if undefined)."""
    n1, n2 = len(values1), len(values2)
    df = n1 + n2 - 2
    if n1 < 1 or n2 < 1 or df < 2:
        return math.nan
    var1 = values1.var(ddof=1) if n1 > 1 else 0.0
    var2 = values2.var(ddof=1) if n2 > 1 else 0.0
    pooled = math.sqrt(((n1 - 1) * var1 + (n2 - 1) * var2) / (n1 + n2 - 2))
    if pooled == 0:
        return math.nan
    # exact small-sample correction J(df) = G(df/2) / (sqrt(df/2) G((df-1)/2)) (Hedges 1981)
    correction = math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)
    return float((values1.mean() - values2.mean()) / pooled * correction)
