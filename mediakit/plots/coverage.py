"""Coverage map (each outlet's sentences side by side, facts joined) and presence matrix.

Both draw the tables of :func:`mediakit.compare_coverage` as they are, reading
``presence.status`` (carried, related, absent): the one definition of who carries what.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Integral, Real

import pandas as pd

from mediakit._params import Interval, validate_params
from mediakit.plots._checks import ORDER, PALETTE
from mediakit.plots._style import NEUTRAL, get_ax, levels, literal, resolve_palette

#: Box fill alpha of a sentence whose fact only its outlet carries.
_UNIQUE_ALPHA = 0.85
_STYLES = {"carried": "-", "related": "--"}


@validate_params(
    data=[object], order=ORDER, palette=PALETTE, max_chars=[Interval(Integral, 0, None)],
    fontsize=[Interval(Real, 0, None, closed="neither")],
    max_sentences=[Interval(Integral, 1, None)],
)
def plot_coverage_map(data, *, order: Sequence[str] | None = None,
                      palette: Mapping[str, str] | Sequence[str] | None = None,
                      max_chars: int = 48, fontsize: float = 6.5, max_sentences: int = 80,
                      ax=None, **kwargs):
    """Draw each outlet's sentences in reading order, side by side, with facts joined.

    Each outlet is a column of boxes, one per content sentence, top to bottom in reading order
    (an outlet with several articles on the story has them one after another). A box filled in
    the outlet's colour is a sentence whose fact no other outlet carries; an outlined box is
    part of a fact another outlet carries too. Lines are the evidence of ``presence``: solid
    between an outlet's sentence in a fact and the other outlet's sentence it matched
    (``carried``), dashed between an outlet's sentence and a fact it does not carry but
    resembles (``related``: not counted as carrying), each labelled with its ``similarity`` in
    the gap beside its left box (a label that would touch another one there is left out).
    So a filled box has no solid line. The headline and the lede (first content sentence after
    the headline) are labelled; each box shows the start of its sentence.

    Parameters
    ----------
    data : Coverage
        The result of :func:`mediakit.compare_coverage` (its ``facts`` and ``presence``) for
        one story: select it with ``coverage.story(story_id)`` when it holds several. The
        groups are its ``by`` column (``coverage.roles``).
    order : sequence of str, optional
        Outlets from left to right; default sorted.
    palette : mapping or sequence, optional
        Colours; default :func:`mediakit.plots.outlet_colors`.
    max_chars : int
        Characters of each sentence shown in its box (0 = none).
    fontsize : float
        Size of the sentence text, points.
    max_sentences : int
        Most sentences drawn per outlet (reading order); the title says when some are not.
    ax : matplotlib Axes, optional
        Where to draw; default ``plt.gca()``.
    **kwargs
        Passed to the joining lines (``Axes.plot``).

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    facts, presence, by, story_col = _coverage_parts(data)
    story = _one_story(facts, story_col)
    rows = facts[facts[story_col].astype(str) == story]
    outlets = levels(rows[by], order)
    colors = resolve_palette(outlets, palette)
    links = presence[(presence[story_col].astype(str) == story)
                     & presence["fact_sentence_id"].notna()
                     & presence["status"].isin(list(_STYLES))]
    ax = get_ax(ax)

    width, gap = 1.0, 0.8
    place: dict[tuple[str, int], tuple[float, float]] = {}
    n_max, n_hidden = 1.0, 0
    for col, outlet in enumerate(outlets):
        x0 = col * (width + gap)
        mine = rows[rows[by].astype(str) == outlet].sort_values(["article_id", "rank"])
        n_hidden += max(len(mine) - max_sentences, 0)
        mine = mine.head(max_sentences)
        y = 0.0
        for k, (article, art) in enumerate(mine.groupby("article_id", sort=False)):
            y += 0.6 if k else 0.0
            lede_done = False
            for rec in art.itertuples(index=False):
                only = int(rec.n_outlets) <= 1
                box = Rectangle((x0, y + 0.06), width, 0.88, linewidth=1.0,
                                edgecolor=colors[outlet],
                                facecolor=colors[outlet] if only else "white",
                                alpha=_UNIQUE_ALPHA if only else 1.0, zorder=2)
                ax.add_patch(box)
                tag = ""
                if rec.kind == "headline":
                    tag = "HEADLINE "
                elif not lede_done:
                    tag, lede_done = "LEDE ", True
                if max_chars or tag:
                    # bold text is wider: leave room for the tag
                    room = max_chars - int(1.6 * len(tag)) if tag else max_chars
                    ax.text(x0 + 0.03, y + 0.5, tag + _clip(rec.sentence, max(room, 0)),
                            fontsize=fontsize, va="center", ha="left", zorder=3, clip_on=True,
                            fontweight="bold" if tag else "normal")
                place[(str(article), int(rec.sentence_id))] = (x0, y + 0.5)
                y += 1.0
        n_max = max(n_max, y)

    seen: set[frozenset] = set()
    line_kw = {"color": "#444444", "linewidth": 0.9, "alpha": 0.8, "zorder": 1} | kwargs
    label_size = max(fontsize - 1, 4)
    # A label sits in the gap right of the line's left box (never over a sentence), and is left
    # out when it would touch another label there: its height in data units, from the Axes' size.
    per_unit = ax.bbox.height / max(n_max + 0.4, 1.0)
    label_h = 1.5 * label_size * ax.figure.dpi / 72 / max(per_unit, 1e-9)
    taken: dict[float, list[float]] = {}
    for rec in links.itertuples(index=False):
        a = (str(rec.article_id), int(rec.sentence_id))
        b = (str(rec.fact_article_id), int(rec.fact_sentence_id))
        pair = frozenset((a, b))
        if a not in place or b not in place or pair in seen or place[a][0] == place[b][0]:
            continue
        seen.add(pair)
        (xa, ya), (xb, yb) = sorted((place[a], place[b]))
        ax.plot([xa + width, xb], [ya, yb], linestyle=_STYLES[rec.status], **line_kw)
        if pd.isna(rec.similarity):
            continue
        x = xa + width + gap / 2
        y = ya + (yb - ya) * (gap / 2) / max(xb - xa - width, 1e-9)
        column = taken.setdefault(round(x, 3), [])
        if any(abs(y - other) < label_h for other in column):
            continue
        column.append(y)
        ax.text(x, y, f"{float(rec.similarity):.2f}", fontsize=label_size, ha="center",
                va="center", zorder=4, color="#444444",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3})

    ax.set_xlim(-0.1, len(outlets) * (width + gap) - gap + 0.1)
    ax.set_ylim(n_max + 0.2, -0.2)
    ax.set_xticks([c * (width + gap) + width / 2 for c in range(len(outlets))],
                  [literal(o, 30) for o in outlets])
    ax.xaxis.tick_top()
    ax.set_yticks([])
    for side in ("left", "right", "bottom", "top"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", length=0)
    ax.set_ylabel("Reading order (content sentences)")
    handles = [Patch(facecolor=NEUTRAL, edgecolor=NEUTRAL, alpha=_UNIQUE_ALPHA,
                     label="fact no other outlet carries"),
               Patch(facecolor="white", edgecolor=NEUTRAL, label="fact carried by 2+ outlets"),
               Line2D([], [], color="#444444", linestyle="-", label="same fact (similarity)"),
               Line2D([], [], color="#444444", linestyle="--",
                      label="related, not carried (similarity)")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=2,
              frameon=False, fontsize=7)
    more = f"\n{n_hidden} later sentences not drawn" if n_hidden else ""
    ax.set_title(f"Story: {literal(story, 60)}{more}", fontsize=9, loc="left", pad=24)
    return ax


@validate_params(
    data=[object], order=ORDER, palette=PALETTE, max_chars=[Interval(Integral, 0, None)],
    max_facts=[Interval(Integral, 1, None)],
)
def plot_presence(data, *, order: Sequence[str] | None = None,
                  palette: Mapping[str, str] | Sequence[str] | None = None,
                  max_chars: int = 60, max_facts: int = 30, ax=None, **kwargs):
    """Draw which outlet carries which fact: one row per fact, one column per outlet.

    Reads ``presence.status``: a filled square in the outlet's colour means ``carried``; an
    empty square outlined in its colour, ``related`` (a sentence resembles the fact without
    being part of it: still an omission); a small grey outline, ``absent``. Facts carried by
    the most outlets come first, then by their first place in any article; at most
    ``max_facts`` are drawn (so facts carried by two or more outlets come before single-outlet
    ones) and the title says how many were left out.

    Parameters
    ----------
    data : Coverage or DataFrame
        A :func:`mediakit.compare_coverage` result for one story (fact rows are labelled
        with their representative sentence; select the story with
        ``coverage.story(story_id)``), or its tidy ``presence`` table of one story (labelled
        by ``fact_id``; its ``attrs["roles"]`` name the group and story columns).
    order : sequence of str, optional
        Outlets from left to right; default sorted.
    palette : mapping or sequence, optional
        Colours; default :func:`mediakit.plots.outlet_colors`.
    max_chars : int
        Characters of each fact's text shown as its label.
    max_facts : int
        Most facts drawn.
    ax : matplotlib Axes, optional
        Where to draw; default ``plt.gca()``.
    **kwargs
        Passed to the squares (``Axes.scatter``).

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.lines import Line2D

    from mediakit.plots._checks import frame_with, role

    if isinstance(data, pd.DataFrame):
        presence, labels_from = data, None
        by, story_col = role(data, "by", None, "outlet"), role(data, "story", None, "story_id")
    else:
        facts, _pres, by, story_col = _coverage_parts(data)
        presence, labels_from = data.presence, facts
    presence = frame_with(presence, [story_col, "fact_id", by, "status"], what="presence")
    story = _one_story(presence, story_col)
    rows = presence[presence[story_col].astype(str) == story]
    outlets = levels(rows[by], order)
    colors = resolve_palette(outlets, palette)
    counts = (rows["status"] == "carried").groupby(rows["fact_id"]).sum()
    first = rows.groupby("fact_id")["first_position"].min() if "first_position" in rows else None
    fact_ids = sorted(counts.index, key=lambda f: (-int(counts[f]), float(first[f])
                                                  if first is not None and not pd.isna(first[f])
                                                  else 0.0, f))
    n_hidden = max(len(fact_ids) - max_facts, 0)
    fact_ids = fact_ids[:max_facts]
    rows = rows[rows["fact_id"].isin(fact_ids)]
    ypos = {f: i for i, f in enumerate(fact_ids)}
    ax = get_ax(ax)
    style = {"marker": "s", "s": 70, "zorder": 3} | kwargs
    for col, outlet in enumerate(outlets):
        mine = rows[rows[by].astype(str) == outlet]
        has = mine[mine["status"] == "carried"]
        ax.scatter([col] * len(has), [ypos[f] for f in has["fact_id"]], color=colors[outlet],
                   label=outlet, **style)
        near = mine[mine["status"] == "related"]
        ax.scatter([col] * len(near), [ypos[f] for f in near["fact_id"]], marker="s", s=46,
                   facecolor="white", edgecolor=colors[outlet], linewidth=1.2, zorder=3)
        lacks = mine[mine["status"] == "absent"]
        ax.scatter([col] * len(lacks), [ypos[f] for f in lacks["fact_id"]], marker="s", s=18,
                   facecolor="none", edgecolor="#bbbbbb", linewidth=0.8, zorder=2)
    ax.set_xticks(range(len(outlets)), [literal(o, 30) for o in outlets],
                  rotation=90 if len(outlets) > 4 else 0)
    ax.xaxis.tick_top()
    ax.set_xlim(-0.6, len(outlets) - 0.4)
    ax.set_ylim(len(fact_ids) - 0.5, -0.5)
    if labels_from is not None:
        text = labels_from.drop_duplicates("fact_id").set_index("fact_id")["text"]
        labels = [f"{_clip(text.get(f, ''), max_chars)}" for f in fact_ids]
    else:
        labels = [f"fact {f}" for f in fact_ids]
    ax.set_yticks(range(len(fact_ids)), labels, fontsize=7)
    ax.set_ylabel("Fact (representative sentence)")
    more = f"\n{n_hidden} more facts not drawn (as many or fewer outlets)" if n_hidden else ""
    ax.set_title(f"Story: {literal(story, 60)}{more}", fontsize=9, loc="left", pad=18)
    ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
    ax.set_axisbelow(True)
    key = [Line2D([], [], marker="s", linestyle="none", color=NEUTRAL, label="carried"),
           Line2D([], [], marker="s", linestyle="none", color="#555555",
                  markerfacecolor="white", label="related (not carried)"),
           Line2D([], [], marker="s", linestyle="none", markersize=4, color="#bbbbbb",
                  markerfacecolor="none", label="absent")]
    ax.legend(handles=key, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=3,
              frameon=False, fontsize=7)
    return ax


def coverage_figure_size(data, story: str) -> tuple[float, float]:
    """A figure size that fits the coverage map of ``story`` (inches)."""
    facts, _pres, by, story_col = _coverage_parts(data)
    rows = facts[facts[story_col].astype(str) == story]
    n_out = max(1, rows[by].nunique())
    tallest = float(rows.groupby(by).size().max()) if len(rows) else 1.0
    tallest = min(tallest, 80.0)  # plot_coverage_map's max_sentences
    per_row = min(0.3, max(0.13, 40.0 / tallest))  # long articles: rows shrink, down to 9 pt
    return (1.0 + 3.0 * n_out, 1.6 + per_row * tallest)


def _coverage_parts(data):
    from mediakit.plots._checks import frame_with

    facts = getattr(data, "facts", None)
    presence = getattr(data, "presence", None)
    if not isinstance(facts, pd.DataFrame) or not isinstance(presence, pd.DataFrame):
        raise TypeError(
            f"data must be the result of mk.compare_coverage(...), got {type(data).__name__}."
        )
    params = getattr(data, "params", {}) or {}
    by, story_col = params.get("by", "outlet"), params.get("story", "story_id")
    frame_with(facts, [story_col, by, "article_id", "sentence_id", "kind", "rank", "n_outlets",
                       "sentence", "fact_id", "text"], what="coverage.facts")
    frame_with(presence, [story_col, by, "fact_id", "status", "similarity", "article_id",
                          "sentence_id", "fact_article_id", "fact_sentence_id"],
               what="coverage.presence")
    return facts, presence, by, story_col


def _one_story(frame: pd.DataFrame, column: str) -> str:
    from mediakit.plots._checks import only_value

    chosen = only_value(frame, column, noun="stories", what="the coverage result",
                        how="coverage.story({!r})")
    if chosen is None:
        raise ValueError("the coverage result holds no story to draw.")
    return chosen


def _clip(text: object, n: int) -> str:
    if n <= 0 or text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return literal(text, n)
