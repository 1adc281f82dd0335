"""Partial aggregates of ``compare_groups`` and ``compare_terms`` for dask frames.

Used through :func:`mediakit._dask.dask_aware` (``rollup=``): ``*_partial`` turns one pandas
partition into a small table that adds up across partitions; ``*_finish`` turns all partials
(concatenated, one pandas frame) into exactly the table the pandas function returns.

- compare_groups: one row per (article, group) with, per measure, the sums the pandas function
  rolls up (numerator, denominator, rows): ~40 times fewer rows than sentences. The finish runs
  ``compare_groups`` on one row per article whose value is num / den (weighted by den when
  the rollup pools sentences or has weights), so the bootstrap and the test are the same code
  on the same article values, then restores the sentence counts and the statistic's name.
- compare_terms: one row per (story, group, term) with its count (and the term's written
  forms); the finish sums them into the (story, group) x term count matrix and computes
  keyness with the same code as ``compare_terms`` (pooled or within stories).
"""

from __future__ import annotations

import inspect
import math
import warnings

import numpy as np
import pandas as pd

from mediakit._dask import Rollup
from mediakit._params import warn
from mediakit._validation import check_frame, require_columns, resolve_kinds

_NUM, _DEN, _ROWS = "num:", "den:", "rows:"
_WEIGHT = "__rollup_weight"


def _arguments(func, data, kwargs: dict) -> dict:
    bound = inspect.signature(func).bind(data, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


# ------------------------------------------------------------------------- compare_groups
def groups_partial(data: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Per (article, group): sums of each measure's numerator, denominator and valid rows."""
    from mediakit.compare import groups

    a = _arguments(groups.compare_groups, data, kwargs)
    check_frame(data)
    by = [a["by"]] if isinstance(a["by"], str) else list(a["by"])
    stat = a["stat"]
    cut = float(groups.DEFAULT_THRESHOLDS.get(stat, math.nan) if a["threshold"] is None
                else a["threshold"])
    weights = a["weights"]
    needed = ["article_id", *by] + ([weights] if weights else [])
    needed += ["n_words"] if stat == "per_1000_words" else []
    require_columns(data, needed)
    names = groups._resolve_measures(data, a["measures"])
    kinds = resolve_kinds(a["kinds"])
    rows = data[data["kind"].isin(kinds)] if "kind" in data.columns else data
    w = (rows[weights].to_numpy(dtype=float, na_value=np.nan) if weights
         else np.ones(len(rows)))
    w = np.nan_to_num(w, nan=0.0)
    words = (rows["n_words"].to_numpy(dtype=float, na_value=np.nan)
             if stat == "per_1000_words" else None)
    sums = {}
    for m in names:
        x = rows[m].to_numpy(dtype=float, na_value=np.nan)
        num, den, valid = groups._row_terms(x, w, words, stat, cut)
        sums[_NUM + m], sums[_DEN + m], sums[_ROWS + m] = num, den, valid.astype(np.int64)
    table = pd.DataFrame({"article_id": rows["article_id"].to_numpy(),
                          **{b: rows[b].to_numpy() for b in by}, **sums})
    return (table.groupby(["article_id", *by], sort=False, dropna=False).sum()
            .reset_index())


def groups_finish(partials: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """compare_groups on one row per article built from the partial sums."""
    from mediakit.compare import groups

    a = _arguments(groups.compare_groups, partials, kwargs)
    by = [a["by"]] if isinstance(a["by"], str) else list(a["by"])
    table = (partials.groupby(["article_id", *by], sort=False, dropna=False).sum()
             .reset_index())
    names = [c[len(_NUM):] for c in partials.columns if c.startswith(_NUM)]
    pooled = a["unit"] == "sentence" or a["weights"] is not None
    options = {k: a[k] for k in ("pairs", "n_boot", "n_perm", "random_state", "progress")}
    parts, caught = [], []
    for m in names:
        num, den = table[_NUM + m].to_numpy(float), table[_DEN + m].to_numpy(float)
        n_rows = table[_ROWS + m].to_numpy()
        ok = (den > 0) & (n_rows > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(ok, num / den, np.nan)
        article = table[["article_id", *by]].assign(**{m: value})
        if pooled:
            article[_WEIGHT] = np.where(ok, den, 0.0)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            part = groups.compare_groups(article, by=a["by"], measures=[m], stat="mean",
                                         unit=a["unit"], weights=_WEIGHT if pooled else None,
                                         **options)
        caught.extend(seen)
        per_group: dict[tuple, int] = {}
        for label, count in zip(map(tuple, table[by].to_numpy()), np.where(ok, n_rows, 0),
                                strict=True):
            per_group[label] = per_group.get(label, 0) + int(count)
        part["n_sentences"] = pd.array(
            [per_group.get(tuple(r)) for r in part[by].to_numpy()], dtype="Int64")
        diff = (part["comparison"] == "difference").to_numpy()
        others = part[[f"other_{b}" for b in by]].to_numpy()
        part["n_sentences_other"] = pd.array(
            [per_group.get(tuple(r)) if d else None for r, d in zip(others, diff, strict=True)],
            dtype="Int64")
        parts.append(part)
    out = pd.concat(parts, ignore_index=True) if parts else groups.compare_groups(
        partials.iloc[:0], **kwargs)
    out["stat"] = a["stat"]
    out["threshold"] = float(groups.DEFAULT_THRESHOLDS.get(a["stat"], math.nan)
                             if a["threshold"] is None else a["threshold"])
    for c in ("n_sentences", "n_sentences_other"):
        out[c] = out[c].astype("Int64")
    attrs = dict(parts[-1].attrs.get("compare_groups", {})) if parts else {}
    attrs.update(stat=a["stat"], threshold=float(out["threshold"].iloc[0]) if len(out) else None,
                 unit=a["unit"], weights=a["weights"], kinds=list(resolve_kinds(a["kinds"])),
                 input="dask DataFrame: per-partition article sums, finished in pandas")
    out.attrs["compare_groups"] = attrs
    for message in dict.fromkeys(str(w.message) for w in caught):
        category = next(w.category for w in caught if str(w.message) == message)
        warn(message, category)
    return out


GROUPS = Rollup(partial=groups_partial, finish=groups_finish)


# -------------------------------------------------------------------------- compare_terms
_STORY, _FORMS = "__story", "__forms"


def _terms_setup(data, kwargs):
    from mediakit.compare import terms

    a = _arguments(terms.compare_terms, data, kwargs)
    stop_words = a["stop_words"]
    if stop_words is not None and not isinstance(stop_words, str):
        stop_words = sorted(terms.user_stop_words(stop_words,
                                                  fold_spelling=a["fold_spelling"]))
    return terms, a, stop_words


def terms_partial(data: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Per (story, group, term): occurrences in this partition, and the written forms of each
    term (a row with term "" per (story, group) seen)."""
    terms, a, stop_words = _terms_setup(data, kwargs)
    check_frame(data, "sentences")
    by, text, story = a["by"], a["text"], a["story"]
    require_columns(data, [by, text], what="sentences")
    kinds_t = resolve_kinds(a["kinds"])
    rows = data[data["kind"].isin(kinds_t)] if "kind" in data.columns else data
    rows = rows[rows[text].notna() & rows[by].notna()]
    has_story = story is not None and story in data.columns
    if has_story:
        rows = rows[rows[story].notna()]
    story_values = rows[story].astype("str") if has_story else pd.Series("", index=rows.index)
    seen = pd.DataFrame({_STORY: story_values, by: rows[by]}).drop_duplicates()
    seen = seen.assign(term="", count=np.int64(0), **{_FORMS: ""})
    if rows.empty:
        return seen.astype({"term": "str", _STORY: "str", _FORMS: "str"})
    keys = pd.MultiIndex.from_arrays([story_values, rows[by]])
    counted = terms.count_terms(rows[text].astype("str"), keys, stop_words=stop_words,
                                ngram_range=a["ngram_range"], fold_spelling=a["fold_spelling"])
    if counted is None:  # nothing but stop words
        return seen.astype({"term": "str", _STORY: "str", _FORMS: "str"})
    counts, uniques, vocab, variants = counted
    counts = counts.tocoo()
    found = pd.DataFrame({_STORY: uniques.get_level_values(0)[counts.row],
                          by: uniques.get_level_values(1)[counts.row],
                          "term": vocab[counts.col], "count": counts.data.astype(np.int64)})
    found[_FORMS] = found["term"].map(variants).fillna("").astype("str")
    return pd.concat([seen, found], ignore_index=True).astype(
        {"term": "str", _STORY: "str", _FORMS: "str"})


def terms_finish(partials: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """compare_terms' keyness table from the summed (story, group, term) counts."""
    from scipy import sparse

    terms, a, _ = _terms_setup(partials, kwargs)
    by = a["by"]
    groups = pd.unique(partials[by])
    found = partials[partials["term"] != ""]
    story = a["story"] if a["story"] is not None and (partials[_STORY] != "").any() else None
    counted = None
    if not found.empty:
        summed = found.groupby([_STORY, by, "term"], sort=False)["count"].sum()
        term_codes, vocab = pd.factorize(summed.index.get_level_values("term"), sort=True)
        key_codes, keys = pd.factorize(summed.index.droplevel("term"))
        counts = sparse.csr_matrix((summed.to_numpy(dtype=float), (key_codes, term_codes)),
                                   shape=(len(keys), len(vocab)))
        forms: dict[str, set[str]] = {}
        for term, written in found.loc[found[_FORMS] != "", ["term", _FORMS]].drop_duplicates(
                ).itertuples(index=False):
            forms.setdefault(term, set()).update(written.split("; "))
        variants = {t: "; ".join(sorted(f)) for t, f in forms.items()}
        counted = (counts, keys, np.asarray(vocab, dtype=object), variants)
    return terms.table_from_counts(
        counted, groups, by=by, dtype=partials[by].dtype, target=a["target"],
        reference=a["reference"], measure=a["stat"], story=story, stratify=a["stratify"],
        min_count=a["min_count"], prior_scale=a["prior_scale"], correction=a["correction"],
        fold_spelling=a["fold_spelling"])


TERMS = Rollup(partial=terms_partial, finish=terms_finish)
