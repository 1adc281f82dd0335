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
_SAME_LENGTH = {chr(k): (v if len(v) == 1 else v[0]) for k, v in _PUNCT.items()}
_FOLDED = re.compile("[" + re.escape("".join(_SAME_LENGTH)) + "]")
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
    first_words = {k[0] for k in wanted}

    rows = data
    if "kind" in rows.columns:
        rows = rows[rows["kind"].isin(resolve_kinds(kinds))]
    rows = rows[rows[text].notna() & rows[by].notna()]
    carried = [c for c in (by, story, "article_id", "sentence_id") if c and c in rows.columns]
    carried = list(dict.fromkeys(carried))
    base = rows["start"].to_numpy() if "start" in rows.columns else np.zeros(len(rows), int)
    cache: dict[str, str | None] = {}
    texts = rows[text].astype("str").tolist()
    groups = rows[by].to_numpy()
    read: dict[int, list] = {}

    def occurrences(i: int) -> list[tuple[tuple, int, int]]:
        """(key, start, end) of every wanted term in text ``i``, in reading order."""
        if i not in read:
            tokens = _tokens(texts[i], fold_spelling, stop, cache)
            names = [tok[0] for tok in tokens]
            read[i] = [(key, tokens[k][1], tokens[k + n - 1][2]) for k in range(len(tokens))
                       for n in lengths if k + n <= len(tokens)
                       and (key := tuple(names[k:k + n])) in wanted]
        return read[i]

    by_word = _candidates(texts, first_words, fold_spelling, stop, cache)
    found = []
    if per_group is None:  # every occurrence
        for i in sorted(set().union(*by_word.values())):
            found += [(i, wanted[key], s, e) for key, s, e in occurrences(i)]
    else:  # each term's first sentences per group: a group's later sentences are not read
        for key, term in wanted.items():
            taken: dict = {}
            for i in by_word.get(key[0], ()):
                if taken.get(groups[i], 0) >= per_group:
                    continue
                first = next(((s, e) for k, s, e in occurrences(i) if k == key), None)
                if first is not None:
                    found.append((i, term, *first))
                    taken[groups[i]] = taken.get(groups[i], 0) + 1
    out = pd.DataFrame(found, columns=["_row", "term", "_local", "_local_end"])
    out = out.sort_values(["_row", "_local", "term"], kind="stable").reset_index(drop=True)
    at = out["_row"].to_numpy(dtype=np.int64)
    local = out["_local"].to_numpy(dtype=np.int64)
    local_end = out["_local_end"].to_numpy(dtype=np.int64)
    out["match"] = pd.array([texts[r][a:b] for r, a, b in zip(at, local, local_end,
                                                             strict=True)], dtype="str")
    out["start"], out["end"] = base[at] + local, base[at] + local_end
    meta = rows[carried].reset_index(drop=True).iloc[at].reset_index(drop=True)
    out = pd.concat([meta, out[["_row", "term", "match", "start", "end", "_local"]]], axis=1)
    out["sentence"] = pd.array([texts[r] for r in at], dtype="str")
    out = out.drop(columns=["_row", "_local"]).reset_index(drop=True)
    out = out.astype({"term": "str", "match": "str", "start": "int64", "end": "int64"})
    out.attrs["explain_terms"] = {"by": by, "story": story if story in carried else None,
                                  "fold_spelling": fold_spelling, "per_group": per_group}
    return out


def _fold(text: str) -> str:
    """``text`` with punctuation folded one character for one (offsets unchanged)."""
    return text if text.isascii() else _FOLDED.sub(lambda m: _SAME_LENGTH[m.group()], text)


def _candidates(texts: list[str], first_words: set, fold_spelling: bool, stop,
                cache: dict) -> dict[str, list[int]]:
    """For each wanted first word, the indices (ascending) of the texts that may hold it: those
    where a token whose term it is occurs (a superset; :func:`_tokens` then decides). Each
    distinct token of the corpus is turned into its term once (the tokens are found in each
    distinct whitespace-separated chunk, which no token spans), and the texts are searched for
    the tokens of the first words in one regular expression pass over the texts joined by
    newlines."""
    if not texts or not first_words:
        return {}
    joined = _fold("\n".join(texts))
    find = _TOKEN.findall
    raws = {raw for chunk in set(joined.split()) for raw in find(chunk)}
    hits = [raw for raw in raws if _term(raw, fold_spelling, stop, cache) in first_words]
    if not hits:
        return {}
    # a match that overlaps a token's start lies in the token's own text (none spans a newline)
    found = [(m.start(), m.group()) for m in re.finditer(_trie_pattern(hits), joined)]
    ends = np.cumsum([len(t) + 1 for t in texts])  # one past each text's newline
    where = np.searchsorted(ends, [p for p, _ in found], side="right")
    out: dict[str, set] = {}
    for i, (_, raw) in zip(where.tolist(), found, strict=True):
        out.setdefault(cache[raw], set()).add(i)
    return {word: sorted(rows) for word, rows in out.items()}


def _trie_pattern(words: list[str], longest: int = 100) -> str:
    """A regular expression matching any of ``words``, as a trie of their characters: each
    position of the text is tried once per character, not once per word (an alternation of
    thousands of words is that many times slower). Words longer than ``longest`` characters
    are alternatives of their own (the trie is built recursively)."""
    trie: dict = {}
    for word in (w for w in words if len(w) <= longest):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = None

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and len(alts[0]) == 1 else f"(?:{'|'.join(alts)})"
        return f"{body}?" if "" in node else body

    parts = [build(trie)] if trie else []
    parts += [re.escape(w) for w in words if len(w) > longest]
    return "|".join(parts)


def _term(raw: str, fold_spelling: bool, stop, cache: dict) -> str | None:
    """The counted term of one token as found (a possessive "'s" left out), or None for a
    stop word or what is left of a possessive that is not a token."""
    if raw in cache:
        return cache[raw]
    word = raw
    possessive = _POSSESSIVE_END.search(raw)
    if possessive and not raw.endswith(".") and len(raw) > 2:
        word = raw[:possessive.start()]
    term = (normalize_term(word, fold_spelling=fold_spelling)
            if word is raw or _TOKEN.fullmatch(word) else None)
    if term is not None and stop is not None and term in stop:
        term = None
    cache[raw] = term
    return term


def _tokens(sentence: str, fold_spelling: bool, stop, cache: dict) -> list[tuple[str, int, int]]:
    """(term, start, end) of each counted token of ``sentence``, stop words left out.
    Punctuation is folded one character for one, as ``compare_terms`` folds it (so "don’t"
    and "well–known" are one token each), and the offsets stay those of ``sentence``."""
    out = []
    for m in _TOKEN.finditer(_fold(sentence)):
        raw, s, e = m.group(), m.start(), m.end()
        term = _term(raw, fold_spelling, stop, cache)
        if term is None:
            continue
        if len(raw) > 2 and not raw.endswith(".") and _POSSESSIVE_END.search(raw):
            e -= 2  # the "'s" is not part of the match
        out.append((term, s, e))
    return out
