"""explain_terms: every occurrence of a keyness term in context, with exact offsets."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import mediakit as mk


def test_every_defence_and_defense_on_the_seeds(seeds_articles, seeds_sentences):
    every_kind = sorted(seeds_sentences["kind"].unique())
    kwic = mk.explain_terms(seeds_sentences, terms=["defence"], kinds=every_kind)
    text = seeds_articles.set_index("article_id")["text"]
    want = sorted((a, m.start(), m.end()) for a, t in text.items()
                  for m in re.finditer(r"\b[Dd]efen[cs]e\b", t))
    got = sorted(zip(kwic["article_id"], kwic["start"], kwic["end"], strict=True))
    assert got == want and len(got) >= 12
    assert set(kwic["term"]) == {"defense"}
    for a, s, e, match, sentence in zip(kwic["article_id"], kwic["start"], kwic["end"],
                                        kwic["match"], kwic["sentence"], strict=True):
        assert text[a][s:e] == match and match in sentence
    # the same term written the American way finds the same occurrences
    same = mk.explain_terms(seeds_sentences, terms="Defense", kinds=every_kind)
    pd.testing.assert_frame_equal(same, kwic)
    apart = mk.explain_terms(seeds_sentences, terms="defence", kinds=every_kind, fold_spelling=False)
    assert set(apart["match"].str.lower()) == {"defence"} and 0 < len(apart) < len(kwic)


def occurrences_checked(sentences) -> pd.DataFrame:
    """explain_terms of every compare_terms term (words and pairs), each (outlet, term) count
    asserted equal to n_target."""
    keys = mk.compare_terms(sentences, min_count=1, ngram_range=(1, 2))
    kwic = mk.explain_terms(sentences, terms=keys)
    got = kwic.groupby(["outlet", "term"]).size()
    want = keys.set_index(["outlet", "term"])["n_target"]
    want = want[want > 0]
    pd.testing.assert_series_equal(got.sort_index(), want.sort_index(), check_names=False,
                                   check_dtype=False)
    return kwic


def test_occurrences_add_up_to_compare_terms_counts(seeds_sentences):
    kwic = occurrences_checked(seeds_sentences)
    assert {"US", "contact group"} <= set(kwic["term"])
    assert set(kwic.loc[kwic["term"] == "US", "match"]) == {"US", "U.S."}


def test_examples_per_group_and_contract(seeds_sentences):
    examples = mk.explain_terms(seeds_sentences, terms=["defense", "ceasefire"], per_group=2)
    per = examples.groupby(["term", "outlet"]).size()
    assert (per == 2).all() and len(per) == 3  # outlet A never writes "ceasefire" (0 : 5)
    assert not examples.duplicated(["term", "outlet", "article_id", "sentence_id"]).any()
    assert list(examples.columns) == ["outlet", "story_id", "article_id", "sentence_id", "term",
                                      "match", "start", "end", "sentence"]
    before = seeds_sentences.copy(deep=True)
    empty = mk.explain_terms(seeds_sentences.iloc[:0], terms="defense")
    assert empty.empty and "sentence" in empty.columns
    pd.testing.assert_frame_equal(seeds_sentences, before)
    with pytest.raises(mk.SchemaError):
        mk.explain_terms(seeds_sentences.drop(columns="text"), terms="defense")
    with pytest.raises(TypeError):
        mk.explain_terms(seeds_sentences, terms=3)
    with pytest.raises(ValueError, match="per_group"):
        mk.explain_terms(seeds_sentences, terms="defense", per_group=0)


@pytest.fixture(scope="module")
def triplet_sentences(corpora_dir):
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False).iloc[:90]
    return mk.split_sentences(articles, progress=False)


@pytest.mark.corpora
def test_occurrences_add_up_on_real_news(triplet_sentences):
    """Scraped news writes "don’t" or "Trump’s" with typographic punctuation, which
    compare_terms folds before counting: explain_terms finds the same tokens, so every
    (outlet, term) count matches (1,320 of 151,075 differed on the triplets before)."""
    text = " ".join(triplet_sentences["text"])
    assert "’" in text and ("–" in text or "—" in text)
    kwic = occurrences_checked(triplet_sentences)
    assert (kwic["term"].str.contains("'")).any()  # "don't" and the like, found as one token


@pytest.mark.corpora
def test_only_sentences_that_may_hold_a_term_are_read(triplet_sentences, monkeypatch):
    """explain_terms reads closely only the sentences where a token of a wanted term's first
    word occurs (found in one pass over the joined texts); reading every sentence gives the
    same rows."""
    from mediakit.compare import kwic as module

    terms = ["US", "defense", "Supreme Court", "don't", "says", "abortion", "percent"]
    fast = mk.explain_terms(triplet_sentences, terms=terms)
    examples = mk.explain_terms(triplet_sentences, terms=terms, per_group=2)
    calls = []
    original = module._tokens

    def counted(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(module, "_tokens", counted)
    mk.explain_terms(triplet_sentences, terms=terms)
    n_read = len(calls)
    monkeypatch.setattr(module, "_candidates",
                        lambda texts, words, *a: {w: range(len(texts)) for w in words})
    slow = mk.explain_terms(triplet_sentences, terms=terms)
    pd.testing.assert_frame_equal(fast, slow)
    # the first two sentences per (term, outlet) of every occurrence, in reading order
    want = slow.drop_duplicates(["term", "outlet", "article_id", "sentence_id"])
    want = want.groupby(["term", "outlet"], sort=False).head(2).reset_index(drop=True)
    pd.testing.assert_frame_equal(examples, want)
    assert examples.groupby(["term", "outlet"]).size().max() == 2
    assert len(fast) > 100 and n_read < len(calls) / 2
    assert set(fast["term"]) == set(terms)
