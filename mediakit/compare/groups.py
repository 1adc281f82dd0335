"""Differences between outlets (or any groups) in any sentence or article measure.

Sentences of one article are not independent, so the article is the unit of resampling: the
interval is a bootstrap that resamples articles within each group, and the test permutes group
labels across articles.

:func:`compare_groups` is sums then finish (:func:`mediakit._dask.sums_then_finish`):
:func:`_article_sums` reduces a frame (a pandas frame, or one partition of a dask frame) to
each article's summed numerator, denominator and rows per measure, and :func:`_finish` adds
those up and resamples the articles. Stages: options checked (:func:`_plan`), article sums,
sums added (:func:`_add_sums`), groups and pairs, resampling, rows, table.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from itertools import combinations
from numbers import Integral, Real

import numpy as np
import pandas as pd

from mediakit._dask import schema, sums_then_finish
from mediakit._errors import WideIntervalWarning
from mediakit._memory import SizedPartial
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
from mediakit.compare import _resample

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


@dataclass(frozen=True)
class _Plan:
    """compare_groups' options, checked, and what they select of the frame's columns."""

    by: list[str]
    names: list[str]  # the measure columns
    stat: str
    cut: float  # the threshold (NaN when the statistic has none)
    unit: str
    weights: str | None
    kinds: tuple[str, ...]
    has_kind: bool
    needed: list[str]
    pairs: object
    n_boot: int
    n_perm: int
    random_state: int
    progress: bool | None
    integer_by: tuple[str, ...]  # by columns of integer dtype (kept integer in the table)


def _plan(data, *, by, measures, stat, threshold, unit, weights, kinds, pairs, n_boot, n_perm,
          random_state, progress) -> _Plan:
    """Check the options against the frame's columns (a dask frame's empty meta will do)."""
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ValueError("by=[] gives no groups; name a column such as 'outlet'.")
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
    return _Plan(by=by, names=names, stat=stat, cut=cut, unit=unit, weights=weights, kinds=kinds,
                 has_kind="kind" in data.columns, needed=needed, pairs=pairs, n_boot=n_boot,
                 n_perm=n_perm, random_state=int(random_state), progress=progress,
                 integer_by=tuple(b for b in by if pd.api.types.is_integer_dtype(data[b])))


@dataclass(frozen=True)
class _ArticleSums(SizedPartial):
    """Per article (rows of ``keys``: ``article_id`` and the by columns) and measure (columns):
    summed numerator, denominator and rows that entered the rollup. Adds up across frames."""

    keys: pd.DataFrame
    num: np.ndarray
    den: np.ndarray
    rows: np.ndarray


def _not_constant(by: list[str]) -> ValueError:
    return ValueError(f"by={by!r} is not constant within each article; compare groups of "
                      "articles (e.g. by='outlet'), not of sentences.")


def _article_sums(data: pd.DataFrame, plan: _Plan) -> _ArticleSums:
    """Sums: one frame's rows rolled up into its articles (the by columns checked constant)."""
    by = plan.by
    rows = data[list(dict.fromkeys([*plan.needed, *plan.names]))]  # not the text
    if plan.has_kind:
        rows = rows[data["kind"].isin(plan.kinds).to_numpy()]
    article, _ = pd.factorize(rows["article_id"], use_na_sentinel=False)
    n_articles = int(article.max()) + 1 if len(article) else 0
    # rows with a missing group label belong to no group and are left out
    label_index = pd.MultiIndex.from_frame(rows[by].dropna().drop_duplicates())
    group_of_row = label_index.get_indexer(pd.MultiIndex.from_frame(rows[by]))
    group = np.full(n_articles, -1)
    np.maximum.at(group, article, group_of_row)
    if len(article) and np.any(group[article] != group_of_row):
        raise _not_constant(by)
    w = (rows[plan.weights].to_numpy(dtype=float, na_value=np.nan) if plan.weights
         else np.ones(len(rows)))
    if plan.weights and np.nanmin(w, initial=0.0) < 0:
        raise ValueError(f"weights column {plan.weights!r} has negative values; weights must "
                         "be >= 0.")
    w = np.nan_to_num(w, nan=0.0)
    words = (rows["n_words"].to_numpy(dtype=float, na_value=np.nan)
             if plan.stat == "per_1000_words" else None)
    shape = (n_articles, len(plan.names))
    num, den, n_rows = np.zeros(shape), np.zeros(shape), np.zeros(shape, dtype=np.int64)
    for j, m in enumerate(plan.names):
        x = rows[m].to_numpy(dtype=float, na_value=np.nan)
        num_r, den_r, valid = _row_terms(x, w, words, plan.stat, plan.cut)
        num[:, j] = np.bincount(article, weights=num_r, minlength=n_articles)
        den[:, j] = np.bincount(article, weights=den_r, minlength=n_articles)
        n_rows[:, j] = np.bincount(article, weights=valid, minlength=n_articles)
    first = pd.Series(article).drop_duplicates().index.to_numpy()  # in article order
    keys = rows[["article_id", *by]].iloc[first].reset_index(drop=True)
    return _ArticleSums(keys=keys, num=num, den=den, rows=n_rows)


def _add_sums(parts: list[_ArticleSums], by: list[str]) -> _ArticleSums:
    """The partial sums of several frames added up per article (in order of first appearance);
    an article's group must be the same in every frame."""
    if len(parts) == 1:
        return parts[0]
    keys = pd.concat([p.keys for p in parts], ignore_index=True)
    num, den, n_rows = (np.concatenate([getattr(p, a) for p in parts]) for a in
                        ("num", "den", "rows"))
    article, _ = pd.factorize(keys["article_id"], use_na_sentinel=False)
    first = pd.Series(article).drop_duplicates().index.to_numpy()
    if len(first) == len(keys):
        return _ArticleSums(keys=keys, num=num, den=den, rows=n_rows)
    mine, firsts = keys[by], keys[by].iloc[first[article]].reset_index(drop=True)
    if not ((mine == firsts) | (mine.isna() & firsts.isna())).all(axis=None):
        raise _not_constant(by)

    def add(x: np.ndarray) -> np.ndarray:
        return np.column_stack([np.bincount(article, weights=x[:, j], minlength=len(first))
                                for j in range(x.shape[1])]).reshape(len(first), x.shape[1])

    return _ArticleSums(keys=keys.iloc[first].reset_index(drop=True), num=add(num),
                        den=add(den), rows=add(n_rows).astype(np.int64))


def _groups(keys: pd.DataFrame, plan: _Plan) -> tuple[list[tuple], np.ndarray, list]:
    """The groups (sorted labels), each article's group (-1: none) and the pairs to compare."""
    labels = keys[plan.by].dropna().drop_duplicates().sort_values(plan.by)
    label_index = pd.MultiIndex.from_frame(labels)
    group = label_index.get_indexer(pd.MultiIndex.from_frame(keys[plan.by]))
    group_labels = [tuple(t) for t in label_index]
    if plan.pairs == "all":
        pair_list = list(combinations(range(len(group_labels)), 2))
    elif plan.pairs == "none":
        pair_list = []
    else:
        ref = tuple(plan.pairs)
        if ref not in group_labels:
            raise ValueError(f"pairs={plan.pairs!r} is not a group; groups are "
                             f"{', '.join(map(repr, group_labels[:10]))}.")
        r = group_labels.index(ref)
        pair_list = [(g, r) for g in range(len(group_labels)) if g != r]
    return group_labels, group, pair_list


def _resample_groups(sums: _ArticleSums, members, group_labels, pair_list, plan: _Plan):
    """Bootstrap replicates per (group, measure) and permutation p-values per (pair, measure).

    The measures of a group with the same articles share one set of resamples (of a pair, one
    set of shuffles); each set is seeded by the group (pair) labels alone.
    """
    num, den = sums.num, sums.den
    tasks = [("boot", g) for g in range(len(group_labels))] + [("perm", p) for p in pair_list]
    boots: dict[tuple[int, int], np.ndarray] = {}
    tests: dict[tuple[int, int, int], float] = {}
    for kind, task in _progress(tasks, enabled=plan.progress, desc="compare_groups"):
        if kind == "boot":
            g = task
            for cols in _same_articles(members[g]):
                idx = members[g][cols[0]]
                if len(idx) >= 2:
                    reps = _resample.bootstrap(num[idx][:, cols], den[idx][:, cols], plan.unit,
                                               plan.n_boot,
                                               _seed(plan.random_state, group_labels[g]))
                    boots.update({(g, j): reps[:, c] for c, j in enumerate(cols)})
            continue
        g1, g2 = task
        pairs_of = [np.concatenate([members[g1][j], [-1], members[g2][j]])
                    for j in range(len(plan.names))]
        for cols in _same_articles(pairs_of):
            i1, i2 = members[g1][cols[0]], members[g2][cols[0]]
            if len(i1) and len(i2):
                _, p = _resample.permutation_test(
                    num[i1][:, cols], den[i1][:, cols], num[i2][:, cols], den[i2][:, cols],
                    plan.unit, plan.n_perm,
                    _seed(plan.random_state, group_labels[g1], group_labels[g2]))
                tests.update({(g1, g2, j): float(p[c]) for c, j in enumerate(cols)})
    return boots, tests


def _result_rows(sums: _ArticleSums, members, group_labels, pair_list, boots, tests,
                 plan: _Plan) -> tuple[list[dict], set[tuple]]:
    """One row per group and measure, then per pair; and the groups with few articles."""
    num, den, n_sent, by = sums.num, sums.den, sums.rows, plan.by
    out: list[dict] = []
    few: set[tuple] = set()
    for j, m in enumerate(plan.names):
        estimates = []
        for g, label in enumerate(group_labels):
            idx = members[g][j]
            n = len(idx)
            est = float(_resample.statistic(num[idx, j], den[idx, j], np.arange(n)[None, :],
                                            plan.unit)[0]) if n else math.nan
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
    return out, few


def _table(out: list[dict], plan: _Plan) -> pd.DataFrame:
    """The rows as the documented table: column order, dtypes and ``attrs``."""
    by = plan.by
    table = pd.DataFrame(out, columns=_columns(by))
    for b in plan.integer_by:  # integer labels stay integers beside the NA of group rows
        table[b] = table[b].astype("Int64")
        table[f"other_{b}"] = table[f"other_{b}"].astype("Int64")
    table["stat"] = plan.stat
    table["threshold"] = plan.cut
    for c in ("n", "n_sentences", "n_other", "n_sentences_other"):
        table[c] = table[c].astype("Int64")
    for c in _TEST_COLUMNS:
        table[c] = table[c].astype(float)
    table.attrs["compare_groups"] = {
        "by": by, "stat": plan.stat, "threshold": plan.cut, "unit": plan.unit,
        "weights": plan.weights,
        "kinds": list(plan.kinds) if plan.has_kind else "all rows (no kind column)",
        "interval": f"{CI_LEVEL:.0%} percentile bootstrap, articles resampled within each group",
        "test": "two-sided permutation test of group labels across articles",
        "effect_size": "Hedges' g on article values (exact small-sample correction)",
        "n_boot": plan.n_boot, "n_perm": plan.n_perm, "random_state": plan.random_state,
    }
    return table


def _finish(partials: list[_ArticleSums], plan: _Plan) -> pd.DataFrame:
    """Finish: the partial sums added up, the groups resampled, the table made."""
    sums = _add_sums(partials, plan.by)
    group_labels, group, pair_list = _groups(sums.keys, plan)
    ok = (sums.den > 0) & (sums.rows > 0)
    members = [[np.flatnonzero(ok[:, j] & (group == g)) for j in range(len(plan.names))]
               for g in range(len(group_labels))]
    boots, tests = _resample_groups(sums, members, group_labels, pair_list, plan)
    out, few = _result_rows(sums, members, group_labels, pair_list, boots, tests, plan)
    if few:
        shown = ", ".join(repr(lab[0] if len(lab) == 1 else lab) for lab in sorted(few, key=repr))
        warn(
            f"Fewer than {MIN_ARTICLES} articles in group(s) {shown}: with so few articles the "
            "bootstrap interval is undefined (1 article) or far too unstable to trust, and "
            "differences cannot reach significance. Read the estimates as descriptive.",
            WideIntervalWarning)
    return _table(out, plan)



@validate_params(
    data=[Frame(dask=True)], by=[Columns()], measures=[Columns(), None],
    stat=[Options(*STATS)], threshold=[Interval(Real, None, None), None],
    unit=[Options(*UNITS)], weights=[Column(), None], kinds=[str, list, tuple, None],
    pairs=[object], n_boot=[Interval(Integral, 1, None)], n_perm=[Interval(Integral, 1, None)],
    random_state=[Interval(Integral, None, None)], progress=[bool, None],
)
@records_roles("by", "stat")
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
    plan = _plan(schema(data), by=by, measures=measures, stat=stat, threshold=threshold,
                 unit=unit, weights=weights, kinds=kinds, pairs=pairs, n_boot=n_boot,
                 n_perm=n_perm, random_state=random_state, progress=progress)
    return sums_then_finish(data, _article_sums, _finish, plan)
