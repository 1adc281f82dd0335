"""Differences between outlets (or any groups) in any sentence or article measure.

Sentences of one article are not independent, so the article is the unit of resampling: the
interval is a bootstrap that resamples articles within each group, and the test permutes group
labels across articles.
"""

from __future__ import annotations

import math
import warnings
import zlib
from itertools import combinations

import numpy as np
import pandas as pd

from mediakit._dask import dask_aware
from mediakit._errors import WideIntervalWarning
from mediakit._progress import progress as _progress
from mediakit._validation import (
    check_choice,
    check_frame,
    check_positive_int,
    require_columns,
    resolve_kinds,
)
from mediakit.compare import _resample, _rollups

STATS: tuple[str, ...] = ("mean", "share_above", "share_below", "share_nonzero",
                          "per_1000_words")
UNITS: tuple[str, ...] = ("article", "sentence")
#: Default thresholds: VADER's conventional cut-offs for positive / negative sentences.
DEFAULT_THRESHOLDS = {"share_above": 0.05, "share_below": -0.05}
#: Column families picked up when ``measures=None``.
MEASURE_PREFIXES: tuple[str, ...] = ("sentiment_", "readability_", "frame_")
#: Groups with fewer articles than this trigger a WideIntervalWarning.
MIN_ARTICLES = 5
CI_LEVEL = 0.95
_TEST_COLUMNS = ("estimate", "ci_low", "ci_high", "p_value", "effect_size")


def _columns(by: list[str]) -> list[str]:
    return ["comparison", *by, *(f"other_{b}" for b in by), "measure", "stat", "threshold",
            "n", "n_sentences", "n_other", "n_sentences_other", *_TEST_COLUMNS]


def _resolve_measures(data: pd.DataFrame, measures) -> list[str]:
    if measures is None:
        found = [c for c in data.columns if isinstance(c, str) and c.startswith(MEASURE_PREFIXES)
                 and pd.api.types.is_numeric_dtype(data[c])]
        if not found:
            require_columns(data, ["sentiment_compound"], hint=(
                "No measure columns (sentiment_*, readability_*, frame_*) found: score the "
                "sentences first (mk.score_sentiment, ...) or name columns with measures=."))
        return found
    measures = [measures] if isinstance(measures, str) else list(measures)
    if not measures:
        raise ValueError("measures=[] selects nothing; pass None for every measure column.")
    require_columns(data, measures)
    for m in measures:
        if not (pd.api.types.is_numeric_dtype(data[m]) or pd.api.types.is_bool_dtype(data[m])):
            raise TypeError(f"measure column {m!r} must be numeric, got dtype {data[m].dtype}.")
    return list(dict.fromkeys(measures))


def _row_terms(x: np.ndarray, w: np.ndarray, words: np.ndarray | None, stat: str,
               threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-row numerator, denominator and validity for one measure."""
    valid = ~np.isnan(x) & (w > 0)
    if stat == "per_1000_words":
        valid &= ~np.isnan(words)
        num, den = 1000 * w * x, w * words
    elif stat == "mean":
        num, den = w * x, w
    else:
        hit = {"share_above": x > threshold, "share_below": x < threshold,
               "share_nonzero": x != 0}[stat]
        num, den = w * hit, w
    return np.where(valid, num, 0.0), np.where(valid, den, 0.0), valid


def _seed(random_state: int, *labels: object) -> np.random.Generator:
    keys = [zlib.crc32(repr(label).encode("utf-8")) for label in labels]
    return np.random.default_rng([random_state, *keys])


@dask_aware(rollup=_rollups.GROUPS)
def compare_groups(data: pd.DataFrame, *, by="outlet", measures=None, stat: str = "mean",
                   threshold: float | None = None, unit: str = "article",
                   weights: str | None = None, kinds=None, pairs="all", n_boot: int = 2000,
                   n_perm: int = 2000, random_state: int = 0,
                   progress: bool | None = None) -> pd.DataFrame:
    """Compare groups (outlets by default) on any numeric measure, with honest uncertainty.

    Sentences roll up into articles first (vectorised), then articles into groups. Sentences
    of one article are not independent, so every interval and test works on articles: a 95%
    percentile bootstrap that resamples articles within each group, and a two-sided
    permutation test that shuffles group labels across the two groups' articles (exact when
    there are at most ``n_perm`` splits). Seeded and deterministic: a group's interval depends
    only on ``random_state``, the measure, the group and its articles.

    Parameters
    ----------
    data : DataFrame
        Sentences frame with measure columns (``mk.score_sentiment``, ``mk.score_readability``,
        ``mk.score_frames``), or one row per article. Needs ``article_id`` and the ``by``
        columns, which must be constant within an article.
    by : str or list of str
        Grouping column(s).
    measures : str or list of str, optional
        Numeric columns to compare; default every ``sentiment_*``, ``readability_*`` and
        ``frame_*`` numeric column.
    stat : {"mean", "share_above", "share_below", "share_nonzero", "per_1000_words"}
        How an article's sentences roll up: the mean over its rows; the share of rows above
        ``threshold`` (default 0.05, e.g. positive sentences by VADER compound); the share below
        ``threshold`` (default -0.05); the share of rows that are not 0 (e.g. sentences with a
        frame hit); or the sum per 1,000 words (needs ``n_words``). Readability values repeat
        on each content row, so their article mean is the article's value.
    threshold : float, optional
        Cut-off for ``share_above`` / ``share_below``.
    unit : {"article", "sentence"}
        ``"article"``: the group estimate is the mean of article values (each article counts
        once). ``"sentence"``: pooled over the group's sentences (ratio of sums; long articles
        weigh more). Resampling is by article either way.
    weights : str, optional
        Column of non-negative row weights (e.g. 2 for the headline and lede), used in every
        rollup: weighted mean, weighted share, weighted hits per weighted 1,000 words.
    kinds : str or list of str, optional
        Sentence kinds used (default content: headline, body, bullet). Ignored without ``kind``.
    pairs : "all", "none" or a group label
        Which pairwise differences to add: every pair, none, or each group against the given
        reference group (a tuple of labels when ``by`` has several columns).
    n_boot, n_perm : int
        Bootstrap replicates and random permutations.
    random_state : int
        Seed for the bootstrap and permutations.
    progress : bool, optional
        Show a progress bar over measures (default: only for long work).

    Returns
    -------
    DataFrame
        Tidy table, one row per group and measure (``comparison="group"``) followed by one row per
        pair (``comparison="difference"``), with columns ``comparison``, the ``by`` columns,
        ``other_<by>`` (the second group of a pair; NA on group rows), ``measure``, ``stat``,
        ``threshold``, ``n`` (articles with a value), ``n_sentences`` (rows that entered the
        rollup), ``n_other``, ``n_sentences_other``, ``estimate`` (the group's value, or the
        difference group minus other), ``ci_low``, ``ci_high`` (95% bootstrap interval; NaN when
        a group has fewer than 2 articles), ``p_value`` (permutation test) and ``effect_size``
        (Hedges' g on article values; NaN with fewer than 4 articles in the pair).
        ``result.attrs["compare_groups"]`` records the settings and methods.

    Warns
    -----
    WideIntervalWarning
        When a group has fewer than 5 articles: its interval is undefined (1 article) or
        unreliable and its differences cannot be significant.

    Examples
    --------
    >>> import mediakit as mk
    >>> sents = mk.score_sentiment(mk.split_sentences(mk.load_example("seeds")))
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     table = mk.compare_groups(sents, measures="sentiment_compound")
    >>> sorted(table["comparison"].unique())
    ['difference', 'group']
    """
    check_frame(data)
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ValueError("by=[] gives no groups; name a column such as 'outlet'.")
    stat = check_choice("stat", stat, STATS)
    unit = check_choice("unit", unit, UNITS)
    check_positive_int("n_boot", n_boot)
    check_positive_int("n_perm", n_perm)
    if isinstance(random_state, bool) or not isinstance(random_state, int | np.integer):
        raise TypeError(f"random_state must be an int, got {type(random_state).__name__}.")
    if threshold is not None and stat not in DEFAULT_THRESHOLDS:
        raise ValueError(f"threshold= is used by stat='share_above' or 'share_below', not "
                         f"stat={stat!r}; drop it or change stat.")
    cut = float(DEFAULT_THRESHOLDS.get(stat, math.nan) if threshold is None else threshold)
    kinds = resolve_kinds(kinds)
    needed = ["article_id", *by] + ([weights] if weights else [])
    needed += ["n_words"] if stat == "per_1000_words" else []
    require_columns(data, needed)
    names = _resolve_measures(data, measures)
    if not (isinstance(pairs, str) and pairs in ("all", "none")) and not isinstance(
            pairs, tuple | list):
        pairs = (pairs,)  # one label of a single grouping column

    rows = data[data["kind"].isin(kinds)] if "kind" in data.columns else data
    article, _ = pd.factorize(rows["article_id"], use_na_sentinel=False)
    n_articles = int(article.max()) + 1 if len(article) else 0
    # rows with a missing group label belong to no group and are left out
    labels = rows[by].dropna().drop_duplicates().sort_values(by)
    label_index = pd.MultiIndex.from_frame(labels)
    group_of_row = label_index.get_indexer(pd.MultiIndex.from_frame(rows[by]))
    group = np.full(n_articles, -1)
    np.maximum.at(group, article, group_of_row)
    if len(article) and np.any(group[article] != group_of_row):
        raise ValueError(f"by={by!r} is not constant within each article; compare groups of "
                         "articles (e.g. by='outlet'), not of sentences.")
    w = (rows[weights].to_numpy(dtype=float, na_value=np.nan) if weights
         else np.ones(len(rows)))
    if weights and np.nanmin(w, initial=0.0) < 0:
        raise ValueError(f"weights column {weights!r} has negative values; weights must be >= 0.")
    w = np.nan_to_num(w, nan=0.0)
    words = (rows["n_words"].to_numpy(dtype=float, na_value=np.nan)
             if stat == "per_1000_words" else None)
    group_labels = [tuple(t) for t in label_index]
    if pairs == "all":
        pair_list = list(combinations(range(len(group_labels)), 2))
    elif pairs == "none":
        pair_list = []
    else:
        ref = tuple(pairs)
        if ref not in group_labels:
            raise ValueError(f"pairs={pairs!r} is not a group; groups are "
                             f"{', '.join(map(repr, group_labels[:10]))}.")
        r = group_labels.index(ref)
        pair_list = [(g, r) for g in range(len(group_labels)) if g != r]

    out: list[dict] = []
    few: set[tuple] = set()
    for m in _progress(names, enabled=progress, desc="compare_groups"):
        x = rows[m].to_numpy(dtype=float, na_value=np.nan)
        num_r, den_r, valid = _row_terms(x, w, words, stat, cut)
        num = np.bincount(article, weights=num_r, minlength=n_articles)
        den = np.bincount(article, weights=den_r, minlength=n_articles)
        n_sent = np.bincount(article, weights=valid, minlength=n_articles).astype(int)
        ok = (den > 0) & (n_sent > 0)
        per_group, boots, estimates = [], [], []
        for g, label in enumerate(group_labels):
            members = np.flatnonzero(ok & (group == g))
            gn, gd = num[members], den[members]
            n = len(members)
            est = float(_resample.statistic(gn, gd, np.arange(n)[None, :], unit)[0]) if n \
                else math.nan
            boot = (_resample.bootstrap(gn, gd, unit, n_boot, _seed(random_state, m, label))
                    if n >= 2 else None)
            low, high = (_resample.percentile_interval(boot, CI_LEVEL) if boot is not None
                         else (math.nan, math.nan))
            if n < MIN_ARTICLES:
                few.add(label)
            per_group.append((members, n, int(n_sent[members].sum())))
            boots.append(boot)
            estimates.append(est)
            out.append({"comparison": "group", **dict(zip(by, label, strict=True)), "measure": m,
                        "n": n, "n_sentences": int(n_sent[members].sum()), "estimate": est,
                        "ci_low": low, "ci_high": high})
        for g1, g2 in pair_list:
            (m1, n1, s1), (m2, n2, s2) = per_group[g1], per_group[g2]
            row = {"comparison": "difference", **dict(zip(by, group_labels[g1], strict=True)),
                   **{f"other_{b}": v for b, v in zip(by, group_labels[g2], strict=True)},
                   "measure": m, "n": n1, "n_sentences": s1, "n_other": n2,
                   "n_sentences_other": s2}
            if n1 and n2:
                _, p = _resample.permutation_test(
                    num[m1], den[m1], num[m2], den[m2], unit, n_perm,
                    _seed(random_state, m, group_labels[g1], group_labels[g2]))
                row.update(estimate=estimates[g1] - estimates[g2], p_value=p, effect_size=_resample.hedges_g(
                    num[m1] / den[m1], num[m2] / den[m2]))
                if boots[g1] is not None and boots[g2] is not None:
                    row["ci_low"], row["ci_high"] = _resample.percentile_interval(
                        boots[g1] - boots[g2], CI_LEVEL)
            out.append(row)

    table = pd.DataFrame(out, columns=_columns(by))
    for b in by:  # integer labels stay integers beside the NA of group rows
        if pd.api.types.is_integer_dtype(data[b]):
            table[b] = table[b].astype("Int64")
            table[f"other_{b}"] = table[f"other_{b}"].astype("Int64")
    table["stat"] = stat
    table["threshold"] = cut
    for c in ("n", "n_sentences", "n_other", "n_sentences_other"):
        table[c] = table[c].astype("Int64")
    for c in _TEST_COLUMNS:
        table[c] = table[c].astype(float)
    if few:
        shown = ", ".join(repr(lab[0] if len(lab) == 1 else lab) for lab in sorted(few, key=repr))
        warnings.warn(
            f"Fewer than {MIN_ARTICLES} articles in group(s) {shown}: with so few articles the "
            "bootstrap interval is undefined (1 article) or far too unstable to trust, and "
            "differences cannot reach significance. Read the estimates as descriptive.",
            WideIntervalWarning, stacklevel=2)
    table.attrs["compare_groups"] = {
        "by": by, "stat": stat, "threshold": cut, "unit": unit, "weights": weights,
        "kinds": list(kinds) if "kind" in data.columns else "all rows (no kind column)",
        "interval": f"{CI_LEVEL:.0%} percentile bootstrap, articles resampled within each group",
        "test": "two-sided permutation test of group labels across articles",
        "effect_size": "Hedges' g on article values (exact small-sample correction)",
        "n_boot": n_boot, "n_perm": n_perm, "random_state": int(random_state),
    }
    return table
