"""Every mediakit warning of the ingest, segment and measures layers names the caller's file and
line (the user's script or notebook cell), not a line inside mediakit or its dask wrapper."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mediakit as mk

GERMAN = ["Die Regierung hat am Montag beschlossen, dass die Steuern für Unternehmen im nächsten "
          "Jahr gesenkt werden, obwohl viele Ökonomen davor gewarnt haben.",
          "Der Bundestag wird über den Entwurf erst nach der Sommerpause abstimmen, weil die "
          "Koalition sich über die Finanzierung noch nicht einig ist."]
GOOD = {"text": "The minister said the plan would go ahead. Talks continue on Friday.",
        "outlet": "A"}


def _caught(call):
    """The mediakit warnings ``call()`` raises, each with the line of this file that called."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [w for w in caught if issubclass(w.category, mk.MediakitWarning)]


def _german_sentences():
    return pd.DataFrame({"article_id": "a", "sentence_id": range(2), "kind": "body",
                         "text": GERMAN})


CALLS = {
    "score_sentiment": lambda: mk.score_sentiment(_german_sentences()),
    "score_readability": lambda: mk.score_readability(_german_sentences()),
    "split_sentences": lambda: mk.split_sentences(
        mk.load_example("seeds").assign(text=["", "Body text here."])),
    "split_sentences-no-content": lambda: mk.split_sentences(
        mk.load_example("seeds").assign(text=["Photo: Reuters", "Body text here."])),
    "read_articles-skipped": lambda: mk.read_articles([GOOD, {"text": "", "outlet": "B"}],
                                                      on_error="skip"),
    "read_articles-dates": lambda: mk.read_articles([{**GOOD, "published": "soon"}]),
    "read_articles-ambiguous-dates": lambda: mk.read_articles(
        [{**GOOD, "published": "10/04/2025", "article_id": "x"}]),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_the_warning_points_at_the_callers_line(name):
    caught = _caught(CALLS[name])
    assert caught, f"{name} did not warn"
    for w in caught:
        assert w.filename == __file__, (name, w.filename, w.lineno, str(w.message)[:80])


def test_a_lexicon_warning_points_at_the_caller(tmp_path):
    path = tmp_path / "cut.dic"
    path.write_text("%\n1 kept\n2 empty\n%\nword 1\n", encoding="utf-8")
    caught = _caught(lambda: mk.load_lexicon(path))
    assert [w.filename for w in caught] == [__file__]


def test_the_target_sentiment_fallback_points_at_the_caller(seeds_sentences, monkeypatch):
    from mediakit.measures import _target_features

    monkeypatch.setattr(_target_features, "encoder_available", lambda: False)
    first = seeds_sentences.iloc[:2]
    mentions = first[["article_id", "sentence_id", "start"]].assign(end=first["start"] + 3)
    caught = _caught(lambda: mk.score_target_sentiment(mentions, sentences=seeds_sentences))
    assert caught and {w.filename for w in caught} == {__file__}


def test_through_the_dask_wrapper_on_pandas_input():
    # the public names are dask_aware wrappers around the decorated functions: two extra frames
    caught = _caught(lambda: mk.score_sentiment(_german_sentences()))
    assert caught[0].filename == __file__
    assert mk.score_sentiment.__wrapped__.__wrapped__  # dask_aware -> validate_params -> body


DASK_CALLS = {
    "score_sentiment": lambda dd: mk.score_sentiment(dd.from_pandas(_german_sentences(),
                                                                    npartitions=1)),
    "score_readability": lambda dd: mk.score_readability(dd.from_pandas(_german_sentences(),
                                                                        npartitions=1)),
    "split_sentences": lambda dd: mk.split_sentences(dd.from_pandas(
        mk.load_example("seeds").assign(text=["Photo: Reuters", "Body text here."]),
        npartitions=2)),
}


@pytest.mark.parametrize("name", list(DASK_CALLS))
def test_on_a_dask_frame_the_warning_points_at_compute(name):
    # the work (and the warning) happens at compute(); with the caller's frame on the stack
    # (the synchronous scheduler) dask's own frames are skipped too
    import dask
    import dask.dataframe as dd

    lazy = _caught(lambda: DASK_CALLS[name](dd))  # building the graph warns nothing
    assert lazy == []
    frame = DASK_CALLS[name](dd)
    with dask.config.set(scheduler="sync"):
        caught = _caught(lambda: frame.compute())
    assert caught, f"{name} did not warn at compute"
    assert {w.filename for w in caught} == {__file__}


def test_options_are_checked_on_dask_input_too(seeds_sentences):
    # the check runs before the dask wrapper sets n_jobs=1 inside each partition
    dd = pytest.importorskip("dask.dataframe")
    lazy = dd.from_pandas(seeds_sentences, npartitions=1)
    for func in (mk.score_sentiment, mk.score_readability, mk.score_frames):
        with pytest.raises(TypeError, match="n_jobs must be an integer"):
            func(lazy, n_jobs="2")
