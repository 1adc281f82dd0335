"""Sentiment along the article: every sentence for a few articles, a mean arc per group beyond."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mediakit._params import Frame, Options, validate_params
from mediakit.plots._checks import (
    AT_LEAST_ONE,
    COLUMN,
    MAYBE_COLUMN,
    ORDER,
    PALETTE,
    frame_with,
    role,
)
from mediakit.plots._style import display_label, get_ax, levels, literal, resolve_palette

#: ``estimator="auto"`` draws every sentence up to this many articles, the mean arc beyond.
MAX_ARTICLES_DRAWN = 12


@validate_params(data=[Frame()], x=COLUMN, y=COLUMN, hue=MAYBE_COLUMN, units=COLUMN, order=ORDER,
                 palette=PALETTE, estimator=[Options("auto", "sentences", "mean")],
                 bins=AT_LEAST_ONE)
def plot_sentiment_arc(data: pd.DataFrame, *, x: str = "position",
                       y: str = "sentiment_compound", hue: str | None = None,
                       units: str = "article_id", order: Sequence[str] | None = None,
                       palette: Mapping[str, str] | Sequence[str] | None = None,
                       estimator: str = "auto", bins: int = 10, ax=None, **kwargs):
    """Draw sentiment along the article, coloured by ``hue``.

    With ``estimator="sentences"`` every content sentence is a point at its position (0 at the
    lede, 1 at the last content sentence; sentences without a position, such as promo lines, are
    not drawn) and one line per article joins its sentences in reading order. With
    ``estimator="mean"`` positions are cut into ``bins`` equal bins and each group gets one line
    through the mean over its articles of each article's mean sentence score in the bin, with a
    band of +-1.96 standard errors over articles (articles, not sentences, are the independent
    units; a bin with one article has no band). ``"auto"`` draws sentences up to
    :data:`MAX_ARTICLES_DRAWN` articles and the mean arc beyond, so 40 outlets and 11,000
    sentences stay readable. Draw a dozen groups at most: the caller chooses them.

    Parameters
    ----------
    data : DataFrame
        Sentences scored by ``score_sentiment``: ``x``, ``y``, ``hue`` and ``units``.
    x : str
        Position column (0 to 1).
    y : str
        Sentiment column (default VADER compound, -1 most negative to +1 most positive; the
        axis always spans that range).
    hue : str, optional
        Colour groups, one legend entry each (default: the ``by`` of ``data.attrs["roles"]``,
        else ``"outlet"``).
    units : str
        Articles: one line each (sentences), the independent units (mean).
    order : sequence of str, optional
        Legend order of the ``hue`` groups; default sorted.
    palette : mapping or sequence, optional
        Colours; default :func:`mediakit.plots.outlet_colors`.
    estimator : {"auto", "sentences", "mean"}
        What is drawn (see above).
    bins : int
        Position bins of the mean arc.
    ax : matplotlib Axes, optional
        Where to draw; default ``plt.gca()``.
    **kwargs
        Passed to the lines (``Axes.plot``).

    Returns
    -------
    matplotlib Axes
    """
    hue = role(data, "by", hue, "outlet")
    frame = frame_with(data, [x, y, hue, units], what="data",
                       hint="Pass sentences scored by mk.score_sentiment(...).")
    frame = frame[frame[x].notna() & frame[y].notna()]
    groups = levels(frame[hue], order)
    colors = resolve_palette(groups, palette)
    if estimator == "auto":
        estimator = "sentences" if frame[units].nunique() <= MAX_ARTICLES_DRAWN else "mean"
    ax = get_ax(ax)
    keys = frame[hue].astype(str)
    for group in groups:
        rows = frame[keys == group]
        if estimator == "sentences":
            _draw_sentences(ax, rows, x, y, units, colors[group], literal(group), kwargs)
        else:
            _draw_mean(ax, rows, x, y, units, bins, colors[group], literal(group), kwargs)
    ax.axhline(0, color="#999999", linewidth=0.8, zorder=1)
    ax.set_xlim(-0.03, 1.03)
    if y.startswith("sentiment_"):
        low = -1.0 if y == "sentiment_compound" else 0.0
        ax.set_ylim(low - 0.05, 1.05)
    ax.set_xlabel(display_label(x))
    ylabel = display_label(y)
    ax.set_ylabel(ylabel if estimator == "sentences" else f"{ylabel}\nmean of articles, 95% band")
    if groups:
        ax.legend(title=literal(display_label(hue)), frameon=False, fontsize=8,
                  loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return ax


def _draw_sentences(ax, rows, x, y, units, color, label, kwargs) -> None:
    line_style = {"linewidth": 1.2, "alpha": 0.8} | kwargs
    for unit in sorted(pd.unique(rows[units]), key=str):
        art = rows[rows[units] == unit].sort_values(x, kind="stable")
        ax.plot(art[x].to_numpy(float), art[y].to_numpy(float), color=color, **line_style)
    ax.scatter(rows[x].to_numpy(float), rows[y].to_numpy(float), color=color, s=22,
               zorder=3, label=label, edgecolor="white", linewidth=0.4)


def _draw_mean(ax, rows, x, y, units, bins, color, label, kwargs) -> None:
    pos = rows[x].to_numpy(float)
    which = np.minimum((np.clip(pos, 0.0, 1.0) * bins).astype(int), bins - 1)
    per_article = (pd.DataFrame({"unit": rows[units].to_numpy(), "bin": which,
                                 "v": rows[y].to_numpy(float)})
                   .groupby(["bin", "unit"], sort=True)["v"].mean())
    stats = per_article.groupby(level="bin").agg(["mean", "std", "count"])
    centers = (stats.index.to_numpy(float) + 0.5) / bins
    half = 1.96 * stats["std"].to_numpy(float) / np.sqrt(stats["count"].to_numpy(float))
    half = np.where(stats["count"].to_numpy() > 1, half, np.nan)
    mean = stats["mean"].to_numpy(float)
    ax.fill_between(centers, mean - half, mean + half, color=color, alpha=0.15, linewidth=0)
    ax.plot(centers, mean, color=color, label=label,
            **({"linewidth": 1.8, "marker": "o", "markersize": 3} | kwargs))
