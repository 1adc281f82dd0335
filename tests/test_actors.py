"""compare_actors: who each outlet names and quotes in the seeds, and the compare contract."""

from __future__ import annotations

import pandas as pd
import pytest

import mediakit as mk
from mediakit.compare.actors import ACTOR_COLUMNS

# These need spaCy and its model (the nlp extra, part of dev): they never skip.


@pytest.fixture(scope="module")
def extracted(seeds_sentences, seeds_articles):
    ents = mk.extract_entities(seeds_sentences)
    quotes = mk.extract_quotes(seeds_sentences, articles=seeds_articles, entities=ents)
    return ents, quotes


@pytest.fixture(scope="module")
def actors(seeds_sentences, extracted):
    scored = seeds_sentences.assign(sentiment_compound=0.0)
    scored.loc[scored["sentence_id"] % 2 == 1, "sentiment_compound"] = 0.5
    ents, quotes = extracted
    return scored, mk.compare_actors(scored, entities=ents, quotes=quotes)


def _row(table: pd.DataFrame, outlet: str, name: str) -> pd.Series:
    rows = table.loc[(table["outlet"] == outlet) & (table["canonical"] == name)]
    assert len(rows) == 1, (outlet, name)
    return rows.iloc[0]


def test_layout(actors, seeds_articles):
    _, table = actors
    assert list(table.columns) == list(ACTOR_COLUMNS)
    outlets = set(seeds_articles["outlet"])
    # a full grid: every outlet has a row for every actor of the story
    per_actor = table.groupby(["story_id", "canonical"])["outlet"].nunique()
    assert (per_actor == len(outlets)).all()
    assert not table.duplicated(["story_id", "outlet", "canonical"]).any()


def test_seed_actors_per_outlet(actors, seeds_articles):
    _, table = actors
    a, b = seeds_articles["outlet"].tolist()
    for name in ("Kaja Kallas", "Antti Häkkänen"):
        assert _row(table, a, name)["n_mentions"] == 0
        assert _row(table, b, name)["n_mentions"] >= 1
        assert _row(table, b, name)["mentioned_only_here"]
    for name in ("Marco Rubio", "Boris Pistorius"):
        assert _row(table, a, name)["n_mentions"] >= 1
        assert _row(table, b, name)["n_mentions"] == 0
    for name in ("John Healey", "Sébastien Lecornu"):
        assert _row(table, a, name)["n_outlets_mentioning"] == 2
        assert not _row(table, a, name)["mentioned_only_here"]


def test_seed_voices(actors, seeds_articles):
    _, table = actors
    a, b = seeds_articles["outlet"].tolist()
    healey_a = _row(table, a, "John Healey")
    assert healey_a["n_direct"] == 1 and healey_a["n_quote_words"] > 40
    assert _row(table, a, "Marco Rubio")["n_partial"] == 1
    assert _row(table, a, "Marco Rubio")["quoted_only_here"]
    kallas = _row(table, b, "Kaja Kallas")
    assert kallas["n_direct"] == 1 and kallas["quoted_only_here"]
    assert kallas["cue_verbs"] == "emphasized"
    assert _row(table, a, "Boris Pistorius")["mentioned_not_quoted"]
    assert _row(table, a, "Sébastien Lecornu")["mentioned_not_quoted"]


def test_counts_trace_back_to_the_tables(actors, extracted, seeds_articles):
    scored, table = actors
    ents, quotes = extracted
    outlet_of = dict(zip(seeds_articles["article_id"], seeds_articles["outlet"], strict=True))
    ents = ents.assign(outlet=ents["article_id"].map(outlet_of))
    mentions = ents.groupby(["outlet", "canonical"]).size()
    for (outlet, name), n in mentions.items():
        assert _row(table, outlet, name)["n_mentions"] == n
    quotes = quotes.dropna(subset=["speaker"]).assign(outlet=quotes["article_id"].map(outlet_of))
    for (outlet, name), n in quotes.groupby(["outlet", "speaker"]).size().items():
        assert _row(table, outlet, name)["n_quotes"] == n
    # first position and mean sentiment come from the mentioning sentences
    keyed = scored.set_index(["article_id", "sentence_id"])
    for (outlet, name), g in ents.groupby(["outlet", "canonical"]):
        pairs = zip(g["article_id"], g["sentence_id"], strict=True)
        sents = keyed.loc[list(dict.fromkeys(pairs))]
        row = _row(table, outlet, name)
        assert row["first_position"] == pytest.approx(sents["position"].min())
        assert row["mean_sentiment"] == pytest.approx(sents["sentiment_compound"].mean())


def test_without_sentiment_column_mean_is_nan(seeds_sentences, extracted):
    ents, quotes = extracted
    table = mk.compare_actors(seeds_sentences, entities=ents, quotes=quotes)
    assert table["mean_sentiment"].isna().all()
    assert list(table.columns) == list(ACTOR_COLUMNS)


def test_by_another_column(seeds_sentences, extracted):
    ents, quotes = extracted
    table = mk.compare_actors(seeds_sentences, entities=ents, quotes=quotes, by="article_id")
    assert "article_id" in table.columns and "outlet" not in table.columns
    assert table["article_id"].nunique() == seeds_sentences["article_id"].nunique()


def test_complete_false_keeps_named_or_quoted_rows(seeds_sentences, extracted, actors):
    ents, quotes = extracted
    _, full = actors
    short = mk.compare_actors(seeds_sentences, entities=ents, quotes=quotes, complete=False)
    keep = full.loc[(full["n_mentions"] > 0) | (full["n_quotes"] > 0)]
    assert 0 < len(short) == len(keep) < len(full)
    assert set(zip(short["outlet"], short["canonical"], strict=True)) == set(
        zip(keep["outlet"], keep["canonical"], strict=True))


def test_labels_filter(seeds_sentences, extracted):
    ents, quotes = extracted
    table = mk.compare_actors(seeds_sentences, entities=ents, quotes=quotes, labels=["PERSON"])
    assert set(table["label"]) == {"PERSON"}
    assert "Kremlin" in set(quotes["speaker"]) and "Kremlin" not in set(table["canonical"])


# --- contract --------------------------------------------------------------------------------

def test_needs_entities_and_quotes_and_does_not_mutate(seeds_sentences, extracted, actors):
    ents, quotes = extracted
    for kwargs, missing in (({}, "entities= and quotes="), ({"entities": ents}, "quotes="),
                            ({"quotes": quotes}, "entities=")):
        with pytest.raises(ValueError, match=missing) as err:
            mk.compare_actors(seeds_sentences, **kwargs)  # no spaCy run inside: one stage
        assert "mk.extract_entities" in str(err.value) and "mk.extract_quotes" in str(err.value)
    before = seeds_sentences.copy(deep=True)
    table = mk.compare_actors(seeds_sentences, entities=ents, quotes=quotes)
    pd.testing.assert_frame_equal(seeds_sentences, before)
    _, given = actors
    cols = ["outlet", "canonical", "n_mentions", "n_quotes", "n_quote_words"]
    pd.testing.assert_frame_equal(table[cols], given[cols])


def test_labels_are_extract_entities_labels(seeds_sentences, extracted, actors):
    ents, _quotes = extracted
    _, table = actors
    named = table[table["canonical"].isin(set(ents["canonical"]))]
    given = ents.drop_duplicates("canonical").set_index("canonical")["label"]
    assert len(named) > 0
    assert (named["label"] == named["canonical"].map(given)).all()


def test_story_and_by_are_any_columns(seeds_sentences, extracted, actors):
    ents, quotes = extracted
    renamed = seeds_sentences.rename(columns={"story_id": "event"}).assign(
        side=seeds_sentences["outlet"].map({"outlet A": "left", "outlet B": "right"}))
    table = mk.compare_actors(renamed, entities=ents, quotes=quotes, by="side", story="event")
    assert table.attrs["roles"] == {"by": "side", "story": "event"}
    assert list(table.columns[:2]) == ["event", "side"]
    _, given = actors
    assert table["n_mentions"].tolist() == given["n_mentions"].tolist()
    assert table["side"].tolist() == given["outlet"].map(
        {"outlet A": "left", "outlet B": "right"}).tolist()


def test_empty_input(seeds_sentences, extracted):
    ents, quotes = extracted
    out = mk.compare_actors(seeds_sentences.iloc[0:0], entities=ents, quotes=quotes)
    assert list(out.columns) == list(ACTOR_COLUMNS) and out.empty


@pytest.mark.parametrize("column", ["outlet", "story_id"])
def test_missing_column_raises(seeds_sentences, extracted, column):
    ents, quotes = extracted
    with pytest.raises(mk.SchemaError, match=column):
        mk.compare_actors(seeds_sentences.drop(columns=[column]), entities=ents, quotes=quotes)


def test_missing_column_in_given_tables(seeds_sentences, extracted):
    ents, quotes = extracted
    with pytest.raises(mk.SchemaError, match="canonical"):
        mk.compare_actors(seeds_sentences, entities=ents.drop(columns=["canonical"]),
                          quotes=quotes)
    with pytest.raises(mk.SchemaError, match="speaker"):
        mk.compare_actors(seeds_sentences, entities=ents, quotes=quotes.drop(columns=["speaker"]))


# --- real data: the first stories of allsides_triplets (three outlets each) --------------------

@pytest.fixture(scope="module")
def triplets(corpora_dir):
    import json

    path = corpora_dir / "allsides_triplets" / "articles.jsonl"
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(15), f, strict=False)]
    articles = mk.read_articles(pd.DataFrame(rows))
    sentences = mk.split_sentences(articles)
    ents = mk.extract_entities(sentences)
    quotes = mk.extract_quotes(sentences, articles=articles, entities=ents)
    return articles, sentences, ents, quotes


@pytest.mark.corpora
def test_triplets_offsets_and_speakers(triplets):
    articles, _, ents, quotes = triplets
    text = dict(zip(articles["article_id"], articles["text"], strict=True))
    for table, col in ((ents, "text"), (quotes, "quote")):
        assert len(table) > 50
        for aid, s, e, t in zip(table["article_id"], table["start"], table["end"], table[col],
                                strict=True):
            assert text[aid][s:e] == t
    assert set(quotes["speaker"].dropna()) <= set(ents["canonical"])
    assert set(quotes["kind"]) == {"direct", "partial", "indirect"}
    assert quotes["speaker"].notna().mean() > 0.7


@pytest.mark.corpora
def test_triplets_surnames_resolved_within_story(triplets):
    from mediakit.measures._names import name_key

    articles, _, ents, _ = triplets
    story = ents["article_id"].map(dict(zip(articles["article_id"], articles["story_id"],
                                            strict=True)))
    people = ents.assign(story_id=story).loc[ents["label"] == "PERSON"]
    for _, g in people.groupby("story_id"):
        names = set(g["canonical"])
        full = [n for n in names if " " in n]
        keys = {name_key(n) for n in names}
        assert len(keys) == len(names)  # no two canonicals that only differ in spelling
        surnames = pd.Series([name_key(n).split()[-1] for n in full]).value_counts()
        for n in names - set(full):
            # a lone surname stays only when no full name of the story ends with it, or when
            # two people of the story share it
            assert surnames.get(name_key(n), 0) != 1, n


@pytest.mark.corpora
def test_triplets_compare_actors_adds_up(triplets):
    _, sentences, ents, quotes = triplets
    table = mk.compare_actors(sentences, entities=ents, quotes=quotes)
    assert table["n_mentions"].sum() == len(ents)
    assert table["n_quotes"].sum() == quotes["speaker"].notna().sum()
    assert table["story_id"].nunique() == 5
    assert (table.groupby("story_id")["outlet"].nunique() == 3).all()
