"""Fast word counts for keyness and story vectors, equal to scikit-learn's ``CountVectorizer``.

``CountVectorizer`` runs its preprocessor and token pattern on every document and counts every
token in a Python loop; on 470,000 sentences that is most of the time. Both steps work within
runs of non-space characters (the preprocessors map characters one by one, the token patterns
match no space and treat a space as a word boundary), so the text is cut at white space
(pyarrow, in C++), each distinct piece is preprocessed and tokenised once, and the pieces are
counted per output row with sparse products. The counts, the vocabulary and its order are the
ones ``CountVectorizer`` gives (``tests/test_terms.py`` and ``tests/test_stories.py`` check it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from mediakit._normalize import _PUNCT
from mediakit._parallel import in_threads

_BATCH = 200_000  # texts split and counted at a time
_PUNCT_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _PUNCT) + "]")


def _punct(match: re.Match) -> str:
    return _PUNCT[ord(match.group())]


def fold_punctuation(text: str) -> str:
    """:func:`mediakit._normalize.fold_punctuation`, ten times faster on long non-ASCII text.

    ``str.translate`` with a dict looks every character up in Python; a regular expression
    skips the characters that do not change (every character it maps is non-ASCII).
    """
    return text if text.isascii() else _PUNCT_RE.sub(_punct, text)


def _pieces(texts) -> tuple[object, np.ndarray, np.ndarray]:
    """White-space separated pieces of ``texts`` (a list or a pandas string Series): distinct
    pieces in order of first appearance (an Arrow string array; a list of str for text that
    is not valid UTF-8), piece code of each occurrence, text of each occurrence."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        array = pa.array(texts, type=pa.large_string())
        if isinstance(array, pa.ChunkedArray):  # an Arrow-backed column (e.g. after a shuffle)
            array = array.combine_chunks()
        lists = pc.utf8_split_whitespace(array)
        encoded = pc.dictionary_encode(pc.list_flatten(lists))
        parent = pc.list_parent_indices(lists).to_numpy()
        return (encoded.dictionary,
                encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
                np.asarray(parent, dtype=np.int64))
    except (UnicodeEncodeError, ValueError):  # a lone surrogate: not valid UTF-8 for arrow
        codes: dict[str, int] = {}
        code, parent = [], []
        for i, text in enumerate(texts):
            for piece in text.split():
                code.append(codes.setdefault(piece, len(codes)))
                parent.append(i)
        return list(codes), np.asarray(code, dtype=np.int64), np.asarray(parent, dtype=np.int64)


def _pair_counts(row: np.ndarray, code: np.ndarray, n_rows: int, n_codes: int):
    """Sparse n_rows x n_codes matrix counting the (row, code) pairs."""
    from scipy import sparse

    if n_rows * n_codes <= 8_000_000:
        dense = np.bincount(row * n_codes + code, minlength=n_rows * n_codes)
        return sparse.csr_matrix(dense.reshape(n_rows, n_codes))
    if len(row) and np.all(row[1:] >= row[:-1]):  # rows in order: CSR as it stands
        indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=n_rows))])
        out = sparse.csr_matrix((np.ones(len(code), dtype=np.int64), code, indptr),
                                shape=(n_rows, n_codes))
        out.sum_duplicates()
        return out
    # scipy's COO to CSR conversion places the pairs row by row in one pass (half the time
    # of counting the pairs in a hash table); summing the duplicates sorts each row
    out = sparse.csr_matrix((np.ones(len(code), dtype=np.int64), (row, code)),
                            shape=(n_rows, n_codes))
    out.sum_duplicates()
    return out


def _tokens_of_pieces(pieces: list[str], preprocess, pattern: str):
    """(piece number, token) of every token, pieces in order. The pieces are tokenised in two
    batches, ASCII and the rest, each joined by line breaks (a line break marks the next
    piece): a preprocessor that is slow on non-ASCII text then only sees the few such pieces."""
    import pandas as pd

    pattern = pattern[4:] if pattern.startswith("(?u)") else pattern
    findall = re.compile("\n|" + pattern).findall
    ascii_ = np.fromiter((p.isascii() for p in pieces), dtype=bool, count=len(pieces))
    numbers, tokens = [], []
    for batch in (np.flatnonzero(ascii_), np.flatnonzero(~ascii_)):
        if not len(batch):
            continue
        found = pd.Series(findall(preprocess("\n".join([pieces[k] for k in batch]))),
                          dtype=object)
        marker = (found == "\n").to_numpy()
        numbers.append(batch[np.cumsum(marker)[~marker]])
        tokens.append(found[~marker])
    if not tokens:
        return np.empty(0, dtype=np.int64), pd.Series([], dtype=object)
    numbers = np.concatenate(numbers)
    order = np.argsort(numbers, kind="stable")
    return numbers[order], pd.concat(tokens, ignore_index=True).iloc[order]


def _numbered(dictionaries: list) -> tuple[list[str], list[np.ndarray]]:
    """The distinct pieces of every batch in order of first appearance (batch by batch), and
    each batch's pieces' numbers among them. Arrow dictionaries are numbered by one more
    dictionary encoding (in C++); lists (text Arrow cannot hold) through a dict."""
    import pyarrow as pa

    if dictionaries and all(isinstance(d, pa.Array) for d in dictionaries):
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(pa.concat_arrays(dictionaries))
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        bounds = np.cumsum([0, *map(len, dictionaries)])
        return (encoded.dictionary.to_pylist(),
                [codes[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
    numbers: dict[str, int] = {}  # piece -> number, in order of first appearance
    out = []
    for d in dictionaries:
        pieces = d.to_pylist() if isinstance(d, pa.Array) else d
        out.append(np.fromiter((numbers.setdefault(p, len(numbers)) for p in pieces),
                               dtype=np.int64, count=len(pieces)))
    return list(numbers), out


def count_tokens(texts, rows: np.ndarray | None, n_rows: int, *,
                 preprocess: Callable[[str], str], token_pattern: str,
                 stop_words: frozenset[str] | None,
                 normalize: Callable[[str], str] | None = None, n_jobs: int = 1,
                 words_per_text: bool = False):
    """Token counts per row: ``(counts, vocabulary)``, and with ``words_per_text`` each
    text's number of white-space separated words (``len(text.split())``, from the same cut).

    ``texts`` is a list of str or a pandas string Series. ``counts`` is a CSR matrix
    (``n_rows`` x terms, int64, sorted indices) where text ``i`` adds to row ``rows[i]``
    (row ``i`` when ``rows`` is None); ``vocabulary`` lists the terms in order of first
    appearance, as ``CountVectorizer`` numbers them before sorting. Exact when
    ``preprocess`` works within runs of non-space characters (maps characters, folds
    accents, lower-cases, or matches patterns that need no space) and the token pattern
    matches no white space and treats it as a non-word character: true of the
    preprocessors and token patterns of compare_terms and group_stories. ``normalize``
    (optional) maps each distinct token to its term (e.g. spelling variants to one term)
    before stop words are removed; the counts are then those of ``CountVectorizer`` with an
    analyzer applying it to every token. With ``n_jobs`` > 1 the texts are cut and counted in
    that many threads, a batch each (pyarrow and scipy release the interpreter lock for
    that part, about half the time); the pieces are numbered in batch order, so the result
    does not depend on ``n_jobs``.
    """
    import pandas as pd
    from scipy import sparse

    rows = np.arange(len(texts)) if rows is None else np.asarray(rows, dtype=np.int64)
    # in batches of texts, so memory follows the batch's words, not the corpus's; a few
    # batches per thread when there are threads
    size = _BATCH if n_jobs <= 1 else max(1, min(_BATCH, -(-len(texts) // (2 * n_jobs))))

    def cut(start: int):
        batch = texts.iloc[start:start + size] if hasattr(texts, "iloc") else texts[
            start:start + size]
        pieces, code, parent = _pieces(batch)
        words = np.bincount(parent[_filled(pieces)[code]], minlength=len(batch)) \
            if words_per_text else None
        return pieces, _pair_counts(rows[start + parent], code, n_rows, len(pieces)), words

    batches = list(in_threads(cut, range(0, len(texts), size), n_jobs))
    pieces, numbers = _numbered([dictionary for dictionary, _, _ in batches])
    words = np.concatenate([np.zeros(0, dtype=np.int64), *(w for _, _, w in batches)]) \
        if words_per_text else None
    # each batch's counts with its pieces' numbers: joined as they stand when the batches'
    # rows follow each other (one row per text), else added up
    parts = [(local.data, number[local.indices], local.indptr)
             for number, (_, local, _) in zip(numbers, batches, strict=True)]
    del batches
    shape = (n_rows, len(pieces))
    per_row = sparse.csr_matrix(shape, dtype=np.int64)
    if parts and bool(np.all(rows[1:] >= rows[:-1])):
        # a row's entries of two batches sit side by side; the product below adds any
        # piece counted in both
        per_row = sparse.csr_matrix((np.concatenate([d for d, _, _ in parts]),
                                     np.concatenate([i for _, i, _ in parts]),
                                     np.sum([p for _, _, p in parts], axis=0)), shape=shape)
    else:
        for part in parts:
            per_row = per_row + sparse.csr_matrix(part, shape=shape)
    del parts
    piece_of, tokens = _tokens_of_pieces(pieces, preprocess, token_pattern)
    if normalize is not None and len(tokens):
        codes, distinct = pd.factorize(tokens)
        mapped = np.array([normalize(t) for t in distinct], dtype=object)
        tokens = pd.Series(mapped[codes], dtype=object)
    keep = np.ones(len(tokens), dtype=bool) if stop_words is None else ~tokens.isin(
        stop_words).to_numpy()
    term_of, vocab = pd.factorize(tokens[keep])
    terms_of_piece = sparse.csr_matrix(
        (np.ones(len(term_of), dtype=np.int64), (piece_of[keep], term_of)),
        shape=(len(pieces), len(vocab)))
    counts = (per_row @ terms_of_piece).tocsr()
    counts.sum_duplicates()
    counts.eliminate_zeros()
    counts.sort_indices()
    return (counts, list(vocab), words) if words_per_text else (counts, list(vocab))


def _filled(pieces) -> np.ndarray:
    """Which distinct pieces are words: Arrow's white-space split (on the same characters as
    ``str.split``) also gives an empty piece for white space at either end of a text."""
    import pyarrow as pa

    if isinstance(pieces, pa.Array):
        import pyarrow.compute as pc

        return pc.greater(pc.binary_length(pieces), 0).to_numpy(zero_copy_only=False)
    return np.fromiter(map(bool, pieces), dtype=bool, count=len(pieces))


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words. In a process that has not imported scikit-learn
    (a coverage worker, or a pipeline that needs nothing else of it), read from the one module
    of its that holds them: importing the package takes about 0.6 s to a second, paid again
    by every worker process."""
    import sys

    if "sklearn" not in sys.modules:
        import importlib.util
        from pathlib import Path

        spec = importlib.util.find_spec("sklearn")
        path = Path(spec.origin).parent / "feature_extraction" / "_stop_words.py" \
            if spec is not None and spec.origin else None
        if path is not None and path.is_file():  # the "import a source file" recipe
            module_spec = importlib.util.spec_from_file_location("_sklearn_stop_words", path)
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
            words = getattr(module, "ENGLISH_STOP_WORDS", None)
            if isinstance(words, frozenset) and words:
                return words
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Each CSR row's sum of ``values`` (one per stored entry), added in stored order (as
    scipy's row sums and scikit-learn's row norms do, so the floats are theirs); 0 for an
    empty row."""
    sizes = np.diff(indptr)
    filled = sizes > 0
    out = np.zeros(len(sizes), dtype=values.dtype)
    if filled.any():
        out[filled] = np.add.reduceat(values, indptr[:-1][filled])
    return out
