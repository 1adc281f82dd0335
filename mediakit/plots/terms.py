"""Keyness: the terms one outlet uses more (right) and less (left) than its reference."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from mediakit._params import Frame, validate_params
from mediakit.plots._checks import (
    AT_LEAST_ONE,
    COLUMN,
    MAYBE_COLUMN,
    PALETTE,
    frame_with,
    only_value,
    role,
)
from mediakit.plots._style import NEUTRAL, display_label, get_ax, literal, resolve_palette


@validate_params(data=[Frame()], x=MAYBE_COLUMN, y=COLUMN, hue=MAYBE_COLUMN,
                 n_terms=AT_LEAST_ONE, palette=PALETTE)
def plot_keyness(data: pd.DataFrame, *, x: str | None = None, y: str = "term",
                 hue: str | None = None, n_terms: int = 10,
                 palette: Mapping[str, str] | Sequence[str] | None = None, ax=None, **kwargs):
    """Draw a two-sided bar chart of keyness for one target outlet, with the counts.

    Draws rows of :func:`mediakit.compare_terms`: the ``n_terms`` terms with the largest
    positive ``x`` (relatively more frequent in the target, bars to the right, in the target's
    colour) and the ``n_terms`` with the most negative (more frequent in the reference, to the
    left, in the reference outlet's colour, or grey for "rest" of several outlets). Each term's label gives the raw counts
    ``n_target : n_reference``, so a large statistic on a handful of words is visible as such.

    Parameters
    ----------
    data : DataFrame
        A ``compare_terms`` table of one target group: ``hue`` (the target), ``reference``,
        ``y``, ``x``, ``n_target``, ``n_reference``. Select the target first, e.g.
        ``terms[terms["outlet"] == "outlet A"]``.
    x : str, optional
        Signed statistic drawn: ``"g2"``, ``"chi2"``, ``"log_ratio"`` or ``"log_odds_z"``;
        default the ``stat`` the table records in ``attrs["roles"]``, else ``"g2"``.
    y : str
        Column with the term.
    hue : str, optional
        Column naming the target group, which gives the colour (default: the table's ``by``
        in ``attrs["roles"]``, else ``"outlet"``).
    n_terms : int
        Terms drawn on each side (at most).
    palette : mapping or sequence, optional
        Colours; default :func:`mediakit.plots.outlet_colors` of the targets and reference.
    ax : matplotlib Axes, optional
        Where to draw; default ``plt.gca()``.
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    matplotlib Axes
    """
    by, term = role(data, "by", hue, "outlet"), y
    x = role(data, "stat", x, "g2")
    frame = frame_with(data, [by, "reference", term, x, "n_target", "n_reference"],
                       what="data", hint="Pass the output of mk.compare_terms(...).")
    target = only_value(frame, by, noun="target groups")
    if target is None:
        raise ValueError("data has no rows to draw.")
    # the groups compared (compare_terms records them): with two, "rest" is the other one
    targets = list((data.attrs.get("compare_terms") or {}).get("groups", [])) or [target]
    rows = frame
    reference = ", ".join(sorted({str(r) for r in rows["reference"].dropna()}))
    others = [t for t in targets if t != str(target)]
    if reference == "rest" and len(others) == 1:
        reference = others[0]  # with two outlets the rest is the other one
    more = rows[rows[x] > 0].sort_values(x, ascending=False, kind="stable").head(n_terms)
    less = rows[rows[x] < 0].sort_values(x, ascending=True, kind="stable").head(n_terms)
    shown = pd.concat([more, less.iloc[::-1]])

    outlets = [str(target)] + ([reference] if reference != "rest" else [])
    colors = resolve_palette(outlets, palette if palette is not None else None)
    target_color = colors[str(target)]
    ref_color = colors.get(reference, NEUTRAL)
    ax = get_ax(ax)
    ys = list(range(len(shown)))
    values = shown[x].to_numpy(float)
    bar_colors = [target_color if v > 0 else ref_color for v in values]
    ax.barh(ys, values, color=bar_colors, **({"height": 0.7} | kwargs))
    span = max(abs(values).max(), 1e-9) if len(values) else 1.0
    labels = [f"{literal(t, 28)}  {int(a)} : {int(b)}" for t, a, b in
              zip(shown[term], shown["n_target"], shown["n_reference"], strict=True)]
    ax.set_yticks(ys, labels)
    ax.set_ylim(max(len(ys), 1) - 0.5, -0.5)
    ax.set_xlim(-1.05 * span, 1.05 * span)
    ax.axvline(0, color="#333333", linewidth=0.8)
    t_name, r_name = literal(target, 30), literal(reference, 30)
    ax.set_xlabel(f"{display_label(x)}\nright = more in {t_name}, left = more in {r_name}")
    ax.set_title(f"{t_name} vs {r_name}\n(term  count in {t_name} : count in {r_name})",
                 fontsize=9, loc="left")
    return ax
