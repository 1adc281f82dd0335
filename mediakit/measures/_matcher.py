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
words) and in a table of literal prefixes (globs, e.g. ``militar`` for ``militar*``); phrases walk a
word-sequence trie from each word. Within one category a word is counted at most once: at each
position the longest match wins (then the most specific pattern, then lexicon order), and the next
match of that category starts after it (leftmost-longest). A word can count in several categories.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

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


def _glob_regex(word: str) -> re.Pattern[str]:
    body = "".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c) for c in word)
    return re.compile(body)


def _specificity(words: tuple[str, ...]) -> int:
    """Literal characters in a pattern: an exact word beats a glob over the same span."""
    return sum(len(w) - w.count("*") - w.count("?") for w in words)


@dataclass
class _Node:
    exact: dict[str, _Node] = field(default_factory=dict)
    glob: dict[str, _Node] = field(default_factory=dict)
    # (category index, term as written, specificity, order in lexicon)
    ends: list[tuple[int, str, int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    """One counted hit: category index, the lexicon term, and character offsets in the text."""

    category: int
    term: str
    start: int
    end: int


class Matcher:
    """Compiled form of a lexicon's categories. Build it with :func:`compile_categories`."""

    def __init__(self, categories: tuple[tuple[str, tuple[str, ...]], ...]):
        self.categories = tuple(name for name, _ in categories)
        self._root = _Node()
        globs: dict[str, re.Pattern[str]] = {}
        order = 0
        for index, (_, terms) in enumerate(categories):
            for term in terms:
                words = parse_pattern(term)
                node = self._root
                for word in words:
                    if _is_glob(word):
                        globs.setdefault(word, _glob_regex(word))
                        node = node.glob.setdefault(word, _Node())
                    else:
                        node = node.exact.setdefault(word, _Node())
                node.ends.append((index, term, _specificity(words), order))
                order += 1
        # glob words indexed by their literal prefix; a glob starting with a wildcard is unanchored
        self._by_prefix: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        self._unanchored: list[tuple[str, re.Pattern[str]]] = []
        for word, regex in globs.items():
            prefix = re.split(r"[*?]", word, maxsplit=1)[0]
            if prefix:
                self._by_prefix.setdefault(prefix, []).append((word, regex))
            else:
                self._unanchored.append((word, regex))
        self._prefix_lengths = sorted({len(p) for p in self._by_prefix})
        self._memo: dict[str, tuple[str, ...]] = {}

    def _globs_of(self, key: str) -> tuple[str, ...]:
        """Glob words of the lexicon that match the (case-folded) text word ``key``."""
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        found = []
        for length in self._prefix_lengths:
            if length > len(key):
                break
            for word, regex in self._by_prefix.get(key[:length], ()):
                if regex.fullmatch(key):
                    found.append(word)
        for word, regex in self._unanchored:
            if regex.fullmatch(key):
                found.append(word)
        result = tuple(found)
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = result
        return result

    def find(self, text: str) -> list[Match]:
        """Every counted hit in ``text``, in order of position (then category)."""
        spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
        if not spans:
            return []
        keys = [text[s:e].casefold() for s, e in spans]
        n = len(spans)
        joinable: list[bool | None] = [None] * n
        best: dict[tuple[int, int], tuple[int, int, int, str]] = {}  # (start word, cat) -> best
        root = self._root
        for i in range(n):
            frontier = [root]
            j = i
            while frontier and j < n:
                if j > i:
                    if joinable[j - 1] is None:
                        joinable[j - 1] = bool(_GAP.fullmatch(text, spans[j - 1][1], spans[j][0]))
                    if not joinable[j - 1]:
                        break
                key = keys[j]
                globs = self._globs_of(key) if self._prefix_lengths or self._unanchored else ()
                nxt = []
                for node in frontier:
                    child = node.exact.get(key)
                    if child is not None:
                        nxt.append(child)
                    for word in globs:
                        child = node.glob.get(word)
                        if child is not None:
                            nxt.append(child)
                for node in nxt:
                    for cat, term, spec, order in node.ends:
                        rank = (j, spec, -order, term)
                        if (i, cat) not in best or rank > best[(i, cat)]:
                            best[(i, cat)] = rank
                frontier = nxt
                j += 1
        covered: dict[int, int] = {}
        out = []
        for (i, cat), (j, _, _, term) in sorted(best.items()):
            if i >= covered.get(cat, 0):
                covered[cat] = j + 1
                out.append(Match(cat, term, spans[i][0], spans[j][1]))
        return out


@functools.lru_cache(maxsize=64)
def compile_categories(categories: tuple[tuple[str, tuple[str, ...]], ...]) -> Matcher:
    """Compile ``((category, terms), ...)`` into a :class:`Matcher` (cached per lexicon)."""
    return Matcher(categories)
