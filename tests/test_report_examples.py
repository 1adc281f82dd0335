"""The report's keyness terms in context (explain_terms) and attention figure (compare_attention):
computed once in ``analyze``, shown on the page, written as tables, and the figure saved and
legible; undated articles get no attention figure."""

from __future__ import annotations

import html
import warnings

import matplotlib
import pandas as pd
from _legibility import problems

import mediakit as mk
from mediakit.analysis import top_terms
from mediakit.plots.overview import standard_figures
from mediakit.report._build import figure_stems

matplotlib.use("Agg")


def _report(source, out, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = mk.analyze(source, actors=False, n_boot=100, progress=False, **kwargs)
        written = result.report(out, formats=("png", "svg"))
    return result, written, (out / "index.html").read_text(encoding="utf-8")


def _shown_examples(page: str) -> list[str]:
    """The example sentences of the page's keyness section (bold markup removed)."""
    section = page.split("<h2>Keyness terms in context</h2>", 1)[1].split("<h2>", 1)[0]
    cells = [c.split("</td>", 1)[0] for c in section.split("<td>")[1:]]
    return [html.unescape(c.replace("<strong>", "").replace("</strong>", "")) for c in cells]


def _check_examples(result, written, page):
    examples = result.term_examples
    by = result.params["by"]
    # the same rows as explain_terms with two sentences per group, for each group's top terms
    again = mk.explain_terms(result.sentences, terms=top_terms(result.terms, by=by), by=by,
                             per_group=2)
    pd.testing.assert_frame_equal(examples, again)
    assert examples.groupby(["term", by]).size().max() <= 2
    # every sentence on the page is a row of the table, and the CSV holds the table
    shown = _shown_examples(page)
    assert shown and set(shown) <= set(examples["sentence"])
    csv = next(p for p in written if p.name == "term_examples.csv")
    assert len(pd.read_csv(csv)) == len(examples)
    # offsets point back into the article text
    text = result.articles.set_index("article_id")["text"]
    for r in examples.head(50).itertuples():
        assert text[r.article_id][r.start:r.end] == r.match


def test_seeds_report_shows_examples_and_no_attention_when_undated(tmp_path):
    result, written, page = _report(mk.load_example("seeds"), tmp_path / "out")
    assert result.articles["published"].isna().all()
    assert result.attention is None
    _check_examples(result, written, page)
    # both spellings of the folded term are found in context
    assert {"defence", "defense"} <= set(mk.explain_terms(result.sentences, terms=["defence"])
                                         ["match"].str.lower())
    names = {p.name for p in written}
    assert not any(n.startswith("attention") for n in names)
    assert "attention" not in {i.name for i in standard_figures(result)}


def test_dated_seeds_report_has_a_legible_attention_figure(tmp_path):
    articles = mk.load_example("seeds").assign(
        published=pd.to_datetime(["2025-03-20", "2025-03-21"], utc=True))
    result, written, page = _report(articles, tmp_path / "out")
    assert int(result.attention["n_articles"].sum()) == len(articles)
    items = standard_figures(result)
    stems = figure_stems([i.name for i in items])
    saved = {p.name.removesuffix(".png") for p in written if p.suffix == ".png"}
    assert saved == set(stems.values()) and "attention" in saved
    item = next(i for i in items if i.name == "attention")
    assert problems(item.figure) == []
    assert "Attention over time" in page
    assert (tmp_path / "out" / "tables" / "attention.csv").exists()
