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


def test_occurrences_add_up_to_compare_terms_counts(seeds_sentences):
    keys = mk.compare_terms(seeds_sentences, min_count=1, ngram_range=(1, 2))
    kwic = mk.explain_terms(seeds_sentences, terms=keys)
    got = kwic.groupby(["outlet", "term"]).size()
    want = keys.set_index(["outlet", "term"])["n_target"]
    want = want[want > 0]
    pd.testing.assert_series_equal(got.sort_index(), want.sort_index(), check_names=False,
                                   check_dtype=False)
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
