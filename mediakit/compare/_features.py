"""What the aligner compares: normalised keys of sentences, and their hashed word and
character n-gram counts.

Private helpers of :func:`mediakit.compare_coverage` (via :mod:`mediakit.compare._align`).
Computed once for every sentence of the stories that are aligned, in vectorised passes: each
distinct word is tokenised and hashed once, whatever the number of sentences it occurs in. No
value depends on the other sentences of a story, so a pair of sentences is scored the same in a
story of two sentences or of thousands.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from mediakit._normalize import (
    MAY_HOLD_NUMBER,
    fold_accents,
    fold_punctuation,
    may_hold_numbers,
    normalize_numbers,
    normalize_spelling,
)
from mediakit.compare._tokens import _filled, _pieces, _tokens_of_pieces, english_stop_words

# Abbreviations written several ways; mapped to one token that is not a stop word. The third
# item is a quick test every match passes (a letter it must hold), so most texts skip the regex.
_ALIASES = [
    (re.compile(r"\bUS\$|\$US(?=\s?\d)|\bUSD\s?(?=\d)"), "$", lambda key: "US" in key),
    (re.compile(r"\bU\.\s?S\.(?:\s?A\.)?|\bUSA\b|\bUS\b|\bUnited States(?: of America)?\b"),
     "USA", lambda key: "U" in key),
    (re.compile(r"\bU\.\s?K\.|\bUK\b|\bUnited Kingdom\b"), "UK", lambda key: "U" in key),
    (re.compile(r"\bU\.\s?N\.|\bUN\b|\bUnited Nations\b"), "UN", lambda key: "U" in key),
    (re.compile(r"\bE\.\s?U\.|\bEuropean Union\b"), "EU", lambda key: "E" in key),
    (re.compile(r"(\d)\s?%|(\d)\s+per\s?cent\b", re.IGNORECASE), r"\1\2 percent",
     lambda key: "%" in key or "per" in key.lower()),
]
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*")
_N_FEATURES = 2**24  # hashed features; collisions are rare and only blur a weight
_KEY_LIMIT = 2**62  # runs of tokens numbered by their tokens' numbers while these fit


def matching_key(text: str) -> str:
    """The text compared by the aligner: ASCII, American spelling, digits for numbers.

    Case is kept so that names can be told apart; lower-case it for character n-grams.
    """
    return matching_keys([text])[0]


def matching_keys(texts: list[str]) -> list[str]:
    """:func:`matching_key` of every text (the number test run on all texts at once)."""
    keys = []
    for text in texts:
        key = fold_accents(fold_punctuation(text))
        for pattern, repl, may_match in _ALIASES:
            if may_match(key):
                key = pattern.sub(repl, key)
        keys.append(normalize_spelling(key))
    maybe = may_hold_numbers(keys) if len(keys) > 1 else [True] * len(keys)
    return [normalize_numbers(k) if m and MAY_HOLD_NUMBER.search(k) else k
            for k, m in zip(keys, maybe, strict=True)]


def word_tokens(key: str, *, name_weight: int = 2) -> list[str]:
    """Content words of a matching key, lower case; names and numbers repeated ``name_weight`` times.

    A name is a capitalised word that does not open the sentence (or an all-caps token such as
    "NATO"); a number is a token starting with a digit.
    """
    out: list[str] = []
    for k, tok in enumerate(_TOKEN.findall(key)):
        low, weight = _token_weight(tok, first=k == 0, name_weight=name_weight)
        out.extend([low] * weight)
    return out


def _token_weight(tok: str, *, first: bool, name_weight: int) -> tuple[str, int]:
    """(lower case, times counted) of one token of a key: 0 for a stop word or a lone letter."""
    low = tok.lower()
    if low in english_stop_words() or (len(low) < 2 and not low.isdigit()):
        return low, 0
    heavy = tok[0].isdigit() or (tok[0].isupper() and (not first or tok.isupper()))
    return low, name_weight if heavy else 1


class SentenceFeatures(NamedTuple):
    """What the aligner knows of each sentence (one row per text, sparse matrices).

    ``words``: counts of :func:`word_tokens` (names and numbers counted twice), hashed;
    ``chars``: counts of character 3-5-grams within words (``char_wb``), hashed; ``content``,
    ``names``, ``numbers``: 1 for each distinct content word, name and number; ``tokens``,
    ``bigrams``, ``trigrams``, ``quadgrams``: 1 for each distinct token and run of two, three
    and four adjacent tokens, stop words included (word order); ``weighted_tokens``: the same
    tokens weighed by their fixed rarity (``idf``); ``stems``: 1 for each distinct content word
    cut to its first five letters ("announced" / "announces"); ``n_negations``: negation words
    ("not", "never", "n't"...); ``n_tokens``: tokens per text. Every value depends on the text
    alone (and the fixed ``idf``), never on the other texts.
    """

    words: object
    chars: object
    content: object
    names: object
    numbers: object
    tokens: object
    bigrams: object
    trigrams: object
    quadgrams: object
    weighted_tokens: object
    stems: object
    n_negations: np.ndarray
    n_tokens: np.ndarray


#: Negation words (a lone "t" is what remains of "n't" once tokens are split at apostrophes).
NEGATIONS = frozenset({"not", "no", "never", "none", "nor", "nobody", "nothing", "neither",
                       "nowhere", "without", "cannot", "t"})


def sentence_features(texts: list[str], *, char_ngrams: tuple[int, int] = (3, 5),
                      name_weight: int = 2, idf: tuple[dict, float] | None = None
                      ) -> SentenceFeatures:
    """:class:`SentenceFeatures` of every text, in one vectorised pass.

    Hashing keeps the cost linear in the corpus with no vocabulary to hold. ``words`` and
    ``chars`` are the counts of scikit-learn's ``HashingVectorizer`` (``analyzer=word_tokens``;
    ``analyzer="char_wb"``, lower case), with the hashed columns numbered as :func:`compact`
    does (in hash order, only those used). Each distinct token is weighed and hashed once (by
    :func:`hashed_rows`, vectorised, in scikit-learn's columns), and a text's character
    n-grams are the sum of its words' (``char_wb`` never spans two words).
    ``idf``: (weight of each lower-case token, weight of the others), by default the fixed
    table fitted on mrpc_train (:data:`mediakit.compare._samefact_model.IDF`).
    """
    import pandas as pd
    from scipy import sparse

    if not texts:
        empty = sparse.csr_matrix((0, 1), dtype=np.float64)
        return SentenceFeatures(*(empty.copy() for _ in range(11)), np.zeros(0, dtype=np.int64),
                                np.zeros(0, dtype=np.int64))
    if idf is None:
        from mediakit.compare._samefact_model import IDF, IDF_OTHER

        idf = (IDF, IDF_OTHER)
    keys = matching_keys(texts)
    # the keys cut at white space (by Arrow, as str.split cuts): their tokens, and the words
    # char_wb reads, each distinct piece lower-cased once
    pieces, codes, parent = _pieces(keys)
    filled = _filled(pieces)[codes]
    pieces = pieces.to_pylist() if hasattr(pieces, "to_pylist") else pieces
    words, sets, n_tokens = _word_counts((pieces, codes, parent), len(keys), hashed_rows,
                                         name_weight=name_weight, idf=idf)
    codes, parent = codes[filled], parent[filled]
    lower, uniques = pd.factorize(np.array([p.lower() for p in pieces], dtype=object))
    chars = _summed(lower[codes], uniques, np.bincount(parent, minlength=len(keys)), None,
                    lambda items: hashed_rows(items, char_wb=char_ngrams))
    return SentenceFeatures(words, chars, *sets, n_tokens)


def hashed_rows(items: list[str], char_wb: tuple[int, int] | None = None):
    """Counts of each item's features, hashed, with only the columns used (as :func:`compact`).

    The same matrix as ``compact(HashingVectorizer(analyzer=..., n_features=2**24,
    alternate_sign=False, norm=None, lowercase=False).transform(items))``: with ``char_wb``
    None, one feature per item (the item itself); with ``char_wb=(min_n, max_n)`` the
    character n-grams of ``analyzer="char_wb"`` of each item, an item being one word (no
    white space): the word padded with a space each side, cut into every run of ``n``
    characters for each ``n`` up to its padded length. Each feature's column is scikit-learn's,
    ``abs(murmurhash3_32(utf-8 bytes)) % 2**24``, computed here on all n-grams at once.
    """
    import pandas as pd
    from scipy import sparse

    if not items:
        return sparse.csr_matrix((0, 1), dtype=np.float64)
    padded = "".join(f" {w} " for w in items) if char_wb else "".join(items)
    points = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32)
    sizes = np.fromiter(map(len, items), dtype=np.int64, count=len(items)) + (2 if char_wb
                                                                              else 0)
    item_start = np.cumsum(sizes) - sizes  # code point where each (padded) item starts
    # the UTF-8 bytes of the text, and where each code point's bytes start
    encoded = np.frombuffer(padded.encode("utf-8"), dtype=np.uint8)
    byte_at = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum(1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000), out=byte_at[1:])
    rows, hashes = [], []
    for n in range(char_wb[0], char_wb[1] + 1) if char_wb else [None]:
        if n is None:  # the item itself
            count, starts, ends = np.ones(len(items), dtype=np.int64), item_start, \
                item_start + sizes
        else:  # every run of n code points inside a padded item
            count = np.maximum(sizes - n + 1, 0)
            starts = np.repeat(item_start - (np.cumsum(count) - count), count) + \
                np.arange(int(count.sum()))
            ends = starts + n
        first_byte = byte_at[starts]
        n_bytes = byte_at[ends] - first_byte
        found = np.empty(len(starts), dtype=np.int32)
        for length in np.unique(n_bytes):
            at = np.flatnonzero(n_bytes == length)
            found[at] = murmurhash3_32(encoded[first_byte[at, None] + np.arange(length)])
        rows.append(np.repeat(np.arange(len(items), dtype=np.int32), count))
        hashes.append(np.abs(found.astype(np.int64)) % _N_FEATURES)
    # columns numbered in hash order (hash each distinct feature once, then sort those)
    codes, used = pd.factorize(np.concatenate(hashes).astype(np.int32))
    order = np.argsort(used, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    out = sparse.csr_matrix((np.ones(len(codes)), (np.concatenate(rows), rank[codes])),
                            shape=(len(items), len(used)), dtype=np.float64)
    out.sum_duplicates()
    return out


_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def murmurhash3_32(data: np.ndarray) -> np.ndarray:
    """MurmurHash3 (x86, 32 bits, seed 0) of each row of ``data`` (an m x L array of bytes),
    as signed 32-bit integers: scikit-learn's ``murmurhash3_32(bytes, positive=False)``."""
    m, length = data.shape
    h = np.zeros(m, dtype=np.uint32)
    n_blocks = length // 4
    if n_blocks:
        blocks = np.ascontiguousarray(data[:, :4 * n_blocks]).view("<u4")
        for b in range(n_blocks):
            h ^= _rotl(blocks[:, b] * _C1, 15) * _C2
            h = _rotl(h, 13) * np.uint32(5) + np.uint32(0xE6546B64)
    if length % 4:
        tail = data[:, 4 * n_blocks:].astype(np.uint32)
        k = np.zeros(m, dtype=np.uint32)
        for i in range(tail.shape[1]):
            k ^= tail[:, i] << np.uint32(8 * i)
        h ^= _rotl(k * _C1, 15) * _C2
    h ^= np.uint32(length)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def _word_counts(pieces: tuple, n: int, hashed, *, name_weight: int,
                 idf: tuple[dict, float]):
    """Counts of :func:`word_tokens` per key (each distinct token weighed and hashed once),
    the 0/1 matrices (content words, names, numbers, tokens, runs of two, three and four
    tokens), the tokens weighed by ``idf``, the stems of content words, the negations and the
    number of tokens per key, for ``n`` keys cut into ``pieces`` (the distinct pieces as a
    list of str, each occurrence's piece and key: :func:`~mediakit.compare._tokens._pieces`).

    A token never holds white space, so the keys' tokens are those of their white-space
    separated pieces, each distinct piece tokenised once. Columns are numbered in any fixed
    way (every value is a whole number, so sums do not depend on their order)."""
    import pandas as pd

    dictionary, piece_codes, parent = pieces
    numbers, found = _tokens_of_pieces(dictionary, lambda text: text, _TOKEN.pattern)
    per_piece = np.bincount(numbers, minlength=len(dictionary))
    token_codes, uniques = pd.factorize(found.to_numpy())
    count = per_piece[piece_codes]  # tokens of each piece as it occurs, in order
    total = int(count.sum())
    at = np.repeat((np.cumsum(per_piece) - per_piece)[piece_codes], count) + \
        np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    codes = token_codes[at] if total else np.zeros(0, dtype=np.int64)
    lengths = np.bincount(np.repeat(parent, count), minlength=n)
    first = np.zeros(len(codes), dtype=bool)  # the token opens its key
    first[(np.cumsum(lengths) - lengths)[lengths > 0]] = True
    weighed = [(_token_weight(t, first=True, name_weight=name_weight),
                _token_weight(t, first=False, name_weight=name_weight)) for t in uniques]
    weights = np.array([[a[1], b[1]] for a, b in weighed], dtype=np.float64).reshape(-1, 2)
    low_codes, lows = pd.factorize(np.array([a[0] for a, _ in weighed], dtype=object))
    weight = weights[codes, np.where(first, 0, 1)] if len(codes) else np.zeros(0)
    counts = _summed(low_codes[codes], lows, lengths, weight, hashed)
    # 0/1 sets, numbered by the lower-case token (exact, no hashing needed)
    rows = np.repeat(np.arange(n), lengths)
    low = low_codes[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    digit = np.array([t[:1].isdigit() for t in lows], dtype=bool)[low] if len(low) else \
        np.zeros(0, dtype=bool)
    content = weight > 0
    names = content & (weight >= name_weight) & ~digit if name_weight > 1 else \
        np.zeros(len(low), dtype=bool)
    width = max(len(lows), 1)
    sets = [_ones(rows[m], low[m], n, width) for m in (content, names, content & digit)]
    # all tokens, and runs of two and three adjacent tokens, stop words included (word order)
    sets.append(_ones(rows, low, n, width))
    low = low.astype(np.int64)
    two = np.zeros(0, dtype=bool) if len(rows) < 2 else rows[1:] == rows[:-1]
    code2, uniques2 = pd.factorize(low[:-1][two] * width + low[1:][two]) if len(two) else \
        (np.zeros(0, dtype=np.int64), [])
    sets.append(_ones(rows[:-1][two] if len(two) else rows[:0], code2, n, max(len(uniques2), 1)))
    at2 = np.full(max(len(rows) - 1, 0), -1, dtype=np.int64)
    at2[np.flatnonzero(two)] = code2
    three = np.zeros(0, dtype=bool) if len(rows) < 3 else rows[2:] == rows[:-2]
    four = np.zeros(0, dtype=bool) if len(rows) < 4 else rows[3:] == rows[:-3]
    n2 = max(len(uniques2), 1)
    if n2 * width * width < _KEY_LIMIT:
        # a run of three or four is numbered by its bigram's number and the next tokens'
        # (exact, and every number fits in 64 bits): no renumbering of millions of keys,
        # columns only ever compared within a row pair (0/1 sets, their products count)
        key3 = at2[:-1][three] * width + low[2:][three] if len(three) else rows[:0]
        key4 = (at2[:-2][four] * width + low[2:-1][four]) * width + low[3:][four] \
            if len(four) else rows[:0]
        widths = (n2 * width, n2 * width * width)
    else:
        key3 = pd.factorize(at2[:-1][three] * width + low[2:][three])[0] if len(three) \
            else rows[:0]
        at3 = np.full(max(len(rows) - 2, 0), -1, dtype=np.int64)
        at3[np.flatnonzero(three)] = key3
        key4 = pd.factorize(at3[:-1][four] * width + low[3:][four])[0] if len(four) \
            else rows[:0]
        widths = (max(len(rows), 1), max(len(rows), 1))
    sets.append(_ones(rows[:-2][three] if len(three) else rows[:0], key3, n, widths[0]))
    sets.append(_ones(rows[:-3][four] if len(four) else rows[:0], key4, n, widths[1]))
    # the tokens weighed by their fixed rarity (same columns as ``tokens``), in thousandths:
    # whole numbers, so sums are exact and a pair scores the same either way round
    table, other = idf
    weighted = sets[3].copy()
    if len(lows):
        rarity = np.rint(1000 * np.array([table.get(t, other) for t in lows]))
        weighted.data = rarity.astype(np.float32)[weighted.indices]
    sets.append(weighted)
    # content words cut to five letters, and negations
    stem_codes, stems = pd.factorize(np.array([t[:5] for t in lows], dtype=object)) if len(lows) \
        else (np.zeros(0, dtype=np.int64), [])
    sets.append(_ones(rows[content], stem_codes[low[content]] if len(low) else low[:0], n,
                      max(len(stems), 1)))
    negation = np.array([t in NEGATIONS for t in lows], dtype=bool)[low] if len(low) else \
        np.zeros(0, dtype=bool)
    sets.append(np.bincount(rows[negation], minlength=n))
    return counts, sets, lengths


def _ones(rows: np.ndarray, cols: np.ndarray, n: int, width: int):
    """n x width CSR matrix with 1 at each distinct (row, col)."""
    from scipy import sparse

    out = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                            shape=(n, width))
    out.sum_duplicates()
    out.data[:] = 1.0
    return out


def _summed(codes: np.ndarray, uniques, lengths: np.ndarray, weight: np.ndarray | None,
            hashed):
    """Per doc (``lengths`` items each, as ``codes`` into ``uniques``), the sum of the rows
    ``hashed(items)`` gives its items, each counted ``weight`` times (default once); each
    distinct item hashed once."""
    from scipy import sparse

    n = len(lengths)
    rows = np.repeat(np.arange(n), lengths)
    if weight is not None:
        keep = weight > 0
        codes, rows, weight = codes[keep], rows[keep], weight[keep]
    if len(codes) == 0:
        return sparse.csr_matrix((n, 1), dtype=np.float64)
    seen = np.zeros(len(uniques), dtype=bool)  # only the items kept, renumbered in order
    seen[codes] = True
    used = np.flatnonzero(seen)
    codes = (np.cumsum(seen) - 1)[codes]
    per_doc = sparse.csr_matrix((np.ones(len(codes)) if weight is None else weight,
                                 (rows, codes)), shape=(n, len(used)))
    per_item = hashed([uniques[k] for k in used])
    out = (per_doc @ per_item).tocsr()
    out.sort_indices()  # a product has no duplicate entries; hashed order, as before
    return out


def compact(counts):
    """The same rows with only the columns they use, numbered in the same order (hashed
    matrices are 2**24 wide). Shares ``counts``' values (and its column numbers when every
    column is used, as in the rows of :func:`hashed_rows`): do not change them in place."""
    import pandas as pd
    from scipy import sparse

    width, indices = counts.shape[1], counts.indices
    if width <= 4 * len(indices):  # mark the columns used: linear, no sort
        used = np.zeros(width, dtype=bool)
        used[indices] = True
        n_cols = int(used.sum())
        inverse = indices if n_cols == width else \
            (np.cumsum(used) - 1).astype(indices.dtype)[indices]
    else:
        inverse, cols = pd.factorize(indices, sort=True)
        n_cols = len(cols)
    return sparse.csr_matrix((counts.data, inverse, counts.indptr),
                             shape=(counts.shape[0], max(n_cols, 1)))
