"""Keyness: which words one outlet uses more than others (G2, chi-square, Log Ratio, log-odds).

With several stories the comparison is made within stories by default (stratified; see
:func:`compare_terms` and :mod:`mediakit.compare._keyness`), so an outlet's terms describe how
it wrote about the stories it covered, not which stories it chose.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd

from mediakit._dask import (
    combine_in_tree,
    fold_in_runs,
    is_dask_frame,
    schema,
    shuffle_by,
    slots,
    sums_then_finish,
)
from mediakit._errors import MediakitWarning
from mediakit._memory import SizedPartial, releases_memory
from mediakit._normalize import americanize
from mediakit._params import (
    Column,
    Frame,
    Interval,
    Options,
    Sequence_,
    records_roles,
    validate_params,
    warn,
)
from mediakit._validation import check_choice, require_columns, resolve_kinds
from mediakit.compare import _keyness
from mediakit.compare._keyness import COLUMNS, finish_frames, reference_label
from mediakit.compare._tokens import count_tokens, english_stop_words, fold_punctuation

MEASURES = ("g2", "chi2", "log_ratio", "log_odds_z")
CORRECTIONS = ("none", "yates", "williams")
# words of 2+ characters starting with a letter, and dotted abbreviations ("U.S.", "U.K.")
_TOKEN_PATTERN = r"(?u)(?:\b[^\W\d_]\.){2,}|\b[^\W\d_][\w'-]*[^\W_]\b"
_POSSESSIVE = re.compile(r"'[sS]\b")
_DOTTED = re.compile(r"(?:[^\W\d_]\.){2,}")
_ACRONYM_ALIASES = {"USA": "US"}  # U.S.A. and USA name the country U.S. and US name



def _preprocess(text: str) -> str:
    """Punctuation folded and possessives removed; the case is kept (acronyms need it)."""
    return _POSSESSIVE.sub("", fold_punctuation(text))


def normalize_term(token: str, *, fold_spelling: bool = True) -> str:
    """The term a token counts as.

    Acronyms (dotted, "U.S.", "U.K.", "U.S.A.", or written in 2-5 capitals, "US", "NATO")
    keep their capitals without dots, so "US" is not the stop word "us"; "USA" is "US". Other
    words are lower-cased and, with ``fold_spelling``, British spellings made American
    ("defence" -> "defense"), as coverage does (:func:`mediakit._normalize.americanize`).
    """
    if _DOTTED.fullmatch(token) or (2 <= len(token) <= 5 and token.isupper()
                                    and token.isalpha()):
        key = token.replace(".", "").upper()
        return _ACRONYM_ALIASES.get(key, key)
    low = token.lower()
    return americanize(low) if fold_spelling else low


def _stop_list(stop_words) -> frozenset[str] | None:
    if stop_words is None:
        return None
    if isinstance(stop_words, str):
        return english_stop_words()
    return frozenset(str(w).lower() for w in stop_words)


@validate_params(
    data=[Frame(dask=True)], by=[Column()], target=[object, None],
    reference=[str, Sequence_(object, words="a list of group labels")],
    stat=[Options(*MEASURES)], text=[Column()], story=[Column(), None],
    stratify=[bool, None], kinds=[str, list, tuple, None],
    stop_words=[Options("english"), Sequence_(str), frozenset, set, None],
    min_count=[Interval(Integral, 1, None)], ngram_range=[tuple, list], fold_spelling=[bool],
    correction=[Options(*CORRECTIONS)],
    prior_scale=[Interval(Real, 0, None, closed="neither")],
    n_jobs=[Interval(Integral, 1, None)],
)
@records_roles("by", "story", "text", "stat")
@releases_memory
def compare_terms(data: pd.DataFrame, *, by: str = "outlet", target=None,
                  reference: str | Sequence[str] = "rest", stat: str = "g2",
                  text: str = "text", story: str | None = "story_id", stratify: bool | None = None,
                  kinds=None, stop_words="english", min_count: int = 2,
                  ngram_range: tuple[int, int] = (1, 1), fold_spelling: bool = True,
                  correction: str = "none", prior_scale: float = 1.0,
                  n_jobs: int = 1) -> pd.DataFrame:
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
    - ``chi2``: Pearson's chi-square on the same table, signed the same way.
    - ``log_ratio``: effect size, ``log2((a / c) / (b / d))`` (Hardie 2014); 1 = twice as
      frequent in the target; a zero count is replaced by 0.5 before the ratio.
    - ``log_odds`` and ``log_odds_z``: log-odds ratio with an informative Dirichlet prior
      (Monroe, Colaresi & Quinn 2008, eq. 16-22) whose pseudo-counts are the pooled counts of the
      whole input (all groups) times ``prior_scale``, and its z-score; |z| > 1.96 is the usual
      cut-off.

    **Within stories.** When the data has a ``story`` column with more than one story, each
    story is a stratum: the target's counts in a story are compared with the reference groups'
    counts *in the same story*, and the strata are combined (``stratify=True``, the default
    then). An outlet that covered other stories than the rest is then not "distinctive" for the
    words of those stories. The combined statistics:

    - ``chi2`` and ``p_value``: the Cochran-Mantel-Haenszel test (Mantel & Haenszel 1959;
      Agresti 2002, sec. 6.3), ``(sum(a_k - E_k))^2 / sum(Var_k)`` with the hypergeometric
      mean and variance of each story's table; 1 df, signed by ``sum(a_k - E_k)``;
    - ``g2``: the sum of the per-story G2 (each story's table as above), signed the same way;
      a total of evidence with ``n_stories`` df, used for sorting, not for ``p_value``;
    - ``log_ratio``: log2 of the Mantel-Haenszel rate ratio
      ``sum(a_k d_k / N_k) / sum(b_k c_k / N_k)`` (Rothman, Greenland & Lash 2008, ch. 15);
    - ``log_odds`` and ``log_odds_z``: the per-story Monroe et al. estimates (prior: the
      story's pooled counts) combined by inverse variance (fixed effect).

    Only stories in which both the target and its reference wrote are counted
    (``n_target``, ``n_reference``, ``total_*`` are summed over them; ``n_stories`` says how
    many). A target that shares no story with its reference is not comparable: it has no
    rows, is listed in ``attrs["compare_terms"]["not_comparable"]`` and a warning names it.
    ``stratify=False`` pools every story (the classic corpus comparison, the only one with one
    story or no story column).

    Terms: words of two or more letters and dotted abbreviations, possessive "'s" removed.
    Acronyms keep their capitals ("U.S.", "U.S.A.", "US" and "USA" are the term ``US``, not
    the stop word "us"); other words are lower-cased and, with ``fold_spelling``, British
    spellings counted with the American ones (the term ``defense`` counts "defence" too;
    ``variants`` lists the forms seen, e.g. ``"defence; defense"``).

    Parameters
    ----------
    data : DataFrame
        Sentences from :func:`mediakit.split_sentences` (needs ``by`` and ``text``; ``kind`` and
        ``story`` are used when present). Any frame with a text column works, e.g. articles.
    by : str
        Column naming the groups (outlets).
    target : str, sequence of str or None
        Group(s) to describe. None = every group (except those used as reference).
    reference : "rest", str or sequence of str
        What each target is compared with: ``"rest"`` = every other group (one against the
        rest), a group name (pairwise), or a list of group names (a custom reference set).
    stat : {"g2", "chi2", "log_ratio", "log_odds_z"}
        Statistic the rows are sorted by (descending within each target); all are returned.
    text : str
        Column holding the text.
    story : str or None
        Column naming the story of each row; None (or a missing column) = one story.
    stratify : bool or None
        Compare within stories (True) or pool them (False); None = within stories when the
        data has more than one story.
    kinds : str, sequence of str or None
        Sentence kinds counted; None = content (headline, body, bullet).
    stop_words : "english", iterable of str or None
        Words not counted: scikit-learn's English list, your own list, or None to keep all.
        Acronyms in capitals are never stop words.
    min_count : int
        Keep terms occurring at least this often in target and reference together.
    ngram_range : (int, int)
        Word n-grams counted, e.g. ``(1, 2)`` for words and bigrams.
    fold_spelling : bool
        Count British and American spellings as one term (default), or keep them apart.
    correction : {"none", "yates", "williams"}
        As quanteda's ``textstat_keyness(correction=)``: ``"yates"`` applies Yates' continuity
        correction to ``chi2`` and ``g2`` (cells moved 0.5 towards their expectation; for the
        stratified CMH statistic, 0.5 off ``|sum(a_k - E_k)|``); ``"williams"`` divides ``g2``
        by Williams' (1976) factor ``q``. ``p_value`` follows the corrected statistic (pooled:
        ``g2``; within stories: the CMH chi-square, which only Yates changes).
    prior_scale : float
        Multiplier of the pooled counts used as Dirichlet prior (> 0).
    n_jobs : int
        Threads cutting the texts into words and counting them (the same table with any
        number; a dask frame's partitions are counted by its scheduler instead).

    Returns
    -------
    DataFrame
        One row per target and term: ``<by>`` (the target), ``reference``, ``term``,
        ``variants``, ``n_target``, ``n_reference`` (counts of the term), ``total_target``,
        ``total_reference`` (counts of all terms), ``n_stories``, ``g2``, ``chi2``,
        ``p_value``, ``log_ratio``, ``log_odds``, ``log_odds_z``. ``attrs["compare_terms"]``
        records ``stratified``, ``method``, ``correction``, ``fold_spelling`` and
        ``not_comparable``.

    Examples
    --------
    >>> import mediakit as mk
    >>> keys = mk.compare_terms(mk.split_sentences(mk.load_example("seeds")), min_count=1)
    >>> sorted(keys["outlet"].unique())
    ['outlet A', 'outlet B']
    >>> bool((keys["n_target"] + keys["n_reference"] >= 1).all())
    True
    """
    plan = _plan(schema(data), by=by, target=target, reference=reference,
                 measure=stat, text=text, story=story, stratify=stratify, kinds=kinds,
                 stop_words=stop_words, min_count=min_count, ngram_range=ngram_range,
                 fold_spelling=fold_spelling, correction=correction, prior_scale=prior_scale,
                 n_jobs=1 if is_dask_frame(data) else n_jobs)
    if is_dask_frame(data) and _by_story(plan):
        return _terms_within_stories(data, plan)
    return sums_then_finish(data, _term_counts, _finish, plan, combine=_add_counts)


@dataclass(frozen=True)
class _Plan:
    """compare_terms' options, checked, and what they select of the frame's columns."""

    by: str
    text: str
    story: str | None  # None: no story column (one story)
    kinds: tuple[str, ...]
    has_kind: bool
    stop_words: object  # "english", a sorted list of terms, or None
    ngram_range: tuple[int, int]
    fold_spelling: bool
    dtype: object  # of the by column (for the empty table)
    target: object
    reference: object
    measure: str
    stratify: bool | None
    min_count: int
    prior_scale: float
    correction: str
    n_jobs: int = 1  # threads counting a pandas frame


def _plan(sentences, *, by, target, reference, measure, text, story, stratify, kinds,
          stop_words, min_count, ngram_range, fold_spelling, correction, prior_scale,
          n_jobs=1) -> _Plan:
    """Check the options against the frame's columns (a dask frame's empty meta will do)."""
    require_columns(sentences, [by, text], what="data")
    kinds_t = resolve_kinds(kinds)
    if (not isinstance(ngram_range, tuple | list) or len(ngram_range) != 2
            or not 1 <= ngram_range[0] <= ngram_range[1]):
        raise ValueError(f"ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n, "
                         f"got {ngram_range!r}.")
    if stop_words is not None and not isinstance(stop_words, str):
        stop_words = sorted(user_stop_words(stop_words, fold_spelling=fold_spelling))
    return _Plan(by=by, text=text,
                 story=story if story is not None and story in sentences.columns else None,
                 kinds=kinds_t, has_kind="kind" in sentences.columns, stop_words=stop_words,
                 ngram_range=tuple(ngram_range), fold_spelling=fold_spelling,
                 dtype=sentences[by].dtype, target=target, reference=reference,
                 measure=measure, stratify=stratify, min_count=min_count,
                 prior_scale=prior_scale, correction=correction, n_jobs=n_jobs)


@dataclass(frozen=True)
class _TermCounts(SizedPartial):
    """One frame's term counts per (story, group) key: the groups present (in order of
    appearance) and :func:`count_terms`' output (None when no term). Adds up across frames."""

    groups: np.ndarray
    counted: tuple | None


def _term_counts(sentences: pd.DataFrame, plan: _Plan) -> _TermCounts:
    """Sums: the term counts of one frame's content rows per (story, group)."""
    data = _content_rows(sentences, plan)
    keys = pd.MultiIndex.from_arrays([data[plan.story] if plan.story is not None
                                      else np.zeros(len(data)), data[plan.by]])
    counted = count_terms(data[plan.text].astype("str"), keys, stop_words=plan.stop_words,
                          ngram_range=plan.ngram_range, fold_spelling=plan.fold_spelling,
                          n_jobs=plan.n_jobs)
    return _TermCounts(groups=pd.unique(data[plan.by]), counted=counted)


def _content_rows(sentences: pd.DataFrame, plan: _Plan) -> pd.DataFrame:
    """The rows compare_terms counts (content kinds, with text, group and story), and only
    the columns it reads (a scored frame has dozens more; a mask copies every column)."""
    data = sentences[list(dict.fromkeys(
        c for c in (plan.by, plan.text, plan.story, "kind" if plan.has_kind else None)
        if c is not None))]
    keep = data[plan.text].notna().to_numpy() & data[plan.by].notna().to_numpy()
    if plan.has_kind:
        keep &= data["kind"].isin(plan.kinds).to_numpy()
    if plan.story is not None:
        keep &= data[plan.story].notna().to_numpy()
    return data[keep]  # one take of the rows kept (the text column is most of it)


def _by_story(plan: _Plan) -> bool:
    """Whether a dask frame's keyness can be summed story by story: stratified by a story
    column, each target against the rest (a list of reference groups is labelled in order of
    appearance, which a shuffle by story does not keep)."""
    return (plan.story is not None and plan.stratify is not False
            and isinstance(plan.reference, str) and plan.reference == "rest")


def _groups_and_stories(part: pd.DataFrame, plan: _Plan) -> tuple:
    return pd.unique(part[plan.by]), pd.unique(part[plan.story])


@dataclass(frozen=True)
class _StrataSums(SizedPartial):
    """The within-story sums of some whole stories (:func:`_keyness.stratified_sums`), over
    their vocabulary (in no particular order: :meth:`sorted` sorts it), with the written forms
    of each term. Adds up across stories."""

    vocab: np.ndarray
    sums: dict
    forms: dict

    def sorted(self) -> _StrataSums:
        """The same sums over the vocabulary sorted (the order of the pandas table)."""
        order = np.argsort(self.vocab, kind="stable")
        sums = {t: {**own, "sums": {k: v[order] for k, v in own["sums"].items()}}
                for t, own in self.sums.items()}
        return _StrataSums(self.vocab[order], sums, self.forms)


def _strata_sums(part: pd.DataFrame, plan: _Plan, targets: list, refs) -> _StrataSums:
    """Sums: the within-story statistics of one partition's stories (each story whole)."""
    keys = pd.MultiIndex.from_arrays([part[plan.story], part[plan.by]])
    counted = count_terms(part[plan.text].astype("str"), keys, stop_words=plan.stop_words,
                          ngram_range=plan.ngram_range, fold_spelling=plan.fold_spelling)
    if counted is None:
        return _StrataSums(np.array([], dtype=object), {}, {})
    counts, keys, vocab, variants = counted
    sums = _keyness.stratified_sums(counts, keys, vocab, targets, refs,
                                    prior_scale=plan.prior_scale, correction=plan.correction)
    return _StrataSums(np.asarray(vocab, dtype=object), sums, variants)


def _add_strata(parts: list[_StrataSums]) -> _StrataSums:
    """Several partitions' sums added up over the union of their vocabularies (terms in order
    of first appearance, found by hashing: the cost follows the terms, not a sort of them)."""
    if len(parts) == 1:
        return parts[0]
    codes, vocab = pd.factorize(np.concatenate([p.vocab for p in parts]).astype(object))
    vocab = np.asarray(vocab, dtype=object)
    ends = np.cumsum([len(p.vocab) for p in parts])
    out: dict = {}
    for part, end in zip(parts, ends, strict=True):
        at = codes[end - len(part.vocab):end]
        for t, own in part.sums.items():
            if t not in out:
                out[t] = {"sums": {k: np.zeros(len(vocab)) for k in _keyness.SUMS}, "c": 0.0,
                          "d": 0.0, "n_stories": 0, "ref_groups": []}
            total = out[t]
            for k in _keyness.SUMS:  # a vocabulary's terms are distinct: no repeated index
                total["sums"][k][at] += own["sums"][k]
            total["c"] += own["c"]
            total["d"] += own["d"]
            total["n_stories"] += own["n_stories"]
            total["ref_groups"] = list(pd.unique(np.asarray(
                [*total["ref_groups"], *own["ref_groups"]], dtype=object)))
    return _StrataSums(vocab, out, _added_variants([p.forms for p in parts]))


def _added_variants(parts: list[dict[str, str]]) -> dict[str, str]:
    """Several ``variants`` maps (term -> "form; form", forms sorted) as one; a term whose
    forms agree is copied, only those that differ are split and joined again."""
    out = dict(parts[0])
    for variants in parts[1:]:
        for term, written in variants.items():
            have = out.get(term)
            if have is None:
                out[term] = written
            elif have != written:
                out[term] = "; ".join(sorted({*have.split("; "), *written.split("; ")}))
    return out


def _terms_within_stories(data, plan: _Plan) -> pd.DataFrame:
    """compare_terms of a dask frame within stories: the rows counted are shuffled so each
    story is whole in one partition; each partition gives its stories' per-term sums (the
    statistics are sums over stories), which the workers fold into running sums
    (:func:`~mediakit._dask.fold_in_runs`), then add up in a tree.
    Memory holds a partition's counts and one array per sum over the vocabulary, not the
    (story, group) x term counts of the corpus."""
    import dask

    cols = [c for c in dict.fromkeys([plan.by, plan.text, plan.story, "kind"])
            if c in data.columns]
    rows = data[cols].map_partitions(_content_rows, plan)
    seen = dask.compute(*[dask.delayed(_groups_and_stories)(p, plan)
                          for p in rows.to_delayed()])
    groups = pd.unique(np.concatenate([np.asarray(g, dtype=object) for g, _ in seen]))
    n_stories = len(pd.unique(np.concatenate([np.asarray(s, dtype=object) for _, s in seen])))
    if n_stories < 2 and plan.stratify is None:  # one story: the pooled table
        return sums_then_finish(data, _term_counts, _finish, plan, combine=_add_counts)
    targets, refs = _resolve_groups(groups, plan.target, plan.reference)
    by_story = shuffle_by(rows, plan.story, max(1, min(rows.npartitions, n_stories)))
    partials = [dask.delayed(_strata_sums)(p, plan, targets, refs)
                for p in by_story.to_delayed()]
    # folded as they come, four runs per worker thread (fewer wait on a lagging run), so a
    # worker holds a few sums, not a branch of partials; then the runs' sums in a tree
    partials = combine_in_tree(fold_in_runs(partials, _add_strata, 4 * slots()), _add_strata,
                               down_to=1)
    (total,) = dask.compute(*partials) if partials else (_StrataSums(np.array([]), {}, {}),)
    total = total.sorted()
    attrs = {"stratified": True, "story": plan.story, "method": _keyness.METHOD_STRATIFIED,
             "correction": plan.correction, "fold_spelling": plan.fold_spelling,
             "not_comparable": [], "groups": sorted(str(g) for g in groups)}
    empty = empty_table(plan.by, plan.dtype)
    empty.attrs["compare_terms"] = attrs
    if not len(total.vocab) or not targets:
        return empty
    out, not_comparable = _keyness.stratified_finish(
        total.sums, total.vocab, targets, by=plan.by, reference=plan.reference,
        measure=plan.measure, min_count=plan.min_count, correction=plan.correction)
    return _labelled(out, not_comparable, total.forms, attrs, empty, plan.by)


def _add_counts(parts: list[_TermCounts]) -> _TermCounts:
    """Several frames' counts added up: keys and groups in order of first appearance, the
    vocabulary sorted, the written forms of each term merged."""
    from scipy import sparse

    if len(parts) == 1:
        return parts[0]
    groups = pd.unique(np.concatenate([np.asarray(p.groups, dtype=object) for p in parts]))
    counted = [p.counted for p in parts if p.counted is not None]
    if not counted:
        return _TermCounts(groups=groups, counted=None)
    vocab = np.unique(np.concatenate([c[2] for c in counted]).astype(object))
    key_codes, keys = pd.factorize(counted[0][1].append([c[1] for c in counted[1:]]))
    rows, cols, values, start = [], [], [], 0
    for counts, part_keys, part_vocab, _ in counted:
        coo = counts.tocoo()
        rows.append(key_codes[start + coo.row])
        cols.append(np.searchsorted(vocab, part_vocab)[coo.col])
        values.append(coo.data)
        start += len(part_keys)
    counts = sparse.csr_matrix((np.concatenate(values), (np.concatenate(rows),
                                                          np.concatenate(cols))),
                               shape=(len(keys), len(vocab)), dtype=np.float64)
    variants = _added_variants([c[3] for c in counted])
    return _TermCounts(groups=groups, counted=(counts, keys, vocab, variants))


def _finish(parts: list[_TermCounts], plan: _Plan) -> pd.DataFrame:
    """Finish: the counts added up, keyness computed (pooled or within stories)."""
    total = _add_counts(parts)
    return table_from_counts(
        total.counted, total.groups, by=plan.by, dtype=plan.dtype, target=plan.target,
        reference=plan.reference, measure=plan.measure, story=plan.story,
        stratify=plan.stratify, min_count=plan.min_count, prior_scale=plan.prior_scale,
        correction=plan.correction, fold_spelling=plan.fold_spelling)


def table_from_counts(counted, groups, *, by: str, dtype, target, reference, measure: str,
                      story: str | None, stratify: bool | None, min_count: int,
                      prior_scale: float, correction: str, fold_spelling: bool):
    """compare_terms' result from ``count_terms``' output on (story, group) keys.

    ``groups`` are the groups present (in order of appearance); ``story`` is None when the data
    has no story column (the keys' story level is then one placeholder).
    """
    from scipy import sparse

    targets, refs = _resolve_groups(groups, target, reference)
    empty = empty_table(by, dtype)
    if counted is None:
        keys = pd.MultiIndex.from_arrays([[], []])
    else:
        counts, keys, vocab, variants = counted
    n_stories = len(pd.unique(keys.get_level_values(0)))
    stratified = bool(story is not None and (n_stories > 1 if stratify is None else stratify))
    attrs = {"stratified": stratified, "story": story if stratified else None,
             "method": _keyness.METHOD_STRATIFIED if stratified else _keyness.METHOD_POOLED,
             "correction": correction, "fold_spelling": fold_spelling, "not_comparable": [],
             "groups": sorted(str(g) for g in groups)}
    empty.attrs["compare_terms"] = attrs
    if counted is None or not targets:
        return empty
    if stratified:
        out, not_comparable = _keyness.stratified_table(
            counts, keys, vocab, targets, refs, by=by, reference=reference, measure=measure,
            min_count=min_count, prior_scale=prior_scale, correction=correction)
    else:  # sum each group's rows over the stories
        codes, uniques = pd.factorize(keys.get_level_values(1))
        member = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                                   shape=(len(uniques), len(codes)))
        out = keyness_table((member @ counts).tocsr(), uniques, vocab, targets, refs, by=by,
                            reference=reference, measure=measure, min_count=min_count,
                            prior_scale=prior_scale, correction=correction)
        not_comparable = []
        if out is not None and story is not None:  # the stories each target wrote in
            written = pd.Series(keys.get_level_values(0)).groupby(
                np.asarray(keys.get_level_values(1))).nunique()
            out["n_stories"] = out[by].map(written).astype("int64")
    return _labelled(out, not_comparable, variants, attrs, empty, by)


def _labelled(out, not_comparable, variants, attrs, empty, by) -> pd.DataFrame:
    """The table with its ``variants`` and ``attrs``; a warning naming the targets that are
    not comparable (``empty`` when there is no row)."""
    attrs["not_comparable"] = [str(g) for g in not_comparable]
    if not_comparable:
        warn(f"compare_terms: {len(not_comparable)} group(s) share no story with their "
                      f"reference and are not comparable within stories: "
                      f"{', '.join(map(str, not_comparable[:10]))}"
                      f"{' ...' if len(not_comparable) > 10 else ''} (listed in "
                      "attrs['compare_terms']['not_comparable']; stratify=False pools stories).",
                      MediakitWarning)
    if out is None:
        return empty
    codes, terms = pd.factorize(out["term"])  # each term looked up once
    out["variants"] = pd.array([variants.get(t, t) for t in terms], dtype="str").take(codes)
    out.attrs["compare_terms"] = attrs
    return out


def empty_table(by: str, dtype) -> pd.DataFrame:
    """compare_terms' columns with no row."""
    empty = pd.DataFrame({by: pd.Series(dtype=dtype),
                          **{c: pd.Series(dtype="float64") for c in COLUMNS}})
    return empty.astype({"reference": "str", "term": "str", "variants": "str",
                         "n_target": "int64", "n_reference": "int64", "total_target": "int64",
                         "total_reference": "int64", "n_stories": "int64"})


def user_stop_words(words, *, fold_spelling: bool = True) -> set[str]:
    """A user's stop words as terms (and lower-cased, so "Ukraine" drops "ukraine")."""
    out = set()
    for w in words:
        w = _preprocess(str(w))
        out |= {w.lower(), normalize_term(w, fold_spelling=fold_spelling)}
    return out


def count_terms(texts, groups, *, stop_words, ngram_range=(1, 1), fold_spelling: bool = True,
                n_jobs: int = 1):
    """Term counts per group: ``(counts, groups, vocabulary, variants)`` or None when no term.

    ``counts`` is a sparse groups x terms matrix (float64), groups in order of first
    appearance (``groups`` may be a MultiIndex, e.g. (story, outlet)), the vocabulary sorted;
    ``variants`` maps a term to the forms counted as it ("defence; defense").
    Tokens are ``_TOKEN_PATTERN`` matches of :func:`_preprocess`'d text, each mapped to its term
    by :func:`normalize_term`; stop words are removed after. Single words are counted by
    :func:`mediakit.compare._tokens.count_tokens` (the counts of ``CountVectorizer`` with that
    analyzer, several times faster; in ``n_jobs`` threads).
    """
    from scipy import sparse

    codes, uniques = _factorized(groups)
    stop = None if stop_words is None else (
        _stop_list("english") if isinstance(stop_words, str) else frozenset(stop_words))
    forms: dict[str, set[str]] = {}

    def normalize(token: str) -> str:
        term = normalize_term(token, fold_spelling=fold_spelling)
        forms.setdefault(term, set()).add(token.lower() if term.islower() else token)
        return term

    if tuple(ngram_range) == (1, 1):
        counts, terms = count_tokens(texts, codes, len(uniques), preprocess=_preprocess,
                                     token_pattern=_TOKEN_PATTERN, stop_words=stop,
                                     normalize=normalize, n_jobs=n_jobs)
        if not terms:
            return None
        order = sorted(range(len(terms)), key=terms.__getitem__)
        vocab = np.array(terms, dtype=object)[order]
        return (counts[:, order].astype(np.float64).tocsr(), uniques, vocab,
                _variants(forms, vocab))
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(analyzer=_analyzer(stop, tuple(ngram_range), normalize))
    try:
        x = vec.fit_transform(texts)
    except ValueError:  # empty vocabulary
        return None
    member = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                               shape=(len(uniques), len(codes)))
    vocab = vec.get_feature_names_out()
    return (member @ x).tocsr(), uniques, vocab, _variants(forms, vocab)


def _factorized(groups) -> tuple[np.ndarray, object]:
    """``pd.factorize(groups)``; a MultiIndex without missing values through its level codes
    (ten times faster than factorizing its tuples)."""
    if (not isinstance(groups, pd.MultiIndex) or not len(groups)
            or math.prod(len(level) for level in groups.levels) >= 2**62
            or any((np.asarray(c) < 0).any() for c in groups.codes)):
        return pd.factorize(groups)
    combined = np.zeros(len(groups), dtype=np.int64)
    for level, level_codes in zip(groups.levels, groups.codes, strict=True):
        combined = combined * len(level) + np.asarray(level_codes, dtype=np.int64)
    codes, _ = pd.factorize(combined)
    _, first = np.unique(codes, return_index=True)
    uniques = groups[first]
    return codes, uniques.set_names([None] * groups.nlevels)


def _analyzer(stop, ngram_range, normalize):
    """Word n-grams of the terms of one text, as ``CountVectorizer``'s word analyzer."""
    find = re.compile(_TOKEN_PATTERN).findall
    lo, hi = ngram_range

    def analyze(doc: str) -> list[str]:
        words = [normalize(t) for t in find(_preprocess(doc))]
        if stop is not None:
            words = [w for w in words if w not in stop]
        out = []
        for n in range(lo, hi + 1):
            out += [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
        return out

    return analyze


def _variants(forms: dict[str, set[str]], vocab) -> dict[str, str]:
    """term -> its written forms counted, "form; form" (lower-cased except acronyms)."""
    return {term: "; ".join(sorted(forms[term])) for term in vocab if term in forms}


def keyness_table(counts, groups, vocab, targets, refs, *, by: str, reference, measure: str,
                  min_count: int, prior_scale: float,
                  correction: str = "none") -> pd.DataFrame | None:
    """compare_terms' pooled table from a sparse groups x terms count matrix (None if no row).

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
                        prior_total=pooled.sum() * prior_scale, correction=correction)
        label = reference_label(reference, ref_groups)
        frame = pd.DataFrame({by: t, "reference": label, "term": vocab[keep], "variants": "",
                              **stats, "n_stories": np.int64(1)})
        frames.append(frame.sort_values([measure, "term"], ascending=[False, True],
                                        kind="stable"))
    return finish_frames(frames, by)


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


def keyness(a, b, c, d, *, prior, prior_total, correction: str = "none") -> dict[str, np.ndarray]:
    """Vectorised keyness statistics for counts ``a`` (target) and ``b`` (reference).

    ``c`` and ``d`` are the target and reference totals, ``prior`` the Dirichlet pseudo-counts
    per term and ``prior_total`` their sum over the vocabulary. See :func:`compare_terms`.
    """
    stats = _keyness.two_by_two(a, b, c, d, correction=correction)
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    c, d = float(c), float(d)
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
        **stats, "log_ratio": log_ratio, "log_odds": log_odds,
        "log_odds_z": log_odds / np.sqrt(var),
    }
