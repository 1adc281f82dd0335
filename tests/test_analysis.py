"""analyze() and Analysis: the pipeline from public functions, tables, notes, report files."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mediakit as mk
from mediakit.analysis import _should_group


@pytest.fixture(scope="module")
def seeds_analysis():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mk.MediakitWarning)
        return mk.analyze(mk.load_example("seeds"), actors=False, n_boot=200)


def test_analysis_holds_every_table(seeds_analysis):
    r = seeds_analysis
    assert sorted(r.articles.outlet) == ["outlet A", "outlet B"]
    assert {"sentiment_compound", "frame_terms", "readability_flesch_kincaid_grade"} <= set(
        r.sentences.columns)
    assert len(r.readability) == 2 and r.readability.article_id.is_unique
    groups = r.groups[r.groups.comparison == "group"]
    assert set(groups.measure) >= {"sentiment_compound", "readability_flesch_kincaid_grade"}
    assert r.frames.measure.str.startswith("frame_").all()
    assert set(r.terms.outlet) == {"outlet A", "outlet B"}
    assert set(r.coverage.facts.outlet) == {"outlet A", "outlet B"}
    assert r.actors is None and any("actors=False" in n for n in r.notes)
    assert {"articles", "sentences", "coverage_facts", "coverage_summary"} <= set(r.tables())
    assert "2 articles, 2 outlets, 1 story" in repr(r)


def test_analysis_matches_the_public_functions(seeds_analysis):
    sentences = mk.split_sentences(mk.load_example("seeds"))
    scored = mk.score_sentiment(sentences)
    pd.testing.assert_series_equal(seeds_analysis.sentences["sentiment_compound"],
                                   scored["sentiment_compound"])
    cov = mk.compare_coverage(sentences)
    pd.testing.assert_frame_equal(seeds_analysis.coverage.facts, cov.facts)


def test_actors_skipped_with_note_when_nlp_missing(monkeypatch):
    def no_spacy(*args, **kwargs):
        raise ImportError("extract_entities needs the optional package 'spacy'. "
                          "Install it with: pip install 'mediakit[nlp]'")

    # analyze chains the stages from their modules (mediakit._stages), so patch it there
    monkeypatch.setattr("mediakit.measures.entities.extract_entities", no_spacy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mk.MediakitWarning)
        r = mk.analyze(mk.load_example("seeds"), n_boot=50)
        assert r.actors is None
        assert any("mediakit[nlp]" in n for n in r.notes)
        with pytest.raises(ImportError, match="nlp"):
            mk.analyze(mk.load_example("seeds"), actors=True, n_boot=50)


def test_bad_options():
    seeds = mk.load_example("seeds")
    with pytest.raises(ValueError, match="Did you mean 'group'"):
        mk.analyze(seeds, stories="grup")
    with pytest.raises(TypeError):
        mk.analyze(seeds, actors="yes")


def test_story_grouping_rule():
    one_each = pd.DataFrame({"outlet": ["A", "B"], "story_id": ["all", "all"]})
    several = pd.DataFrame({"outlet": ["A", "A", "B"], "story_id": ["all"] * 3})
    given = pd.DataFrame({"outlet": ["A", "A"], "story_id": ["s1", "s2"]})
    assert not _should_group(one_each, "auto")
    assert _should_group(several, "auto")
    assert not _should_group(given, "auto")
    assert _should_group(given, "group") and not _should_group(several, "given")


def test_report_writes_html_figures_tables(seeds_analysis, tmp_path):
    paths = seeds_analysis.report(tmp_path, formats=("svg",))
    assert paths[0] == tmp_path / "index.html"
    assert all(p.exists() for p in paths)
    assert all(tmp_path.resolve() in p.resolve().parents for p in paths)
    svgs = sorted(p.name for p in (tmp_path / "figures").glob("*.svg"))
    assert "sentiment_arc.svg" in svgs and "coverage_map_coalition-of-the-willing.svg" in svgs
    assert not list((tmp_path / "figures").glob("*.png"))


def test_plot_overview_returns_a_figure(seeds_analysis):
    from matplotlib.figure import Figure

    fig = mk.plot_overview(seeds_analysis)
    assert isinstance(fig, Figure)
    assert len(fig.axes) >= 4
    with pytest.raises(TypeError):
        mk.plot_overview(42)


def test_every_report_figure_uses_one_outlet_palette(seeds_analysis):
    from matplotlib.colors import to_hex

    from mediakit.plots import outlet_colors
    from mediakit.plots.overview import standard_figures

    palette = outlet_colors(["outlet A", "outlet B"])
    seen: dict[str, set[str]] = {"outlet A": set(), "outlet B": set()}
    for item in standard_figures(seeds_analysis):
        for ax in item.figure.axes:
            for artist in [*ax.lines, *ax.collections, *ax.patches]:
                label = artist.get_label()
                if label in seen:
                    color = (artist.get_facecolor() if hasattr(artist, "get_facecolor")
                             else artist.get_color())
                    color = color[0] if getattr(color, "ndim", 1) == 2 else color
                    seen[label].add(to_hex(color))
    assert seen == {o: {c.lower()} for o, c in palette.items()}


def test_report_shows_tone_toward_actors(tmp_path):
    """With actors, the report draws the actor-tone figure from compare_actors' shares, legibly."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from _legibility import problems

    from mediakit.plots.overview import standard_figures

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = mk.analyze(mk.load_example("seeds"), actors=True, n_boot=50)
    items = {i.name: i for i in standard_figures(r)}
    name = "actor_tone_coalition-of-the-willing"
    assert name in items, sorted(items)
    assert problems(items[name].figure) == []
    # the figure draws the table's shares: one stacked bar of three parts per actor and outlet
    bars = [p for p in items[name].figure.axes[0].patches if p.get_width() > 0]
    shares = r.actors[["negative_share", "neutral_share", "positive_share"]].to_numpy().ravel()
    widths = sorted(round(p.get_width(), 6) for p in bars)
    assert set(widths) <= {round(float(v), 6) for v in shares if v > 0}
    page = r.report(tmp_path / "rep")[0].read_text(encoding="utf-8")
    assert "Tone toward each actor" in page
