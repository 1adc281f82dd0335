"""Pyphen's hyphenation points of many words at once: Liang's algorithm on numpy arrays.

textstat counts the syllables of a word missing from the CMU dictionary as
``len(Pyphen(lang="en_US").positions(word)) + 1``. Pyphen finds the points word by word: every
substring of the word (with a dot at each end) is looked up in its pattern table, and each
pattern found raises the levels of the gaps it covers; the odd levels are the points. On the
tens of thousands of such words of a corpus (names, rare words) that loop took most of
readability's syllable counting. :func:`hyphen_counts` does the same steps for all words at
once: the substrings of every length are hashed together, the hashes looked up in the
patterns' (sorted), every hit checked character by character against its pattern (so a hash
collision cannot add a point), and the levels raised with one ``maximum.at``. The points are
Pyphen's (``tests/test_readability.py`` compares them on every word of the AllSides corpora).
"""

from __future__ import annotations

import functools

import numpy as np

_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd, so every length's hash mixes all characters
_MASK = 2**20 - 1


@functools.cache
def _table(lang: str = "en_US"):
    """The patterns of Pyphen's dictionary for ``lang`` as arrays, and its word-end margins."""
    from pyphen import Pyphen

    hyphenator = Pyphen(lang=lang)
    patterns = hyphenator.hd.patterns  # substring -> (offset, levels)
    alphabet = np.array(sorted({ord(ch) for key in patterns for ch in key}), dtype=np.uint32)
    keys = list(patterns)
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    codes = _codes("".join(keys), alphabet)
    hashes = np.zeros(len(keys), dtype=np.uint64)
    starts = np.cumsum(lengths) - lengths
    with np.errstate(over="ignore"):
        for k in range(int(lengths.max())):
            more = lengths > k
            hashes[more] = hashes[more] * _BASE + codes[starts[more] + k]
    levels = [patterns[key][1] for key in keys]
    n_levels = np.fromiter(map(len, levels), dtype=np.int64, count=len(keys))
    by_length = {}
    for n in np.unique(lengths):  # per length: hashes sorted, and which pattern each is
        which = np.flatnonzero(lengths == n)
        order = np.argsort(hashes[which], kind="stable")
        by_length[int(n)] = (hashes[which][order], which[order])
        if np.any(np.diff(by_length[int(n)][0]) == 0):  # two patterns, one hash: never seen
            return None
    # a quick first test: the low bits of every pattern's hash (few substrings pass it)
    seen = np.zeros(_MASK + 1, dtype=bool)
    seen[hashes & np.uint64(_MASK)] = True
    return {
        "alphabet": alphabet, "by_length": by_length, "seen": seen, "lengths": lengths,
        "starts": starts, "codes": codes,
        "offsets": np.array([patterns[key][0] for key in keys], dtype=np.int64),
        "levels": np.fromiter((v for vs in levels for v in vs), dtype=np.int64,
                              count=int(n_levels.sum())),
        "n_levels": n_levels, "level_starts": np.cumsum(n_levels) - n_levels,
        "maxlen": hyphenator.hd.maxlen, "left": hyphenator.left, "right": hyphenator.right,
    }


def _codes(text: str, alphabet: np.ndarray) -> np.ndarray:
    """Each character of ``text`` as 1 + its place in ``alphabet`` (0: in no pattern)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    place = np.searchsorted(alphabet, points)
    found = place < len(alphabet)
    found[found] = alphabet[place[found]] == points[found]
    return np.where(found, place + 1, 0).astype(np.uint64)


def hyphen_counts(words: list[str], lang: str = "en_US") -> np.ndarray:
    """``len(pyphen.Pyphen(lang=lang).positions(w))`` for each word, as an int64 array."""
    t = _table(lang)
    if t is None:  # patterns whose hashes collide: Pyphen's own loop
        from pyphen import Pyphen

        positions = Pyphen(lang=lang).positions
        return np.array([len(positions(w)) for w in words], dtype=np.int64)
    if not words:
        return np.zeros(0, dtype=np.int64)
    lowered = [w.lower() for w in words]
    size = np.fromiter(map(len, lowered), dtype=np.int64, count=len(words)) + 2  # ".word."
    codes = _codes("".join(f".{w}." for w in lowered), t["alphabet"])
    word_start = np.cumsum(size) - size
    owner = np.repeat(np.arange(len(words)), size)
    at = np.arange(len(codes)) - word_start[owner]  # place within its dotted word
    # Pyphen tries the substrings starting before the final dot, up to maxlen long
    starts = np.flatnonzero(at < size[owner] - 1)
    room = (size[owner] - at)[starts]  # characters from the start to the word's end
    hashes = np.zeros(len(starts), dtype=np.uint64)
    hit_start, hit_pattern = [], []
    with np.errstate(over="ignore"):
        for n in range(1, t["maxlen"] + 1):
            keep = room >= n
            starts, room, hashes = starts[keep], room[keep], hashes[keep]
            if not len(starts):
                break
            hashes = hashes * _BASE + codes[starts + n - 1]
            if n not in t["by_length"]:
                continue
            known, which = t["by_length"][n]
            maybe = np.flatnonzero(t["seen"][hashes & np.uint64(_MASK)])
            place = np.minimum(np.searchsorted(known, hashes[maybe]), len(known) - 1)
            found = known[place] == hashes[maybe]
            hit_start.append(starts[maybe[found]])
            hit_pattern.append(which[place[found]])
    hit_start = np.concatenate(hit_start) if hit_start else np.zeros(0, dtype=np.int64)
    hit_pattern = np.concatenate(hit_pattern) if hit_pattern else np.zeros(0, dtype=np.int64)
    # each hit's characters against its pattern's (a hash collision is not a hit)
    n_chars = t["lengths"][hit_pattern]
    step = np.arange(int(n_chars.sum())) - np.repeat(np.cumsum(n_chars) - n_chars, n_chars)
    same = codes[np.repeat(hit_start, n_chars) + step] == \
        t["codes"][np.repeat(t["starts"][hit_pattern], n_chars) + step]
    exact = np.ones(len(hit_start), dtype=bool)
    if len(same):
        exact = np.logical_and.reduceat(same, np.cumsum(n_chars) - n_chars)
    hit_start, hit_pattern = hit_start[exact], hit_pattern[exact]
    # the levels each pattern sets, from its offset; a word has size + 1 gaps (0 .. size)
    n_levels = t["n_levels"][hit_pattern]
    step = np.arange(int(n_levels.sum())) - np.repeat(np.cumsum(n_levels) - n_levels, n_levels)
    word = owner[hit_start]
    gap = np.repeat(at[hit_start] + t["offsets"][hit_pattern], n_levels) + step
    inside = gap <= np.repeat(size[word], n_levels)  # Pyphen's slice stops at the last gap
    gap_start = np.cumsum(size + 1) - (size + 1)
    levels = np.zeros(int((size + 1).sum()), dtype=np.int64)
    np.maximum.at(levels, (np.repeat(gap_start[word], n_levels) + gap)[inside],
                  t["levels"][np.repeat(t["level_starts"][hit_pattern], n_levels) + step][inside])
    # a point before character i - 1 of the word at each odd level, within the margins
    gap_owner = np.repeat(np.arange(len(words)), size + 1)
    point = np.arange(len(levels)) - gap_start[gap_owner] - 1
    written = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    counted = (levels % 2 == 1) & (point >= t["left"]) & (point <= written[gap_owner] - t["right"])
    return np.bincount(gap_owner[counted], minlength=len(words)).astype(np.int64)
