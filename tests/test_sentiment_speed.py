"""The sentiment speed-ups give exactly vaderSentiment's results, on real sentences.

Two shortcuts: ``FastAnalyzer`` (vaderSentiment's rules without its redundant bookkeeping) and
``score_sentiment``'s skip of sentences with no lexicon token (VADER then returns neg 0, neu 1,
pos 0, compound 0: every valence is 0, so neither punctuation emphasis nor "but" can change
it). Both are checked against ``SentimentIntensityAnalyzer.polarity_scores`` itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from mediakit.measures._textcheck import QUOTE_MAP
from mediakit.measures._vader import FastAnalyzer

FIELDS = ("neg", "neu", "pos", "compound")

#: vaderSentiment's own demonstration sentences, plus edge cases of its rules.
RULE_CASES = [
    "VADER is smart, handsome, and funny.", "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.", "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.", "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX!", "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "Not bad at all",
    "Sentiment analysis has never been good.", "Sentiment analysis has never been this good!",
    "With VADER, sentiment analysis is the shit!", "On the other hand, VADER is quite bad ass",
    "Without a doubt, excellent idea.", "Roger Dodger is at least compelling as a variation.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "no no good", "It was good but bad but good", "kiss of death", "bus stop", "yeah right!!",
    "", "   ", "...", "?? !!", "Good", "GOOD", "good good good but but", "sort of good",
    "never so good", "without doubt good", "don't like it", "I don’t like it",
    "The committee met on Tuesday.", "NOT GREAT!!!! ????",
]


@pytest.fixture(scope="module")
def analyzers():
    return SentimentIntensityAnalyzer(), FastAnalyzer()


def scores(analyzer, texts):
    return [analyzer.polarity_scores(t) for t in texts]


def test_fast_analyzer_equals_vader_on_rule_cases(analyzers):
    slow, fast = analyzers
    assert scores(fast, RULE_CASES) == scores(slow, RULE_CASES)
    # the cases exercise the rules (not only neutral sentences)
    assert len({s["compound"] for s in scores(slow, RULE_CASES)}) > 20


@pytest.fixture(scope="module")
def real_sentences(corpora_dir):
    nyt = pd.read_csv(corpora_dir / "vader_nyt" / "nyt_editorial_snippets.tsv", sep="\t")
    news = pd.read_json(corpora_dir / "allsides_triplets" / "articles.jsonl", lines=True)
    texts = nyt["text"].astype(str).tolist()
    for text in news["text"].astype(str).iloc[:60]:
        texts.extend(line for line in text.splitlines() if line.strip())
    return texts + [t.translate(QUOTE_MAP) for t in texts]


@pytest.mark.corpora
def test_fast_analyzer_equals_vader_on_real_sentences(analyzers, real_sentences):
    slow, fast = analyzers
    assert len(real_sentences) > 8_000
    assert scores(fast, real_sentences) == scores(slow, real_sentences)


@pytest.mark.corpora
def test_skipping_sentences_without_lexicon_words_changes_nothing(real_sentences):
    from mediakit.measures._vader import _words_and_emoticons
    from mediakit.measures.sentiment import _analyzer, _score_texts

    slow = SentimentIntensityAnalyzer()
    texts = [t for t in real_sentences if t.strip()]
    got = _score_texts(texts)
    want = np.array([[slow.polarity_scores(t)[f] for f in FIELDS] for t in texts])
    np.testing.assert_array_equal(got, want)
    # the shortcut is taken on real data, and its result is VADER's neutral score
    keys = _analyzer()._keys
    skipped = [t for t in texts if t.isascii()
               and keys.isdisjoint(w.lower() for w in _words_and_emoticons(t.strip()))]
    assert len(skipped) > 100
    assert {tuple(slow.polarity_scores(t).values()) for t in skipped} == {(0.0, 1.0, 0.0, 0.0)}
    assert slow.polarity_scores("...") == _analyzer().polarity_scores("...")


def test_but_rule_on_long_sentences_equals_vader():
    # vaderSentiment rescales the *first* value equal to each one it visits; the heap version
    # used on long sentences must reproduce that, duplicates and all
    import random

    from mediakit.measures import _vader

    rng = random.Random(8)
    values = [0, 0, 0, 0.0, 1.5, -1.5, 2.0, 0.75, 3.0, -0.75]
    for _ in range(3000):
        n = rng.randint(1, 200)
        sentiments = [rng.choice(values) for _ in range(n)]
        words = ["w"] * n
        words[rng.randrange(n)] = "but"
        want = SentimentIntensityAnalyzer._but_check(list(words), list(sentiments))
        assert _vader._but_check(list(words), list(sentiments)) == want


@pytest.mark.corpora
def test_fast_analyzer_on_a_long_line_with_emoji_equals_vader(analyzers, corpora_dir):
    slow, fast = analyzers
    news = pd.read_json(corpora_dir / "allsides_triplets" / "articles.jsonl", lines=True)
    line = " ".join(news["text"].astype(str).iloc[:20]).replace("\n", " ")[:15_000]
    line = line[:5000] + " 😁 but 💘" + line[5000:]
    assert fast.polarity_scores(line) == slow.polarity_scores(line)
