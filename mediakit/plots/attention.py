"""Attention over time: which outlet wrote about which story when, and who broke it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mediakit._params import Frame, validate_params
from mediakit.plots._checks import AT_LEAST_ONE, COLUMN, MAYBE_COLUMN, PALETTE, frame_with, role
from mediakit.plots._style import NEUTRAL, display_label, get_ax, resolve_palette


def _clip(text: object, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"


@validate_params(data=[Frame()], x=COLUMN, y=MAYBE_COLUMN, hue=MAYBE_COLUMN, size=COLUMN,
                 n_stories=AT_LEAST_ONE, n_colored=AT_LEAST_ONE, palette=PALETTE)
def plot_attention(data: pd.DataFrame, *, x: str = "period", y: str | None = None,
                   hue: str | None = None, size: str = "n_articles", n_stories: int = 20,
                   n_colored: int = 8, palette: Mapping[str, str] | Sequence[str] | None = None,
                   ax=None, **kwargs):
    """Draw a story timeline: one row per story, a dot per outlet and period it wrote in.

    Draws a :func:`mediakit.compare_attention` table. Stories are rows, ordered by their first
    report (earliest at the top); each outlet's articles in a period are a dot whose area grows
    with ``size`` (articles), placed on the story's row (outlets side by side within it), and
    a grey line spans the story's first to last report. The outlets that broke each story
    (``role`` "first") have a black ring and are named at the end of the row, so the figure
    reads without a legend lookup for the key fact. With many outlets only the ``n_colored``
    with the most articles get a colour; the rest are grey ("other outlets"): the legend has at
    most ``n_colored`` + 2 entries. Undated rows and "never" rows are not drawn.

    Parameters
    ----------
    data : DataFrame
        A ``compare_attention`` table: ``hue``, ``y``, ``x``, ``size``, ``role``.
    x : str
        Column with the period start (datetime).
    y : str, optional
        Story column, one row each (default: the table's ``story`` in ``attrs["roles"]``,
        else ``"story_id"``).
    hue : str, optional
        Outlet column, one colour each (default: the table's ``by`` in ``attrs["roles"]``,
        else ``"outlet"``).
    size : str
        Column with the count the dot area shows (``n_articles`` or ``n_sentences``).
    n_stories : int
        Stories drawn: those with the most ``size`` in all (ties by first report); the title
        says how many were left out.
    n_colored : int
        Outlets drawn in colour (those with the most ``size``); others grey.
    palette : mapping or sequence, optional
        Outlet colours; default :func:`mediakit.plots.outlet_colors` of the coloured outlets.
        Pass ``outlet_colors(articles["outlet"])`` to keep colours the same as other figures.
    ax : matplotlib Axes, optional
        Where to draw; default ``plt.gca()``.
    **kwargs
        Passed to ``Axes.scatter``.

    Returns
    -------
    matplotlib Axes
    """
    by, story = role(data, "by", hue, "outlet"), role(data, "story", y, "story_id")
    frame = frame_with(data, [by, story, x, size, "role"], what="data",
                       hint="Pass the output of mk.compare_attention(...).")
    when = pd.to_datetime(frame[x], errors="coerce", utc=True)
    amount = pd.to_numeric(frame[size], errors="coerce").fillna(0)
    drawn = frame.assign(_when=when.dt.tz_convert("UTC").dt.tz_localize(None), _n=amount)
    drawn = drawn[drawn["_when"].notna() & (drawn["_n"] > 0)]
    if drawn.empty:
        raise ValueError("data has no dated rows with articles to draw (compare_attention "
                         "needs a 'published' column with dates).")
    per_story = drawn.groupby(story, sort=False).agg(total=("_n", "sum"),
                                                     first=("_when", "min"),
                                                     last=("_when", "max"))
    chosen = per_story.sort_values(["total", "first"], ascending=[False, True],
                                   kind="stable").head(n_stories)
    chosen = chosen.sort_values("first", kind="stable")
    left_out = len(per_story) - len(chosen)
    drawn = drawn[drawn[story].isin(chosen.index)]
    totals = drawn.groupby(by, sort=False)["_n"].sum().sort_values(ascending=False,
                                                                   kind="stable")
    colored = [str(g) for g in totals.index[:n_colored]]
    colors = resolve_palette(colored, palette)
    n_other = len(totals) - len(colored)

    ax = get_ax(ax)
    row_of = {s: k for k, s in enumerate(chosen.index)}
    biggest = float(drawn["_n"].max())
    for s, info in chosen.iterrows():
        y = row_of[s]
        ax.plot([info["first"], info["last"]], [y, y], color="#CCCCCC", linewidth=1.0,
                zorder=1)
    for s, rows in drawn.groupby(story, sort=False):
        y = row_of[s]
        outlets = list(dict.fromkeys(rows.sort_values("_when", kind="stable")[by]))
        offset = {o: (k - (len(outlets) - 1) / 2) * min(0.6 / max(len(outlets), 1), 0.15)
                  for k, o in enumerate(outlets)}
        ys = y + rows[by].map(offset).to_numpy(float)
        color = [colors.get(str(o), NEUTRAL) for o in rows[by]]
        first = (rows["role"] == "first").to_numpy() & (
            rows["_when"] == info_first(chosen, s)).to_numpy()
        areas = 12 + 140 * np.sqrt(rows["_n"].to_numpy(float) / biggest)
        ax.scatter(rows["_when"], ys, s=areas, c=color,
                   edgecolors=np.where(first, "black", "none").tolist(),
                   linewidths=np.where(first, 1.4, 0.0), zorder=3, **kwargs)
        breakers = list(dict.fromkeys(rows.loc[first, by].astype(str)))
        if breakers:
            label = ", ".join(_clip(b, 22) for b in breakers[:2])
            label += f" +{len(breakers) - 2}" if len(breakers) > 2 else ""
            ax.annotate(f"first: {label}", (chosen.at[s, "last"], y), xytext=(9, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=7,
                        color="#333333")
    ax.set_yticks(range(len(chosen)), [_clip(s, 40) for s in chosen.index])
    ax.set_ylim(len(chosen) - 0.5, -0.5)
    lo, hi = chosen["first"].min(), chosen["last"].max()
    pad = max((hi - lo) * 0.05, pd.Timedelta(days=1))
    ax.set_xlim(lo - pad, hi + max((hi - lo) * 0.3, pd.Timedelta(days=3)))  # room for names
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))

    handles = [Line2D([], [], marker="o", linestyle="", color=colors[o], label=_clip(o, 30))
               for o in colored]
    if n_other:
        handles.append(Line2D([], [], marker="o", linestyle="", color=NEUTRAL,
                              label=f"other outlets ({n_other})"))
    handles.append(Line2D([], [], marker="o", linestyle="", color="black",
                          markerfacecolor="white",
                          markeredgecolor="black", label="first report (named on its row)"))
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              frameon=False)
    ax.set_xlabel("Published (UTC)")
    ax.set_ylabel(display_label(story))
    more = f"; {left_out} smaller stories not shown" if left_out else ""
    ax.set_title(f"Attention: dot area = {display_label(size).lower()} per outlet and period"
                 f"{more}", fontsize=9, loc="left")
    _fit_names(ax)
    return ax


def _fit_names(ax) -> None:
    """Widen the x range so every "first: ..." name ends inside the axes (measured as drawn).

    A name anchored at data x, ``w`` pixels wide (with its offset) in axes ``W`` pixels wide,
    ends inside when ``(x - lo) / (hi - lo) * W + w <= W``: the right limit becomes the
    smallest ``hi`` meeting that for every name.
    """
    import matplotlib.dates as mdates

    if not ax.texts:
        return
    fig = ax.figure
    fig.canvas.draw()  # lays the figure out, so the axes width is the final one
    renderer = fig.canvas.get_renderer()
    width = ax.get_window_extent(renderer).width
    lo, hi = ax.get_xlim()
    right = hi
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        x = mdates.date2num(text.xy[0]) if not isinstance(text.xy[0], float) else text.xy[0]
        need = box.x1 - ax.transData.transform((x, 0))[0] + 4  # the offset and a margin
        if need < width * 0.9:
            right = max(right, lo + (x - lo) * width / (width - need))
    ax.set_xlim(lo, right)


def info_first(chosen: pd.DataFrame, s) -> pd.Timestamp:
    """The story's first report (period start)."""
    return chosen.at[s, "first"]
