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


def test_partials_folded_in_runs_keep_their_order():
    """fold_in_runs: consecutive partials folded one at a time into ``runs`` sums, in order;
    joined by the tree they give what one combine of all of them gives."""
    from mediakit._dask import combine_in_tree, fold_in_runs

    def joined(parts):
        return [x for p in parts for x in p]

    leaves = [dask.delayed(lambda k: [k])(k) for k in range(23)]
    with dask.config.set(scheduler="sync"):
        runs = dask.compute(*fold_in_runs(leaves, joined, 4))
        (total,) = dask.compute(*combine_in_tree(fold_in_runs(leaves, joined, 4), joined,
                                                 down_to=1))
    assert [len(r) for r in runs] == [6, 6, 6, 5]
    assert joined(runs) == list(range(23)) == total
    # each fold step adds one partial to the sum so far: a run of 6 leaves takes 5 steps
    assert len(fold_in_runs(leaves, joined, 4)[0].dask) == 6 + 5


def test_within_story_sums_add_up_the_same_in_any_grouping(scored):
    """_add_strata over a union of vocabularies (by hashing): the sums of three partitions
    added at once, or two then the third, are the same once sorted, forms included."""
    from mediakit.compare import terms as t

    codes = pd.factorize(scored["article_id"])[0]
    data = scored.assign(story_id=[f"s{c % 3}" for c in codes])
    plan = t._plan(data, by="outlet", target=None, reference="rest", measure="g2",
                   text="text", story="story_id", stratify=None, kinds=None,
                   stop_words="english", ngram_range=(1, 1), min_count=1,
                   correction="none", fold_spelling=True, prior_scale=1.0)
    rows = t._content_rows(data, plan)
    groups = pd.unique(rows["outlet"])
    targets, refs = t._resolve_groups(groups, None, "rest")
    parts = [t._strata_sums(rows[rows["story_id"] == s], plan, targets, refs)
             for s in ("s0", "s1", "s2")]
    at_once = t._add_strata(parts).sorted()
    in_two = t._add_strata([t._add_strata(parts[:2]), parts[2]]).sorted()
    assert list(at_once.vocab) == sorted(set().union(*(p.vocab for p in parts)))
    assert list(in_two.vocab) == list(at_once.vocab) and in_two.forms == at_once.forms
    for target, own in at_once.sums.items():
        for name, values in own["sums"].items():
            np.testing.assert_allclose(in_two.sums[target]["sums"][name], values, rtol=1e-12)
