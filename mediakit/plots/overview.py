"""The figure-level ``plot_overview`` and the standard figure set of a report.

Both take an :class:`mediakit.Analysis` or a mapping of its tables and draw each available part
with the axes-level ``plot_*`` functions; parts that are absent are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from mediakit.plots._style import display_label, outlet_colors

#: The parts of an analysis a figure can be drawn from.
PARTS: tuple[str, ...] = (
    "articles", "sentences", "readability", "groups", "frames", "terms", "coverage", "actors",
    "notes", "manifest", "palette",
)

#: Measures of the ``groups`` table drawn as estimate figures (the table keeps all of them).
FIGURE_MEASURES: tuple[str, ...] = ("sentiment_compound", "readability_flesch_kincaid_grade")


def tables_of(result: object) -> dict[str, object]:
    """The parts of an Analysis (attributes) or a mapping (keys), plus the outlet palette."""
    if isinstance(result, Mapping):
        tables = {k: result.get(k) for k in PARTS}
    else:
        tables = {k: getattr(result, k, None) for k in PARTS}
    if not any(v is not None for v in tables.values()):
        raise TypeError(
            "expected an mk.Analysis or a mapping with some of the keys "
            f"{', '.join(PARTS[:8])}; got {type(result).__name__}."
        )
    if not tables.get("palette"):
        outlets: set[object] = set()
        coverage_facts = getattr(tables.get("coverage"), "facts", None)
        for frame in (tables.get("articles"), tables.get("sentences"), coverage_facts,
                      tables.get("groups")):
            if isinstance(frame, pd.DataFrame) and "outlet" in frame.columns:
                outlets.update(frame["outlet"].dropna().unique())
        tables["palette"] = outlet_colors(outlets)
    return tables


@dataclass(frozen=True)
class FigureItem:
    """One figure of a report: file stem, caption, the Figure and the data it draws."""

    name: str
    caption: str
    figure: object
    data: pd.DataFrame | None


def _panels(tables: dict[str, object], *, max_stories: int = 3
            ) -> list[tuple[str, str, Callable, pd.DataFrame, tuple]]:
    """(name, caption, draw(ax), data, size) for every part present, in reading order."""
    from mediakit import plots

    palette = tables["palette"]
    out = []
    coverage = tables.get("coverage")
    if coverage is not None and isinstance(getattr(coverage, "facts", None), pd.DataFrame):
        out += _coverage_panels(coverage, palette, max_stories=max_stories)
    sentences = tables.get("sentences")
    if _has(sentences, "sentiment_compound", "position"):
        data = sentences[[c for c in ("article_id", "sentence_id", "outlet", "position",
                                      "sentiment_compound", "text") if c in sentences.columns]]
        out.append(("sentiment_arc",
                    "Sentiment of each content sentence along the article (0 = lede, 1 = end); "
                    "one line per article.",
                    lambda ax, d=data: plots.plot_sentiment_arc(d, palette=palette, ax=ax),
                    data, (7, 4)))
    groups = tables.get("groups")
    if _has(groups, "measure", "estimate"):
        drawn = [m for m in FIGURE_MEASURES if m in set(groups["measure"].astype(str))]
        for measure in drawn:
            data = groups[groups["measure"] == measure]
            if "comparison" in data.columns:
                data = data[data["comparison"] == "group"]
            out.append((f"estimates_{measure}",
                        f"{display_label(measure)} per outlet: estimate and interval "
                        "(compare_groups).",
                        lambda ax, d=data: plots.plot_estimates(d, palette=palette, ax=ax),
                        data, (6, 0.6 + 0.45 * max(2, data["outlet"].nunique()))))
    readability = tables.get("readability")
    if _has(readability, "readability_flesch_kincaid_grade"):
        cols = [c for c in ("article_id", "outlet", "readability_flesch_kincaid_grade")
                if c in readability.columns]
        data = readability[cols].dropna(subset=["readability_flesch_kincaid_grade"])
        data = data.drop_duplicates("article_id") if "article_id" in data.columns else data
        out.append(("readability", "Flesch-Kincaid grade of each article (higher = harder).",
                    lambda ax, d=data: plots.plot_readability(d, palette=palette, ax=ax),
                    data, (6, 4)))
    frames = tables.get("frames")
    if _has(frames, "measure", "estimate") and frames["measure"].astype(str).str.startswith(
            "frame_").any():
        out.append(("frames", "Frame profile: frame-term hits per sentence, per outlet.",
                    lambda ax, d=frames: plots.plot_frames(d, ax=ax), frames, (8, 4)))
    terms = tables.get("terms")
    if _has(terms, "term", "reference", "g2") and "outlet" in terms.columns:
        targets = sorted({str(t) for t in terms["outlet"].dropna()})
        if len(targets) == 2 and set(terms["reference"].astype(str)) == {"rest"}:
            targets = targets[:1]  # with two outlets, A vs rest mirrors B vs rest
        for target in targets[:max_stories]:
            out.append((f"keyness_{target}",
                        f"Terms {target} uses more (right) and less (left) than the other "
                        "outlets: signed G² with raw counts (compare_terms).",
                        lambda ax, t=target: plots.plot_keyness(terms, target=t,
                                                                palette=palette, ax=ax),
                        terms[terms["outlet"].astype(str) == target], (7, 5.5)))
    actors = tables.get("actors")
    if _has(actors, "story_id", "canonical", "n_mentions", "n_quotes"):
        for story in sorted({str(s) for s in actors["story_id"].dropna()})[:max_stories]:
            data = actors[actors["story_id"].astype(str) == story]
            n_rows = min(12, data["canonical"].nunique())
            out.append((f"actors_{story}",
                        f"People and organisations in story {story}: mentions per outlet (bars) "
                        "and quotes attributed to them (hatched) (compare_actors).",
                        lambda ax, d=data: plots.plot_actors(d, labels=("PERSON", "ORG"),
                                                             palette=palette, ax=ax),
                        data, (7, 1.2 + 0.25 * n_rows * max(2, data["outlet"].nunique()))))
    return out


def standard_figures(result: object, *, max_stories: int = 3) -> list[FigureItem]:
    """One Figure per available part: what the report shows and ``Analysis.report`` saves.

    Per-story figures (coverage map, presence, actors) and keyness are drawn for at most
    ``max_stories`` stories / outlets, the first in sorted order; the tables hold all of them.
    Names may contain story ids: make them safe (``safe_filename``) before using them as paths.
    """
    import matplotlib.pyplot as plt

    tables = result if isinstance(result, dict) and "palette" in result else tables_of(result)
    items = []
    for name, caption, draw, data, size in _panels(tables, max_stories=max_stories):
        fig, ax = plt.subplots(figsize=size, layout="constrained")
        draw(ax)
        items.append(FigureItem(name, caption, fig, data))
    return items


def plot_overview(data: object, *, max_panels: int = 6, figsize: tuple[float, float] | None = None):
    """Draw the main comparisons of an analysis on one figure.

    Parameters
    ----------
    data : Analysis or mapping
        An :class:`mediakit.Analysis` (``mk.analyze(...)``) or a mapping with some of its
        tables (``sentences``, ``groups``, ``readability``, ``frames``, ``terms``,
        ``coverage``, ``actors``).
    max_panels : int
        Most panels drawn, in the order coverage map, sentiment arc, estimates, readability,
        frames, keyness, actors.
    figsize : (float, float), optional
        Figure size in inches; default grows with the number of panels.

    Returns
    -------
    matplotlib Figure
    """
    import matplotlib.pyplot as plt

    panels = _panels(tables_of(data))[:max_panels]
    if not panels:
        raise ValueError("nothing to draw: data holds none of the tables plot_overview draws.")
    ncols = 1 if len(panels) == 1 else 2
    nrows = -(-len(panels) // ncols)
    fig = plt.figure(figsize=figsize or (7 * ncols, 4.5 * nrows), layout="constrained")
    for k, (_name, caption, draw, _data, _size) in enumerate(panels):
        ax = fig.add_subplot(nrows, ncols, k + 1)
        draw(ax)
        if not ax.get_title():
            ax.set_title(caption.split(":")[0].split(".")[0], fontsize=10, loc="left")
    return fig


def _coverage_panels(coverage, palette, *, max_stories: int) -> list[tuple]:
    from mediakit.plots.coverage import coverage_figure_size, plot_coverage_map, plot_presence
    story_col = (getattr(coverage, "params", {}) or {}).get("story", "story_id")
    facts = coverage.facts
    stories = sorted({str(s) for s in facts[story_col].dropna()})[:max_stories]
    out = []
    for story in stories:
        data = facts[facts[story_col].astype(str) == story]
        out.append((f"coverage_map_{story}",
                    f"Coverage map of story {story}: each outlet's content sentences in reading "
                    "order; filled boxes are facts no other outlet carries, solid lines join "
                    "sentences of one fact, dashed lines related sentences (not carried), each "
                    "with its similarity.",
                    lambda ax, s=story: plot_coverage_map(coverage, story=s, palette=palette,
                                                          ax=ax),
                    data, coverage_figure_size(coverage, story)))
        pres = coverage.presence[coverage.presence[story_col].astype(str) == story]
        n_facts = pres["fact_id"].nunique()
        out.append((f"presence_{story}",
                    f"Facts of story {story} and the outlets that carry them (outlined: "
                    "related, not carried; grey: absent).",
                    lambda ax, s=story: plot_presence(coverage, story=s, palette=palette, ax=ax),
                    pres, (7.5, 1.4 + 0.26 * n_facts)))
    return out


def _has(frame: object, *columns: str) -> bool:
    return isinstance(frame, pd.DataFrame) and not frame.empty and set(columns) <= set(frame)
