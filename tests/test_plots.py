"""Plots draw exactly the table values: checked on the artists, not pixels (Agg backend)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.plots import OKABE_ITO, display_label, outlet_colors


def _groups_table():
    return pd.DataFrame({
        "outlet": ["outlet B", "outlet A", "outlet C", "outlet A", "outlet B", "outlet C"],
        "measure": ["sentiment_compound"] * 3 + ["frame_conflict"] * 3,
        "n": [4, 3, 5, 3, 4, 5],
        "estimate": [0.2, -0.1, 0.05, 0.4, 0.1, 0.0],
        "ci_low": [0.1, -0.3, -0.2, 0.2, 0.0, 0.0],
        "ci_high": [0.3, 0.1, 0.3, 0.6, 0.2, 0.1],
    })


def test_outlet_colors_deterministic_by_sorted_name():
    a = outlet_colors(["b", "a", "c", "a"])
    b = outlet_colors(["c", "b", "a"])
    assert a == b == {"a": OKABE_ITO[0], "b": OKABE_ITO[1], "c": OKABE_ITO[2]}
    assert len(set(outlet_colors([f"o{i}" for i in range(8)]).values())) == 8


def test_display_labels_only_in_plots():
    assert display_label("sentiment_compound") == "Sentiment (compound)"
    assert display_label("frame_conflict") == "Conflict"


def test_plot_estimates_points_and_intervals_equal_table():
    table = _groups_table()
    ax = mk.plot_estimates(table[table["measure"] == "sentiment_compound"])
    assert ax is plt.gca()
    rows = table[table.measure == "sentiment_compound"].sort_values("outlet")
    points = [ln for ln in ax.lines if ln.get_label() in set(rows.outlet)]
    assert [ln.get_label() for ln in points] == list(rows.outlet)  # one mark per group, sorted
    assert [ln.get_xdata()[0] for ln in points] == pytest.approx(list(rows.estimate))
    segs = [c.get_segments()[0] for c in ax.collections]
    assert [s[0][0] for s in segs] == pytest.approx(list(rows.ci_low))
    assert [s[1][0] for s in segs] == pytest.approx(list(rows.ci_high))
    colors = outlet_colors(rows.outlet)
    assert [ln.get_color() for ln in points] == [colors[o] for o in rows.outlet]
    assert ax.get_xlabel() == "Sentiment (compound)"
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        f"{o} (n={n})" for o, n in zip(rows.outlet, rows.n, strict=True)]


def test_plot_estimates_draws_one_measure_the_caller_selects():
    # a plot selects no values: given several measures it names them and how to filter
    with pytest.raises(ValueError, match=r"holds 2 measures \('frame_conflict', "
                                         r"'sentiment_compound'\).*data\[data\['measure'\] =="):
        mk.plot_estimates(_groups_table())
    table = _groups_table()
    with pytest.raises((TypeError, AttributeError), match="unexpected keyword argument 'measure'"):
        mk.plot_estimates(table[table["measure"] == "frame_conflict"], measure="frame_conflict")
    with pytest.raises(mk.SchemaError):
        mk.plot_estimates(_groups_table().drop(columns="ci_low"))
    with pytest.raises(TypeError):
        mk.plot_estimates([1, 2, 3])


def test_plot_estimates_on_given_axes_and_palette():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    palette = outlet_colors(["outlet A", "outlet B", "outlet C", "outlet D"])
    table = _groups_table()
    out = mk.plot_estimates(table[table["measure"] == "frame_conflict"], ax=ax2, palette=palette)
    assert out is ax2 and not ax1.lines
    assert {ln.get_label(): ln.get_color() for ln in ax2.lines} == {
        o: palette[o] for o in ["outlet A", "outlet B", "outlet C"]}


def test_plot_frames_heatmap_cells_equal_estimates():
    table = _groups_table()
    ax = mk.plot_frames(table)
    grid = ax.images[0].get_array()
    rows = table[table.measure == "frame_conflict"].sort_values("outlet")
    assert grid.shape == (3, 1)
    assert np.asarray(grid)[:, 0] == pytest.approx(list(rows.estimate))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Conflict"]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(rows.outlet)


def test_plot_sentiment_arc_one_line_per_article_points_per_sentence():
    sentences = pd.DataFrame({
        "article_id": ["a1", "a1", "a1", "b1", "b1", "b2", "b2"],
        "outlet": ["A", "A", "A", "B", "B", "B", "B"],
        "position": [0.0, np.nan, 1.0, 0.0, 1.0, 0.0, 1.0],
        "sentiment_compound": [0.5, 0.9, -0.5, 0.1, 0.2, -0.3, 0.3],
    })
    ax = mk.plot_sentiment_arc(sentences)
    article_lines = [ln for ln in ax.lines if len(ln.get_xdata()) > 0 and ln.get_color() != "#999999"]
    assert len(article_lines) == 3
    assert list(article_lines[0].get_ydata()) == [0.5, -0.5]  # the NaN-position line is not drawn
    offsets = [c.get_offsets() for c in ax.collections]
    assert [len(o) for o in offsets] == [2, 4]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]
    assert ax.get_ylabel() == "Sentiment (compound)"


def test_plot_readability_one_point_per_article():
    # score_readability repeats an article's value on each content row; NaN on other rows
    scored = pd.DataFrame({"article_id": ["a", "a", "b", "b", "c"],
                           "outlet": ["A", "A", "B", "B", "B"],
                           "readability_flesch_kincaid_grade": [np.nan, 9.5, 12.0, 12.0, 14.0]})
    ax = mk.plot_readability(scored)
    assert [list(c.get_offsets()[:, 1]) for c in ax.collections] == [[9.5], [12.0, 14.0]]
    assert ax.get_ylabel() == "Flesch-Kincaid grade"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B"]


def test_import_changes_no_global_style():
    import importlib

    import matplotlib as mpl

    before = dict(mpl.rcParams)
    importlib.reload(importlib.import_module("mediakit.plots"))
    assert dict(mpl.rcParams) == before


def test_palette_is_chosen_by_count_and_stays_distinct():
    from mediakit.plots import outlet_colors

    few = outlet_colors(["b", "a", "b"])
    assert list(few) == ["b", "a"]  # most articles first
    many = outlet_colors([f"outlet {i:02d}" for i in range(40)])
    assert len(set(many.values())) == 40
    assert "#7F7F7F" not in many.values()  # grey is kept for marks of no outlet


def test_labels_from_data_are_literal_and_clipped():
    import matplotlib.pyplot as plt
    import pandas as pd

    from mediakit.plots._style import literal

    table = pd.DataFrame({"comparison": "group", "outlet": ["$5 News$", "y" * 20_000],
                          "measure": "sentiment_compound", "n": [3, 4],
                          "estimate": [0.1, 0.2], "ci_low": [0.0, 0.1], "ci_high": [0.2, 0.3]})
    fig, ax = plt.subplots()
    mk.plot_estimates(table, ax=ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert all(t._preprocess_math(t.get_text())[1] is False for t in ax.get_yticklabels())
    assert max(len(label) for label in labels) < 60
    assert literal("a  b\nc") == "a b c"
    lo, hi = ax.get_xlim()
    assert lo <= -1 and hi >= 1  # VADER's natural range, not the data's


def test_sentiment_arc_draws_a_mean_per_group_beyond_twelve_articles():
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    rows = [{"article_id": f"a{i}", "outlet": "AB"[i % 2], "position": p,
             "sentiment_compound": float(rng.uniform(-1, 1))}
            for i in range(30) for p in np.linspace(0, 1, 8)]
    fig, ax = plt.subplots()
    mk.plot_sentiment_arc(pd.DataFrame(rows), ax=ax)
    assert len(ax.lines) == 2 + 1  # one mean line per outlet, plus the zero line
    assert len(ax.collections) == 2  # one band per outlet
    fig, ax = plt.subplots()
    mk.plot_sentiment_arc(pd.DataFrame(rows), estimator="sentences", ax=ax)
    assert len(ax.lines) == 30 + 1


def test_presence_draws_at_most_max_facts_and_says_how_many_it_left_out(seeds_sentences):
    import warnings

    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        coverage = mk.compare_coverage(seeds_sentences)
    n_facts = coverage.presence["fact_id"].nunique()
    fig, ax = plt.subplots()
    mk.plot_presence(coverage, max_facts=5, ax=ax)
    assert len(ax.get_yticks()) == 5
    assert f"{n_facts - 5} more facts" in ax.get_title(loc="left")
