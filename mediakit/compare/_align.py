"""Sentence similarity within one story: normalised keys, TF-IDF over words and characters.

Private helpers of :func:`mediakit.compare_coverage`. Everything here works on one story at a
time, so the cost grows with the size of a story, never with the corpus.
"""

from __future__ import annotations

import numpy as np

from mediakit.compare._features import (  # noqa: F401  (matching_key, word_tokens: tests)
    compact,
    matching_key,
    sentence_features,
    word_tokens,
)


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
