"""Validation at the public boundary: one message shape for every bad value.

What parameter, what is allowed, what was given, what to do.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import pandas as pd

from mediakit._errors import SchemaError

#: Kinds of sentence that carry the story; measures and comparisons use these by default.
CONTENT_KINDS: tuple[str, ...] = ("headline", "body", "bullet")

#: Every value of the sentences frame's ``kind`` column (see ``split_sentences``): the content
#: kinds, the article's structure (``dateline``, ``heading``) and page furniture (``promo``,
#: ``caption``, ``byline``, ``boilerplate``, ``markup``).
ALL_KINDS: tuple[str, ...] = (
    "headline", "dateline", "body", "heading", "bullet", "promo", "caption", "byline",
    "boilerplate", "markup",
)

#: Kinds that are page furniture rather than the story or its structure.
FURNITURE_KINDS: tuple[str, ...] = ("promo", "caption", "byline", "boilerplate", "markup")


def suggest(value: object, allowed: Iterable[str]) -> str:
    """Return ' Did you mean "x"?' for the nearest allowed option, or ''."""
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.5)
    return f" Did you mean {close[0]!r}?" if close else ""


def check_choice(param: str, value: object, allowed: Sequence[str]) -> str:
    """Raise ``ValueError`` unless ``value`` is one of ``allowed``; return it."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"{param}={value!r} is not valid; choose one of {', '.join(map(repr, allowed))}."
            + suggest(value, allowed)
        )
    return value


def check_frame(data: object, param: str = "data") -> pd.DataFrame:
    """Raise ``TypeError`` unless ``data`` is a pandas DataFrame."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"{param} must be a pandas DataFrame, got {type(data).__name__}. "
            "Build one with mk.read_articles(...) or mk.split_sentences(...)."
        )
    return data


def require_columns(data: pd.DataFrame, columns: Iterable[str], *, what: str = "data",
                    hint: str = "") -> None:
    """Raise ``SchemaError`` naming every missing column."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        have = ", ".join(map(str, data.columns[:12])) + (" ..." if len(data.columns) > 12 else "")
        raise SchemaError(
            f"{what} is missing column(s) {', '.join(map(repr, missing))} (it has: {have})."
            + (f" {hint}" if hint else "")
        )


def resolve_kinds(kinds: str | Iterable[str] | None) -> tuple[str, ...]:
    """Normalise a ``kinds=`` option: None/"content" -> content kinds, "all" -> every kind."""
    if kinds is None or kinds == "content":
        return CONTENT_KINDS
    if kinds == "all":
        return ALL_KINDS
    if isinstance(kinds, str):
        kinds = [kinds]
    out = tuple(kinds)
    for k in out:
        check_choice("kinds", k, ALL_KINDS)
    if not out:
        raise ValueError("kinds=() selects no sentences; pass None for content sentences or 'all'.")
    return out


def check_positive_int(param: str, value: object, *, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{param} must be an integer >= {minimum}, got {value!r}.")
    return value


def text_column(data: pd.DataFrame, text: str, *, what: str = "data") -> pd.DataFrame:
    """``data`` with its ``text`` column read as ``"text"`` (a shallow view when renamed), so a
    stage that reads text takes ``text=`` like every other; the column must exist."""
    if text == "text":
        return data
    require_columns(data, [text], what=what)
    return data.drop(columns="text", errors="ignore").rename(columns={text: "text"})
