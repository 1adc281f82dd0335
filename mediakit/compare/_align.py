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


_N_FEATURES = 2**24  # hashed features; collisions are rare and only blur a weight


def sentence_features(texts: list[str], *, char_ngrams: tuple[int, int] = (3, 5),
                      name_weight: int = 2):
    """Raw count matrices (words, character n-grams) of every text, hashed, in one pass.

    Hashing keeps the cost linear in the corpus with no vocabulary to hold; the TF-IDF weights
    are computed later per story by :func:`story_similarity`.
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import HashingVectorizer

    if not texts:
        empty = sparse.csr_matrix((0, _N_FEATURES), dtype=np.float64)
        return empty, empty.copy()
    keys = [matching_key(t) for t in texts]
    words = HashingVectorizer(analyzer=lambda k: word_tokens(k, name_weight=name_weight),
                              n_features=_N_FEATURES, alternate_sign=False, norm=None,
                              dtype=np.float64)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=char_ngrams, lowercase=True,
                              n_features=_N_FEATURES, alternate_sign=False, norm=None,
                              dtype=np.float64)
    return words.transform(keys).tocsr(), chars.transform(keys).tocsr()


def compact(counts):
    """The same rows with only the columns they use (hashed matrices are 2**24 wide)."""
    from scipy import sparse

    cols, inverse = np.unique(counts.indices, return_inverse=True)
    return sparse.csr_matrix((counts.data.copy(), inverse.astype(np.int64), counts.indptr.copy()),
                             shape=(counts.shape[0], max(len(cols), 1)))


def _tfidf(counts):
    """Sublinear TF-IDF with smoothed idf fitted on these rows only, rows L2-normalised.

    Same weights as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` fitted on the rows.
    """
    x = compact(counts)
    if x.nnz == 0:
        return x
    inverse = x.indices
    df = np.bincount(inverse, minlength=x.shape[1])
    idf = np.log((1 + x.shape[0]) / (1 + df)) + 1
    x.data = (1 + np.log(x.data)) * idf[inverse]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    x.data /= np.repeat(norms, np.diff(x.indptr))
    return x


class StorySimilarity:
    """Cosine similarity (0-1) of one story's rows of :func:`sentence_features`, on demand.

    The mean, weighted by ``word_weight``, of two TF-IDF cosines whose idf is fitted on the
    story's sentences: words (stop words removed, names and numbers counted twice) and
    character 3-5-grams within word boundaries (``char_wb``), which match inflections and
    spelling slips. Rows are computed block by block (:meth:`rows`), so a story of m sentences
    never needs an m x m matrix at once.
    """

    def __init__(self, words, chars, *, word_weight: float = 0.5):
        self.word_weight = word_weight
        self.xw = _tfidf(words) if word_weight > 0 else None
        self.xc = _tfidf(chars) if word_weight < 1 else None
        self.n = words.shape[0]

    def rows(self, index: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """Dense similarities of rows ``index`` against rows ``cols`` (default every row), shape
        (len(index), len(cols))."""
        width = self.n if cols is None else len(cols)
        out = np.zeros((len(index), width))
        if self.xw is not None:
            other = self.xw if cols is None else self.xw[cols]
            out += self.word_weight * (self.xw[index] @ other.T).toarray()
        if self.xc is not None:
            other = self.xc if cols is None else self.xc[cols]
            out += (1 - self.word_weight) * (self.xc[index] @ other.T).toarray()
        return np.clip(out, 0.0, 1.0)


def story_similarity(words, chars, *, word_weight: float = 0.5) -> np.ndarray:
    """The full m x m matrix of :class:`StorySimilarity` (small stories and tests)."""
    return StorySimilarity(words, chars, word_weight=word_weight).rows(np.arange(words.shape[0]))


_BLOCK_ROWS = 1024  # rows of similarities held at once ...
_BLOCK_CELLS = 10_000_000  # ... and at most this many cells (80 MB)

#: A match needs at least this many content words in common (distinct, after normalisation).
MIN_SHARED_WORDS = 2


def shared_word_counts(words, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Number of distinct content words (features of ``words``) row ``i`` and col ``j`` share."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    both = words[rows].multiply(words[cols])
    return np.asarray((both > 0).sum(axis=1)).ravel().astype(np.int64)


def best_matches(sim: StorySimilarity, groups: np.ndarray):
    """For each row and each *other* group: index of the best column and its similarity.

    Returns ``(rows, other_group_codes, best_cols, best_sims)`` flattened in row order, other
    groups in code order (ties go to the earliest column). ``groups`` holds integer codes
    0..g-1, one per text. Similarities are computed one group of rows at a time.
    """
    codes = np.unique(groups)
    rows, others, cols, sims = [], [], [], []
    for g in codes:
        members = np.flatnonzero(groups == g)
        # only the other groups' rows: one long article must not cost its length squared
        outside = np.flatnonzero(groups != g)
        step = max(1, min(_BLOCK_ROWS, _BLOCK_CELLS // max(len(outside), 1)))
        for start in range(0, len(members), step):
            member = members[start:start + step]
            block_all = sim.rows(member, outside)
            for h in codes:
                if h == g:
                    continue
                cand = np.flatnonzero(groups == h)
                block = block_all[:, np.searchsorted(outside, cand)]
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
