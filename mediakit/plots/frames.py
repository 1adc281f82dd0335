"""Frame profile: outlets by frames, as a heatmap of the compare layer's estimates."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mediakit._params import Frame, validate_params
from mediakit.plots._checks import COLUMN, MAYBE_COLUMN, ORDER, frame_with, role
from mediakit.plots._style import display_label, get_ax, levels, literal


@validate_params(data=[Frame()], x=COLUMN, y=MAYBE_COLUMN, value=COLUMN, prefix=[str],
                 order=ORDER, annotate=[bool], cmap=[str])
def plot_frames(data: pd.DataFrame, *, x: str = "measure", y: str | None = None,
                value: str = "estimate", prefix: str = "frame_",
                order: Sequence[str] | None = None, annotate: bool = True,
                cmap: str = "Blues", ax=None, **kwargs):
    """Draw a heatmap of frame estimates: one row per outlet, one column per frame.

    Draws a :func:`mediakit.compare_groups` table of ``frame_*`` measures (e.g. mean frame-term
    hits per sentence for each outlet); each cell is the table's ``estimate``, written in the
    cell when ``annotate``. Rows of other measures are ignored.

    Parameters
    ----------
    data : DataFrame
        Tidy comparison table with ``x`` (measure names), ``y`` (groups) and ``value``.
    x : str
        Column naming the frame measure (default ``"measure"``).
    y : str, optional
        Group column (default: the ``by`` of ``data.attrs["roles"]``, else ``"outlet"``).
    value : str
        Column drawn as colour.
    prefix : str
        Only measures starting with it are drawn; ``""`` keeps all.
    order : sequence of str, optional
        Rows from top to bottom; default sorted.
    annotate : bool
        Write each value in its cell (only when the grid is small enough for the numbers to
        fit: at most 15 rows and 12 columns).
    cmap : str
        Matplotlib colour map (sequential; default ``"Blues"``, colour-blind safe).
    ax : matplotlib Axes, optional
        Where to draw; default ``plt.gca()``.
    **kwargs
        Passed to ``Axes.imshow``.

    Returns
    -------
    matplotlib Axes
    """
    y = role(data, "by", y, "outlet")
    frame = frame_with(data, [x, y, value], what="data",
                       hint="Pass mk.compare_groups(...) output for the frame_* measures.")
    if "comparison" in frame.columns:  # compare_groups: group rows, not pairwise differences
        frame = frame[frame["comparison"] == "group"]
    frame = frame[frame[x].astype(str).str.startswith(prefix)]
    if frame.empty:
        raise ValueError(f"data has no rows whose {x!r} starts with {prefix!r}.")
    rows = levels(frame[y], order)
    cols = sorted({str(v) for v in frame[x]})
    grid = np.full((len(rows), len(cols)), np.nan)
    for r, c, v in zip(frame[y].astype(str), frame[x].astype(str), frame[value], strict=True):
        if r in rows:
            grid[rows.index(r), cols.index(c)] = float(v)
    ax = get_ax(ax)
    image = ax.imshow(grid, cmap=cmap, aspect="auto", **({"interpolation": "nearest"} | kwargs))
    ax.set_xticks(range(len(cols)), [literal(display_label(c), 28) for c in cols], rotation=90)
    ax.set_yticks(range(len(rows)), [literal(r, 32) for r in rows],
                  fontsize=8 if len(rows) > 15 else None)
    ax.set_xlabel("Frame")
    ax.set_ylabel(display_label(y))
    if annotate and len(rows) <= 15 and len(cols) <= 12:
        finite = grid[np.isfinite(grid)]
        mid = (finite.min() + finite.max()) / 2 if finite.size else 0.0
        for (r, c), v in np.ndenumerate(grid):
            if np.isfinite(v):
                ax.text(c, r, f"{v:.2g}", ha="center", va="center", fontsize=8,
                        color="white" if v > mid else "black")
    ax.figure.colorbar(image, ax=ax, label=display_label(value), shrink=0.8)
    return ax
