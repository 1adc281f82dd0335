"""Sentence similarity within one story: candidates, cosines over words and characters.

Private helpers of :func:`mediakit.compare_coverage`. Everything here works on one story at a
time, and each sentence is compared with a bounded number of candidates
(:func:`candidate_pairs`), so the cost grows linearly with the size of a story and never with
the corpus.
"""

from __future__ import annotations

import numpy as np

from mediakit.compare._features import (  # noqa: F401  (matching_key, word_tokens: tests)
    compact,
    matching_key,
    sentence_features,
    word_tokens,
)
from mediakit.compare._tokens import row_sums


def unit_rows(counts):
    """Sublinear term frequency (1 + log tf), rows L2-normalised; no idf.

    Every row is weighted on its own, so a pair of rows gets the same cosine whatever the
    other rows (``TfidfVectorizer(use_idf=False, sublinear_tf=True)`` on each row alone).
    """
    from scipy import sparse

    x = compact(counts)  # shares counts' arrays: nothing below changes them
    if x.nnz == 0:
        return x
    data = 1 + np.log(x.data)
    norms = np.sqrt(row_sums(data * data, x.indptr))
    norms[norms == 0] = 1
    data /= np.repeat(norms, np.diff(x.indptr))
    return sparse.csr_matrix((data, x.indices, x.indptr), shape=x.shape)


class StorySimilarity:
    """Cosine similarity (0-1) of one story's rows of :func:`sentence_features`, on demand.

    The mean, weighted by ``word_weight``, of two cosines of sublinear term frequencies
    (:func:`unit_rows`, no idf: a pair's value never depends on the rest of the story): words
    (stop words removed, names and numbers counted twice) and character 3-5-grams within word
    boundaries (``char_wb``), which match inflections and spelling slips. It ranks the
    candidates; whether two sentences state one fact is decided by
    :func:`mediakit.compare._samefact.same_fact_probability`. Computed for blocks of rows (:meth:`rows`) or for pairs (:meth:`pairs`),
    so a story of m sentences never needs an m x m matrix at once.
    """

    def __init__(self, words, chars, *, word_weight: float = 0.5, unit: bool = False):
        self.word_weight = word_weight
        # also what candidates are drawn from; ``unit``: the rows are unit_rows already. Each
        # row's entries in column order: a pair's product then adds the same terms in the same
        # order whichever row comes first, by blocks or by pairs (exactly symmetric)
        self.xw = _in_column_order(words if unit else unit_rows(words))
        self.xc = None if chars is None else _in_column_order(chars if unit else
                                                              unit_rows(chars))
        self.n = words.shape[0]

    def rows(self, index: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """Dense similarities of rows ``index`` against rows ``cols`` (default every row), shape
        (len(index), len(cols))."""
        width = self.n if cols is None else len(cols)
        out = np.zeros((len(index), width))
        if self.word_weight > 0:
            other = self.xw if cols is None else self.xw[cols]
            out += self.word_weight * (self.xw[index] @ other.T).toarray()
        if self.xc is not None:
            other = self.xc if cols is None else self.xc[cols]
            out += (1 - self.word_weight) * (self.xc[index] @ other.T).toarray()
        return np.clip(out, 0.0, 1.0)

    def pairs(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Similarities of the pairs (``rows[k]``, ``cols[k]``): the values :meth:`rows` gives."""
        out = np.zeros(len(rows))
        for start in range(0, len(rows), _BLOCK_PAIRS):
            part = slice(start, start + _BLOCK_PAIRS)
            if self.word_weight > 0:
                out[part] += self.word_weight * _row_dots(self.xw, rows[part], cols[part])
            if self.xc is not None:
                out[part] += (1 - self.word_weight) * _row_dots(self.xc, rows[part], cols[part])
        return np.clip(out, 0.0, 1.0)


def _in_column_order(x):
    """``x``, or a copy with each row's entries sorted by column (``x`` may share its arrays
    with other matrices: it is not sorted in place)."""
    return x if x.has_sorted_indices else x.sorted_indices()


def _row_dots(x, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Dot products of rows ``rows[k]`` and ``cols[k]`` of ``x``, summed in column order (as
    the sparse matrix product does)."""
    both = x[rows].multiply(x[cols]).tocsr()
    return both @ np.ones(both.shape[1])


def story_similarity(words, chars, *, word_weight: float = 0.5) -> np.ndarray:
    """The full m x m matrix of :class:`StorySimilarity` (small stories and tests)."""
    return StorySimilarity(words, chars, word_weight=word_weight).rows(np.arange(words.shape[0]))


_BLOCK_ROWS = 1024  # rows of similarities held at once
_BLOCK_PAIRS = 20_000  # pairs of rows multiplied at once
_BLOCK_PRODUCTS = 5_000_000  # word products held at once when drawing candidates

#: A match needs at least this many content words in common (distinct, after normalisation).
MIN_SHARED_WORDS = 2
#: A word in more sentences of the story than this draws no candidates: too common to tell.
MAX_WORD_SENTENCES = 200
#: Candidates kept per sentence and other outlet: those of the highest word cosine.
MAX_CANDIDATES = 10
#: Similarities are computed as a matrix product of a block of rows x their candidates when
#: its cells are at most this many times the candidate pairs, else pair by pair.
DENSE_FACTOR = 12  # a pair costs about 12 cells of a product (scipy, 10k articles)


def shared_word_counts(words, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Number of distinct content words (features of ``words``) row ``i`` and col ``j`` share."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    both = words[rows].multiply(words[cols])
    return np.asarray((both > 0).sum(axis=1)).ravel().astype(np.int64)


def candidate_pairs(xw, groups: np.ndarray, *, max_sentences: int = MAX_WORD_SENTENCES,
                    per_group: int = MAX_CANDIDATES) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (row, col) of rows of other groups worth comparing, sorted by row then col.

    A row's candidates in another group are the rows sharing at least one content word with
    it among the words found in at most ``max_sentences`` rows (the others are too common to
    tell sentences apart), at most ``per_group`` of them: those with the highest word
    cosine over these words (ties: the earliest). Drawing them costs at most
    ``max_sentences`` products per word of a row, so the work grows linearly with the story.
    """
    from scipy import sparse

    m = xw.shape[0]
    df = np.bincount(xw.indices, minlength=xw.shape[1])[xw.indices]
    keep = (df <= max_sentences) & (df > 1)  # a word of one sentence pairs nothing
    row_of = np.repeat(np.arange(m), np.diff(xw.indptr))[keep]
    indptr = np.r_[0, np.cumsum(np.bincount(row_of, minlength=m))]
    xr = sparse.csr_matrix((xw.data[keep], xw.indices[keep], indptr), shape=xw.shape)
    work = np.cumsum(np.bincount(row_of, weights=df[keep], minlength=m))  # products per row
    rows_out, cols_out = [], []
    start = 0
    xrt = xr.T.tocsr()
    while start < m:
        stop = max(start + 1, int(np.searchsorted(work, (work[start - 1] if start else 0)
                                                  + _BLOCK_PRODUCTS, side="right")))
        block = (xr[start:stop] @ xrt).tocoo()
        i, j, score = block.row.astype(np.int64) + start, block.col.astype(np.int64), block.data
        cross = groups[i] != groups[j]
        i, j, score = i[cross], j[cross], score[cross]
        g = groups[j]
        order = np.lexsort((j, -score, g, i))
        i, j, g = i[order], j[order], g[order]
        new = np.r_[True, (i[1:] != i[:-1]) | (g[1:] != g[:-1])][:len(i)]
        rank = np.arange(len(i)) - np.flatnonzero(new)[np.cumsum(new) - 1]
        keep_pair = rank < per_group
        rows_out.append(i[keep_pair])
        cols_out.append(j[keep_pair])
        start = stop
    if not rows_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows_a, cols_a = np.concatenate(rows_out), np.concatenate(cols_out)
    order = np.lexsort((cols_a, rows_a))
    return rows_a[order], cols_a[order]


def best_matches(sim: StorySimilarity, groups: np.ndarray):
    """For each row and each *other* group: the best candidate (:func:`candidate_pairs`).

    Returns ``(rows, other_group_codes, best_cols, best_sims)`` flattened in row order, other
    groups in code order, one entry per row and other group; ``best_cols`` is -1 and
    ``best_sims`` 0 where the row has no candidate in that group. Ties go to the earliest
    column. ``groups`` holds integer codes 0..g-1, one per text.
    """
    cand_rows, cand_cols = candidate_pairs(sim.xw, groups)
    # a pair and its reverse (each the other's candidate: a third of the pairs on the 10k) have
    # the same similarity, bit for bit (a product of two rows adds the same terms in their
    # columns' order, by blocks or by pairs): each is computed once
    lo, hi = np.minimum(cand_rows, cand_cols), np.maximum(cand_rows, cand_cols)
    pairs, inverse = np.unique(lo * np.int64(sim.n) + hi, return_inverse=True)
    pair_rows, pair_cols = pairs // sim.n, pairs % sim.n
    sims = np.zeros(len(pairs))
    # similarities a block of one group's rows at a time: as one matrix product against the
    # block's candidates when these fill it enough, else pair by pair
    order = np.argsort(groups[pair_rows], kind="stable")
    row_groups = groups[pair_rows[order]]
    new_row = np.r_[True, pair_rows[order][1:] != pair_rows[order][:-1]]
    block_id = np.cumsum(new_row) - 1  # distinct rows seen so far ...
    breaks = np.r_[True, (row_groups[1:] != row_groups[:-1])
                   | (new_row[1:] & (block_id[1:] % _BLOCK_ROWS == 0))]
    bounds = np.r_[np.flatnonzero(breaks), len(order)] if len(order) else np.zeros(1, int)
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        at = order[a:b]
        rows, cols = pair_rows[at], pair_cols[at]
        block_rows, at_row = np.unique(rows, return_inverse=True)
        block_cols, at_col = np.unique(cols, return_inverse=True)
        if len(block_rows) * len(block_cols) <= DENSE_FACTOR * len(at):
            sims[at] = sim.rows(block_rows, block_cols)[at_row, at_col]
        else:
            sims[at] = sim.pairs(rows, cols)
    found = _best_of_pairs(groups, cand_rows, cand_cols, sims[inverse])
    # every row x every other group, the found best where there is one
    codes = np.unique(groups)
    n_codes = len(codes)
    rows = np.repeat(np.arange(len(groups)), n_codes)
    others = np.tile(codes, len(groups))
    mine = others != groups[rows]
    rows, others = rows[mine], others[mine]
    best_cols = np.full(len(rows), -1, dtype=np.int64)
    best_sims = np.zeros(len(rows))
    if len(found[0]):
        at = np.searchsorted(rows * n_codes + others, found[0] * n_codes + found[1])
        best_cols[at] = found[2]
        best_sims[at] = found[3]
    return rows, others, best_cols, best_sims


def _best_of_pairs(groups, rows, cols, sims):
    """Per (row, group of col): the col of the highest similarity (ties: the earliest)."""
    g = groups[cols]
    order = np.lexsort((cols, -sims, g, rows))
    rows, cols, g, sims = rows[order], cols[order], g[order], sims[order]
    first = np.r_[True, (rows[1:] != rows[:-1]) | (g[1:] != g[:-1])][:len(rows)]
    return rows[first], g[first], cols[first], sims[first]
