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
        self._single: dict[str, tuple[tuple[int, str], ...] | None] = {}

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
        first = self._first
        starts = []
        for i, key in enumerate(keys):
            nodes = first.get(key)
            if nodes is None:
                nodes = self._first_nodes(key)
            if nodes:
                starts.append(i)
        if not starts:
            return []
        spans = [m.span() for m in WORD.finditer(text)]
        return self._walk(text, keys, [s for s, _ in spans], [e for _, e in spans], starts)

    def find_many(self, texts: list[str]) -> list[list[Match]]:
        """``[self.find(t) for t in texts]``, with the words of all texts found at once.

        The texts' words (runs of ``\\w``) are located with numpy over code points, each
        distinct word is case-folded and looked up once, and only texts holding a word that
        begins some pattern are walked in Python.
        """
        from mediakit.measures._textstat_words import words_of

        found = words_of(texts)
        keys = [w.casefold() for w in found.vocabulary]
        first = self._first
        # one read per key: another thread may empty the memo between two (``_first_nodes``)
        begins = np.fromiter(((nodes if (nodes := first.get(k)) is not None
                               else self._first_nodes(k)) != () for k in keys),
                             dtype=bool, count=len(keys))
        where = np.flatnonzero(begins[found.word_index])
        out: list[list[Match]] = [[] for _ in texts]
        if not len(where):
            return out
        word_keys = np.array(keys, dtype=object)[found.word_index].tolist()
        begin, end = found.starts.tolist(), found.ends.tolist()
        bounds = found.word_bounds
        cuts = np.searchsorted(where, bounds).tolist()
        where = where.tolist()
        for k in np.flatnonzero(np.diff(cuts)).tolist():
            a, b = int(bounds[k]), int(bounds[k + 1])
            out[k] = self._walk(texts[k], word_keys[a:b], begin[a:b], end[a:b],
                                [i - a for i in where[cuts[k]:cuts[k + 1]]])
        return out

    def _one_word(self, key: str) -> tuple[tuple[int, str], ...] | None:
        """(category, term) of each category's best pattern of the one word ``key``, in
        category order, when no phrase continues from it (else None; cached per word)."""
        hit = self._single.get(key, False)
        if hit is not False:
            return hit
        nodes = self._first.get(key)
        if nodes is None:
            nodes = self._first_nodes(key)
        best: dict[int, tuple[int, int, str]] = {}
        if any(node.more for node in nodes):
            hit = None
        else:  # what _walk ranks at one position: the most specific, then lexicon order
            for node in nodes:
                for cat, term, spec, order in node.ends:
                    rank = (spec, -order, term)
                    if cat not in best or rank > best[cat]:
                        best[cat] = rank
            hit = tuple((cat, best[cat][2]) for cat in sorted(best))
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
        singles = [one_word(keys[i]) for i in starts]
        if None not in singles:
            return [Match(cat, term, begin[i], end[i])
                    for i, hits in zip(starts, singles, strict=True) for cat, term in hits]
        n = len(keys)
        joinable: list[bool | None] = [None] * n
        best: dict[tuple[int, int], tuple[int, int, int, str]] = {}  # (start word, cat) -> best
        first = self._first
        for i, hits in zip(starts, singles, strict=True):
            if hits is not None:  # ranked among this start's patterns only: j and term count
                for cat, term in hits:
                    best[(i, cat)] = (i, 0, 0, term)
                continue
            frontier = first.get(keys[i])
            if frontier is None:  # the cache was cleared since
                frontier = self._first_nodes(keys[i])
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
