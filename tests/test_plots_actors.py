"""plot_actors: bar lengths equal mentions, hatched bars equal quotes, one bar per outlet."""

from __future__ import annotations

import pandas as pd
import pytest

import mediakit as mk


def _actors():
    return pd.DataFrame({
        "story_id": "s1",
        "outlet": ["A", "A", "A", "B", "B", "B"],
        "canonical": ["Healey", "Putin", "Kallas", "Healey", "Putin", "Kallas"],
        "label": ["PERSON", "PERSON", "PERSON", "PERSON", "PERSON", "PERSON"],
        "n_mentions": [2, 3, 0, 2, 1, 1],
        "n_quotes": [1, 0, 0, 0, 0, 1],
    })


def test_actor_bars_equal_counts():
    ax = mk.plot_actors(_actors())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Healey", "Putin", "Kallas"]
    containers = ax.containers  # per outlet: mentions, then quotes
    assert len(containers) == 4
    widths = [[p.get_width() for p in c] for c in containers]
    assert widths == [[2, 3, 0], [1, 0, 0], [2, 1, 1], [0, 0, 1]]
    assert all(p.get_hatch() == "////" for p in containers[1])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B", "quoted"]


def test_actor_selection_keeps_quoted_and_checks_story():
    ax = mk.plot_actors(_actors(), n_actors=1)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Healey"]
    two = pd.concat([_actors(), _actors().assign(story_id="s2")])
    with pytest.raises(ValueError, match=r"holds 2 stories \('s1', 's2'\).*filter it first, "
                                         r"e\.g\. data\[data\['story_id'\] == 's1'\]"):
        mk.plot_actors(two)
    with pytest.raises((TypeError, AttributeError), match="unexpected keyword argument 'story'"):
        mk.plot_actors(_actors(), story="s1")  # a plot selects no values: the caller filters
    ax = mk.plot_actors(two[two["story_id"] == "s2"], quoted=None,
                        ax=ax.figure.add_subplot(2, 1, 2))
    assert len(ax.containers) == 2


def test_actors_plot_reads_the_roles_of_the_table():
    # a compare_actors table grouped by another column: its roles say which columns to read
    table = _actors().rename(columns={"outlet": "bias", "story_id": "event"})
    table.attrs["roles"] = {"by": "bias", "story": "event"}
    ax = mk.plot_actors(table)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B", "quoted"]
    ax = mk.plot_actors(table.drop(columns="bias").assign(side=table["bias"]), hue="side",
                        ax=ax.figure.add_subplot(2, 1, 2))
    assert len(ax.containers) == 4
