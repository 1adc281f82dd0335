"""Property tests: arbitrary Unicode, HTML soup, unbalanced quotes and long lines through ingest,
split, every ``score_*``, the extract_* and compare_* functions. Only documented exceptions, no
lost article, and every offset exact (``articles.text[start:end]`` is the row's text)."""

from __future__ import annotations

import warnings

import pytest

import mediakit as mk


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


# -- regressions found by the properties below (kept as plain tests) ---------------------------


def test_compare_actors_with_entities_but_no_attributed_quote():
    # pandas 3 raised TypeError from DataFrame.join(None) when no quote had a speaker
    pytest.importorskip("spacy")
    articles = mk.read_articles([
        {"text": "Angela Merkel visited Paris on Monday.", "outlet": "A"},
        {"text": "Emmanuel Macron met Angela Merkel.", "outlet": "B"},
    ])
    sentences = mk.split_sentences(articles)
    actors = _quiet(mk.compare_actors, sentences)
    assert len(actors) and (actors["n_quotes"] == 0).all()
    merkel = actors[actors["canonical"] == "Angela Merkel"]
    assert sorted(merkel["outlet"]) == ["A", "B"] and (merkel["n_mentions"] == 1).all()
