"""Tone toward each actor per outlet (the tone shares of ``compare_actors``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mediakit._params import Frame, validate_params
from mediakit.plots._checks import (
    AT_LEAST_ONE,
    COLUMN,
    MAYBE_COLUMN,
    ORDER,
    frame_with,
    only_value,
    role,
)
from mediakit.plots._style import get_ax, levels, literal

#: Colours of the three classes: red, grey, blue (distinct for red-green colour blindness).
TONE_COLORS = {"negative": "#D55E00", "neutral": "#BBBBBB", "positive": "#0072B2"}
_SHARES = ("negative_share", "neutral_share", "positive_share")


@validate_params(data=[Frame()], y=COLUMN, hue=MAYBE_COLUMN, n_actors=AT_LEAST_ONE,
                 min_mentions=AT_LEAST_ONE, hue_order=ORDER)
def plot_actor_tone(data: pd.DataFrame, *, y: str = "canonical", hue: str | None = None,
                    n_actors: int = 8, min_mentions: int = 1,
                    hue_order: Sequence[str] | None = None, ax=None, **kwargs):
    """Draw the tone of each outlet's mentions of each actor: negative, neutral, positive.

    One stacked bar per actor and outlet (rows "actor · outlet", the outlets of an actor
    together): the red part is the share of the actor's mentions in the outlet whose sentence
    speaks of the actor negatively (``negative_share``), the grey part neutral, the blue part
    positive; the three add up to 1. Black whiskers show the 95% intervals (article bootstrap)
    of the negative share (at the red/grey edge) and of the positive share (at the grey/blue
    edge, which sits at 1 - positive share); none are drawn for an outlet with one article.
    The bar's label on the right gives the number of mentions. Actors drawn: the most mentioned
    across the story's outlets, ``n_actors`` of them.

    Parameters
    ----------
    data : DataFrame
        A :func:`mediakit.compare_actors` table of one story: its story column, ``hue``,
        ``y``, ``n_mentions`` and the ``negative_share`` / ``neutral_share`` /
        ``positive_share`` columns with their ``_ci_low`` / ``_ci_high``. Select the story (and
        the labels) first, e.g. ``actors[actors["story_id"] == story]``.
    y : str
        Actor name column (default ``"canonical"``).
    hue : str, optional
        Outlet column (default: the table's ``by`` in ``attrs["roles"]``, else ``"outlet"``).
    n_actors : int
        Most actors drawn.
    min_mentions : int
        Outlets with fewer mentions of an actor get no bar for it.
    hue_order : sequence of str, optional
        Outlets, top to bottom within each actor; default sorted.
    ax : matplotlib Axes, optional
        Where to draw; default ``plt.gca()``.
    **kwargs
        Passed to the bars (``Axes.barh``).

    Returns
    -------
    matplotlib Axes
    """
    by, actor, order = role(data, "by", hue, "outlet"), y, hue_order
    story_col = role(data, "story", None, "story_id")
    bounds = [f"{s}{e}" for s in _SHARES for e in ("_ci_low", "_ci_high")]
    need = [story_col, by, actor, "n_mentions", *_SHARES, *bounds]
    frame = frame_with(data, need, what="data", hint="Pass the output of mk.compare_actors(...).")
    story = only_value(frame, story_col, noun="stories")
    rows = frame
    rows = rows[(rows["n_mentions"] >= min_mentions) & rows["negative_share"].notna()]
    totals = rows.groupby(actor, sort=False)["n_mentions"].sum()
    actors = sorted(totals.index, key=lambda a: (-float(totals[a]), str(a)))[:n_actors]
    outlets = levels(rows[by], order)
    ax = get_ax(ax)
    ticks, names, y = [], [], 0.0
    bars = {c: [] for c in _SHARES}
    whiskers = {"negative": [], "positive": []}
    counts = []
    for a in actors:
        mine = rows[rows[actor] == a]
        mine = mine.assign(_outlet=mine[by].astype(str)).drop_duplicates("_outlet")
        mine = mine.set_index("_outlet")
        for outlet in outlets:
            if outlet not in mine.index:
                continue
            r = mine.loc[outlet]
            ticks.append(y)
            names.append(f"{literal(a, 28)} · {literal(outlet, 24)}")
            for c in _SHARES:
                bars[c].append(float(r[c]))
            whiskers["negative"].append((float(r["negative_share_ci_low"]),
                                         float(r["negative_share_ci_high"])))
            whiskers["positive"].append((1 - float(r["positive_share_ci_high"]),
                                         1 - float(r["positive_share_ci_low"])))
            counts.append(int(r["n_mentions"]))
            y += 1
        y += 0.5  # a gap between actors
    ys = np.array(ticks)
    left = np.zeros(len(ys))
    style = {"height": 0.8} | kwargs
    for c in _SHARES:
        kind = c.removesuffix("_share")
        widths = np.array(bars[c])
        ax.barh(ys, widths, left=left, color=TONE_COLORS[kind], label=kind, **style)
        left = left + widths
    for kind, edge in (("negative", np.array(bars["negative_share"])),
                       ("positive", 1 - np.array(bars["positive_share"]))):
        spans = np.array(whiskers[kind]).reshape(-1, 2)
        drawn = ~np.isnan(spans).any(axis=1)
        if drawn.any():
            err = np.vstack([edge[drawn] - spans[drawn, 0], spans[drawn, 1] - edge[drawn]])
            ax.errorbar(edge[drawn], ys[drawn], xerr=np.clip(err, 0, None), fmt="none",
                        ecolor="#111111", elinewidth=0.9, capsize=2.5, label=f"_{kind} interval")
    for yy, n in zip(ys, counts, strict=True):
        ax.annotate(f"{n}", (1.0, yy), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=7, color="#444444", annotation_clip=False)
    ax.set_yticks(ys, names)
    ax.set_ylim((ys.max() + 0.5) if len(ys) else 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Share of mentions by tone toward the actor\n"
                  "(whiskers: 95% interval; right: number of mentions)")
    # below the two-line axis label whatever the Axes' height: an offset in points
    from matplotlib.transforms import offset_copy
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              bbox_transform=offset_copy(ax.transAxes, fig=ax.figure, y=-48, units="points"),
              ncol=3)
    if story is not None:
        ax.set_title(f"Story: {literal(story, 60)}", fontsize=9, loc="left")
    return ax
