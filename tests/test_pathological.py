"""Pathological sizes finish: a 10 MB article, a 1 MB line without punctuation, 100,000 one-line
articles, an article of 50,000 bullet lines.

Each test has a hard timeout (pytest-timeout) far above its normal time, so catastrophic regex
backtracking or a quadratic step fails the test instead of hanging CI. Speed itself is measured
by the benchmark (``python benchmarks/run.py --pathological``), not here.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit._validation import CONTENT_KINDS

SENTENCE = "The minister said the plan would work, and the talks in Brussels went on. "


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _spans_exact(articles: pd.DataFrame, sentences: pd.DataFrame) -> None:
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    for aid, start, end, text in zip(sentences["article_id"], sentences["start"],
                                     sentences["end"], sentences["text"], strict=True):
        assert texts[aid][start:end] == text


@pytest.fixture(scope="module")
def seeds_other_story(seeds_articles):
    """The seeds, as two more outlets' articles in the story of the big article."""
    return seeds_articles.assign(story_id="big")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_ten_megabyte_article(seeds_other_story):
    text = SENTENCE * (10_000_000 // len(SENTENCE))
    with pytest.raises(ValueError, match="more than max_chars"):
        mk.read_articles([{"text": text, "outlet": "X"}])
    big = mk.read_articles([{"text": text, "outlet": "X", "article_id": "big",
                             "story_id": "big"}], max_chars=None)
    assert big["text"][0] == text.strip()
    articles = pd.concat([big, seeds_other_story], ignore_index=True)
    sentences = mk.split_sentences(articles)
    n_big = (sentences["article_id"] == "big").sum()
    assert n_big == text.count(". ")
    _spans_exact(articles, sentences)
    scored = _quiet(mk.score_sentiment, sentences)
    scored = mk.score_frames(scored)
    assert scored["sentiment_compound"].notna().sum() >= n_big
    assert scored.loc[scored["article_id"] == "big", "frame_terms"].str.len().gt(0).all()
    # compare_coverage on it takes about 45 s (linear: hashing 133,000 sentences, one fact each);
    # the bullets test below covers one long article against short ones


@pytest.mark.timeout(120)
def test_megabyte_line_without_punctuation():
    line = ("word " * 200_000).strip()
    # ingest refuses it (not prose), with a reason; a frame built by hand goes through
    with pytest.raises(ValueError, match="without a line break or sentence punctuation"):
        mk.read_articles([{"text": f"A first sentence.\n{line}\nThe end.", "outlet": "A"}],
                         max_chars=None)
    articles = pd.DataFrame({"article_id": ["a"], "outlet": ["A"],
                             "text": [f"A first sentence.\n{line}\nThe end."]})
    sentences = mk.split_sentences(articles)
    assert sentences["text"].tolist() == ["A first sentence.", line, "The end."]
    scored = _quiet(mk.score_sentiment, sentences)
    scored = _quiet(mk.score_readability, scored, level="sentence")
    scored = mk.score_frames(scored)
    assert scored["n_words"].tolist() == [3, 200_000, 2]
    assert scored["readability_mean_sentence_length"].tolist()[1] == 200_000
    assert np.isfinite(scored["sentiment_compound"]).all()


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_hundred_thousand_one_line_articles():
    records = [{"text": f"Article {i} says the minister met {i % 97} officials on day {i % 31}.",
                "outlet": f"O{i % 5}", "story_id": f"s{i // 10}"} for i in range(100_000)]
    articles = mk.read_articles(records)
    assert len(articles) == 100_000 and articles["article_id"].is_unique
    sentences = mk.split_sentences(articles)
    assert len(sentences) == 100_000
    assert (sentences["start"] == 0).all()
    assert (sentences["end"] == articles["text"].str.len().to_numpy()).all()
    scored = mk.score_frames(sentences)
    assert len(scored) == 100_000
    groups = _quiet(mk.compare_groups, scored, measures=["frame_economic"], n_boot=20, n_perm=20)
    assert set(groups["measure"]) == {"frame_economic"}


@pytest.mark.timeout(180)
def test_fifty_thousand_bullet_lines(seeds_other_story):
    text = "Key Points:\n" + "\n".join(
        f"- Point {i}: the minister said {i % 1000} things" for i in range(50_000))
    big = mk.read_articles([{"text": text, "outlet": "X", "article_id": "big",
                             "story_id": "big"}], max_chars=None)
    articles = pd.concat([big, seeds_other_story], ignore_index=True)
    sentences = mk.split_sentences(articles)
    mine = sentences[sentences["article_id"] == "big"]
    assert mine["kind"].value_counts().to_dict() == {"bullet": 50_000, "heading": 1}
    _spans_exact(articles, sentences)
    scored = mk.score_frames(_quiet(mk.score_sentiment, sentences))
    assert scored.loc[scored["kind"] == "bullet", "sentiment_compound"].notna().all()
    # one long article against short ones: compare_coverage computed every pair within the
    # long article too (50,000 squared similarities, over 6 minutes); only other outlets count
    coverage = _quiet(mk.compare_coverage, scored)
    assert (coverage.alignment["article_id"] == "big").sum() == 2 * 50_000
    assert set(coverage.alignment["other_outlet"]) == {"X", "outlet A", "outlet B"}


def test_coverage_against_other_outlets_only_is_the_full_computation(seeds_sentences,
                                                                    monkeypatch):
    from mediakit.compare import _align

    fast = _quiet(mk.compare_coverage, seeds_sentences)
    rows = _align.StorySimilarity.rows

    def full(self, index, cols=None):  # the whole matrix, then the columns asked for
        out = rows(self, index)
        return out if cols is None else out[:, cols]

    monkeypatch.setattr(_align.StorySimilarity, "rows", full)
    slow = _quiet(mk.compare_coverage, seeds_sentences)
    for name in ("alignment", "facts", "presence", "omissions"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name))
    assert (fast.alignment["status"] != "unique").any()  # some sentences are matched
    assert fast.alignment["sentence_id"].isin(
        seeds_sentences.loc[seeds_sentences["kind"].isin(CONTENT_KINDS), "sentence_id"]).all()


@pytest.mark.timeout(120)
def test_coverage_work_grows_linearly_with_the_story(monkeypatch):
    # every sentence of this story shares six words with every other one: comparing all pairs
    # across outlets took 60 s and 2.2 GB at 8,000 articles; candidates are now drawn from the
    # words in at most MAX_WORD_SENTENCES sentences, at most MAX_CANDIDATES per other outlet
    from mediakit.compare import _align

    cells = []
    rows, pairs = _align.StorySimilarity.rows, _align.StorySimilarity.pairs

    def counting_rows(self, index, cols=None):
        out = rows(self, index, cols)
        cells.append(out.size)
        return out

    def counting_pairs(self, index, cols):
        out = pairs(self, index, cols)
        cells.append(out.size)
        return out

    monkeypatch.setattr(_align.StorySimilarity, "rows", counting_rows)
    monkeypatch.setattr(_align.StorySimilarity, "pairs", counting_pairs)
    for n in (1000, 2000):
        cells.clear()
        records = [{"text": f"Article {i} says the minister met {i % 97} officials on day "
                            f"{i % 31}.", "outlet": f"O{i % 5}"} for i in range(n)]
        sentences = mk.split_sentences(mk.read_articles(records))  # one story: "all"
        coverage = _quiet(mk.compare_coverage, sentences)
        assert sum(cells) <= 50 * n  # a bounded number of candidates per sentence
        al = coverage.alignment
        assert len(al) == 4 * n
        # the candidates are the sentences sharing the rare words (the numbers)
        assert (al["status"] != "unique").mean() > 0.95


@pytest.mark.timeout(180)
def test_entities_and_quotes_on_a_sentence_longer_than_spacy_accepts():
    # a run of decimals passes ingest's prose check but is one 1.1-million-character sentence:
    # spaCy refused it (ValueError E088 from extract_entities and extract_quotes) and needs
    # about 1 GB per 100,000 characters below its limit; it is read up to 100,000 characters
    pytest.importorskip("spacy")
    text = ("Angela Merkel said prices were " + "1.5 " * 280_000 + "in all.\n"
            "“We will act,” John Healey said in London.")
    articles = mk.read_articles([{"text": text, "outlet": "A"}], max_chars=None)
    sentences = mk.split_sentences(articles)
    assert sentences["text"].str.len().max() > 1_000_000
    entities = _quiet(mk.extract_entities, sentences)
    assert {"Angela Merkel", "John Healey"} <= set(entities["canonical"])
    quotes = _quiet(mk.extract_quotes, sentences, articles=articles, entities=entities)
    assert quotes.loc[quotes["kind"] == "direct", "speaker"].tolist() == ["John Healey"]
    for table, column in ((entities, "text"), (quotes, "quote")):
        for start, end, value in zip(table["start"], table["end"], table[column], strict=True):
            assert text[start:end] == value
