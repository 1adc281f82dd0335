"""Colours, display labels and axes handling shared by every ``plot_*`` function.

Nothing here changes matplotlib's global state: colours are passed to each artist, labels are set
on the Axes the caller gave (or ``plt.gca()``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from mediakit._params import Values, validate_params

#: Okabe & Ito (2008) colour-blind safe palette, in the order outlets get them. Black comes last
#: so that the first outlets get colours distinct from the black used for text and neutral marks.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Colour for marks that belong to no outlet (shared sentences, gridlines of alignment).
NEUTRAL = "#999999"

#: Display labels for known column names; other names get a generic label (see ``display_label``).
LABELS: dict[str, str] = {
    "sentiment_compound": "Sentiment (compound)",
    "sentiment_neg": "Sentiment (negative share)",
    "sentiment_neu": "Sentiment (neutral share)",
    "sentiment_pos": "Sentiment (positive share)",
    "readability_flesch_kincaid_grade": "Flesch-Kincaid grade",
    "readability_flesch_reading_ease": "Flesch reading ease",
    "readability_gunning_fog": "Gunning fog index",
    "readability_smog_index": "SMOG index",
    "readability_coleman_liau_index": "Coleman-Liau index",
    "readability_automated_readability_index": "Automated readability index",
    "readability_dale_chall": "Dale-Chall score",
    "position": "Position in article (0 = lede, 1 = end)",
    "outlet": "Outlet",
    "story_id": "Story",
    "estimate": "Estimate",
    "g2": "Keyness (signed G², log-likelihood)",
    "chi2": "Keyness (signed chi-square)",
    "log_ratio": "Log ratio (log2 of relative frequencies)",
    "log_odds_z": "Log-odds z-score (informative Dirichlet prior)",
    "n_mentions": "Mentions",
    "n_quotes": "Quotes",
    "n_articles": "Articles",
    "n_sentences": "Content sentences",
}


def display_label(name: object) -> str:
    """Return the display label of a column or measure name.

    Known names use :data:`LABELS`; ``family_rest`` becomes ``"Family (rest)"``; ``frame_x``
    becomes ``"X"``.

    Examples
    --------
    >>> display_label("sentiment_compound")
    'Sentiment (compound)'
    >>> display_label("frame_economic_consequences")
    'Economic consequences'
    """
    text = str(name)
    if text in LABELS:
        return LABELS[text]
    if text.startswith("frame_"):
        rest = text.removeprefix("frame_").replace("_", " ")
        return rest[:1].upper() + rest[1:]
    family, _, rest = text.partition("_")
    if rest and family in {"sentiment", "readability", "n", "share"}:
        return f"{family.capitalize()} ({rest.replace('_', ' ')})"
    spaced = text.replace("_", " ")
    return spaced[:1].upper() + spaced[1:]


def palette_for(n: int) -> tuple[str, ...]:
    """A categorical palette with at least ``n`` distinct colours where possible, chosen by count.

    Up to 8: Okabe & Ito (colour-blind safe). Up to 18: matplotlib's ``tab20`` without its
    greys (grey marks what belongs to no outlet), saturated colours first, then their light
    partners. Beyond: ``tab20``, ``tab20b`` and ``tab20c`` without greys (52 colours); past that
    colours repeat, and figures draw at most a dozen groups.
    """
    if n <= len(OKABE_ITO):
        return OKABE_ITO
    from matplotlib import colormaps
    from matplotlib.colors import rgb_to_hsv, to_hex

    def hexes(name: str) -> list[str]:
        colors = [c for c in colormaps[name].colors if rgb_to_hsv(c[:3])[1] >= 0.15]
        colors = [to_hex(c).upper() for c in colors]  # greys left out: grey means "no outlet"
        return colors[0::2] + colors[1::2]  # saturated first, then the light partners

    out = hexes("tab20")
    if n > len(out):
        out += hexes("tab20b") + hexes("tab20c")
    return tuple(out)


@validate_params(outlets=[Values()])
def outlet_colors(outlets: Iterable[object]) -> dict[str, str]:
    """Map each outlet to a colour, deterministically: most frequent first, then by name.

    Pass every outlet's occurrences (e.g. ``articles["outlet"]``): the outlets with the most
    articles get the first, most distinct colours of :func:`palette_for` (Okabe-Ito up to 8
    outlets, ``tab20`` up to 18, 52 colours beyond). Pass the same, full list to every figure
    (``palette=outlet_colors(articles["outlet"])``) and an outlet keeps its colour everywhere.

    Parameters
    ----------
    outlets : iterable of str
        Outlet names, one per article (counts decide the order); missing values are ignored.

    Returns
    -------
    dict
        ``{outlet: "#rrggbb"}``, most frequent outlet first (ties by name).

    Examples
    --------
    >>> outlet_colors(["outlet B", "outlet A", "outlet B"])
    {'outlet B': '#E69F00', 'outlet A': '#56B4E9'}
    """
    counts: dict[str, int] = {}
    for o in outlets:
        if not _is_missing(o):
            counts[str(o)] = counts.get(str(o), 0) + 1
    names = sorted(counts, key=lambda k: (-counts[k], k))
    colors = palette_for(len(names))
    return {name: colors[i % len(colors)] for i, name in enumerate(names)}


#: Longest label drawn (characters); longer data strings are shortened with an ellipsis.
MAX_LABEL = 40


def literal(text: object, max_chars: int | None = MAX_LABEL) -> str:
    """Text from the data as matplotlib draws it literally: one line, clipped, ``$`` escaped.

    Every string that comes from articles or their metadata (outlet names, sentences, terms,
    actors, story ids) goes through this before it is drawn: whitespace runs become one space,
    text longer than ``max_chars`` ends in an ellipsis (a 20,000-character outlet name is drawn
    as 40 characters), and each ``$`` is escaped so mathtext never parses it ("$10 and $20"
    stays as written, never italic math).

    Examples
    --------
    >>> print(literal("Fees: $10 for the #1 account, $20 otherwise", 80))
    Fees: \\$10 for the #1 account, \\$20 otherwise
    >>> literal("x" * 50, 10)
    'xxxxxxxxx…'
    """
    if text is None or (not isinstance(text, str) and _is_missing(text)):
        return ""
    text = " ".join(str(text).split())
    if max_chars is not None and len(text) > max_chars:
        text = text[: max(max_chars - 1, 0)].rstrip() + "…"
    return text.replace("$", r"\$")


def wrap_label(text: object, width: int = 22, max_lines: int = 2) -> str:
    """A literal label (see :func:`literal`) wrapped to ``width`` characters, ``max_lines`` lines."""
    import textwrap

    flat = " ".join(str(text).split()) if not _is_missing(text) else ""
    lines = textwrap.wrap(flat, width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "…"
    return "\n".join(literal(line, None) for line in lines)


def resolve_palette(levels: Sequence[object],
                    palette: Mapping[str, str] | Sequence[str] | None) -> dict[str, str]:
    """Colours for ``levels``: a given mapping (checked), a given list, or ``outlet_colors``."""
    keys = [str(v) for v in levels]
    if palette is None:
        return outlet_colors(keys)
    if isinstance(palette, Mapping):
        missing = [k for k in keys if k not in palette]
        if missing:
            raise ValueError(
                f"palette has no colour for {', '.join(map(repr, missing[:5]))}; pass a mapping "
                "covering every outlet, e.g. palette=outlet_colors(articles['outlet']) "
                "(from mediakit.plots)."
            )
        return {k: palette[k] for k in keys}
    if isinstance(palette, str) or not isinstance(palette, Sequence) or not palette:
        raise TypeError("palette must be a mapping {outlet: colour}, a list of colours, or None.")
    return {k: palette[i % len(palette)] for i, k in enumerate(sorted(keys))}


def top_levels(series: pd.Series, k: int, *, weights: pd.Series | None = None
               ) -> tuple[list[str], list[str]]:
    """The ``k`` most frequent values of ``series`` (ties by name) and the rest, as strings.

    ``weights`` (same index), when given, counts distinct values of it per level instead of rows
    (e.g. articles per outlet from a sentences frame).
    """
    frame = pd.DataFrame({"level": series.astype("string")})
    if weights is not None:
        frame["w"] = weights.to_numpy()
        counts = frame.dropna(subset=["level"]).groupby("level")["w"].nunique()
    else:
        counts = frame["level"].dropna().value_counts()
    ranked = sorted(counts.index, key=lambda v: (-int(counts[v]), str(v)))
    return [str(v) for v in ranked[:k]], [str(v) for v in ranked[k:]]


def get_ax(ax):
    """The Axes to draw on: the one given, or ``plt.gca()``."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.gca()


def levels(series: pd.Series, order: Sequence[object] | None = None) -> list[str]:
    """Group levels to draw: ``order`` if given (as str), else sorted unique non-missing values."""
    if order is not None:
        return [str(v) for v in order]
    return sorted(set(series.dropna().astype(str).unique()))


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
