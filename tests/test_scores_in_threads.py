"""The other score_* functions in several threads of one process at once equal them run alone.

dask's threaded scheduler scores partitions concurrently in one process; the VADER analyser,
the compiled frame lexicons (with their per-word memos) and the target-sentiment encoder are
shared by every call. (score_readability: ``tests/test_readability_threads.py``.)
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.measures import _matcher

N_THREADS = 4


@pytest.fixture(scope="module")
def chunks(corpora_dir) -> list[pd.DataFrame]:
    """Sentences of 40 allsides_triplets articles, in 4 frames of whole articles."""
    raw = pd.read_json(corpora_dir / "allsides_triplets" / "articles.jsonl", lines=True,
                       dtype=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sentences = mk.split_sentences(mk.read_articles(raw.iloc[:40], progress=False),
                                       progress=False)
    ids = sentences["article_id"].unique()
    return [sentences[sentences["article_id"].isin(ids[k::N_THREADS])]
            for k in range(N_THREADS)]


def assert_same_in_threads(score, inputs, rounds: int = 2) -> list[pd.DataFrame]:
    want = [score(x) for x in inputs]
    for _ in range(rounds):
        with ThreadPoolExecutor(N_THREADS) as pool:
            got = list(pool.map(score, inputs))
        for g, w in zip(got, want, strict=True):
            pd.testing.assert_frame_equal(g, w, check_exact=True)
    return want


def test_score_sentiment_in_threads(chunks):
    want = assert_same_in_threads(mk.score_sentiment, chunks)
    assert all((w["sentiment_compound"].abs() > 0.05).sum() > 100 for w in want)


@pytest.mark.parametrize("lexicon", ["policy_frames", "gvfc_frames"])
def test_score_frames_in_threads(chunks, lexicon, monkeypatch):
    # a tiny memo limit: the shared per-word memos are emptied again and again meanwhile
    monkeypatch.setattr(_matcher, "_MEMO_LIMIT", 5)
    want = assert_same_in_threads(lambda c: mk.score_frames(c, lexicon=lexicon), chunks)
    frame_columns = [c for c in want[0] if c.startswith("frame_") and c != "frame_terms"]
    assert all(np.nansum(w[frame_columns].to_numpy()) > 20 for w in want)  # NaN: not scored


def test_score_target_sentiment_in_threads(chunks):
    # MiniLM: one tokenizer and one encoder for every thread (the VADER model's features are
    # score_sentiment's analyser, above)
    pytest.importorskip("spacy")
    pytest.importorskip("sentence_transformers")
    small = [c[c["article_id"].isin(c["article_id"].unique()[:2])] for c in chunks]
    pairs = [(mk.extract_entities(c), c) for c in small]
    want = assert_same_in_threads(
        lambda p: mk.score_target_sentiment(p[0], sentences=p[1], model="minilm"), pairs,
        rounds=1)
    assert all(len(w) > 20 for w in want)
    assert {"negative", "positive"} <= set(pd.concat(want)["target_sentiment"])
