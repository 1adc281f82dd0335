"""Outlet estimates with intervals, and readability per outlet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mediakit._params import Frame, validate_params
from mediakit.plots._checks import (
    COLUMN,
    MAYBE_COLUMN,
    ORDER,
    PALETTE,
    frame_with,
    only_value,
    role,
)
from mediakit.plots._style import display_label, get_ax, levels, literal, resolve_palette

#: The scale's natural range: estimate axes span at least this (others include zero).
NATURAL_RANGE: dict[str, tuple[float, float]] = {
    "sentiment_compound": (-1.0, 1.0),
    "sentiment_neg": (0.0, 1.0),
    "sentiment_neu": (0.0, 1.0),
    "sentiment_pos": (0.0, 1.0),
    "readability_flesch_reading_ease": (0.0, 100.0),
}


@validate_params(data=[Frame()], y=MAYBE_COLUMN, x=COLUMN,
                 ci=[tuple, list, None], order=ORDER, palette=PALETTE)
def plot_estimates(data: pd.DataFrame, *, y: str | None = None,
                   x: str = "estimate", ci: tuple[str, str] | None = ("ci_low", "ci_high"),
                   order: Sequence[str] | None = None,
                   palette: Mapping[str, str] | Sequence[str] | None = None, ax=None,
                   **kwargs):
    """Draw each group's estimate of one measure as a point with its interval.

    Draws what :func:`mediakit.compare_groups` computed: one point per group at ``estimate``
    and a horizontal line from ``ci_low`` to ``ci_high``; nothing is recomputed. The tick
    labels give each group's ``n`` (articles) when the table has it. The axis spans the scale's
    natural range (:data:`NATURAL_RANGE`, e.g. -1 to 1 for VADER compound) or at least includes
    zero, so a small difference between groups is drawn as small.

    Parameters
    ----------
    data : DataFrame
        A ``compare_groups`` table of one measure: ``measure``, the group column ``y``, ``x``
        and ``ci``. Select the measure first, e.g.
        ``table[table["measure"] == "sentiment_compound"]``.
    y : str, optional
        Group column, one row of points per value (default: the ``by`` the table records in
        ``attrs["roles"]``, else ``"outlet"``).
    x : str
        Estimate column.
    ci : (str, str) or None
        Interval columns; None draws points only.
    order : sequence of str, optional
        Groups from top to bottom; default sorted.
    palette : mapping or sequence, optional
        Colours; default :func:`mediakit.plots.outlet_colors` of the groups.
    ax : matplotlib Axes, optional
        Where to draw; default ``plt.gca()``.
    **kwargs
        Passed to the point markers (``Axes.plot``).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import warnings, mediakit as mk
    >>> scored = mk.score_sentiment(mk.split_sentences(mk.load_example("seeds")))
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # one article per outlet: no interval
    ...     table = mk.compare_groups(scored, measures="sentiment_compound")
    >>> ax = mk.plot_estimates(table)
    >>> [line.get_label() for line in ax.lines]
    ['outlet A', 'outlet B']
    """
    y = role(data, "by", y, "outlet")
    cols = ["measure", y, x, *(ci or ())]
    frame = frame_with(data, cols, what="data", hint="Pass the output of mk.compare_groups(...).")
    if "comparison" in frame.columns:  # compare_groups: group rows, not pairwise differences
        frame = frame[frame["comparison"] == "group"]
    measure = only_value(frame, "measure", noun="measures")
    if measure is None:
        raise ValueError("data has no measure to draw.")
    rows = frame
    groups = levels(rows[y], order)
    colors = resolve_palette(groups, palette)
    ax = get_ax(ax)
    style = {"marker": "o", "linestyle": "none", "markersize": 7, "zorder": 3} | kwargs
    ticks = []
    for i, group in enumerate(groups):
        row = rows[rows[y].astype(str) == group]
        ticks.append(_tick_label(group, row))
        if row.empty:
            continue
        est = float(row[x].iloc[0])
        if ci is not None:
            lo, hi = float(row[ci[0]].iloc[0]), float(row[ci[1]].iloc[0])
            if np.isfinite(lo) and np.isfinite(hi):
                ax.hlines(i, lo, hi, color=colors[group], linewidth=2.5, zorder=2)
        ax.plot([est], [i], color=colors[group], label=literal(group), **style)
    ax.set_yticks(range(len(groups)), ticks)
    _include_range(ax, rows, x, ci, NATURAL_RANGE.get(measure, (0.0, 0.0)))
    ax.set_ylim(len(groups) - 0.5, -0.5)
    ax.set_xlabel(display_label(measure))
    ax.set_ylabel(display_label(y))
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    return ax


@validate_params(data=[Frame()], y=COLUMN, x=MAYBE_COLUMN, units=MAYBE_COLUMN, order=ORDER,
                 palette=PALETTE)
def plot_readability(data: pd.DataFrame, *, y: str = "readability_flesch_kincaid_grade",
                     x: str | None = None, units: str | None = "article_id", order: Sequence[str] | None = None,
                     palette: Mapping[str, str] | Sequence[str] | None = None, ax=None,
                     **kwargs):
    """Draw each article's readability score, one column of points per outlet.

    Draws the per-article scores of :func:`mediakit.score_readability` as they are (no
    averaging): ``score_readability`` writes an article's value on each of its content rows, so
    one point is drawn per ``units`` value (its first row with a score). For outlet estimates
    with intervals, draw ``compare_groups`` output with :func:`plot_estimates`.

    Parameters
    ----------
    data : DataFrame
        Articles scored by ``score_readability``: ``x`` and the measure column ``y``.
    y : str
        Readability column (default the Flesch-Kincaid grade; higher = harder).
    x : str, optional
        Group column (default: the ``by`` of ``data.attrs["roles"]``, else ``"outlet"``).
    units : str or None
        One point per value of this column (default ``"article_id"``); None draws every row.
    order, palette, ax
        As in :func:`plot_estimates`.
    **kwargs
        Passed to ``Axes.scatter``.

    Returns
    -------
    matplotlib Axes
    """
    x = role(data, "by", x, "outlet")
    frame = frame_with(data, [x, y, units], what="data",
                       hint="Pass sentences scored by mk.score_readability(...).")
    frame = frame[pd.to_numeric(frame[y], errors="coerce").notna()]
    if units is not None:
        frame = frame.drop_duplicates(units)
    groups = levels(frame[x], order)
    colors = resolve_palette(groups, palette)
    ax = get_ax(ax)
    style = {"s": 36, "zorder": 3, "edgecolor": "white", "linewidth": 0.5} | kwargs
    for i, group in enumerate(groups):
        values = pd.to_numeric(frame.loc[frame[x].astype(str) == group, y], errors="coerce")
        values = values.dropna().to_numpy(dtype=float)
        # spread points sideways deterministically so equal values stay visible
        offsets = np.linspace(-0.15, 0.15, len(values)) if len(values) > 1 else np.zeros(1)
        ax.scatter(i + offsets[: len(values)], values, color=colors[group],
                   label=literal(group), **style)
    many = len(groups) > 4 or max((len(g) for g in groups), default=0) > 12
    ax.set_xticks(range(len(groups)), [literal(g, 28) for g in groups],
                  rotation=90 if many else 0)
    lo = min(0.0, float(np.nanmin(pd.to_numeric(frame[y], errors="coerce")))) if len(frame) else 0
    ax.set_ylim(bottom=lo)
    ax.set_xlim(-0.5, len(groups) - 0.5)
    ax.set_xlabel(display_label(x))
    ax.set_ylabel(display_label(y))
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    return ax


def _include_range(ax, rows: pd.DataFrame, x: str, ci, natural: tuple[float, float]) -> None:
    cols = [x, *(ci or ())]
    values = pd.to_numeric(rows[cols].stack(), errors="coerce").to_numpy(float)
    values = values[np.isfinite(values)]
    lo = min([natural[0], *values]) if len(values) else natural[0]
    hi = max([natural[1], *values]) if len(values) else natural[1]
    pad = 0.05 * (hi - lo) if hi > lo else 1.0
    ax.set_xlim(lo - pad, hi + pad)


def _tick_label(group: str, row: pd.DataFrame) -> str:
    if "n" in row.columns and not row.empty and pd.notna(row["n"].iloc[0]):
        return f"{literal(group, 32)} (n={int(row['n'].iloc[0])})"
    return literal(group, 32)
