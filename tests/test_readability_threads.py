"""score_readability in several threads of one process at once equals it run alone.

dask's default (threaded) scheduler scores the partitions of a frame concurrently in one
process, so the per-word table every call shares must not mix one call's words into another's.
The tests start from an empty table, so every thread adds words to it at the same time.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.measures import readability

N_THREADS = 4


@pytest.fixture(scope="module")
def triplet_sentences(corpora_dir) -> pd.DataFrame:
    """The sentences of the first 40 allsides_triplets articles (real news text)."""
    raw = pd.read_json(corpora_dir / "allsides_triplets" / "articles.jsonl", lines=True,
                       dtype=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = mk.read_articles(raw.iloc[:40], progress=False)
        return mk.split_sentences(articles, progress=False)


def chunks_of(sentences: pd.DataFrame, n: int) -> list[pd.DataFrame]:
    """``n`` frames of whole articles (every n-th article), each with its own words."""
    ids = sentences["article_id"].unique()
    return [sentences[sentences["article_id"].isin(ids[k::n])] for k in range(n)]


def alone(frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    readability._TABLE = readability._WordTable()
    return mk.score_readability(frame, **kwargs)


@pytest.mark.parametrize("level", ["article", "sentence"])
def test_concurrent_calls_equal_each_call_alone(triplet_sentences, level, monkeypatch):
    monkeypatch.setattr(readability, "_TABLE", readability._WordTable())
    chunks = chunks_of(triplet_sentences, N_THREADS)
    want = [alone(c, level=level) for c in chunks]
    for _ in range(3):  # each round starts from an empty table: every thread adds words
        readability._TABLE = readability._WordTable()
        with ThreadPoolExecutor(N_THREADS) as pool:
            got = list(pool.map(lambda c: mk.score_readability(c, level=level), chunks))
        for g, w in zip(got, want, strict=True):
            pd.testing.assert_frame_equal(g, w, check_exact=True)
    assert all(w["readability_flesch_reading_ease"].notna().sum() > 100 for w in want)


def test_the_same_frame_in_every_thread(triplet_sentences, monkeypatch):
    monkeypatch.setattr(readability, "_TABLE", readability._WordTable())
    want = alone(triplet_sentences)
    readability._TABLE = readability._WordTable()
    with ThreadPoolExecutor(N_THREADS) as pool:
        got = list(pool.map(lambda _: mk.score_readability(triplet_sentences),
                            range(N_THREADS)))
    for g in got:
        pd.testing.assert_frame_equal(g, want, check_exact=True)


def test_dask_threaded_scheduler_equals_pandas(triplet_sentences, monkeypatch):
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    monkeypatch.setattr(readability, "_TABLE", readability._WordTable())
    # partitions of whole articles, in the sentences' order
    ids = triplet_sentences["article_id"].unique()
    part = pd.Series(np.arange(len(ids)) * N_THREADS // len(ids), index=ids)
    frames = [triplet_sentences[triplet_sentences["article_id"].map(part) == k]
              for k in range(N_THREADS)]
    want = alone(triplet_sentences)
    readability._TABLE = readability._WordTable()
    lazy = mk.score_readability(dd.from_delayed([dask.delayed(f) for f in frames],
                                                meta=triplet_sentences.iloc[:0]))
    got = lazy.compute(scheduler="threads", num_workers=N_THREADS)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
