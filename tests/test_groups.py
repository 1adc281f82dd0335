"""compare_groups: article rollups, article-clustered bootstrap, permutation test, effect size."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit._errors import SchemaError, WideIntervalWarning


def make_frame(seed=0, outlets=(("A", 12, 0.0), ("B", 9, 0.4), ("C", 6, -0.2)), max_sent=12):
    """Sentences of several outlets; article values differ, sentences share the article's mean."""
    rng = np.random.default_rng(seed)
    rows = []
    for outlet, n_articles, shift in outlets:
        for a in range(n_articles):
            article_mean = shift + rng.normal(0, 0.3)
            k = int(rng.integers(1, max_sent))
            for s in range(k):
                rows.append({
                    "article_id": f"{outlet}{a}", "sentence_id": s, "outlet": outlet,
                    "kind": "headline" if s == 0 else rng.choice(["body", "body", "promo"]),
                    "n_words": int(rng.integers(3, 40)),
                    "sentiment_compound": np.nan if rng.random() < 0.1
                    else float(np.clip(article_mean + rng.normal(0, 0.4), -1, 1)),
                    "frame_economy": int(rng.random() < 0.3) * int(rng.integers(1, 3)),
                })
    return pd.DataFrame(rows)


def quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WideIntervalWarning)
        return func(*args, **kwargs)


def straightforward(frame, measure, stat, threshold=None, weights=None, unit="article"):
    """The obvious per-article loop, to check the vectorised rollup against."""
    content = frame[frame["kind"].isin(["headline", "body", "bullet"])]
    out = {}
    for outlet, rows in content.groupby("outlet"):
        nums, dens = [], []
        for _, art in rows.groupby("article_id"):
            art = art[art[measure].notna()]
            w = art[weights].to_numpy(float) if weights else np.ones(len(art))
            x = art[measure].to_numpy(float)
            if stat == "mean":
                num, den = (w * x).sum(), w.sum()
            elif stat == "share_above":
                num, den = (w * (x > threshold)).sum(), w.sum()
            elif stat == "share_below":
                num, den = (w * (x < threshold)).sum(), w.sum()
            elif stat == "share_nonzero":
                num, den = (w * (x != 0)).sum(), w.sum()
            else:
                num, den = 1000 * (w * x).sum(), (w * art["n_words"].to_numpy(float)).sum()
            if len(art) and den > 0:
                nums.append(num)
                dens.append(den)
        nums, dens = np.array(nums), np.array(dens)
        out[outlet] = (nums / dens).mean() if unit == "article" else nums.sum() / dens.sum()
    return out


@pytest.mark.parametrize("stat, measure, threshold", [
    ("mean", "sentiment_compound", None),
    ("share_above", "sentiment_compound", None),
    ("share_below", "sentiment_compound", -0.2),
    ("share_nonzero", "frame_economy", None),
    ("per_1000_words", "frame_economy", None),
])
@pytest.mark.parametrize("unit", ["article", "sentence"])
def test_rollup_equals_straightforward_loop(stat, measure, threshold, unit):
    frame = make_frame()
    frame["w"] = np.where(frame["kind"] == "headline", 2.0, 1.0)
    table = quiet(mk.compare_groups, frame, measures=measure, stat=stat, threshold=threshold,
                  unit=unit, weights="w", n_boot=50, n_perm=50)
    cut = {"share_above": 0.05, "share_below": -0.05}.get(stat) if threshold is None else threshold
    expected = straightforward(frame, measure, stat, cut, weights="w", unit=unit)
    groups = table[table["comparison"] == "group"].set_index("outlet")["estimate"]
    for outlet, value in expected.items():
        assert groups[outlet] == pytest.approx(value, rel=1e-12, abs=1e-12)
    diffs = table[table["comparison"] == "difference"]
    for _, row in diffs.iterrows():
        assert row["estimate"] == pytest.approx(
            expected[row["outlet"]] - expected[row["other_outlet"]], abs=1e-12)


def test_bootstrap_resamples_articles_not_sentences():
    rng = np.random.default_rng(1)
    values = {f"{o}{i}": rng.normal(shift, 0.3) for o, shift in (("A", 0), ("B", 0.2))
              for i in range(15)}

    def frame(per_article):
        return pd.DataFrame([
            {"article_id": a, "outlet": a[0], "kind": "body", "sentiment_compound": v}
            for a, v in values.items() for _ in range(per_article)])

    one = mk.compare_groups(frame(1), measures="sentiment_compound")
    many = mk.compare_groups(frame(40), measures="sentiment_compound")
    cols = ["estimate", "ci_low", "ci_high", "p_value", "effect_size"]
    pd.testing.assert_frame_equal(one[cols], many[cols])
    assert (many["n_sentences"] == 40 * many["n"]).iloc[:2].all()
    # a naive interval over 600 "independent" sentences would be far narrower
    group_a = many.iloc[0]
    naive_half_width = 1.96 * np.std(list(values.values())[:15], ddof=1) / math.sqrt(600)
    assert (group_a["ci_high"] - group_a["ci_low"]) / 2 > 3 * naive_half_width


def test_detects_a_real_difference_and_not_a_null_one():
    rng = np.random.default_rng(7)
    rows = [{"article_id": f"{o}{i}", "outlet": o, "readability_flesch_kincaid_grade": v}
            for o, mu in (("A", 10.0), ("B", 11.0), ("C", 10.0))
            for i, v in enumerate(rng.normal(mu, 1.0, 40))]
    table = mk.compare_groups(pd.DataFrame(rows), n_perm=999)
    diff = table[table["comparison"] == "difference"].set_index(["outlet", "other_outlet"])
    ab = diff.loc[("A", "B")]
    assert ab["p_value"] < 0.01 and ab["ci_high"] < 0 and -2.2 < ab["effect_size"] < -0.8
    ac = diff.loc[("A", "C")]
    assert ac["p_value"] > 0.05 and ac["ci_low"] < 0 < ac["ci_high"]
    groups = table[table["comparison"] == "group"]
    assert ((groups["ci_low"] < groups["estimate"]) & (groups["estimate"] < groups["ci_high"])).all()
    assert (groups["n"] == 40).all()
    assert table.attrs["compare_groups"]["random_state"] == 0


def test_exact_permutation_and_hedges_g():
    frame = pd.DataFrame({"article_id": ["a1", "a2", "b1", "b2"], "outlet": ["A", "A", "B", "B"],
                          "sentiment_compound": [0.1, 0.2, 0.3, 0.4]})
    with pytest.warns(WideIntervalWarning):
        table = mk.compare_groups(frame)
    row = table[table["comparison"] == "difference"].iloc[0]
    assert row["estimate"] == pytest.approx(-0.2)
    assert row["p_value"] == pytest.approx(2 / 6)  # 6 splits, 2 as extreme (two-sided)
    pooled_sd = math.sqrt((0.005 + 0.005) / 2)
    df = 2
    j = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
    assert row["effect_size"] == pytest.approx(-0.2 / pooled_sd * j)


def test_deterministic_and_seed_local():
    frame = make_frame()
    first = quiet(mk.compare_groups, frame, measures="sentiment_compound")
    again = quiet(mk.compare_groups, frame, measures="sentiment_compound")
    pd.testing.assert_frame_equal(first, again)
    both = quiet(mk.compare_groups, frame, measures=["frame_economy", "sentiment_compound"])
    same = both[both["measure"] == "sentiment_compound"].reset_index(drop=True)
    pd.testing.assert_frame_equal(first, same)
    other = quiet(mk.compare_groups, frame, measures="sentiment_compound", random_state=1)
    assert not np.allclose(first["ci_low"].dropna(), other["ci_low"].dropna())
    np.testing.assert_allclose(first["estimate"], other["estimate"])


def test_pairs_option():
    frame = make_frame()
    none = quiet(mk.compare_groups, frame, measures="sentiment_compound", pairs="none")
    assert set(none["comparison"]) == {"group"}
    ref = quiet(mk.compare_groups, frame, measures="sentiment_compound", pairs="A")
    diffs = ref[ref["comparison"] == "difference"]
    assert sorted(diffs["outlet"]) == ["B", "C"] and set(diffs["other_outlet"]) == {"A"}
    with pytest.raises(ValueError, match="not a group"):
        quiet(mk.compare_groups, frame, measures="sentiment_compound", pairs="Z")


def test_several_grouping_columns():
    frame = make_frame()
    frame["story_id"] = np.where(frame["article_id"].str[-1].astype(int) % 2 == 0, "s1", "s2")
    table = quiet(mk.compare_groups, frame, by=["story_id", "outlet"],
                  measures="sentiment_compound", pairs="none")
    assert {"story_id", "outlet", "other_story_id", "other_outlet"} <= set(table.columns)
    assert len(table) == frame[["story_id", "outlet"]].drop_duplicates().shape[0]


def test_seed_outlets(seeds_sentences):
    scored = mk.score_readability(mk.score_sentiment(seeds_sentences))
    with pytest.warns(WideIntervalWarning, match="Fewer than 5 articles"):
        table = mk.compare_groups(
            scored, measures=["sentiment_compound", "readability_flesch_kincaid_grade"])
    groups = table[table["comparison"] == "group"]
    assert (groups["n"] == 1).all() and groups["ci_low"].isna().all()
    content = scored[scored["kind"].isin(["headline", "body", "bullet"])]
    expected = content.groupby("outlet")["sentiment_compound"].mean()
    got = groups[groups["measure"] == "sentiment_compound"].set_index("outlet")["estimate"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)
    diffs = table[table["comparison"] == "difference"]
    # one article each: no test is possible, so no p-value (not 1.0)
    assert diffs["p_value"].isna().all() and diffs["effect_size"].isna().all()
    assert list(table.columns[:3]) == ["comparison", "outlet", "other_outlet"]


def test_bad_input():
    frame = make_frame()
    with pytest.raises(SchemaError):
        quiet(mk.compare_groups, frame.drop(columns=["outlet"]), measures="sentiment_compound")
    with pytest.raises(SchemaError):
        quiet(mk.compare_groups, frame, measures="sentiment_pos")
    with pytest.raises(SchemaError):
        quiet(mk.compare_groups, frame[["article_id", "outlet", "kind"]])
    with pytest.raises(ValueError, match="share_above"):
        quiet(mk.compare_groups, frame, measures="sentiment_compound", stat="share_abov")
    with pytest.raises(ValueError, match="threshold"):
        quiet(mk.compare_groups, frame, measures="sentiment_compound", threshold=0.1)
    with pytest.raises(ValueError, match="constant within each article"):
        quiet(mk.compare_groups, frame, by="kind", measures="sentiment_compound", kinds="all")
    with pytest.raises(TypeError, match="numeric"):
        quiet(mk.compare_groups, frame.assign(sentiment_x="a"), measures="sentiment_x")
    with pytest.raises(ValueError, match="negative"):
        quiet(mk.compare_groups, frame.assign(w=-1.0), measures="sentiment_compound", weights="w")
    with pytest.raises(SchemaError, match="n_words"):
        quiet(mk.compare_groups, frame.drop(columns=["n_words"]), measures="frame_economy",
              stat="per_1000_words")
    with pytest.raises(TypeError):
        mk.compare_groups(frame.to_dict())


def test_contract():
    frame = make_frame()
    before = frame.copy(deep=True)
    table = quiet(mk.compare_groups, frame)
    pd.testing.assert_frame_equal(frame, before)
    assert set(table["measure"]) == {"sentiment_compound", "frame_economy"}
    empty = mk.compare_groups(frame.iloc[:0], measures="sentiment_compound")
    assert len(empty) == 0 and {"measure", "n", "estimate", "ci_low", "ci_high"} <= set(
        empty.columns)


def test_measures_with_different_articles_match_each_alone():
    # measures of one group share resamples only when they have values in the same articles
    frame = make_frame(seed=3)
    frame["frame_economy"] = frame["frame_economy"].where(~frame["article_id"].isin(["A1", "B2"]))
    both = quiet(mk.compare_groups, frame, measures=["sentiment_compound", "frame_economy"])
    for m in ("sentiment_compound", "frame_economy"):
        alone = quiet(mk.compare_groups, frame, measures=m)
        pd.testing.assert_frame_equal(both[both["measure"] == m].reset_index(drop=True), alone)
    groups = both[both["comparison"] == "group"].set_index(["measure", "outlet"])["n"]
    assert groups["frame_economy", "A"] == groups["sentiment_compound", "A"] - 1


@pytest.mark.parametrize("unit", ["article", "sentence"])
def test_bootstrap_spread_matches_the_standard_error(unit):
    # 200 articles of 1-5 sentences: the bootstrap interval is about the normal one
    rng = np.random.default_rng(11)
    rows = []
    for a in range(200):
        mean = rng.normal(0, 1)
        rows += [{"article_id": f"a{a}", "outlet": "A", "sentiment_compound": mean + rng.normal(0, 0.5)}
                 for _ in range(int(rng.integers(1, 6)))]
    frame = pd.DataFrame(rows)
    table = quiet(mk.compare_groups, frame, measures="sentiment_compound", unit=unit, n_boot=4000)
    per = frame.groupby("article_id")["sentiment_compound"].agg(["sum", "count"])
    if unit == "article":
        values = per["sum"] / per["count"]
        se = values.std(ddof=1) / math.sqrt(len(values))
    else:  # ratio estimator: linearised standard error of sum(num) / sum(den)
        ratio = per["sum"].sum() / per["count"].sum()
        resid = per["sum"] - ratio * per["count"]
        se = math.sqrt((resid ** 2).sum()) / per["count"].sum()
    width = float(table["ci_high"].iloc[0] - table["ci_low"].iloc[0])
    assert width == pytest.approx(2 * 1.96 * se, rel=0.12)
    assert table["ci_low"].iloc[0] < table["estimate"].iloc[0] < table["ci_high"].iloc[0]


def test_random_permutations_agree_with_the_exact_test():
    # 7 + 7 articles: 3,432 splits, enumerated with n_perm=5000, sampled with n_perm=3000
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"article_id": [f"a{i}" for i in range(14)],
                          "outlet": ["A"] * 7 + ["B"] * 7,
                          "sentiment_compound": np.r_[rng.normal(0, 1, 7), rng.normal(0.8, 1, 7)]})
    for unit in ("article", "sentence"):
        exact = mk.compare_groups(frame, unit=unit, n_perm=5000, n_boot=100)
        sampled = mk.compare_groups(frame, unit=unit, n_perm=3000, n_boot=100)
        p_exact, p_sampled = exact["p_value"].iloc[-1], sampled["p_value"].iloc[-1]
        assert 0.001 < p_exact < 0.5
        assert p_sampled == pytest.approx(p_exact, abs=4 * math.sqrt(p_exact / 3000) + 1e-3)
