"""Checks and input mapping shared by the English text measures (sentiment, readability)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from mediakit._errors import LanguageWarning, SchemaError
from mediakit._params import Options, Subset, warn
from mediakit._validation import ALL_KINDS

#: The declared constraints of every ``kinds=`` option (see ``mediakit._params``): None or
#: "content" (headline, body, bullet), "all", one kind, or a non-empty list of kinds.
KINDS_RULES = [None, Options("content", "all", *ALL_KINDS), Subset(*ALL_KINDS)]

#: Curly quotes and apostrophes mapped to ASCII in the *scoring input only* (never in the frame).
QUOTE_MAP = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def ascii_quotes(text: str) -> str:
    """``text.translate(QUOTE_MAP)``, faster: ASCII text has nothing to map.

    The one quote folding of the English measures' scoring input (VADER reads "don’t" as
    positive otherwise: vaderSentiment issue #66); the frame's text is never changed.
    """
    if text.isascii():
        return text
    return (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
            .replace("\u201d", '"'))

_STOPWORDS = frozenset(
    "the of and to a in is that for it on was with as he she be by at this are from have has "
    "not but they his her an or were will said which their its been would who we you i had "
    "there more than also after about when what can one all if no so into up out them our".split()
)
_LETTERS = re.compile(r"[^\W\d_]+")

#: Below this share of common English function words, text is not treated as English.
MIN_STOPWORD_SHARE = 0.12
#: Below this share of ASCII letters among all letters, text is not treated as English.
MIN_ASCII_SHARE = 0.85
_MIN_WORDS = 30
_SAMPLE_CHARS = 100_000


def text_values(data: pd.DataFrame, column: str) -> np.ndarray:
    """The column as an object array of ``str`` or ``None`` (for missing values).

    Raises ``TypeError`` naming the first row whose value is neither text nor missing.
    """
    values = data[column].to_numpy(dtype=object, na_value=None)
    if isinstance(data[column].dtype, pd.StringDtype):  # str or missing by construction
        return values
    is_text = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
    if not is_text.all():
        missing = pd.isna(data[column]).to_numpy()
        bad = np.flatnonzero(~is_text & ~missing)
        if len(bad):
            pos = int(bad[0])
            raise TypeError(
                f"column {column!r} must hold text (str) or missing values; row {pos} holds "
                f"{type(values[pos]).__name__} {values[pos]!r}. Convert it with "
                f"data[{column!r}].astype('str') or drop those rows."
            )
        values = np.where(is_text, values, None)
    return values


#: Columns only the sentences frame has (``split_sentences``), never an articles frame.
SENTENCE_ONLY: tuple[str, ...] = ("sentence_id", "kind", "paragraph_id")
#: Columns only the articles frame has (``read_articles`` always writes them; ``split_sentences``
#: does not carry them).
ARTICLE_ONLY: tuple[str, ...] = ("title", "url", "source")


def refuse_articles(data: pd.DataFrame, func: str, param: str = "data") -> None:
    """Raise :class:`SchemaError` when ``data`` is an articles frame rather than sentences.

    A frame with a column only articles have (``title``, ``url``, ``source``: ``read_articles``
    writes them all) and none only sentences have (``sentence_id``, ``kind``, ``paragraph_id``)
    holds whole articles: a per-sentence score of it would score each article as one sentence
    (VADER saturates on long text). A frame of texts with none of these columns (sentences
    from elsewhere, with or without ``article_id``) is scored row by row.
    """
    columns = set(map(str, data.columns))
    if columns & set(ARTICLE_ONLY) and not columns & set(SENTENCE_ONLY):
        found = ", ".join(c for c in ARTICLE_ONLY if c in columns)
        raise SchemaError(
            f"{func}({param}=...): {param} looks like an articles frame (it has {found} but "
            f"no sentence_id or kind column); {func} works on sentences. Split it first: "
            f"{func}(mk.split_sentences(articles))."
        )


def warn_if_not_english(texts, *, what: str) -> None:
    """Warn with :class:`LanguageWarning` when a sample of ``texts`` does not look like English.

    A cheap check on the first ~100,000 characters: the share of common English function words
    among letter tokens, and the share of ASCII letters among all letters.
    """
    parts, size = [], 0
    for t in texts:
        if isinstance(t, str):
            parts.append(t)
            size += len(t)
            if size >= _SAMPLE_CHARS:
                break
    words = _LETTERS.findall(" ".join(parts).lower())
    if len(words) < _MIN_WORDS:
        return
    stop_share = sum(w in _STOPWORDS for w in words) / len(words)
    letters = "".join(words)
    ascii_share = sum(c.isascii() for c in letters) / len(letters)
    if stop_share < MIN_STOPWORD_SHARE or ascii_share < MIN_ASCII_SHARE:
        warn(
            f"The text does not look like English ({stop_share:.0%} common English words, "
            f"{ascii_share:.0%} ASCII letters): {what} is built for English and its scores on "
            "other languages are not meaningful.",
            LanguageWarning,
        )
