"""Compare the outputs the two sides of the benchmark share; any difference fails the run.

Each check returns ``{"status": "ok" | "FAIL" | "info", "detail": str}``. "info" marks outputs
that differ by design (mediakit's coverage similarity is not a plain TF-IDF cosine), reported as
an agreement rate and never asserted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: Tolerances: VADER scores are the same arithmetic (1e-12 absolute); readability and keyness
#: sum the same integers in another order (1e-9 relative).
SENTIMENT_TOL = 1e-12
REL_TOL = 1e-9
KEY = ["article_id", "sentence_id"]


def _result(ok: bool, detail: str) -> dict:
    return {"status": "ok" if ok else "FAIL", "detail": detail}


def _close(a: np.ndarray, b: np.ndarray, rel: float = REL_TOL, abs_: float = 0.0):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    same_nan = np.array_equal(np.isnan(a), np.isnan(b))
    both = ~np.isnan(a) & ~np.isnan(b)
    diff = np.abs(a[both] - b[both])
    worst = float(diff.max()) if diff.size else 0.0
    ok = same_nan and bool(np.all(diff <= abs_ + rel * np.abs(b[both])))
    return ok, worst, same_nan


def check_sentiment(work: Path) -> dict:
    mk = pd.read_parquet(work / "mk_sentiment.parquet")
    nv = pd.read_parquet(work / "nv_sentiment.parquet")
    both = mk.merge(nv, on=KEY, suffixes=("", "_nv"), validate="one_to_one")
    if len(both) != len(mk):
        return _result(False, f"{len(mk)} mediakit rows, {len(both)} matched")
    worst, ok = 0.0, True
    for c in ("sentiment_neg", "sentiment_neu", "sentiment_pos", "sentiment_compound"):
        good, w, _ = _close(both[c], both[c + "_nv"], rel=0.0, abs_=SENTIMENT_TOL)
        ok &= good
        worst = max(worst, w)
    n = int(both["sentiment_compound"].notna().sum())
    return _result(ok, f"{n:,} sentences scored by both; max |difference| {worst:.1e} "
                       f"(tolerance {SENTIMENT_TOL:.0e}, same missing rows)")


def check_readability(work: Path) -> dict:
    mk = pd.read_parquet(work / "mk_readability.parquet").set_index("article_id")
    nv = pd.read_parquet(work / "nv_readability.parquet").set_index("article_id")
    if set(mk.index) != set(nv.index):
        return _result(False, f"articles differ: {len(mk)} vs {len(nv)}")
    nv = nv.loc[mk.index]
    ok, worst = True, 0.0
    for c in mk.columns:
        good, w, _ = _close(mk[c], nv[c])
        ok &= good
        worst = max(worst, w)
    return _result(ok, f"{len(mk):,} articles x {mk.shape[1]} indices; max |difference| "
                       f"{worst:.1e} (relative tolerance {REL_TOL:.0e})")


def check_frames(work: Path) -> dict:
    mk = pd.read_parquet(work / "mk_frames.parquet")
    nv = pd.read_parquet(work / "nv_frames.parquet")
    both = mk.merge(nv, on=KEY, suffixes=("", "_nv"), validate="one_to_one")
    cols = [c for c in mk.columns if c.startswith("frame_")]
    bad = {}
    for c in cols:
        a, b = both[c].to_numpy(float), both[c + "_nv"].to_numpy(float)
        differ = ~((a == b) | (np.isnan(a) & np.isnan(b)))
        if differ.any():
            bad[c] = int(differ.sum())
    hits = int(np.nansum(both[cols].to_numpy(float)))
    detail = (f"{len(both):,} sentences x {len(cols)} frames, {hits:,} hits; "
              + ("identical counts" if not bad else f"differing sentences per frame: {bad}"))
    return _result(not bad and len(both) == len(mk), detail)


def check_groups(work: Path, by: str = "bias") -> dict:
    mk = pd.read_parquet(work / "mk_groups.parquet")
    nv = pd.read_parquet(work / "nv_groups.parquet")
    g_mk = mk[mk["comparison"] == "group"].set_index([by, "measure"])
    g_nv = nv[nv["other"].isna()].set_index([by, "measure"])
    g_nv = g_nv.loc[g_mk.index]
    ok_n = bool((g_mk["n"].astype(int).to_numpy() == g_nv["n"].astype(int).to_numpy()).all())
    ok_e, worst, _ = _close(g_mk["estimate"], g_nv["estimate"])
    d_mk = mk[mk["comparison"] == "difference"].set_index([by, f"other_{by}", "measure"])
    d_nv = nv[nv["other"].notna()].set_index([by, "other", "measure"]).loc[d_mk.index]
    ok_d, worst_d, _ = _close(d_mk["estimate"], d_nv["estimate"])
    return _result(ok_n and ok_e and ok_d,
                   f"{len(g_mk)} group estimates and {len(d_mk)} differences; article counts "
                   f"{'equal' if ok_n else 'DIFFER'}; max |difference| {max(worst, worst_d):.1e}"
                   " (intervals and p-values are resampled, not compared)")


def check_terms(work: Path, by: str = "bias") -> dict:
    mk = pd.read_parquet(work / "mk_terms.parquet")
    nv = pd.read_parquet(work / "nv_terms.parquet")
    both = mk.merge(nv, on=[by, "term"], how="outer", suffixes=("", "_nv"), indicator=True)
    only = int((both["_merge"] != "both").sum())
    both = both[both["_merge"] == "both"]
    same_counts = bool((both["n_target"] == both["n_target_nv"]).all()
                       and (both["n_reference"] == both["n_reference_nv"]).all())
    ok_g, worst, _ = _close(both["g2"], both["g2_nv"])
    return _result(only == 0 and same_counts and ok_g,
                   f"{len(both):,} (group, term) rows; {only} in one side only; counts "
                   f"{'equal' if same_counts else 'DIFFER'}; G2 max |difference| {worst:.1e}")


def check_stories_one_window(work: Path) -> dict:
    return check_stories(work, "_one_window")


def check_stories(work: Path, suffix: str = "") -> dict:
    mk = pd.read_parquet(work / f"mk_stories{suffix}.parquet")
    nv = pd.read_parquet(work / f"nv_stories{suffix}.parquet")
    both = mk.merge(nv, on="article_id", validate="one_to_one")
    one_to_one = (both.groupby("story_id")["label"].nunique().max() == 1
                  and both.groupby("label")["story_id"].nunique().max() == 1)
    from sklearn.metrics import adjusted_rand_score

    ari = adjusted_rand_score(both["story_id"], both["label"])
    return _result(bool(one_to_one), f"{both['story_id'].nunique():,} stories of "
                                     f"{len(both):,} articles; same partition: {one_to_one} "
                                     f"(adjusted Rand index {ari:.4f})")


def check_coverage(work: Path) -> dict:
    mk = pd.read_parquet(work / "mk_coverage.parquet")
    nv = pd.read_parquet(work / "nv_coverage.parquet")
    cols = ["article_id", "sentence_id", "other_outlet"]
    matched = mk[mk["status"] != "unique"]
    both = matched.merge(nv, on=cols, suffixes=("", "_nv"))
    same = ((both["other_article_id"].astype(str) == both["other_article_id_nv"].astype(str))
            & (both["other_sentence_id"].astype("Int64") == both["other_sentence_id_nv"]
               .astype("Int64")).fillna(False))
    share = float(same.mean()) if len(both) else float("nan")
    return {"status": "info",
            "detail": f"{len(mk):,} alignment rows, {len(matched):,} matched (shared or partial); "
                      f"the plain TF-IDF cosine picks the same sentence for {share:.1%} of them "
                      "(a different similarity: reported, not asserted)"}


def check_outputs(work: Path) -> dict:
    checks = {"sentiment": check_sentiment, "readability": check_readability,
              "frames": check_frames, "compare_groups": check_groups,
              "compare_terms": check_terms, "group_stories": check_stories,
              "group_stories_one_window": check_stories_one_window,
              "coverage": check_coverage}
    out = {}
    for name, check in checks.items():
        try:
            out[name] = check(work)
        except Exception as exc:  # noqa: BLE001 - report every check, then fail the run
            out[name] = {"status": "FAIL", "detail": f"{type(exc).__name__}: {exc}"}
    return out
