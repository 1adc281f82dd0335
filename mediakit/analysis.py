"""The whole pipeline in one call: ``analyze(data) -> Analysis``, and ``Analysis.report()``.

``analyze`` only calls mediakit's public functions, in the order of the layers::

    read_articles -> (group_stories) -> split_sentences -> score_sentiment, score_frames,
    score_readability -> compare_groups, compare_terms, compare_coverage,
    (extract_entities, extract_quotes, compare_actors)

Given a dask DataFrame (or ``engine="dask"``), the same stages run on dask: see
:mod:`mediakit._dask_analyze`.
"""

from __future__ import annotations

from numbers import Integral

import pandas as pd

from mediakit._analysis_result import (
    GROUP_MEASURES,
    Analysis,
    actor_stage,
    article_rows,
    check_by,
    chosen_outlets,
)
from mediakit._params import Column, Interval, Options, Sequence_, validate_params, warn
from mediakit._stages import stages

STORY_MODES: tuple[str, ...] = ("auto", "given", "group")
#: Keyness terms per group (most distinctive first) whose example sentences the report shows.
TOP_TERMS = 5

ENGINES: tuple[str, ...] = ("auto", "pandas", "dask")
#: Where ``analyze`` keeps the articles, sentences and coverage tables.
KEEP: tuple[str, ...] = ("memory", "disk")


@validate_params(
    by=[Column()], outlets=[Sequence_(str), str, None], stories=[Options("auto", "given", "group")],
    actors=[bool, None], kinds=[str, list, tuple, None], n_boot=[Interval(Integral, 1, None)],
    n_jobs=[Interval(Integral, 1, None)], progress=[bool, None], read_kws=[dict, None],
    engine=[Options(*ENGINES)], keep=[Options(*KEEP)],
)
def analyze(data, *, by: str = "outlet", outlets=None, lexicon="policy_frames",
            stories: str = "auto", actors: bool | None = None, kinds=None, n_boot: int = 2000,
            n_jobs: int = 1, progress: bool | None = None, read_kws: dict | None = None,
            engine: str = "auto", keep: str = "memory") -> Analysis:
    """Run the whole comparison on a corpus: read, split, score, compare.

    Parameters
    ----------
    data : path, glob, DataFrame, dask DataFrame or list of dicts
        Anything :func:`mediakit.read_articles` reads (e.g. ``mk.load_example("seeds")``), or
        a ``dask.dataframe.DataFrame`` of articles: then every stage runs on dask (the active
        ``distributed`` client's cluster, else dask's default scheduler), and the tables equal
        the pandas ones (see README, "Running beyond one machine").
    by : str
        Column every comparison groups by (estimates, frames, keyness, coverage, actors):
        ``"outlet"`` (default) or any article column, e.g. ``"bias"``; the figures and the
        report follow it.
    outlets : sequence of str, optional
        Analyse only these outlets (the others are left out, with a note).
    lexicon : str, path, dict or Lexicon
        Frame lexicon for :func:`mediakit.score_frames` (default ``"policy_frames"``).
    stories : {"auto", "given", "group"}
        Where stories come from: ``"given"`` keeps ``story_id`` as read; ``"group"`` clusters
        articles with :func:`mediakit.group_stories`; ``"auto"`` groups only when no story was
        given (every ``story_id`` is ``"all"`` or missing) and some outlet has several
        articles, so that two articles on one event stay one story.
    actors : bool or None
        Extract entities and quotes and compare actors (needs the ``nlp`` extra). None = when
        the extra is installed (else skipped with a note); True = required (ImportError
        without it); False = skip.
    kinds : str, sequence of str or None
        Sentence kinds measured and compared (default content: headline, body, bullet).
    n_boot : int
        Bootstrap replicates for the intervals of :func:`mediakit.compare_groups`.
    n_jobs : int
        Worker processes for reading (the records of a large table file), splitting, the
        sentence scorers and coverage, threads for the story grouping's similarities and
        keyness's counts (results do not depend on it). Not used on dask, where
        the cluster's workers run the partitions.
    progress : bool or None
        Progress bars on long work (None = only for long corpora; on dask, each stage's name
        and time, for 4 partitions or more).
    read_kws : dict, optional
        Extra options for :func:`mediakit.read_articles` (e.g. ``{"text": "body"}``).
    engine : {"auto", "pandas", "dask"}
        ``"dask"`` runs on dask: a path (Parquet file or folder, CSV, JSONL) is read with
        dask, a pandas frame cut into partitions of 500 rows; ``"auto"`` uses dask for a dask
        DataFrame and pandas otherwise.
    keep : {"memory", "disk"}
        Where the result keeps the frames that grow with the corpus. ``"memory"`` (default):
        pandas frames. ``"disk"`` (runs on dask; ``engine="pandas"`` is an error): the articles
        and sentences stay dask DataFrames read from the Parquet files the stages wrote, and
        the coverage tables stay in per-story Parquet parts (``CoverageOnDisk``: ``.summary()``
        and ``.collect()``), so memory depends on the partition and the largest story, not on
        the corpus. Every other table is computed as with ``"memory"`` and equal to it;
        ``result.collect()`` gives the in-memory analysis; ``.report()`` does not collect (it
        writes the big tables part by part; see :meth:`Analysis.report`).
        With actors on, the sentences are read into memory for tone toward actors and
        ``compare_actors``. The files live in dask's ``temporary-directory`` (else the
        system's) until the process exits.

    Returns
    -------
    Analysis
        The frames and tables; ``.report(out_dir)`` writes the HTML report, figures and CSVs.
        Every distinct warning raised on the way is re-issued once (pointing at the caller) and
        kept in ``Analysis.warnings``.

    Examples
    --------
    >>> import warnings, mediakit as mk
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     result = mk.analyze(mk.load_example("seeds"), actors=False, n_boot=200)
    >>> sorted(result.articles["outlet"])
    ['outlet A', 'outlet B']
    >>> result.coverage is not None and result.groups is not None
    True
    """
    import warnings

    if isinstance(outlets, str):
        outlets = [outlets]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # a deprecation inside dask's own code (its Parquet reader calls pandas' reset_index
        # with inplace=True) says nothing about the run: not a warning of the analysis
        for category in (DeprecationWarning, FutureWarning):
            warnings.filterwarnings("ignore", category=category, module=r"dask(\.|$)")
        if _use_dask(data, engine, keep):
            result = _analyze_dask(data, by=by, outlets=outlets, lexicon=lexicon,
                                   stories=stories, actors=actors, kinds=kinds, n_boot=n_boot,
                                   n_jobs=n_jobs, progress=progress, read_kws=read_kws,
                                   keep=keep)
        else:
            result = _analyze(data, by=by, outlets=outlets, lexicon=lexicon, stories=stories,
                              actors=actors, kinds=kinds, n_boot=n_boot, n_jobs=n_jobs,
                              progress=progress, read_kws=read_kws)
        _add_context(result, by=by, kinds=kinds)
    seen: dict[str, warnings.WarningMessage] = {}
    for w in caught:
        seen.setdefault(f"{w.category.__name__}: {' '.join(str(w.message).split())}", w)
    result.warnings = list(seen)
    for w in seen.values():
        warn(str(w.message), w.category)
    return result


def _analyze(source, *, by, outlets, lexicon, stories, actors, kinds, n_boot, n_jobs, progress,
             read_kws) -> Analysis:
    params = {"by": by, "story": "story_id", "outlets": list(outlets) if outlets is not None else None,
              "lexicon": lexicon if isinstance(lexicon, str) else getattr(lexicon, "name", "custom"),
              "stories": stories, "actors": actors, "kinds": kinds, "n_boot": n_boot}
    notes: list[str] = []
    mk = stages()

    articles = mk.read_articles(source, progress=progress,
                                **{"n_jobs": n_jobs, **(read_kws or {})})
    skipped = [dict(s) for s in articles.attrs.get("skipped", [])]
    check_by(articles.columns, by)
    if outlets is not None:
        wanted, note = chosen_outlets(articles["outlet"].dropna(), outlets)
        articles = articles[articles["outlet"].astype(str).isin(wanted)].reset_index(drop=True)
        notes.extend([note] if note else [])
    if _should_group(articles, stories):
        articles = mk.group_stories(articles, n_jobs=n_jobs, progress=progress)
        notes.append(f"Stories were grouped with group_stories: {articles['story_id'].nunique()} "
                     "stories.")
    carried = () if by in ("outlet", "story_id", "published") else (by,)
    sentences = mk.split_sentences(articles, carry=carried, n_jobs=n_jobs, progress=progress)
    sentences = mk.score_sentiment(sentences, kinds=kinds, n_jobs=n_jobs, progress=progress)
    lex = mk.load_lexicon(lexicon)
    sentences = mk.score_frames(sentences, lexicon=lex, kinds=kinds, n_jobs=n_jobs,
                                progress=progress)
    sentences = mk.score_readability(sentences, kinds=kinds, n_jobs=n_jobs, progress=progress)
    readability = article_rows(sentences, by)

    group_kws = {"by": by, "kinds": kinds, "n_boot": n_boot, "n_perm": n_boot,
                 "progress": progress}
    measures = [m for m in GROUP_MEASURES if m in sentences.columns]
    groups = mk.compare_groups(sentences, measures=measures, **group_kws)
    frame_cols = [c for c in sentences.columns
                  if str(c).startswith("frame_") and c != "frame_terms"]
    frames = mk.compare_groups(sentences, measures=frame_cols, **group_kws) if frame_cols else None
    n_groups = articles[by].nunique()
    terms = mk.compare_terms(sentences, by=by, kinds=kinds, n_jobs=n_jobs) if n_groups > 1 \
        else None
    coverage = mk.compare_coverage(sentences, by=by, kinds=kinds, n_jobs=n_jobs,
                                   progress=progress)
    if n_groups < 2:
        notes.append(f"Only one {by}: keyness and coverage have nothing to compare against.")


    def extract():
        entities = mk.extract_entities(sentences, kinds=kinds, progress=progress)
        return entities, mk.extract_quotes(sentences, articles=articles, entities=entities,
                                           kinds=kinds, progress=progress)

    entities, quotes, actor_table = actor_stage(extract, sentences, by=by, actors=actors,
                                                notes=notes, progress=progress)
    return Analysis(articles=articles, sentences=sentences, readability=readability,
                    groups=groups, frames=frames, terms=terms, coverage=coverage,
                    actors=actor_table, entities=entities, quotes=quotes, notes=notes,
                    skipped=skipped, params=params, lexicon=lex)


def _add_context(result: Analysis, *, by: str, kinds) -> None:
    """The tables read off the others, the same for either engine: two example sentences per
    group for each top keyness term, and attention over time when the articles have dates.
    Kept on disk, the examples are found partition by partition and attention reads the
    articles' id, group, story and date columns and the sentence counts per article."""
    mk = stages()
    on_disk = result.on_disk
    if result.terms is not None:
        terms = top_terms(result.terms, by=by)
        if on_disk:
            from mediakit._dask_analyze import explain_terms_by_partition

            result.term_examples = explain_terms_by_partition(result.sentences, terms=terms,
                                                              by=by, kinds=kinds, per_group=2)
        else:
            result.term_examples = mk.explain_terms(result.sentences, terms=terms, by=by,
                                                    kinds=kinds, per_group=2)
    articles = result.articles
    if "published" not in articles.columns:
        return
    if on_disk:
        cols = [c for c in dict.fromkeys(("article_id", by, "story_id", "published"))
                if c in articles.columns]
        articles = articles[cols].compute().reset_index(drop=True)
    if articles["published"].notna().any():
        result.attention = mk.compare_attention(articles, sentences=result.sentences, by=by,
                                                kinds=kinds)


def top_terms(terms: pd.DataFrame, *, by: str = "outlet", n_terms: int = TOP_TERMS
              ) -> list[str]:
    """The ``n_terms`` terms each group uses most (largest positive G2), groups in order."""
    if terms is None or terms.empty or not {"term", "g2", by} <= set(terms.columns):
        return []
    chosen = []
    for _group, rows in terms[terms["g2"] > 0].groupby(terms[by].astype(str), sort=True):
        chosen += rows.sort_values("g2", ascending=False, kind="stable")["term"].head(
            n_terms).astype(str).tolist()
    return list(dict.fromkeys(chosen))




def _use_dask(source, engine: str, keep: str = "memory") -> bool:
    from mediakit._dask import is_dask_frame

    if engine == "pandas" and is_dask_frame(source):
        raise TypeError("engine='pandas' got a dask DataFrame; pass engine='auto' or 'dask', or "
                        "compute it first.")
    if engine == "pandas" and keep == "disk":
        raise ValueError("keep='disk' runs on dask (the frames stay in Parquet files); pass "
                         "engine='auto' or 'dask', or keep='memory' with engine='pandas'.")
    return engine == "dask" or keep == "disk" or is_dask_frame(source)


def _analyze_dask(source, **kwargs) -> Analysis:
    from mediakit._dask_analyze import analyze_dask

    kw = {k: v for k, v in kwargs.items()}
    params = {"by": kw["by"], "outlets": list(kw["outlets"]) if kw["outlets"] is not None
              else None,
              "lexicon": kw["lexicon"] if isinstance(kw["lexicon"], str)
              else getattr(kw["lexicon"], "name", "custom"),
              "stories": kw["stories"], "actors": kw["actors"], "kinds": kw["kinds"],
              "n_boot": kw["n_boot"]}
    return analyze_dask(source, params=params, **kw)


def _should_group(articles: pd.DataFrame, stories: str) -> bool:
    if stories != "auto":
        return stories == "group"
    story = articles["story_id"]
    none_given = bool((story.isna() | (story.astype(str) == "all")).all())
    return none_given and bool(articles.groupby("outlet").size().gt(1).any())
