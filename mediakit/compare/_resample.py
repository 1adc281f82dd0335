"""Vectorised article-level resampling: cluster bootstrap, permutation test, Hedges' g.

An article is one cluster: ``num`` and ``den`` hold its sums (the article value is num / den).
The statistic of a set of articles is the mean of article values (``unit="article"``) or the
ratio of summed numerators to summed denominators (``unit="sentence"``: pooled over sentences).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

#: Upper bound on the number of elements in one resampling matrix (memory per chunk).
MAX_CELLS = 4_000_000


def statistic(num: np.ndarray, den: np.ndarray, idx: np.ndarray, unit: str) -> np.ndarray:
    """The statistic of each row of article indices ``idx`` (shape: replicates x articles)."""
    if unit == "article":
        return (num / den)[idx].mean(axis=1)
    return num[idx].sum(axis=1) / den[idx].sum(axis=1)


def bootstrap(num: np.ndarray, den: np.ndarray, unit: str, n_boot: int,
              rng: np.random.Generator) -> np.ndarray:
    """``n_boot`` replicates of the statistic, resampling articles with replacement."""
    n = len(num)
    out = np.empty(n_boot)
    step = max(1, MAX_CELLS // max(n, 1))
    for start in range(0, n_boot, step):
        size = min(step, n_boot - start)
        out[start:start + size] = statistic(num, den, rng.integers(0, n, size=(size, n)), unit)
    return out


def percentile_interval(replicates: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(replicates, [tail, 100 - tail])
    return float(low), float(high)


def permutation_test(num1, den1, num2, den2, unit: str, n_perm: int,
                     rng: np.random.Generator) -> tuple[float, float]:
    """Two-sided permutation test of the difference, shuffling group labels across articles.

    Exact (every split enumerated) when there are at most ``n_perm`` splits, otherwise
    ``n_perm`` random splits with the +1 correction. Returns ``(difference, p_value)``.
    """
    if len(num1) > len(num2):  # sum over the smaller side; |difference| is symmetric
        observed, p = permutation_test(num2, den2, num1, den1, unit, n_perm, rng)
        return -observed, p
    num = np.concatenate([num1, num2])
    den = np.concatenate([den1, den2])
    n1, total = len(num1), len(num1) + len(num2)
    n2 = total - n1
    everything = np.arange(total)
    value, num_total, den_total = num / den, num.sum(), den.sum()

    def diff(first: np.ndarray) -> np.ndarray:
        # the second group is the complement of the first: its sums are totals minus the first's
        if unit == "article":
            part = value[first].sum(axis=1)
            return part / n1 - (value.sum() - part) / n2
        part_num, part_den = num[first].sum(axis=1), den[first].sum(axis=1)
        return part_num / part_den - (num_total - part_num) / (den_total - part_den)

    observed = float(diff(everything[None, :n1])[0])
    tolerance = 1e-12 * max(1.0, abs(observed))
    if math.comb(total, n1) <= n_perm:
        splits = np.array(list(itertools.combinations(range(total), n1)), dtype=np.intp)
        stats = diff(splits)
        p = float(np.mean(np.abs(stats) >= abs(observed) - tolerance))
        return observed, p
    hits = 0
    step = max(1, MAX_CELLS // total)
    for start in range(0, n_perm, step):
        size = min(step, n_perm - start)
        perms = rng.permuted(np.tile(everything, (size, 1)), axis=1)
        stats = diff(perms[:, :n1])
        hits += int(np.sum(np.abs(stats) >= abs(observed) - tolerance))
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
