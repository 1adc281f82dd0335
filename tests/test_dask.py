"""Dask DataFrames through the public functions, on a real ``dask.distributed`` cluster.

Every row-wise function (split_sentences, score_*) returns a lazy dask frame whose ``meta``
matches what it computes; compare_groups and compare_terms finish in pandas from per-partition
sums. Results must equal the pandas results on the same data.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import mediakit as mk

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.filterwarnings("ignore::mediakit.MediakitWarning")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def articles(corpora_dir):
    frame = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                             progress=False)
    return frame.iloc[:15].reset_index(drop=True)


@pytest.fixture(scope="module")
def sentences(articles):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return mk.split_sentences(articles)


def by_article(sentences: pd.DataFrame, n: int = 3):
    """A dask frame of ``n`` partitions cut at article boundaries (as split_sentences makes)."""
    ids = sentences["article_id"].unique()
    parts = [sentences[sentences["article_id"].isin(chunk)] for chunk in np.array_split(ids, n)]
    return dd.concat([dd.from_pandas(p, npartitions=1, sort=False) for p in parts])


def computed(ddf) -> pd.DataFrame:
    return ddf.compute().reset_index(drop=True)


def assert_same(got: pd.DataFrame, want: pd.DataFrame, **kw):
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                  check_dtype=False, **kw)


def assert_meta_matches(ddf, result: pd.DataFrame):
    assert list(ddf.columns) == list(result.columns)
    for col in result.columns:
        meta_kind = ddf._meta[col].dtype.kind
        assert meta_kind == result[col].dtype.kind or {meta_kind, result[col].dtype.kind} <= {
            "O", "U", "T"}, col


def test_pandas_frames_are_not_dask():
    from mediakit._dask import is_dask_frame

    assert not is_dask_frame(pd.DataFrame({"a": [1]}))
    assert is_dask_frame(dd.from_pandas(pd.DataFrame({"a": [1]}), npartitions=1))


@pytest.mark.corpora
def test_split_sentences_per_partition_equals_pandas(client, articles, sentences):
    lazy = mk.split_sentences(dd.from_pandas(articles, npartitions=3))
    assert isinstance(lazy, dd.DataFrame)
    got = computed(lazy)
    assert_meta_matches(lazy, got)
    assert_same(got, sentences)
    # each article's sentences stay in its article's partition
    owners = lazy.map_partitions(lambda p: p[["article_id"]].drop_duplicates(),
                                 meta={"article_id": "str"}).compute()
    assert owners["article_id"].is_unique


@pytest.mark.corpora
@pytest.mark.parametrize("score", ["score_sentiment", "score_readability", "score_frames"])
def test_score_functions_on_dask_equal_pandas(client, sentences, score):
    func = getattr(mk, score)
    want = func(sentences)
    lazy = func(by_article(sentences))
    assert lazy.npartitions == 3
    assert isinstance(lazy, dd.DataFrame)
    got = computed(lazy)
    assert_meta_matches(lazy, got)
    assert_same(got, want, check_exact=False, rtol=1e-12)


@pytest.mark.corpora
def test_article_readability_needs_whole_articles_per_partition(client, articles, sentences):
    # split from a dask articles frame keeps each article in one partition, so article-level
    # readability computed per partition is the article's own value
    lazy = mk.score_readability(mk.split_sentences(dd.from_pandas(articles, npartitions=4)))
    want = mk.score_readability(sentences)
    assert_same(computed(lazy), want, check_exact=False, rtol=1e-12)


@pytest.fixture(scope="module")
def scored(sentences):
    out = mk.score_readability(mk.score_sentiment(sentences))
    return mk.score_frames(out).drop(columns=["frame_terms"])


@pytest.mark.corpora
@pytest.mark.parametrize("options", [
    {"measures": ["sentiment_compound", "readability_flesch_kincaid_grade"]},
    {"measures": "sentiment_compound", "stat": "share_above", "unit": "sentence"},
    {"measures": ["frame_economic"], "stat": "per_1000_words", "pairs": "none"},
])
def test_compare_groups_from_partial_sums_equals_pandas(client, scored, options):
    options = {"n_boot": 300, "n_perm": 300, **options}
    want = mk.compare_groups(scored, **options)
    got = mk.compare_groups(dd.from_pandas(scored, npartitions=3, sort=False), **options)
    assert isinstance(got, pd.DataFrame)
    assert_same(got, want, check_exact=False, rtol=1e-12, atol=1e-12)
    assert got.attrs["compare_groups"]["stat"] == want.attrs["compare_groups"]["stat"]


@pytest.mark.corpora
@pytest.mark.parametrize("options", [{}, {"min_count": 1, "ngram_range": (1, 2)},
                                     {"stop_words": ["said", "the"], "stat": "log_ratio"}])
def test_compare_terms_from_partial_counts_equals_pandas(client, scored, options):
    want = mk.compare_terms(scored, **options)
    got = mk.compare_terms(dd.from_pandas(scored, npartitions=3, sort=False), **options)
    assert len(got) > 100
    assert_same(got, want, check_exact=False, rtol=1e-12)


def test_compare_terms_adds_partials_in_a_tree_and_equals_pandas(corpora_dir, monkeypatch):
    """More partitions than SPLIT_EVERY. Within stories (the default), the rows are shuffled so
    each story is whole in one partition and each partition's per-term sums are added up on
    the workers; pooled, the counts are added up on the workers a few at a time (the client
    receives three partials, not twenty). Either table equals pandas."""
    import dask

    from mediakit import _dask as mkdask
    from mediakit.compare import terms as mkterms

    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sentences = mk.split_sentences(articles, progress=False)
    lazy = by_article(sentences, 20)
    stories_seen = []
    sums = mkterms._strata_sums
    monkeypatch.setattr(mkterms, "_strata_sums", lambda part, *a: stories_seen.append(
        set(part["story_id"])) or sums(part, *a))
    received = []
    finish = mkterms._finish
    monkeypatch.setattr(mkterms, "_finish",
                        lambda parts, plan: received.append(len(parts)) or finish(parts, plan))
    with dask.config.set(scheduler="sync"):
        within = mk.compare_terms(lazy)
        assert received == [] and len(stories_seen) > 1
        pooled = mk.compare_terms(lazy, stratify=False)
    # each story was whole in one partition
    assert sum(len(s) for s in stories_seen) == sentences["story_id"].nunique()
    assert received == [-(-20 // mkdask.SPLIT_EVERY)]
    for got, want in ((within, mk.compare_terms(sentences)),
                      (pooled, mk.compare_terms(sentences, stratify=False))):
        assert len(got) > 1000
        assert got.attrs["compare_terms"] == want.attrs["compare_terms"]
        assert_same(got, want, check_exact=False, rtol=1e-12)
        assert got["variants"].equals(want["variants"])


@pytest.mark.corpora
def test_workers_count_the_partial_sums_they_hold(client, scored, monkeypatch):
    """The partial sums a worker holds until they are added up (compare_terms' counts and
    within-story sums, compare_groups' per-article sums) count in its managed memory at about
    what they take, so a worker's memory limit can spill them; as plain dataclasses dask
    measured each at a few dozen bytes."""
    import pickle
    import tracemalloc

    import dask
    from dask.sizeof import sizeof

    from mediakit.compare import groups as mkgroups
    from mediakit.compare import terms as mkterms

    made = []
    for module, name in ((mkterms, "_strata_sums"), (mkterms, "_term_counts"),
                         (mkgroups, "_article_sums")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name,
                            lambda *a, _real=real: made.append(_real(*a)) or made[-1])
    lazy = dd.from_pandas(scored, npartitions=2, sort=False)
    with dask.config.set(scheduler="sync"):
        mk.compare_terms(lazy)
        mk.compare_terms(lazy, stratify=False)
        mk.compare_groups(lazy, measures="sentiment_compound", n_boot=10, n_perm=10)
    assert {type(p).__name__ for p in made} == {"_StrataSums", "_TermCounts", "_ArticleSums"}
    checked = set()
    for partial in made:
        data = pickle.dumps(partial)
        tracemalloc.start()
        try:
            copy = pickle.loads(data)
            taken = tracemalloc.get_traced_memory()[0]
            del copy
        finally:
            tracemalloc.stop()
        if taken > 100_000:  # below, a frame's fixed overhead outweighs its contents
            checked.add(type(partial).__name__)
            assert 0.5 * taken <= sizeof(partial) <= 2 * taken, type(partial).__name__
        assert sizeof(partial) > 200
    assert checked == {"_StrataSums", "_TermCounts"}
    # a worker holding one measures it the same way
    biggest = max(made, key=sizeof)
    held = client.submit(pickle.loads, pickle.dumps(biggest))
    held.result()
    assert sizeof(biggest) > 100_000
    assert client.nbytes(summary=False)[held.key] == pytest.approx(sizeof(biggest), rel=0.01)


def test_each_worker_gives_back_freed_memory_after_a_stage(client):
    """analyze on dask releases freed memory on every worker after each stage."""
    import sys

    from mediakit import _dask_analyze as da

    answers = da._release_everywhere()
    assert set(answers) == set(client.scheduler_info()["workers"])
    if sys.platform.startswith("linux"):
        assert all(answers.values())


def test_missing_column_raises_before_any_work(seeds_sentences):
    lazy = dd.from_pandas(seeds_sentences.drop(columns=["text"]), npartitions=2)
    with pytest.raises(mk.SchemaError):
        mk.score_sentiment(lazy)
    with pytest.raises(mk.SchemaError):
        mk.compare_terms(lazy)


def test_seeds_through_dask_without_a_cluster(seeds_articles, seeds_sentences):
    import dask

    with dask.config.set(scheduler="sync"):
        lazy = mk.score_sentiment(mk.split_sentences(dd.from_pandas(seeds_articles,
                                                                    npartitions=2)))
        got = computed(lazy)
    want = mk.score_sentiment(seeds_sentences)
    assert_same(got, want)
    assert np.isfinite(got["sentiment_compound"]).any()
