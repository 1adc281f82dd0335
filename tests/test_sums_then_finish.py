"""compare_groups and compare_terms are sums then finish: the same two functions on a pandas
frame (one partition) and on each partition of a dask frame.

With each article's rows in one partition the sums are the same numbers, so the dask result is
the pandas result exactly (values, dtypes, attrs, including bootstrap intervals and permutation
p-values). An article spread over partitions is summed per partition and the sums added.
compare_terms within stories on dask sums its statistics per partition of whole stories (see
``mediakit.compare.terms._terms_within_stories``): equal to 1e-12.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import mediakit as mk

dd = pytest.importorskip("dask.dataframe")
dask = pytest.importorskip("dask")

pytestmark = [pytest.mark.corpora,
              pytest.mark.filterwarnings("ignore::mediakit.MediakitWarning")]


@pytest.fixture(scope="module")
def scored(corpora_dir):
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False).iloc[:30].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sentences = mk.split_sentences(articles)
        out = mk.score_frames(mk.score_readability(mk.score_sentiment(sentences)))
    return out.drop(columns=["frame_terms"])


def whole_articles(frame: pd.DataFrame, n: int = 4):
    """A dask frame of ``n`` partitions cut at article boundaries."""
    ids = frame["article_id"].unique()
    parts = [frame[frame["article_id"].isin(chunk)] for chunk in np.array_split(ids, n)]
    return dd.concat([dd.from_pandas(p, npartitions=1, sort=False) for p in parts])


def same(got: pd.DataFrame, want: pd.DataFrame, attrs: str) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.attrs[attrs] == want.attrs[attrs]


@pytest.mark.parametrize("options", [
    {"measures": ["sentiment_compound", "readability_flesch_kincaid_grade", "frame_economic"]},
    {"measures": "sentiment_compound", "stat": "share_above", "unit": "sentence"},
    {"measures": ["frame_economic"], "stat": "per_1000_words", "pairs": "none"},
])
def test_compare_groups_on_whole_articles_per_partition_is_exactly_pandas(scored, options):
    options = {"n_boot": 200, "n_perm": 200, "random_state": 3, **options}
    want = mk.compare_groups(scored, **options)
    assert want["ci_low"].notna().any()
    assert want["p_value"].notna().any() or options.get("pairs") == "none"
    with dask.config.set(scheduler="sync"):
        got = mk.compare_groups(whole_articles(scored), **options)
    same(got, want, "compare_groups")


@pytest.mark.parametrize("options", [{}, {"stratify": False, "min_count": 1},
                                     {"reference": "Fox News", "correction": "yates"}])
def test_compare_terms_on_any_partitions_is_pandas(scored, options):
    """Counts added up are the same numbers: pooled, or against a list of groups, the table is
    exactly pandas'. Within stories against the rest (the default) the dask path sums each
    statistic over the stories of each partition of a shuffle by story, then adds those sums:
    the same terms in the same order, the same counts, the statistics to 1e-12 (the same sums
    added in another order)."""
    if "reference" in options:
        options = {**options, "reference": sorted(scored["outlet"].unique())[0]}
    want = mk.compare_terms(scored, **options)
    assert len(want) > 100
    within = want.attrs["compare_terms"]["stratified"] and "reference" not in options
    with dask.config.set(scheduler="sync"):
        for lazy in (whole_articles(scored), dd.from_pandas(scored, npartitions=5, sort=False)):
            got = mk.compare_terms(lazy, **options)
            if not within:
                same(got, want, "compare_terms")
                continue
            exact = ["outlet", "reference", "term", "variants", "n_target", "n_reference",
                     "total_target", "total_reference", "n_stories"]
            pd.testing.assert_frame_equal(got[exact], want[exact], check_exact=True)
            pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)
            assert got.attrs["compare_terms"] == want.attrs["compare_terms"]


def test_an_article_in_two_partitions_is_summed_once(scored):
    options = {"measures": ["sentiment_compound"], "n_boot": 100, "n_perm": 100}
    want = mk.compare_groups(scored, **options)
    with dask.config.set(scheduler="sync"):
        got = mk.compare_groups(dd.from_pandas(scored, npartitions=7, sort=False), **options)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12, atol=1e-12)
    assert got["n"].tolist() == want["n"].tolist()
    assert got["n_sentences"].tolist() == want["n_sentences"].tolist()


def test_a_group_that_changes_between_partitions_is_refused(scored):
    article = scored["article_id"].value_counts().index[0]
    rows = scored[scored["article_id"] == article]
    first, second = rows.iloc[:2], rows.iloc[2:].assign(outlet="somewhere else")
    rest = scored[scored["article_id"] != article]
    lazy = dd.concat([dd.from_pandas(p, npartitions=1, sort=False)
                      for p in (pd.concat([rest, first]), second)])
    with dask.config.set(scheduler="sync"), pytest.raises(ValueError, match="not constant"):
        mk.compare_groups(lazy, measures="sentiment_compound", n_boot=10, n_perm=10)
    with pytest.raises(ValueError, match="not constant"):
        mk.compare_groups(pd.concat([rest, first, second]), measures="sentiment_compound")
