"""Keyword in context: every occurrence of a keyness term, with its sentence and offsets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from numbers import Integral

import numpy as np
import pandas as pd

from mediakit._normalize import _PUNCT
from mediakit._params import (
    Column,
    Frame,
    Interval,
    Options,
    Sequence_,
    records_roles,
    validate_params,
)
from mediakit._validation import require_columns, resolve_kinds
from mediakit.compare.terms import (
    _TOKEN_PATTERN,
    _preprocess,
    _stop_list,
    normalize_term,
    user_stop_words,
)

# punctuation folded one character for one, so match offsets are offsets into the text
_SAME_LENGTH = {k: (v if len(v) == 1 else v[0]) for k, v in _PUNCT.items()}
_TOKEN = re.compile(_TOKEN_PATTERN)
_POSSESSIVE_END = re.compile(r"'[sS]$")

COLUMNS = ("term", "match", "start", "end", "sentence")


@validate_params(
    data=[Frame()], terms=[str, pd.DataFrame, Sequence_(str), pd.Series, pd.Index, set,
                           frozenset],
    by=[Column()], text=[Column()], story=[Column(), None], kinds=[str, list, tuple, None],
    stop_words=[Options("english"), Sequence_(str), frozenset, set, None],
    fold_spelling=[bool], per_group=[Interval(Integral, 1, None), None],
)
@records_roles("by", "story", "text")
def explain_terms(data: pd.DataFrame, *, terms, by: str = "outlet", text: str = "text",
                  story: str | None = "story_id", kinds=None, stop_words="english",
                  fold_spelling: bool = True, per_group: int | None = None) -> pd.DataFrame:
    """Every occurrence of the given terms in context (keyword in context, as quanteda's kwic).

    A keyness table (:func:`mediakit.compare_terms`) says *that* a group uses a term more; this
    shows *where*: each occurrence with its sentence, its character offsets and its group, so a
    result can be read in context. Terms are found exactly as ``compare_terms`` counts them
    (same tokens, acronyms, British/American spelling folded, stop words left out of n-grams),
    so on the same rows the occurrences per group add up to ``n_target`` and ``n_reference``.

    Parameters
    ----------
    data : DataFrame
        Sentences from :func:`mediakit.split_sentences` (needs ``by`` and ``text``; ``kind``
        selects the content sentences, ``start`` makes offsets point into the article text,
        ``article_id``, ``sentence_id`` and ``story`` are carried). Any frame with a text
        column works (offsets are then into that text).
    terms : str, iterable of str, or a compare_terms table
        Terms as ``compare_terms`` writes them ("defense", "US", "contact group"); a word is
        mapped to its term first, so "defence" finds "defence" and "defense". A table's
        ``term`` column is used.
    by : str
        Column naming the groups.
    text : str
        Column holding the text.
    story : str or None
        Story column carried when present.
    kinds : str, sequence of str or None
        Sentence kinds searched; None = content (headline, body, bullet), as compare_terms.
    stop_words : "english", iterable of str or None
        As ``compare_terms`` (n-grams are formed after stop words are left out).
    fold_spelling : bool
        As ``compare_terms``.
    per_group : int or None
        Keep only the first ``per_group`` sentences (in reading order) per term and group, one
        row per sentence (its first occurrence): examples for a report. None = every
        occurrence.

    Returns
    -------
    DataFrame
        One row per occurrence, in the order of the rows of ``data``: ``<by>``, ``<story>``,
        ``article_id``, ``sentence_id`` (those present), ``term``, ``match`` (the words as
        written), ``start``, ``end`` (offsets: ``articles.text[start:end] == match`` when
        ``data`` has ``start``; otherwise into the row's text) and ``sentence`` (its text).

    Examples
    --------
    >>> import mediakit as mk
    >>> sentences = mk.split_sentences(mk.load_example("seeds"))
    >>> kwic = mk.explain_terms(sentences, terms=["defence"])
    >>> sorted(set(kwic["match"].str.lower()))
    ['defence', 'defense']
    """
    require_columns(data, [by, text], what="data")
    if isinstance(terms, pd.DataFrame):
        require_columns(terms, ["term"], what="terms")
        terms = terms["term"]
    if isinstance(terms, str):
        terms = [terms]
    if not isinstance(terms, Iterable):
        raise TypeError(f"terms must be a term, a list of terms or a compare_terms table, got "
                        f"{type(terms).__name__}.")
    stop = _stop_list(stop_words) if stop_words is None or isinstance(stop_words, str) else \
        frozenset(user_stop_words(stop_words, fold_spelling=fold_spelling))
    wanted = {}
    for t in dict.fromkeys(str(t) for t in terms):
        words = [normalize_term(w, fold_spelling=fold_spelling)
                 for w in _TOKEN.findall(_preprocess(t))]
        if words:
            wanted.setdefault(tuple(words), t if " " in t else " ".join(words))
    lengths = sorted({len(k) for k in wanted})

    rows = data
    if "kind" in rows.columns:
        rows = rows[rows["kind"].isin(resolve_kinds(kinds))]
    rows = rows[rows[text].notna() & rows[by].notna()]
    carried = [c for c in (by, story, "article_id", "sentence_id") if c and c in rows.columns]
    carried = list(dict.fromkeys(carried))
    base = rows["start"].to_numpy() if "start" in rows.columns else np.zeros(len(rows), int)
    found = []
    cache: dict[str, str] = {}
    texts = rows[text].astype("str").tolist()
    for i, sentence in enumerate(texts):
        tokens = _tokens(sentence, fold_spelling, stop, cache)
        if not tokens:
            continue
        names = [tok[0] for tok in tokens]
        for n in lengths:
            for k in range(len(tokens) - n + 1):
                key = tuple(names[k:k + n])
                if key in wanted:
                    s, e = tokens[k][1], tokens[k + n - 1][2]
                    found.append((i, wanted[key], sentence[s:e], int(base[i]) + s,
                                  int(base[i]) + e, s))
    out = pd.DataFrame(found, columns=["_row", "term", "match", "start", "end", "_local"])
    out = out.sort_values(["_row", "_local", "term"], kind="stable")
    meta = rows[carried].reset_index(drop=True).iloc[out["_row"].to_numpy()].reset_index(
        drop=True)
    out = pd.concat([meta, out.reset_index(drop=True)], axis=1)
    out["sentence"] = pd.array([texts[r] for r in out["_row"]], dtype="str")
    if per_group is not None and len(out):
        out = out.drop_duplicates(["term", by, "_row"])
        out = out.groupby(["term", by], sort=False, dropna=False).head(per_group)
    out = out.drop(columns=["_row", "_local"]).reset_index(drop=True)
    out = out.astype({"term": "str", "match": "str", "start": "int64", "end": "int64"})
    out.attrs["explain_terms"] = {"by": by, "story": story if story in carried else None,
                                  "fold_spelling": fold_spelling, "per_group": per_group}
    return out


def _tokens(sentence: str, fold_spelling: bool, stop, cache: dict) -> list[tuple[str, int, int]]:
    """(term, start, end) of each counted token of ``sentence``, stop words left out."""
    folded = sentence if sentence.isascii() else "".join(
        _SAME_LENGTH.get(ch, ch) for ch in sentence)
    out = []
    for m in _TOKEN.finditer(folded):
        raw, s, e = m.group(), m.start(), m.end()
        possessive = _POSSESSIVE_END.search(raw)
        if possessive and not raw.endswith(".") and len(raw) > 2:
            raw, e = raw[:possessive.start()], s + possessive.start()
            if not _TOKEN.fullmatch(raw):
                continue
        term = cache.get(raw)
        if term is None:
            term = cache[raw] = normalize_term(raw, fold_spelling=fold_spelling)
        if stop is None or term not in stop:
            out.append((term, s, e))
    return out
