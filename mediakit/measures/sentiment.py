"""Sentence sentiment with VADER (vaderSentiment), one sentence at a time.

VADER is never run on a whole article (it saturates on long text and costs quadratic time):
article and outlet figures are rollups of sentence scores, made by :func:`compare_groups`.
"""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version
from numbers import Integral

import numpy as np
import pandas as pd

from mediakit._dask import dask_aware
from mediakit._memory import releases_memory
from mediakit._parallel import map_chunks, worker_pool
from mediakit._params import Column, Frame, Interval, Options, validate_params
from mediakit._validation import require_columns, resolve_kinds
from mediakit.measures._textcheck import (
    KINDS_RULES,
    ascii_quotes,
    refuse_articles,
    text_values,
    warn_if_not_english,
)

#: Output columns, in order.
COLUMNS: tuple[str, ...] = ("sentiment_neg", "sentiment_neu", "sentiment_pos",
                            "sentiment_compound")
#: Which sentences to score (others get NaN); see :func:`score_sentiment`.
SCOPES: tuple[str, ...] = ("all", "headline", "body", "own_voice", "quoted")
#: A sentence is quoted speech when at least this share of its characters is inside quotes.
QUOTED_SHARE = 0.5


@functools.cache
def _analyzer():
    from mediakit.measures._vader import FastAnalyzer

    return FastAnalyzer()  # vaderSentiment's rules and scores without its overhead (see _vader)


def _score_texts(texts: list[str]) -> np.ndarray:
    """VADER scores (n x 4: neg, neu, pos, compound) of non-empty texts."""
    polarity = _analyzer().polarity_scores
    rows = [polarity(text) for text in texts]
    return np.array([[r["neg"], r["neu"], r["pos"], r["compound"]] for r in rows],
                    dtype=float).reshape(len(texts), 4)


def _score_quoted(texts: list[str]) -> np.ndarray:
    """:func:`_score_texts` of the texts with curly quotes read as ASCII
    (:func:`ascii_quotes`)."""
    return _score_texts([ascii_quotes(text) for text in texts])


def _score_rows(texts: list) -> np.ndarray:
    """Scores (n x 4) of a chunk of rows' texts, NaN where a text is missing or blank, each
    distinct text of the chunk scored once (:func:`_score_quoted`); what the workers run."""
    out = np.full((len(texts), 4), np.nan)
    keep = [i for i, text in enumerate(texts) if text is not None and text.strip()]
    if keep:
        codes, uniques = pd.factorize(np.array([texts[i] for i in keep], dtype=object))
        out[keep] = _score_quoted(list(uniques))[codes]
    return out


def _scope_mask(data: pd.DataFrame, scope: str) -> np.ndarray:
    if scope == "all":
        return np.ones(len(data), dtype=bool)
    if scope in ("headline", "body"):
        require_columns(data, ["kind"], hint=f"scope={scope!r} needs the sentence kinds.")
        is_headline = (data["kind"] == "headline").to_numpy(dtype=bool, na_value=False)
        return is_headline if scope == "headline" else ~is_headline
    require_columns(data, ["in_quote"], hint=f"scope={scope!r} needs the in_quote share.")
    share = pd.to_numeric(data["in_quote"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if scope == "quoted":
        return share >= QUOTED_SHARE
    return share < QUOTED_SHARE


@validate_params(
    data=[Frame(dask=True)], scope=[Options(*SCOPES)], text=[Column()], kinds=KINDS_RULES,
    n_jobs=[Interval(Integral, 1, None)], progress=[bool, None],
)
@dask_aware
@releases_memory
def score_sentiment(data: pd.DataFrame, *, scope: str = "all", text: str = "text", kinds=None,
                    n_jobs: int = 1, progress: bool | None = None) -> pd.DataFrame:
    """Score each sentence's sentiment with VADER (Hutto & Gilbert 2014).

    One sentence at a time, never a whole article. Curly quotes and apostrophes (’ ‘ “ ”) are
    mapped to ASCII in the scoring input only (vaderSentiment issue #66: otherwise "I don’t
    like it" scores positive); the frame's text is not changed. Article and outlet figures are
    rollups of these scores: use :func:`compare_groups` (mean compound, or the share of
    sentences with compound > 0.05 / < -0.05).

    Parameters
    ----------
    data : DataFrame
        Sentences frame (``mk.split_sentences``) or any frame with a text column. Without a
        ``kind`` column every row is scored (e.g. a list of sentences from elsewhere). An
        articles frame (``title``/``url``/``source`` and no ``sentence_id`` or ``kind``) is
        refused: split it first.
    scope : {"all", "headline", "body", "own_voice", "quoted"}
        Which of the selected sentences to score: all of them; the headline; the body (content
        sentences other than the headline, i.e. body and bullets); the outlet's own voice
        (``in_quote`` < 0.5); or quoted speech (``in_quote`` >= 0.5). Other rows get NaN, so
        ``compare_groups`` on the result compares outlets within that scope.
    text : str
        Column holding the sentence text.
    kinds : str or list of str, optional
        Sentence kinds scored (default content: headline, body, bullet); ``"all"`` for every row.
    n_jobs : int
        Worker processes (1 = in this process). Results are identical for any value.
    progress : bool, optional
        Show a progress bar (default: only for long work).

    Returns
    -------
    DataFrame
        A copy of ``data``, same rows and order, with ``sentiment_neg``, ``sentiment_neu``,
        ``sentiment_pos`` (shares of the sentence's valence, 0 to 1, summing to about 1) and
        ``sentiment_compound`` (normalised sum of valences, -1 most negative to +1 most
        positive; VADER's conventional cut-offs are +-0.05). NaN for rows outside ``kinds`` or
        ``scope``, with missing text, or with blank text. ``result.attrs["sentiment"]`` records
        the method, version and selection.

    Raises
    ------
    SchemaError
        The text column (or ``kind`` / ``in_quote`` for a scope that needs it) is missing, or
        ``data`` is an articles frame (the message names ``mk.split_sentences``).
    InvalidParameterError
        An option has the wrong type or value (a ``TypeError`` and a ``ValueError``).
    TypeError
        A text value is neither a string nor missing.

    Examples
    --------
    >>> import mediakit as mk
    >>> sents = mk.split_sentences(mk.load_example("seeds"))
    >>> scored = mk.score_sentiment(sents)
    >>> bool(scored["sentiment_compound"].dropna().between(-1, 1).all())
    True
    >>> scored.loc[scored["kind"] == "promo", "sentiment_compound"].isna().all()
    np.True_
    """
    refuse_articles(data, "score_sentiment")
    kinds = resolve_kinds(kinds)
    require_columns(data, [text], hint="Build a sentences frame with mk.split_sentences(articles).")
    values = text_values(data, text)
    selected = (data["kind"].isin(kinds).to_numpy(dtype=bool) if "kind" in data.columns
                else np.ones(len(data), dtype=bool))
    rows = np.flatnonzero(selected & _scope_mask(data, scope))
    result = np.full((len(data), 4), np.nan)
    if len(rows):
        warn_if_not_english(values[rows], what="VADER sentiment (an English lexicon)")
        with worker_pool(n_jobs if len(rows) > 1 else 1) as pool:
            # the rows go to the workers as they are: blank texts are left out, each distinct
            # text of a chunk scored once (same text, same score) and the quotes mapped there
            result[rows] = map_chunks(_score_rows, values[rows].tolist(), n_jobs=n_jobs,
                                      pool=pool, progress=progress, desc="sentiment")
    out = data.copy()
    for k, column in enumerate(COLUMNS):
        out[column] = result[:, k]
    try:
        vader_version = version("vaderSentiment")
    except PackageNotFoundError:  # pragma: no cover - it is a core dependency
        vader_version = "unknown"
    out.attrs["sentiment"] = {
        "method": "VADER (Hutto & Gilbert 2014), per sentence",
        "vaderSentiment_version": vader_version,
        "scope": scope,
        "kinds": list(kinds) if "kind" in data.columns else "all rows (no kind column)",
        "input_mapping": "curly quotes and apostrophes mapped to ASCII before scoring",
        "n_scored": int(np.count_nonzero(~np.isnan(result[:, 3]))),
    }
    return out
