"""Sentence similarity within one story: normalised keys, TF-IDF over words and characters.

Private helpers of :func:`mediakit.compare_coverage`. Everything here works on one story at a
time, so the cost grows with the size of a story, never with the corpus.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from mediakit._normalize import (
    fold_accents,
    fold_punctuation,
    normalize_numbers,
    normalize_spelling,
)

# Abbreviations written several ways; mapped to one token that is not a stop word.
_ALIASES = [
    (re.compile(r"\bU\.\s?S\.(?:\s?A\.)?|\bUSA\b|\bUS\b|\bUnited States(?: of America)?\b"),
     "USA"),
    (re.compile(r"\bU\.\s?K\.|\bUK\b|\bUnited Kingdom\b"), "UK"),
    (re.compile(r"\bU\.\s?N\.|\bUN\b|\bUnited Nations\b"), "UN"),
    (re.compile(r"\bE\.\s?U\.|\bEuropean Union\b"), "EU"),
    (re.compile(r"(\d)\s?%|(\d)\s+per\s?cent\b", re.IGNORECASE), r"\1\2 percent"),
]
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*")


def matching_key(text: str) -> str:
    """The text compared by the aligner: ASCII, American spelling, digits for numbers.

    Case is kept so that names can be told apart; lower-case it for character n-grams.
    """
    key = fold_accents(fold_punctuation(text))
    for pattern, repl in _ALIASES:
        key = pattern.sub(repl, key)
    return normalize_numbers(normalize_spelling(key))


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def word_tokens(key: str, *, name_weight: int = 2) -> list[str]:
    """Content words of a matching key, lower case; names and numbers repeated ``name_weight`` times.

    A name is a capitalised word that does not open the sentence (or an all-caps token such as
    "NATO"); a number is a token starting with a digit.
    """
    stop = _stop_words()
    out: list[str] = []
    for k, m in enumerate(_TOKEN.finditer(key)):
        tok = m.group(0)
        low = tok.lower()
        if low in stop or (len(low) < 2 and not low.isdigit()):
            continue
        heavy = tok[0].isdigit() or (tok[0].isupper() and (k > 0 or tok.isupper()))
        out.extend([low] * (name_weight if heavy else 1))
    return out


def similarity_matrix(texts: list[str], *, word_weight: float = 0.5,
                      char_ngrams: tuple[int, int] = (3, 5),
                      name_weight: int = 2) -> np.ndarray:
    """Cosine similarity between every pair of texts, 0 to 1 (dense, n x n).

    The mean, weighted by ``word_weight``, of two TF-IDF cosines fitted on these texts only:
    words (stop words removed, names and numbers up-weighted) and character n-grams within word
    boundaries (``char_wb``) of the lower-cased key, which match inflections ("lead"/"led" only
    partly, "minister"/"ministers" mostly) and spelling slips.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n == 0:
        return np.zeros((0, 0))
    keys = [matching_key(t) for t in texts]
    sim = np.zeros((n, n))
    if word_weight > 0:
        words = TfidfVectorizer(analyzer=lambda k: word_tokens(k, name_weight=name_weight),
                                sublinear_tf=True, dtype=np.float64)
        try:
            xw = words.fit_transform(keys)
            sim += word_weight * (xw @ xw.T).toarray()
        except ValueError:  # empty vocabulary: only stop words
            pass
    if word_weight < 1:
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=char_ngrams, lowercase=True,
                                sublinear_tf=True, dtype=np.float64)
        try:
            xc = chars.fit_transform(keys)
            sim += (1 - word_weight) * (xc @ xc.T).toarray()
        except ValueError:
            pass
    return np.clip(sim, 0.0, 1.0)


def best_matches(sim: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each row and each *other* group: index of the best column and its similarity.

    Returns ``(rows, other_group_codes, best_cols, best_sims)`` flattened in row order, other
    groups in code order. ``groups`` holds integer codes 0..g-1, one per text.
    """
    codes = np.unique(groups)
    rows, others, cols, sims = [], [], [], []
    for g in codes:
        member = np.flatnonzero(groups == g)
        for h in codes:
            if h == g:
                continue
            cand = np.flatnonzero(groups == h)
            block = sim[np.ix_(member, cand)]
            arg = block.argmax(axis=1)
            rows.append(member)
            others.append(np.full(member.size, h))
            cols.append(cand[arg])
            sims.append(block[np.arange(member.size), arg])
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, np.zeros(0)
    rows_a, others_a = np.concatenate(rows), np.concatenate(others)
    cols_a, sims_a = np.concatenate(cols), np.concatenate(sims)
    order = np.lexsort((others_a, rows_a))
    return rows_a[order], others_a[order], cols_a[order], sims_a[order]
