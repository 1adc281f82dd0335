"""The figure-level ``plot_overview``, the standard figure set of a report, and its focus.

Both take an :class:`mediakit.Analysis` or a mapping of its tables and draw each available part
with the axes-level ``plot_*`` functions; parts that are absent are left out. With many outlets
and stories the figures draw a focus (:func:`choose_focus`): the stories most outlets covered,
the groups with the most articles; what is left out is named in captions and in the report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral

import pandas as pd

from mediakit._params import Interval, roles_of, validate_params
from mediakit.plots._style import display_label, literal, outlet_colors, top_levels

#: The parts of an analysis a figure can be drawn from.
PARTS: tuple[str, ...] = (
    "articles", "sentences", "readability", "groups", "frames", "terms", "coverage", "actors",
    "notes", "manifest", "palette", "params", "warnings", "skipped", "term_examples", "attention",
)

#: Measures of the ``groups`` table drawn as estimate figures (the table keeps all of them).
FIGURE_MEASURES: tuple[str, ...] = ("sentiment_compound", "readability_flesch_kincaid_grade")

#: Most groups drawn as separate colours in one figure (legends stay at most this long).
MAX_GROUPS = 8
#: Most rows of a one-row-per-group figure (estimates, frame profile).
MAX_ROWS = 40
#: Stories (rows) of the attention figure: plot_attention's default ``n_stories``.
ATTENTION_STORIES = 20
#: Most outlets drawn side by side in one story's coverage figures.
MAX_STORY_OUTLETS = 8


def tables_of(result: object) -> dict[str, object]:
    """The parts of an Analysis (attributes) or a mapping (keys), plus the colour palette.

    ``palette`` maps every outlet and every value of the analysis's ``by`` column to a colour
    (:func:`mediakit.plots.outlet_colors`, most articles first), the same in every figure.
    """
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
        by = by_of(tables)
        palette: dict[str, str] = {}
        for column in dict.fromkeys(["outlet", by]):
            values = _column_values(tables, column)
            for key, color in outlet_colors(values).items():
                palette.setdefault(key, color)
        tables["palette"] = palette
    return tables


def by_of(tables: Mapping[str, object]) -> str:
    """The grouping column of the analysis (its ``params["by"]``, default ``"outlet"``)."""
    params = tables.get("params") or {}
    manifest = tables.get("manifest") or {}
    if not params and isinstance(manifest, Mapping):
        params = manifest.get("parameters") or {}
    return str(params.get("by") or "outlet")


def story_of(tables: Mapping[str, object]) -> str:
    """The story column of the analysis (its ``params["story"]``, default ``"story_id"``)."""
    params = tables.get("params") or {}
    manifest = tables.get("manifest") or {}
    if not params and isinstance(manifest, Mapping):
        params = manifest.get("parameters") or {}
    return str(params.get("story") or "story_id")


def _column_values(tables: Mapping[str, object], column: str) -> list[object]:
    articles = tables.get("articles")
    if isinstance(articles, pd.DataFrame) and column in articles.columns:
        return list(articles[column].dropna())
    values: list[object] = []
    coverage_facts = getattr(tables.get("coverage"), "facts", None)
    for frame in (tables.get("sentences"), coverage_facts, tables.get("groups")):
        if isinstance(frame, pd.DataFrame) and column in frame.columns:
            values += list(frame[column].dropna().unique())
    return values


@dataclass(frozen=True)
class FigureItem:
    """One figure of a report: file stem, caption, the Figure and the data it draws."""

    name: str
    caption: str
    figure: object
    data: pd.DataFrame | None


@dataclass
class Focus:
    """What the figures draw: stories and groups, and what was left out (named in the report).

    ``stories``: stories drawn story by story (coverage, presence, actors), most outlets first;
    ``stories_left``: the other stories; ``single_outlet``: stories only one outlet covered (no
    coverage map: nothing to compare). ``groups``: values of ``by`` drawn as colours, most
    articles first; ``groups_left``: the others. ``reason`` says how they were chosen.
    """

    by: str = "outlet"
    stories: list[str] = field(default_factory=list)
    stories_left: list[str] = field(default_factory=list)
    single_outlet: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    groups_left: list[str] = field(default_factory=list)
    reason: str = ""


def choose_focus(tables: Mapping[str, object], *, stories: Sequence[str] | None = None,
                 groups: Sequence[str] | None = None, max_stories: int = 3,
                 max_groups: int = MAX_GROUPS) -> Focus:
    """Choose what the figures draw: given stories / groups, else by coverage.

    Without ``stories``: the stories covered by the most outlets (then most articles, then by
    id), at most ``max_stories``, never a story only one outlet covered. Without ``groups``: the
    values of ``by`` with the most articles, at most ``max_groups``. Given values are kept in
    the order given (unknown ones raise ``ValueError`` naming the nearest).
    """
    from mediakit._validation import suggest

    by, story_col = by_of(tables), story_of(tables)
    articles = tables.get("articles")
    focus = Focus(by=by)
    if not isinstance(articles, pd.DataFrame) or articles.empty:
        return focus
    if story_col in articles.columns and by in articles.columns:
        # stories compared across groups: a story of one group has nothing to compare
        per_story = articles.groupby(articles[story_col].astype(str)).agg(
            n_outlets=(by, "nunique"), n_articles=(by, "size"))
        ranked = sorted(per_story.index, key=lambda s: (-int(per_story.at[s, "n_outlets"]),
                                                        -int(per_story.at[s, "n_articles"]), s))
        focus.single_outlet = [s for s in ranked if per_story.at[s, "n_outlets"] < 2]
        if stories is not None:
            chosen = [str(s) for s in stories]
            for s in chosen:
                if s not in per_story.index:
                    raise ValueError(f"story {s!r} is not in the articles." + suggest(s, ranked))
            reasons = ["stories as chosen"]
        else:
            chosen = [s for s in ranked if s not in focus.single_outlet][:max_stories]
            reasons = ["the stories covered by the most outlets"]
        focus.stories = chosen
        focus.stories_left = [s for s in ranked if s not in chosen]
    else:
        reasons = []
    if by in articles.columns:
        if groups is not None:
            known = {str(v) for v in articles[by].dropna()}
            chosen = [str(g) for g in groups]
            for g in chosen:
                if g not in known:
                    raise ValueError(f"{by} {g!r} is not in the articles."
                                     + suggest(g, sorted(known)))
            ranked, _ = top_levels(articles[by], len(known))
            focus.groups, focus.groups_left = chosen, [g for g in ranked if g not in chosen]
            reasons.append(f"{_plural(by)} as chosen")
        else:
            focus.groups, focus.groups_left = top_levels(articles[by], max_groups)
            reasons.append(f"the {_plural(by)} with the most articles")
    focus.reason = " and ".join(reasons)
    return focus


def _left_out(items: Sequence[str], what: str, *, shown: int = 6) -> str:
    if not items:
        return ""
    names = ", ".join(_short(i) for i in items[:shown])
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return f" Not drawn ({len(items)} {what}): {names}{more}."


def _plural(by: str) -> str:
    return "outlets" if by == "outlet" else f"{by} values"


def _short(text: object, n: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _in(frame: pd.DataFrame, column: str, values: Sequence[str]) -> pd.DataFrame:
    return frame[frame[column].astype(str).isin(set(values))]


def _panels(tables: dict[str, object], focus: Focus | None = None, *, max_stories: int = 3
            ) -> list[tuple[str, str, Callable, pd.DataFrame, tuple]]:
    """(name, caption, draw(ax), data, size) for every part present, in reading order."""
    from mediakit.plots.actor_tone import plot_actor_tone
    from mediakit.plots.actors import plot_actors
    from mediakit.plots.attention import plot_attention
    from mediakit.plots.estimates import plot_estimates, plot_readability
    from mediakit.plots.frames import plot_frames
    from mediakit.plots.sentiment import MAX_ARTICLES_DRAWN, plot_sentiment_arc
    from mediakit.plots.terms import plot_keyness

    palette = tables["palette"]
    focus = focus or choose_focus(tables, max_stories=max_stories)
    by = focus.by
    out = []
    coverage = tables.get("coverage")
    if coverage is not None and isinstance(getattr(coverage, "facts", None), pd.DataFrame):
        out += _coverage_panels(coverage, palette, focus)
    groups_left = _left_out(focus.groups_left, f"{_plural(by)} with fewer articles")
    sentences = tables.get("sentences")
    if _has(sentences, "sentiment_compound", "position", by):
        cols = dict.fromkeys(["article_id", "sentence_id", by, "position", "sentiment_compound"])
        data = _in(sentences[[c for c in cols if c in sentences.columns]], by, focus.groups)
        mean = data["article_id"].nunique() > MAX_ARTICLES_DRAWN
        how = ("mean of articles' sentence scores in each tenth of the article, with a 95% band "
               "over articles" if mean else "each content sentence; one line per article")
        out.append(("sentiment_arc",
                    f"Sentiment along the article (0 = lede, 1 = end) per {by}: {how}."
                    + groups_left,
                    lambda ax, d=data: plot_sentiment_arc(
                        d, hue=by, order=focus.groups, palette=palette, ax=ax),
                    data, (7.5, 4)))
    groups = tables.get("groups")
    if _has(groups, "measure", "estimate", by):
        drawn = [m for m in FIGURE_MEASURES if m in set(groups["measure"].astype(str))]
        ranked = focus.groups + focus.groups_left
        shown = ranked[:MAX_ROWS]
        for measure in drawn:
            data = groups[groups["measure"] == measure]
            if "comparison" in data.columns:
                data = data[data["comparison"] == "group"]
            data = _in(data, by, shown)
            order = [g for g in shown if g in set(data[by].astype(str))]
            out.append((f"estimates_{measure}",
                        f"{display_label(measure)} per {by}: estimate and 95% interval "
                        "(compare_groups); n = articles. The axis spans the scale's range (or "
                        "includes zero)." + _left_out(ranked[MAX_ROWS:], _plural(by)),
                        lambda ax, d=data, o=order: plot_estimates(
                            d, y=by, order=o, palette=palette, ax=ax),
                        data, (6.5, 1.2 + 0.3 * max(2, len(order)))))
    readability = tables.get("readability")
    if _has(readability, "readability_flesch_kincaid_grade", by):
        cols = dict.fromkeys(["article_id", by, "readability_flesch_kincaid_grade"])
        data = readability[[c for c in cols if c in readability.columns]]
        data = _in(data.dropna(subset=["readability_flesch_kincaid_grade"]), by, focus.groups)
        data = data.drop_duplicates("article_id") if "article_id" in data.columns else data
        out.append(("readability",
                    f"Flesch-Kincaid grade of each article per {by} (higher = harder)."
                    + groups_left,
                    lambda ax, d=data: plot_readability(
                        d, x=by, order=focus.groups, palette=palette, ax=ax),
                    data, (max(5.0, 1.5 + 0.6 * len(focus.groups)), 4.5)))
    frames = tables.get("frames")
    if _has(frames, "measure", "estimate", by) and frames["measure"].astype(str).str.startswith(
            "frame_").any():
        ranked = focus.groups + focus.groups_left
        data = _in(frames, by, ranked[:MAX_ROWS])
        order = [g for g in ranked[:MAX_ROWS] if g in set(data[by].astype(str))]
        n_frames = data["measure"].astype(str).str.startswith("frame_").groupby(
            data["measure"]).any().sum()
        out.append(("frames", f"Frame profile: frame-term hits per sentence, per {by}."
                    + _left_out(ranked[MAX_ROWS:], _plural(by)),
                    lambda ax, d=data, o=order: plot_frames(d, y=by, order=o, ax=ax),
                    data, (max(6.0, 3.0 + 0.45 * n_frames), 2.8 + 0.24 * max(3, len(order)))))
    terms = tables.get("terms")
    if _has(terms, "term", "reference", "g2", by):
        present = set(terms[by].dropna().astype(str).unique())
        targets = [g for g in focus.groups if g in present]
        if len(present) == 2 and set(terms["reference"].astype(str)) == {"rest"}:
            targets = targets[:1]  # with two groups, A vs rest mirrors B vs rest
        targets = targets[:max_stories]
        rest = [g for g in focus.groups + focus.groups_left if g in present and g not in targets]
        for target in targets:
            mine = terms[terms[by].astype(str) == target]
            out.append((f"keyness_{target}",
                        f"Terms {target} uses more (right) and less (left) than the other "
                        f"{_plural(by)}: signed G² with raw counts (compare_terms)."
                        + _left_out(rest if len(present) > 2 else [], f"{_plural(by)} without "
                                    "a keyness figure (see tables/terms)"),
                        lambda ax, d=mine: plot_keyness(d, hue=by, palette=palette, ax=ax),
                        mine, (7, 5.5)))
    attention = tables.get("attention")
    if _has(attention, "period", "n_articles", "role", by) and attention["period"].notna().any():
        story_col = roles_of(attention).get("story", "story_id")
        n_rows = min(ATTENTION_STORIES, attention.loc[
            attention["period"].notna() & (attention["n_articles"] > 0), story_col].nunique())
        out.append(("attention",
                    f"Attention over time: articles per {by}, story and day; a ringed dot is "
                    "the first report of a story, named at the end of its row "
                    "(compare_attention). The biggest stories are drawn; tables/attention "
                    "holds all.",
                    lambda ax, d=attention: plot_attention(d, palette=palette, ax=ax),
                    attention, (9.0, 1.6 + 0.32 * max(n_rows, 2))))
    actors = tables.get("actors")
    actor_roles = roles_of(actors)
    a_by, a_story = actor_roles.get("by", by), actor_roles.get("story", story_of(tables))
    if _has(actors, a_story, "canonical", "n_mentions", "n_quotes", a_by):
        for story in focus.stories:
            data = actors[actors[a_story].astype(str) == story]
            if data.empty:
                continue
            outlets, _left = top_levels(data[a_by], MAX_STORY_OUTLETS,
                                        weights=data["canonical"])
            n_rows = min(12, data["canonical"].nunique())
            out.append((f"actors_{story}",
                        f"People and organisations in story {story}: mentions per outlet (bars) "
                        "and quotes attributed to them (hatched) (compare_actors).",
                        lambda ax, d=data, o=outlets: plot_actors(
                            d[d["label"].isin(("PERSON", "ORG"))], hue=a_by, hue_order=o,
                            palette=palette, ax=ax),
                        data, (7.5, 1.2 + 0.22 * n_rows * max(2, len(outlets)))))
            if _has(data, "negative_share", "neutral_share", "positive_share"):
                tone = (actors.attrs.get("compare_actors", {}) or {}).get("tone", "")
                n_bars = min(len(data), 8 * max(len(outlets), 1))
                out.append((f"actor_tone_{story}",
                            f"Tone toward each actor in story {story}: share of each outlet's "
                            "mentions whose sentence speaks of the actor negatively (red), "
                            "neutrally (grey) or positively (blue), with 95% intervals that "
                            "resample articles (none for one article); model: "
                            f"{tone or 'unknown'} (score_target_sentiment, compare_actors).",
                            lambda ax, d=data, o=outlets: plot_actor_tone(
                                d[d[a_by].astype(str).isin(o)], hue=a_by, ax=ax),
                            data, (7.5, 1.4 + 0.22 * n_bars)))
    return out


def standard_figures(result: object, *, max_stories: int = 3, focus: Focus | None = None,
                     freeze: bool = False) -> list[FigureItem]:
    """One Figure per available part: what the report shows and ``Analysis.report`` saves.

    What is drawn follows ``focus`` (default :func:`choose_focus`: the ``max_stories`` stories
    covered by the most outlets, the groups with the most articles); captions name what was
    left out, and the tables hold everything. ``freeze`` lays each figure out once (constrained
    layout) and keeps it fixed, so saving it in several formats does not lay it out again.
    Names may contain story ids: make them safe
    (``mediakit.report._build.figure_stems``) before using them as paths.
    """
    import matplotlib.pyplot as plt

    tables = result if isinstance(result, dict) and "palette" in result else tables_of(result)
    items = []
    # many figures are open at once on purpose (the caller saves and closes them): no
    # "More than 20 figures have been opened" warning, which the report would list
    with plt.rc_context({"figure.max_open_warning": 0}):
        for name, caption, draw, data, size in _panels(tables, focus, max_stories=max_stories):
            fig, ax = plt.subplots(figsize=size, layout="constrained")
            draw(ax)
            if freeze:  # lay out once; every later save keeps these positions
                fig.canvas.draw()
                fig.set_layout_engine("none")
            items.append(FigureItem(name, caption, fig, data))
    return items


@validate_params(data=[object], max_panels=[Interval(Integral, 1, None)],
                 figsize=[tuple, list, None])
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
        frames, keyness, actors (the focus of :func:`choose_focus`).
    figsize : (float, float), optional
        Figure size in inches; default sized to the panels (two columns).

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
    heights = [max(p[4][1] for p in panels[r * ncols:(r + 1) * ncols]) for r in range(nrows)]
    width = max(p[4][0] for p in panels)
    fig = plt.figure(figsize=figsize or (width * ncols, min(sum(heights), 60.0)),
                     layout="constrained")
    grid = fig.add_gridspec(nrows, ncols, height_ratios=heights)
    for k, (_name, caption, draw, _data, _size) in enumerate(panels):
        ax = fig.add_subplot(grid[k // ncols, k % ncols])
        draw(ax)
        if not ax.get_title():
            ax.set_title(literal(caption.split(":")[0].split(".")[0], 60), fontsize=10,
                         loc="left")
    return fig


def _coverage_panels(coverage, palette, focus: Focus) -> list[tuple]:
    from mediakit.plots.coverage import plot_coverage_map, plot_presence

    params = getattr(coverage, "params", {}) or {}
    story_col, by = params.get("story", "story_id"), params.get("by", "outlet")
    facts = coverage.facts
    known = set(facts[story_col].dropna().astype(str).unique())
    out = []
    for story in focus.stories:
        if story not in known or story in focus.single_outlet:
            continue
        data = facts[facts[story_col].astype(str) == story]
        outlets, left = top_levels(data[by], MAX_STORY_OUTLETS, weights=data["article_id"])
        if len(outlets) < 2:
            continue
        left_text = _left_out(left, "outlets with fewer articles on the story")
        tallest = min(80, int(data.groupby(by).size().max()))
        per_row = min(0.3, max(0.14, 40.0 / max(tallest, 1)))
        out.append((f"coverage_map_{story}",
                    f"Coverage map of story {story}: each outlet's content sentences in reading "
                    "order; filled boxes are facts no other outlet carries, solid lines join "
                    "sentences of one fact, dashed lines related sentences (not carried), each "
                    "with its similarity." + left_text,
                    lambda ax, s=story, o=outlets: plot_coverage_map(
                        coverage.story(s), order=o, palette=palette, max_chars=30, ax=ax),
                    data, (1.0 + 3.2 * len(outlets), 1.8 + per_row * tallest)))
        pres = coverage.presence[coverage.presence[story_col].astype(str) == story]
        n_facts = min(30, pres["fact_id"].nunique())
        out.append((f"presence_{story}",
                    f"Facts of story {story} and the outlets that carry them (outlined: "
                    "related, not carried; grey: absent); facts most outlets carry first, at "
                    "most 30." + left_text,
                    lambda ax, s=story, o=outlets: plot_presence(
                        coverage.story(s), order=o, palette=palette, ax=ax),
                    pres, (3.5 + 0.5 * len(outlets) + 4.0, 2.2 + 0.26 * n_facts)))
    return out


def _has(frame: object, *columns: str) -> bool:
    return isinstance(frame, pd.DataFrame) and not frame.empty and set(columns) <= set(frame)
