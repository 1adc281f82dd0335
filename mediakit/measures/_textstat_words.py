"""textstat's word rules applied to many sentences at once, with numpy over code points.

Per sentence, textstat (as :func:`mediakit.measures.readability.words` applies it) removes every
character that is not a word character, whitespace or an apostrophe, removes apostrophes not
followed by a contraction ending (``[tsd]|ve|ll|re``), and splits the rest on whitespace.
:func:`split_words` does the same for a whole batch of sentences without a Python loop over
words: the texts are joined, turned into an array of code points, each distinct character is
classified once by Python's own ``re`` (``\\w``, ``\\s``) and ``str.isspace``, and the words
are the runs of kept non-space characters within a sentence. The distinct words are found by
Arrow's dictionary encoding (exact: equal UTF-8 bytes, equal strings).

The results equal the per-sentence rule on every input (``tests/test_readability.py`` checks
it on real news text and on edge cases); the per-sentence rule stays the reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

_KEEP, _SPACE = 1, 2  # kept by the punctuation rule (``\\w`` or ``\\s``); ``str.isspace``
_APOSTROPHES = (0x27, 0x2019, 0x2018)  # QUOTE_MAP turns the curly ones into "'"
_ENDINGS_1 = tuple(map(ord, "tsd"))
_ENDINGS_2 = tuple((ord(a), ord(b)) for a, b in ("ve", "ll", "re"))
_RE_W, _RE_S = re.compile(r"\w"), re.compile(r"\s")


def _classify(char: str) -> int:
    keep = _RE_W.match(char) or _RE_S.match(char)
    return (_KEEP if keep else 0) | (_SPACE if char.isspace() else 0)


_ASCII = np.array([_classify(chr(c)) for c in range(128)], dtype=np.uint8)
_ASCII_W = np.array([bool(_RE_W.match(chr(c))) for c in range(128)])


def _classes(cps: np.ndarray, wide: np.ndarray, ascii_table=_ASCII, classify=_classify):
    cls = ascii_table.take(cps, mode="clip")
    if len(wide):
        uniq, inverse = np.unique(cps[wide], return_inverse=True)
        table = np.array([classify(chr(c)) for c in uniq.tolist()], dtype=ascii_table.dtype)
        cls[wide] = table[inverse]
    return cls


def _code_points(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code points of the joined texts, the texts' bounds in them, non-ASCII positions."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    cps = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return cps, bounds, np.flatnonzero(cps > 127)


def _encode(chars: np.ndarray, starts: np.ndarray, any_wide: bool):
    """Arrow dictionary encoding of the words ``chars[starts[k]:starts[k + 1]]``."""
    import pyarrow as pa

    if any_wide:
        extra_at = np.flatnonzero(chars > 127)
        extra = ((chars[extra_at] >= 0x80).astype(np.int64) + (chars[extra_at] >= 0x800)
                 + (chars[extra_at] >= 0x10000))
        cum = np.concatenate(([0], np.cumsum(extra)))
        offsets = starts + cum[np.searchsorted(extra_at, starts)]
        data = chars.tobytes().decode("utf-32-le").encode("utf-8")
    else:
        offsets = starts
        data = chars.astype(np.uint8).tobytes()
    array = pa.LargeStringArray.from_buffers(len(starts) - 1, pa.py_buffer(offsets),
                                             pa.py_buffer(data))
    encoded = array.dictionary_encode()
    return (encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
            encoded.dictionary.to_pylist())


@dataclass
class Runs:
    """The ``\\w+`` words of each text: offsets in the text and index into ``vocabulary``."""

    word_bounds: np.ndarray  # (n_texts + 1,) text k's words are [k, k + 1)
    starts: np.ndarray  # (n_words,) offset of the word in its text
    ends: np.ndarray  # (n_words,) offset after the word
    word_index: np.ndarray  # (n_words,) into vocabulary
    vocabulary: list[str]  # distinct words, as written


def words_of(texts: list[str]) -> Runs:
    """``re.finditer(r"\\w+", text)`` of every text at once (same words, same offsets)."""
    cps, bounds, wide = _code_points(texts)
    inside = _classes(cps, wide, _ASCII_W, lambda c: bool(_RE_W.match(c)))
    first, last = _run_edges(inside, bounds)
    word_bounds = np.searchsorted(first, bounds)
    text_of = np.repeat(np.arange(len(texts)), np.diff(word_bounds))
    size = last - first + 1
    chars = cps[inside]
    index, vocabulary = _encode(chars, np.concatenate(([0], np.cumsum(size))), len(wide) > 0)
    return Runs(word_bounds=word_bounds, starts=first - bounds[text_of],
                ends=last + 1 - bounds[text_of], word_index=index, vocabulary=vocabulary)


def _count_in(positions: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """How many of the sorted ``positions`` fall in each ``[bounds[k], bounds[k + 1])``."""
    return np.diff(np.searchsorted(positions, bounds))


def _run_edges(inside: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last positions of the runs of ``inside``; no run crosses a sentence start."""
    cut = np.zeros(len(inside) + 1, dtype=bool)
    cut[starts] = True  # starts may include len(inside) (empty sentences at the end)
    before = np.zeros_like(inside)
    before[1:] = inside[:-1]
    after = np.zeros_like(inside)
    after[:-1] = inside[1:]
    first = inside & (~before | cut[:-1])
    last = inside & (~after | cut[1:])
    return np.flatnonzero(first), np.flatnonzero(last)


@dataclass
class Words:
    """Counts per sentence, and every word as an index into ``vocabulary``."""

    counts: np.ndarray  # (n_sentences, 4) int64: words, chars, tokens, letters
    word_bounds: np.ndarray  # (n_sentences + 1,) the sentence's words are [k, k + 1)
    word_index: np.ndarray  # (n_words,) int64 into vocabulary
    vocabulary: list[str]  # distinct words, as written (case kept)


def split_words(texts: list[str]) -> Words:
    """textstat's words of each text (quote-mapped first), plus character and token counts.

    ``chars`` is ``len("".join(text.split()))``, ``tokens`` is ``len(text.split())`` and
    ``letters`` the word characters other than apostrophes, as in textstat's counts.
    """
    cps, bounds, wide = _code_points(texts)
    lengths = np.diff(bounds)
    cls = _classes(cps, wide)
    # characters and tokens of str.split(), counted from the (rarer) whitespace
    space = (cls & _SPACE).astype(bool)
    tok_first, _ = _run_edges(~space, bounds)
    chars = lengths - _count_in(np.flatnonzero(space), bounds)
    tokens = _count_in(tok_first, bounds)
    del tok_first

    keep = (cls & _KEEP).astype(bool)
    del cls
    apostrophes = np.flatnonzero(cps == _APOSTROPHES[0])
    if len(wide):
        curly = wide[np.isin(cps[wide], _APOSTROPHES[1:])]
        apostrophes = np.union1d(apostrophes, curly)
    if len(apostrophes):
        # the lookahead sees the sentence's own next characters only (end of text = no match)
        end = bounds[np.searchsorted(bounds, apostrophes, side="right")]
        padded_at = np.minimum(apostrophes + 1, len(cps) - 1)
        nxt = np.where(apostrophes + 1 < end, cps[padded_at], 0)
        padded_at = np.minimum(apostrophes + 2, len(cps) - 1)
        nxt2 = np.where(apostrophes + 2 < end, cps[padded_at], 0)
        contraction = np.isin(nxt, _ENDINGS_1)
        for a, b in _ENDINGS_2:
            contraction |= (nxt == a) & (nxt2 == b)
        keep[apostrophes] = contraction
    kept_at = np.flatnonzero(~keep)  # removed characters (the rarer kind)
    kept_bounds = bounds - np.searchsorted(kept_at, bounds)
    del kept_at
    kept = cps[keep]
    in_word = ~space[keep]
    del cps, keep, space
    first, last = _run_edges(in_word, kept_bounds)
    word_bounds = np.searchsorted(first, kept_bounds)
    chars_only = kept[in_word]
    del kept, in_word
    if len(wide):
        chars_only[np.isin(chars_only, _APOSTROPHES[1:])] = _APOSTROPHES[0]
    size = last - first + 1  # characters of each word
    starts = np.concatenate(([0], np.cumsum(size)))
    n_apostrophes = np.flatnonzero(chars_only == _APOSTROPHES[0])
    letters = np.diff(starts[word_bounds]) - _count_in(n_apostrophes, starts[word_bounds])
    index, vocabulary = _encode(chars_only, starts, len(wide) > 0)
    counts = np.column_stack([np.diff(word_bounds), chars, tokens, letters])
    return Words(counts=counts, word_bounds=word_bounds, word_index=index,
                 vocabulary=vocabulary)
