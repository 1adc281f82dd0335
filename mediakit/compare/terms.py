"""Keyness: which words one outlet uses more than others (G2, chi-square, Log Ratio, log-odds)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from mediakit._dask import dask_aware
from mediakit._validation import check_choice, check_frame, require_columns, resolve_kinds
from mediakit.compare import _rollups
from mediakit.compare._tokens import count_tokens, fold_punctuation

MEASURES = ("g2", "chi2", "log_ratio", "log_odds_z")
# words of 2+ characters starting with a letter, and dotted abbreviations ("u.s.", "u.k.")
_TOKEN_PATTERN = r"(?u)(?:\b[^\W\d_]\.){2,}|\b[^\W\d_][\w'-]*[^\W_]\b"
_POSSESSIVE = re.compile(r"'s\b")

COLUMNS = ("reference", "term", "n_target", "n_reference", "total_target", "total_reference",
           "g2", "chi2", "p_value", "log_ratio", "log_odds", "log_odds_z")


def _preprocess(text: str) -> str:
    return _POSSESSIVE.sub("", fold_punctuation(text).lower())


@dask_aware(rollup=_rollups.TERMS)
def compare_terms(sentences: pd.DataFrame, *, by: str = "outlet", target=None,
                  reference: str | Sequence[str] = "rest", measure: str = "g2",
                  text: str = "text", kinds=None, stop_words="english", min_count: int = 2,
                  ngram_range: tuple[int, int] = (1, 1), prior_scale: float = 1.0) -> pd.DataFrame:
    """Keyness of terms for one group against a reference: what each outlet says more often.

    Counts every term once per occurrence in the content sentences (one sparse count matrix),
    sums counts per group, and for each target group and term compares ``a`` (count in target)
    with ``b`` (count in reference), out of ``c`` and ``d`` terms in all (the 2 x 2 table
    ``[[a, b], [c - a, d - b]]``):

    - ``g2``: log-likelihood ratio (Dunning 1993), ``2 * sum(O * ln(O / E))`` over the four
      cells, expected ``E`` from the margins. Signed: positive when the term is relatively more
      frequent in the target (``a / c > b / d``), negative when less. Under no difference it is
      chi-square distributed with 1 df; ``p_value`` is that tail (unsigned). Above 3.84 is
      p < 0.05, above 10.83 p < 0.001 (before any correction for the many terms tested).
    - ``chi2``: Pearson's chi-square on the same table, no continuity correction, signed the
      same way.
    - ``log_ratio``: effect size, ``log2((a / c) / (b / d))`` (Hardie 2014); 1 = twice as
      frequent in the target; a zero count is replaced by 0.5 before the ratio.
    - ``log_odds`` and ``log_odds_z``: log-odds ratio with an informative Dirichlet prior
      (Monroe, Colaresi & Quinn 2008, eq. 16-22) whose pseudo-counts are the pooled counts of the
      whole input (all groups) times ``prior_scale``, and its z-score; |z| > 1.96 is the usual
      cut-off.

    Parameters
    ----------
    sentences : DataFrame
        From :func:`mediakit.split_sentences` (needs ``by`` and ``text``; ``kind`` is used when
        present). Any frame with a text column works, e.g. articles.
    by : str
        Column naming the groups (outlets).
    target : str, sequence of str or None
        Group(s) to describe. None = every group (except those used as reference).
    reference : "rest", str or sequence of str
        What each target is compared with: ``"rest"`` = every other group (one against the
        rest), a group name (pairwise), or a list of group names (a custom reference set).
    measure : {"g2", "chi2", "log_ratio", "log_odds_z"}
        Statistic the rows are sorted by (descending within each target); all are returned.
    text : str
        Column holding the text.
    kinds : str, sequence of str or None
        Sentence kinds counted; None = content (headline, body, bullet).
    stop_words : "english", iterable of str or None
        Words not counted: scikit-learn's English list, your own list, or None to keep all.
    min_count : int
        Keep terms occurring at least this often in target and reference together.
    ngram_range : (int, int)
        Word n-grams counted, e.g. ``(1, 2)`` for words and bigrams.
    prior_scale : float
        Multiplier of the pooled counts used as Dirichlet prior (> 0).

    Returns
    -------
    DataFrame
        One row per target and term: ``<by>`` (the target), ``reference``, ``term``,
        ``n_target``, ``n_reference`` (counts of the term), ``total_target``,
        ``total_reference`` (counts of all terms), ``g2``, ``chi2``, ``p_value``,
        ``log_ratio``, ``log_odds``, ``log_odds_z``.

    Examples
    --------
    >>> import mediakit as mk
    >>> keys = mk.compare_terms(mk.split_sentences(mk.load_example("seeds")), min_count=1)
    >>> sorted(keys["outlet"].unique())
    ['outlet A', 'outlet B']
    >>> bool((keys["n_target"] + keys["n_reference"] >= 1).all())
    True
    """
    check_frame(sentences, "sentences")
    require_columns(sentences, [by, text], what="sentences")
    check_choice("measure", measure, MEASURES)
    kinds_t = resolve_kinds(kinds)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be an integer >= 1, got {min_count!r}.")
    if (not isinstance(ngram_range, tuple | list) or len(ngram_range) != 2
            or not 1 <= ngram_range[0] <= ngram_range[1]):
        raise ValueError(f"ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n, "
                         f"got {ngram_range!r}.")
    if not isinstance(prior_scale, int | float) or prior_scale <= 0:
        raise ValueError(f"prior_scale must be a positive number, got {prior_scale!r}.")
    if isinstance(stop_words, str) and stop_words != "english":
        raise ValueError(f"stop_words={stop_words!r} is not valid; pass 'english', a list of "
                         "words, or None.")
    if stop_words is not None and not isinstance(stop_words, str):
        stop_words = sorted({_preprocess(str(w)) for w in stop_words})

    data = sentences
    if "kind" in data.columns:
        data = data[data["kind"].isin(kinds_t)]
    data = data[data[text].notna() & data[by].notna()]
    groups = pd.unique(data[by])
    targets, refs = _resolve_groups(groups, target, reference)
    empty = pd.DataFrame({by: pd.Series(dtype=sentences[by].dtype),
                          **{c: pd.Series(dtype="float64") for c in COLUMNS}})
    empty = empty.astype({"reference": "str", "term": "str", "n_target": "int64",
                          "n_reference": "int64", "total_target": "int64",
                          "total_reference": "int64"})
    if data.empty or not targets:
        return empty

    counted = count_terms(data[text].astype("str"), data[by], stop_words=stop_words,
                          ngram_range=ngram_range)
    if counted is None:  # nothing but stop words
        return empty
    counts, uniques, vocab = counted
    out = keyness_table(counts, uniques, vocab, targets, refs, by=by, reference=reference,
                        measure=measure, min_count=min_count, prior_scale=prior_scale)
    return empty if out is None else out


def count_terms(texts, groups, *, stop_words, ngram_range=(1, 1)):
    """Term counts per group: ``(counts, groups, vocabulary)`` or None when no term is found.

    ``counts`` is a sparse groups x terms matrix (float64), groups in order of first
    appearance, the vocabulary sorted. Words and stop words as ``CountVectorizer`` with
    :func:`_preprocess` and ``_TOKEN_PATTERN``; single words are counted by
    :func:`mediakit.compare._tokens.count_tokens` (same counts, several times faster).
    """
    from scipy import sparse

    codes, uniques = pd.factorize(groups)
    if tuple(ngram_range) == (1, 1):
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        stop = ENGLISH_STOP_WORDS if stop_words == "english" else (
            None if stop_words is None else frozenset(stop_words))
        counts, terms = count_tokens(texts, codes, len(uniques), preprocess=_preprocess,
                                     token_pattern=_TOKEN_PATTERN, stop_words=stop)
        if not terms:
            return None
        order = sorted(range(len(terms)), key=terms.__getitem__)
        vocab = np.array(terms, dtype=object)[order]
        return counts[:, order].astype(np.float64).tocsr(), uniques, vocab
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(preprocessor=_preprocess, token_pattern=_TOKEN_PATTERN,
                          stop_words=stop_words, ngram_range=tuple(ngram_range))
    try:
        x = vec.fit_transform(texts)
    except ValueError:  # empty vocabulary
        return None
    member = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                               shape=(len(uniques), len(codes)))
    return (member @ x).tocsr(), uniques, vec.get_feature_names_out()


def keyness_table(counts, groups, vocab, targets, refs, *, by: str, reference, measure: str,
                  min_count: int, prior_scale: float) -> pd.DataFrame | None:
    """compare_terms' table from a sparse groups x terms count matrix (None if no row).

    ``groups`` labels the rows of ``counts``; ``refs`` is None for "rest" (every other group)
    or the list of reference groups.
    """
    pooled = np.asarray(counts.sum(axis=0), dtype=np.float64).ravel()
    index = {g: k for k, g in enumerate(groups)}

    def row(k: int) -> np.ndarray:
        return counts[k].toarray().ravel().astype(np.float64)

    frames = []
    for t in targets:
        ref_groups = [g for g in (refs if refs is not None else groups) if g != t]
        if not ref_groups:
            continue
        a = row(index[t])
        if refs is None:
            b = pooled - a
        else:
            b = np.asarray(counts[[index[g] for g in ref_groups]].sum(axis=0),
                           dtype=np.float64).ravel()
        keep = (a + b) >= min_count
        if not keep.any():
            continue
        stats = keyness(a[keep], b[keep], a.sum(), b.sum(), prior=pooled[keep] * prior_scale,
                        prior_total=pooled.sum() * prior_scale)
        label = "rest" if isinstance(reference, str) and reference == "rest" else "; ".join(
            map(str, ref_groups))
        frame = pd.DataFrame({by: t, "reference": label, "term": vocab[keep], **stats})
        frames.append(frame.sort_values([measure, "term"], ascending=[False, True],
                                        kind="stable"))
    if not frames:
        return None
    out = pd.concat(frames, ignore_index=True)
    out["reference"] = out["reference"].astype("str")
    out["term"] = out["term"].astype("str")
    return out


def _resolve_groups(groups, target, reference):
    """(targets, reference groups or None for "rest"), validated against the groups present."""
    present = list(groups)

    def check(names: Iterable, param: str) -> list:
        out = []
        for name in names:
            if name not in present:
                allowed = [str(g) for g in present]
                check_choice(param, str(name), allowed)  # raises with a suggestion
            out.append(name)
        return out

    if isinstance(reference, str) and reference == "rest":
        refs = None
    elif isinstance(reference, str):
        refs = check([reference], "reference") if present else [reference]
    elif isinstance(reference, Iterable):
        refs = check(list(reference), "reference") if present else list(reference)
        if present and not refs:
            raise ValueError("reference=[] names no group; pass 'rest' or group names.")
    else:
        raise TypeError(f"reference must be 'rest', a group name or a list of names, "
                        f"got {type(reference).__name__}.")
    if target is None:
        targets = [g for g in present if refs is None or g not in refs]
    elif isinstance(target, str) or not isinstance(target, Iterable):
        targets = check([target], "target") if present else []
    else:
        targets = check(list(target), "target") if present else []
    return targets, refs


def keyness(a, b, c, d, *, prior, prior_total) -> dict[str, np.ndarray]:
    """Vectorised keyness statistics for counts ``a`` (target) and ``b`` (reference).

    ``c`` and ``d`` are the target and reference totals, ``prior`` the Dirichlet pseudo-counts
    per term and ``prior_total`` their sum over the vocabulary. See :func:`compare_terms`.
    """
    from scipy.special import chdtrc  # the chi-square survival function (scipy.stats.chi2.sf)

    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    c, d = float(c), float(d)
    n = c + d
    observed = np.stack([a, b, c - a, d - b])
    row = np.stack([a + b, a + b, n - a - b, n - a - b])
    col = np.array([c, d, c, d])[:, None]
    expected = row * col / n
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
        g2 = 2 * terms.sum(axis=0)
        chi2 = np.where(expected > 0, (observed - expected) ** 2 / expected, 0.0).sum(axis=0)
    sign = np.sign(a / c - b / d) if c > 0 and d > 0 else np.zeros_like(a)
    g2 = np.maximum(g2, 0.0)
    a_adj = np.where(a > 0, a, 0.5)
    b_adj = np.where(b > 0, b, 0.5)
    log_ratio = np.log2((a_adj / c) / (b_adj / d)) if c > 0 and d > 0 else np.full_like(a, np.nan)
    alpha = np.asarray(prior, dtype=np.float64)
    a0 = float(prior_total)
    log_odds = (np.log((a + alpha) / (c + a0 - a - alpha))
                - np.log((b + alpha) / (d + a0 - b - alpha)))
    var = 1 / (a + alpha) + 1 / (b + alpha)
    return {
        "n_target": a.astype(np.int64), "n_reference": b.astype(np.int64),
        "total_target": np.full(a.shape, int(c), dtype=np.int64),
        "total_reference": np.full(a.shape, int(d), dtype=np.int64),
        "g2": sign * g2, "chi2": sign * chi2, "p_value": chdtrc(1, g2),
        "log_ratio": log_ratio, "log_odds": log_odds, "log_odds_z": log_odds / np.sqrt(var),
    }
