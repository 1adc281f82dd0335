"""score_sentiment: VADER per sentence, paper reproduction, scopes, identical shortcuts."""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit._errors import LanguageWarning, SchemaError
from mediakit.measures import sentiment

COLUMNS = list(sentiment.COLUMNS)


@functools.cache
def analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader(text: str) -> list[float]:
    """Plain vaderSentiment on the text as given."""
    scores = analyzer().polarity_scores(text)
    return [scores[k] for k in ("neg", "neu", "pos", "compound")]


@pytest.fixture(scope="module")
def nyt(corpora_dir):
    return pd.read_csv(corpora_dir / "vader_nyt" / "nyt_editorial_snippets.tsv", sep="\t")


@pytest.mark.corpora
def test_reproduces_vader_paper_table4_nyt(nyt, corpora_dir):
    from sklearn.metrics import precision_recall_fscore_support

    assert len(nyt) == 5190
    scored = mk.score_sentiment(nyt)  # no kind column: every row is a sentence
    compound = scored["sentiment_compound"].to_numpy()
    rating = nyt["rating"].to_numpy(dtype=float)
    r = np.corrcoef(compound, rating)[0, 1]
    # protocol of SOURCE.md: gold = sign of rating, predicted = sign of compound (threshold 0),
    # support-weighted P/R/F1 over the three classes
    _, recall, f1, _ = precision_recall_fscore_support(
        np.sign(rating), np.sign(compound), average="weighted", zero_division=0)
    paper = pd.read_csv(corpora_dir / "vader_nyt" / "paper_table4_nyt.csv", dtype=str)
    printed = paper[paper["method"].str.contains("VADER")].iloc[0]
    assert 0.47 <= r <= 0.52 and abs(r - float(printed["r_with_ground_truth"])) <= 0.02
    assert 0.53 <= f1 <= 0.57 and abs(f1 - float(printed["f1"])) <= 0.01
    assert recall == pytest.approx(np.mean(np.sign(rating) == np.sign(compound)))


@pytest.mark.corpora
def test_shortcuts_are_identical_to_plain_vader(nyt):
    texts = nyt["text"].tolist() + [
        "I :) love it", "no", "kind of", "VERY", "😁 great", "He said no good", "", "—", "ok!!!",
        "The report is due Friday.", "kind of good", "The, end.",
    ]
    fast = sentiment._score_texts([t for t in texts if t.strip()])
    plain = np.array([vader(t) for t in texts if t.strip()])
    np.testing.assert_array_equal(fast, plain)


def test_scores_per_sentence_like_vader(seeds_sentences):
    out = mk.score_sentiment(seeds_sentences)
    content = out["kind"].isin(["headline", "body", "bullet"])
    assert out.loc[~content, COLUMNS].isna().all().all()
    assert out.loc[content, COLUMNS].notna().all().all()
    for i in np.flatnonzero(content.to_numpy())[:8]:
        text = seeds_sentences["text"].iloc[i].translate(
            str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))
        assert out[COLUMNS].iloc[i].tolist() == vader(text)
    assert out.attrs["sentiment"]["scope"] == "all"


def test_curly_quotes_mapped_in_scoring_input_only():
    frame = pd.DataFrame({"text": ["I don’t like it", "I don't like it", "I like it"]})
    out = mk.score_sentiment(frame)
    assert out["sentiment_compound"].iloc[0] == out["sentiment_compound"].iloc[1] < 0
    assert out["sentiment_compound"].iloc[2] > 0
    assert out["text"].iloc[0] == "I don’t like it"
    assert vader("I don’t like it")[3] > 0  # the vaderSentiment issue #66 being worked around


def test_scopes(seeds_sentences):
    full = mk.score_sentiment(seeds_sentences)
    head = mk.score_sentiment(seeds_sentences, scope="headline")
    body = mk.score_sentiment(seeds_sentences, scope="body")
    own = mk.score_sentiment(seeds_sentences, scope="own_voice")
    quoted = mk.score_sentiment(seeds_sentences, scope="quoted")
    scored = full["sentiment_compound"].notna()
    is_head = seeds_sentences["kind"] == "headline"
    assert head["sentiment_compound"].notna().equals(scored & is_head)
    assert body["sentiment_compound"].notna().equals(scored & ~is_head)
    in_quote = seeds_sentences["in_quote"] >= 0.5
    assert quoted["sentiment_compound"].notna().equals(scored & in_quote)
    assert own["sentiment_compound"].notna().equals(scored & ~in_quote)
    assert quoted["sentiment_compound"].notna().sum() > 0
    assert own["sentiment_compound"].notna().sum() > quoted["sentiment_compound"].notna().sum()
    both = own["sentiment_compound"].fillna(quoted["sentiment_compound"])
    pd.testing.assert_series_equal(both, full["sentiment_compound"])
    with pytest.raises(SchemaError, match="in_quote"):
        mk.score_sentiment(seeds_sentences.drop(columns=["in_quote"]), scope="quoted")
    with pytest.raises(ValueError, match="own_voice"):
        mk.score_sentiment(seeds_sentences, scope="own-voice")


def test_kinds_option(seeds_sentences):
    out = mk.score_sentiment(seeds_sentences, kinds="all")
    blank = seeds_sentences["text"].str.strip() == ""
    assert out.loc[~blank, "sentiment_compound"].notna().all()
    promo = mk.score_sentiment(seeds_sentences, kinds=["promo"])
    assert promo["sentiment_compound"].notna().equals(seeds_sentences["kind"] == "promo")


def test_bad_input():
    frame = pd.DataFrame({"text": ["A lovely day.", None, "", "   ", np.nan, "Awful news."]})
    out = mk.score_sentiment(frame)
    assert out["sentiment_compound"].notna().tolist() == [True, False, False, False, False, True]
    with pytest.raises(TypeError, match="row 1"):
        mk.score_sentiment(pd.DataFrame({"text": ["fine", 3.5]}))
    with pytest.raises(SchemaError):
        mk.score_sentiment(pd.DataFrame({"sentence": ["fine"]}))
    with pytest.raises(SchemaError):
        mk.score_sentiment(pd.DataFrame({"text": ["fine"]}), scope="headline")
    with pytest.raises(TypeError):
        mk.score_sentiment(["a list"])
    with pytest.raises(ValueError):
        mk.score_sentiment(frame, n_jobs=0)


def test_non_english_warns():
    spanish = pd.DataFrame({"text": [
        "El gobierno anunció el lunes nuevas medidas económicas para reducir la inflación, "
        "pero los sindicatos rechazaron la propuesta y convocaron una huelga general.",
        "Según los expertos, las reformas llegarán demasiado tarde para las familias más "
        "pobres del país, que ya sufren las consecuencias de la crisis.",
    ]})
    with pytest.warns(LanguageWarning):
        mk.score_sentiment(spanish)
    english = pd.DataFrame({"text": [
        "The government announced new economic measures on Monday to reduce inflation, but the "
        "unions rejected the proposal and called a general strike.",
        "According to experts, the reforms will come too late for the poorest families in the "
        "country, who are already suffering the consequences of the crisis.",
    ]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", LanguageWarning)
        mk.score_sentiment(english)


def test_identical_with_processes(seeds_sentences):
    one = mk.score_sentiment(seeds_sentences, kinds="all")
    two = mk.score_sentiment(seeds_sentences, kinds="all", n_jobs=2)
    pd.testing.assert_frame_equal(one, two)


def test_contract(seeds_sentences):
    before = seeds_sentences.copy(deep=True)
    out = mk.score_sentiment(seeds_sentences)
    pd.testing.assert_frame_equal(seeds_sentences, before)
    assert list(out.columns) == [*before.columns, *COLUMNS]
    pd.testing.assert_frame_equal(out[list(before.columns)], before)
    empty = mk.score_sentiment(seeds_sentences.iloc[:0])
    assert len(empty) == 0 and set(COLUMNS) <= set(empty.columns)
    with pytest.raises(SchemaError):
        mk.score_sentiment(seeds_sentences.drop(columns=["text"]))


def test_workers_do_not_inherit_the_callers_memory():
    # n_jobs workers come from a fork server (or spawn), not a fork of the caller, so a worker
    # is not charged the caller's whole memory (a notebook holding a corpus: gigabytes each)
    import os

    from mediakit._parallel import worker_pool

    with worker_pool(2) as pool:
        parents = {pool.submit(os.getppid).result() for _ in range(4)}
    assert os.getpid() not in parents
    with worker_pool(1) as pool:
        assert pool is None


def _collector_state():
    import gc

    return gc.get_threshold()[0], gc.get_freeze_count()


def test_workers_collect_garbage_for_chunk_work_and_the_caller_is_untouched():
    # workers freeze their preloaded modules and collect the youngest generation less often
    # (mediakit._parallel._worker_init); the calling process's collector is left as it was
    import gc

    from mediakit._parallel import worker_pool

    before = gc.get_threshold(), gc.get_freeze_count()
    with worker_pool(2) as pool:
        states = {pool.submit(_collector_state).result() for _ in range(4)}
    assert all(threshold == 10_000 and frozen > 10_000 for threshold, frozen in states)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
