"""Coverage map, presence matrix and keyness: the drawn artists equal the tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

import mediakit as mk
from mediakit.plots import outlet_colors

STORY = "s1"


def _coverage():
    """Outlet A: headline + 3 body; outlet B: 3 body. A1~B0 one fact; A2~B2 related only."""
    facts = pd.DataFrame({
        "story_id": STORY,
        "fact_id": [0, 1, 1, 2, 3, 4, 5],
        "text": ["Head A", "Shared fact", "Shared fact", "Only A", "Only B", "Partly A",
                 "Partly B"],
        "n_outlets": [1, 2, 2, 1, 1, 1, 1],
        "outlet": ["A", "A", "B", "A", "B", "A", "B"],
        "article_id": ["a", "a", "b", "a", "b", "a", "b"],
        "sentence_id": [0, 1, 0, 3, 1, 2, 2],
        "kind": ["headline", "body", "body", "body", "body", "body", "body"],
        "position": [0.0, 0.0, 0.0, 1.0, 0.5, 0.5, 1.0],
        "rank": [1, 2, 1, 4, 2, 3, 3],
        "sentence": ["Head A <b>", "Shared fact in A", "Shared fact in B", "Only A says",
                     "Only B says", "Partly A", "Partly B"],
    })
    al = pd.DataFrame({
        "story_id": STORY,
        "outlet": ["A", "A", "A", "B", "B", "B"],
        "article_id": ["a", "a", "a", "b", "b", "b"],
        "sentence_id": [1, 2, 3, 0, 1, 2],
        "other_outlet": ["B"] * 3 + ["A"] * 3,
        "other_article_id": ["b", "b", pd.NA, "a", pd.NA, "a"],
        "other_sentence_id": pd.array([0, 2, pd.NA, 1, pd.NA, 2], dtype="Int64"),
        "similarity": [0.8, 0.3, 0.1, 0.8, 0.1, 0.3],
        "status": ["shared", "partial", "unique", "shared", "unique", "partial"],
    })
    na = pd.NA
    presence = pd.DataFrame({
        "story_id": STORY, "fact_id": [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
        "outlet": ["A", "B"] * 6,
        "status": ["carried", "absent", "carried", "carried", "carried", "absent", "absent",
                   "carried", "carried", "related", "related", "carried"],
        "similarity": [np.nan, np.nan, 0.8, 0.8, np.nan, np.nan, np.nan, np.nan, np.nan, 0.3,
                       0.3, np.nan],
        "n_sentences": [1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1],
        "first_rank": pd.array([1, na, 2, 1, 4, na, na, 2, 3, na, na, 3], dtype="Int64"),
        "first_position": [0.0, np.nan, 0.0, 0.0, 1.0, np.nan, np.nan, 0.5, 0.5, np.nan,
                           np.nan, 1.0],
        "article_id": ["a", na, "a", "b", "a", na, na, "b", "a", "b", "a", "b"],
        "sentence_id": pd.array([0, na, 1, 0, 3, na, na, 1, 2, 2, 2, 2], dtype="Int64"),
        "fact_article_id": [na, na, "b", "a", na, na, na, na, na, "a", "b", na],
        "fact_sentence_id": pd.array([na, na, 0, 1, na, na, na, na, na, 2, 2, na],
                                     dtype="Int64"),
    })
    omissions = pd.DataFrame({
        "story_id": STORY, "outlet": ["A", "A", "B", "B", "B"], "fact_id": [5, 3, 4, 0, 2],
        "text": ["Partly B", "Only B", "Partly A", "Head A", "Only A"], "n_outlets": 1,
        "carried_by": ["B", "B", "A", "A", "A"], "first_position": [1.0, 0.5, 0.5, 0.0, 1.0],
        "status": ["related", "absent", "related", "absent", "absent"],
        "similarity": [0.3, np.nan, 0.3, np.nan, np.nan],
        "related_article_id": ["a", na, "b", na, na],
        "related_sentence_id": pd.array([2, na, 2, na, na], dtype="Int64"),
        "related_sentence": ["Partly A", na, "Partly B", na, na],
        "fact_sentence": ["Partly B", na, "Partly A", na, na],
    })
    return mk.Coverage(alignment=al, facts=facts, presence=presence, omissions=omissions,
                       numbers=pd.DataFrame({"story_id": pd.Series(dtype="str")}),
                       params={"by": "outlet", "story": "story_id", "partial": 0.1})


def test_coverage_map_one_box_per_sentence_unique_filled():
    cov = _coverage()
    ax = mk.plot_coverage_map(cov)
    boxes = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(boxes) == len(cov.facts)
    colors = outlet_colors(["A", "B"])
    # drawn outlet by outlet, in reading order (rank)
    ordered = cov.facts.sort_values(["outlet", "article_id", "rank"])
    n_filled = 0
    for box, rec in zip(boxes, ordered.itertuples(), strict=True):
        if rec.n_outlets == 1:  # no other outlet carries its fact (presence)
            n_filled += 1
            assert box.get_facecolor()[:3] == pytest.approx(to_rgba(colors[rec.outlet])[:3])
        else:
            assert box.get_facecolor()[:3] == pytest.approx((1.0, 1.0, 1.0))
        assert box.get_edgecolor()[:3] == pytest.approx(to_rgba(colors[rec.outlet])[:3])
    assert n_filled == 5  # all but the shared fact's two sentences
    # one solid line for the fact both carry, one dashed for the related pair (drawn once)
    styles = sorted(line.get_linestyle() for line in ax.lines)
    assert styles == ["-", "--"]
    labels = [t.get_text() for t in ax.texts]
    assert "0.80" in labels and "0.30" in labels  # each line shows its similarity
    assert any(t.startswith("HEADLINE Head A") for t in labels)
    assert any(t.startswith("LEDE Shared fact in A") for t in labels)
    assert any(t.startswith("LEDE Shared fact in B") for t in labels)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B"]


def test_coverage_map_story_choice_and_type_errors():
    cov = _coverage()
    with pytest.raises((TypeError, AttributeError), match="unexpected keyword argument 'story'"):
        mk.plot_coverage_map(cov, story="s1")  # a plot selects no values
    with pytest.raises(ValueError, match="no such story.*Did you mean 's1'"):
        cov.story("s2")
    assert cov.story("s1").facts.equals(cov.facts)
    with pytest.raises(TypeError, match="compare_coverage"):
        mk.plot_coverage_map(cov.facts)


def test_presence_marks_equal_presence_table():
    cov = _coverage()
    ax = mk.plot_presence(cov)
    pres = cov.presence
    filled = [c for c in ax.collections if c.get_label() in {"A", "B"}]
    assert [c.get_label() for c in filled] == ["A", "B"]
    for status, size in (("carried", 70), ("related", 46), ("absent", 18)):
        drawn = sum(len(c.get_offsets()) for c in ax.collections
                    if len(c.get_sizes()) and c.get_sizes()[0] == size)
        assert drawn == int((pres.status == status).sum()), status
    # facts carried by both outlets come first
    assert ax.get_yticklabels()[0].get_text() == "Shared fact"
    # a bare presence table works too (labelled by fact id)
    ax2 = mk.plot_presence(cov.presence, ax=plt.figure().gca())
    assert len(ax2.get_yticklabels()) == cov.presence.fact_id.nunique()


def _terms():
    table = pd.DataFrame({
        "outlet": ["A"] * 4 + ["B"] * 4,
        "reference": "rest",
        "term": ["alpha", "beta", "gamma", "delta", "delta", "gamma", "beta", "alpha"],
        "n_target": [8, 3, 1, 0, 4, 2, 1, 1],
        "n_reference": [1, 0, 2, 4, 0, 1, 3, 8],
        "g2": [6.5, 4.0, -0.8, -5.1, 5.1, 0.8, -4.0, -6.5],
    })
    table.attrs["compare_terms"] = {"groups": ["A", "B"]}  # as compare_terms records them
    return table


def _target(name):
    table = _terms()
    return table[table["outlet"] == name]


def test_keyness_bars_equal_statistic_with_counts():
    ax = mk.plot_keyness(_target("A"), n_terms=5)
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([6.5, 4.0, -0.8, -5.1])  # positive first, most negative last
    # counts are part of each term's label (no text drawn over the bars or the tick labels)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "alpha  8 : 1", "beta  3 : 0", "gamma  1 : 2", "delta  0 : 4"]
    assert not ax.texts
    colors = outlet_colors(["A", "B"])
    assert ax.patches[0].get_facecolor()[:3] == pytest.approx(to_rgba(colors["A"])[:3])
    assert ax.patches[-1].get_facecolor()[:3] == pytest.approx(to_rgba(colors["B"])[:3])
    assert "more in A" in ax.get_xlabel()


def test_keyness_n_terms_and_target_checks():
    ax = mk.plot_keyness(_target("B"), n_terms=1)
    assert [p.get_width() for p in ax.patches] == pytest.approx([5.1, -6.5])
    with pytest.raises(ValueError, match=r"holds 2 target groups \('A', 'B'\).*"
                                         r"data\[data\['outlet'\] == 'A'\]"):
        mk.plot_keyness(_terms())
    with pytest.raises((TypeError, AttributeError), match="unexpected keyword argument 'target'"):
        mk.plot_keyness(_target("A"), target="A")
    with pytest.raises(mk.SchemaError):
        mk.plot_keyness(_target("A").drop(columns="n_target"))


def test_seeds_coverage_map_draws_every_content_sentence(seeds_sentences):
    cov = mk.compare_coverage(seeds_sentences)
    ax = mk.plot_coverage_map(cov)
    content = seeds_sentences[seeds_sentences.kind.isin(["headline", "body", "bullet"])]
    assert len([p for p in ax.patches if isinstance(p, Rectangle)]) == len(content)
    # one line per pair of sentences given as evidence in presence (carried or related)
    linked = cov.presence[cov.presence.fact_sentence_id.notna()]
    pairs = {frozenset([(r.article_id, r.sentence_id), (r.fact_article_id, r.fact_sentence_id)])
             for r in linked.itertuples()}
    assert len(ax.lines) == len(pairs) > 0
    styles = {line.get_linestyle() for line in ax.lines}
    assert styles == ({"-"} if (linked.status == "carried").any() else set()) | (
        {"--"} if (linked.status == "related").any() else set())
    assert any(t.get_text().startswith("HEADLINE Allies Forge Ahead") for t in ax.texts)
    # a filled box (its fact has no other carrier) never has a solid line
    ends = {(round(x, 6), round(y, 6)) for line in ax.lines if line.get_linestyle() == "-"
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)}
    for box in ax.patches:
        if isinstance(box, Rectangle) and box.get_facecolor()[:3] != (1.0, 1.0, 1.0):
            x0, y0 = box.get_x(), box.get_y()
            mid = y0 - 0.06 + 0.5
            assert (round(x0, 6), round(mid, 6)) not in ends
            assert (round(x0 + box.get_width(), 6), round(mid, 6)) not in ends
