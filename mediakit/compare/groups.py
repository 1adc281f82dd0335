"""Differences between outlets (or any groups) in any sentence or article measure.

Sentences of one article are not independent, so the article is the unit of resampling: the
interval is a bootstrap that resamples articles within each group, and the test permutes group
labels across articles.
"""

from __future__ import annotations

import math
import zlib
from itertools import combinations
from numbers import Integral, Real

import numpy as np
import pandas as pd

from mediakit._dask import dask_aware
from mediakit._errors import WideIntervalWarning
from mediakit._params import (
    Column,
    Columns,
    Frame,
    Interval,
    Options,
    records_roles,
    validate_params,
    warn,
)
from mediakit._progress import progress as _progress
from mediakit._validation import require_columns, resolve_kinds
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


def _same_articles(members: list[np.ndarray]) -> list[list[int]]:
    """Measures (column numbers) grouped by identical article sets, in order."""
    sets: dict[bytes, list[int]] = {}
    for j, idx in enumerate(members):
        sets.setdefault(idx.tobytes(), []).append(j)
    return list(sets.values())


def _seed(random_state: int, *labels: object) -> np.random.Generator:
    keys = [zlib.crc32(repr(label).encode("utf-8")) for label in labels]
    return np.random.default_rng([random_state, *keys])


@validate_params(
    data=[Frame(dask=True)], by=[Columns()], measures=[Columns(), None],
    stat=[Options(*STATS)], threshold=[Interval(Real, None, None), None],
    unit=[Options(*UNITS)], weights=[Column(), None], kinds=[str, list, tuple, None],
    pairs=[object], n_boot=[Interval(Integral, 1, None)], n_perm=[Interval(Integral, 1, None)],
    random_state=[Interval(Integral, None, None)], progress=[bool, None],
)
@records_roles("by", "stat")
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
    there are at most ``n_perm`` splits). The measures of a group that have a value in the
    same articles share one set of resamples (and of a pair, one set of shuffles), so all
    measures cost little more than one. Seeded and deterministic: a group's interval depends
    only on ``random_state``, the measure's article values, the group and its articles, not
    on the other measures or their order.

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
        Show a progress bar over groups and pairs (default: only for long work).

    Returns
    -------
    DataFrame
        Tidy table, one row per group and measure (``comparison="group"``) followed by one row per
        pair (``comparison="difference"``), with columns ``comparison``, the ``by`` columns,
        ``other_<by>`` (the second group of a pair; NA on group rows), ``measure``, ``stat``,
        ``threshold``, ``n`` (articles with a value), ``n_sentences`` (rows that entered the
        rollup), ``n_other``, ``n_sentences_other``, ``estimate`` (the group's value, or the
        difference group minus other), ``ci_low``, ``ci_high`` (95% bootstrap interval; NaN when
        a group has fewer than 2 articles), ``p_value`` (permutation test; NaN with one article on each side,
        where no test is possible) and ``effect_size``
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
    by = [by] if isinstance(by, str) else list(by)
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

    rows = data[list(dict.fromkeys([*needed, *names]))]  # not the text: filtering copies
    if "kind" in data.columns:
        rows = rows[data["kind"].isin(kinds).to_numpy()]
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

    # per article and measure: summed numerator, denominator and rows that entered the rollup
    num = np.zeros((n_articles, len(names)))
    den = np.zeros((n_articles, len(names)))
    n_sent = np.zeros((n_articles, len(names)), dtype=np.int64)
    for j, m in enumerate(names):
        x = rows[m].to_numpy(dtype=float, na_value=np.nan)
        num_r, den_r, valid = _row_terms(x, w, words, stat, cut)
        num[:, j] = np.bincount(article, weights=num_r, minlength=n_articles)
        den[:, j] = np.bincount(article, weights=den_r, minlength=n_articles)
        n_sent[:, j] = np.bincount(article, weights=valid, minlength=n_articles)
    ok = (den > 0) & (n_sent > 0)
    members = [[np.flatnonzero(ok[:, j] & (group == g)) for j in range(len(names))]
               for g in range(len(group_labels))]
    tasks = [("boot", g) for g in range(len(group_labels))] + [("perm", p) for p in pair_list]
    boots: dict[tuple[int, int], np.ndarray] = {}
    tests: dict[tuple[int, int, int], float] = {}
    for kind, task in _progress(tasks, enabled=progress, desc="compare_groups"):
        if kind == "boot":  # one resample per group and set of articles serves every measure
            g = task
            for cols in _same_articles(members[g]):
                idx = members[g][cols[0]]
                if len(idx) >= 2:
                    reps = _resample.bootstrap(num[idx][:, cols], den[idx][:, cols], unit,
                                               n_boot, _seed(random_state, group_labels[g]))
                    boots.update({(g, j): reps[:, c] for c, j in enumerate(cols)})
            continue
        g1, g2 = task
        pairs_of = [np.concatenate([members[g1][j], [-1], members[g2][j]])
                    for j in range(len(names))]
        for cols in _same_articles(pairs_of):
            i1, i2 = members[g1][cols[0]], members[g2][cols[0]]
            if len(i1) and len(i2):
                _, p = _resample.permutation_test(
                    num[i1][:, cols], den[i1][:, cols], num[i2][:, cols], den[i2][:, cols],
                    unit, n_perm, _seed(random_state, group_labels[g1], group_labels[g2]))
                tests.update({(g1, g2, j): float(p[c]) for c, j in enumerate(cols)})

    out: list[dict] = []
    few: set[tuple] = set()
    for j, m in enumerate(names):
        estimates = []
        for g, label in enumerate(group_labels):
            idx = members[g][j]
            n = len(idx)
            est = float(_resample.statistic(num[idx, j], den[idx, j], np.arange(n)[None, :],
                                            unit)[0]) if n else math.nan
            boot = boots.get((g, j))
            low, high = (_resample.percentile_interval(boot, CI_LEVEL) if boot is not None
                         else (math.nan, math.nan))
            if n < MIN_ARTICLES:
                few.add(label)
            estimates.append(est)
            out.append({"comparison": "group", **dict(zip(by, label, strict=True)), "measure": m,
                        "n": n, "n_sentences": int(n_sent[idx, j].sum()), "estimate": est,
                        "ci_low": low, "ci_high": high})
        for g1, g2 in pair_list:
            i1, i2 = members[g1][j], members[g2][j]
            row = {"comparison": "difference", **dict(zip(by, group_labels[g1], strict=True)),
                   **{f"other_{b}": v for b, v in zip(by, group_labels[g2], strict=True)},
                   "measure": m, "n": len(i1), "n_sentences": int(n_sent[i1, j].sum()),
                   "n_other": len(i2), "n_sentences_other": int(n_sent[i2, j].sum())}
            if len(i1) and len(i2):
                # one article each: every split is the observed one or its mirror, no test
                p_value = tests[g1, g2, j] if len(i1) + len(i2) > 2 else math.nan
                row.update(estimate=estimates[g1] - estimates[g2], p_value=p_value,
                           effect_size=_resample.hedges_g(num[i1, j] / den[i1, j],
                                                          num[i2, j] / den[i2, j]))
                if (g1, j) in boots and (g2, j) in boots:
                    row["ci_low"], row["ci_high"] = _resample.percentile_interval(
                        boots[g1, j] - boots[g2, j], CI_LEVEL)
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
        warn(
            f"Fewer than {MIN_ARTICLES} articles in group(s) {shown}: with so few articles the "
            "bootstrap interval is undefined (1 article) or far too unstable to trust, and "
            "differences cannot reach significance. Read the estimates as descriptive.",
            WideIntervalWarning)
    table.attrs["compare_groups"] = {
        "by": by, "stat": stat, "threshold": cut, "unit": unit, "weights": weights,
        "kinds": list(kinds) if "kind" in data.columns else "all rows (no kind column)",
        "interval": f"{CI_LEVEL:.0%} percentile bootstrap, articles resampled within each group",
        "test": "two-sided permutation test of group labels across articles",
        "effect_size": "Hedges' g on article values (exact small-sample correction)",
        "n_boot": n_boot, "n_perm": n_perm, "random_state": int(random_state),
    }
    return table
