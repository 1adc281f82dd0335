"""Actors mentioned and quoted per outlet (the table of ``compare_actors``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mediakit._params import Frame, validate_params
from mediakit.plots._checks import (
    AT_LEAST_ONE,
    COLUMN,
    MAYBE_COLUMN,
    ORDER,
    PALETTE,
    frame_with,
    only_value,
    role,
)
from mediakit.plots._style import get_ax, levels, literal, resolve_palette


@validate_params(data=[Frame()], x=COLUMN, y=COLUMN, hue=MAYBE_COLUMN, quoted=MAYBE_COLUMN,
                 n_actors=AT_LEAST_ONE, hue_order=ORDER, palette=PALETTE)
def plot_actors(data: pd.DataFrame, *, x: str = "n_mentions", y: str = "canonical",
                hue: str | None = None, quoted: str | None = "n_quotes", n_actors: int = 12,
                hue_order: Sequence[str] | None = None,
                palette: Mapping[str, str] | Sequence[str] | None = None, ax=None, **kwargs):
    """Draw how often each outlet mentions and quotes each actor of a story.

    For each actor (rows), one bar per outlet: its length is the number of mentions
    (``n_mentions``), in the outlet's colour; the hatched dark part drawn over it is the number
    of quotes attributed to the actor (``n_quotes``). An outlet that never names an actor has
    no bar in that row. Actors drawn: every quoted actor, then the most mentioned across the
    story's outlets, ``n_actors`` in all, in order of mentions.

    Parameters
    ----------
    data : DataFrame
        A :func:`mediakit.compare_actors` table of one story: its story column, ``hue``,
        ``y``, ``x`` and ``quoted``. Select the story (and the labels) first, e.g.
        ``actors[(actors["story_id"] == story) & (actors["label"] == "PERSON")]``.
    x : str
        Count drawn as the bar (default ``"n_mentions"``).
    y : str
        Actor name column (default ``"canonical"``).
    hue : str, optional
        Outlet column, one bar colour each (default: the table's ``by`` in
        ``attrs["roles"]``, else ``"outlet"``).
    quoted : str or None
        Count drawn over it, hatched (default ``"n_quotes"``); None draws mentions only.
    n_actors : int
        Most actors drawn.
    hue_order : sequence of str, optional
        Outlets, top to bottom within each actor; default sorted.
    palette : mapping or sequence, optional
        Colours; default :func:`mediakit.plots.outlet_colors`.
    ax : matplotlib Axes, optional
        Where to draw; default ``plt.gca()``.
    **kwargs
        Passed to the mention bars (``Axes.barh``).

    Returns
    -------
    matplotlib Axes
    """
    by, actor, order = role(data, "by", hue, "outlet"), y, hue_order
    story_col = role(data, "story", None, "story_id")
    need = [story_col, by, actor, x, quoted]
    frame = frame_with(data, need, what="data", hint="Pass the output of mk.compare_actors(...).")
    story = only_value(frame, story_col, noun="stories")
    rows = frame
    totals = rows.groupby(actor, sort=False)[x].sum()
    by_mentions = sorted(totals.index, key=lambda a: (-float(totals[a]), str(a)))
    # every quoted actor is shown (up to n_actors), then the most mentioned fill the rest
    chosen = set()
    if quoted is not None:
        n_quoted = rows.groupby(actor, sort=False)[quoted].sum()
        chosen = {a for a in by_mentions if float(n_quoted.get(a, 0) or 0) > 0}
        chosen = set([a for a in by_mentions if a in chosen][:n_actors])
    for a in by_mentions:
        if len(chosen) >= n_actors:
            break
        chosen.add(a)
    actors = [a for a in by_mentions if a in chosen]
    outlets = levels(rows[by], order)
    colors = resolve_palette(outlets, palette)
    ax = get_ax(ax)
    height = 0.8 / max(len(outlets), 1)
    style = {"height": height} | kwargs
    for k, outlet in enumerate(outlets):
        mine = rows[rows[by].astype(str) == outlet].drop_duplicates(actor).set_index(actor)
        ys = np.arange(len(actors)) - 0.4 + height * (k + 0.5)
        mentions = [float(mine[x].get(a, 0) or 0) for a in actors]
        ax.barh(ys, mentions, color=colors[outlet], label=literal(outlet), **style)
        if quoted is not None:
            quotes = [float(mine[quoted].get(a, 0) or 0) for a in actors]
            ax.barh(ys, quotes, height=height, facecolor="none", edgecolor="#222222",
                    hatch="////", linewidth=0.6, label="_quoted")
    ax.set_yticks(range(len(actors)), [literal(a, 32) for a in actors])
    ax.set_ylim(len(actors) - 0.5, -0.5)
    ax.set_xlabel("Mentions (bar); quotes attributed (hatched)" if quoted else "Mentions")
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    from matplotlib.patches import Patch

    handles = [Patch(color=colors[o], label=literal(o)) for o in outlets]
    if quoted is not None:
        handles.append(Patch(facecolor="none", edgecolor="#222222", hatch="////",
                             label="quoted"))
    ax.legend(handles=handles, frameon=False, fontsize=8, loc="upper left",
              bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    if story is not None:
        ax.set_title(f"Story: {literal(story, 60)}", fontsize=9, loc="left")
    return ax
