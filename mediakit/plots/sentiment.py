"""Sentiment along the article: each sentence at its position, one line per article."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from mediakit.plots._checks import frame_with
from mediakit.plots._style import display_label, get_ax, levels, resolve_palette


def plot_sentiment_arc(data: pd.DataFrame, *, x: str = "position",
                       y: str = "sentiment_compound", hue: str = "outlet",
                       units: str = "article_id", order: Sequence[str] | None = None,
                       palette: Mapping[str, str] | Sequence[str] | None = None, ax=None,
                       **kwargs):
    """Draw each sentence's sentiment at its position in the article, coloured by outlet.

    One point per content sentence (``position`` is 0 at the lede and 1 at the last content
    sentence; sentences without a position, such as promo lines, are not drawn) and one line
    per article joining its sentences in reading order. Nothing is smoothed or averaged: every
    mark is a sentence score from :func:`mediakit.score_sentiment`.

    Parameters
    ----------
    data : DataFrame
        Sentences scored by ``score_sentiment``: ``x``, ``y``, ``hue`` and ``units``.
    x : str
        Position column (0 to 1).
    y : str
        Sentiment column (default VADER compound, -1 most negative to +1 most positive).
    hue : str
        Colour groups, one legend entry each (default ``"outlet"``).
    units : str
        One line per value (default ``"article_id"``).
    order : sequence of str, optional
        Legend order of the ``hue`` groups; default sorted.
    palette : mapping or sequence, optional
        Colours; default :func:`mediakit.plots.outlet_colors`.
    ax : matplotlib Axes, optional
        Where to draw; default ``plt.gca()``.
    **kwargs
        Passed to the lines (``Axes.plot``).

    Returns
    -------
    matplotlib Axes
    """
    frame = frame_with(data, [x, y, hue, units], what="data",
                       hint="Pass sentences scored by mk.score_sentiment(...).")
    frame = frame[frame[x].notna() & frame[y].notna()]
    groups = levels(frame[hue], order)
    colors = resolve_palette(groups, palette)
    ax = get_ax(ax)
    line_style = {"linewidth": 1.2, "alpha": 0.8} | kwargs
    for group in groups:
        rows = frame[frame[hue].astype(str) == group]
        for unit in sorted(pd.unique(rows[units]), key=str):
            art = rows[rows[units] == unit].sort_values(x, kind="stable")
            ax.plot(art[x].to_numpy(float), art[y].to_numpy(float), color=colors[group],
                    **line_style)
        ax.scatter(rows[x].to_numpy(float), rows[y].to_numpy(float), color=colors[group], s=22,
                   zorder=3, label=group, edgecolor="white", linewidth=0.4)
    ax.axhline(0, color="#999999", linewidth=0.8, zorder=1)
    ax.set_xlim(-0.03, 1.03)
    ax.set_xlabel(display_label(x))
    ax.set_ylabel(display_label(y))
    if groups:
        ax.legend(title=display_label(hue), frameon=False)
    return ax
