"""compare_attention and plot_attention: articles per outlet, story and period; first reports."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mediakit as mk


def _toy():
    day = pd.Timestamp("2024-03-04 08:00", tz="UTC")
    return pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4", "a5", "a6"],
        "outlet": ["A", "B", "A", "C", "B", "C"],
        "story_id": ["s1", "s1", "s1", "s2", "s2", "s1"],
        "published": [day, day + pd.Timedelta("5h"), day + pd.Timedelta("2D"), day, day, pd.NaT],
        "text": ["x"] * 6,
    })


def test_roles_lags_and_never():
    att = mk.compare_attention(_toy())
    by_key = att.groupby(["outlet", "story_id"])
    role = by_key["role"].first()
    assert role[("A", "s1")] == "first" and role[("B", "s1")] == "followed"
    assert role[("C", "s1")] == "undated" and role[("A", "s2")] == "never"
    assert {role[("B", "s2")], role[("C", "s2")]} == {"first"}  # a tie: both broke it
    lag = by_key["lag"].first()
    assert lag[("B", "s1")] == pd.Timedelta("5h") and lag[("A", "s1")] == pd.Timedelta(0)
    a_s1 = att[(att["outlet"] == "A") & (att["story_id"] == "s1")]
    assert list(a_s1["n_articles"]) == [1, 1] and a_s1["period"].nunique() == 2
    assert att["n_articles"].sum() == 6
    assert att.loc[att["role"] == "never", "n_articles"].eq(0).all()
    assert list(att["story_id"].drop_duplicates()) == ["s1", "s2"]  # by first report
    without = mk.compare_attention(_toy(), never=False)
    assert "never" not in set(without["role"]) and without["n_articles"].sum() == 6
    weekly = mk.compare_attention(_toy(), freq="W")
    assert len(weekly[(weekly["outlet"] == "A") & (weekly["story_id"] == "s1")]) == 1
    with pytest.raises(ValueError, match="freq"):
        mk.compare_attention(_toy(), freq="fortnight")


def test_content_sentences_counted(seeds_articles, seeds_sentences):
    from_sentences = mk.compare_attention(seeds_sentences)
    content = seeds_sentences["kind"].isin(["headline", "body", "bullet"])
    want = seeds_sentences[content].groupby("outlet").size()
    got = from_sentences.groupby("outlet")["n_sentences"].sum()
    pd.testing.assert_series_equal(got, want, check_names=False, check_dtype=False)
    assert from_sentences["n_articles"].sum() == len(seeds_articles)
    given = mk.compare_attention(seeds_articles, sentences=seeds_sentences)
    assert list(given["n_sentences"]) == list(from_sentences["n_sentences"])
    assert mk.compare_attention(seeds_articles)["n_sentences"].isna().all()


@pytest.mark.corpora
@pytest.mark.parametrize("name", ["allsides_triplets", "allsides_bench"])
def test_sums_back_to_articles_per_outlet(corpora_dir, name):
    path = corpora_dir / name / ("articles.jsonl" if name == "allsides_triplets"
                                 else "articles.jsonl.gz")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = mk.read_articles(path, progress=False)
    if "story_id" not in articles.columns:  # allsides_bench: stories from group_stories
        articles = mk.group_stories(articles)
    att = mk.compare_attention(articles, never=name == "allsides_triplets")
    got = att.groupby("outlet")["n_articles"].sum().sort_index()
    want = articles["outlet"].value_counts().sort_index()
    pd.testing.assert_series_equal(got, want, check_names=False)
    per_story = att.groupby("story_id")["n_articles"].sum()
    assert (per_story == articles["story_id"].value_counts().reindex(per_story.index)).all()
    first = att[att["role"] == "first"]
    assert first.groupby("story_id").size().min() >= 1  # every dated story was broken by someone
    if name == "allsides_triplets":
        assert set(att["role"]) == {"first", "never"}  # each triplet is one day
        assert len(att[att["role"] != "never"]) == len(articles)


@pytest.mark.corpora
def test_plot_attention_legible_for_many_outlets(corpora_dir):
    import matplotlib.pyplot as plt

    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False)
    att = mk.compare_attention(articles)
    fig, ax = plt.subplots()
    out = mk.plot_attention(att, n_stories=15, ax=ax)
    assert out is ax
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 15
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) <= 12 and legend[-1].startswith("first report")
    assert any(t.startswith("other outlets") for t in legend)  # 40 outlets, 8 coloured
    # one dot per outlet, story and period drawn, as many as the table's rows for those stories
    shown = att[att["story_id"].isin(labels) & (att["n_articles"] > 0)]
    dots = sum(len(c.get_offsets()) for c in ax.collections)
    assert dots == len(shown)
    names = [t.get_text() for t in ax.texts]
    assert len(names) == 15 and all(n.startswith("first: ") for n in names)
    with pytest.raises(ValueError, match="dated"):
        mk.plot_attention(mk.compare_attention(mk.load_example("seeds")))


@pytest.mark.corpora
def test_plot_attention_names_fit_and_legend_colours_differ(corpora_dir):
    """With the report's palette of 40 outlets, every "first: ..." name ends inside the axes
    and the legend's colours are distinct (the ring entry is black, not the first colour)."""
    import matplotlib.pyplot as plt
    from _legibility import problems

    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False)
    fig, ax = plt.subplots(figsize=(9, 8), layout="constrained")
    mk.plot_attention(mk.compare_attention(articles),
                      palette=mk.plots.outlet_colors(articles["outlet"]), ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    right = ax.get_window_extent(renderer).x1
    assert ax.texts and all(t.get_window_extent(renderer).x1 <= right for t in ax.texts)
    assert problems(fig) == []
