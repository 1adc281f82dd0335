"""Keyness statistics of 2 x 2 tables, pooled or stratified by story (Cochran-Mantel-Haenszel).

A term's table in one stratum (a story, or the whole corpus when pooled) is
``[[a, b], [c - a, d - b]]``: ``a`` and ``b`` its counts in the target and the reference, ``c``
and ``d`` all terms counted in each. Stratified, the strata are the stories in which both the
target and its reference wrote; each story's table is computed from counts of that story only,
and the strata are combined:

- Cochran-Mantel-Haenszel chi-square (Mantel & Haenszel 1959; Agresti 2002, sec. 6.3): with
  ``m = a + b`` and ``N = c + d``, ``E_k = m_k c_k / N_k`` and
  ``Var_k = m_k (N_k - m_k) c_k d_k / (N_k^2 (N_k - 1))``, the statistic is
  ``(sum(a_k - E_k))^2 / sum(Var_k)``, chi-square with 1 df under no difference in any story;
- the sum of the per-story G2 (Dunning 1993), a total of evidence (``n_stories`` df);
- the Mantel-Haenszel rate ratio ``sum(a_k d_k / N_k) / sum(b_k c_k / N_k)`` (Rothman,
  Greenland & Lash 2008, ch. 15), as ``log_ratio`` (log2);
- Monroe, Colaresi & Quinn (2008) log-odds per story (prior: the story's pooled counts),
  combined by inverse-variance weights (fixed effect).

Every sum runs over the non-zero entries of sparse story x term matrices: memory and time follow
the counts, not stories x vocabulary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

METHOD_POOLED = "pooled 2 x 2 tables (Dunning 1993 G2, Pearson chi-square)"
METHOD_STRATIFIED = ("within stories: Cochran-Mantel-Haenszel chi-square (Mantel & Haenszel "
                     "1959) for p_value, summed per-story G2, Mantel-Haenszel rate ratio")


def two_by_two(a, b, c, d, *, correction: str = "none") -> dict[str, np.ndarray]:
    """Signed ``g2`` and ``chi2`` and the ``p_value`` of ``g2`` for 2 x 2 tables.

    Arrays broadcast (``c`` and ``d`` may be scalars or one per table). ``correction`` as
    quanteda's ``textstat_keyness``: "yates" moves every cell 0.5 towards its expectation (no
    further than it), "williams" divides G2 by ``q = 1 + (N/r1 + N/r2 - 1)(N/c + N/d - 1) / 6N``
    (Williams 1976).
    """
    from scipy.special import chdtrc  # the chi-square survival function (scipy.stats.chi2.sf)

    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    c = np.broadcast_to(np.asarray(c, dtype=np.float64), a.shape)
    d = np.broadcast_to(np.asarray(d, dtype=np.float64), a.shape)
    n = c + d
    observed = np.stack([a, b, c - a, d - b])
    row = np.stack([a + b, a + b, n - a - b, n - a - b])
    col = np.stack([c, d, c, d])
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = row * col / n
        if correction == "yates":
            shift = np.minimum(0.5, np.abs(observed - expected))
            observed = observed - np.sign(observed - expected) * shift
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
        g2 = np.maximum(2 * np.nan_to_num(terms).sum(axis=0), 0.0)
        chi2 = np.where(expected > 0, (observed - expected) ** 2 / expected, 0.0).sum(axis=0)
        if correction == "williams":
            r1, r2 = a + b, n - a - b
            q = 1 + (n / r1 + n / r2 - 1) * (n / c + n / d - 1) / (6 * n)
            g2 = np.where(np.isfinite(q) & (q > 0), g2 / q, g2)
        sign = np.where((c > 0) & (d > 0), np.sign(a / c - b / d), 0.0)
    sign = np.nan_to_num(sign)
    return {"g2": sign * g2, "chi2": sign * chi2, "p_value": chdtrc(1, g2)}


#: compare_terms' columns after the ``by`` column.
COLUMNS = ("reference", "term", "variants", "n_target", "n_reference", "total_target",
           "total_reference", "n_stories", "g2", "chi2", "p_value", "log_ratio", "log_odds",
           "log_odds_z")


def reference_label(reference, ref_groups) -> str:
    """The ``reference`` column: "rest", or the reference groups joined by "; "."""
    return "rest" if isinstance(reference, str) and reference == "rest" else "; ".join(
        map(str, ref_groups))


def finish_frames(frames, by: str) -> pd.DataFrame | None:
    """The targets' frames as one table in compare_terms' column order (None if no frame)."""
    if not frames:
        return None
    out = pd.concat(frames, ignore_index=True)
    out = out[[by, *COLUMNS]]
    return out.astype({"reference": "str", "term": "str", "variants": "str"})


def stratified_table(counts, keys, vocab, targets, refs, *, by: str, reference, measure: str,
                     min_count: int, prior_scale: float, correction: str = "none"):
    """compare_terms' within-story table: ``(frame or None, targets not comparable)``.

    ``counts`` is a sparse (story, group) x terms matrix whose rows ``keys`` (a MultiIndex)
    names; ``refs`` is None for "rest" (every other group of the story) or the reference groups.
    """
    sums = stratified_sums(counts, keys, vocab, targets, refs, prior_scale=prior_scale,
                           correction=correction)
    return stratified_finish(sums, vocab, targets, by=by, reference=reference,
                             measure=measure, min_count=min_count, correction=correction)


#: Per-term sums over the strata (one array over the vocabulary each), from which
#: :func:`stratified_finish` computes the statistics: they add up across sets of stories.
SUMS = ("sum_a", "sum_b", "expected", "var", "g2", "w_sum", "w_delta", "num", "den",
        "half_num", "half_den")


def stratified_sums(counts, keys, vocab, targets, refs, *, prior_scale: float,
                    correction: str = "none") -> dict:
    """Each target's sums over its strata: ``{target: {"sums": {name: array}, "c": float,
    "d": float, "n_stories": int, "ref_groups": list}}`` (names in :data:`SUMS`, arrays over
    ``vocab``; ``c`` and ``d`` the terms counted in the target and its reference). A target
    with no stratum (no story shared with its reference) is left out.

    Every statistic is a sum over stories, so the sums of disjoint sets of stories add up to
    the sums of their union: the dask path computes them per partition of whole stories.
    """
    from scipy import sparse

    counts = sparse.csr_matrix(counts, dtype=np.float64)
    story_of = np.asarray(keys.get_level_values(0))
    group_of = np.asarray(keys.get_level_values(1), dtype=object)
    story_codes, stories = pd.factorize(story_of)
    n_stories = len(stories)
    totals = np.asarray(counts.sum(axis=1)).ravel()
    # story x terms: every group of the story (the prior of the log-odds)
    in_story = sparse.csr_matrix((np.ones(len(story_codes)), (story_codes,
                                                              np.arange(len(story_codes)))),
                                 shape=(n_stories, len(story_codes)))
    pooled = (in_story @ counts).tocsr()
    pooled_total = np.asarray(pooled.sum(axis=1)).ravel()
    out = {}
    for t in targets:
        is_t = group_of == t
        is_ref = ~is_t if refs is None else np.isin(group_of, [g for g in refs if g != t])
        t_rows = np.flatnonzero(is_t)
        ref_rows = np.flatnonzero(is_ref)
        c_k = np.zeros(n_stories)
        d_k = np.zeros(n_stories)
        np.add.at(c_k, story_codes[t_rows], totals[t_rows])
        np.add.at(d_k, story_codes[ref_rows], totals[ref_rows])
        ok = (c_k > 0) & (d_k > 0)
        if not ok.any():
            continue
        ref_groups = pd.unique(group_of[ref_rows[ok[story_codes[ref_rows]]]])
        strata = np.flatnonzero(ok)
        a_m = (_per_story(t_rows, ok, strata, story_codes, counts.shape[0]) @ counts).tocsr()
        b_m = (_per_story(ref_rows, ok, strata, story_codes, counts.shape[0]) @ counts).tocsr()
        c, d = c_k[strata], d_k[strata]
        n = c + d
        m_m = (a_m + b_m).tocsr()
        sums = {"sum_a": np.asarray(a_m.sum(axis=0)).ravel(),
                "sum_b": np.asarray(b_m.sum(axis=0)).ravel()}
        # Cochran-Mantel-Haenszel
        v1 = c * d / (n * (n - 1))
        v2 = c * d / (n * n * (n - 1))
        sums["expected"] = m_m.T @ (c / n)
        sums["var"] = m_m.T @ v1 - m_m.multiply(m_m).T @ v2
        # per-story G2 and log-odds over the non-zero (story, term) entries
        coo = m_m.tocoo()
        k, j = coo.row, coo.col
        a_e = np.asarray(a_m[k, j]).ravel()
        b_e = np.asarray(b_m[k, j]).ravel()
        g2_e = np.abs(two_by_two(a_e, b_e, c[k], d[k], correction=correction)["g2"])
        sums["g2"] = np.bincount(j, weights=g2_e, minlength=len(vocab))
        alpha = np.asarray(pooled[strata[k], j]).ravel() * prior_scale
        a0 = pooled_total[strata[k]] * prior_scale
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = (np.log((a_e + alpha) / (c[k] + a0 - a_e - alpha))
                     - np.log((b_e + alpha) / (d[k] + a0 - b_e - alpha)))
        weight = 1 / (1 / (a_e + alpha) + 1 / (b_e + alpha))
        sums["w_sum"] = np.bincount(j, weights=weight, minlength=len(vocab))
        sums["w_delta"] = np.bincount(j, weights=weight * delta, minlength=len(vocab))
        # Mantel-Haenszel rate ratio, a zero side replaced by half a count per story
        present = (m_m > 0).astype(np.float64)
        sums["num"] = a_m.T @ (d / n)
        sums["den"] = b_m.T @ (c / n)
        sums["half_num"] = present.T @ (d / n)
        sums["half_den"] = present.T @ (c / n)
        out[t] = {"sums": sums, "c": float(c.sum()), "d": float(d.sum()),
                  "n_stories": int(len(strata)), "ref_groups": list(ref_groups)}
    return out


def stratified_finish(sums: dict, vocab, targets, *, by: str, reference, measure: str,
                      min_count: int, correction: str = "none"):
    """compare_terms' within-story table from :func:`stratified_sums` (of all the stories):
    ``(frame or None, targets not comparable)``."""
    from scipy.special import chdtrc

    frames, not_comparable = [], []
    for t in targets:
        if t not in sums:
            not_comparable.append(t)
            continue
        x = sums[t]["sums"]
        keep = (x["sum_a"] + x["sum_b"]) >= min_count
        if not keep.any():
            continue
        dev = x["sum_a"] - x["expected"]
        size = np.abs(dev)
        if correction == "yates":
            size = np.maximum(size - 0.5, 0.0)
        var = x["var"]
        with np.errstate(divide="ignore", invalid="ignore"):
            cmh = np.where(var > 0, size ** 2 / var, 0.0)
            log_odds = x["w_delta"] / x["w_sum"]
            num = np.where(x["num"] > 0, x["num"], 0.5 * x["half_num"])
            den = np.where(x["den"] > 0, x["den"], 0.5 * x["half_den"])
            log_ratio = np.log2(num / den)
        sign = np.sign(dev)
        frame = pd.DataFrame({
            by: t, "reference": reference_label(reference, sums[t]["ref_groups"]),
            "term": vocab[keep], "variants": "",
            "n_target": x["sum_a"][keep].astype(np.int64),
            "n_reference": x["sum_b"][keep].astype(np.int64),
            "total_target": np.int64(sums[t]["c"]), "total_reference": np.int64(sums[t]["d"]),
            "n_stories": np.int64(sums[t]["n_stories"]), "g2": (sign * x["g2"])[keep],
            "chi2": (sign * cmh)[keep], "p_value": chdtrc(1, cmh[keep]),
            "log_ratio": log_ratio[keep], "log_odds": log_odds[keep],
            "log_odds_z": (log_odds * np.sqrt(x["w_sum"]))[keep]})
        frames.append(frame.sort_values([measure, "term"], ascending=[False, True],
                                        kind="stable"))
    return finish_frames(frames, by), not_comparable


def _per_story(rows, ok, strata, story_codes, n_rows):
    """Sparse eligible-stories x rows matrix summing ``rows`` per story (``strata``)."""
    from scipy import sparse

    rows = rows[ok[story_codes[rows]]]
    return sparse.csr_matrix(
        (np.ones(len(rows)), (np.searchsorted(strata, story_codes[rows]), rows)),
        shape=(len(strata), n_rows))
