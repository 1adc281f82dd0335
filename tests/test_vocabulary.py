"""One vocabulary: data the only positional, by/story/text/stat roles recorded on each result and
read by the plots and the report, plots that select no values, warnings at the caller's line."""

from __future__ import annotations

import inspect
import json
import warnings

import pandas as pd
import pytest

import mediakit as mk

COMPARE = ["compare_groups", "compare_terms", "explain_terms", "compare_attention",
           "compare_coverage", "compare_actors", "group_stories", "frame_profile"]
PLOTS = sorted(n for n in mk.__all__ if n.startswith("plot_"))
#: The public functions of the compare, plots, report and analysis layers.
LAYERS = [*COMPARE, *PLOTS, "save_figure", "write_report", "analyze"]


def _side(outlet):
    return {"outlet A": "left", "outlet B": "right"}[outlet]


@pytest.fixture(scope="module")
def sided(seeds_sentences):
    """The seeds with the group in another column (``side``) and the story in ``event``."""
    scored = mk.score_sentiment(seeds_sentences)
    return scored.assign(side=scored["outlet"].map(_side)).rename(
        columns={"story_id": "event"}).drop(columns="outlet")


def test_every_plot_is_public_and_completes():
    assert len(PLOTS) == 11
    for name in PLOTS:
        assert name in dir(mk) and callable(getattr(mk, name))


@pytest.mark.parametrize("name", LAYERS)
def test_data_is_the_only_positional_and_every_option_is_declared(name):
    func = getattr(mk, name)
    params = list(inspect.signature(func).parameters.values())
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    # save_figure(fig, path) and write_report(result, out_dir) also take where to write
    assert positional == {"save_figure": ["fig", "path"],
                          "write_report": ["result", "out_dir"]}.get(name, ["data"])
    declared = set(func.__mediakit_params__)
    options = {p.name for p in params if p.kind is p.KEYWORD_ONLY and not p.name.startswith("_")}
    options -= {"ax", "lexicon", "focus"}  # an Axes, a lexicon (load_lexicon checks), a Focus
    assert options <= declared, sorted(options - declared)


@pytest.mark.parametrize("name", PLOTS)
def test_plots_take_roles_not_value_selections(name):
    params = set(inspect.signature(getattr(mk, name)).parameters)
    assert not params & {"story", "target", "measure", "labels", "by", "actor", "term"}, params


def test_every_compare_takes_by_and_records_roles(sided, seeds_sentences):
    entities = mk.extract_entities(seeds_sentences)
    quotes = mk.extract_quotes(seeds_sentences, entities=entities)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mk.MediakitWarning)
        results = {
            "compare_groups": mk.compare_groups(sided, by="side", measures="sentiment_compound",
                                                n_boot=50, n_perm=50),
            "compare_terms": mk.compare_terms(sided, by="side", story="event", stat="chi2",
                                              min_count=1),
            "explain_terms": mk.explain_terms(sided, terms=["defence"], by="side",
                                              story="event"),
            "compare_attention": mk.compare_attention(sided, by="side", story="event"),
            "compare_actors": mk.compare_actors(sided, entities=entities, quotes=quotes,
                                                by="side", story="event", tone=False),
            "frame_profile": mk.frame_profile(mk.score_frames(sided), by="side"),
        }
    coverage = mk.compare_coverage(sided, by="side", story="event")
    assert results["compare_groups"].attrs["roles"] == {"by": "side", "stat": "mean"}
    assert results["compare_terms"].attrs["roles"] == {"by": "side", "story": "event",
                                                       "text": "text", "stat": "chi2"}
    assert results["explain_terms"].attrs["roles"] == {"by": "side", "story": "event",
                                                       "text": "text"}
    for name in ("compare_attention", "compare_actors"):
        assert results[name].attrs["roles"] == {"by": "side", "story": "event"}, name
    assert results["frame_profile"].attrs["roles"] == {"by": "side"}
    assert coverage.roles == {"by": "side", "story": "event", "text": "text"}
    assert coverage.presence.attrs["roles"] == coverage.roles
    for name, table in results.items():
        assert "side" in table.columns and "outlet" not in table.columns, name
    assert set(coverage.summary()["side"]) == {"left", "right"}
    assert "other_side" in coverage.alignment.columns
    # the same numbers as by outlet: the group's name changes, nothing else
    by_outlet = mk.compare_coverage(seeds_sentences)
    assert coverage.summary().drop(columns="side").equals(
        by_outlet.summary().drop(columns="outlet"))
    stories = mk.group_stories(mk.load_example("seeds"), story="event")
    assert stories.attrs["roles"] == {"story": "event", "text": "text"}


def test_plots_read_the_roles_of_any_by(sided):
    import matplotlib.pyplot as plt

    coverage = mk.compare_coverage(sided, by="side", story="event")
    ax = mk.plot_coverage_map(coverage)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["left", "right"]
    ax = mk.plot_presence(coverage, ax=plt.figure().gca())
    assert [t.get_text() for t in ax.get_xticklabels()] == ["left", "right"]
    ax = mk.plot_presence(coverage.presence, ax=plt.figure().gca())  # roles in its attrs
    assert [t.get_text() for t in ax.get_xticklabels()] == ["left", "right"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mk.MediakitWarning)
        groups = mk.compare_groups(sided, by="side", measures="sentiment_compound", n_boot=50,
                                   n_perm=50)
    ax = mk.plot_estimates(groups, ax=plt.figure().gca())
    assert [ln.get_label() for ln in ax.lines] == ["left", "right"]
    terms = mk.compare_terms(sided, by="side", stat="log_ratio", min_count=1)
    ax = mk.plot_keyness(terms[terms["side"] == "left"], ax=plt.figure().gca())
    assert "Log ratio" in ax.get_xlabel() or "log_ratio" in ax.get_xlabel().lower()
    assert "right = more in left, left = more in right" in ax.get_xlabel()


def test_coverage_story_selects_one_story_and_plots_say_how(seeds_sentences):
    two = pd.concat([seeds_sentences,
                     seeds_sentences.assign(story_id="other", article_id=lambda d:
                                            d["article_id"] + "-2")], ignore_index=True)
    coverage = mk.compare_coverage(two)
    assert coverage.stories() == sorted({"other", *seeds_sentences["story_id"].astype(str)})
    with pytest.raises(ValueError, match=r"holds 2 stories .*coverage\.story\("):
        mk.plot_coverage_map(coverage)
    with pytest.raises(ValueError, match=r"holds 2 stories .*coverage\.story\("):
        mk.plot_presence(coverage)
    one = coverage.story("other")
    assert set(one.facts["story_id"]) == {"other"} and set(one.presence["story_id"]) == {"other"}
    assert one.summary()["n_facts"].sum() == len(one.facts.drop_duplicates(
        ["fact_id", "outlet"]))
    mk.plot_coverage_map(one)
    with pytest.raises(ValueError, match="no such story.*Did you mean 'other'"):
        coverage.story("othr")


def test_type_errors_at_the_boundary(seeds_sentences):
    with pytest.raises(TypeError, match=r"compare_groups\(data=...\)"):
        mk.compare_groups(123)
    with pytest.raises(TypeError, match=r"compare_terms\(prior_scale=...\)"):
        mk.compare_terms(seeds_sentences, prior_scale=True)
    with pytest.raises(TypeError, match=r"compare_coverage\(by=...\)"):
        mk.compare_coverage(seeds_sentences, by=3)
    with pytest.raises(mk.InvalidParameterError, match="unexpected keyword argument 'sentences'"):
        mk.compare_coverage(sentences=seeds_sentences)


def test_warnings_point_at_the_callers_line(seeds_sentences):
    scored = mk.score_sentiment(seeds_sentences)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mk.compare_groups(scored, measures="sentiment_compound", n_boot=20, n_perm=20)
        two = pd.concat([scored.assign(story_id="s1"),
                         scored.assign(story_id="s2", outlet="outlet C")], ignore_index=True)
        mk.compare_terms(two[two["outlet"] != "outlet B"].assign(
            story_id=lambda d: d["outlet"]), min_count=1)  # no shared story: not comparable
        mk.analyze(mk.load_example("seeds"), actors=False, n_boot=20)
    ours = [w for w in caught if issubclass(w.category, mk.MediakitWarning)]
    kinds = {w.category for w in ours}
    assert mk.WideIntervalWarning in kinds and mk.MediakitWarning in kinds
    assert ours and all(w.filename == __file__ for w in ours), [
        (w.category.__name__, w.filename) for w in ours]


def test_dask_warning_points_at_the_callers_line(seeds_sentences):
    dd = pytest.importorskip("dask.dataframe")
    scored = mk.score_sentiment(seeds_sentences)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mk.compare_groups(dd.from_pandas(scored, npartitions=2), measures="sentiment_compound",
                          n_boot=20, n_perm=20)
    wide = [w for w in caught if w.category is mk.WideIntervalWarning]
    assert wide and all(w.filename == __file__ for w in wide)


@pytest.mark.corpora
def test_any_by_column_end_to_end(corpora_dir, tmp_path):
    """compare_coverage(by="bias") draws, and analyze(by="bias").report(...) writes by bias."""
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl")
    assert "bias" in articles.columns
    stories = sorted(articles["story_id"].unique())[:3]
    articles = articles[articles["story_id"].isin(stories)].reset_index(drop=True)
    sentences = mk.split_sentences(articles, carry=["bias"])
    coverage = mk.compare_coverage(sentences, by="bias")
    assert set(coverage.summary()["bias"]) == {"left", "center", "right"}
    one = coverage.story(stories[0])
    ax = mk.plot_coverage_map(one)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["center", "left", "right"]
    mk.plot_presence(one)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mk.MediakitWarning)
        result = mk.analyze(articles, by="bias", actors=False, n_boot=50)
        paths = result.report(tmp_path / "report")
    assert result.coverage.roles["by"] == "bias"
    names = {p.name for p in paths}
    assert any(n.startswith("coverage_map_") and n.endswith(".svg") for n in names)
    assert any(n.startswith("presence_") and n.endswith(".svg") for n in names)
    page = paths[0].read_text(encoding="utf-8")
    assert "bias values" in page and "other_outlet" not in page
    manifest = json.loads((tmp_path / "report" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["by"] == "bias"


def test_text_names_the_column_read_by_every_stage_that_reads_text(seeds_articles):
    # the same sentences, entities and quotes whether the text column is "text" or "body"
    renamed = seeds_articles.rename(columns={"text": "body"})
    sentences = mk.split_sentences(seeds_articles)
    again = mk.split_sentences(renamed, text="body")
    pd.testing.assert_frame_equal(again[sentences.columns], sentences)
    assert set(mk.split_sentences.__mediakit_params__) >= {"text"}
    for name in ("extract_entities", "extract_quotes"):
        assert "text" in getattr(mk, name).__mediakit_params__, name
