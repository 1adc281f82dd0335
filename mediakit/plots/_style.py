"""Colours, display labels and axes handling shared by every ``plot_*`` function.

Nothing here changes matplotlib's global state: colours are passed to each artist, labels are set
on the Axes the caller gave (or ``plt.gca()``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

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


def outlet_colors(outlets: Iterable[object]) -> dict[str, str]:
    """Map each outlet to a colour, deterministically, by sorted outlet name.

    The colours are the Okabe-Ito colour-blind safe palette; beyond eight outlets they repeat
    (outlet labels tell them apart). Pass the same, full list of outlets to every figure (as
    ``palette=outlet_colors(articles["outlet"])``) and an outlet keeps its colour everywhere.

    Parameters
    ----------
    outlets : iterable of str
        Outlet names; duplicates and missing values are ignored.

    Returns
    -------
    dict
        ``{outlet: "#rrggbb"}`` in sorted outlet order.

    Examples
    --------
    >>> outlet_colors(["outlet B", "outlet A", "outlet B"])
    {'outlet A': '#E69F00', 'outlet B': '#56B4E9'}
    """
    names = sorted({str(o) for o in outlets if not _is_missing(o)})
    return {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(names)}


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
    return sorted({str(v) for v in series if not _is_missing(v)})


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
