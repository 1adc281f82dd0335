"""score_target_sentiment: tone toward each mention; its use in compare_actors and its plot."""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.measures import target_sentiment as ts

COLUMNS = ["target_sentiment", "target_neg", "target_neu", "target_pos"]


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mk.MediakitWarning)
        return func(*args, **kwargs)


@pytest.fixture(scope="module")
def seeds_entities(seeds_sentences):
    pytest.importorskip("spacy")
    return _quiet(mk.extract_entities, seeds_sentences)


@pytest.fixture(scope="module")
def seeds_tone(seeds_entities, seeds_sentences):
    return mk.score_target_sentiment(seeds_entities, sentences=seeds_sentences)


def test_putin_is_spoken_of_negatively_by_outlet_a(seeds_tone, seeds_sentences):
    sents = seeds_sentences.set_index(["article_id", "sentence_id"])
    tone = seeds_tone.join(sents[["outlet", "text"]].rename(columns={"text": "sentence"}),
                           on=["article_id", "sentence_id"])
    row = tone[(tone["outlet"] == "outlet A")
               & tone["sentence"].str.match("Russia.s President Vladimir Putin aims to "
                                            "dissolve Ukraine.s independence")
               & (tone["text"] == "Vladimir Putin")]
    assert len(row) == 1
    assert row["target_sentiment"].iloc[0] == "negative"
    assert row["target_neg"].iloc[0] > max(row["target_neu"].iloc[0], row["target_pos"].iloc[0])


def test_same_rows_same_order_and_probabilities(seeds_entities, seeds_sentences, seeds_tone):
    before = seeds_entities.copy(deep=True)
    shuffled = seeds_entities.sample(frac=1, random_state=1)
    out = mk.score_target_sentiment(shuffled, sentences=seeds_sentences)
    pd.testing.assert_frame_equal(seeds_entities, before)  # input not mutated
    assert list(out.index) == list(shuffled.index)
    pd.testing.assert_frame_equal(out[list(shuffled.columns)], shuffled)
    assert list(out.columns[-4:]) == COLUMNS
    probs = out[COLUMNS[1:]].to_numpy()
    assert np.allclose(probs.sum(axis=1), 1) and (probs >= 0).all()
    labels = np.array(ts.LABELS)[probs.argmax(axis=1)]
    assert (out["target_sentiment"].to_numpy() == labels).all()
    # one answer: the same mention scores the same whatever the order or company
    again = out.loc[seeds_tone.index, COLUMNS]
    pd.testing.assert_frame_equal(again, seeds_tone[COLUMNS], atol=1e-5)
    assert seeds_tone.attrs["target_sentiment"]["model"] == "minilm"
    assert set(out["target_sentiment"]) == {"negative", "neutral", "positive"}


def test_empty_mentions(seeds_sentences):
    empty = pd.DataFrame({"article_id": pd.Series([], dtype="str"),
                          "sentence_id": pd.Series([], dtype="int64"),
                          "start": pd.Series([], dtype="int64"),
                          "end": pd.Series([], dtype="int64")})
    out = mk.score_target_sentiment(empty, sentences=seeds_sentences)
    assert out.empty and list(out.columns) == [*empty.columns, *COLUMNS]


def _mentions(sentences: pd.DataFrame, word: str) -> pd.DataFrame:
    rows = []
    for r in sentences.itertuples():
        for m in re.finditer(rf"\b{re.escape(word)}\b", r.text):
            rows.append({"article_id": r.article_id, "sentence_id": r.sentence_id,
                         "start": r.start + m.start(), "end": r.start + m.end()})
    return pd.DataFrame(rows)


def _frames(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))],
                         "sentence_id": 0, "start": 0, "text": texts})


def test_target_not_sentence_mood():
    # the same sentence, two targets: the one attacked and the one attacking differ in tone
    sents = _frames(["Senator Smith praised Governor Jones for her brave and honest leadership.",
                     "Governor Jones was widely mocked as a liar and a fraud by critics."])
    jones = mk.score_target_sentiment(_mentions(sents, "Jones"), sentences=sents)
    assert list(jones["target_sentiment"]) == ["positive", "negative"]


def test_bad_inputs(seeds_sentences):
    ments = _mentions(seeds_sentences, "Putin")
    with pytest.raises(mk.SchemaError, match="'end'"):
        mk.score_target_sentiment(ments.drop(columns="end"), sentences=seeds_sentences)
    with pytest.raises(mk.SchemaError, match="'text'"):
        mk.score_target_sentiment(ments, sentences=seeds_sentences.drop(columns="text"))
    with pytest.raises(TypeError, match="data must be a pandas DataFrame"):
        mk.score_target_sentiment(ments.to_dict("records"), sentences=seeds_sentences)
    with pytest.raises(TypeError, match="must hold integers"):
        mk.score_target_sentiment(ments.assign(start=ments["start"].astype(str)), sentences=seeds_sentences)
    with pytest.raises(TypeError, match="must hold strings"):
        mk.score_target_sentiment(ments, sentences=seeds_sentences.assign(text=1))
    with pytest.raises(ValueError, match="outside its sentence"):
        mk.score_target_sentiment(ments.assign(start=ments["start"] - 10_000), sentences=seeds_sentences)
    with pytest.raises(ValueError, match="not in sentences"):
        mk.score_target_sentiment(ments.assign(sentence_id=10_000), sentences=seeds_sentences)
    with pytest.raises(ValueError, match="model must be one of 'auto', 'minilm', 'vader'; got 'bart'"):
        mk.score_target_sentiment(ments, sentences=seeds_sentences, model="bart")


def test_vader_fallback_says_so(seeds_sentences, monkeypatch):
    from mediakit.measures import _target_features

    ments = _mentions(seeds_sentences, "Putin")
    monkeypatch.setattr(_target_features, "encoder_available", lambda: False)
    with pytest.warns(ts.TargetSentimentFallbackWarning, match="semantic"):
        out = mk.score_target_sentiment(ments, sentences=seeds_sentences)
    assert out.attrs["target_sentiment"]["model"] == "vader"
    assert np.allclose(out[COLUMNS[1:]].sum(axis=1), 1)
    with pytest.raises(ImportError, match=r"mediakit\[semantic\]"):
        mk.score_target_sentiment(ments, sentences=seeds_sentences, model="minilm")
    direct = mk.score_target_sentiment(ments, sentences=seeds_sentences, model="vader")
    pd.testing.assert_frame_equal(out, direct)


def test_shipped_model_figures_are_the_documented_ones():
    meta, params = ts._params()
    cv = {k: np.mean(v) for k, v in meta["cv_macro_f1"].items()}
    assert all(len(v) == 5 for v in meta["cv_macro_f1"].values())
    assert cv["minilm"] >= 0.70 > cv["vader"] > cv["baseline_vader_sentence"]
    doc = " ".join(mk.score_target_sentiment.__doc__.split())
    assert f"MiniLM {cv['minilm']:.2f}, VADER model {cv['vader']:.2f}" in doc
    assert f"reaches {cv['baseline_vader_sentence']:.2f}" in doc
    assert params["minilm"]["coef"].shape == (3, 3 * 384 + 10)
    assert json.dumps(meta)  # plain metadata, no corpus text
    assert "sentence_normalized" not in json.dumps(meta)


# --- compare_actors and its plot ---------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_actors(seeds_sentences, seeds_tone):
    quotes = _quiet(mk.extract_quotes, seeds_sentences, entities=seeds_tone)
    return mk.compare_actors(seeds_sentences, entities=seeds_tone, quotes=quotes, n_boot=200)


def test_actor_tone_shares_count_the_mentions(seeds_actors, seeds_tone, seeds_sentences):
    ments = seeds_tone.merge(seeds_sentences[["article_id", "sentence_id", "story_id", "outlet"]])
    counts = ments.groupby(["story_id", "outlet", "canonical"])["target_sentiment"] \
        .value_counts(normalize=True).unstack(fill_value=0)
    named = seeds_actors[seeds_actors["n_mentions"] > 0]
    assert len(named) == len(counts)
    for r in named.itertuples():
        row = counts.loc[(r.story_id, r.outlet, r.canonical)]
        for cls in ("negative", "neutral", "positive"):
            assert getattr(r, f"{cls}_share") == pytest.approx(row.get(cls, 0.0))
    shares = named[["negative_share", "neutral_share", "positive_share"]].sum(axis=1)
    assert np.allclose(shares, 1)
    assert seeds_actors.loc[seeds_actors["n_mentions"] == 0, "negative_share"].isna().all()
    putin = named[(named["canonical"] == "Vladimir Putin") & (named["outlet"] == "outlet A")]
    assert putin["negative_share"].iloc[0] > 0


def test_actor_tone_read_from_scored_mentions_and_switchable(seeds_sentences, seeds_entities,
                                                            seeds_actors):
    # compare_actors scores nothing itself: the tone comes from score_target_sentiment's column
    quotes = _quiet(mk.extract_quotes, seeds_sentences, entities=seeds_entities)
    unscored = mk.compare_actors(seeds_sentences, entities=seeds_entities, quotes=quotes,
                                 n_boot=200)
    assert unscored["negative_share"].isna().all()
    assert unscored.attrs["compare_actors"]["tone"] is None
    assert seeds_actors.attrs["compare_actors"]["tone"] == "minilm"  # recorded by the scorer
    assert seeds_actors["negative_share"].notna().any()
    assert list(unscored.columns) == list(seeds_actors.columns)
    pd.testing.assert_frame_equal(unscored.drop(columns=[c for c in unscored if "share" in c]),
                                  seeds_actors.drop(columns=[c for c in seeds_actors
                                                             if "share" in c]))
    with pytest.raises(mk.SchemaError, match="score_target_sentiment"):
        mk.compare_actors(seeds_sentences, entities=seeds_entities, quotes=quotes, tone=True)
    with pytest.raises(TypeError, match=r"tone must be a bool \(True or False\) or None"):
        mk.compare_actors(seeds_sentences, entities=seeds_entities, quotes=quotes, tone="yes")


def test_tone_intervals_cluster_on_articles():
    # one outlet, three articles naming X: the interval resamples articles, so it is wide when
    # the articles disagree, and NaN for an outlet with one article
    texts = ["Critics mocked Mayor Grant as a liar and a fraud.",
             "Mayor Grant was praised for her brave and honest leadership.",
             "Mayor Grant was praised for her kind and generous work.",
             "Mayor Grant spoke on Monday."]
    sents = pd.DataFrame({"article_id": ["a1", "a2", "a3", "b1"], "sentence_id": 0, "start": 0,
                          "text": texts, "story_id": "s", "outlet": ["A", "A", "A", "B"]})
    ments = _mentions(sents, "Mayor Grant").assign(label="PERSON", canonical="Grant")
    ments = mk.score_target_sentiment(ments, sentences=sents)
    quotes = pd.DataFrame(columns=["article_id", "quote", "speaker", "cue", "kind"])
    table = mk.compare_actors(sents, entities=ments, quotes=quotes, n_boot=500)
    a = table[table["outlet"] == "A"].iloc[0]
    assert a["negative_share"] == pytest.approx(1 / 3) and a["positive_share"] == pytest.approx(2 / 3)
    assert a["negative_share_ci_low"] == 0 and a["negative_share_ci_high"] == 1
    b = table[table["outlet"] == "B"].iloc[0]
    assert np.isnan(b["negative_share_ci_low"]) and not np.isnan(b["negative_share"])


def test_plot_actor_tone_bars_equal_the_table(seeds_actors):
    story = seeds_actors["story_id"].iloc[0]
    data = seeds_actors[seeds_actors["story_id"] == story]
    ax = mk.plot_actor_tone(data, n_actors=3)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names and all(" · " in n for n in names)
    neg, neu, pos = ax.containers[:3]
    for k, name in enumerate(names):
        actor, outlet = name.split(" · ")
        row = data[(data["canonical"] == actor) & (data["outlet"] == outlet)].iloc[0]
        assert neg[k].get_width() == pytest.approx(row["negative_share"])
        assert neu[k].get_x() == pytest.approx(row["negative_share"])
        assert pos[k].get_x() + pos[k].get_width() == pytest.approx(1)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["negative", "neutral",
                                                                  "positive"]
    with pytest.raises(mk.SchemaError):
        mk.plot_actor_tone(data.drop(columns="positive_share"))


# --- real data ----------------------------------------------------------------------------------


@pytest.mark.corpora
def test_newsmtsc_scoring_matches_the_training_features(corpora_dir):
    """The public function reads NewsMTSC sentences as the training script did (same features)."""
    from mediakit.measures import _target_features as tf

    rows = [json.loads(line) for line in (corpora_dir / "newsmtsc_train" / "train.jsonl")
            .read_text(encoding="utf-8").splitlines()[:150]]
    sents = _frames([r["sentence_normalized"] for r in rows])
    ments = pd.DataFrame([{"article_id": f"a{i}", "sentence_id": 0, "start": t["from"],
                           "end": t["to"], "polarity": t["polarity"]}
                          for i, r in enumerate(rows) for t in r["targets"]])
    out = mk.score_target_sentiment(ments, sentences=sents)
    texts = [rows[int(a[1:])]["sentence_normalized"] for a in ments["article_id"]]
    x = tf.minilm_features(texts, list(zip(ments["start"], ments["end"], strict=True)))
    _, params = ts._params()
    assert np.allclose(out[COLUMNS[1:]].to_numpy(), ts._probabilities(params["minilm"], x),
                       atol=1e-5)
    truth = ments["polarity"].map({2.0: "negative", 4.0: "neutral", 6.0: "positive"})
    assert (out["target_sentiment"] == truth).mean() > 0.6  # seen in training: a sanity bound


@pytest.mark.corpora
def test_triplets_actor_tone(corpora_dir):
    pytest.importorskip("spacy")
    path = corpora_dir / "allsides_triplets" / "articles.jsonl"
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(15), f, strict=False)]
    sents = mk.split_sentences(mk.read_articles(pd.DataFrame(rows)))
    ents = _quiet(mk.extract_entities, sents)
    quotes = _quiet(mk.extract_quotes, sents, entities=ents)
    tone = mk.score_target_sentiment(ents, sentences=sents)
    table = _quiet(mk.compare_actors, sents, entities=tone, quotes=quotes, n_boot=200)
    named = table[table["n_mentions"] > 0]
    assert named["n_mentions"].sum() == len(ents)
    assert np.allclose(named[["negative_share", "neutral_share", "positive_share"]].sum(axis=1), 1)
    for cls in ("negative", "neutral", "positive"):
        ok = named[f"{cls}_share_ci_low"].notna()
        assert (named.loc[ok, f"{cls}_share_ci_low"] <= named.loc[ok, f"{cls}_share"] + 1e-12).all()
        assert (named.loc[ok, f"{cls}_share"] <= named.loc[ok, f"{cls}_share_ci_high"] + 1e-12).all()
    # the model separates the classes on real news: no class swallows everything
    shares = tone["target_sentiment"].value_counts(normalize=True)
    assert shares.max() < 0.8 and len(shares) == 3
