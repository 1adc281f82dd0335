"""A lexicon compiled once into a token-level matcher: linear in the text, whatever the lexicon size.

Pattern syntax (the same for every lexicon format):

- matching is case-insensitive and on whole words: a word is a run of letters, digits or ``_``,
  so ``coalition`` matches the first word of "coalition's" but never "coalitions";
- ``*`` stands for any number of word characters and ``?`` for exactly one, inside one word:
  ``militar*`` matches "military" and "militarise", ``defen?e*`` matches "defence", "defense"
  and "defences";
- a term of several words is a phrase: its words must follow each other in the text, separated by
  spaces, hyphens, apostrophes or full stops only, so ``peace keeping`` matches "peace keeping",
  "peace-keeping" and "Peace  Keeping", ``u.s.`` matches "U.S." and ``don't`` matches "don’t".

How the text is matched: it is split into words once; each word is looked up in a dict (exact
words) and in a table of literal prefixes (globs, e.g. ``militar`` for ``militar*``) or, for globs
starting with a wildcard, of their longest literal run (``ism`` for ``*ism``), so a word is tried
only against globs it can match; a glob is matched piece by piece in linear time (no
backtracking regex); phrases walk a word-sequence trie from each word. Within one category a word is counted at most once: at each
position the longest match wins (then the most specific pattern, then lexicon order), and the next
match of that category starts after it (leftmost-longest). A word can count in several categories.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

#: A word of the text (and of a pattern, plus its wildcards).
WORD = re.compile(r"\w+")
_PATTERN_WORD = re.compile(r"[\w*?]+")
#: What may stand between the words of a phrase (hyphens include U+2010/U+2011, apostrophes U+2019).
_GAP = re.compile(r"[\s\-\u2010\u2011'\u2019.]+")
_PATTERN_CHARS = re.compile(r"[\w*?\s\-\u2010\u2011'\u2019.]+")
_MEMO_LIMIT = 200_000


def parse_pattern(term: object) -> tuple[str, ...]:
    """Split a lexicon term into its (case-folded) words; raise ``ValueError`` if it is invalid."""
    if not isinstance(term, str):
        raise ValueError(f"term {term!r} is a {type(term).__name__}, not a string.")
    folded = term.strip().casefold()
    if not folded:
        raise ValueError("a term is empty.")
    if not _PATTERN_CHARS.fullmatch(folded):
        raise ValueError(
            f"term {term!r} is not a valid pattern: use letters, digits, spaces, hyphens, "
            "apostrophes, full stops and the wildcards '*' (any letters) and '?' (one letter)."
        )
    words = tuple(_PATTERN_WORD.findall(folded))
    if not words:
        raise ValueError(f"term {term!r} has no word in it.")
    for word in words:
        if not word.strip("*?"):
            raise ValueError(f"term {term!r} has a word made only of wildcards ({word!r}).")
    return words


def _is_glob(word: str) -> bool:
    return "*" in word or "?" in word


class _Glob:
    """One glob word (``*`` any run of word characters, ``?`` one), matched in linear time.

    A regex such as ``\\w*a\\w*a\\w*b`` backtracks exponentially on a long word of ``a``s.
    Here the pattern is cut at its ``*``s into fixed-length pieces: the first must match at the
    start, the last at the end, and the others are found left to right, each at its leftmost
    place (which is always a correct choice for ``*``), so no piece is tried twice.
    """

    __slots__ = ("pieces", "sizes")

    def __init__(self, word: str):
        parts = word.split("*")
        self.pieces = [re.compile("".join(r"\w" if c == "?" else re.escape(c) for c in p))
                       for p in parts]
        self.sizes = [len(p) for p in parts]

    def fullmatch(self, key: str) -> bool:
        pieces, sizes = self.pieces, self.sizes
        if len(pieces) == 1:
            return pieces[0].fullmatch(key) is not None
        end = len(key) - sizes[-1]
        if end < sizes[0] or not pieces[0].match(key) or not pieces[-1].fullmatch(key, end):
            return False
        pos = sizes[0]
        for piece in pieces[1:-1]:
            found = piece.search(key, pos, end)
            if found is None:
                return False
            pos = found.end()
        return True


def _anchor(word: str) -> tuple[str, str]:
    """How a glob word is indexed: ``("prefix", literal start)`` when it starts with letters,
    else ``("infix", longest literal run)``: every match holds that run somewhere."""
    prefix = re.split(r"[*?]", word, maxsplit=1)[0]
    if prefix:
        return "prefix", prefix
    return "infix", max(re.split(r"[*?]", word), key=len)


def _specificity(words: tuple[str, ...]) -> int:
    """Literal characters in a pattern: an exact word beats a glob over the same span."""
    return sum(len(w) - w.count("*") - w.count("?") for w in words)


@dataclass
class _Node:
    exact: dict[str, _Node] = field(default_factory=dict)
    glob: dict[str, _Node] = field(default_factory=dict)
    # (category index, term as written, specificity, order in lexicon)
    ends: list[tuple[int, str, int, int]] = field(default_factory=list)
    more: bool = False  # has children: a longer phrase may continue here


class Match(NamedTuple):
    """One counted hit: category index, the lexicon term, and character offsets in the text."""

    category: int
    term: str
    start: int
    end: int


class Matcher:
    """Compiled form of a lexicon's categories. Build it with :func:`compile_categories`.

    One matcher serves every call in the process, in any thread (dask's threaded scheduler):
    the trie is never changed after it is built, and the per-word memos only gain entries
    that depend on the word alone, or are emptied; each is read once per lookup.
    """

    def __init__(self, categories: tuple[tuple[str, tuple[str, ...]], ...]):
        self.categories = tuple(name for name, _ in categories)
        self._root = _Node()
        globs: dict[str, _Glob] = {}
        order = 0
        for index, (_, terms) in enumerate(categories):
            for term in terms:
                words = parse_pattern(term)
                node = self._root
                for word in words:
                    if _is_glob(word):
                        if word not in globs:
                            globs[word] = _Glob(word)
                        node = node.glob.setdefault(word, _Node())
                    else:
                        node = node.exact.setdefault(word, _Node())
                node.ends.append((index, term, _specificity(words), order))
                order += 1
        todo = [self._root]
        while todo:
            node = todo.pop()
            node.more = bool(node.exact or node.glob)
            todo.extend(node.exact.values())
            todo.extend(node.glob.values())
        # glob words indexed by their literal prefix, or (starting with a wildcard) by their
        # longest literal run: a text word is tried only against the globs it can match, so the
        # cost per distinct word does not grow with the number of patterns
        self._by_prefix: dict[str, list[tuple[str, _Glob]]] = {}
        self._by_infix: dict[str, list[tuple[str, _Glob]]] = {}
        for word, glob in globs.items():
            kind, literal = _anchor(word)
            table = self._by_prefix if kind == "prefix" else self._by_infix
            table.setdefault(literal, []).append((word, glob))
        self._prefix_lengths = sorted({len(p) for p in self._by_prefix})
        self._infix_lengths = sorted({len(p) for p in self._by_infix})
        self._memo: dict[str, tuple[str, ...]] = {}
        self._first: dict[str, tuple[_Node, ...]] = {}
        self._single: dict[str, tuple[tuple[tuple[int, str], ...], bool]] = {}

    def _globs_of(self, key: str) -> tuple[str, ...]:
        """Glob words of the lexicon that match the (case-folded) text word ``key``."""
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        found = []
        for length in self._prefix_lengths:
            if length > len(key):
                break
            for word, glob in self._by_prefix.get(key[:length], ()):
                if glob.fullmatch(key):
                    found.append(word)
        if self._by_infix:
            runs = {key[i:i + length] for length in self._infix_lengths
                    for i in range(len(key) - length + 1)}
            for run in runs & self._by_infix.keys():
                for word, glob in self._by_infix[run]:
                    if glob.fullmatch(key):
                        found.append(word)
        result = tuple(sorted(set(found)))
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = result
        return result

    def _step(self, nodes, key: str) -> list[_Node]:
        """Trie nodes reached from ``nodes`` by the text word ``key`` (exact, then globs)."""
        globs = None  # looked up once, at the first node with glob children
        nxt = []
        for node in nodes:
            child = node.exact.get(key)
            if child is not None:
                nxt.append(child)
            if node.glob:
                if globs is None:
                    globs = self._globs_of(key) if self._prefix_lengths or \
                        self._infix_lengths else ()
                for word in globs:
                    child = node.glob.get(word)
                    if child is not None:
                        nxt.append(child)
        return nxt

    def _first_nodes(self, key: str) -> tuple[_Node, ...]:
        """Nodes reached from the root by ``key``: empty for most words (cached per word)."""
        if len(self._first) >= _MEMO_LIMIT:
            self._first.clear()
        nodes = self._first[key] = tuple(self._step((self._root,), key))
        return nodes

    def find(self, text: str) -> list[Match]:
        """Every counted hit in ``text``, in order of position (then category).

        Only words that begin some pattern start a walk of the trie; the words' offsets are
        taken only when the text has such a word.
        """
        keys = [w.casefold() for w in WORD.findall(text)]
        starts = [i for i, key in enumerate(keys) if self._nodes(key)]
        if not starts:
            return []
        spans = [m.span() for m in WORD.finditer(text)]
        return self._walk(text, keys, [s for s, _ in spans], [e for _, e in spans], starts)

    def find_many(self, texts: list[str]) -> list[list[Match]]:
        """``[self.find(t) for t in texts]``, with the words of all texts found at once.

        The texts' words (runs of ``\\w``) are located with numpy over code points and each
        distinct word is case-folded and looked up once. Only texts where a phrase may go on
        past its first word (the next word continues it in the trie) are walked in Python;
        in the others every hit is one word's best patterns (:meth:`_one_word`), and all
        count (a word never covers the next one), so they are gathered with numpy.
        """
        from mediakit.measures._textstat_words import words_of

        found = words_of(texts)
        keys = [w.casefold() for w in found.vocabulary]
        out: list[list[Match]] = [[] for _ in texts]
        if not keys:
            return out
        one_word = [self._one_word(k) for k in keys]
        n_hits = np.fromiter((len(hits) for hits, _ in one_word), dtype=np.int64,
                             count=len(keys))
        more = np.fromiter((m for _, m in one_word), dtype=bool, count=len(keys))
        vocab, bounds = found.word_index, found.word_bounds
        text_of = np.repeat(np.arange(len(texts)), np.diff(bounds))
        # a phrase may go on where a word that begins one is followed, in its text, by a word
        # the trie has next (each distinct pair of words stepped once)
        last = np.zeros(len(vocab), dtype=bool)
        last[bounds[1:][bounds[1:] > 0] - 1] = True
        may = np.flatnonzero(more[vocab] & ~last)
        walked = np.zeros(len(texts), dtype=bool)
        if len(may):
            pairs, inverse = np.unique(vocab[may] * np.int64(len(keys)) + vocab[may + 1],
                                       return_inverse=True)
            goes_on = np.fromiter(
                (bool(self._step(self._nodes(keys[p // len(keys)]), keys[p % len(keys)]))
                 for p in pairs.tolist()), dtype=bool, count=len(pairs))
            walked[text_of[may[goes_on[inverse]]]] = True
        # the others: each word's hits, in word order, then category order
        at = np.flatnonzero((n_hits[vocab] > 0) & ~walked[text_of])
        if len(at):
            flat_cats = [cat for hits, _ in one_word for cat, _ in hits]
            flat_terms = np.array([term for hits, _ in one_word for _, term in hits],
                                  dtype=object)
            first_hit = np.cumsum(n_hits) - n_hits
            count = n_hits[vocab[at]]
            offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
            hit = np.repeat(first_hit[vocab[at]], count) + offset
            hit_text = np.repeat(text_of[at], count)
            matches = list(map(Match, np.asarray(flat_cats, dtype=np.int64)[hit].tolist(),
                               flat_terms[hit].tolist(),
                               np.repeat(found.starts[at], count).tolist(),
                               np.repeat(found.ends[at], count).tolist()))
            has = np.flatnonzero(np.diff(np.searchsorted(hit_text, np.arange(len(texts) + 1))))
            cuts = np.searchsorted(hit_text, np.r_[has, has + 1]).reshape(2, -1).T.tolist()
            for k, (a, b) in zip(has.tolist(), cuts, strict=True):
                out[k] = matches[a:b]
        begins = (n_hits > 0) | more
        for k in np.flatnonzero(walked).tolist():
            a, b = int(bounds[k]), int(bounds[k + 1])
            words = vocab[a:b]
            out[k] = self._walk(texts[k], [keys[v] for v in words.tolist()],
                                found.starts[a:b].tolist(), found.ends[a:b].tolist(),
                                np.flatnonzero(begins[words]).tolist())
        return out

    def _nodes(self, key: str) -> tuple[_Node, ...]:
        """Nodes reached from the root by ``key`` (cached per word)."""
        nodes = self._first.get(key)
        return self._first_nodes(key) if nodes is None else nodes

    def _one_word(self, key: str) -> tuple[tuple[tuple[int, str], ...], bool]:
        """The hits of the word ``key`` alone, (category, term) of each category's best
        pattern in category order (the ranking of :meth:`_walk` at one word: the most
        specific pattern, then lexicon order), and whether a phrase may continue from it
        (cached per word)."""
        hit = self._single.get(key)
        if hit is not None:
            return hit
        nodes = self._nodes(key)
        best: dict[int, tuple[int, int, str]] = {}
        for node in nodes:
            for cat, term, spec, order in node.ends:
                rank = (spec, -order, term)
                if cat not in best or rank > best[cat]:
                    best[cat] = rank
        hit = (tuple((cat, best[cat][2]) for cat in sorted(best)),
               any(node.more for node in nodes))
        if len(self._single) >= _MEMO_LIMIT:
            self._single.clear()
        self._single[key] = hit
        return hit

    def _walk(self, text: str, keys: list[str], begin: list[int], end: list[int],
              starts: list[int]) -> list[Match]:
        """Hits of the words ``keys`` (offsets ``begin``/``end``), walking from ``starts``.

        A start from which no phrase continues has its word's best patterns as its hits
        (:meth:`_one_word`), without a walk; when every start is such a word (a word never
        covers the next one), every hit counts. A walk tries the next word in the trie before
        it looks at the characters between the two."""
        one_word = self._one_word
        singles = [hits if not more else None for hits, more in map(one_word,
                                                                    (keys[i] for i in starts))]
        if None not in singles:
            return [Match(cat, term, begin[i], end[i])
                    for i, hits in zip(starts, singles, strict=True) for cat, term in hits]
        n = len(keys)
        joinable: list[bool | None] = [None] * n
        best: dict[tuple[int, int], tuple[int, int, int, str]] = {}  # (start word, cat) -> best
        for i, hits in zip(starts, singles, strict=True):
            if hits is not None:  # ranked among this start's patterns only: j and term count
                for cat, term in hits:
                    best[(i, cat)] = (i, 0, 0, term)
                continue
            frontier = self._nodes(keys[i])
            j = i
            while True:
                more = False
                for node in frontier:
                    more = more or node.more
                    for cat, term, spec, order in node.ends:
                        rank = (j, spec, -order, term)
                        prev = best.get((i, cat))
                        if prev is None or rank > prev:
                            best[(i, cat)] = rank
                j += 1
                if j >= n or not more:
                    break
                frontier = self._step(frontier, keys[j])
                if not frontier:
                    break
                if joinable[j - 1] is None:
                    joinable[j - 1] = bool(_GAP.fullmatch(text, end[j - 1], begin[j]))
                if not joinable[j - 1]:
                    break
        covered: dict[int, int] = {}
        out = []
        for (i, cat), (j, _, _, term) in sorted(best.items()):
            if i >= covered.get(cat, 0):
                covered[cat] = j + 1
                out.append(Match(cat, term, begin[i], end[j]))
        return out


@functools.lru_cache(maxsize=64)
def compile_categories(categories: tuple[tuple[str, tuple[str, ...]], ...]) -> Matcher:
    """Compile ``((category, terms), ...)`` into a :class:`Matcher` (cached per lexicon)."""
    return Matcher(categories)
